//! Problems with a product file: every one found, each with its file, line and field.

use std::fmt;
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

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Path of the offending field, e.g. `responses[4].evidence[0].file`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why an import or export did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The product file is invalid; holds every problem found. Nothing was written.
    #[error("the product file has {} problem(s); nothing was imported:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Workbook(#[from] crate::workbook::WorkbookError),
    #[error("{0}")]
    Export(String),
}

impl ExchangeError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_product_file",
            Self::Io { .. } => "io",
            Self::Workbook(e) => e.code(),
            Self::Export(_) => "export",
        }
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
