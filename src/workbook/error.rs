//! Everything the workbook refuses, as values with context. The UI shows
//! [`WorkbookError::code`] and the message.

use std::path::PathBuf;

use super::model::{AssessmentState, Outstanding, Status, Transition};

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("no workbook at {0} (create one with `canary init`)")]
    NotFound(PathBuf),
    #[error("{path} is not a Canary workbook: {reason}; the file was left untouched")]
    NotAWorkbook { path: PathBuf, reason: String },
    #[error("{path} looks truncated ({actual} bytes, its header says {expected}); the file was left untouched")]
    Truncated {
        path: PathBuf,
        actual: u64,
        expected: u64,
    },
    #[error("{path} was written by a newer Canary (workbook version {found}, this build reads up to {supported}); the file was left untouched")]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    // The cause is part of the message (people see only the message), so it is not
    // also the error's `source()`: `{:#}` would print it twice.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path} was refused: {problem}. A workbook's structure must be exactly the one Canary gives version {version}, so nothing stored in a received file runs as code; the file was left untouched")]
    UnexpectedSchema {
        path: PathBuf,
        version: u32,
        problem: String,
    },
    #[error("{path} is workbook version {found} and this build reads version {supported}: it must be migrated, which needs a command that writes (a backup is kept as <file>.bak-v{found}); it was opened read-only and left untouched")]
    NeedsMigration {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("this workbook was opened read-only; nothing was changed")]
    ReadOnly,
    #[error("{0} cannot be written here (a read-only file, folder or disk); it can be read, and nothing was changed")]
    NotWritable(PathBuf),
    #[error("{0} has changes in its `-wal` beside it, left by a write that did not finish, and SQLite can read them only with a `-shm` file there, which this folder does not allow; copy the workbook with its `-wal` into a folder you can write. The file was left untouched")]
    UnfinishedWal(PathBuf),
    #[error("a database statement worked for more than {seconds} s and was stopped: the workbook may be damaged or built to hang Canary")]
    TooSlow { seconds: u64 },
    #[error("a value in the workbook is larger than {} MiB, the most Canary stores or reads in one value", .limit >> 20)]
    TooBig { limit: usize },
    #[error("the workbook is damaged or was changed outside Canary: {0}; `canary verify` names what it can")]
    Damaged(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),

    #[error(
        "no actor for this change: set a profile (`canary profile set --name …`) or pass --as NAME"
    )]
    NoActor,
    #[error("{field} must not be empty")]
    Required { field: &'static str },
    #[error("{field} is {len} bytes long; the most Canary stores in one text field is {max} bytes (64 KiB); nothing was stored")]
    TextTooLong {
        field: String,
        len: usize,
        max: usize,
    },
    #[error("{field}: {value:?} is not a date (expected YYYY-MM-DD)")]
    InvalidDate { field: &'static str, value: String },
    #[error("expires: {expires} is before the evidence's own date {date}")]
    ExpiresBeforeDate { date: String, expires: String },
    #[error("{field}: {value:?} is not valid (expected one of {expected})")]
    InvalidValue {
        field: &'static str,
        value: String,
        expected: String,
    },

    #[error("product {field} {message}")]
    InvalidProduct { field: String, message: String },
    #[error("no product matches {0:?}")]
    ProductNotFound(String),
    #[error("{query:?} matches several products: {}", .matches.join("; "))]
    AmbiguousProduct { query: String, matches: Vec<String> },
    #[error("no assessment {0}")]
    AssessmentNotFound(i64),
    #[error("product {0} has no assessment")]
    NoAssessment(i64),
    #[error("unknown framework {0:?}")]
    UnknownFramework(String),
    #[error("unknown requirement {0:?}")]
    UnknownRequirement(String),
    #[error("requirement {requirement} is not in this assessment's frameworks ({})", .frameworks.join(", "))]
    RequirementNotInScope {
        requirement: String,
        frameworks: Vec<String>,
    },
    #[error("no response to {0} yet; set one with `canary respond` first")]
    NoResponse(String),
    #[error("no evidence {0}")]
    EvidenceNotFound(i64),
    #[error("evidence {0} is a note: there is nothing to open")]
    NothingToOpen(i64),
    #[error("nothing to restore for evidence {id}: {why}")]
    NothingToRestore { id: i64, why: String },
    #[error("event {seq} of the trail cannot be read back: {message}")]
    TrailRecord { seq: i64, message: String },
    #[error("no stored file with SHA-256 {0}")]
    BlobNotFound(String),
    #[error("no received document {0}")]
    ReceivedNotFound(i64),

    #[error("“{}” needs a justification: say why (status {status})", .status.label())]
    JustificationRequired { status: Status },
    #[error("cannot {transition} an assessment that is {from}")]
    IllegalTransition {
        transition: Transition,
        from: AssessmentState,
    },
    #[error("assessment {0} is signed and locked; clone it to make changes")]
    Locked(i64),
    #[error("assessment {id} is {state}: responses and evidence can change only in draft or changes_requested")]
    NotEditable { id: i64, state: AssessmentState },
    #[error("assessment {id} is {state}: reviews are recorded only while submitted or in review")]
    NotInReview { id: i64, state: AssessmentState },
    #[error("assessment {id} is {state}: only approved assessments can be signed")]
    NotApproved { id: i64, state: AssessmentState },
    #[error("assessment {id} cannot be approved while answers are outstanding: {}; resolve them, or approve despite them giving a reason (it is printed on every report)", .outstanding.iter().map(|o| o.to_string()).collect::<Vec<_>>().join("; "))]
    ApprovalRefused {
        id: i64,
        outstanding: Vec<Outstanding>,
    },
    #[error("assessment {id} is {state}: frameworks can change only while it is a draft")]
    NotDraft { id: i64, state: AssessmentState },
    #[error("framework {framework:?} is not assessed here ({})", .frameworks.join(", "))]
    FrameworkNotAssessed {
        framework: String,
        frameworks: Vec<String>,
    },
    #[error("assessment {0} needs at least one framework")]
    NoFrameworkLeft(i64),

    #[error("{actor} signed earlier acts in this workbook with key {key_id}: unlock that key to act as {actor}")]
    SignatureRequired { actor: String, key_id: String },
    #[error("this act is signed with your key {key_id}: its passphrase is needed")]
    PassphraseRequired { key_id: String },
    #[error(transparent)]
    Identity(#[from] crate::identity::IdentityError),

    #[error("url: {url:?} {reason}")]
    InvalidUrl { url: String, reason: &'static str },
    #[error("evidence file {path}: {reason}")]
    EvidencePath { path: PathBuf, reason: &'static str },
    #[error("evidence file {0} changed while it was being stored; nothing was stored")]
    FileChanged(PathBuf),
    #[error("other writers kept changing the workbook while this import was being written ({0} attempts); nothing was imported, try again")]
    Busy(u32),
}

impl WorkbookError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        use WorkbookError as E;
        match self {
            E::NotFound(_) => "not_found",
            E::NotAWorkbook { .. } => "not_a_workbook",
            E::Truncated { .. } => "truncated",
            E::TooNew { .. } => "too_new",
            E::Io { error, .. } if error.kind() == std::io::ErrorKind::AlreadyExists => {
                "already_exists"
            }
            E::Io { .. } => "io",
            E::UnexpectedSchema { .. } => "unexpected_schema",
            E::NeedsMigration { .. } => "needs_migration",
            E::ReadOnly => "read_only",
            E::NotWritable(_) => "not_writable",
            E::UnfinishedWal(_) => "unfinished_wal",
            E::TooSlow { .. } => "too_slow",
            E::TooBig { .. } => "too_big",
            E::Damaged(_) => "damaged",
            E::Sqlite(_) => "database",
            E::NoActor => "no_actor",
            E::Required { .. } => "required",
            E::TextTooLong { .. } => "text_too_long",
            E::InvalidDate { .. } => "invalid_date",
            E::ExpiresBeforeDate { .. } => "expires_before_date",
            E::InvalidValue { .. } => "invalid_value",
            E::InvalidProduct { .. } => "invalid_product",
            E::ProductNotFound(_) => "product_not_found",
            E::AmbiguousProduct { .. } => "ambiguous_product",
            E::AssessmentNotFound(_) => "assessment_not_found",
            E::NoAssessment(_) => "no_assessment",
            E::UnknownFramework(_) => "unknown_framework",
            E::UnknownRequirement(_) => "unknown_requirement",
            E::RequirementNotInScope { .. } => "requirement_not_in_scope",
            E::NoResponse(_) => "no_response",
            E::EvidenceNotFound(_) => "evidence_not_found",
            E::NothingToOpen(_) => "nothing_to_open",
            E::NothingToRestore { .. } => "nothing_to_restore",
            E::TrailRecord { .. } => "trail_record",
            E::BlobNotFound(_) => "blob_not_found",
            E::ReceivedNotFound(_) => "received_not_found",
            E::JustificationRequired { .. } => "justification_required",
            E::IllegalTransition { .. } => "illegal_transition",
            E::Locked(_) => "locked",
            E::NotEditable { .. } => "not_editable",
            E::NotInReview { .. } => "not_in_review",
            E::NotApproved { .. } => "not_approved",
            E::ApprovalRefused { .. } => "approval_refused",
            E::NotDraft { .. } => "not_draft",
            E::FrameworkNotAssessed { .. } => "framework_not_assessed",
            E::NoFrameworkLeft(_) => "no_framework_left",
            E::SignatureRequired { .. } => "signature_required",
            E::PassphraseRequired { .. } => "passphrase_required",
            E::Identity(crate::identity::IdentityError::WrongPassphrase(_)) => "wrong_passphrase",
            E::Identity(_) => "identity",
            E::InvalidUrl { .. } => "invalid_url",
            E::EvidencePath { .. } => "evidence_path",
            E::FileChanged(_) => "file_changed",
            E::Busy(_) => "busy",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        WorkbookError::Io {
            path: path.into(),
            error,
        }
    }
}

impl From<rusqlite::Error> for WorkbookError {
    /// SQLite's "interrupted" comes only from the statement deadline, and "too
    /// big" from the length limit; both get a message that says so. Text that is
    /// not UTF-8 (SQLite stores whatever bytes it is given) and a malformed file
    /// say the file is damaged rather than showing SQLite's bare words.
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::Utf8Error(column, _) = e {
            return WorkbookError::Damaged(format!(
                "a text value (column {column} of a row it was reading) is not valid UTF-8"
            ));
        }
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                WorkbookError::Damaged(format!("SQLite says \"{e}\""))
            }
            Some(rusqlite::ErrorCode::OperationInterrupted) => WorkbookError::TooSlow {
                seconds: super::deadline::STATEMENT_DEADLINE.as_secs(),
            },
            Some(rusqlite::ErrorCode::TooBig) => WorkbookError::TooBig {
                limit: super::open::MAX_VALUE_BYTES,
            },
            _ => WorkbookError::Sqlite(e),
        }
    }
}

pub type Result<T, E = WorkbookError> = std::result::Result<T, E>;
