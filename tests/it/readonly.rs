//! Commands that only read (issue 10) open the workbook read-only: the file keeps
//! every byte and its modification time and nothing appears beside it, on a
//! read-only copy in a read-only folder too; a crashed writer's `-wal` is read,
//! not ignored; an older workbook is refused, not migrated. The app's way of
//! opening (`open_until_write`) reads the same way until its first write.

use std::ffi::OsString;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use canary::workbook::{Access, Profile, Workbook, APPLICATION_ID};
use rusqlite::Connection;

use crate::support::cli::{example, Cli};
use crate::support::store::product;

/// The workbook's bytes and time, and every name in its folder.
#[derive(Debug, PartialEq)]
struct Snapshot {
    bytes: Vec<u8>,
    modified: SystemTime,
    names: Vec<OsString>,
}

fn snapshot(path: &Path) -> Snapshot {
    let mut names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    Snapshot {
        bytes: std::fs::read(path).unwrap(),
        modified: std::fs::metadata(path).unwrap().modified().unwrap(),
        names,
    }
}

fn assert_as_before(path: &Path, before: &Snapshot, after_what: &str) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = sidecar(path, suffix);
        assert!(!side.exists(), "{after_what}: {} appeared", side.display());
    }
    let now = snapshot(path);
    assert!(
        now.bytes == before.bytes,
        "{after_what}: the workbook changed"
    );
    assert_eq!(
        now.modified, before.modified,
        "{after_what}: its time moved"
    );
    assert_eq!(now.names, before.names, "{after_what}: its folder changed");
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// An hour ago, so a rewrite within the same clock tick still shows.
fn age(path: &Path) {
    let then = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(then)
        .unwrap();
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The example, submitted, approved and signed (assessment 1), then cloned
/// (assessment 2), so every report and `diff` has something to read.
fn signed_and_cloned() -> Cli {
    let env = example();
    env.ok(&["submit", "--product", "SP-200"]);
    env.ok(&[
        "review",
        "--product",
        "SP-200",
        "--requirement",
        "uk-cop-2018:1",
        "--verdict",
        "accepted",
    ]);
    env.ok(&[
        "approve",
        "--product",
        "SP-200",
        "--despite",
        "scope agreed",
    ]);
    env.ok(&[
        "sign",
        "--product",
        "SP-200",
        "--signatory",
        "Grace",
        "--function",
        "CTO",
        "--place",
        "London",
        "--date",
        "2025-12-15",
    ]);
    env.ok(&["clone", "--product", "SP-200", "--label", "Firmware 2"]);
    env
}

/// Every command that only reads, writing what it writes under `out`.
fn read_commands(out: &Path) -> Vec<Vec<String>> {
    let o = |name: &str| out.join(name).display().to_string();
    let p = ["--product", "SP-200"];
    let mut all: Vec<Vec<String>> = vec![
        vec!["status".into()],
        vec!["init".into()],
        vec!["log".into()],
        vec!["verify".into()],
        vec!["product".into(), "list".into()],
        vec!["profile".into(), "show".into()],
        vec!["diff".into(), p[0].into(), p[1].into()],
        vec!["evidence".into(), "list".into(), p[0].into(), p[1].into()],
        vec!["frameworks".into(), p[0].into(), p[1].into()],
    ];
    for (format, name) in [
        ("product-file", "product-file"),
        ("oscal", "oscal.json"),
        ("xlsx", "all.xlsx"),
        ("csv", "table.csv"),
    ] {
        all.push(
            ["export", p[0], p[1], "--format", format, "--out", &o(name)]
                .map(String::from)
                .to_vec(),
        );
    }
    for (kind, assessment) in [("attestation", "2"), ("psti", "1"), ("mapping", "2")] {
        all.push(
            [
                "report",
                kind,
                p[0],
                p[1],
                "--assessment",
                assessment,
                "--no-sign",
                "--out",
                &o(&format!("{kind}.pdf")),
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    all
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Switches the workbook to SQLite's rollback journal, as a file from another
/// tool may come: a connection that writes would switch it back to WAL, which
/// changes its header.
fn rollback_journal(path: &Path) {
    let conn = Connection::open(path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

#[test]
fn every_read_command_leaves_the_workbook_as_it_was() {
    let env = signed_and_cloned();
    let path = env.workbook();
    for journal in ["wal", "delete"] {
        if journal == "delete" {
            rollback_journal(&path);
        }
        let out = env.path(&format!("out-{journal}"));
        std::fs::create_dir(&out).unwrap();
        age(&path);
        let before = snapshot(&path);
        for args in read_commands(&out) {
            env.ok(&strs(&args));
            assert_as_before(&path, &before, &format!("{journal}: {}", args.join(" ")));
        }
        // What they wrote is there (so none of them failed quietly).
        for name in [
            "product-file/product.yaml",
            "oscal.json",
            "all.xlsx",
            "table.csv",
            "attestation.pdf",
            "psti.pdf",
            "mapping.pdf",
        ] {
            assert!(
                out.join(name).is_file(),
                "{journal}: {name} was not written"
            );
        }
    }
}

/// `plain` as an account that file modes apply to: as it is unless we are root,
/// else as `nobody` through `setpriv`; the reason when that cannot be done here.
fn unprivileged(plain: Command) -> Result<Command, String> {
    let uid = std::fs::metadata("/proc/self")
        .map_err(|e| e.to_string())?
        .uid();
    if uid != 0 {
        return Ok(plain);
    }
    let as_nobody = |program: &std::ffi::OsStr| {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(program);
        c
    };
    // The account must reach the binary: the build folder may sit where only
    // root may enter, so run a copy from a folder anyone may read.
    let program = reachable_copy(Path::new(plain.get_program()))?;
    match as_nobody(program.as_os_str()).arg("--version").output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            return Err(format!(
                "running as root and `setpriv` cannot run canary as nobody: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
        Err(e) => return Err(format!("running as root and `setpriv` is missing: {e}")),
    }
    let mut c = as_nobody(program.as_os_str());
    c.args(plain.get_args());
    for (key, value) in plain.get_envs() {
        match value {
            Some(v) => c.env(key, v),
            None => c.env_remove(key),
        };
    }
    Ok(c)
}

/// `binary` linked (or copied) into a folder every account may enter, once per build.
fn reachable_copy(binary: &Path) -> Result<PathBuf, String> {
    let meta = std::fs::metadata(binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    let stamp = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("canary-it-any-account-{}-{stamp}", meta.ino()));
    let copy = dir.join("canary");
    if !copy.exists() {
        let part = dir.with_extension(format!("part-{}", std::process::id()));
        std::fs::create_dir_all(&part).map_err(|e| e.to_string())?;
        set_mode(&part, 0o755);
        let target = part.join("canary");
        if std::fs::hard_link(binary, &target).is_err() {
            std::fs::copy(binary, &target).map_err(|e| e.to_string())?;
        }
        set_mode(&target, 0o755);
        // Another test may have won the race; either copy is the same build.
        let _ = std::fs::rename(&part, &dir);
    }
    Ok(copy)
}

#[test]
fn read_commands_work_on_a_read_only_copy_in_a_read_only_folder() {
    let env = signed_and_cloned();
    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    set_mode(&out, 0o777);
    set_mode(env.dir(), 0o755);
    let received = env.path("received");
    std::fs::create_dir(&received).unwrap();
    let copy = received.join("w.canary");
    std::fs::copy(env.workbook(), &copy).unwrap();
    age(&copy);
    set_mode(&copy, 0o444);
    set_mode(&received, 0o555);
    let before = snapshot(&copy);
    let reads: Vec<Vec<String>> = read_commands(&out)
        .into_iter()
        .filter(|a| ["verify", "status", "report"].contains(&a[0].as_str()))
        .collect();
    let on_copy = |args: &[String]| {
        let mut c = crate::support::cli::process();
        c.env("HOME", &out).arg("--workbook").arg(&copy).args(args);
        c
    };
    let run = |mut c: Command, what: &str| {
        let o = c.output().unwrap();
        assert!(
            o.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_as_before(&copy, &before, what);
    };
    // As whoever runs the tests (root ignores the modes, but not the promise).
    for args in &reads {
        run(on_copy(args), &args.join(" "));
    }
    // As an account the modes apply to: the file is read as immutable, and a
    // write says the file cannot be written rather than fail obscurely.
    let write = [
        "product",
        "add",
        "--name",
        "Mallory",
        "--manufacturer",
        "Mallory Ltd",
        "--as",
        "Mallory",
    ]
    .map(String::from);
    match unprivileged(on_copy(&write)) {
        Err(why) => panic!("the permission part cannot run: {why}"),
        Ok(mut refused) => {
            for args in &reads {
                let c = unprivileged(on_copy(args)).unwrap();
                run(c, &format!("{} unprivileged", args.join(" ")));
            }
            let o = refused.output().unwrap();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("cannot be written here"), "{stderr}");
            assert_as_before(&copy, &before, "a refused write");
        }
    }
    set_mode(&received, 0o755);
}

/// What a writer that committed product KT-1 and died before any checkpoint
/// leaves in `folder` (created): the file without the change and a `-wal`
/// holding it.
fn crashed_copy(env: &Cli, folder: &str) -> PathBuf {
    let crashed = env.path(folder);
    std::fs::create_dir(&crashed).unwrap();
    let copy = crashed.join("w.canary");
    let mut wb = Workbook::open(&env.workbook()).unwrap();
    wb.set_actor(Some("Writer".into()));
    wb.add_product(
        &canary::catalogue::Catalogue::embedded().unwrap(),
        &product("Kettle", folder),
    )
    .unwrap();
    std::fs::copy(env.workbook(), &copy).unwrap();
    std::fs::copy(sidecar(&env.workbook(), "-wal"), sidecar(&copy, "-wal")).unwrap();
    copy
}

#[test]
fn a_crashed_writers_wal_is_read_and_left_as_it_was() {
    let env = example();
    let copy = crashed_copy(&env, "KT-1");
    let wal = sidecar(&copy, "-wal");
    let wal_before = std::fs::read(&wal).unwrap();
    assert!(!wal_before.is_empty());
    age(&copy);
    let before = snapshot(&copy);
    let on_copy = |args: &[&str]| {
        let mut c = crate::support::cli::canary();
        c.arg("--workbook").arg(&copy).args(args);
        c
    };
    let listed = on_copy(&["--json", "product", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let listed = String::from_utf8(listed).unwrap();
    assert!(
        listed.contains("KT-1"),
        "the committed change was lost: {listed}"
    );
    on_copy(&["verify"]).assert().success();
    // The file and the `-wal` are as they were; SQLite may add a `-shm` to read
    // the `-wal` through, nothing else.
    let now = snapshot(&copy);
    assert!(now.bytes == before.bytes, "the workbook changed");
    assert_eq!(now.modified, before.modified);
    assert!(
        std::fs::read(&wal).unwrap() == wal_before,
        "the -wal changed"
    );
    assert!(!sidecar(&copy, "-journal").exists());
    let mut names = now.names;
    names.retain(|n| n != "w.canary-shm");
    assert_eq!(names, ["w.canary", "w.canary-wal"]);
}

/// A version 2 workbook (before migration 0003), in rollback-journal mode.
fn version_2(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    for sql in [
        include_str!("../../src/workbook/migrations/0001_initial.sql"),
        include_str!("../../src/workbook/migrations/0002_evidence_ids_never_reused.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 2).unwrap();
}

#[test]
fn a_read_command_on_an_older_workbook_refuses_rather_than_migrates() {
    let env = Cli::new();
    let path = env.workbook();
    version_2(&path);
    age(&path);
    let before = snapshot(&path);
    for args in [&["status"][..], &["verify"], &["log"], &["product", "list"]] {
        env.fails(args, "must be migrated");
        assert_as_before(&path, &before, &args.join(" "));
    }
    // The app opens it to work on it: migrated at once, after a backup.
    let wb = Workbook::open_until_write(&path).unwrap();
    assert_eq!(wb.access(), Access::ReadWrite);
    assert!(sidecar(&path, ".bak-v2").exists());
}

#[test]
fn the_apps_opening_reads_until_the_first_write() {
    let env = example();
    let path = env.workbook();
    age(&path);
    let before = snapshot(&path);
    let cat = canary::catalogue::Catalogue::load(None).unwrap();
    let mut wb = Workbook::open_until_write(&path).unwrap();
    assert_eq!(wb.access(), Access::ReadOnly);
    assert_eq!(wb.dashboard(&cat).unwrap().len(), 1);
    assert!(wb.verify().unwrap().is_ok());
    wb.set_actor(Some("Ada".into()));
    drop(wb);
    assert_as_before(&path, &before, "looking only");

    let mut wb = Workbook::open_until_write(&path).unwrap();
    let profile = Profile {
        name: "Ada".into(),
        organisation: "Acme".into(),
        role: "engineer".into(),
    };
    wb.set_profile(&profile).unwrap();
    assert_eq!(wb.access(), Access::ReadWrite);
    wb.add_product(
        &canary::catalogue::Catalogue::embedded().unwrap(),
        &product("Kettle", "KT-1"),
    )
    .unwrap();
    drop(wb);
    let wb = Workbook::open_read_only(&path).unwrap();
    assert_eq!(wb.profile().unwrap(), Some(profile));
    assert_eq!(wb.products().unwrap().len(), 2);
    assert!(wb.verify().unwrap().is_ok());

    // A plain read-only workbook never turns writable.
    let mut ro = Workbook::open_read_only(&path).unwrap();
    assert!(matches!(
        ro.add_product(
            &canary::catalogue::Catalogue::embedded().unwrap(),
            &product("Toaster", "TO-1")
        ),
        Err(canary::workbook::WorkbookError::ReadOnly)
    ));
}

#[test]
fn a_crashed_writers_wal_in_a_folder_nobody_may_write_is_named_not_ignored() {
    let env = example();
    set_mode(env.dir(), 0o755);
    let copy = crashed_copy(&env, "KT-2");
    for f in [copy.clone(), sidecar(&copy, "-wal")] {
        set_mode(&f, 0o444);
    }
    let folder = copy.parent().unwrap().to_owned();
    set_mode(&folder, 0o555);
    let before = snapshot(&copy);
    let mut list = crate::support::cli::process();
    list.env("HOME", env.dir())
        .arg("--workbook")
        .arg(&copy)
        .args(["--json", "product", "list"]);
    match unprivileged(list) {
        Err(why) => panic!("the permission part cannot run: {why}"),
        Ok(mut c) => {
            // No `-shm` can be made: SQLite cannot read the `-wal`, and reading
            // the file without it would show old data. Refused, and says why.
            let o = c.output().unwrap();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("did not finish"), "{stderr}");
            assert_as_before_with_wal(&copy, &before);
            // Where a `-shm` may be made, the change is read.
            set_mode(&folder, 0o777);
            let o = c.output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert!(String::from_utf8_lossy(&o.stdout).contains("KT-2"));
        }
    }
    set_mode(&folder, 0o755);
}

/// The file as before, with its `-wal` and no `-shm` beside it.
fn assert_as_before_with_wal(path: &Path, before: &Snapshot) {
    let now = snapshot(path);
    assert!(now.bytes == before.bytes, "the workbook changed");
    assert_eq!(now.modified, before.modified);
    assert_eq!(now.names, before.names, "its folder changed");
}
