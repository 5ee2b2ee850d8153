//! A problem found in an input file, placed by file, line, column and field.
//!
//! The catalogue and product files are both YAML that people edit by hand; both
//! report every problem at once in the same `file:line:column: field: message` form.

use std::fmt;
use std::path::PathBuf;

/// One problem in one file; `K` is the module's own list of problem kinds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem<K> {
    pub kind: K,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Path of the offending field inside the file, e.g. `mappings[4].to`.
    pub field: Option<String>,
    pub message: String,
}

impl<K> fmt::Display for Problem<K> {
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

/// The problems as an indented list, one a line, for error messages.
pub fn list<K>(problems: &[Problem<K>]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
