//! `canary catalog export`: the whole catalogue as JSON, the stable machine interface.
//!
//! It is the catalogue model itself, serialised by serde, so a field added to a
//! framework, mapping or reference file reaches the export without anyone
//! remembering to copy it (hand-built JSON once dropped the CoP's footnotes).

use serde::{Deserialize, Serialize};

use super::{Catalogue, Framework, MappingSet, ReferenceSet, SCHEMA_VERSION};

/// The export document; deserialising it gives back exactly the loaded model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueExport {
    /// Catalogue file format version of the content.
    pub schema_version: u32,
    /// SHA-256 over every catalogue file ([`Catalogue::digest`]).
    pub digest: String,
    pub frameworks: Vec<Framework>,
    pub mapping_sets: Vec<MappingSet>,
    pub reference_sets: Vec<ReferenceSet>,
}

impl CatalogueExport {
    pub fn of(cat: &Catalogue) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            digest: cat.digest().to_owned(),
            frameworks: cat.frameworks().to_vec(),
            mapping_sets: cat.mapping_sets().to_vec(),
            reference_sets: cat.reference_sets().to_vec(),
        }
    }
}
