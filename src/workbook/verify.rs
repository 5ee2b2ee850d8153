//! `verify`: the trail chain, every stored file's SHA-256, SQLite's own
//! integrity and foreign-key checks, and every row against the state the trail
//! describes (see `replay.rs`), reported as named findings.

use super::error::{Result, WorkbookError};
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

        // A check that cannot read what it checks (a damaged file, text that is
        // not UTF-8) is itself a finding: the other checks still run and report.
        let (events, trail_findings) =
            trail::verify(&self.conn).unwrap_or_else(|e| (0, vec![unreadable("trail", &e)]));
        findings.extend(trail_findings);
        let (blobs, blob_findings) = evidence::verify_blobs(&self.conn)
            .unwrap_or_else(|e| (0, vec![unreadable("stored files", &e)]));
        findings.extend(blob_findings);
        match replay::verify(&self.conn) {
            Ok(f) => findings.extend(f),
            Err(e) => findings.push(unreadable("rows", &e)),
        }
        let (signed_acts, unsigned_acts, signers) = match acts::verify(&self.conn) {
            Ok(acts) => {
                findings.extend(acts.findings);
                (acts.signed, acts.unsigned, acts.signers)
            }
            Err(e) => {
                findings.push(unreadable("signed acts", &e));
                (0, Vec::new(), Vec::new())
            }
        };
        let trail_head = self.trail_head().unwrap_or_else(|e| {
            findings.push(unreadable("trail head", &e));
            String::new()
        });

        Ok(VerifyReport {
            findings,
            events,
            blobs,
            trail_head,
            signed_acts,
            unsigned_acts,
            signers,
        })
    }
}

fn unreadable(part: &str, e: &WorkbookError) -> Finding {
    Finding::new("unreadable", part, format!("could not be checked: {e}"))
}
