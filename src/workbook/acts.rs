//! Signed acts. Submit, every review verdict (with the start of review it may
//! cause), approve, request changes, sign and clone carry their actor's minisign
//! signature over the event's hash, which covers the whole trail before it; the
//! signatures live in `act_signature`, one row per signed event.
//!
//! Before a person's first signed act (and again when their name, organisation or
//! role changed) the trail records a `person` event holding their public key,
//! signed by it. `verify` checks every signature against the key the trail
//! recorded, so whoever edits rows or events and recomputes the chain without the
//! private keys breaks the signatures after the edit. An act without a signature
//! is information (a person without a key, a workbook older than version 6),
//! unless its actor had recorded a key before it: then the signature was removed.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection, OptionalExtension};

use super::error::{Result, WorkbookError};
use super::model::{Event, Finding, KeyHolder, SignedAct, UnsignedAct};
use super::{to_json, trail, Batch, Workbook};
use crate::document::comment;
use crate::identity::{PublicKey, Signature, Signer};

/// The trail entity that records a person's key.
const PERSON: &str = "person";
const RECORD_KEY: &str = "key";
/// The first word of an act signature's trusted comment.
const COMMENT_WORD: &str = "canary-act";

/// Whether the event `action` on `entity` is an act its actor signs.
pub(crate) fn is_act(entity: &str, action: &str) -> bool {
    match entity {
        "assessment" => matches!(
            action,
            "submit" | "start_review" | "approve" | "request_changes" | "sign" | "clone"
        ),
        "review" => matches!(action, "create" | "update"),
        _ => false,
    }
}

fn holder_of(s: &Signer) -> KeyHolder {
    let key = s.key.public();
    KeyHolder {
        name: s.person.name.trim().to_owned(),
        organisation: s.person.organisation.trim().to_owned(),
        role: s.person.role.trim().to_owned(),
        key: key.base64(),
        key_id: key.key_id(),
    }
}

/// The newest record of key `key_id` at or before event `seq`.
fn recorded(conn: &Connection, key_id: &str, seq: i64) -> Result<Option<KeyHolder>> {
    let after: Option<Option<String>> = conn
        .query_row(
            "SELECT after FROM event WHERE entity = ?1 AND entity_id = ?2 AND seq <= ?3
             ORDER BY seq DESC LIMIT 1",
            params![PERSON, key_id, seq],
            |r| r.get(0),
        )
        .optional()?;
    Ok(after.flatten().and_then(|a| serde_json::from_str(&a).ok()))
}

/// A key the trail recorded for a person named `actor`, if any.
fn key_named(conn: &Connection, actor: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT entity_id FROM event WHERE entity = ?1 AND json_extract(after, '$.name') = ?2
             ORDER BY seq LIMIT 1",
            params![PERSON, actor],
            |r| r.get(0),
        )
        .optional()?)
}

impl Batch<'_> {
    /// Readies an act: records the signer's key if the trail does not hold it as
    /// they are now; refuses an unsigned act by someone who signed before.
    pub(crate) fn before_act(&self) -> Result<()> {
        let Some(signer) = self.signer else {
            return match key_named(&self.tx, &self.actor)? {
                Some(key_id) => Err(WorkbookError::SignatureRequired {
                    actor: self.actor.clone(),
                    key_id,
                }),
                None => Ok(()),
            };
        };
        let holder = holder_of(signer);
        if recorded(&self.tx, &holder.key_id, i64::MAX)?.as_ref() == Some(&holder) {
            return Ok(());
        }
        let event = trail::append(
            &self.tx,
            &self.actor,
            &self.now,
            trail::Change {
                entity: PERSON,
                entity_id: holder.key_id.clone(),
                action: RECORD_KEY,
                before: None,
                after: Some(to_json(&holder)),
            },
        )?;
        sign(&self.tx, signer, &event)
    }
}

/// Signs `event` (its hash) as `signer` and stores the signature.
pub(crate) fn sign(conn: &Connection, signer: &Signer, event: &Event) -> Result<()> {
    let comment = comment::line(
        COMMENT_WORD,
        &[
            ("seq", &event.seq.to_string()),
            ("action", &event.action),
            ("entity", &event.entity),
            ("id", &event.entity_id),
            ("actor", &event.actor),
            ("prev", &event.prev_hash),
        ],
    );
    let text = signer.key.sign(event.hash.as_bytes(), &comment)?;
    conn.execute(
        "INSERT INTO act_signature (seq, key_id, signature) VALUES (?1, ?2, ?3)",
        params![event.seq, signer.key.public().key_id(), text],
    )?;
    Ok(())
}

