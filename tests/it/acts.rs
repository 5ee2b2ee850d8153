//! Signed acts on the store: who signs what, what `verify` says of signatures
//! that hold, fail, are cut short, made by another key or missing, and the
//! forger who edits a verdict and recomputes the whole chain without the keys.

use std::path::Path;

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use canary::identity::{Home, Person, Signer};
use canary::workbook::{SignInput, Transition, Verdict, Workbook};

use crate::support::store::{met, product, Fixture};

const PASS: &str = "pw";

fn signer(dir: &Path, name: &str, organisation: &str, role: &str) -> Signer {
    let home = Home::at(dir);
    let person = Person {
        name: name.into(),
        organisation: organisation.into(),
        role: role.into(),
    };
    home.create_key(&person, PASS).unwrap();
    home.signer(PASS).unwrap().unwrap()
}

/// Acts as `name` with the key in their home `dir` from now on.
fn act_as(wb: &mut Workbook, name: &str, dir: &Path) {
    wb.set_actor(Some(name.into()));
    wb.set_signer(Home::at(dir).signer(PASS).unwrap());
}

/// Ada (the team, the fixture's profile) answers and submits, Bob (the auditor)
/// reviews and approves, Ada signs; both with their keys. Returns the assessment.
fn signed_cycle(fx: &Fixture, wb: &mut Workbook) -> i64 {
    let (_, a) = wb
        .add_product_with_assessment(&fx.cat, &product("Cam", "C-1"), "v1", &[])
        .unwrap();
    wb.set_response(&fx.cat, a.id, "uk-cop-2018:1", &met("unique passwords"))
        .unwrap();
    let (ada, bob) = (fx.dir.path().join("ada"), fx.dir.path().join("bob"));
    signer(&ada, "Ada", "Acme", "engineer");
    signer(&bob, "Bob", "Audit Co", "auditor");
    act_as(wb, "Ada", &ada);
    wb.transition(&fx.cat, a.id, Transition::Submit).unwrap();
    act_as(wb, "Bob", &bob);
    wb.review(a.id, "uk-cop-2018:1", Verdict::Accepted, "seen the log")
        .unwrap();
    wb.approve(&fx.cat, a.id, Some("the rest follows in v2"))
        .unwrap();
    act_as(wb, "Ada", &ada);
    wb.sign(
        a.id,
        &SignInput {
            signatory: "Ada".into(),
            function: "CTO".into(),
            place: "Cambridge".into(),
            date: None,
        },
    )
    .unwrap();
    a.id
}

fn findings(path: &Path) -> Vec<String> {
    Workbook::open(path)
        .unwrap()
        .verify()
        .unwrap()
        .findings
        .into_iter()
        .map(|f| format!("{}: {}: {}", f.check, f.subject, f.message))
        .collect()
}

#[test]
fn acts_are_signed_by_their_actors_and_verify() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let a = signed_cycle(&fx, &mut wb);
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    // submit, start_review, the verdict, approve, sign.
    assert_eq!(report.signed_acts, 5);
    assert!(report.unsigned_acts.is_empty());
    let names: Vec<&str> = report.signers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Ada", "Bob"]);
    assert_eq!(report.signers[1].organisation, "Audit Co");

    // Each person's key went into the trail before their first act.
    let log = wb.log(None).unwrap();
    let order: Vec<String> = log
        .iter()
        .map(|e| format!("{} {} {}", e.actor, e.entity, e.action))
        .collect();
    let at = |s: &str| order.iter().position(|o| o == s).unwrap();
    assert_eq!(at("Ada person key") + 1, at("Ada assessment submit"));
    assert_eq!(at("Bob person key") + 1, at("Bob assessment start_review"));
    assert_eq!(order.iter().filter(|o| o.contains("person key")).count(), 2);

    let signoff = wb.signoff_act(a).unwrap().unwrap();
    assert_eq!(signoff.signer.name, "Ada");
    assert_eq!(
        Some(signoff.prev_hash.clone()),
        wb.assessment(a).unwrap().signoff.unwrap().trail_head
    );
    let signers: Vec<String> = wb.signers(a).unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(signers, ["Ada", "Bob"]);
}

#[test]
fn acts_without_a_key_are_recorded_unsigned_as_information() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let (_, a) = wb
        .add_product_with_assessment(&fx.cat, &product("Cam", "C-1"), "v1", &[])
        .unwrap();
    assert!(!wb.signs_acts());
    wb.transition(&fx.cat, a.id, Transition::Submit).unwrap();
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    assert_eq!(report.signed_acts, 0);
    assert_eq!(report.unsigned_acts.len(), 1);
    assert_eq!(report.unsigned_acts[0].action, "submit");
    assert_eq!(report.unsigned_acts[0].actor, "Ada");
    assert_eq!(wb.signoff_act(a.id).unwrap(), None);
}

