//! The workbook's types: what is stored, and the read models the UI, reports and
//! product files are built from. Everything here serialises to JSON for the CLI's
//! `--json` and is exported to TypeScript for the UI.
//!
//! Ids are SQLite row ids (`i64`); the bindings type every 64-bit integer as
//! `number` (one setting, in `src-tauri/src/bindings.rs`) because no workbook
//! comes near 2^53 rows or bytes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The framework an assessment covers when none is chosen.
pub const DEFAULT_FRAMEWORK: &str = "uk-cop-2018";

/// Label of a product's first assessment when none is given (CLI, app and import).
pub const FIRST_ASSESSMENT_LABEL: &str = "Initial assessment";

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The stored (and serialised) spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// Parses the stored spelling; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use str_enum;

str_enum! {
    /// How far a product meets one requirement.
    Status {
        NotAssessed = "not_assessed",
        Met = "met",
        PartiallyMet = "partially_met",
        /// Needs a justification.
        NotMet = "not_met",
        /// Needs a justification.
        NotApplicable = "not_applicable",
    }
}

impl Status {
    /// Statuses the store refuses without a justification.
    pub fn needs_justification(self) -> bool {
        matches!(self, Status::NotMet | Status::NotApplicable)
    }

    /// How people say it, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotAssessed => "Not assessed",
            Status::Met => "Met",
            Status::PartiallyMet => "Partially met",
            Status::NotMet => "Not met",
            Status::NotApplicable => "Not applicable",
        }
    }
}

str_enum! {
    /// Where an assessment is in review. `approved` assessments may be signed.
    AssessmentState {
        Draft = "draft",
        Submitted = "submitted",
        InReview = "in_review",
        Approved = "approved",
        ChangesRequested = "changes_requested",
    }
}

str_enum! {
    /// A move in the review state machine:
    /// `draft → submitted → in_review → approved | changes_requested`,
    /// `changes_requested → submitted`.
    Transition {
        Submit = "submit",
        StartReview = "start_review",
        Approve = "approve",
        RequestChanges = "request_changes",
    }
}

impl Transition {
    /// The state this move leads to from `from`, or `None` if it is not allowed there.
    pub fn apply(self, from: AssessmentState) -> Option<AssessmentState> {
        use AssessmentState as S;
        match (self, from) {
            (Transition::Submit, S::Draft | S::ChangesRequested) => Some(S::Submitted),
            (Transition::StartReview, S::Submitted) => Some(S::InReview),
            (Transition::Approve, S::InReview) => Some(S::Approved),
            (Transition::RequestChanges, S::InReview) => Some(S::ChangesRequested),
            _ => None,
        }
    }
}

str_enum! {
    /// A reviewer's verdict on one response.
    Verdict {
        Accepted = "accepted",
        Rejected = "rejected",
        NeedsInfo = "needs_info",
    }
}

impl Verdict {
    /// How people say it, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
            Verdict::NeedsInfo => "needs info",
        }
    }
}

str_enum! {
    /// What an evidence item is: a stored file, a link, or a note.
    EvidenceKind {
        File = "file",
        Link = "link",
        Note = "note",
    }
}

str_enum! {
    /// One of the three CoP canaries at a glance, as reviewed: see [`CanaryState::reviewed`].
    CanaryState {
        /// Met, and a reviewer accepted it.
        Pass = "pass",
        /// Met by the team's account; no reviewer has looked at it yet.
        Claimed = "claimed",
        /// Not met or partially met, or a reviewer rejected the answer.
        Fail = "fail",
        /// Anything else: not assessed, not applicable, not in scope, or met but a
        /// reviewer asked for more information.
        Unknown = "unknown",
    }
}

impl CanaryState {
    /// The one rule for a canary's verdict, used by every report and the dashboard:
    /// only an answer that is met *and* accepted by a reviewer passes.
    pub fn reviewed(status: Status, verdict: Option<Verdict>) -> Self {
        match (status, verdict) {
            (_, Some(Verdict::Rejected)) | (Status::NotMet | Status::PartiallyMet, _) => {
                CanaryState::Fail
            }
            (Status::Met, Some(Verdict::Accepted)) => CanaryState::Pass,
            (Status::Met, None) => CanaryState::Claimed,
            _ => CanaryState::Unknown,
        }
    }

    /// How page 1 and the badges say it.
    pub fn word(self) -> &'static str {
        match self {
            CanaryState::Pass => "PASS",
            CanaryState::Claimed => "CLAIMED",
            CanaryState::Fail => "FAIL",
            CanaryState::Unknown => "UNKNOWN",
        }
    }
}

