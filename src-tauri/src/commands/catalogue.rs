//! Read-only views of the catalogue. The UI loads it once and searches it locally;
//! mappings are resolved here so every end has a label the UI can show.

use canary::catalogue::{Framework, MappingView, ReferenceSet};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::args::Args;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Everything the catalogue screens show, sent once.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CatalogueData {
    pub frameworks: Vec<Framework>,
    pub references: Vec<ReferenceSet>,
    /// SHA-256 over the catalogue files.
    pub digest: String,
}

/// What sits at the other end of a mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EndKind {
    Requirement,
    Group,
    Document,
    Unknown,
}

/// A mapping row read from one requirement, with its other end named.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MappingLink {
    pub mapping: MappingView,
    pub other_kind: EndKind,
    /// Short label of the other end's framework or organisation, e.g. `ETSI EN 303 645`.
    pub other_source: String,
    /// Title of the other requirement, group or document.
    pub other_title: String,
}

#[tauri::command]
pub fn catalogue(state: State<'_, AppState>) -> IpcResult<CatalogueData> {
    let c = &state.catalogue;
    Ok(CatalogueData {
        frameworks: c.frameworks().to_vec(),
        references: c.reference_sets().to_vec(),
        digest: c.digest().to_owned(),
    })
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MappingsOfArgs {
    pub id: String,
}

/// Mappings of the requirement or group `id`, both directions.
#[tauri::command]
pub fn mappings_of(
    state: State<'_, AppState>,
    args: Args<MappingsOfArgs>,
) -> IpcResult<Vec<MappingLink>> {
    let MappingsOfArgs { id } = args.0;
    let c = &state.catalogue;
    if c.requirement(&id).is_none() && c.group(&id).is_none() {
        return Err(IpcError::not_found(format!(
            "no requirement or group with id {id:?} in the catalogue"
        )));
    }
    Ok(c.mappings_of(&id)
        .into_iter()
        .map(|m| {
            let (other_kind, other_source, other_title) =
                if let Some((fw, r)) = c.requirement(&m.other) {
                    (
                        EndKind::Requirement,
                        fw.short_title.clone(),
                        r.title.clone(),
                    )
                } else if let Some((fw, g)) = c.group(&m.other) {
                    (EndKind::Group, fw.short_title.clone(), g.title.clone())
                } else if let Some(d) = m.other.strip_prefix("doc:").and_then(|d| c.document(d)) {
                    (EndKind::Document, d.organisation.clone(), d.title.clone())
                } else {
                    (EndKind::Unknown, String::new(), m.other.clone())
                };
            MappingLink {
                mapping: m,
                other_kind,
                other_source,
                other_title,
            }
        })
        .collect())
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenDocumentLinkArgs {
    pub document: String,
    pub url: String,
}

/// Opens one of a catalogue document's links in the system browser. Only links the
/// catalogue lists are opened, so the webview cannot use this to open anything else.
#[tauri::command]
pub fn open_document_link<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: Args<OpenDocumentLinkArgs>,
) -> IpcResult<()> {
    let OpenDocumentLinkArgs { document, url } = args.0;
    let url = state.catalogue.document_link(&document, &url)?;
    if !state.open_externally {
        return Ok(());
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| IpcError::new("open_failed", format!("could not open {url}: {e}")))
}
