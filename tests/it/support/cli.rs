//! The one way these tests run the real `canary` binary: never with settings
//! from the shell that runs the tests, on a workbook in a private directory,
//! and with helpers for the usual outcomes (stdout of a success, the message of
//! a failure, parsed `--json` output).

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// Variables `canary` reads settings from; a developer's own would leak into tests.
const SETTINGS: [&str; 5] = [
    "CANARY_AS",
    "CANARY_CATALOGUE",
    "CANARY_WORKBOOK",
    "CANARY_HOME",
    "CANARY_PASSPHRASE",
];

/// `canary` with no settings from the environment (shipped catalogue, no workbook).
pub fn canary() -> Command {
    Command::from_std(process())
}

/// [`canary`] as a plain process, for tests that spawn, pipe or kill it.
pub fn process() -> Process {
    let mut c = Process::new(env!("CARGO_BIN_EXE_canary"));
    for var in SETTINGS {
        c.env_remove(var);
    }
    // Never the developer's own config directory (their key, their trusted
    // keys), nor one another test wrote to.
    c.env("CANARY_HOME", TEST_HOME.with(|h| h.path().to_owned()));
    c
}

thread_local! {
    /// The config directory of the test running on this thread: the test
    /// harness runs each test on a thread of its own, so no state passes from
    /// one test to another, and it is removed when the test ends.
    static TEST_HOME: TempDir = tempfile::tempdir().expect("a temporary home");
}

/// A private directory whose workbook `w.canary` every command runs on.
pub struct Cli {
    dir: TempDir,
    catalogue: Option<PathBuf>,
    env: Vec<(&'static str, String)>,
}

impl Cli {
    /// With the shipped catalogue. The workbook does not exist yet.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            catalogue: None,
            env: Vec::new(),
        }
    }

    /// With the small fixture catalogue of [`super::write_catalogue`] (8 EN provisions).
    pub fn with_fixture_catalogue() -> Self {
        let mut cli = Self::new();
        let catalogue = cli.path("catalogue");
        super::write_catalogue(&catalogue, 8);
        cli.catalogue = Some(catalogue);
        cli
    }

    /// Sets `key` for every command, e.g. `CANARY_AS` or `SOURCE_DATE_EPOCH`.
    pub fn env(mut self, key: &'static str, value: &str) -> Self {
        self.env.push((key, value.to_owned()));
        self
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn workbook(&self) -> PathBuf {
        self.path("w.canary")
    }

    /// `canary [--catalogue DIR] --workbook w.canary ARGS`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.process(args))
    }

    /// [`Cli::cmd`] as a plain process, for tests that spawn, pipe or kill it.
    pub fn process(&self, args: &[&str]) -> Process {
        let mut c = process();
        c.env("CANARY_HOME", self.path("home"));
        for (key, value) in &self.env {
            c.env(key, value);
        }
        if let Some(catalogue) = &self.catalogue {
            c.arg("--catalogue").arg(catalogue);
        }
        c.arg("--workbook").arg(self.workbook()).args(args);
        c
    }

    /// Runs `args`, expects success, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    /// Runs `args` and expects exit code 1 with `message` on stderr.
    pub fn fails(&self, args: &[&str], message: &str) {
        self.cmd(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
    }

    /// Runs `--json ARGS`, expects success, and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

/// A new workbook holding the bundled example; changes are made as "Test Runner".
pub fn example() -> Cli {
    let env = Cli::new().env("CANARY_AS", "Test Runner");
    env.ok(&["init"]);
    env.ok(&["import", super::EXAMPLE]);
    env
}
