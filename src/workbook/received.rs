//! Received documents (the retailer's register): a report PDF and its detached
//! signature, stored in `blob` by SHA-256 as evidence files are, and what the
//! document claimed and how its signature stood when it arrived. Whether a
//! document may be received is decided before it gets here (`crate::received`);
//! this stores it, once per PDF content, and records the receipt on the trail.
//! A document removed from the register leaves its row (recorded on the trail
//! with the row as it was); its stored files stay, as the trail names them, and
//! its id is never given to another document.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::{Result, WorkbookError};
use super::model::str_enum;
use super::{to_json, trail, Batch, Workbook};
use crate::document::{CanaryLine, FrameworkCount};

str_enum! {
    /// A received document's detached signature. Only `valid` and `unsigned`
    /// are ever stored (an invalid one is refused); `invalid` is what a stored
    /// copy checked again shows when it no longer matches its signature.
    SignatureStatus { Valid = "valid", Invalid = "invalid", Unsigned = "unsigned" }
}

str_enum! {
    /// What the receiver's trusted keys said of the signing key.
    KeyTrust {
        Own = "own",
        Trusted = "trusted",
        Untrusted = "untrusted",
        /// The document's organisation is pinned to other keys.
        OtherKeyPinned = "other_key_pinned",
        /// No signature, so no key.
        None = "none",
    }
}

impl KeyTrust {
    /// The person's own key or one they trust.
    pub fn is_trusted(self) -> bool {
        matches!(self, KeyTrust::Own | KeyTrust::Trusted)
    }
}

/// One received document, as stored (the `received` table, column for column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceivedDocument {
    pub id: i64,
    /// The file's name when it arrived.
    pub file_name: String,
    pub pdf_hash: String,
    pub pdf_size: u64,
    /// The stored `.minisig`; none for an unsigned document.
    pub signature_hash: Option<String>,
    /// `attestation`, `psti-statement` or `mapping`.
    pub kind: String,
    pub manufacturer: String,
    pub product: Option<String>,
    pub model: Option<String>,
    pub support_period_end: Option<String>,
    pub report_date: String,
    pub trail_head: Option<String>,
    pub canaries: Vec<CanaryLine>,
    pub frameworks: Vec<FrameworkCount>,
    /// Who signed the assessment off, per the attached manifest.
    pub signatory: Option<String>,
    pub signatory_function: Option<String>,
    pub signature: SignatureStatus,
    pub key_id: Option<String>,
    /// minisign's `RW…` form of the signing key.
    pub public_key: Option<String>,
    /// The signer and organisation the signature's trusted comment names.
    pub signer: Option<String>,
    pub signer_organisation: Option<String>,
    pub trust_at_receipt: KeyTrust,
    pub received_at: String,
    pub received_by: String,
}

/// What storing a received document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Added(ReceivedDocument),
    /// The same PDF (by SHA-256) was received before; nothing changed.
    AlreadyHeld(ReceivedDocument),
}

const COLUMNS: &str = "id, file_name, pdf_hash, pdf_size, signature_hash, kind, manufacturer, \
     product, model, support_period_end, report_date, trail_head, canaries, frameworks, \
     signatory, signatory_function, signature, key_id, public_key, signer, signer_organisation, \
     trust_at_receipt, received_at, received_by";

/// A JSON list column.
fn json_column<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReceivedDocument> {
    let word = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let bad = |i: usize, s: &str| super::assessments::bad_text(i, s);
    let signature = word(16)?;
    let trust = word(21)?;
    Ok(ReceivedDocument {
        id: r.get(0)?,
        file_name: r.get(1)?,
        pdf_hash: r.get(2)?,
        pdf_size: r.get::<_, i64>(3)? as u64,
        signature_hash: r.get(4)?,
        kind: r.get(5)?,
        manufacturer: r.get(6)?,
        product: r.get(7)?,
        model: r.get(8)?,
        support_period_end: r.get(9)?,
        report_date: r.get(10)?,
        trail_head: r.get(11)?,
        canaries: json_column(r, 12)?,
        frameworks: json_column(r, 13)?,
        signatory: r.get(14)?,
        signatory_function: r.get(15)?,
        signature: SignatureStatus::parse(&signature).ok_or_else(|| bad(16, &signature))?,
        key_id: r.get(17)?,
        public_key: r.get(18)?,
        signer: r.get(19)?,
        signer_organisation: r.get(20)?,
        trust_at_receipt: KeyTrust::parse(&trust).ok_or_else(|| bad(21, &trust))?,
        received_at: r.get(22)?,
        received_by: r.get(23)?,
    })
}

