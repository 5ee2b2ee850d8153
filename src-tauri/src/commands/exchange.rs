//! Product files in and out, and the bundled example product.

use std::path::Path;

use canary::exchange::{
    export_product as export, import_product_file, ExportSummary, ImportSummary,
};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportDone {
    pub product_id: i64,
    pub assessment_id: i64,
    pub product_created: bool,
    pub responses_set: usize,
    pub evidence_added: usize,
}

impl From<ImportSummary> for ImportDone {
    fn from(s: ImportSummary) -> Self {
        Self {
            product_id: s.product_id,
            assessment_id: s.assessment_id,
            product_created: s.product_created,
            responses_set: s.responses_set,
            evidence_added: s.evidence_added,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportDone {
    /// The written `product.yaml`.
    pub product_file: String,
    pub responses: usize,
    pub evidence: usize,
}

impl From<ExportSummary> for ExportDone {
    fn from(s: ExportSummary) -> Self {
        Self {
            product_file: s.product_file.display().to_string(),
            responses: s.responses,
            evidence: s.evidence,
        }
    }
}

impl From<canary::exchange::ExchangeError> for IpcError {
    fn from(e: canary::exchange::ExchangeError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

/// Imports `product.yaml` (or a directory holding one) with its evidence files.
#[tauri::command]
pub fn import_product(state: State<'_, AppState>, path: String) -> IpcResult<ImportDone> {
    let p = canary::fsx::chosen_path(&path, "product file")?;
    state.with_workbook(|wb| Ok(import_product_file(wb, &state.catalogue, &p)?.into()))
}

/// Imports the bundled smart-plug example through the same path as any product
/// file, unpacked in a private folder under the app's own scratch folder.
#[tauri::command]
pub fn import_example(state: State<'_, AppState>) -> IpcResult<ImportDone> {
    let scratch = crate::scratch::root(&state.scratch_dir)?;
    state.with_workbook(|wb| {
        Ok(canary::exchange::import_example(wb, &state.catalogue, scratch)?.into())
    })
}

/// Exports the product's latest assessment into `path` (a new or empty directory).
#[tauri::command]
pub fn export_product(
    state: State<'_, AppState>,
    product: i64,
    path: String,
) -> IpcResult<ExportDone> {
    let out = canary::fsx::chosen_path(&path, "export folder")?;
    let done: ExportDone =
        state.with_workbook(|wb| Ok(export(wb, &state.catalogue, product, &out)?.into()))?;
    state.remember_produced(Path::new(&done.product_file));
    Ok(done)
}
