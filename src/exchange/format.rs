//! The product file: `product.yaml`, one product's assessment in a form people can
//! read, diff and hand to a reviewer. Evidence files sit beside it under `evidence/`.
//!
//! Every struct denies unknown fields so a typo (`statment:`) is an error with its
//! line rather than silently lost text.

use serde::{Deserialize, Serialize};

pub use crate::workbook::Status;

/// The product file format version this build reads and writes (`canary: 1`).
pub const FORMAT_VERSION: u32 = 1;

/// File name of the product file inside an exported directory.
pub const PRODUCT_FILE: &str = "product.yaml";

/// Directory, relative to the product file, that export writes evidence files into.
pub const EVIDENCE_DIR: &str = "evidence";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFile {
    /// Format version; must equal [`FORMAT_VERSION`].
    pub canary: u32,
    pub product: Product,
    /// Label of the assessment; used when the import creates one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<String>,
    /// Framework ids the assessment covers; every response must belong to one of them.
    pub frameworks: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub model: String,
    /// Kind of device, e.g. `smart plug`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Batch or hardware revision; with manufacturer and model it identifies the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// Last day of the defined support period, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_period_end: Option<String>,
    pub manufacturer: Manufacturer,
    /// Stakeholder roles the organisation holds for this product, e.g. `DM`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Markets the product is placed on, e.g. `UK`, `EU`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<String>,
    /// What its EU declaration of conformity states (CRA Annexes V and VI).
    #[serde(default, skip_serializing_if = "Cra::is_empty")]
    pub cra: Cra,
    /// Security labels the product holds (JC-STAR, Singapore CLS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
}

/// A security label: `{scheme: jc-star, level: STAR-1, label_id: …, expiry: 2027-03-31}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// A labelling scheme id of the catalogue, e.g. `jc-star`, `sg-cls`.
    pub scheme: String,
    /// As the scheme names it, e.g. `STAR-1`, `Level 2`.
    pub level: String,
    pub label_id: String,
    /// Last day the label is valid, `YYYY-MM-DD`.
    pub expiry: String,
}

/// The product's EU declaration of conformity details; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cra {
    /// Harmonised standards, common specifications or certifications applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_body_number: Option<String>,
    /// The conformity assessment procedure performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// Where the full declaration is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration_url: Option<String>,
}

impl Cra {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manufacturer {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// `<framework>:<ref>`, e.g. `uk-cop-2018:1`.
    pub requirement: String,
    pub status: Status,
    /// How the product meets the requirement, in the manufacturer's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// Why the requirement is not (fully) met or does not apply; required for
    /// `not_met` and `not_applicable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Who answers for this response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// One evidence item: exactly one of `file`, `url` or `note`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub title: String,
    /// Path relative to the product file's directory, inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// SHA-256 of the file, lower-case hex. Optional when writing a file by hand;
    /// when present it must match, so a file swapped after review is caught.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Date of the evidence itself, e.g. when a test was run (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// When the evidence stops being valid (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}
