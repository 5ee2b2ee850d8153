//! The retailer's register: report PDFs received from others, checked exactly as
//! `canary check` checks them ([`document::check`]), kept in the workbook with
//! their signatures, and listed with what each claims and how far it can be
//! relied on.
//!
//! The rule of receipt: a document whose manifest cannot be read, or whose
//! signature does not hold (altered since it was signed, unreadable, made by
//! another key than it names), is refused with the reason and nothing is stored.
//! An unsigned document is kept and marked unsigned. A validly signed one is kept
//! whatever its key's trust, which is recorded and shown; the same PDF (by
//! SHA-256) received again is not stored twice.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::catalogue::Catalogue;
use crate::document::{self, CanaryLine, Check, SignatureState};
use crate::identity::{
    named_organisations, Home, IdentityError, PublicKey, TrustStore, TrustVerdict, TrustedKey,
};
use crate::workbook::{
    KeyTrust, ReceivedDocument, SignatureStatus, Stored, Workbook, WorkbookError,
};

#[derive(Debug, thiserror::Error)]
pub enum ReceivedError {
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error("received document {0} is not signed: there is no key to trust")]
    Unsigned(i64),
    #[error("received document {id}'s stored signing key cannot be read: {reason}")]
    BadStoredKey { id: i64, reason: String },
}

impl ReceivedError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            ReceivedError::Workbook(e) => e.code(),
            ReceivedError::Identity(_) => "identity",
            ReceivedError::Unsigned(_) => "unsigned",
            ReceivedError::BadStoredKey { .. } => "bad_stored_key",
        }
    }
}

/// What the receiver trusts: their trusted keys and their own key.
#[derive(Debug, Clone, Copy)]
pub struct Receiver<'a> {
    pub catalogue: &'a Catalogue,
    pub trusted: &'a TrustStore,
    pub own: Option<&'a PublicKey>,
}

/// How near the end of a product's support period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SupportFlag {
    /// The end is before today.
    Past,
    /// It ends within 12 months of today.
    Soon,
    Later,
    /// No end, or not a date.
    Unknown,
}

/// One line of the register, as `received list` and the Received screen show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisterRow {
    pub id: i64,
    pub file_name: String,
    pub manufacturer: String,
    pub product: Option<String>,
    pub model: Option<String>,
    pub kind: String,
    pub canaries: Vec<CanaryLine>,
    pub support_period_end: Option<String>,
    pub support: SupportFlag,
    pub signer: Option<String>,
    pub signer_organisation: Option<String>,
    pub key_id: Option<String>,
    /// As checked on receipt.
    pub signature: SignatureStatus,
    /// The key as your trusted keys judge it now.
    pub trust: KeyTrust,
    pub trusted: bool,
    /// The name you trust the key under.
    pub trusted_as: Option<String>,
    pub trust_at_receipt: KeyTrust,
    pub report_date: String,
    pub received_at: String,
}

/// One document in full, with its signature checked again on the stored copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceivedDetail {
    pub document: ReceivedDocument,
    pub row: RegisterRow,
    /// The stored PDF against the stored signature, now.
    pub signature_now: SignatureStatus,
    /// Why the stored copy no longer passes, or what the trust check flags.
    pub problem_now: Option<String>,
}

/// What receiving one file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Receipt {
    Added {
        file: String,
        row: RegisterRow,
        /// Kept, but to be read with care: unsigned, or a key you do not trust.
        warning: Option<String>,
    },
    /// The same PDF was received before (as `row`); nothing changed.
    AlreadyHeld {
        file: String,
        row: RegisterRow,
    },
    Refused {
        file: String,
        reason: String,
    },
}

impl Receipt {
    pub fn refused(&self) -> bool {
        matches!(self, Receipt::Refused { .. })
    }
}

/// `YYYY-MM-DD` a year after `today` (28 February for 29 February).
fn a_year_after(today: &str) -> Option<String> {
    let year: i32 = today.get(0..4)?.parse().ok()?;
    let rest = today.get(4..)?;
    let rest = if rest == "-02-29" { "-02-28" } else { rest };
    Some(format!("{:04}{rest}", year + 1))
}

/// How near `end` is to `today` (both `YYYY-MM-DD`; ISO dates order as text).
pub fn support_flag(end: Option<&str>, today: &str) -> SupportFlag {
    let Some(end) = end.and_then(|e| crate::workbook::parse_date("support_period_end", e).ok())
    else {
        return SupportFlag::Unknown;
    };
    if end.as_str() < today {
        SupportFlag::Past
    } else if a_year_after(today).is_some_and(|limit| end <= limit) {
        SupportFlag::Soon
    } else {
        SupportFlag::Later
    }
}

