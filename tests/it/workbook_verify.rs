//! `verify` proves the rows: the trail replayed into the state it describes must
//! match every table. Rows edited behind the trail's back (plain SQL on the real
//! file) are named by table, id and field; an untouched busy workbook, and a
//! workbook written by schema version 1, give no findings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use canary::catalogue::Catalogue;
use canary::exchange;
use canary::workbook::{
    EvidenceInput, EvidenceSource, FixedClock, Profile, ResponseInput, RowDifference, SignInput,
    Status, Transition, Verdict, Workbook, APPLICATION_ID, GENESIS,
};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::support::catalogue;
use crate::support::store::{note, product, T0};

use crate::support::EXAMPLE;

fn answer(status: Status, statement: &str) -> ResponseInput {
    ResponseInput {
        status,
        statement: statement.into(),
        justification: if status.needs_justification() {
            "out of scope for this device".into()
        } else {
            String::new()
        },
        owner: "Ada".into(),
    }
}

fn evidence(title: &str, source: EvidenceSource) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        source,
        date: Some("2025-11-01".into()),
        expires: None,
    }
}

fn sign_input() -> SignInput {
    SignInput {
        signatory: "Grace Hopper".into(),
        function: "CTO".into(),
        place: "London".into(),
        date: None,
    }
}

fn new_workbook(path: &Path, clock: &Arc<FixedClock>) -> Workbook {
    let mut wb = Workbook::create(path).unwrap().with_clock(clock.clone());
    wb.set_profile(&Profile {
        name: "Ada".into(),
        organisation: "Acme".into(),
        role: "engineer".into(),
    })
    .unwrap();
    wb
}

fn findings(path: &Path) -> Vec<canary::workbook::Finding> {
    Workbook::open(path).unwrap().verify().unwrap().findings
}

/// Changes the file with plain SQL, as anyone could: every trigger is dropped
/// first and put back after, so the schema is the one Canary wrote.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\";"))
            .unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, sql) in &triggers {
        conn.execute_batch(sql).unwrap();
    }
}

fn difference(
    table: &str,
    id: &str,
    field: Option<&str>,
    in_trail: Option<&str>,
    in_table: Option<&str>,
) -> RowDifference {
    RowDifference {
        table: table.into(),
        id: id.into(),
        field: field.map(Into::into),
        in_trail: in_trail.map(Into::into),
        in_table: in_table.map(Into::into),
    }
}

/// The one finding a tampered file gives, with its check.
fn only_finding(path: &Path) -> (String, String, RowDifference) {
    let f = findings(path);
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = f.into_iter().next().unwrap();
    (f.check, f.message, f.row.expect("names a row"))
}

/// Two products with known ids: product 1 "Doorbell" with assessment 1 signed
/// (responses 1 and 2, evidence 1 and 2, both accepted); product 2 "Camera" with
/// assessment 2 in review, response 3 rejected.
fn signed_and_in_review(dir: &Path) -> PathBuf {
    let path = dir.join("w.canary");
    let cat = catalogue(&dir.join("catalogue"));
    let clock = Arc::new(FixedClock::new(T0));
    let mut wb = new_workbook(&path, &clock);
    let cop = ["uk-cop-2018".to_owned()];
    let p1 = wb.add_product(&cat, &product("Doorbell", "DB-1")).unwrap();
    let a1 = wb.create_assessment(&cat, p1.id, "fw 1.0", &cop).unwrap();
    let r1 = wb
        .set_response(
            &cat,
            a1.id,
            "uk-cop-2018:1",
            &answer(Status::Met, "Unique passwords"),
        )
        .unwrap();
    wb.set_response(
        &cat,
        a1.id,
        "uk-cop-2018:2",
        &answer(Status::Met, "A disclosure policy"),
    )
    .unwrap();
    let e1 = wb
        .add_evidence(&cat, a1.id, "uk-cop-2018:1", &note("pen test"))
        .unwrap();
    let e2 = wb
        .add_evidence(
            &cat,
            a1.id,
            "uk-cop-2018:2",
            &evidence(
                "policy",
                EvidenceSource::Link("https://example.com/vdp".into()),
            ),
        )
        .unwrap();
    assert_eq!((r1.id, e1.id, e2.id), (1, 1, 2));
    wb.transition(&cat, a1.id, Transition::Submit).unwrap();
    clock.advance(60);
    wb.set_actor(Some("Rita".into()));
    for req in ["uk-cop-2018:1", "uk-cop-2018:2"] {
        wb.review(a1.id, req, Verdict::Accepted, "ok").unwrap();
    }
    wb.approve(&cat, a1.id, Some("the other guidelines follow in 1.1"))
        .unwrap();
    wb.set_actor(None);
    wb.sign(a1.id, &sign_input()).unwrap();

    let p2 = wb.add_product(&cat, &product("Camera", "CAM-1")).unwrap();
    let a2 = wb.create_assessment(&cat, p2.id, "fw 2.0", &cop).unwrap();
    let r3 = wb
        .set_response(
            &cat,
            a2.id,
            "uk-cop-2018:1",
            &answer(Status::Met, "Per-device passwords"),
        )
        .unwrap();
    assert_eq!((p2.id, a2.id, r3.id), (2, 2, 3));
    wb.transition(&cat, a2.id, Transition::Submit).unwrap();
    wb.set_actor(Some("Rita".into()));
    wb.review(
        a2.id,
        "uk-cop-2018:1",
        Verdict::Rejected,
        "default password found",
    )
    .unwrap();
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:#?}", report.findings);
    path
}

