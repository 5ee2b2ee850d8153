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

/// Loading failed; holds every problem found, in file order.
#[derive(Debug, thiserror::Error)]
#[error("the catalogue has {} problem(s):\n{}", .0.len(), crate::located::list(.0))]
pub struct CatalogueError(pub Vec<Problem>);
