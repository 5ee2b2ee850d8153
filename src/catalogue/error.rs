//! Catalogue problems: every one found, each with its file, line, column and field.

use std::fmt;
use std::path::PathBuf;

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Path of the offending field inside the file, e.g. `mappings[4].to`.
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

/// Loading failed; holds every problem found, in file order.
#[derive(Debug, thiserror::Error)]
#[error("the catalogue has {} problem(s):\n{}", .0.len(), list(.0))]
pub struct CatalogueError(pub Vec<Problem>);

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