#[test]
fn someone_who_signed_before_cannot_act_unsigned() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let (_, a) = wb
        .add_product_with_assessment(&fx.cat, &product("Cam", "C-1"), "v1", &[])
        .unwrap();
    wb.set_signer(Some(signer(&fx.dir.path().join("ada"), "Ada", "Acme", "")));
    assert!(wb.signs_acts());
    wb.transition(&fx.cat, a.id, Transition::Submit).unwrap();
    wb.set_signer(None);
    let err = wb
        .transition(&fx.cat, a.id, Transition::StartReview)
        .unwrap_err();
    assert_eq!(err.code(), "signature_required", "{err}");
    assert!(err.to_string().contains("Ada signed earlier acts"), "{err}");
    // Another person without a key may still act, unsigned.
    wb.set_actor(Some("Bob".into()));
    wb.transition(&fx.cat, a.id, Transition::StartReview)
        .unwrap();
    assert!(wb.verify().unwrap().is_ok());
}

/// Runs `sql` past the append-only triggers of the trail and its signatures,
/// which are then put back word for word (a file without them is refused).
pub fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    let triggers: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN
             ('event_no_update', 'event_no_delete', 'act_signature_no_update',
              'act_signature_no_delete', 'signed_review_update')",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(triggers.len(), 5);
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))
            .unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, sql) in triggers {
        conn.execute_batch(&sql).unwrap();
    }
}

/// Recomputes every event's hash and link and the head in `meta`, as anyone who
/// reads `trail.rs` can: all a forger without the private keys can do.
pub fn rechain(path: &Path) {
    let field = |out: &mut Vec<u8>, b: &[u8]| {
        out.extend_from_slice(&(b.len() as u64).to_be_bytes());
        out.extend_from_slice(b);
    };
    let conn = Connection::open(path).unwrap();
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let events: Vec<Row> = conn
        .prepare("SELECT seq, at, actor, entity, entity_id, action, before, after FROM event ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut sql = String::new();
    let mut prev = "0".repeat(64);
    for (seq, at, actor, entity, id, action, before, after) in events {
        let mut bytes = Vec::new();
        for f in [seq.to_string(), at, actor, entity, id, action] {
            field(&mut bytes, f.as_bytes());
        }
        for part in [before, after] {
            match part {
                None => bytes.push(0),
                Some(s) => {
                    bytes.push(1);
                    field(&mut bytes, s.as_bytes());
                }
            }
        }
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(&bytes);
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        sql.push_str(&format!(
            "UPDATE event SET prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq};\n"
        ));
        prev = hash;
    }
    sql.push_str(&format!(
        "UPDATE meta SET value = '{prev}' WHERE key = 'trail_head';\n"
    ));
    drop(conn);
    tamper(path, &sql);
}

#[test]
fn a_forger_who_recomputes_the_chain_breaks_the_signature() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    signed_cycle(&fx, &mut wb);
    drop(wb);
    // Bob accepted with "seen the log"; make it say something else, row and event.
    tamper(
        &fx.path(),
        "UPDATE review SET comment = 'never looked';
         UPDATE event SET after = replace(after, 'seen the log', 'never looked')
           WHERE entity = 'review';",
    );
    let before = findings(&fx.path());
    assert!(
        before.iter().any(|f| f.starts_with("trail_chain")),
        "{before:?}"
    );
    rechain(&fx.path());
    let after = findings(&fx.path());
    // The chain and the rows now agree; only the signatures tell.
    assert!(
        after.iter().all(|f| f.starts_with("signature: ")),
        "{after:?}"
    );
    let review = after
        .iter()
        .find(|f| f.contains("create review"))
        .expect("the verdict's signature is named");
    assert!(
        review.contains("by Bob (key ") && review.contains("does not hold"),
        "{review}"
    );
    // Every signed act after the edit is broken too.
    assert!(
        after.iter().any(|f| f.contains("sign assessment")),
        "{after:?}"
    );
}

#[test]
fn damaged_foreign_and_removed_signatures_are_named() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    signed_cycle(&fx, &mut wb);
    let submit = wb
        .log(None)
        .unwrap()
        .into_iter()
        .find(|e| e.action == "submit")
        .unwrap()
        .seq;
    drop(wb);

    // Cut short: the stored text is no signature any more.
    tamper(
        &fx.path(),
        &format!(
            "UPDATE act_signature SET signature = substr(signature, 1, 90) WHERE seq = {submit}"
        ),
    );
    let f = findings(&fx.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].contains(&format!("event {submit}: the signature of submit")),
        "{f:?}"
    );

    // Another key's signature (Bob's, of the approve event) in its place.
    tamper(
        &fx.path(),
        &format!(
            "UPDATE act_signature SET (key_id, signature) = (SELECT key_id, signature FROM act_signature s
               JOIN event e ON e.seq = s.seq WHERE e.action = 'approve') WHERE seq = {submit}"
        ),
    );
    let f = findings(&fx.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].contains("does not hold") || f[0].contains("signed by key"),
        "{f:?}"
    );

    // Removed: Ada signs since her key was recorded, so this is no old act.
    tamper(
        &fx.path(),
        &format!("DELETE FROM act_signature WHERE seq = {submit}"),
    );
    let f = findings(&fx.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].contains("its signature was removed"), "{f:?}");
}
