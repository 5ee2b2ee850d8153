//! The History screen: the workbook's trail a page at a time, and `verify`.

use canary::workbook::{Event, VerifyReport, Workbook};
use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::args::Args;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Events per page when the UI does not say.
const PAGE: u32 = 200;
/// The most events one call returns, whatever the UI asks for.
const PAGE_MAX: u32 = 1000;

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrailArgs {
    #[ts(optional = nullable)]
    pub before: Option<i64>,
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
}

/// Up to `limit` trail events older than `before` (a `seq`), newest first.
#[tauri::command]
pub fn trail(state: State<'_, AppState>, args: Args<TrailArgs>) -> IpcResult<Vec<Event>> {
    let TrailArgs { before, limit } = args.0;
    let limit = limit.unwrap_or(PAGE).clamp(1, PAGE_MAX) as usize;
    state.with_workbook(|wb| Ok(wb.log_page(before, limit)?))
}

/// Checks the trail's hash chain, every stored file's SHA-256, every row against
/// the replayed trail (findings name table, id and field) and SQLite's own
/// checks. Re-reading every file takes a while on a large workbook, so it runs
/// off the UI thread on a connection of its own: the open workbook's lock stays
/// free for the other screens meanwhile (WAL lets readers run beside them).
#[tauri::command]
pub async fn verify_workbook<R: Runtime>(app: AppHandle<R>) -> IpcResult<VerifyReport> {
    let path = app
        .state::<AppState>()
        .with_workbook(|wb| Ok(wb.path().to_owned()))?;
    let check =
        move || -> IpcResult<VerifyReport> { Ok(Workbook::open_read_only(&path)?.verify()?) };
    tauri::async_runtime::spawn_blocking(check)
        .await
        .map_err(|e| IpcError::new("internal", format!("the check stopped: {e}")))?
}
