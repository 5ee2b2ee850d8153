//! Product files in and out, the bundled example product, spreadsheet and
//! OSCAL exports, and what changed between two assessments.

use std::path::Path;

use canary::exchange::{
    export_product as export, import_product_file, AssessmentDiff, DiffError, ExportSummary,
    FileFormat, ImportSummary,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::args::Args;
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

impl From<DiffError> for IpcError {
    fn from(e: DiffError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FileExported {
    pub path: String,
    pub bytes: usize,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProductArgs {
    pub path: String,
}

/// Imports `product.yaml` (or a directory holding one) with its evidence files.
#[tauri::command]
pub fn import_product(
    state: State<'_, AppState>,
    args: Args<ImportProductArgs>,
) -> IpcResult<ImportDone> {
    let ImportProductArgs { path } = args.0;
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

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportProductArgs {
    pub product: i64,
    pub path: String,
}

/// Exports the product's latest assessment into `path` (a new or empty directory).
#[tauri::command]
pub fn export_product(
    state: State<'_, AppState>,
    args: Args<ExportProductArgs>,
) -> IpcResult<ExportDone> {
    let ExportProductArgs { product, path } = args.0;
    let out = canary::fsx::chosen_path(&path, "export folder")?;
    let done: ExportDone =
        state.with_workbook(|wb| Ok(export(wb, &state.catalogue, product, &out)?.into()))?;
    state.remember_produced(Path::new(&done.product_file));
    Ok(done)
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportFileArgs {
    pub format: FileFormat,
    #[ts(optional = nullable)]
    pub product: Option<i64>,
    pub path: String,
    pub replace: bool,
}

/// Saves `product`'s latest assessment (every product's for a spreadsheet
/// without one) as `format` at `path`; an existing file is replaced only when
/// `replace` says the person confirmed it. Runs off the UI thread.
#[tauri::command]
pub async fn export_file<R: Runtime>(
    app: AppHandle<R>,
    args: Args<ExportFileArgs>,
) -> IpcResult<FileExported> {
    let ExportFileArgs {
        format,
        product,
        path,
        replace,
    } = args.0;
    let out = canary::fsx::chosen_output(&path, "export file", replace)?;
    let save = move || -> IpcResult<FileExported> {
        let state = app.state::<AppState>();
        let saved = state.with_workbook(|wb| {
            Ok(canary::exchange::save_export(
                wb,
                &state.catalogue,
                format,
                product,
                &out,
                replace,
            )?)
        })?;
        state.remember_produced(&saved.path);
        Ok(FileExported {
            path: saved.path.display().to_string(),
            bytes: saved.bytes,
        })
    };
    tauri::async_runtime::spawn_blocking(save)
        .await
        .map_err(|e| IpcError::new("internal", format!("the export stopped: {e}")))?
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompareAssessmentsArgs {
    pub product: i64,
    #[ts(optional = nullable)]
    pub from: Option<i64>,
    #[ts(optional = nullable)]
    pub to: Option<i64>,
}

/// What changed from assessment `from` to `to` of `product` (default: the
/// latest against the one before it); the answer names the pair compared, so
/// the UI shows the core's default rather than working one out.
#[tauri::command]
pub fn compare_assessments(
    state: State<'_, AppState>,
    args: Args<CompareAssessmentsArgs>,
) -> IpcResult<AssessmentDiff> {
    let CompareAssessmentsArgs { product, from, to } = args.0;
    let id = canary::exchange::AssessmentName::Id;
    state.with_workbook(|wb| {
        Ok(canary::exchange::diff_assessments(
            wb,
            &state.catalogue,
            product,
            from.map(id),
            to.map(id),
        )?)
    })
}
