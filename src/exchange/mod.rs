//! Product files: the YAML (plus evidence files) form of one product's assessment, for sharing and review.
//!
//! `product.yaml` names the product, the frameworks assessed against and one response
//! per requirement; evidence files sit beside it under `evidence/` with their SHA-256
//! in the YAML. [`read_product_file`] checks a file completely (every problem, with
//! file, line and field) before [`import_product_file`] writes anything;
//! [`export_product`] writes the same form back out, byte for byte stable.
//!
//! The other ways out: [`oscal`] (OSCAL 1.2.1 JSON for auditors' tools),
//! [`sheet`] (XLSX and CSV), [`save_export`] (those as one file, never over
//! another unasked) and [`diff_assessments`] (what changed between two
//! assessments of a product).

mod diff;
mod example;
mod export;
mod format;
mod import;
pub mod oscal;
mod problem;
mod save;
pub mod sheet;
mod validate;

pub use crate::digest::sha256_hex;
pub use diff::{
    compare, diff_assessments, AssessmentDiff, AssessmentName, AssessmentRef, Change, DiffError,
    EvidenceItem, RequirementChange,
};
pub use example::import_example;
pub use export::{export_product, product_file, to_yaml, ExportSummary};
pub use format::*;
pub use import::{import_checked, import_product_file, ImportSummary};
pub use problem::{ExchangeError, Problem, ProblemKind};
pub use save::{export_bytes, save_export, FileFormat, Saved};
pub use validate::{check_text, read_product_file, Checked, FileContent};
