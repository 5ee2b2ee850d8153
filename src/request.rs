//! Attestation requests: a retailer asks a manufacturer for attestations of named
//! products against named frameworks by a due date. The request is a small JSON
//! file signed as reports are (`FILE.json.minisig`, which the stock `minisign`
//! checks); the manufacturer imports it to start the matching assessments.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::document::{self, comment, SignatureState};
use crate::identity::{IdentityError, Person, PublicKey, SigningKey, TrustStore, TrustVerdict};
use crate::workbook::{parse_date, Assessment, AssessmentState, Workbook, WorkbookError};

/// The format this version writes and reads.
pub const FORMAT: u32 = 1;
/// The largest request file read; a real one is a few KiB.
pub const MAX_REQUEST: usize = 1 << 20;
/// The first word of a request signature's trusted comment.
const COMMENT_WORD: &str = "canary-request";

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("not a usable attestation request: {0}")]
    Invalid(String),
    #[error("the request was refused: {0}")]
    BadSignature(String),
    /// A request changes the workbook: one that may come from someone else than it
    /// says is refused unless the person accepts it knowingly.
    #[error("the request was refused: {0}")]
    NotTrusted(String),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
}

/// Who asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requester {
    pub name: String,
    #[serde(default)]
    pub organisation: String,
}

/// A product asked about: its model, and its manufacturer when the model alone
/// could be someone else's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestedProduct {
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
}

/// The request file, field for field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationRequest {
    pub canary_request: u32,
    pub from: Requester,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub frameworks: Vec<String>,
    pub products: Vec<RequestedProduct>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl AttestationRequest {
    /// A request from `from`, checked as an import checks it.
    pub fn new(
        cat: &Catalogue,
        from: &Person,
        frameworks: Vec<String>,
        products: Vec<RequestedProduct>,
        due: &str,
        note: Option<String>,
    ) -> Result<Self, RequestError> {
        let req = Self {
            canary_request: FORMAT,
            from: Requester {
                name: from.name.trim().to_owned(),
                organisation: from.organisation.trim().to_owned(),
            },
            due: due.trim().to_owned(),
            frameworks: frameworks.iter().map(|f| f.trim().to_owned()).collect(),
            products: products
                .into_iter()
                .map(|p| RequestedProduct {
                    model: p.model.trim().to_owned(),
                    manufacturer: p
                        .manufacturer
                        .map(|m| m.trim().to_owned())
                        .filter(|m| !m.is_empty()),
                })
                .collect(),
            note: note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        };
        req.validate(cat)?;
        Ok(req)
    }

    /// Every rule a request keeps: the format, a requester, a real due date,
    /// frameworks the catalogue holds, and products each named once by model.
    pub fn validate(&self, cat: &Catalogue) -> Result<(), RequestError> {
        let bad = |m: String| Err(RequestError::Invalid(m));
        if self.canary_request != FORMAT {
            return bad(format!(
                "format {} (this version reads format {FORMAT})",
                self.canary_request
            ));
        }
        if self.from.name.trim().is_empty() {
            return bad("from.name is empty: a request says who asks".into());
        }
        parse_date("due", &self.due).map_err(|e| RequestError::Invalid(e.to_string()))?;
        if self.frameworks.is_empty() {
            return bad("frameworks is empty: name at least one".into());
        }
        for f in &self.frameworks {
            if cat.framework(f).is_none() {
                return bad(format!("framework {f:?} is not in the catalogue"));
            }
        }
        if self.products.is_empty() {
            return bad("products is empty: name at least one".into());
        }
        let mut seen = BTreeSet::new();
        for p in &self.products {
            if p.model.trim().is_empty() {
                return bad("a product has an empty model".into());
            }
            if !seen.insert((&p.model, &p.manufacturer)) {
                return bad(format!("product {:?} is named twice", p.model));
            }
        }
        Ok(())
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a request always serialises");
        text.push('\n');
        text
    }

    /// A detached signature of `text` (this request's file) by `key`, its trusted
    /// comment naming the due date and the signer.
    pub fn sign(
        &self,
        text: &str,
        key: &SigningKey,
        signer: &Person,
    ) -> Result<String, RequestError> {
        let mut fields = vec![("due", self.due.as_str()), ("signer", signer.name.as_str())];
        if !signer.organisation.trim().is_empty() {
            fields.push(("organisation", signer.organisation.as_str()));
        }
        Ok(key.sign(text.as_bytes(), &comment::line(COMMENT_WORD, &fields))?)
    }
}

/// A request as read: its content and how its signature stands.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedRequest {
    pub request: AttestationRequest,
    pub signature: SignatureState,
}

