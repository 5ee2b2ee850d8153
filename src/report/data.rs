//! What product reports are made from: a product's record as the workbook holds it,
//! independent of how the workbook stores it.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::workbook::{KeyHolder, SignedAct};

/// A response status as the reports show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    PartiallyMet,
    NotMet,
    NotApplicable,
    NotAssessed,
}

impl From<Status> for crate::workbook::Status {
    fn from(s: Status) -> Self {
        use crate::workbook::Status as W;
        match s {
            Status::Met => W::Met,
            Status::PartiallyMet => W::PartiallyMet,
            Status::NotMet => W::NotMet,
            Status::NotApplicable => W::NotApplicable,
            Status::NotAssessed => W::NotAssessed,
        }
    }
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Met,
        Status::PartiallyMet,
        Status::NotMet,
        Status::NotApplicable,
        Status::NotAssessed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::PartiallyMet => "partially_met",
            Self::NotMet => "not_met",
            Self::NotApplicable => "not_applicable",
            Self::NotAssessed => "not_assessed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manufacturer {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub model: Option<String>,
    /// Kind of product, e.g. "Smart camera".
    #[serde(default)]
    pub product_type: Option<String>,
    #[serde(default)]
    pub batch: Option<String>,
    pub manufacturer: Manufacturer,
    /// Last day security updates are promised (ISO date).
    #[serde(default)]
    pub support_period_end: Option<String>,
    /// What its EU declaration of conformity states (CRA Annexes V and VI).
    #[serde(default)]
    pub cra: crate::workbook::CraInfo,
    /// Security labels the product holds (JC-STAR, Singapore CLS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<crate::workbook::ProductLabel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: String,
    pub title: String,
    /// Workflow state: `draft`, `submitted`, `in_review`, `changes_requested` or
    /// `approved` (signing is the separate `signoff`, not a state).
    pub state: String,
    /// Framework ids the assessment covers; every requirement of each is reported.
    pub frameworks: Vec<String>,
    /// Set when it was approved despite outstanding answers; page 1 prints it.
    #[serde(default)]
    pub approval_override: Option<ApprovalOverride>,
}

/// Why an assessment was approved although answers were outstanding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalOverride {
    pub reason: String,
    pub by: String,
    /// ISO date.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub title: String,
    pub kind: String,
    /// The file name, or the URL of a link.
    #[serde(default)]
    pub file_name: Option<String>,
    /// SHA-256 (hex) of a stored file; links and notes have none.
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    /// When the evidence stops being valid (a certificate, a yearly test).
    #[serde(default)]
    pub expires: Option<String>,
    /// The text of a note (evidence of kind `note`), printed in full.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub verdict: String,
    #[serde(default)]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

impl Review {
    /// The verdict as the workbook knows it (`needs info` and `needs_info` alike).
    pub fn verdict(&self) -> Option<crate::workbook::Verdict> {
        crate::workbook::Verdict::parse(&self.verdict.trim().replace(' ', "_"))
    }
}

/// The workbook's answer to one requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// `<framework>:<ref>`.
    pub requirement: String,
    pub status: Status,
    #[serde(default)]
    pub statement: Option<String>,
    #[serde(default)]
    pub justification: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub review: Option<Review>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signoff {
    pub signatory: String,
    pub function: String,
    pub place: String,
    /// ISO date.
    pub date: String,
    /// The signer's signature of the sign event (whose hash covers the trail head
    /// the report prints), when they signed with a key.
    #[serde(default)]
    pub signature: Option<SignedAct>,
}

/// Everything the product reports are made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductRecord {
    pub product: Product,
    pub assessment: Assessment,
    pub responses: Vec<Response>,
    #[serde(default)]
    pub signoff: Option<Signoff>,
    /// Hash at the head of the workbook's trail when the report was made, or for a
    /// signed assessment when it was signed.
    pub trail_head: String,
    /// Everyone whose key signed an act on the assessment, with their public key.
    #[serde(default)]
    pub signers: Vec<KeyHolder>,
}

impl ProductRecord {
    pub fn response(&self, requirement: &str) -> Option<&Response> {
        self.responses.iter().find(|r| r.requirement == requirement)
    }

    pub fn status(&self, requirement: &str) -> Status {
        self.response(requirement)
            .map_or(Status::NotAssessed, |r| r.status)
    }

    /// The reviewed verdict of a canary requirement (one rule, see
    /// [`crate::workbook::CanaryState::reviewed`]) and who reviewed it.
    pub fn canary(&self, requirement: &str) -> (crate::workbook::CanaryState, Option<&Review>) {
        let review = self.response(requirement).and_then(|r| r.review.as_ref());
        let state = crate::workbook::CanaryState::reviewed(
            self.status(requirement).into(),
            review.and_then(Review::verdict),
        );
        (state, review)
    }

    /// The JSON attached inside every product report: what it was made from, with the
    /// requirement and evidence titles so it reads without the catalogue or workbook.
    pub(crate) fn manifest(
        &self,
        report: &str,
        catalogue: &Catalogue,
        generated_at: i64,
    ) -> serde_json::Value {
        let catalogue_digest = catalogue.digest();
        serde_json::json!({
            "canary_manifest": 1,
            "report": report,
            "generated_at": super::clock::datetime(generated_at),
            "catalogue_digest": catalogue_digest,
            "trail_head": self.trail_head,
            "product": self.product,
            "assessment": self.assessment,
            "signoff": self.signoff,
            "signers": self.signers,
            "responses": self.responses.iter().map(|r| serde_json::json!({
                "requirement": r.requirement,
                "title": catalogue.requirement(&r.requirement).map(|(_, req)| req.title.as_str()),
                "status": r.status,
                "statement": r.statement,
                "justification": r.justification,
                "evidence_sha256": r.evidence.iter().filter_map(|e| e.sha256.as_ref()).collect::<Vec<_>>(),
                "evidence": r.evidence,
                "review": r.review,
            })).collect::<Vec<_>>(),
        })
    }
}
