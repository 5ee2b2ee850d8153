//! What the CLI shows people: user text escaped (JSON exact), each error's cause
//! named once, and workbook names taken literally.

use assert_cmd::Command;

use crate::support::cli::{canary, Cli};

/// A name, title and actor carrying terminal escape sequences (clear screen,
/// colour, set window title, CSI as one C1 character) and a right-to-left override.
const HOSTILE: &str = "Evil\u{1b}[2J\u{1b}[31mRed\u{1b}]0;pwned\u{7}\u{9b}1m\u{202e}gpj.exe";
/// [`HOSTILE`] as the CLI shows it.
const SHOWN: &str = "Evil\\u{1b}[2J\\u{1b}[31mRed\\u{1b}]0;pwned\\u{7}\\u{9b}1m\\u{202e}gpj.exe";

fn assert_no_raw_controls(out: &str) {
    let raw: Vec<char> = out
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect();
    assert!(raw.is_empty(), "raw control characters {raw:?} in:\n{out}");
}

#[test]
fn human_output_shows_control_characters_in_user_text_escaped() {
    let env = Cli::with_fixture_catalogue();
    env.ok(&["init"]);
    env.ok(&[
        "product",
        "add",
        "--name",
        HOSTILE,
        "--model",
        "M\n  2  forged line",
        "--manufacturer",
        "Acme\u{2066}",
        "--as",
        HOSTILE,
    ]);
    env.ok(&[
        "evidence",
        "add",
        "--product",
        "1",
        "--requirement",
        "uk-cop-2018:1",
        "--title",
        HOSTILE,
        "--note",
        "n",
        "--as",
        "Ada",
    ]);
    for args in [
        &["product", "list"][..],
        &["status"],
        &["log"],
        &["evidence", "list", "--product", "1"],
    ] {
        let out = env.ok(args);
        assert_no_raw_controls(&out);
        assert!(out.contains(SHOWN), "{args:?}:\n{out}");
    }
    let list = env.ok(&["product", "list"]);
    assert_eq!(
        list,
        format!("   1  {SHOWN}  model M\\n  2  forged line  Acme\\u{{2066}}  Initial assessment: draft\n")
    );

    let rows = env.json(&["product", "list"]);
    assert_eq!(rows[0]["name"], HOSTILE);
    assert_eq!(rows[0]["model"], "M\n  2  forged line");
    assert_eq!(rows[0]["manufacturer"], "Acme\u{2066}");
    assert_eq!(env.json(&["log"])[0]["actor"], HOSTILE);
    let evidence = env.json(&["evidence", "list", "--product", "1"]);
    assert_eq!(evidence[0]["title"], HOSTILE);
}

/// Runs a command that must fail; returns its stderr, whole.
fn stderr_of(cmd: &mut Command) -> String {
    let out = cmd.assert().code(1).get_output().clone();
    assert!(out.stdout.is_empty(), "{out:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn errors_show_control_characters_escaped() {
    let env = Cli::new();
    let file = env.dir().join(HOSTILE);
    assert_eq!(
        stderr_of(canary().arg("--workbook").arg(&file).arg("log")),
        format!(
            "error: no workbook at {}/{SHOWN} (create one with `canary init`)\n",
            env.dir().display()
        )
    );
}

#[test]
fn failures_name_their_cause_once() {
    let env = Cli::with_fixture_catalogue();
    let dir = env.dir();
    let missing = env.path("missing.canary");
    assert_eq!(
        stderr_of(canary().arg("--workbook").arg(&missing).arg("log")),
        format!(
            "error: no workbook at {} (create one with `canary init`)\n",
            missing.display()
        )
    );
    assert_eq!(
        stderr_of(canary().arg("--workbook").arg(dir).arg("log")),
        format!(
            "error: {} is not a Canary workbook: it is a directory; the file was left untouched\n",
            dir.display()
        )
    );

    let file = env.path("notes.txt");
    std::fs::write(&file, "not a directory").unwrap();
    let under_file = file.join("w.canary");
    assert_eq!(
        stderr_of(canary().arg("init").arg(&under_file)),
        format!("error: {}: File exists (os error 17)\n", file.display())
    );

    env.ok(&["init"]);
    env.ok(&[
        "product",
        "add",
        "--name",
        "Doorbell",
        "--model",
        "DB-1",
        "--manufacturer",
        "Acme",
        "--as",
        "Ada",
    ]);
    let evidence = file.join("scan.pdf");
    assert_eq!(
        stderr_of(
            env.cmd(&["evidence", "add", "--product", "DB-1", "--as", "Ada"])
                .args([
                    "--requirement",
                    "uk-cop-2018:1",
                    "--title",
                    "Scan",
                    "--file"
                ])
                .arg(&evidence)
        ),
        format!(
            "error: {}: Not a directory (os error 20)\n",
            evidence.display()
        )
    );
    let out = file.join("export");
    assert_eq!(
        stderr_of(env.cmd(&["export", "--product", "DB-1", "--out"]).arg(&out)),
        format!("error: {}: Not a directory (os error 20)\n", out.display())
    );
}

#[test]
fn a_damaged_database_is_named_once() {
    let env = Cli::new();
    env.ok(&["init"]);
    // Header page intact (so the file is recognised), every other page garbage.
    let mut bytes = std::fs::read(env.workbook()).unwrap();
    bytes[4096..].fill(0xff);
    std::fs::write(env.workbook(), bytes).unwrap();
    for args in [&["log"][..], &["verify"]] {
        assert_eq!(
            stderr_of(&mut env.cmd(args)),
            format!(
                "error: {} is not a Canary workbook: its schema cannot be read (database disk \
                 image is malformed); the file was left untouched\n",
                env.workbook().display()
            ),
            "{args:?}"
        );
    }
}

#[test]
fn a_workbook_named_like_an_sqlite_uri_is_a_plain_file() {
    let env = Cli::new();
    let cwd = env.dir();
    for name in ["file:x.canary", "file:y.canary?mode=memory&cache=shared"] {
        let run = |args: &[&str]| {
            let mut c = canary();
            c.current_dir(cwd).args(["--workbook", name]).args(args);
            c
        };
        run(&["init"])
            .assert()
            .success()
            .stdout(format!("created workbook {name}\n"));
        assert!(cwd.join(name).is_file(), "{name} was not created");
        run(&["product", "add", "--name", "P", "--model", "P-1"])
            .args(["--manufacturer", "Acme", "--as", "Ada"])
            .assert()
            .success();
        let list = run(&["--json", "product", "list"]).assert().success();
        let rows: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).unwrap();
        assert_eq!(rows[0]["name"], "P", "{name}");
    }
    // Read as URIs, these would have been `x.canary` and an in-memory database.
    assert!(!cwd.join("x.canary").exists());
    assert!(!cwd.join("y.canary").exists());
}
