//! Hostile input, tried as an attacker would (issue 10): every case is refused
//! with a clear error and a failing exit status, and leaves the workbook
//! byte-for-byte as it was, with no `-wal`/`-shm` beside it. None of these tests
//! times anything: a hang would hang the suite.

use crate::support as workbook_support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use rusqlite::Connection;

use canary::workbook::{Workbook, WorkbookError};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        workbook_support::write_catalogue(&dir.path().join("catalogue"), 8);
        Self { dir }
    }

    fn workbook(&self) -> PathBuf {
        self.dir.path().join("w.canary")
    }

    fn canary(&self) -> Command {
        self.canary_on(&self.workbook())
    }

    fn canary_on(&self, workbook: &Path) -> Command {
        let mut c = Command::cargo_bin("canary").unwrap();
        c.env_remove("CANARY_AS")
            .env_remove("CANARY_WORKBOOK")
            .current_dir(self.dir.path())
            .arg("--catalogue")
            .arg(self.dir.path().join("catalogue"))
            .arg("--workbook")
            .arg(workbook);
        c
    }

    fn ok(&self, args: &[&str]) {
        self.canary().args(args).assert().success();
    }

    /// A workbook with one product, a response and a review verdict.
    fn setup(&self) {
        self.ok(&["init"]);
        self.ok(&[
            "profile",
            "set",
            "--name",
            "Ada",
            "--organisation",
            "Acme",
            "--role",
            "engineer",
        ]);
        self.ok(&[
            "product",
            "add",
            "--name",
            "Doorbell",
            "--model",
            "DB-1",
            "--manufacturer",
            "Acme Ltd",
            "--framework",
            "uk-cop-2018",
        ]);
        self.ok(&[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:1",
            "--status",
            "met",
            "--statement",
            "Unique passwords",
        ]);
    }

    fn sql(&self, sql: &str) {
        Connection::open(self.workbook())
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }

    /// Runs `args`, expects exit status 1 with `message` on stderr and the
    /// workbook unchanged with nothing beside it.
    fn refused(&self, args: &[&str], message: &str) {
        let before = std::fs::read(self.workbook()).unwrap();
        self.canary()
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
        assert_unchanged(&self.workbook(), &before);
    }
}

fn assert_unchanged(path: &Path, before: &[u8]) {
    assert!(
        std::fs::read(path).unwrap() == before,
        "{} changed",
        path.display()
    );
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        assert!(!PathBuf::from(&side).exists(), "{side:?} left behind");
    }
}

#[test]
fn a_planted_trigger_never_runs_and_the_file_is_refused_untouched() {
    let env = Env::new();
    env.setup();
    // The sender's trigger would turn the auditor's verdict into `accepted`.
    env.sql(
        "CREATE TRIGGER flip AFTER INSERT ON review BEGIN \
         UPDATE review SET verdict = 'accepted' WHERE response_id = NEW.response_id; END;",
    );
    for args in [
        &["verify"][..],
        &["status"],
        &["log"],
        &["product", "list"],
        &[
            "review",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:1",
            "--verdict",
            "rejected",
        ],
    ] {
        env.refused(args, "extra trigger `flip`");
    }
    let err = Workbook::open(&env.workbook()).err().unwrap();
    assert_eq!(err.code(), "unexpected_schema");
    assert!(
        err.to_string().contains("the file was left untouched"),
        "{err}"
    );
}

