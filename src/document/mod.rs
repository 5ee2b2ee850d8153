//! Documents that leave Canary: a report PDF and its detached minisign signature
//! (`FILE.pdf.minisig`). [`sign`] makes the signature, naming in its trusted comment
//! what the attached manifest says; [`check`] reads both back for whoever receives
//! them: what the document claims, whether the signature holds and whether its key
//! is trusted.

pub(crate) mod comment;
mod pdf;
mod signoff;
mod summary;

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::identity::{
    named_organisations, IdentityError, Person, PublicKey, Signature, SigningKey, TrustStore,
    TrustVerdict,
};

pub use pdf::MAX_PDF;
pub use signoff::SignoffState;
pub use summary::{CanaryLine, FrameworkCount, Summary};

/// The largest `.minisig` file read; a real one is under 1 KiB.
pub const MAX_SIGNATURE: usize = 64 << 10;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the document holds no Canary manifest: {0}")]
    NoManifest(String),
    #[error("the document's manifest is not valid: {0}")]
    BadManifest(String),
    #[error("the document is {0} bytes, larger than a Canary report can be")]
    TooLarge(usize),
    #[error("reading {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error(transparent)]
    Identity(#[from] IdentityError),
}

/// A document and its detached signature as read from files.
#[derive(Debug, Clone)]
pub struct Files {
    pub pdf: Vec<u8>,
    /// The `.minisig` text; `None` when there is none.
    pub signature: Option<String>,
    /// Where the signature was looked for.
    pub signature_path: PathBuf,
}

/// `FILE.minisig` beside `file`, where minisign puts a signature.
pub fn signature_path(file: &Path) -> PathBuf {
    let mut p = file.to_owned().into_os_string();
    p.push(".minisig");
    p.into()
}

/// Reads `file` (at most [`MAX_PDF`] bytes) and its signature: `sig` when given
/// (it must exist), else `FILE.minisig` beside it if there is one. Only regular
/// files are read.
pub fn read_files(file: &Path, sig: Option<&Path>) -> Result<Files, DocumentError> {
    let pdf = read_bounded(file, MAX_PDF)?;
    let signature_path = sig.map_or_else(|| signature_path(file), Path::to_owned);
    let signature = match read_bounded(&signature_path, MAX_SIGNATURE) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) if sig.is_none() && !signature_path.exists() => None,
        Err(e) => return Err(e),
    };
    Ok(Files {
        pdf,
        signature,
        signature_path,
    })
}

fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, DocumentError> {
    let failed = |reason: String| DocumentError::Read {
        path: path.to_owned(),
        reason,
    };
    let (file, _) = crate::safe_file::open_regular(path, crate::safe_file::Links::Follow)
        .map_err(|e| failed(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() > limit {
        return Err(failed(format!(
            "it is larger than {limit} bytes; not checked"
        )));
    }
    Ok(bytes)
}

/// What the document says of itself, read from its attached manifest.
pub fn summary(pdf: &[u8], catalogue: &Catalogue) -> Result<Summary, DocumentError> {
    Summary::from_manifest(&manifest(pdf)?, catalogue)
}

fn manifest(pdf: &[u8]) -> Result<serde_json::Value, DocumentError> {
    let bytes = pdf::attached_manifest(pdf)?;
    serde_json::from_slice(&bytes).map_err(|e| DocumentError::BadManifest(e.to_string()))
}

/// A detached signature of `pdf` by `key`, its trusted comment naming the
/// document's kind, product, model, report date and trail head, and the signer.
pub fn sign(
    pdf: &[u8],
    catalogue: &Catalogue,
    key: &SigningKey,
    signer: &Person,
) -> Result<String, DocumentError> {
    let summary = summary(pdf, catalogue)?;
    Ok(key.sign(pdf, &comment::trusted(&summary, signer))?)
}

/// The state of a document's detached signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "signature", rename_all = "snake_case")]
pub enum SignatureState {
    Missing,
    /// Unreadable, made by another key than it names, or the file changed since.
    Invalid {
        reason: String,
    },
    Valid {
        key_id: String,
        /// minisign's `RW…` form.
        key: String,
        signer: Option<String>,
        organisation: Option<String>,
        #[serde(flatten)]
        trust: TrustVerdict,
    },
}

/// Everything `check` tells about one document.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `None` when the manifest could not be read; `problem` says why.
    pub document: Option<Summary>,
    pub problem: Option<String>,
    pub signature: SignatureState,
    /// The sign-off signature the manifest carries.
    pub signoff: SignoffState,
}

impl Check {
    /// A valid signature, whose key no pin contradicts, on a readable document
    /// whose embedded sign-off signature, if any, holds.
    pub fn passed(&self) -> bool {
        self.document.is_some()
            && !matches!(self.signoff, SignoffState::Invalid { .. })
            && matches!(
                &self.signature,
                SignatureState::Valid { trust, .. } if !matches!(trust, TrustVerdict::OtherKeyPinned { .. })
            )
    }
}

/// Checks `pdf` against the text of its `.minisig` (if any), with the keys the
/// person trusts and their own key.
pub fn check(
    pdf: &[u8],
    signature: Option<&str>,
    catalogue: &Catalogue,
    trusted: &TrustStore,
    own: Option<&PublicKey>,
) -> Check {
    let (document, problem, signoff) =
        match manifest(pdf).and_then(|m| Ok((Summary::from_manifest(&m, catalogue)?, m))) {
            Ok((s, m)) => (Some(s), None, signoff::check(&m, trusted, own)),
            Err(e) => (None, Some(e.to_string()), SignoffState::None),
        };
    let signature = match signature {
        None => SignatureState::Missing,
        Some(text) => signature_state(
            pdf,
            text,
            document.as_ref().map(|d| d.manufacturer.as_str()),
            trusted,
            own,
        ),
    };
    Check {
        document,
        problem,
        signature,
        signoff,
    }
}

/// The state of the detached signature `text` over `data`. Its trust is judged for
/// the organisation its trusted comment names and `from`, the one the file itself
/// says it comes from.
pub(crate) fn signature_state(
    data: &[u8],
    text: &str,
    from: Option<&str>,
    trusted: &TrustStore,
    own: Option<&PublicKey>,
) -> SignatureState {
    let invalid = |reason: String| SignatureState::Invalid { reason };
    let sig = match Signature::parse(text) {
        Ok(s) => s,
        Err(e) => return invalid(e.to_string()),
    };
    // The key to check with: a trusted one with the signature's id, the person's
    // own, else the one the signer named (integrity only; trust is judged apart).
    let key = trusted
        .keys()
        .iter()
        .filter(|k| k.key_id == sig.key_id())
        .find_map(|k| PublicKey::parse(&k.key).ok())
        .or_else(|| own.filter(|k| k.key_id() == sig.key_id()).cloned())
        .or_else(|| sig.claimed_key());
    let Some(key) = key else {
        return invalid(format!(
            "signed by key {}, which the signature does not include and you do not trust",
            sig.key_id()
        ));
    };
    if let Err(e) = sig.verify(&key, data) {
        return invalid(format!(
            "the file does not match its signature by key {} (altered since it was signed, or another file): {e}",
            sig.key_id()
        ));
    }
    let fields = comment::parse(sig.trusted_comment());
    let signer = fields.get("signer").cloned();
    let organisation = fields.get("organisation").cloned();
    let organisations = named_organisations(organisation.as_deref(), from);
    let trust = trusted.judge(&key, own, &organisations);
    SignatureState::Valid {
        key_id: key.key_id(),
        key: key.base64(),
        signer,
        organisation,
        trust,
    }
}