/// Whether `text` is a signature by `key` of `hash`.
pub(crate) fn check_signature(
    text: &str,
    key: &PublicKey,
    hash: &str,
) -> std::result::Result<(), String> {
    let sig = Signature::parse(text).map_err(|e| e.to_string())?;
    if sig.key_id() != key.key_id() {
        return Err(format!("it was made by key {}", sig.key_id()));
    }
    sig.verify(key, hash.as_bytes()).map_err(|e| e.to_string())
}

/// What `verify` learns from the signatures.
#[derive(Default)]
pub(crate) struct ActsCheck {
    pub signed: u64,
    pub unsigned: Vec<UnsignedAct>,
    pub signers: Vec<KeyHolder>,
    pub findings: Vec<Finding>,
}

/// Checks every signature against the key the trail recorded before it.
pub(crate) fn verify(conn: &Connection) -> Result<ActsCheck> {
    let mut signatures: BTreeMap<i64, (String, String)> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT seq, key_id, signature FROM act_signature")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        signatures.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
    }
    let mut out = ActsCheck::default();
    // Keys as recorded so far, and the first key and event of each name.
    let mut keys: HashMap<String, (KeyHolder, PublicKey)> = HashMap::new();
    let mut named: HashMap<String, (String, i64)> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM event ORDER BY seq",
        trail::EVENT_COLUMNS
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let e = trail::row_to_event(r)?;
        let stored = signatures.remove(&e.seq);
        let act = is_act(&e.entity, &e.action);
        let mut finding = |message: String| {
            out.findings.push(Finding::new(
                "signature",
                format!("event {}", e.seq),
                message,
            ))
        };
        // A person event is checked with the key it records.
        let introduced = if e.entity == PERSON {
            match introduced_key(&e) {
                Ok(k) => Some(k),
                Err(why) => {
                    finding(format!("records a key that cannot be read: {why}"));
                    None
                }
            }
        } else {
            None
        };
        let Some((key_id, text)) = stored else {
            if e.entity == PERSON {
                finding(format!(
                    "records key {} of {} without the key's signature",
                    e.entity_id, e.actor
                ));
            } else if let (true, Some((key_id, since))) = (act, named.get(&e.actor)) {
                finding(format!(
                    "{} {} {} by {} has no signature, but {} signs with key {key_id} since event {since}: its signature was removed",
                    e.action, e.entity, e.entity_id, e.actor, e.actor
                ));
            } else if act {
                out.unsigned.push(UnsignedAct {
                    seq: e.seq,
                    entity: e.entity.clone(),
                    entity_id: e.entity_id.clone(),
                    action: e.action.clone(),
                    actor: e.actor.clone(),
                });
            }
            continue;
        };
        let key = introduced
            .as_ref()
            .filter(|(h, _)| h.key_id == key_id)
            .or_else(|| keys.get(&key_id));
        let Some((holder, key)) = key else {
            finding(format!(
                "{} {} {} by {} is signed by key {key_id}, which the trail never recorded",
                e.action, e.entity, e.entity_id, e.actor
            ));
            continue;
        };
        if let Err(why) = check_signature(&text, key, &trail::event_hash(&e)) {
            finding(format!(
                "the signature of {} {} {} by {} (key {key_id}) does not hold: the event or the trail before it changed after it was signed ({why})",
                e.action, e.entity, e.entity_id, e.actor
            ));
            continue;
        }
        if holder.name != e.actor {
            finding(format!(
                "{} {} {} is recorded as {} but signed by key {key_id} of {}",
                e.action, e.entity, e.entity_id, e.actor, holder.name
            ));
            continue;
        }
        if act {
            out.signed += 1;
        }
        if let Some((h, k)) = introduced {
            named
                .entry(h.name.clone())
                .or_insert((h.key_id.clone(), e.seq));
            out.signers.retain(|s| s.key_id != h.key_id);
            out.signers.push(h.clone());
            keys.insert(h.key_id.clone(), (h, k));
        }
    }
    for seq in signatures.keys() {
        out.findings.push(Finding::new(
            "signature",
            format!("act_signature {seq}"),
            format!("a signature of event {seq}, which the trail does not hold"),
        ));
    }
    Ok(out)
}

/// The key a `person` event records, consistent with the id it names.
fn introduced_key(e: &Event) -> std::result::Result<(KeyHolder, PublicKey), String> {
    let holder: KeyHolder = serde_json::from_str(e.after.as_deref().unwrap_or(""))
        .map_err(|err| format!("its after-image is not a person ({err})"))?;
    let key = PublicKey::parse(&holder.key).map_err(|err| err.to_string())?;
    if key.key_id() != holder.key_id || holder.key_id != e.entity_id {
        return Err(format!(
            "it names key {} but holds key {}",
            e.entity_id,
            key.key_id()
        ));
    }
    Ok((holder, key))
}

