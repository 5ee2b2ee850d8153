//! Product files: the YAML (plus evidence files) form of one product's assessment, for sharing and review.
//!
//! `product.yaml` names the product, the frameworks assessed against and one response
//! per requirement; evidence files sit beside it under `evidence/` with their SHA-256
//! in the YAML. [`read_product_file`] checks a file completely (every problem, with
//! file, line and field) before an import writes anything.

mod format;
mod problem;
mod validate;

pub use format::*;
pub use problem::{ExchangeError, Problem, ProblemKind};
pub use validate::{check_text, read_product_file, sha256_hex, Checked, FileContent};
