//! The Received screen: documents received from others, checked, kept and listed
//! by the core (`canary::received`), with the person's trusted keys from their
//! own config directory (`AppState::home`).

use canary::received::{Receipt, ReceivedDetail, ReceivedError, Receiver, RegisterRow};
use canary::workbook::Workbook;
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::args::Args;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

impl From<ReceivedError> for IpcError {
    fn from(e: ReceivedError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

/// Runs `f` with the register's receiver: the catalogue, your trusted keys and your own key.
fn with_receiver<T>(
    state: &AppState,
    f: impl FnOnce(&Receiver<'_>, &mut Workbook) -> IpcResult<T>,
) -> IpcResult<T> {
    let home = state.home()?;
    let trusted = home.trust_store()?;
    let own = home.public_key()?;
    let receiver = Receiver {
        catalogue: &state.catalogue,
        trusted: &trusted,
        own: own.as_ref(),
    };
    state.with_workbook(|wb| f(&receiver, wb))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceiveDocumentsArgs {
    pub paths: Vec<String>,
}

/// Checks and keeps each chosen or dropped PDF (with `FILE.pdf.minisig` beside it
/// when signed); one receipt per path, in order.
#[tauri::command]
pub fn receive_documents(
    state: State<'_, AppState>,
    args: Args<ReceiveDocumentsArgs>,
) -> IpcResult<Vec<Receipt>> {
    let ReceiveDocumentsArgs { paths } = args.0;
    with_receiver(&state, |receiver, wb| {
        Ok(paths
            .iter()
            .map(|p| match canary::fsx::chosen_path(p, "received document") {
                Ok(path) => receiver.receive_file(wb, &path, None),
                Err(e) => Receipt::Refused {
                    file: p.clone(),
                    reason: e.to_string(),
                },
            })
            .collect())
    })
}

#[tauri::command]
pub fn received_list(state: State<'_, AppState>) -> IpcResult<Vec<RegisterRow>> {
    with_receiver(&state, |receiver, wb| Ok(receiver.register(wb)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedDetailArgs {
    pub id: i64,
}

#[tauri::command]
pub fn received_detail(
    state: State<'_, AppState>,
    args: Args<ReceivedDetailArgs>,
) -> IpcResult<ReceivedDetail> {
    let ReceivedDetailArgs { id } = args.0;
    with_receiver(&state, |receiver, wb| Ok(receiver.detail(wb, id)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustReceivedKeyArgs {
    pub id: i64,
    pub name: String,
    #[ts(optional = nullable)]
    pub organisation: Option<String>,
}

/// Trusts the key that signed document `id` under `name`, pinned to
/// `organisation` when given; returns the document as now judged.
#[tauri::command]
pub fn trust_received_key(
    state: State<'_, AppState>,
    args: Args<TrustReceivedKeyArgs>,
) -> IpcResult<ReceivedDetail> {
    let TrustReceivedKeyArgs {
        id,
        name,
        organisation,
    } = args.0;
    let home = state.home()?;
    state.with_workbook(|wb| {
        canary::received::trust_signer(&home, wb, id, &name, organisation.as_deref())?;
        Ok(())
    })?;
    with_receiver(&state, |receiver, wb| Ok(receiver.detail(wb, id)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveReceivedArgs {
    pub id: i64,
}

/// Takes document `id` off the register (the trail records it as it was).
#[tauri::command]
pub fn remove_received(
    state: State<'_, AppState>,
    args: Args<RemoveReceivedArgs>,
) -> IpcResult<()> {
    let RemoveReceivedArgs { id } = args.0;
    state.with_workbook(|wb| {
        wb.remove_received(id)?;
        Ok(())
    })
}