#[test]
fn planted_views_and_changed_definitions_are_refused() {
    let cases = [
        (
            "CREATE VIEW leak AS SELECT * FROM product",
            "extra view `leak`",
        ),
        (
            "CREATE VIEW r AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
             SELECT x FROM c",
            "extra view `r`",
        ),
        // A trigger of Canary's with its body replaced.
        (
            "DROP TRIGGER signoff_permanent; CREATE TRIGGER signoff_permanent BEFORE DELETE ON \
             signoff BEGIN SELECT 1; END",
            "trigger `signoff_permanent` differs",
        ),
        (
            "DROP TRIGGER event_no_update",
            "trigger `event_no_update` is missing",
        ),
        ("CREATE INDEX spy ON event (actor)", "extra index `spy`"),
        ("ANALYZE", "extra table `sqlite_stat1`"),
    ];
    for (sql, message) in cases {
        let env = Env::new();
        env.setup();
        env.sql(sql);
        env.refused(&["verify"], message);
        env.refused(&["product", "list"], message);
    }
}

#[test]
fn an_endless_trigger_condition_is_refused_before_it_can_run() {
    let env = Env::new();
    env.setup();
    env.sql(
        "CREATE TRIGGER spin BEFORE INSERT ON event WHEN (WITH RECURSIVE c(x) AS \
         (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c) > 0 BEGIN SELECT 1; END;",
    );
    env.refused(
        &[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:2",
            "--status",
            "met",
        ],
        "extra trigger `spin`",
    );
}

#[test]
fn a_file_uri_as_the_workbook_name_is_a_plain_file_name() {
    let env = Env::new();
    let name = "file:w.canary?mode=memory";
    let mut c = Command::cargo_bin("canary").unwrap();
    c.env_remove("CANARY_WORKBOOK")
        .current_dir(env.dir.path())
        .args(["--workbook", name, "init"])
        .assert()
        .success();
    assert!(env.dir.path().join(name).is_file());
    assert!(!env.dir.path().join("w.canary").exists());
    let wb = Workbook::open_read_only(&env.dir.path().join(name)).unwrap();
    assert!(wb.products().unwrap().is_empty());
}

