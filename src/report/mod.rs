//! Reports: typst templates (`templates/*.typ`) fed with data as JSON; one function
//! per report, tagged PDF/A-3a + PDF/UA-1 bytes out with the warnings a reader should see.
//!
//! Every report is deterministic: dates and ids come from the `generated_at` passed in
//! (see [`report_time`], which honours `SOURCE_DATE_EPOCH`), never from the clock.

mod attestation;
mod clock;
pub mod coverage;
mod cra;
mod data;
mod engine;
mod error;
mod fonts;
mod from_workbook;
mod mapping;
mod pack;
mod psti;
mod save;
mod text;

pub use attestation::attestation;
pub use clock::report_time;
pub use cra::cra_declaration;
pub use data::{
    ApprovalOverride, Assessment, Evidence, Manufacturer, Product, ProductRecord, Response, Review,
    Signoff, Status,
};
pub use engine::{Rendered, Stage};
pub use error::{MissingField, ReportError};
pub use mapping::mapping_report;
pub use psti::psti_statement;
pub use save::save;
