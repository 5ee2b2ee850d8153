//! What the app opens at launch: `--workbook FILE`, else `CANARY_WORKBOOK`, else the
//! platform default; `--catalogue DIR` / `CANARY_CATALOGUE` as in the CLI.

use std::ffi::OsString;
use std::path::PathBuf;

use canary::catalogue::Catalogue;
use canary::workbook::Workbook;
use tauri::{AppHandle, Runtime};

use crate::commands::session;
use crate::error::IpcError;
use crate::state::{lock, AppState};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    pub workbook: Option<PathBuf>,
    pub catalogue: Option<PathBuf>,
}

impl Launch {
    /// Reads `--workbook FILE` / `--workbook=FILE` (and `--catalogue`) from `args`,
    /// falling back to the environment. Other arguments are ignored.
    pub fn from_env(args: impl IntoIterator<Item = OsString>) -> Self {
        let mut out = Self {
            workbook: std::env::var_os("CANARY_WORKBOOK")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            catalogue: std::env::var_os("CANARY_CATALOGUE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        };
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            let s = a.to_string_lossy();
            for (flag, slot) in [
                ("--workbook", &mut out.workbook),
                ("--catalogue", &mut out.catalogue),
            ] {
                if s == flag {
                    if let Some(v) = args.next() {
                        *slot = Some(PathBuf::from(v));
                    }
                } else if let Some(v) = s.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                    *slot = Some(PathBuf::from(v));
                }
            }
        }
        out
    }

    /// Loads the catalogue; a broken catalogue stops the app before a window opens.
    pub fn state(&self) -> Result<AppState, IpcError> {
        let catalogue = Catalogue::load(self.catalogue.as_deref())
            .map_err(|e| IpcError::new("catalogue", e.to_string()))?;
        let config_dir = directories::ProjectDirs::from("org", "Canary", "Canary")
            .map(|d| d.config_dir().to_owned());
        Ok(AppState::new(catalogue, config_dir))
    }

    /// Opens (creating if needed) the launch workbook; a failure is kept for the
    /// start screen instead of stopping the app.
    pub fn open<R: Runtime>(&self, app: &AppHandle<R>, state: &AppState) {
        let Some(path) = self
            .workbook
            .clone()
            .or_else(canary::workbook::default_path)
        else {
            *lock(&state.launch_error) = Some(IpcError::new(
                "no_default_path",
                "this platform has no data directory for the default workbook; open or create one",
            ));
            return;
        };
        match Workbook::open_or_create(&path) {
            Ok(wb) => session::install(app, state, wb),
            Err(e) => *lock(&state.launch_error) = Some(e.into()),
        }
    }
}
