//! OSCAL 1.2.1 (JSON) exports, valid against NIST's schemas: a product's
//! assessment as assessment-results, a framework as a catalog, mapping sets as a
//! mapping-collection. Each is a typed document serialised by serde.

mod catalog;
mod common;
mod ids;
mod mapping;
mod results;

pub use catalog::{catalog, CatalogDocument};
pub use common::OSCAL_VERSION;
pub use ids::{control_id, uuid_of};
pub use mapping::{mapping_collection, MappingDocument};
pub use results::{assessment_results, objective_status, ResultsDocument};