fn key_trust(v: &TrustVerdict) -> (KeyTrust, Option<String>) {
    match v {
        TrustVerdict::Own => (KeyTrust::Own, None),
        TrustVerdict::Trusted { name, .. } => (KeyTrust::Trusted, Some(name.clone())),
        TrustVerdict::Untrusted => (KeyTrust::Untrusted, None),
        TrustVerdict::OtherKeyPinned { .. } => (KeyTrust::OtherKeyPinned, None),
    }
}

impl Receiver<'_> {
    /// The trust your keys give `doc`'s signing key now.
    fn judge(&self, doc: &ReceivedDocument) -> (KeyTrust, Option<String>) {
        let Some(key) = doc
            .public_key
            .as_deref()
            .and_then(|k| PublicKey::parse(k).ok())
        else {
            return (KeyTrust::None, None);
        };
        let organisations =
            named_organisations(doc.signer_organisation.as_deref(), Some(&doc.manufacturer));
        key_trust(&self.trusted.judge(&key, self.own, &organisations))
    }

    fn row(&self, doc: &ReceivedDocument, today: &str) -> RegisterRow {
        let (trust, trusted_as) = self.judge(doc);
        RegisterRow {
            id: doc.id,
            file_name: doc.file_name.clone(),
            manufacturer: doc.manufacturer.clone(),
            product: doc.product.clone(),
            model: doc.model.clone(),
            kind: doc.kind.clone(),
            canaries: doc.canaries.clone(),
            support_period_end: doc.support_period_end.clone(),
            support: support_flag(doc.support_period_end.as_deref(), today),
            signer: doc.signer.clone(),
            signer_organisation: doc.signer_organisation.clone(),
            key_id: doc.key_id.clone(),
            signature: doc.signature,
            trust,
            trusted: trust.is_trusted(),
            trusted_as,
            trust_at_receipt: doc.trust_at_receipt,
            report_date: doc.report_date.clone(),
            received_at: doc.received_at.clone(),
        }
    }

    /// Reads `file` and its signature (`sig`, else `FILE.minisig` beside it) and
    /// receives them. Never fails: whatever goes wrong is the file's refusal.
    pub fn receive_file(&self, wb: &mut Workbook, file: &Path, sig: Option<&Path>) -> Receipt {
        let shown = file.display().to_string();
        let files = match document::read_files(file, sig) {
            Ok(f) => f,
            Err(e) => {
                return Receipt::Refused {
                    file: shown,
                    reason: e.to_string(),
                }
            }
        };
        let name = file
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        self.receive(wb, &shown, &name, &files.pdf, files.signature.as_deref())
    }

    /// Checks `pdf` against its signature text and stores what may be received.
    /// `shown` names the file in the receipt; `file_name` is what is stored.
    pub fn receive(
        &self,
        wb: &mut Workbook,
        shown: &str,
        file_name: &str,
        pdf: &[u8],
        signature: Option<&str>,
    ) -> Receipt {
        let check = document::check(pdf, signature, self.catalogue, self.trusted, self.own);
        let refused = |reason: String| Receipt::Refused {
            file: shown.to_owned(),
            reason,
        };
        let doc = match admit(&check, file_name) {
            Ok(d) => d,
            Err(reason) => return refused(reason),
        };
        let signature = signature.filter(|_| doc.signature == SignatureStatus::Valid);
        let today = wb.today();
        match wb.receive(&doc, pdf, signature.map(str::as_bytes)) {
            Ok(Stored::Added(d)) => Receipt::Added {
                file: shown.to_owned(),
                warning: warning(&check),
                row: self.row(&d, &today),
            },
            Ok(Stored::AlreadyHeld(d)) => Receipt::AlreadyHeld {
                file: shown.to_owned(),
                row: self.row(&d, &today),
            },
            Err(e) => refused(e.to_string()),
        }
    }

    /// The register, one row per document in the order they arrived.
    pub fn register(&self, wb: &Workbook) -> Result<Vec<RegisterRow>, ReceivedError> {
        let today = wb.today();
        Ok(wb
            .received_documents()?
            .iter()
            .map(|d| self.row(d, &today))
            .collect())
    }

    /// One document, its stored copy checked again against its stored signature.
    pub fn detail(&self, wb: &Workbook, id: i64) -> Result<ReceivedDetail, ReceivedError> {
        let doc = wb.received_document(id)?;
        let pdf = wb.blob_bytes(&doc.pdf_hash)?;
        let signature = match &doc.signature_hash {
            Some(h) => Some(String::from_utf8_lossy(&wb.blob_bytes(h)?).into_owned()),
            None => None,
        };
        let check = document::check(
            &pdf,
            signature.as_deref(),
            self.catalogue,
            self.trusted,
            self.own,
        );
        let (signature_now, problem_now) = match &check.signature {
            SignatureState::Missing => (SignatureStatus::Unsigned, check.problem.clone()),
            SignatureState::Invalid { reason } => (SignatureStatus::Invalid, Some(reason.clone())),
            SignatureState::Valid { trust, key_id, .. } => (
                SignatureStatus::Valid,
                match trust {
                    TrustVerdict::OtherKeyPinned {
                        organisation,
                        pinned,
                    } => Some(pinned_message(key_id, organisation, pinned)),
                    _ => check.problem.clone(),
                },
            ),
        };
        Ok(ReceivedDetail {
            row: self.row(&doc, &wb.today()),
            document: doc,
            signature_now,
            problem_now,
        })
    }
}

