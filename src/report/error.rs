//! What can go wrong while making a report; every variant says enough to act on.

use serde::Serialize;

/// A value a statement of compliance needs but the workbook does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingField {
    /// The catalogue item (or requirement) that needs the value.
    pub item: String,
    /// The item's label, as printed on the statement.
    pub label: String,
    /// Where the value would come from, e.g. `product.support_period_end`.
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for MissingField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.label, self.field, self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds.
    #[error("SOURCE_DATE_EPOCH must be seconds since 1970-01-01 (got {0:?})")]
    BadEpoch(String),
    /// The catalogue lacks something the report is built from.
    #[error("the catalogue has no {what} `{id}`")]
    MissingCatalogueEntry { what: &'static str, id: String },
    /// The statement of compliance cannot be issued until these are filled in.
    #[error(
        "the statement of compliance cannot be issued; {} value(s) missing:\n{}",
        .0.len(),
        .0.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n")
    )]
    Incomplete(Vec<MissingField>),
    /// The EU declaration of conformity cannot be made until these are settled.
    #[error(
        "the EU declaration of conformity cannot be issued; {} thing(s) missing:\n{}",
        .0.len(),
        .0.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n")
    )]
    DeclarationIncomplete(Vec<MissingField>),
    /// The template failed to typeset: a defect in Canary, not in the data.
    #[error("typesetting the {report} report failed:\n{}", .errors.join("\n"))]
    Typeset {
        report: &'static str,
        errors: Vec<String>,
    },
    #[error("writing the {report} PDF failed:\n{}", .errors.join("\n"))]
    Pdf {
        report: &'static str,
        errors: Vec<String>,
    },
    /// A text longer than any Canary write allows: the workbook was changed outside Canary.
    #[error(
        "the {report} report cannot be made: the workbook holds a text of {bytes} bytes, \
         longer than Canary ever writes ({max} bytes); it was changed outside Canary",
        max = crate::workbook::MAX_TEXT_BYTES
    )]
    TextTooLong { report: &'static str, bytes: usize },
    /// The chosen file exists and replacing it was not confirmed.
    #[error("{0} already exists")]
    Exists(std::path::PathBuf),
    #[error("writing {path}: {error}")]
    Write {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}

impl ReportError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadEpoch(_) => "bad_epoch",
            Self::MissingCatalogueEntry { .. } => "missing_catalogue_entry",
            Self::Incomplete(_) => "statement_incomplete",
            Self::DeclarationIncomplete(_) => "declaration_incomplete",
            Self::Typeset { .. } => "typeset_failed",
            Self::Pdf { .. } => "pdf_failed",
            Self::TextTooLong { .. } => "damaged",
            Self::Exists(_) => "already_exists",
            Self::Write { error, .. } if error.kind() == std::io::ErrorKind::InvalidInput => {
                "invalid_input"
            }
            Self::Write { .. } => "io",
        }
    }
}
