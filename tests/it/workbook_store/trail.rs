//! The trail and `verify`: every change on a hash chain, tampering found, a
//! batch all or nothing.

use std::path::Path;

use canary::workbook::{Status, Workbook, GENESIS};
use rusqlite::Connection;

use crate::support::store::{file_evidence, met, product, with_product, write_file, Fixture};

#[test]
fn every_change_is_on_a_verifiable_trail() {
    let fx = Fixture::new();
    assert_eq!(
        Workbook::create(&fx.path()).unwrap().trail_head().unwrap(),
        GENESIS
    );
    std::fs::remove_file(fx.path()).unwrap();
    let (mut wb, _, a) = with_product(&fx);
    fx.clock.advance(60);
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("first"))
        .unwrap();
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("second"))
        .unwrap();
    let log = wb.log(None).unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.entity.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("profile", "create"),
            ("product", "create"),
            ("assessment", "create"),
            ("response", "create"),
            ("response", "update")
        ]
    );
    let last = log.last().unwrap();
    assert!(last.before.as_deref().unwrap().contains("first"));
    assert!(last.after.as_deref().unwrap().contains("second"));
    assert_eq!(last.at, "2025-11-25T12:01:00Z");
    assert_eq!(last.prev_hash, log[3].hash);
    assert_eq!(wb.trail_head().unwrap(), last.hash);
    assert_eq!(wb.log(Some(2)).unwrap().first().unwrap().seq, 4);
    // Paging back, newest first, covers every event once.
    let seqs = |page: Vec<canary::workbook::Event>| page.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(wb.log_page(None, 2).unwrap()), [5, 4]);
    assert_eq!(seqs(wb.log_page(Some(4), 2).unwrap()), [3, 2]);
    assert_eq!(seqs(wb.log_page(Some(2), 2).unwrap()), [1]);
    assert!(wb.log_page(Some(1), 2).unwrap().is_empty());
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    assert_eq!(report.events, 5);
}

/// Tampers with the file through plain SQLite, as anyone could: past the triggers
/// that keep the trail append-only, which are then put back word for word (a file
/// without them is refused at opening).
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    let triggers: Vec<String> = conn
        .prepare(
            "SELECT sql FROM sqlite_master WHERE name IN ('event_no_update', 'event_no_delete')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(triggers.len(), 2);
    conn.execute_batch(&format!(
        "DROP TRIGGER event_no_update; DROP TRIGGER event_no_delete; {sql}"
    ))
    .unwrap();
    for t in triggers {
        conn.execute_batch(&t).unwrap();
    }
}

fn findings(fx: &Fixture) -> Vec<String> {
    fx.reopen()
        .verify()
        .unwrap()
        .findings
        .into_iter()
        .map(|f| format!("{}: {}: {}", f.check, f.subject, f.message))
        .collect()
}

fn busy_workbook(fx: &Fixture) {
    let (mut wb, _, a) = with_product(fx);
    for i in 1..=5 {
        wb.set_response(&fx.cat, a, &format!("uk-cop-2018:{i}"), &met("ok"))
            .unwrap();
    }
    let f = fx.dir.path().join("evidence.bin");
    write_file(&f, 300_000, 9);
    wb.add_evidence(&fx.cat, a, "uk-cop-2018:1", &file_evidence("e", &f))
        .unwrap();
    assert!(wb.verify().unwrap().is_ok());
}

#[test]
fn verify_detects_an_edited_event() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "UPDATE event SET actor = 'Mallory' WHERE seq = 4",
    );
    let f = findings(&fx);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with("trail_chain: event 4:") && f[0].contains("edited"),
        "{f:?}"
    );
}

#[test]
fn verify_detects_a_deleted_event() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(&fx.path(), "DELETE FROM event WHERE seq = 5");
    let f = findings(&fx);
    assert!(
        f.iter().any(|f| f.starts_with("trail_chain: event 6")),
        "{f:?}"
    );

    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "DELETE FROM event WHERE seq = (SELECT max(seq) FROM event)",
    );
    let f = findings(&fx);
    assert!(f.iter().any(|f| f.starts_with("trail_head")), "{f:?}");
}

#[test]
fn verify_detects_reordered_events() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "UPDATE event SET seq = -1 WHERE seq = 3; UPDATE event SET seq = 3 WHERE seq = 4;
         UPDATE event SET seq = 4 WHERE seq = -1;",
    );
    let f = findings(&fx);
    assert!(
        f.iter().any(|f| f.starts_with("trail_chain: event 3")),
        "{f:?}"
    );
}

#[test]
fn verify_detects_one_changed_byte_in_a_stored_file() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    // Flip one byte in place with incremental BLOB I/O.
    let conn = Connection::open(fx.path()).unwrap();
    let rowid: i64 = conn
        .query_row("SELECT id FROM blob", [], |r| r.get(0))
        .unwrap();
    let mut blob = conn
        .blob_open("main", "blob", "data", rowid, false)
        .unwrap();
    let mut byte = [0u8; 1];
    blob.read_at_exact(&mut byte, 1000).unwrap();
    blob.write_at(&[byte[0] ^ 0x01], 1000).unwrap();
    drop(blob);
    drop(conn);
    let f = findings(&fx);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].starts_with("blob_hash:"), "{f:?}");
}

#[test]
fn verify_reports_broken_foreign_keys() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "PRAGMA foreign_keys = OFF; DELETE FROM product;",
    );
    let f = findings(&fx);
    assert!(
        f.iter()
            .any(|f| f.starts_with("foreign_key_check: assessment")),
        "{f:?}"
    );
}

#[test]
fn a_batch_is_all_or_nothing() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let head = wb.trail_head().unwrap();
    let err = wb
        .batch(|b| {
            let p = b.add_product(&fx.cat, &product("Batch", "B-1"))?;
            let a = b.create_assessment(&fx.cat, p.id, "v1", &[])?;
            b.set_response(&fx.cat, a.id, "uk-cop-2018:1", &met("ok"))?;
            let mut na = met("");
            na.status = Status::NotApplicable;
            b.set_response(&fx.cat, a.id, "uk-cop-2018:2", &na)
        })
        .unwrap_err();
    assert_eq!(err.code(), "justification_required");
    assert!(wb.products().unwrap().is_empty());
    assert_eq!(wb.trail_head().unwrap(), head);

    let id = wb
        .batch(|b| {
            let p = b.add_product(&fx.cat, &product("Batch", "B-1"))?;
            let a = b.create_assessment(&fx.cat, p.id, "v1", &[])?;
            b.set_response(&fx.cat, a.id, "uk-cop-2018:1", &met("ok"))?;
            Ok(p.id)
        })
        .unwrap();
    let row = wb.dashboard(&fx.cat).unwrap().remove(0);
    assert_eq!((row.id, row.counts[0].met), (id, 1));
    assert!(wb.verify().unwrap().is_ok());
}