/// Who is using the workbook; the default actor of every change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Profile {
    pub name: String,
    pub organisation: String,
    pub role: String,
}

/// The manufacturer named on a statement of compliance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Manufacturer {
    pub name: String,
    /// Postal address, lines separated by newlines.
    pub address: String,
}

/// What describes a product; used to add and to edit one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ProductInput {
    pub name: String,
    pub model: String,
    pub product_type: String,
    /// Batch or firmware/hardware version range the assessment covers.
    pub batch: String,
    pub manufacturer: Manufacturer,
    /// End of the defined support period, `YYYY-MM-DD`.
    #[ts(optional)]
    pub support_end: Option<String>,
    /// CoP stakeholder ids the team plays for this product (e.g. `DM`, `MAD`).
    pub roles: Vec<String>,
    /// Markets the product is sold in (e.g. `UK`, `EU`).
    pub markets: Vec<String>,
    /// What its EU declaration of conformity states beyond the product's identity.
    /// Products stored before workbook version 5 have none.
    #[serde(default)]
    pub cra: CraInfo,
    /// Security labels the product holds (JC-STAR, Singapore CLS). Absent in
    /// product images written before workbook version 7.
    #[serde(default)]
    pub labels: Vec<ProductLabel>,
}

/// A security label a product holds: the scheme (a catalogue labelling-scheme id),
/// the level the label shows, the label's own id and the last day it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ProductLabel {
    /// e.g. `jc-star`, `sg-cls`.
    pub scheme: String,
    /// As the scheme names it, e.g. `STAR-1`, `Level 2`.
    pub level: String,
    pub label_id: String,
    /// Last day the label is valid, `YYYY-MM-DD`.
    pub expiry: String,
}

/// What an EU declaration of conformity (CRA Annex V) and its simplified form
/// (Annex VI) state about a product besides its name, model and manufacturer.
/// Every field may stay empty until the declaration is made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CraInfo {
    /// Harmonised standards, common specifications or cybersecurity certifications
    /// conformity is declared against (Annex V point 6), one reference each.
    pub standards: Vec<String>,
    /// Name of the notified body, where one took part (Annex V point 7).
    pub notified_body: String,
    /// The notified body's number (Annex V point 7), digits only.
    pub notified_body_number: String,
    /// The conformity assessment procedure performed, e.g. `Module B + C`.
    pub procedure: String,
    /// The certificate the notified body issued.
    pub certificate: String,
    /// Where the full declaration can be read (Annex VI, Art. 13(20)).
    pub declaration_url: String,
}

/// A stored product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Product {
    pub id: i64,
    #[serde(flatten)]
    pub info: ProductInput,
    pub created_at: String,
    pub updated_at: String,
}

/// Who signed an assessment, as a statement of compliance prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignOff {
    pub signatory: String,
    /// The signatory's function (job title).
    pub function: String,
    pub place: String,
    /// Date of signature, `YYYY-MM-DD`.
    pub date: String,
    /// When it was recorded, and by whom.
    pub signed_at: String,
    pub actor: String,
    /// The trail head the sign-off was given at (the sign event's `prev_hash`);
    /// reports of the signed assessment print this head, not the workbook's current
    /// one. Absent only for sign-offs older than workbook version 3 whose sign event
    /// could not be found.
    #[ts(optional)]
    pub trail_head: Option<String>,
    /// The product's details as signed; reports of the signed assessment print these
    /// even if the product is edited later.
    #[ts(optional)]
    pub product: Option<Product>,
}

/// An approval given although answers were outstanding (rejected, needs info, or
/// not assessed): why, by whom and when. Every report of the assessment prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApprovalOverride {
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// One answer that stands in the way of approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Outstanding {
    /// `<framework>:<ref>`.
    pub requirement: String,
    pub status: Status,
    #[ts(optional)]
    pub verdict: Option<Verdict>,
    #[ts(optional)]
    pub reviewer: Option<String>,
}

impl std::fmt::Display for Outstanding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.verdict, &self.reviewer) {
            (Some(v), Some(who)) => write!(f, "{} {} by {who}", self.requirement, v.label()),
            (Some(v), None) => write!(f, "{} {}", self.requirement, v.label()),
            (None, _) => write!(
                f,
                "{} {}",
                self.requirement,
                self.status.label().to_lowercase()
            ),
        }
    }
}

/// What signing an assessment records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct SignInput {
    pub signatory: String,
    pub function: String,
    pub place: String,
    /// `YYYY-MM-DD`; today by the workbook's clock when absent.
    #[ts(optional)]
    pub date: Option<String>,
}