/// Trusts the key that signed received document `id`, under `name`, pinned to
/// `organisation` when given. The key comes from the stored document, never
/// from the caller.
pub fn trust_signer(
    home: &Home,
    wb: &Workbook,
    id: i64,
    name: &str,
    organisation: Option<&str>,
) -> Result<TrustedKey, ReceivedError> {
    let doc = wb.received_document(id)?;
    let text = doc.public_key.ok_or(ReceivedError::Unsigned(id))?;
    let key = PublicKey::parse(&text).map_err(|e| ReceivedError::BadStoredKey {
        id,
        reason: e.to_string(),
    })?;
    Ok(home.trust(&key, name, organisation)?)
}

fn pinned_message(key_id: &str, organisation: &str, pinned: &[TrustedKey]) -> String {
    let ids: Vec<&str> = pinned.iter().map(|k| k.key_id.as_str()).collect();
    format!(
        "signed by key {key_id}, but you pinned {} for {organisation}",
        ids.join(", ")
    )
}

/// The record of a document that may be received, or why it may not.
fn admit(check: &Check, file_name: &str) -> Result<ReceivedDocument, String> {
    let Some(d) = &check.document else {
        return Err(check
            .problem
            .clone()
            .unwrap_or_else(|| "the document holds no Canary manifest".into()));
    };
    let mut doc = ReceivedDocument {
        id: 0,
        file_name: file_name.to_owned(),
        pdf_hash: String::new(),
        pdf_size: 0,
        signature_hash: None,
        kind: d.kind.clone(),
        manufacturer: d.manufacturer.clone(),
        product: d.product.clone(),
        model: d.model.clone(),
        support_period_end: d.support_period_end.clone(),
        report_date: d.report_date.clone(),
        trail_head: d.trail_head.clone(),
        canaries: d.canaries.clone(),
        frameworks: d.frameworks.clone(),
        signatory: d.signatory.clone(),
        signatory_function: d.signatory_function.clone(),
        signature: SignatureStatus::Unsigned,
        key_id: None,
        public_key: None,
        signer: None,
        signer_organisation: None,
        trust_at_receipt: KeyTrust::None,
        received_at: String::new(),
        received_by: String::new(),
    };
    match &check.signature {
        SignatureState::Missing => {}
        // The reason already names what is wrong with the signature.
        SignatureState::Invalid { reason } => return Err(reason.clone()),
        SignatureState::Valid {
            key_id,
            key,
            signer,
            organisation,
            trust,
        } => {
            doc.signature = SignatureStatus::Valid;
            doc.key_id = Some(key_id.clone());
            doc.public_key = Some(key.clone());
            doc.signer = signer.clone();
            doc.signer_organisation = organisation.clone();
            doc.trust_at_receipt = key_trust(trust).0;
        }
    }
    Ok(doc)
}

/// What to tell about a document that was kept but needs care.
fn warning(check: &Check) -> Option<String> {
    match &check.signature {
        SignatureState::Missing => Some(
            "not signed: kept and marked unsigned; nothing shows who made it or that it is unchanged"
                .into(),
        ),
        SignatureState::Valid {
            key_id,
            trust: TrustVerdict::Untrusted,
            ..
        } => Some(format!(
            "signed by key {key_id}, which is not one you trust: the signature proves the file is \
             unchanged since that key signed it, not who holds the key"
        )),
        SignatureState::Valid {
            key_id,
            trust:
                TrustVerdict::OtherKeyPinned {
                    organisation,
                    pinned,
                },
            ..
        } => Some(format!(
            "SIGNED BY A DIFFERENT KEY: {}. Do not rely on it before you asked {organisation} why",
            pinned_message(key_id, organisation, pinned)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_ends_past_soon_or_later() {
        let today = "2026-12-01";
        assert_eq!(support_flag(Some("2026-11-30"), today), SupportFlag::Past);
        assert_eq!(support_flag(Some("2026-12-01"), today), SupportFlag::Soon);
        assert_eq!(support_flag(Some("2027-12-01"), today), SupportFlag::Soon);
        assert_eq!(support_flag(Some("2027-12-02"), today), SupportFlag::Later);
        assert_eq!(support_flag(None, today), SupportFlag::Unknown);
        assert_eq!(
            support_flag(Some("31/12/2030"), today),
            SupportFlag::Unknown
        );
        assert_eq!(
            support_flag(Some("2029-02-28"), "2028-02-29"),
            SupportFlag::Soon
        );
        assert_eq!(
            support_flag(Some("2029-03-01"), "2028-02-29"),
            SupportFlag::Later
        );
    }
}
