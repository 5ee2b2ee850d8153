//! Opening, creating and refusing files, and migrating older ones.

use std::path::{Path, PathBuf};

use canary::workbook::{Workbook, WorkbookError, APPLICATION_ID, SCHEMA_VERSION};
use rusqlite::Connection;

use crate::support::store::{file_evidence, note, product, with_product, write_file, Fixture};

#[test]
fn a_new_workbook_is_a_canary_sqlite_file_in_wal_mode() {
    let fx = Fixture::new();
    drop(fx.workbook());
    let conn = Connection::open(fx.path()).unwrap();
    let app: u32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(ver, SCHEMA_VERSION);
    assert_eq!(mode, "wal");
    assert!(matches!(
        Workbook::create(&fx.path()),
        Err(WorkbookError::Io { .. })
    ));
}

/// A new workbook is built under an unguessable name Canary makes itself: files
/// planted at the once predictable `<file>.init-<pid>` (and its journal, which
/// SQLite would replay) are neither used nor touched, and a refused create
/// leaves nothing of its own beside the file.
#[test]
fn planted_temporary_files_do_not_matter_and_nothing_is_left_behind() {
    let fx = Fixture::new();
    let path = fx.path();
    let planted = format!("{}.init-{}", path.display(), std::process::id());
    let journal = format!("{planted}-journal");
    std::fs::write(&planted, b"planted").unwrap();
    std::fs::write(&journal, b"planted journal").unwrap();
    let mut wb = Workbook::create(&path).unwrap();
    wb.set_actor(Some("A".into()));
    wb.add_product(&fx.cat, &product("X", "X")).unwrap();
    drop(wb);
    assert_eq!(std::fs::read(&planted).unwrap(), b"planted");
    assert_eq!(std::fs::read(&journal).unwrap(), b"planted journal");

    assert!(matches!(
        Workbook::create(&path),
        Err(WorkbookError::Io { .. })
    ));
    let mut names: Vec<_> = std::fs::read_dir(fx.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("test.canary") && !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    let name = |p: &str| {
        Path::new(p)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    assert_eq!(
        names,
        [
            name(&path.to_string_lossy()),
            name(&planted),
            name(&journal)
        ]
    );
    assert_eq!(Workbook::open(&path).unwrap().products().unwrap().len(), 1);
}

#[test]
fn a_missing_file_is_not_found_and_not_created() {
    let fx = Fixture::new();
    assert!(matches!(
        Workbook::open(&fx.path()),
        Err(WorkbookError::NotFound(_))
    ));
    assert!(!fx.path().exists());
}

/// Refusal leaves the file byte-for-byte as it was, with no WAL or SHM beside it.
fn assert_refused_untouched(path: &Path, code: &str) {
    let before = std::fs::read(path).unwrap();
    let err = Workbook::open(path).err().expect("must be refused");
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(std::fs::read(path).unwrap(), before, "file changed");
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        assert!(!PathBuf::from(side).exists(), "{suffix} created");
    }
}

#[test]
fn foreign_files_are_refused_untouched() {
    let fx = Fixture::new();
    let path = fx.path();

    write_file(&path, 10_000, 7);
    assert_refused_untouched(&path, "not_a_workbook");

    // A PNG renamed to .canary.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0u8; 200]);
    std::fs::write(&path, &png).unwrap();
    assert_refused_untouched(&path, "not_a_workbook");

    std::fs::write(&path, b"").unwrap();
    assert_refused_untouched(&path, "not_a_workbook");

    // Another application's SQLite database.
    std::fs::remove_file(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    assert_refused_untouched(&path, "not_a_workbook");
}

#[test]
fn a_truncated_workbook_is_refused_untouched() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    for i in 0..5 {
        let f = fx.dir.path().join(format!("e{i}.bin"));
        write_file(&f, 50_000, i);
        wb.add_evidence(&fx.cat, a, "uk-cop-2018:1", &file_evidence("log", &f))
            .unwrap();
    }
    drop(wb);
    let full = std::fs::read(fx.path()).unwrap();
    assert!(full.len() > 100_000);
    std::fs::write(fx.path(), &full[..full.len() / 2]).unwrap();
    assert_refused_untouched(&fx.path(), "truncated");
    std::fs::write(fx.path(), &full[..60]).unwrap();
    assert_refused_untouched(&fx.path(), "truncated");
}

#[test]
fn a_newer_workbook_is_refused_untouched() {
    let fx = Fixture::new();
    drop(fx.workbook());
    let conn = Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    assert_refused_untouched(&fx.path(), "too_new");
    match Workbook::open(&fx.path()) {
        Err(WorkbookError::TooNew {
            found, supported, ..
        }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
}

#[test]
fn an_older_workbook_is_backed_up_then_migrated() {
    let fx = Fixture::new();
    // A version-0 workbook: Canary's application id, no schema yet.
    let conn = Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    drop(conn);
    // Something a version-0 workbook never has is refused before any migration.
    let planted = fx.dir.path().join("planted.canary");
    std::fs::copy(fx.path(), &planted).unwrap();
    let conn = Connection::open(&planted).unwrap();
    conn.execute_batch(
        "CREATE TABLE legacy_note (text TEXT); INSERT INTO legacy_note VALUES ('kept');",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&planted).unwrap();
    let err = Workbook::open(&planted).err().unwrap();
    assert_eq!(err.code(), "unexpected_schema");
    assert!(
        err.to_string().contains("extra table `legacy_note`"),
        "{err}"
    );
    assert_eq!(std::fs::read(&planted).unwrap(), before);
    std::fs::remove_file(&planted).unwrap();

    let mut wb = Workbook::open(&fx.path()).unwrap();
    wb.set_actor(Some("Migrator".into()));
    wb.add_product(&fx.cat, &product("After", "A-1")).unwrap();
    drop(wb);

    let backup = PathBuf::from(format!("{}.bak-v0", fx.path().display()));
    let b = Connection::open(&backup).unwrap();
    let ver: u32 = b
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(ver, 0);
    let has_product: i64 = b
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'product'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has_product, 0, "the backup is the old version");

    let wb = Workbook::open(&fx.path()).unwrap();
    assert_eq!(wb.products().unwrap().len(), 1);
    let conn = Connection::open(fx.path()).unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(ver, SCHEMA_VERSION);
    // One backup, of the version found; opening the current version again makes none.
    let backups: Vec<String> = std::fs::read_dir(fx.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".bak-v"))
        .collect();
    assert_eq!(backups, ["test.canary.bak-v0"]);
}

#[test]
fn open_or_create_creates_once() {
    let fx = Fixture::new();
    let path = fx.dir.path().join("sub/dir/w.canary");
    drop(Workbook::open_or_create(&path).unwrap());
    let mut wb = Workbook::open_or_create(&path).unwrap();
    wb.set_actor(Some("A".into()));
    wb.add_product(&fx.cat, &product("X", "X")).unwrap();
    drop(wb);
    assert_eq!(
        Workbook::open_or_create(&path)
            .unwrap()
            .products()
            .unwrap()
            .len(),
        1
    );
}

/// A workbook written by the first released schema (version 1), with evidence
/// and a trail that names a removed item, opens in this build: backed up, then
/// migrated with everything kept and removed ids still never reused.
#[test]
fn a_version_1_workbook_is_migrated_with_its_evidence() {
    let fx = Fixture::new();
    let conn = Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/workbook/migrations/0001_initial.sql"
    )))
    .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let ts = "2025-11-25T12:00:00Z";
    // SHA-256 of "hello".
    let hash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    conn.execute_batch(&format!(
        "INSERT INTO product (id, name, created_at, updated_at) VALUES (1, 'Old plug', '{ts}', '{ts}');
         INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (1, 1, 'v1', '[\"uk-cop-2018\"]', 'draft', '{ts}', '{ts}');
         INSERT INTO response (id, assessment_id, requirement, framework, status, created_at, updated_at)
           VALUES (1, 1, 'uk-cop-2018:1', 'uk-cop-2018', 'met', '{ts}', '{ts}');
         INSERT INTO evidence (id, response_id, title, kind, note, added_at, added_by)
           VALUES (1, 1, 'kept note', 'note', 'text', '{ts}', 'Ada');
         INSERT INTO product (id, name, created_at, updated_at) VALUES (2, 'Signed plug', '{ts}', '{ts}');
         INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (2, 2, 'v1', '[\"uk-cop-2018\"]', 'approved', '{ts}', '{ts}');
         INSERT INTO response (id, assessment_id, requirement, framework, status, created_at, updated_at)
           VALUES (2, 2, 'uk-cop-2018:1', 'uk-cop-2018', 'met', '{ts}', '{ts}');
         INSERT INTO blob (hash, size, data) VALUES ('{hash}', 5, CAST('hello' AS BLOB));
         INSERT INTO evidence (id, response_id, title, kind, blob_hash, file_name, size, added_at, added_by)
           VALUES (2, 2, 'signed file', 'file', '{hash}', 'hello.txt', 5, '{ts}', 'Ada');
         INSERT INTO signoff (assessment_id, signatory, function, place, date, signed_at, actor)
           VALUES (2, 'Grace', 'CTO', 'London', '2025-11-25', '{ts}', 'Ada');
         INSERT INTO event (at, actor, entity, entity_id, action, before, after, prev_hash, hash)
           VALUES ('{ts}', 'Ada', 'evidence', '7', 'delete', NULL, NULL, 'x', 'y');"
    ))
    .unwrap();
    drop(conn);

    let mut wb = fx.reopen();
    wb.set_actor(Some("Ada".into()));
    assert!(PathBuf::from(format!("{}.bak-v1", fx.path().display())).exists());
    let kept = wb.evidence(1).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].id, kept[0].title.as_str()), (1, "kept note"));
    let new = wb
        .add_evidence(&fx.cat, 1, "uk-cop-2018:1", &note("new"))
        .unwrap();
    assert_eq!(new.id, 8, "past every id the trail names");
    let signed = wb.evidence(2).unwrap();
    assert_eq!((signed[0].id, signed[0].size), (2, Some(5)));
    let mut out = Vec::new();
    wb.read_blob(hash, &mut out).unwrap();
    assert_eq!(out, b"hello");
    // The signed assessment's lock came through the rebuild, in code and in SQL.
    assert!(matches!(
        wb.remove_evidence(2).unwrap_err(),
        WorkbookError::Locked(2)
    ));
    drop(wb);
    let conn = Connection::open(fx.path()).unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(ver, SCHEMA_VERSION);
    let refused = conn
        .execute("DELETE FROM evidence WHERE id = 2", [])
        .unwrap_err();
    assert!(
        refused.to_string().contains("assessment is signed"),
        "{refused}"
    );
    let fk: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(fk.is_empty(), "{fk:?}");
}