impl Workbook {
    /// The signed sign-off of `assessment`: the sign event and its signature.
    pub fn signoff_act(&self, assessment: i64) -> Result<Option<SignedAct>> {
        let found = self
            .conn
            .query_row(
                "SELECT e.seq, e.hash, e.prev_hash, s.key_id, s.signature FROM event e
                 JOIN act_signature s ON s.seq = e.seq
                 WHERE e.entity = 'assessment' AND e.action = 'sign' AND e.entity_id = ?1
                 ORDER BY e.seq DESC LIMIT 1",
                [assessment.to_string()],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((seq, event_hash, prev_hash, key_id, signature)) = found else {
            return Ok(None);
        };
        let Some(signer) = recorded(&self.conn, &key_id, seq)? else {
            return Ok(None);
        };
        Ok(Some(SignedAct {
            seq,
            entity: "assessment".into(),
            entity_id: assessment.to_string(),
            action: "sign".into(),
            event_hash,
            prev_hash,
            signer,
            signature,
        }))
    }

    /// Everyone whose key signed an act on `assessment` (its submission, review,
    /// approval, sign-off, or the clone that made it), as the trail recorded them.
    pub fn signers(&self, assessment: i64) -> Result<Vec<KeyHolder>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.key_id, max(e.seq) FROM act_signature s JOIN event e ON e.seq = s.seq
             WHERE (e.entity = 'assessment' AND e.entity_id = ?1)
                OR (e.entity = 'review' AND e.entity_id IN
                    (SELECT CAST(id AS TEXT) FROM response WHERE assessment_id = ?2))
             GROUP BY s.key_id ORDER BY min(e.seq)",
        )?;
        let keys = stmt
            .query_map(params![assessment.to_string(), assessment], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for (key_id, seq) in keys {
            if let Some(h) = recorded(&self.conn, &key_id, seq)? {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// Whether the acts of the next write will be signed: a signer is set and is
    /// the actor.
    pub fn signs_acts(&self) -> bool {
        match (&self.signer, self.actor()) {
            (Some(s), Ok(actor)) => s.person.name.trim() == actor,
            _ => false,
        }
    }
}

/// The parts of an act signature's trusted comment.
pub(crate) fn act_comment(text: &str) -> BTreeMap<String, String> {
    Signature::parse(text)
        .map(|s| comment::parse_after(COMMENT_WORD, s.trusted_comment()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{Home, Person};

    fn signer(dir: &std::path::Path, name: &str) -> Signer {
        let home = Home::at(dir);
        let person = Person {
            name: name.into(),
            organisation: "Acme".into(),
            role: String::new(),
        };
        home.create_key(&person, "pw").unwrap();
        home.signer("pw").unwrap().unwrap()
    }

    #[test]
    fn an_act_signature_holds_for_its_hash_and_key_only() {
        let tmp = tempfile::tempdir().unwrap();
        let ada = signer(&tmp.path().join("a"), "Ada");
        let bob = signer(&tmp.path().join("b"), "Bob");
        let hash = "ab".repeat(32);
        let text = ada
            .key
            .sign(hash.as_bytes(), "canary-act seq=\"1\"")
            .unwrap();
        check_signature(&text, ada.key.public(), &hash).unwrap();

        let mut altered = hash.clone().into_bytes();
        altered[10] = b'c';
        let altered = String::from_utf8(altered).unwrap();
        assert!(check_signature(&text, ada.key.public(), &altered).is_err());

        let wrong = check_signature(&text, bob.key.public(), &hash).unwrap_err();
        assert!(wrong.contains("made by key"), "{wrong}");

        for cut in [0, 20, text.len() / 2, text.len() - 10] {
            assert!(
                check_signature(&text[..cut], ada.key.public(), &hash).is_err(),
                "cut at {cut}"
            );
        }
        assert!(check_signature("", ada.key.public(), &hash).is_err());
    }

    #[test]
    fn acts_are_the_review_cycle_and_clone() {
        for (entity, action) in [
            ("assessment", "submit"),
            ("assessment", "approve"),
            ("assessment", "request_changes"),
            ("assessment", "sign"),
            ("assessment", "clone"),
            ("review", "create"),
            ("review", "update"),
        ] {
            assert!(is_act(entity, action), "{entity} {action}");
        }
        for (entity, action) in [
            ("assessment", "create"),
            ("assessment", "frameworks"),
            ("response", "update"),
            ("person", "key"),
        ] {
            assert!(!is_act(entity, action), "{entity} {action}");
        }
    }
}
