//! Catalogue problems: every one found, each with its file, line, column and field.

/// What kind of problem; stable codes for the UI and for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    Io,
    Syntax,
    SchemaVersion,
    DuplicateId,
    DanglingReference,
    InvalidValue,
    UnsourcedEqual,
}

/// One problem in one catalogue file.
pub type Problem = crate::located::Problem<ProblemKind>;

/// Why a document link cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("no document {0:?} in the catalogue")]
    NoDocument(String),
    #[error("{url:?} is not a link of document {document:?}")]
    NotListed { url: String, document: String },
    #[error("{url:?} {why}")]
    Invalid { url: String, why: &'static str },
}

impl LinkError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoDocument(_) => "not_found",
            Self::NotListed { .. } | Self::Invalid { .. } => "invalid_input",
        }
    }
}

/// Loading failed; holds every problem found, in file order.
#[derive(Debug, thiserror::Error)]
#[error("the catalogue has {} problem(s):\n{}", .0.len(), crate::located::list(.0))]
pub struct CatalogueError(pub Vec<Problem>);