/// One assessment of a product against chosen frameworks (e.g. per firmware release).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Assessment {
    pub id: i64,
    pub product_id: i64,
    pub label: String,
    /// Framework ids, in the order they were chosen.
    pub frameworks: Vec<String>,
    pub state: AssessmentState,
    /// The assessment this one was cloned from.
    #[ts(optional)]
    pub cloned_from: Option<i64>,
    /// Present once signed; a signed assessment is locked.
    #[ts(optional)]
    pub signoff: Option<SignOff>,
    /// Present when it was approved despite outstanding answers.
    #[ts(optional)]
    pub approval_override: Option<ApprovalOverride>,
    pub created_at: String,
    pub updated_at: String,
}

impl Assessment {
    pub fn is_signed(&self) -> bool {
        self.signoff.is_some()
    }
}

/// A response to set: status, statement, justification, owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseInput {
    pub status: Status,
    pub statement: String,
    /// Required (non-blank) for `not_met` and `not_applicable`.
    pub justification: String,
    pub owner: String,
}

/// A stored response to one requirement within an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Response {
    pub id: i64,
    pub assessment_id: i64,
    /// `<framework>:<ref>`.
    pub requirement: String,
    pub status: Status,
    pub statement: String,
    pub justification: String,
    pub owner: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Where an evidence item's content comes from when adding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceSource {
    /// A file, streamed into the workbook.
    File(std::path::PathBuf),
    /// A blob already in the workbook (import, clone), with the name it had.
    Blob {
        hash: String,
        file_name: String,
    },
    Link(String),
    Note(String),
}

/// An evidence item to add to a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceInput {
    pub title: String,
    pub source: EvidenceSource,
    /// Date of the evidence itself (`YYYY-MM-DD`), e.g. when a test was run.
    pub date: Option<String>,
    /// When the evidence stops being valid (`YYYY-MM-DD`).
    pub expires: Option<String>,
}

/// A stored evidence item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    pub id: i64,
    pub response_id: i64,
    pub title: String,
    pub kind: EvidenceKind,
    /// SHA-256 (hex) of the stored file, for `file` evidence.
    #[ts(optional)]
    pub blob_hash: Option<String>,
    #[ts(optional)]
    pub file_name: Option<String>,
    #[ts(optional)]
    pub size: Option<u64>,
    #[ts(optional)]
    pub media_type: Option<String>,
    #[ts(optional)]
    pub url: Option<String>,
    #[ts(optional)]
    pub note: Option<String>,
    #[ts(optional)]
    pub date: Option<String>,
    #[ts(optional)]
    pub expires: Option<String>,
    pub added_at: String,
    pub added_by: String,
}

/// A reviewer's verdict on a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Review {
    pub verdict: Verdict,
    pub comment: String,
    pub reviewer: String,
    pub reviewed_at: String,
}

/// A file stored in the workbook, named by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlobRef {
    pub hash: String,
    pub size: u64,
    /// False when an identical file was already stored (deduplicated).
    pub new: bool,
}

/// One entry of the trail: who changed what, when, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// `product`, `assessment`, `response`, `evidence`, `review`, `profile`, `blob`.
    pub entity: String,
    pub entity_id: String,
    /// e.g. `create`, `update`, `delete`, `restore`, `store`, `submit`, `sign`, `clone`.
    pub action: String,
    /// JSON of the entity before the change (absent for creations; for a
    /// `restore`, the item as it was when removed, under its old id).
    #[ts(optional)]
    pub before: Option<String>,
    /// JSON of the entity after the change (absent for deletions).
    #[ts(optional)]
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Responses counted by status for one framework of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct StatusCounts {
    pub framework: String,
    /// Requirements in the framework; `not_assessed` includes unanswered ones.
    pub total: u32,
    pub not_assessed: u32,
    pub met: u32,
    pub partially_met: u32,
    pub not_met: u32,
    pub not_applicable: u32,
}

impl StatusCounts {
    pub fn get(&self, status: Status) -> u32 {
        match status {
            Status::NotAssessed => self.not_assessed,
            Status::Met => self.met,
            Status::PartiallyMet => self.partially_met,
            Status::NotMet => self.not_met,
            Status::NotApplicable => self.not_applicable,
        }
    }

    pub(crate) fn add(&mut self, status: Status, n: u32) {
        match status {
            Status::NotAssessed => self.not_assessed += n,
            Status::Met => self.met += n,
            Status::PartiallyMet => self.partially_met += n,
            Status::NotMet => self.not_met += n,
            Status::NotApplicable => self.not_applicable += n,
        }
    }
}