#[test]
fn a_changed_verdict_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(
        &path,
        "UPDATE review SET verdict = 'accepted' WHERE response_id = 3;",
    );
    let (check, message, row) = only_finding(&path);
    assert_eq!(check, "rows");
    assert_eq!(
        row,
        difference(
            "review",
            "3",
            Some("verdict"),
            Some("rejected"),
            Some("accepted")
        )
    );
    assert!(
        message.contains("the trail says \"rejected\", the table holds \"accepted\""),
        "{message}"
    );
}

#[test]
fn a_changed_signed_statement_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(
        &path,
        "UPDATE response SET statement = 'Nothing to declare' WHERE id = 1;",
    );
    let (check, _, row) = only_finding(&path);
    assert_eq!(check, "rows");
    assert_eq!(
        row,
        difference(
            "response",
            "1",
            Some("statement"),
            Some("Unique passwords"),
            Some("Nothing to declare")
        )
    );
}

#[test]
fn a_changed_sign_off_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(
        &path,
        "UPDATE signoff SET signatory = 'Mallory' WHERE assessment_id = 1;",
    );
    let (check, _, row) = only_finding(&path);
    assert_eq!(check, "rows");
    assert_eq!(
        row,
        difference(
            "signoff",
            "1",
            Some("signatory"),
            Some("Grace Hopper"),
            Some("Mallory")
        )
    );
}

#[test]
fn a_deleted_evidence_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(&path, "DELETE FROM evidence WHERE id = 2;");
    let (check, message, row) = only_finding(&path);
    assert_eq!(check, "rows");
    assert_eq!(
        (row.table.as_str(), row.id.as_str(), row.field.as_deref()),
        ("evidence", "2", None)
    );
    assert!(row.in_table.is_none(), "{row:?}");
    assert!(row.in_trail.unwrap().contains("https://example.com/vdp"));
    assert!(
        message.contains("deleted behind the trail's back"),
        "{message}"
    );
}

#[test]
fn an_extra_product_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(
        &path,
        "INSERT INTO product (name, created_at, updated_at)
         VALUES ('Ghost', '2025-11-25T12:00:00Z', '2025-11-25T12:00:00Z');",
    );
    let (check, message, row) = only_finding(&path);
    assert_eq!(check, "rows");
    assert_eq!(
        (row.table.as_str(), row.id.as_str(), row.field.as_deref()),
        ("product", "3", None)
    );
    assert!(row.in_trail.is_none(), "{row:?}");
    assert!(row.in_table.unwrap().contains("Ghost"));
    assert!(message.contains("never recorded"), "{message}");
}

