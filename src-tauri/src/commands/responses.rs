//! Responses, evidence and review verdicts on one requirement of an assessment.

use std::path::PathBuf;

use canary::workbook::{
    Evidence, EvidenceInput, EvidenceSource, Opening, Response, ResponseInput, Review, Verdict,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::args::Args;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetResponseArgs {
    pub assessment: i64,
    pub requirement: String,
    pub input: ResponseInput,
}

#[tauri::command]
pub fn set_response(
    state: State<'_, AppState>,
    args: Args<SetResponseArgs>,
) -> IpcResult<Response> {
    let SetResponseArgs {
        assessment,
        requirement,
        input,
    } = args.0;
    state.with_workbook(|wb| {
        Ok(wb.set_response(&state.catalogue, assessment, &requirement, &input)?)
    })
}

/// Where a new evidence item's content comes from, as the UI sends it. Each
/// variant's fields are a struct of their own: a tagged variant's stray field is
/// out of `Args`' sight, and `deny_unknown_fields` works on structs.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvidenceContent {
    /// A file to copy into the workbook.
    File(FileContent),
    Link(LinkContent),
    Note(NoteContent),
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FileContent {
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LinkContent {
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NoteContent {
    pub text: String,
}

/// An evidence item to add. A blank title takes the store's default (the file's
/// name, the link, the note's first line); blank dates are none.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewEvidence {
    pub content: EvidenceContent,
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub date: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub expires: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddEvidenceArgs {
    pub assessment: i64,
    pub requirement: String,
    pub input: NewEvidence,
}

/// Adds a file (stored inside the workbook), a link or a note to the response to
/// `requirement`.
#[tauri::command]
pub fn add_evidence(
    state: State<'_, AppState>,
    args: Args<AddEvidenceArgs>,
) -> IpcResult<Evidence> {
    let AddEvidenceArgs {
        assessment,
        requirement,
        input,
    } = args.0;
    let source = match input.content {
        EvidenceContent::File(FileContent { path }) => EvidenceSource::File(PathBuf::from(path)),
        EvidenceContent::Link(LinkContent { url }) => EvidenceSource::Link(url),
        EvidenceContent::Note(NoteContent { text }) => EvidenceSource::Note(text),
    };
    let input = EvidenceInput {
        title: input.title.unwrap_or_default(),
        source,
        date: input.date,
        expires: input.expires,
    };
    state.with_workbook(|wb| {
        Ok(wb.add_evidence(&state.catalogue, assessment, &requirement, &input)?)
    })
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveEvidenceArgs {
    pub evidence: i64,
}

#[tauri::command]
pub fn remove_evidence(
    state: State<'_, AppState>,
    args: Args<RemoveEvidenceArgs>,
) -> IpcResult<()> {
    let RemoveEvidenceArgs { evidence } = args.0;
    state.with_workbook(|wb| Ok(wb.remove_evidence(evidence)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreEvidenceArgs {
    pub evidence: i64,
}

/// Undoes a removal: the item comes back from the trail under a new id.
#[tauri::command]
pub fn restore_evidence(
    state: State<'_, AppState>,
    args: Args<RestoreEvidenceArgs>,
) -> IpcResult<Evidence> {
    let RestoreEvidenceArgs { evidence } = args.0;
    state.with_workbook(|wb| Ok(wb.restore_evidence(evidence)?))
}

/// How an evidence item was shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ShownIn {
    Browser,
    Viewer,
    /// Its folder, with the copy selected: a type that could run code is never opened.
    Folder,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenedEvidence {
    /// The link, or the path of the read-only copy.
    pub target: String,
    pub shown_in: ShownIn,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenEvidenceArgs {
    pub assessment: i64,
    pub requirement: String,
    pub evidence: i64,
}

/// Opens an evidence item the way the store decides ([`Evidence::opening`]): a
/// link in the browser; a file copied out of the workbook read-only into a
/// private folder (see `scratch`), then shown with the system's viewer if it is a
/// type viewers only display, else revealed in its folder.
#[tauri::command]
pub fn open_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: Args<OpenEvidenceArgs>,
) -> IpcResult<OpenedEvidence> {
    let OpenEvidenceArgs {
        assessment,
        requirement,
        evidence,
    } = args.0;
    let item = state.with_workbook(|wb| {
        wb.evidence_of(&state.catalogue, assessment, &requirement)?
            .into_iter()
            .find(|e| e.id == evidence)
            .ok_or_else(|| IpcError::not_found(format!("no evidence {evidence} on {requirement}")))
    })?;
    let opening = item.opening()?;
    let (hash, name, shown_in) = match opening {
        Opening::Link(url) => {
            if state.open_externally {
                app.opener().open_url(&url, None::<&str>).map_err(|e| {
                    IpcError::new("open_failed", format!("could not open {url}: {e}"))
                })?;
            }
            return Ok(OpenedEvidence {
                target: url,
                shown_in: ShownIn::Browser,
            });
        }
        Opening::View { hash, file_name } => (hash, file_name, ShownIn::Viewer),
        Opening::Reveal { hash, file_name } => (hash, file_name, ShownIn::Folder),
    };
    let dir = crate::scratch::dir_for(&state.scratch_dir, &hash)?;
    let path = dir.join(name);
    // Copied out afresh every time, so a copy edited in the viewer never
    // passes for the evidence; read-only, as a reminder it is only a copy.
    let (part, mut file) = canary::fsx::TempFile::beside(&path, canary::fsx::Perms::Default)
        .map_err(|e| IpcError::new("io", format!("{}: {e}", dir.display())))?;
    state.with_workbook(|wb| Ok(wb.read_blob(&hash, &mut file)?))?;
    drop(file);
    crate::scratch::seal(part, &path)?;
    state.remember_produced(&path);
    if state.open_externally {
        let shown = if shown_in == ShownIn::Viewer {
            app.opener().open_path(path.to_string_lossy(), None::<&str>)
        } else {
            app.opener().reveal_item_in_dir(&path)
        };
        shown.map_err(|e| {
            IpcError::new(
                "open_failed",
                format!("could not open {}: {e}", path.display()),
            )
        })?;
    }
    Ok(OpenedEvidence {
        target: path.display().to_string(),
        shown_in,
    })
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetReviewArgs {
    pub assessment: i64,
    pub requirement: String,
    pub verdict: Verdict,
    pub comment: String,
    /// Unlocks the person's signing key for this act (see `AppState::act`); never kept.
    #[ts(optional = nullable)]
    pub passphrase: Option<String>,
}

#[tauri::command]
pub fn set_review(state: State<'_, AppState>, args: Args<SetReviewArgs>) -> IpcResult<Review> {
    let SetReviewArgs {
        assessment,
        requirement,
        verdict,
        comment,
        passphrase,
    } = args.0;
    state.act(passphrase, |wb| {
        Ok(wb.review(assessment, &requirement, verdict, &comment)?)
    })
}