/// One CoP canary (requirements 1–3) at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Canary {
    /// Requirement id, e.g. `uk-cop-2018:1`.
    pub requirement: String,
    pub title: String,
    /// The reviewed verdict ([`CanaryState::reviewed`]).
    pub state: CanaryState,
    /// The reviewer's verdict and name, when there is one.
    #[ts(optional)]
    pub verdict: Option<Verdict>,
    #[ts(optional)]
    pub reviewer: Option<String>,
}

/// One row of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DashboardRow {
    pub id: i64,
    pub name: String,
    pub model: String,
    pub manufacturer: String,
    #[ts(optional)]
    pub support_end: Option<String>,
    /// The latest assessment, if the product has one.
    #[ts(optional)]
    pub assessment_id: Option<i64>,
    #[ts(optional)]
    pub assessment_label: Option<String>,
    #[ts(optional)]
    pub state: Option<AssessmentState>,
    pub signed: bool,
    pub counts: Vec<StatusCounts>,
    pub canaries: Vec<Canary>,
}

/// One requirement of an assessment with everything recorded against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RequirementRow {
    /// `<framework>:<ref>`.
    pub requirement: String,
    pub framework: String,
    #[serde(rename = "ref")]
    #[ts(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub canary: bool,
    /// `not_assessed` when nothing was recorded yet.
    pub status: Status,
    /// The stored response, if any.
    #[ts(optional)]
    pub response: Option<Response>,
    pub evidence: Vec<Evidence>,
    #[ts(optional)]
    pub review: Option<Review>,
}

/// A product's page: the product, one assessment, and every requirement of its
/// frameworks in catalogue order (unanswered ones included as `not_assessed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProductPage {
    pub product: Product,
    pub assessment: Assessment,
    /// Every assessment of the product, oldest first (for a history picker).
    pub assessments: Vec<Assessment>,
    pub requirements: Vec<RequirementRow>,
    pub counts: Vec<StatusCounts>,
    pub canaries: Vec<Canary>,
    /// The support period's end as CRA Art. 13(19) asks it shown, e.g.
    /// `support until: March 2031` ([`super::support_until`]).
    #[ts(optional)]
    pub support_until: Option<String>,
}

/// One problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Finding {
    /// Which check: `trail_chain`, `trail_head`, `blob_hash`, `blob_size`,
    /// `integrity_check`, `foreign_key_check`, `rows` (a table differs from the
    /// replayed trail), `trail_replay` (an event does not follow from the ones before).
    pub check: String,
    /// What it concerns, e.g. `event 12`, `response 3` or a blob hash.
    pub subject: String,
    pub message: String,
    /// For `rows` and `trail_replay`: the row and field that differ.
    #[ts(optional)]
    pub row: Option<RowDifference>,
}

impl Finding {
    /// A finding that concerns no single row.
    pub fn new(check: &str, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            check: check.to_owned(),
            subject: subject.into(),
            message: message.into(),
            row: None,
        }
    }
}

/// Where a row differs from the trail: which table, row and field, and both values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowDifference {
    pub table: String,
    /// The row's key: its id (a blob's hash).
    pub id: String,
    /// The column; absent when the whole row is missing or extra.
    #[ts(optional)]
    pub field: Option<String>,
    /// What the trail says; absent when the trail has no such row or value.
    #[ts(optional)]
    pub in_trail: Option<String>,
    /// What the table holds; absent when the table has no such row or value.
    #[ts(optional)]
    pub in_table: Option<String>,
}

/// A person as the trail recorded them before their first signed act (a `person`
/// event): who they are and the public key their acts are checked with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyHolder {
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub role: String,
    /// minisign's `RW…` form.
    pub key: String,
    /// 16 hex digits, as minisign prints it.
    pub key_id: String,
}

/// An act and its signature as stored: the text of a minisign `.minisig` over the
/// event's hash (`event_hash`, as ASCII hex), made by `signer`'s key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignedAct {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub event_hash: String,
    /// The trail head the act was made at.
    pub prev_hash: String,
    pub signer: KeyHolder,
    pub signature: String,
}

/// An act recorded without a signature (by a person without a key, or written
/// before workbook version 6): information, not a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnsignedAct {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub actor: String,
}

/// The outcome of `verify`: no findings means the workbook is intact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VerifyReport {
    pub findings: Vec<Finding>,
    pub events: u64,
    pub blobs: u64,
    pub trail_head: String,
    /// Acts whose signature holds.
    pub signed_acts: u64,
    pub unsigned_acts: Vec<UnsignedAct>,
    /// Everyone whose key the trail recorded.
    pub signers: Vec<KeyHolder>,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}