#[test]
fn a_changed_product_name_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(
        &path,
        "UPDATE product SET name = 'Doorbell Pro' WHERE id = 1;",
    );
    let (check, _, row) = only_finding(&path);
    assert_eq!(check, "rows");
    assert_eq!(
        row,
        difference(
            "product",
            "1",
            Some("name"),
            Some("Doorbell"),
            Some("Doorbell Pro")
        )
    );
}

/// A row changed behind the trail's back and then edited by the app: the table
/// now agrees with the last event, but that event's before-image gives it away.
#[test]
fn a_change_written_over_is_named_by_the_next_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(&path, "UPDATE product SET batch = 'fw 9.x' WHERE id = 2;");
    let mut wb = Workbook::open(&path).unwrap();
    wb.set_actor(Some("Ada".into()));
    let mut input = product("Camera", "CAM-1");
    input.batch = "fw 2.x".into();
    wb.update_product(&Catalogue::embedded().unwrap(), 2, &input)
        .unwrap();
    let seq = wb.log(Some(1)).unwrap()[0].seq;
    drop(wb);
    let f = findings(&path);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].check.as_str(), f[0].subject.clone()),
        ("trail_replay", format!("event {seq}"))
    );
    assert_eq!(
        f[0].row,
        Some(difference(
            "product",
            "2",
            Some("batch"),
            Some("fw 1.x"),
            Some("fw 9.x")
        ))
    );
}

#[test]
fn a_lowered_evidence_counter_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = signed_and_in_review(dir.path());
    tamper(
        &path,
        "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'evidence';",
    );
    let (_, _, row) = only_finding(&path);
    assert_eq!(
        row,
        difference(
            "sqlite_sequence",
            "evidence",
            Some("seq"),
            Some("at least 2"),
            Some("1")
        )
    );
}

