//! Canary: a compliance workbook for consumer IoT security.
//!
//! The pipeline, in the order data flows through it:
//!
//! 1. [`catalogue`] — frameworks, requirements and mappings, loaded from the YAML in
//!    `guidelines/` (embedded in the binary) and validated.
//! 2. [`workbook`] — one SQLite file per workbook: products, assessments, responses,
//!    evidence, review, sign-off and a hash-chained trail.
//! 3. What leaves the workbook: [`report`] renders PDFs with typst, and [`exchange`]
//!    reads and writes product files (YAML + evidence) for sharing and review.
//!
//! [`located`] is the one shape both YAML readers use to report problems by file and line;
//! [`digest`] the one SHA-256 hex form everything stores and compares.
//! [`fsx`] holds the file writes every front end shares (atomic replace, private
//! scratch folders).
//!
//! [`identity`] is who a person is and the keys they sign with and trust (in
//! their own config directory); [`document`] signs and checks the PDFs reports
//! leave as; [`received`] is the register of documents received from others.
//!
//! [`safe_file`] opens files from outside so that only regular files are read, and
//! [`yaml_guard`] bounds what a YAML file can cost before serde reads it.

pub mod catalogue;
pub mod workbook;

pub mod exchange;
pub mod report;

pub mod digest;
pub mod fsx;
pub mod located;

pub mod document;
pub mod identity;
pub mod received;
pub mod request;
pub mod safe_file;
pub mod yaml_guard;
