//! The trail: every change appends an event whose hash chains to the one before,
//! `hash = sha256(prev_hash || canonical event bytes)`. The head hash and the
//! event count are also kept in `meta`, so dropping the newest events shows too.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::error::Result;
use super::model::{Event, Finding};
use crate::digest::hex;

/// `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A change about to be recorded.
pub(crate) struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The bytes an event's hash covers: every field length-prefixed, so no two
/// different events serialise alike.
fn canonical(e: &Event) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut field = |b: &[u8]| {
        out.extend_from_slice(&(b.len() as u64).to_be_bytes());
        out.extend_from_slice(b);
    };
    field(e.seq.to_string().as_bytes());
    field(e.at.as_bytes());
    field(e.actor.as_bytes());
    field(e.entity.as_bytes());
    field(e.entity_id.as_bytes());
    field(e.action.as_bytes());
    for part in [&e.before, &e.after] {
        match part {
            None => out.push(0),
            Some(s) => {
                out.push(1);
                out.extend_from_slice(&(s.len() as u64).to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        }
    }
    out
}

pub(crate) fn event_hash(e: &Event) -> String {
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    h.update(canonical(e));
    hex(&h.finalize())
}

/// The hash of the newest event, or [`GENESIS`] for an empty trail.
pub(crate) fn head(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT hash FROM event ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned()))
}

/// Appends one event inside the caller's write transaction.
pub(crate) fn append(
    conn: &Connection,
    actor: &str,
    at: &str,
    change: Change<'_>,
) -> Result<Event> {
    let (last_seq, prev_hash): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_owned()));
    let mut event = Event {
        seq: last_seq + 1,
        at: at.to_owned(),
        actor: actor.to_owned(),
        entity: change.entity.to_owned(),
        entity_id: change.entity_id,
        action: change.action.to_owned(),
        before: change.before,
        after: change.after,
        prev_hash,
        hash: String::new(),
    };
    event.hash = event_hash(&event);
    conn.execute(
        "INSERT INTO event (seq, at, actor, entity, entity_id, action, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            event.seq,
            event.at,
            event.actor,
            event.entity,
            event.entity_id,
            event.action,
            event.before,
            event.after,
            event.prev_hash,
            event.hash
        ],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('trail_head', ?1), ('trail_len', ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![event.hash, event.seq.to_string()],
    )?;
    Ok(event)
}

pub(crate) fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

pub(crate) const EVENT_COLUMNS: &str =
    "seq, at, actor, entity, entity_id, action, before, after, prev_hash, hash";

/// Walks the chain: recomputes every hash, checks each link and the sequence, and
/// compares the end with the head kept in `meta`. Returns (events, findings).
pub(crate) fn verify(conn: &Connection) -> Result<(u64, Vec<Finding>)> {
    let mut findings = Vec::new();
    let mut finding = |subject: String, message: String, check: &str| {
        findings.push(Finding::new(check, subject, message))
    };
    let mut stmt = conn.prepare(&format!("SELECT {EVENT_COLUMNS} FROM event ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0u64;
    while let Some(row) = rows.next()? {
        let e = row_to_event(row)?;
        count += 1;
        let subject = format!("event {}", e.seq);
        if e.seq != expected_seq {
            finding(
                subject.clone(),
                format!("expected event {expected_seq} here: events are missing or out of order"),
                "trail_chain",
            );
        }
        if e.prev_hash != prev {
            finding(
                subject.clone(),
                "does not link to the event before it (an event was removed, inserted or reordered)".into(),
                "trail_chain",
            );
        }
        if event_hash(&e) != e.hash {
            finding(
                subject,
                "its content does not match its hash (the event was edited)".into(),
                "trail_chain",
            );
        }
        prev = e.hash;
        expected_seq = e.seq + 1;
    }
    let meta = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    let head = meta("trail_head")?.unwrap_or_else(|| GENESIS.to_owned());
    let len = meta("trail_len")?.unwrap_or_else(|| "0".to_owned());
    if head != prev || len != count.to_string() {
        finding(
            "trail head".into(),
            format!("the trail ends at {prev} after {count} events but the workbook recorded {head} after {len} (events were removed or added)"),
            "trail_head",
        );
    }
    Ok((count, findings))
}