/// Many products, edits, reviews, sign-offs, clones of clones, removals and
/// restores, a stored file, imports: the untouched file verifies clean.
#[test]
fn an_untouched_busy_workbook_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let clock = Arc::new(FixedClock::new(T0));
    let path = dir.path().join("busy.canary");
    let mut wb = new_workbook(&path, &clock);
    wb.set_profile(&Profile {
        name: "Ada".into(),
        organisation: "Acme Ltd".into(),
        role: "lead engineer".into(),
    })
    .unwrap();
    let files: Vec<PathBuf> = (0..3)
        .map(|i| {
            let f = dir.path().join(format!("report-{i}.pdf"));
            std::fs::write(&f, format!("report {i}").repeat(1000 * (i + 1))).unwrap();
            f
        })
        .collect();
    let both = [
        "uk-cop-2018".to_owned(),
        "etsi-en-303-645-v2.1.1".to_owned(),
    ];
    for i in 0..12usize {
        clock.advance(60);
        let p = wb
            .add_product(&cat, &product(&format!("Plug {i}"), &format!("P-{i}")))
            .unwrap();
        let frameworks = if i % 2 == 0 { &both[..] } else { &both[..1] };
        let a = wb
            .create_assessment(&cat, p.id, "fw 1.0", frameworks)
            .unwrap();
        for (n, status) in Status::ALL.iter().enumerate() {
            let req = format!("uk-cop-2018:{}", n + 1);
            wb.set_response(&cat, a.id, &req, &answer(*status, &format!("answer {n}")))
                .unwrap();
        }
        wb.set_response(
            &cat,
            a.id,
            "uk-cop-2018:1",
            &answer(Status::Met, "changed my mind"),
        )
        .unwrap();
        if i % 2 == 0 {
            wb.set_response(
                &cat,
                a.id,
                "etsi-en-303-645-v2.1.1:5.1-1",
                &answer(Status::PartiallyMet, "most of it"),
            )
            .unwrap();
        }
        let file = wb
            .add_evidence(
                &cat,
                a.id,
                "uk-cop-2018:1",
                &evidence("report", EvidenceSource::File(files[i % 3].clone())),
            )
            .unwrap();
        // Evidence before any answer makes a not-assessed response.
        wb.add_evidence(
            &cat,
            a.id,
            "uk-cop-2018:7",
            &evidence(
                "link",
                EvidenceSource::Link(format!("https://example.com/{i}")),
            ),
        )
        .unwrap();
        let newest = wb
            .add_evidence(&cat, a.id, "uk-cop-2018:2", &note("note"))
            .unwrap();
        if i % 3 == 0 {
            wb.remove_evidence(file.id).unwrap();
            wb.restore_evidence(file.id).unwrap();
        }
        // Removing the newest item leaves an id no later item may take.
        if i % 4 == 1 {
            wb.remove_evidence(newest.id).unwrap();
        }
        if i % 2 == 1 {
            let mut renamed = product(&format!("Plug {i} Pro"), &format!("P-{i}"));
            renamed.support_end = None;
            renamed.roles.clear();
            wb.update_product(&cat, p.id, &renamed).unwrap();
        }
        if i % 2 == 1 {
            wb.change_frameworks(&cat, a.id, &both[1..], &[]).unwrap();
        }
        wb.transition(&cat, a.id, Transition::Submit).unwrap();
        wb.set_actor(Some("Rita".into()));
        wb.review(a.id, "uk-cop-2018:1", Verdict::Accepted, "fine")
            .unwrap();
        wb.review(a.id, "uk-cop-2018:2", Verdict::NeedsInfo, "which policy?")
            .unwrap();
        wb.review(a.id, "uk-cop-2018:2", Verdict::Accepted, "")
            .unwrap();
        if i % 3 == 2 {
            wb.transition(&cat, a.id, Transition::RequestChanges)
                .unwrap();
            wb.set_actor(None);
            wb.set_response(&cat, a.id, "uk-cop-2018:3", &answer(Status::Met, "fixed"))
                .unwrap();
            let c = wb.clone_assessment(a.id, "fw 1.1").unwrap();
            wb.set_response(
                &cat,
                c.id,
                "uk-cop-2018:4",
                &answer(Status::Met, "in the clone"),
            )
            .unwrap();
            let copied = wb.latest_assessment(p.id).unwrap();
            let response = wb.response(copied.id, "uk-cop-2018:1").unwrap().unwrap();
            let item = wb.evidence(response.id).unwrap().remove(0);
            wb.remove_evidence(item.id).unwrap();
            wb.restore_evidence(item.id).unwrap();
            // A clone of a clone.
            wb.clone_assessment(c.id, "fw 1.2").unwrap();
        } else {
            wb.approve(&cat, a.id, Some("a pilot batch")).unwrap();
            wb.set_actor(None);
            wb.sign(a.id, &sign_input()).unwrap();
            let c = wb.clone_assessment(a.id, "fw 2.0").unwrap();
            wb.add_evidence(&cat, c.id, "uk-cop-2018:5", &note("new in 2.0"))
                .unwrap();
        }
    }
    let loose = dir.path().join("loose.bin");
    std::fs::write(&loose, b"stored, not attached").unwrap();
    wb.store_file(&loose).unwrap();
    // Imports: the example twice (the second changes nothing), then one product
    // exported and imported into a second workbook.
    let first = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    assert!(
        first.product_created && first.evidence_added > 0,
        "{first:?}"
    );
    let again = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    assert!(!again.changed(), "{again:?}");
    let out = dir.path().join("export");
    exchange::export_product(&wb, &cat, 3, &out).unwrap();
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:#?}", report.findings);
    assert!(report.events > 300, "{}", report.events);
    drop(wb);

    let other = dir.path().join("other.canary");
    let mut wb2 = new_workbook(&other, &clock);
    exchange::import_product_file(&mut wb2, &cat, &out.join("product.yaml")).unwrap();
    let report = wb2.verify().unwrap();
    assert!(report.is_ok(), "{:#?}", report.findings);
    assert!(findings(&path).is_empty());
}

// ---- a workbook written by schema version 1 ----

