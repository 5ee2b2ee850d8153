//! The app writes only where the person chose (issue 10): a file already there
//! is replaced only after they confirmed it (`replace: true`), a symbolic link is
//! never written through, and a workbook is only read until the first change.

use std::path::Path;
use std::time::{Duration, SystemTime};

use canary::workbook::{Profile, Workbook};
use serde_json::{json, Value};

use crate::support::{write, Harness};

fn example() -> (Harness, i64) {
    let h = Harness::new();
    let _: Value = h.ok("import_example", json!({}));
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    let product = rows[0]["id"].as_i64().unwrap();
    (h, product)
}

fn names(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    all.sort();
    all
}

#[test]
fn a_report_replaces_an_existing_file_only_once_confirmed() {
    let (h, product) = example();
    let out = h.path("attestation.pdf");
    write(&out, b"the person's own file");
    let report = |replace: bool| {
        h.invoke(
            "generate_report",
            json!({ "kind": "attestation", "product": product, "path": out, "replace": replace }),
        )
    };
    let e = report(false).unwrap_err();
    assert_eq!(e["code"], "already_exists", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("attestation.pdf"),
        "{e}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"the person's own file");
    assert!(
        !names(h.dir.path()).iter().any(|n| n.contains(".part-")),
        "refused before any work: nothing left beside it"
    );
    let done = report(true).unwrap();
    assert_eq!(done["path"], out.display().to_string());
    assert_eq!(&std::fs::read(&out).unwrap()[..5], b"%PDF-");
}

#[test]
fn a_report_never_writes_through_a_symbolic_link() {
    let (h, product) = example();
    let target = h.path("elsewhere.txt");
    write(&target, b"not to be overwritten");
    let link = h.path("report.pdf");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dangling = h.path("dangling.pdf");
    std::os::unix::fs::symlink(h.path("would-be-created.pdf"), &dangling).unwrap();
    for path in [&link, &dangling] {
        for replace in [false, true] {
            let (code, msg) = h.err(
                "generate_report",
                json!({ "kind": "attestation", "product": product, "path": path, "replace": replace }),
            );
            assert_eq!(code, "invalid_input", "{msg}");
            assert!(msg.contains("symbolic link"), "{msg}");
        }
    }
    assert_eq!(std::fs::read(&target).unwrap(), b"not to be overwritten");
    assert!(!h.path("would-be-created.pdf").exists());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_export_never_goes_through_a_linked_folder() {
    let (h, product) = example();
    let real = h.path("real-folder");
    std::fs::create_dir(&real).unwrap();
    let link = h.path("linked-folder");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (code, msg) = h.err(
        "export_product",
        json!({ "product": product, "path": link }),
    );
    assert_eq!(code, "export", "{msg}");
    assert!(msg.contains("symbolic link"), "{msg}");
    assert!(names(&real).is_empty(), "nothing written through the link");
}

#[test]
fn a_new_workbook_never_replaces_a_file_nor_follows_a_link() {
    let h = Harness::new();
    let taken = h.path("taken.canary");
    write(&taken, b"someone's file");
    let (code, _) = h.err("open_workbook", json!({ "path": taken, "create": true }));
    assert_eq!(code, "already_exists");
    assert_eq!(std::fs::read(&taken).unwrap(), b"someone's file");
    let link = h.path("link.canary");
    std::os::unix::fs::symlink(h.path("target.canary"), &link).unwrap();
    let (code, _) = h.err("open_workbook", json!({ "path": link, "create": true }));
    assert_eq!(code, "already_exists");
    assert!(
        !h.path("target.canary").exists(),
        "the link was not followed"
    );
}

#[test]
fn the_app_reads_a_workbook_until_its_first_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("received.canary");
    {
        let mut wb = Workbook::create(&path).unwrap();
        wb.set_profile(&Profile {
            name: "Sender".into(),
            ..Profile::default()
        })
        .unwrap();
    }
    // As a file from another tool may come: a connection that writes would switch
    // it back to WAL, which changes its header.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    drop(conn);
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let h = Harness::launch(dir, path.clone());
    let _: Value = h.ok("session", json!({}));
    let _: Vec<Value> = h.ok("dashboard", json!({}));
    let _: Vec<Value> = h.ok("trail", json!({}));
    let unchanged = || {
        std::fs::read(&path).unwrap() == before
            && std::fs::metadata(&path).unwrap().modified().unwrap() == hour_ago
    };
    assert!(unchanged(), "looking changed the file");
    h.add_product("Plug", &["uk-cop-2018"]);
    let wb = Workbook::open_read_only(&path).unwrap();
    assert_eq!(wb.products().unwrap().len(), 1);
    assert!(wb.verify().unwrap().is_ok());
}
