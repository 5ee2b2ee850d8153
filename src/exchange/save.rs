//! An export saved as one file — a spreadsheet, a CSV table or OSCAL JSON —
//! written whole, and never over anything already at the path unless the person
//! chose to replace it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::problem::ExchangeError;
use crate::catalogue::Catalogue;
use crate::workbook::Workbook;

/// The single-file forms an export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// The Portfolio sheet and a sheet per product.
    Xlsx,
    /// One product's requirements table.
    Csv,
    /// One product's latest assessment as OSCAL 1.2.1 assessment-results.
    Oscal,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    pub bytes: usize,
}

/// The bytes of `format` for `product`, or for every product (XLSX only) when `None`.
pub fn export_bytes(
    workbook: &Workbook,
    cat: &Catalogue,
    format: FileFormat,
    product: Option<i64>,
) -> Result<Vec<u8>, ExchangeError> {
    if let Some(id) = product {
        // The spreadsheet filters the portfolio by id: an unknown one must not
        // quietly give an empty file.
        workbook.product(id)?;
    }
    let needs_product = || {
        ExchangeError::Export(format!(
            "the {} export is of one product; name the product",
            format.label()
        ))
    };
    match format {
        FileFormat::Xlsx => {
            let only = product.map(|id| vec![id]);
            super::sheet::export_xlsx(workbook, cat, only.as_deref())
        }
        FileFormat::Csv => {
            let id = product.ok_or_else(needs_product)?;
            Ok(super::sheet::export_csv(workbook, cat, id)?.into_bytes())
        }
        FileFormat::Oscal => {
            let id = product.ok_or_else(needs_product)?;
            let doc = super::oscal::assessment_results(workbook, cat, id)?;
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| ExchangeError::Export(format!("writing the OSCAL JSON: {e}")))?;
            Ok((text + "\n").into_bytes())
        }
    }
}

/// Writes the export to `path`. Something already there is an
/// [`ExchangeError::Exists`] unless `replace`; a symbolic link is never
/// followed nor replaced.
pub fn save_export(
    workbook: &Workbook,
    cat: &Catalogue,
    format: FileFormat,
    product: Option<i64>,
    path: &Path,
    replace: bool,
) -> Result<Saved, ExchangeError> {
    let bytes = export_bytes(workbook, cat, format, product)?;
    let written = if replace {
        crate::fsx::write_atomically(path, &bytes)
    } else {
        crate::fsx::write_new(path, &bytes)
    };
    written.map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => ExchangeError::Exists(path.to_owned()),
        _ => ExchangeError::Io {
            path: path.to_owned(),
            error,
        },
    })?;
    Ok(Saved {
        path: path.to_owned(),
        bytes: bytes.len(),
    })
}

impl FileFormat {
    pub fn label(self) -> &'static str {
        match self {
            Self::Xlsx => "spreadsheet",
            Self::Csv => "CSV",
            Self::Oscal => "OSCAL assessment-results",
        }
    }
}