/// Appends an event the way version 1 did: `sha256(prev_hash || canonical bytes)`.
fn v1_event(
    conn: &Connection,
    at: &str,
    entity: &str,
    id: i64,
    action: &str,
    before: Option<String>,
    after: Option<String>,
) {
    let (seq, prev): (i64, String) = conn
        .query_row(
            "SELECT coalesce(max(seq), 0) + 1, coalesce((SELECT hash FROM event ORDER BY seq DESC LIMIT 1), ?1) FROM event",
            [GENESIS],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut bytes = Vec::new();
    for field in [
        seq.to_string().as_str(),
        at,
        "Ada",
        entity,
        &id.to_string(),
        action,
    ] {
        bytes.extend_from_slice(&(field.len() as u64).to_be_bytes());
        bytes.extend_from_slice(field.as_bytes());
    }
    for part in [&before, &after] {
        match part {
            None => bytes.push(0),
            Some(s) => {
                bytes.push(1);
                bytes.extend_from_slice(&(s.len() as u64).to_be_bytes());
                bytes.extend_from_slice(s.as_bytes());
            }
        }
    }
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(&bytes);
    let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    conn.execute(
        "INSERT INTO event (seq, at, actor, entity, entity_id, action, before, after, prev_hash, hash)
         VALUES (?1, ?2, 'Ada', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![seq, at, entity, id.to_string(), action, before, after, prev, hash],
    )
    .unwrap();
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('trail_head', ?1), ('trail_len', ?2)",
        rusqlite::params![hash, seq.to_string()],
    )
    .unwrap();
}

/// Version 1 gave a removed item's id to the next item added, so its trail can
/// name one id twice and its clones copy evidence under reused ids. Such a
/// trail, as version 1 wrote it, replays without a finding before and after
/// migration.
#[test]
fn a_version_1_trail_replays_without_findings() {
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.canary");
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(include_str!(
        "../../src/workbook/migrations/0001_initial.sql"
    ))
    .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let ts = "2025-11-25T12:00:00Z";
    let later = "2025-11-25T13:00:00Z";
    let text = |v: serde_json::Value| Some(v.to_string());
    let item = |id: i64, response: i64, title: &str| {
        json!({"id": id, "response_id": response, "title": title, "kind": "note",
               "blob_hash": null, "file_name": null, "size": null, "media_type": null,
               "url": null, "note": "text", "date": null, "expires": null,
               "added_at": ts, "added_by": "Ada"})
    };
    let assessment = |id: i64, cloned_from: Option<i64>, at: &str| {
        json!({"id": id, "product_id": 1, "label": "v1", "frameworks": ["uk-cop-2018"],
               "state": "draft", "cloned_from": cloned_from, "signoff": null,
               "created_at": at, "updated_at": at})
    };
    let response = |id: i64, a: i64, at: &str| {
        json!({"id": id, "assessment_id": a, "requirement": "uk-cop-2018:1",
               "status": "not_assessed", "statement": "", "justification": "", "owner": "",
               "created_at": at, "updated_at": at})
    };
    conn.execute_batch(&format!(
        "INSERT INTO profile (id, name) VALUES (1, 'Ada');
         INSERT INTO product (id, name, created_at, updated_at) VALUES (1, 'Old plug', '{ts}', '{ts}');
         INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (1, 1, 'v1', '[\"uk-cop-2018\"]', 'draft', '{ts}', '{ts}');
         INSERT INTO response (id, assessment_id, requirement, framework, status, created_at, updated_at)
           VALUES (1, 1, 'uk-cop-2018:1', 'uk-cop-2018', 'not_assessed', '{ts}', '{ts}');
         INSERT INTO evidence (id, response_id, title, kind, note, added_at, added_by)
           VALUES (1, 1, 'kept note', 'note', 'text', '{ts}', 'Ada');
         INSERT INTO assessment (id, product_id, label, frameworks, state, cloned_from, created_at, updated_at)
           VALUES (2, 1, 'v1', '[\"uk-cop-2018\"]', 'draft', 1, '{later}', '{later}');
         INSERT INTO response (id, assessment_id, requirement, framework, status, created_at, updated_at)
           VALUES (2, 2, 'uk-cop-2018:1', 'uk-cop-2018', 'not_assessed', '{later}', '{later}');
         INSERT INTO evidence (id, response_id, title, kind, note, added_at, added_by)
           VALUES (2, 2, 'kept note', 'note', 'text', '{ts}', 'Ada');
         INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (3, 1, 'v1', '[\"uk-cop-2018\"]', 'approved', '{ts}', '{later}');
         INSERT INTO signoff (assessment_id, signatory, function, place, date, signed_at, actor)
           VALUES (3, 'Grace', 'CTO', 'London', '2025-11-25', '{later}', 'Ada');"
    ))
    .unwrap();
    v1_event(
        &conn,
        ts,
        "profile",
        1,
        "create",
        None,
        text(json!({"name": "Ada", "organisation": "", "role": ""})),
    );
    v1_event(
        &conn,
        ts,
        "product",
        1,
        "create",
        None,
        text(json!({
        "id": 1, "name": "Old plug", "model": "", "product_type": "", "batch": "",
        "manufacturer": {"name": "", "address": ""}, "support_end": null, "roles": [],
        "markets": [], "created_at": ts, "updated_at": ts})),
    );
    v1_event(
        &conn,
        ts,
        "assessment",
        1,
        "create",
        None,
        text(assessment(1, None, ts)),
    );
    v1_event(
        &conn,
        ts,
        "response",
        1,
        "create",
        None,
        text(response(1, 1, ts)),
    );
    v1_event(
        &conn,
        ts,
        "evidence",
        1,
        "create",
        None,
        text(item(1, 1, "kept note")),
    );
    // Item 2 is added and removed twice: version 1 gave its id out again.
    for title in ["first 2", "second 2"] {
        v1_event(
            &conn,
            ts,
            "evidence",
            2,
            "create",
            None,
            text(item(2, 1, title)),
        );
        v1_event(
            &conn,
            ts,
            "evidence",
            2,
            "delete",
            text(item(2, 1, title)),
            None,
        );
    }
    // The clone copied item 1 under id 2 (largest id + 1), not 3.
    v1_event(
        &conn,
        later,
        "assessment",
        2,
        "clone",
        text(assessment(1, None, ts)),
        text(assessment(2, Some(1), later)),
    );
    // Assessment 3 goes through review and is signed; version 1's sign event
    // records neither the trail head nor the product (migration 3 fills them in).
    let stage = |state: &str, updated: &str, signoff: serde_json::Value| {
        json!({"id": 3, "product_id": 1, "label": "v1", "frameworks": ["uk-cop-2018"],
               "state": state, "cloned_from": null, "signoff": signoff,
               "created_at": ts, "updated_at": updated})
    };
    v1_event(
        &conn,
        ts,
        "assessment",
        3,
        "create",
        None,
        text(stage("draft", ts, json!(null))),
    );
    for (action, from, to) in [
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("approve", "in_review", "approved"),
    ] {
        let (before, after) = (stage(from, ts, json!(null)), stage(to, ts, json!(null)));
        v1_event(
            &conn,
            ts,
            "assessment",
            3,
            action,
            text(before),
            text(after),
        );
    }
    let signoff = json!({"signatory": "Grace", "function": "CTO", "place": "London",
                         "date": "2025-11-25", "signed_at": later, "actor": "Ada"});
    v1_event(
        &conn,
        later,
        "assessment",
        3,
        "sign",
        text(stage("approved", ts, json!(null))),
        text(stage("approved", later, signoff)),
    );
    drop(conn);

    let mut wb = Workbook::open(&path).unwrap();
    let signed = wb.assessment(3).unwrap().signoff.unwrap();
    assert!(
        signed.trail_head.is_some() && signed.product.is_some(),
        "{signed:?}"
    );
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:#?}", report.findings);
    assert_eq!(report.events, 15);
    // Migrated: the next item takes an id past every one the trail names.
    let cat = catalogue(&dir.path().join("catalogue"));
    wb.set_actor(Some("Ada".into()));
    assert_eq!(
        wb.add_evidence(&cat, 2, "uk-cop-2018:1", &note("new"))
            .unwrap()
            .id,
        3
    );
    wb.clone_assessment(2, "v2").unwrap();
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:#?}", report.findings);

    // And the replay still sees what the clone copied.
    drop(wb);
    tamper(&path, "UPDATE evidence SET title = 'forged' WHERE id = 2;");
    let (_, _, row) = only_finding(&path);
    assert_eq!(
        row,
        difference(
            "evidence",
            "2",
            Some("title"),
            Some("kept note"),
            Some("forged")
        )
    );
}
