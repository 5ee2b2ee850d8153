//! Responses, evidence and review verdicts on one requirement of an assessment.

use std::path::PathBuf;

use canary::workbook::{
    Evidence, EvidenceInput, EvidenceSource, Response, ResponseInput, Review, Verdict,
};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[tauri::command]
pub fn set_response(
    state: State<'_, AppState>,
    assessment: i64,
    requirement: String,
    input: ResponseInput,
) -> IpcResult<Response> {
    state.with_workbook(|wb| {
        Ok(wb.set_response(&state.catalogue, assessment, &requirement, &input)?)
    })
}

fn add(
    state: &AppState,
    assessment: i64,
    requirement: &str,
    input: EvidenceInput,
) -> IpcResult<Evidence> {
    state.with_workbook(|wb| {
        Ok(wb.add_evidence(&state.catalogue, assessment, requirement, &input)?)
    })
}

/// An optional evidence date as the UI sends it: blank means none (the store
/// checks the format and names the field).
fn day(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Stores a copy of the file at `path` as evidence (titled by its file name).
#[tauri::command]
pub fn add_evidence_file(
    state: State<'_, AppState>,
    assessment: i64,
    requirement: String,
    path: String,
    date: Option<String>,
    expires: Option<String>,
) -> IpcResult<Evidence> {
    let path = PathBuf::from(path.trim());
    if !path.is_absolute() {
        return Err(IpcError::invalid(format!(
            "{} is not an absolute path",
            path.display()
        )));
    }
    if !path.is_file() {
        return Err(IpcError::invalid(format!(
            "{} is not a file",
            path.display()
        )));
    }
    let title = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    add(
        &state,
        assessment,
        &requirement,
        EvidenceInput {
            title,
            source: EvidenceSource::File(path),
            date: day(date),
            expires: day(expires),
        },
    )
}

#[tauri::command]
pub fn add_evidence_link(
    state: State<'_, AppState>,
    assessment: i64,
    requirement: String,
    url: String,
    title: String,
    date: Option<String>,
    expires: Option<String>,
) -> IpcResult<Evidence> {
    let url = url.trim().to_owned();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(IpcError::invalid(format!(
            "{url:?} is not a web link (http:// or https://)"
        )));
    }
    let title = if title.trim().is_empty() {
        url.clone()
    } else {
        title
    };
    add(
        &state,
        assessment,
        &requirement,
        EvidenceInput {
            title,
            source: EvidenceSource::Link(url),
            date: day(date),
            expires: day(expires),
        },
    )
}

#[tauri::command]
pub fn add_evidence_note(
    state: State<'_, AppState>,
    assessment: i64,
    requirement: String,
    note: String,
    title: String,
    date: Option<String>,
    expires: Option<String>,
) -> IpcResult<Evidence> {
    let title = if title.trim().is_empty() {
        note.lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect()
    } else {
        title
    };
    add(
        &state,
        assessment,
        &requirement,
        EvidenceInput {
            title,
            source: EvidenceSource::Note(note),
            date: day(date),
            expires: day(expires),
        },
    )
}

#[tauri::command]
pub fn remove_evidence(state: State<'_, AppState>, evidence: i64) -> IpcResult<()> {
    state.with_workbook(|wb| Ok(wb.remove_evidence(evidence)?))
}

/// Undoes a removal: the item comes back from the trail under a new id.
#[tauri::command]
pub fn restore_evidence(state: State<'_, AppState>, evidence: i64) -> IpcResult<Evidence> {
    state.with_workbook(|wb| Ok(wb.restore_evidence(evidence)?))
}

/// Opens an evidence item: a link in the browser, a file copied out of the workbook
/// into a private folder (see `scratch`) with the system's viewer.
#[tauri::command]
pub fn open_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    assessment: i64,
    requirement: String,
    evidence: i64,
) -> IpcResult<String> {
    let item = state.with_workbook(|wb| {
        let response = wb
            .response(assessment, &requirement)?
            .ok_or_else(|| IpcError::not_found(format!("no response to {requirement}")))?;
        wb.evidence(response.id)?
            .into_iter()
            .find(|e| e.id == evidence)
            .ok_or_else(|| IpcError::not_found(format!("no evidence {evidence} on {requirement}")))
    })?;
    let target = if let Some(url) = item.url.as_deref() {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(IpcError::invalid(format!(
                "{url:?} is not a web link; it was not opened"
            )));
        }
        url.to_owned()
    } else if let (Some(hash), Some(name)) = (item.blob_hash.as_deref(), item.file_name.as_deref())
    {
        let dir = crate::scratch::dir_for(&state.scratch_dir, hash)?;
        let safe = std::path::Path::new(name)
            .file_name()
            .map_or_else(|| hash.into(), |n| n.to_owned());
        let path = dir.join(safe);
        // Copied out afresh every time, so a copy edited in the viewer never
        // passes for the evidence; read-only, as a reminder it is only a copy.
        let part = dir.join(format!(".part-{}-{evidence}", std::process::id()));
        let _ = std::fs::remove_file(&part);
        state
            .with_workbook(|wb| Ok(wb.export_blob(hash, &part)?))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&part);
            })?;
        crate::scratch::seal(&part, &path)?;
        state.remember_produced(&path);
        path.display().to_string()
    } else {
        return Err(IpcError::invalid("a note has nothing to open"));
    };
    if state.open_externally {
        let opened = if item.url.is_some() {
            app.opener().open_url(&target, None::<&str>)
        } else {
            app.opener().open_path(&target, None::<&str>)
        };
        opened
            .map_err(|e| IpcError::new("open_failed", format!("could not open {target}: {e}")))?;
    }
    Ok(target)
}

#[tauri::command]
pub fn set_review(
    state: State<'_, AppState>,
    assessment: i64,
    requirement: String,
    verdict: Verdict,
    comment: String,
) -> IpcResult<Review> {
    state.with_workbook(|wb| Ok(wb.review(assessment, &requirement, verdict, &comment)?))
}