/// Reads a request file and the text of its `.minisig` (if any). A signature that
/// does not hold refuses the request; an unsigned one is read, said unsigned.
pub fn read(
    bytes: &[u8],
    signature: Option<&str>,
    cat: &Catalogue,
    trusted: &TrustStore,
    own: Option<&PublicKey>,
) -> Result<CheckedRequest, RequestError> {
    if bytes.len() > MAX_REQUEST {
        return Err(RequestError::Invalid(format!(
            "{} bytes, larger than a request can be",
            bytes.len()
        )));
    }
    let request: AttestationRequest =
        serde_json::from_slice(bytes).map_err(|e| RequestError::Invalid(e.to_string()))?;
    let signature = match signature {
        None => SignatureState::Missing,
        Some(text) => document::signature_state(
            bytes,
            text,
            Some(request.from.organisation.as_str()).filter(|o| !o.is_empty()),
            trusted,
            own,
        ),
    };
    if let SignatureState::Invalid { reason } = &signature {
        return Err(RequestError::BadSignature(reason.clone()));
    }
    request.validate(cat)?;
    Ok(CheckedRequest { request, signature })
}

/// What importing a request did for one requested product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Started {
    /// A new draft, cloned from the signed or approved assessment before it.
    Cloned {
        model: String,
        assessment: Assessment,
        added: Vec<String>,
    },
    /// The product's draft now covers the requested frameworks too.
    Extended {
        model: String,
        assessment: Assessment,
        added: Vec<String>,
    },
    /// Its draft already covers every requested framework.
    Covered { model: String, assessment: i64 },
    /// Its latest assessment is submitted, in review or sent back: left alone.
    InProgress {
        model: String,
        assessment: i64,
        state: AssessmentState,
    },
    /// No product of this workbook has that model (and manufacturer).
    NotHeld { model: String },
}

impl CheckedRequest {
    /// Whether this request may start assessments. A key other than the one pinned
    /// for the organisation it names is refused outright (as `check` refuses it);
    /// an unsigned request, or one signed by a key not trusted, only when
    /// `accept_untrusted` says the person knows.
    pub fn admit(&self, accept_untrusted: bool) -> Result<(), RequestError> {
        match &self.signature {
            SignatureState::Valid {
                trust: TrustVerdict::OtherKeyPinned { organisation, .. },
                key_id,
                ..
            } => Err(RequestError::NotTrusted(format!(
                "signed by key {key_id}, not the key you pinned for {organisation}: ask {organisation} before relying on it"
            ))),
            SignatureState::Missing if !accept_untrusted => Err(RequestError::NotTrusted(
                "it is not signed, so nothing shows who sent it (import it anyway with --accept-untrusted)".into(),
            )),
            SignatureState::Valid {
                trust: TrustVerdict::Untrusted,
                key_id,
                ..
            } if !accept_untrusted => Err(RequestError::NotTrusted(format!(
                "it is signed by key {key_id}, which you do not trust (trust it with `canary trust add`, or import anyway with --accept-untrusted)"
            ))),
            _ => Ok(()),
        }
    }
}

/// The label of an assessment a request starts.
fn label(req: &AttestationRequest) -> String {
    let who = if req.from.organisation.is_empty() {
        &req.from.name
    } else {
        &req.from.organisation
    };
    format!("Requested by {who}, due {}", req.due)
}

/// Starts the assessments `req` asks for, in one write: per product, its draft
/// gains the missing frameworks; a signed or approved assessment is cloned into a
/// new draft (labelled with the requester and due date) that gains them; one
/// under review is left alone and said so.
pub fn start(
    wb: &mut Workbook,
    cat: &Catalogue,
    req: &AttestationRequest,
) -> Result<Vec<Started>, RequestError> {
    let products = wb.products()?;
    let mut plan = Vec::new();
    // Every product a line matches (several batches may share a model), each once
    // however many lines name it.
    let mut seen = std::collections::HashSet::new();
    for want in &req.products {
        let mut found = products
            .iter()
            .filter(|p| {
                p.info.model == want.model
                    && want
                        .manufacturer
                        .as_ref()
                        .is_none_or(|m| p.info.manufacturer.name.trim().eq_ignore_ascii_case(m))
            })
            .peekable();
        if found.peek().is_none() {
            plan.push((want.model.clone(), None));
        }
        for product in found.filter(|p| seen.insert(p.id)) {
            plan.push((want.model.clone(), Some(wb.latest_assessment(product.id)?)));
        }
    }
    let label = label(req);
    Ok(wb.batch(|b| {
        let mut out = Vec::new();
        for (model, latest) in plan {
            let Some(a) = latest else {
                out.push(Started::NotHeld { model });
                continue;
            };
            let missing: Vec<String> = req
                .frameworks
                .iter()
                .filter(|f| !a.frameworks.contains(f))
                .cloned()
                .collect();
            let restart = a.is_signed() || a.state == AssessmentState::Approved;
            out.push(if restart {
                let new = b.clone_assessment(a.id, &label)?;
                let assessment = if missing.is_empty() {
                    new
                } else {
                    b.change_frameworks(cat, new.id, &missing, &[])?
                };
                Started::Cloned {
                    model,
                    assessment,
                    added: missing,
                }
            } else if a.state != AssessmentState::Draft {
                Started::InProgress {
                    model,
                    assessment: a.id,
                    state: a.state,
                }
            } else if missing.is_empty() {
                Started::Covered {
                    model,
                    assessment: a.id,
                }
            } else {
                Started::Extended {
                    model,
                    assessment: b.change_frameworks(cat, a.id, &missing, &[])?,
                    added: missing,
                }
            });
        }
        Ok(out)
    })?)
}