#[test]
fn read_only_commands_change_no_byte_and_work_on_a_read_only_copy() {
    let env = Env::new();
    env.setup();
    let copy_dir = env.dir.path().join("received");
    std::fs::create_dir(&copy_dir).unwrap();
    let copy = copy_dir.join("w.canary");
    std::fs::copy(env.workbook(), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    set_mode(&copy, 0o444);
    set_mode(&copy_dir, 0o555);
    for args in [&["verify"][..], &["status"], &["log"], &["product", "list"]] {
        env.canary_on(&copy).args(args).assert().success();
        assert_unchanged(&copy, &before);
    }
    let mut wb = Workbook::open_read_only(&copy).unwrap();
    assert!(wb.verify().unwrap().is_ok());
    assert!(matches!(
        wb.set_profile(&canary::workbook::Profile {
            name: "Mallory".into(),
            organisation: String::new(),
            role: String::new(),
        }),
        Err(WorkbookError::ReadOnly)
    ));
    drop(wb);
    assert_unchanged(&copy, &before);
    set_mode(&copy_dir, 0o755);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn fifos_and_devices_are_refused_as_evidence_by_name() {
    let env = Env::new();
    env.setup();
    let fifo = env.dir.path().join("pipe.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let add = |file: &Path| -> Vec<String> {
        [
            "evidence",
            "add",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:1",
            "--title",
            "t",
            "--file",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([file.display().to_string()])
        .collect()
    };
    let args = add(&fifo);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.refused(&args, "named pipe (FIFO)");
    for dev in ["/dev/zero", "/dev/null"] {
        let args = add(Path::new(dev));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.refused(&args, "it is a device");
    }
}

/// A product directory holding `product.yaml` with `text`.
fn product_dir(env: &Env, name: &str, text: &str) -> PathBuf {
    let dir = env.dir.path().join(name);
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(dir.join("product.yaml"), text).unwrap();
    dir
}

const PRODUCT: &str = "canary: 1\nproduct: {name: Plug, model: P-1, manufacturer: {name: Acme}}\n\
                       frameworks: [uk-cop-2018]\nresponses:\n";

#[test]
fn product_files_with_aliases_deep_nesting_or_special_files_are_refused() {
    let env = Env::new();
    env.setup();
    // One 4 MB string aliased 1,500 times would expand to 6 GB.
    let mut bomb = format!(
        "{PRODUCT}  - requirement: uk-cop-2018:1\n    status: met\n    statement: &s \"{}\"\n",
        "x".repeat(4 << 20)
    );
    for i in 2..1_500 {
        bomb.push_str(&format!(
            "  - {{requirement: 'uk-cop-2018:{i}', status: met, statement: *s}}\n"
        ));
    }
    let dir = product_dir(&env, "bomb", &bomb);
    env.refused(&["import", dir.to_str().unwrap()], "product.yaml:7:19");
    env.refused(
        &["import", dir.to_str().unwrap()],
        "anchors (`&name`) are not allowed",
    );

    let deep = format!("{PRODUCT}  - {}", "[".repeat(100_000));
    let dir = product_dir(&env, "deep", &deep);
    env.refused(
        &["import", dir.to_str().unwrap()],
        "nesting is deeper than 64 levels",
    );

    let big = format!("{PRODUCT}# {}\n", "x".repeat(17 << 20));
    let dir = product_dir(&env, "big", &big);
    env.refused(&["import", dir.to_str().unwrap()], "larger than 16 MiB");

    let fifo_dir = product_dir(
        &env,
        "fifo",
        &format!("{PRODUCT}  - requirement: uk-cop-2018:1\n    status: met\n    evidence:\n      - {{title: t, file: evidence/pipe}}\n"),
    );
    assert!(std::process::Command::new("mkfifo")
        .arg(fifo_dir.join("evidence/pipe"))
        .status()
        .unwrap()
        .success());
    env.refused(&["import", fifo_dir.to_str().unwrap()], "named pipe (FIFO)");
    // The product file itself may not be a FIFO either.
    let lone = env.dir.path().join("lone.yaml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&lone)
        .status()
        .unwrap()
        .success());
    env.refused(&["import", lone.to_str().unwrap()], "named pipe (FIFO)");
}

#[test]
fn catalogue_overrides_are_bounded_too() {
    let env = Env::new();
    let cat = env.dir.path().join("catalogue");
    let frameworks = cat.join("frameworks");
    let check = |message: &str| {
        Command::cargo_bin("canary")
            .unwrap()
            .args(["catalog", "check", "--catalogue"])
            .arg(&cat)
            .assert()
            .code(1)
            .stdout(predicate::str::contains(message));
    };
    let mut bomb = format!("a: &s \"{}\"\nb:\n", "x".repeat(4 << 20));
    for _ in 0..1_500 {
        bomb.push_str("  - *s\n");
    }
    std::fs::write(frameworks.join("bomb.yaml"), &bomb).unwrap();
    check("aliases expanded");
    std::fs::write(frameworks.join("bomb.yaml"), "[".repeat(100_000)).unwrap();
    check("nesting is deeper than 64 levels");
    std::fs::remove_file(frameworks.join("bomb.yaml")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(frameworks.join("pipe.yaml"))
        .status()
        .unwrap()
        .success());
    check("named pipe (FIFO)");
    std::fs::remove_file(frameworks.join("pipe.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", frameworks.join("link.yaml")).unwrap();
    check("a symbolic link");
}

#[test]
fn dates_take_ascii_digits_only_and_long_text_is_refused_by_name() {
    let env = Env::new();
    env.setup();
    env.refused(
        &[
            "product",
            "add",
            "--name",
            "Plug",
            "--model",
            "P-1",
            "--manufacturer",
            "Acme Ltd",
            "--support-end",
            "2031-+2-28",
        ],
        "is not a date",
    );
    let long = "x".repeat(canary::workbook::MAX_TEXT_BYTES + 1);
    env.refused(
        &[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:2",
            "--status",
            "met",
            "--statement",
            &long,
        ],
        "response.statement is 65537 bytes long",
    );
}
