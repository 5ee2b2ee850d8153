//! Problems with a product file: every one found, each with its file, line and field.

use std::path::PathBuf;

/// What kind of problem; stable codes for the UI and for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    Io,
    Syntax,
    FormatVersion,
    UnknownFramework,
    UnknownRequirement,
    DuplicateResponse,
    MissingJustification,
    InvalidEvidence,
    MissingFile,
    PathEscape,
    ChecksumMismatch,
    InvalidValue,
}

/// One problem in one product file.
pub type Problem = crate::located::Problem<ProblemKind>;

/// Why an import or export did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The product file is invalid; holds every problem found. Nothing was written.
    #[error("the product file has {} problem(s); nothing was imported:\n{}", .0.len(), crate::located::list(.0))]
    Invalid(Vec<Problem>),
    // The cause is in the message, so not also the `source()` (see `WorkbookError::Io`).
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Workbook(#[from] crate::workbook::WorkbookError),
    #[error("{0}")]
    Export(String),
    /// Something is at the path an export was to create; replacing it needs the person's word.
    #[error("{} already exists; choose another name or confirm replacing it", .0.display())]
    Exists(PathBuf),
}

impl ExchangeError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_product_file",
            Self::Io { .. } => "io",
            Self::Workbook(e) => e.code(),
            Self::Export(_) => "export",
            Self::Exists(_) => "already_exists",
        }
    }
}
