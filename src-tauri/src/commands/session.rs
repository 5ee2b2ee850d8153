//! Which workbook is open, opening and creating one, the recent list, and who
//! acts: the person in their own config directory (their home), not the workbook.

use std::path::Path;

use canary::identity::{Home, Person};
use canary::workbook::{Profile, Workbook};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::args::Args;
use crate::error::{IpcError, IpcResult};
use crate::state::{lock, AppState};

/// The open workbook as the UI shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WorkbookInfo {
    pub path: String,
    /// File name, shown in the window title and the sidebar.
    pub name: String,
    /// The person in the home; empty fields until one is set (writes are then
    /// recorded as the computer login).
    pub profile: Profile,
    pub has_profile: bool,
    /// The person's signing key (`RW…`) and its id, when they have one.
    #[ts(optional)]
    pub key: Option<String>,
    #[ts(optional)]
    pub key_id: Option<String>,
    /// Where the person's identity and key live.
    #[ts(optional)]
    pub home: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Session {
    #[ts(optional)]
    pub workbook: Option<WorkbookInfo>,
    pub recent: Vec<String>,
    /// Why the workbook chosen at launch did not open, if it did not.
    #[ts(optional)]
    pub launch_error: Option<IpcError>,
    /// Something to tell the person once, e.g. that a workbook's old profile became them.
    #[ts(optional)]
    pub notice: Option<String>,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn info(wb: &Workbook, home: Option<&Home>) -> IpcResult<WorkbookInfo> {
    let person = home.map(Home::person).transpose()?.flatten();
    let key = home.map(Home::public_key).transpose()?.flatten();
    Ok(WorkbookInfo {
        path: wb.path().display().to_string(),
        name: file_name(wb.path()),
        has_profile: person.is_some(),
        profile: person.map_or_else(Profile::default, |p| Profile {
            name: p.name,
            organisation: p.organisation,
            role: p.role,
        }),
        key: key.as_ref().map(|k| k.base64()),
        key_id: key.as_ref().map(|k| k.key_id()),
        home: home.map(|h| h.dir().display().to_string()),
    })
}

pub fn session_of(state: &AppState) -> IpcResult<Session> {
    let workbook = lock(&state.workbook)
        .as_ref()
        .map(|wb| info(wb, state.home().ok().as_ref()))
        .transpose()?;
    Ok(Session {
        workbook,
        recent: state.recent(),
        launch_error: lock(&state.launch_error).clone(),
        notice: lock(&state.notice).clone(),
    })
}

/// Sets the window title to the workbook's file name.
pub fn set_title<R: Runtime>(app: &AppHandle<R>, name: Option<&str>) {
    if let Some(w) = app.get_webview_window("main") {
        let title = name.map_or_else(|| "Canary".to_owned(), |n| format!("{n} — Canary"));
        if let Err(e) = w.set_title(&title) {
            eprintln!("canary-app: could not set the window title: {e}");
        }
    }
}

/// Acts as the home's person (a workbook's old profile becomes them if the home
/// holds nobody yet), else as the computer login.
fn act_as_person(state: &AppState, wb: &mut Workbook) -> IpcResult<()> {
    let acting = wb.act_as_person(state.home().ok().as_ref())?;
    if let Some(a) = acting.as_ref().filter(|a| a.adopted) {
        *lock(&state.notice) = Some(format!(
            "You are now {} ({}, {}), taken from this workbook's profile: who you are now lives in your own settings, not in the workbook.",
            a.person.name, a.person.organisation, a.person.role
        ));
    }
    Ok(())
}

/// Replaces the open workbook with `wb` and records it as recent.
pub fn install<R: Runtime>(app: &AppHandle<R>, state: &AppState, mut wb: Workbook) {
    if let Err(e) = act_as_person(state, &mut wb) {
        eprintln!("canary-app: could not read who you are: {}", e.message);
    }
    state.push_recent(wb.path());
    set_title(app, Some(&file_name(wb.path())));
    *lock(&state.workbook) = Some(wb);
    *lock(&state.launch_error) = None;
}

#[tauri::command]
pub fn session(state: State<'_, AppState>) -> IpcResult<Session> {
    session_of(&state)
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenWorkbookArgs {
    pub path: String,
    pub create: bool,
}

/// Opens an existing workbook (`create: false`) or creates a new one (`create: true`,
/// refused if the file exists). The previous workbook stays open if this fails.
#[tauri::command]
pub fn open_workbook<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: Args<OpenWorkbookArgs>,
) -> IpcResult<Session> {
    let OpenWorkbookArgs { path, create } = args.0;
    let path = canary::fsx::chosen_path(&path, "workbook file")?;
    let wb = if create {
        Workbook::create(&path)?
    } else {
        Workbook::open_until_write(&path)?
    };
    install(&app, &state, wb);
    session_of(&state)
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetProfileArgs {
    pub profile: Profile,
}

/// Sets who the person is (in their home); changes are recorded under this name
/// from now on, and their key must be unlocked again for it.
#[tauri::command]
pub fn set_profile(state: State<'_, AppState>, args: Args<SetProfileArgs>) -> IpcResult<Session> {
    let SetProfileArgs { profile } = args.0;
    let home = state.home()?;
    let person = Person::new(&profile.name, &profile.organisation, &profile.role);
    home.set_person(&person)?;
    state.with_workbook(|wb| {
        wb.set_actor(Some(person.name.clone()));
        wb.set_signer(None);
        Ok(())
    })?;
    *lock(&state.notice) = None;
    session_of(&state)
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateKeyArgs {
    pub passphrase: String,
}

/// Creates the person's signing key, encrypted with `passphrase`, for the person
/// their profile names; an existing key is never replaced.
#[tauri::command]
pub fn create_key(state: State<'_, AppState>, args: Args<CreateKeyArgs>) -> IpcResult<Session> {
    let CreateKeyArgs { passphrase } = args.0;
    let home = state.home()?;
    let person = home.person_for_key(None, None, None)?;
    home.create_key(&person, &passphrase)?;
    session_of(&state)
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UiReadyArgs {
    pub ui_ms: f64,
}

/// The UI calls this once the dashboard shows its data, with the milliseconds
/// since navigation started in the webview; logs the launch time.
#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>, args: Args<UiReadyArgs>) -> IpcResult<()> {
    let UiReadyArgs { ui_ms } = args.0;
    let ms = state.started.elapsed().as_millis();
    eprintln!("canary-app: dashboard interactive after {ms} ms from process start ({ui_ms:.0} ms in the webview)");
    Ok(())
}
