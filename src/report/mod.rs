//! Reports: typst templates (`templates/*.typ`) fed with data as JSON; one function
//! per report, tagged PDF/A-3a + PDF/UA-1 bytes out with the warnings a reader should see.
//!
//! Every report is deterministic: dates and ids come from the `generated_at` passed in
//! (see [`report_time`], which honours `SOURCE_DATE_EPOCH`), never from the clock.

use serde_json::Value;

use crate::catalogue::{Catalogue, Framework};

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

/// A product's report: its data built from `record`, rendered with `template`,
/// carrying the record's manifest. Every product report starts here.
pub(crate) fn render_product(
    report: &'static str,
    template: &'static str,
    data: fn(&Catalogue, &ProductRecord, i64) -> Result<Value, ReportError>,
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
    progress: &dyn Fn(Stage),
) -> Result<Rendered, ReportError> {
    let data = data(catalogue, record, generated_at)?;
    let manifest = record.manifest(report, catalogue, generated_at);
    engine::render(
        engine::Job {
            report,
            template,
            data,
            manifest,
            generated_at,
        },
        progress,
    )
}

/// The framework `id`, which a report needs from the catalogue.
pub(crate) fn framework<'c>(
    catalogue: &'c Catalogue,
    id: &str,
) -> Result<&'c Framework, ReportError> {
    catalogue
        .framework(id)
        .ok_or_else(|| ReportError::MissingCatalogueEntry {
            what: "framework",
            id: id.to_owned(),
        })
}
