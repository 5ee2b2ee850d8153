//! Canary: a compliance workbook for consumer IoT security.
//!
//! The pipeline, in the order data flows through it:
//!
//! 1. [`catalogue`] — frameworks, requirements and mappings, loaded from the YAML in
//!    `guidelines/` (embedded in the binary) and validated.
//! 2. `workbook` — one SQLite file per workbook: products, assessments, responses,
//!    evidence, review, sign-off and a hash-chained trail.
//! 3. `report` and `exchange` — what leaves the workbook: PDF reports rendered with
//!    typst, and product files (YAML + evidence) for sharing and review.

pub mod catalogue;
pub mod exchange;
pub mod report;
pub mod workbook;
