//! The History screen: the workbook's trail a page at a time, and `verify`.

use canary::workbook::{Event, VerifyReport};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Events per page when the UI does not say.
const PAGE: u32 = 200;
/// The most events one call returns, whatever the UI asks for.
const PAGE_MAX: u32 = 1000;

/// Up to `limit` trail events older than `before` (a `seq`), newest first.
#[tauri::command]
pub fn trail(
    state: State<'_, AppState>,
    before: Option<i64>,
    limit: Option<u32>,
) -> IpcResult<Vec<Event>> {
    if before.is_some_and(|b| b < 1) {
        return Err(IpcError::invalid(
            "before must be an event number (1 or more)",
        ));
    }
    let limit = limit.unwrap_or(PAGE).clamp(1, PAGE_MAX) as usize;
    state.with_workbook(|wb| Ok(wb.log_page(before, limit)?))
}

/// Checks the trail's hash chain, every stored file's SHA-256 and SQLite's own
/// checks. Re-reading every file takes a while on a large workbook, so it runs
/// off the UI thread.
#[tauri::command]
pub async fn verify_workbook<R: Runtime>(app: AppHandle<R>) -> IpcResult<VerifyReport> {
    let check = move || {
        let state = app.state::<AppState>();
        state.with_workbook(|wb| Ok(wb.verify()?))
    };
    tauri::async_runtime::spawn_blocking(check)
        .await
        .map_err(|e| IpcError::new("internal", format!("the check stopped: {e}")))?
}
