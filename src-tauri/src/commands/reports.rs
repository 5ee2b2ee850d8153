//! PDF reports of a product's latest assessment, rendered off the UI thread with
//! progress events, and opening the files this session wrote.

use std::path::PathBuf;

use canary::report::{self, ProductRecord, ReportError, Stage};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::args::Args;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Event carrying [`ReportProgress`] while a report renders.
pub const PROGRESS_EVENT: &str = "report-progress";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Attestation,
    PstiStatement,
    CraDeclaration,
    Mapping,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportProgress {
    pub kind: ReportKind,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportDone {
    pub path: String,
    pub pages: usize,
    /// The detached signature written beside it, when the person has a key.
    pub signature: Option<String>,
    /// What a reader of the report should know (e.g. characters no font covers).
    pub warnings: Vec<String>,
}

impl From<ReportError> for IpcError {
    fn from(e: ReportError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

fn stage_text(s: Stage) -> &'static str {
    match s {
        Stage::LoadingFonts => "Loading fonts…",
        Stage::Typesetting => "Typesetting…",
        Stage::WritingPdf => "Writing the PDF…",
    }
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GenerateReportArgs {
    pub kind: ReportKind,
    pub product: i64,
    pub path: String,
    pub replace: bool,
    /// Unlocks the person's key the first time it signs (never kept, never logged).
    #[ts(optional)]
    pub passphrase: Option<String>,
}

/// Renders `kind` for `product`'s latest assessment into `path`, which the
/// person chose. A file already there is replaced only with `replace: true`,
/// sent after they confirmed it; otherwise `already_exists`, before any work.
#[tauri::command]
pub async fn generate_report<R: Runtime>(
    app: AppHandle<R>,
    args: Args<GenerateReportArgs>,
) -> IpcResult<ReportDone> {
    let GenerateReportArgs {
        kind,
        product,
        path,
        replace,
        passphrase,
    } = args.0;
    let out = canary::fsx::chosen_output(&path, "report", replace)?;
    let record = {
        let state = app.state::<AppState>();
        // The report is signed by the person making it, as their acts are.
        state.act(passphrase, |wb| {
            let page = wb.product_page(&state.catalogue, product, None)?;
            Ok(ProductRecord::from_workbook(wb, &page)?)
        })?
    };
    let at = report::report_time()?;
    let render = move || -> IpcResult<ReportDone> {
        let state = app.state::<AppState>();
        let emit = |message: &str| {
            let _ = app.emit(
                PROGRESS_EVENT,
                ReportProgress {
                    kind,
                    message: message.to_owned(),
                },
            );
        };
        let progress = |s: Stage| emit(stage_text(s));
        let cat = &state.catalogue;
        let rendered = match kind {
            ReportKind::Attestation => report::attestation(cat, &record, at, &progress)?,
            ReportKind::PstiStatement => report::psti_statement(cat, &record, at, &progress)?,
            ReportKind::CraDeclaration => report::cra_declaration(cat, &record, at, &progress)?,
            ReportKind::Mapping => report::mapping_report(cat, Some(&record), at, &progress)?,
        };
        emit("Saving the file…");
        let signature = state.with_workbook(|wb| {
            wb.document_signer()
                .map(|s| canary::document::sign(&rendered.pdf, cat, &s.key, &s.person))
                .transpose()
                .map_err(|e| IpcError::new("signing_failed", e.to_string()))
        })?;
        let sig_path = report::save(&out, &rendered.pdf, signature.as_deref(), replace)?;
        state.remember_produced(&out);
        Ok(ReportDone {
            path: out.display().to_string(),
            pages: rendered.pages,
            signature: sig_path.map(|p| p.display().to_string()),
            warnings: rendered.warnings,
        })
    };
    tauri::async_runtime::spawn_blocking(render)
        .await
        .map_err(|e| IpcError::new("internal", format!("the report job stopped: {e}")))?
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenProducedArgs {
    pub path: String,
}

/// Opens a file this session wrote (a report, an export) with the system's viewer.
#[tauri::command]
pub fn open_produced<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: Args<OpenProducedArgs>,
) -> IpcResult<()> {
    let OpenProducedArgs { path } = args.0;
    let p = PathBuf::from(&path);
    if !state.was_produced(&p) {
        return Err(IpcError::invalid(format!(
            "{path} was not written by Canary in this session"
        )));
    }
    if !p.is_file() {
        return Err(IpcError::not_found(format!("{path} no longer exists")));
    }
    if !state.open_externally {
        return Ok(());
    }
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| IpcError::new("open_failed", format!("could not open {path}: {e}")))
}
