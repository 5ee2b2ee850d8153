//! `verify`: the trail chain, every stored file's SHA-256, SQLite's own
//! integrity and foreign-key checks, and every row against the state the trail
//! describes (see `replay.rs`), reported as named findings.

use super::error::Result;
use super::model::{Finding, VerifyReport};
use super::{acts, evidence, replay, trail, Workbook};

impl Workbook {
    /// Checks everything that can be checked; an empty list of findings means intact.
    pub fn verify(&self) -> Result<VerifyReport> {
        // One read snapshot for every check: a write by another process halfway
        // through must not show up as a mismatch between the trail and its head.
        let snapshot = self.conn.unchecked_transaction()?;
        let report = self.verify_in_snapshot()?;
        snapshot.finish()?;
        Ok(report)
    }

    fn verify_in_snapshot(&self) -> Result<VerifyReport> {
        let mut findings = Vec::new();

        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for msg in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let msg = msg?;
            if msg != "ok" {
                findings.push(Finding::new("integrity_check", "database", msg));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let table: String = r.get(0)?;
            let rowid: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            findings.push(Finding::new(
                "foreign_key_check",
                format!(
                    "{table} row {}",
                    rowid.map_or("?".into(), |i| i.to_string())
                ),
                format!("refers to a missing {parent}"),
            ));
        }

        let (events, trail_findings) = trail::verify(&self.conn)?;
        findings.extend(trail_findings);
        let (blobs, blob_findings) = evidence::verify_blobs(&self.conn)?;
        findings.extend(blob_findings);
        findings.extend(replay::verify(&self.conn)?);
        let acts = acts::verify(&self.conn)?;
        findings.extend(acts.findings);

        Ok(VerifyReport {
            findings,
            events,
            blobs,
            trail_head: self.trail_head()?,
            signed_acts: acts.signed,
            unsigned_acts: acts.unsigned,
            signers: acts.signers,
        })
    }
}