fn held(conn: &rusqlite::Connection, pdf_hash: &str) -> Result<Option<ReceivedDocument>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM received WHERE pdf_hash = ?1"),
            [pdf_hash],
            from_row,
        )
        .optional()?)
}

impl Batch<'_> {
    /// Stores `pdf` and its `signature` (the `.minisig` text as checked) and
    /// records `doc` as received now by the actor. `doc`'s id, hashes, sizes and
    /// receipt fields are filled in here. The same PDF received before is not
    /// stored again.
    pub fn receive(
        &self,
        doc: &ReceivedDocument,
        pdf: &[u8],
        signature: Option<&[u8]>,
    ) -> Result<Stored> {
        let pdf_blob = self.store_bytes(pdf)?;
        if let Some(existing) = held(&self.tx, &pdf_blob.hash)? {
            return Ok(Stored::AlreadyHeld(existing));
        }
        let signature_hash = match signature {
            Some(bytes) => Some(self.store_bytes(bytes)?.hash),
            None => None,
        };
        let mut d = doc.clone();
        d.pdf_hash = pdf_blob.hash;
        d.pdf_size = pdf_blob.size;
        d.signature_hash = signature_hash;
        d.received_at = self.now.clone();
        d.received_by = self.actor.clone();
        d.id = next_id(&self.tx)?;
        self.tx.execute(
            "INSERT INTO received (id, file_name, pdf_hash, pdf_size, signature_hash, kind,
               manufacturer, product, model, support_period_end, report_date, trail_head, canaries,
               frameworks, signatory, signatory_function, signature, key_id, public_key, signer,
               signer_organisation, trust_at_receipt, received_at, received_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
               ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
            params![
                d.id,
                d.file_name,
                d.pdf_hash,
                d.pdf_size as i64,
                d.signature_hash,
                d.kind,
                d.manufacturer,
                d.product,
                d.model,
                d.support_period_end,
                d.report_date,
                d.trail_head,
                to_json(&d.canaries),
                to_json(&d.frameworks),
                d.signatory,
                d.signatory_function,
                d.signature.as_str(),
                d.key_id,
                d.public_key,
                d.signer,
                d.signer_organisation,
                d.trust_at_receipt.as_str(),
                d.received_at,
                d.received_by,
            ],
        )?;
        self.record(trail::Change {
            entity: "received",
            entity_id: d.id.to_string(),
            action: "receive",
            before: None,
            after: Some(to_json(&d)),
        })?;
        Ok(Stored::Added(d))
    }

    /// Removes document `id` from the register and records it on the trail as it
    /// was. Its stored PDF and signature stay: the trail's `store` events name them.
    pub fn remove_received(&self, id: i64) -> Result<ReceivedDocument> {
        let doc = self
            .tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM received WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?
            .ok_or(WorkbookError::ReceivedNotFound(id))?;
        self.tx
            .execute("DELETE FROM received WHERE id = ?1", [id])?;
        self.record(trail::Change {
            entity: "received",
            entity_id: id.to_string(),
            action: "delete",
            before: Some(to_json(&doc)),
            after: None,
        })?;
        Ok(doc)
    }
}

/// The id of the next received document: past every id the register or its trail
/// ever used, so a removed document's number never comes to name another one.
fn next_id(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT max(
           (SELECT coalesce(max(id), 0) FROM received),
           (SELECT coalesce(max(CAST(entity_id AS INTEGER)), 0) FROM event WHERE entity = 'received')
         ) + 1",
        [],
        |r| r.get(0),
    )?)
}

impl Workbook {
    /// See [`Batch::receive`].
    pub fn receive(
        &mut self,
        doc: &ReceivedDocument,
        pdf: &[u8],
        signature: Option<&[u8]>,
    ) -> Result<Stored> {
        self.batch(|b| b.receive(doc, pdf, signature))
    }

    /// See [`Batch::remove_received`].
    pub fn remove_received(&mut self, id: i64) -> Result<ReceivedDocument> {
        self.batch(|b| b.remove_received(id))
    }

    /// Every received document, in the order it arrived.
    pub fn received_documents(&self) -> Result<Vec<ReceivedDocument>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM received ORDER BY id"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn received_document(&self, id: i64) -> Result<ReceivedDocument> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM received WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?
            .ok_or(WorkbookError::ReceivedNotFound(id))
    }

    /// A stored file's bytes, for files small enough to hold (a received PDF).
    pub fn blob_bytes(&self, hash: &str) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.read_blob(hash, &mut out)?;
        Ok(out)
    }
}
