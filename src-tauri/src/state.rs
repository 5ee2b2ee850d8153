//! What the shell holds between commands: the catalogue (loaded once), the open
//! workbook behind a mutex, and where the recent-workbooks list lives.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use canary::catalogue::Catalogue;
use canary::identity::Home;
use canary::workbook::Workbook;

use crate::error::{IpcError, IpcResult};

/// How many workbooks the start screen remembers.
const RECENT_MAX: usize = 8;

pub struct AppState {
    pub catalogue: Catalogue,
    pub workbook: Mutex<Option<Workbook>>,
    /// Where `recent.json` is kept; `None` when the platform has no config dir.
    pub config_dir: Option<PathBuf>,
    /// False makes "open" commands check their input and stop short of launching
    /// another program (set `CANARY_NO_OPEN=1`; the e2e tests use it).
    pub open_externally: bool,
    /// When the process started, for the launch-to-interactive figure.
    pub started: Instant,
    /// Files this session wrote (reports, exports) or extracted (evidence): the only
    /// local paths the UI may ask to open.
    pub produced: Mutex<HashSet<PathBuf>>,
    /// Why the workbook chosen at launch could not be opened, shown on the start screen.
    pub launch_error: Mutex<Option<IpcError>>,
    /// Where evidence files are copied out for the system viewer (see `scratch`).
    pub scratch_dir: PathBuf,
    /// The person's config directory (trusted keys, own key): `CANARY_HOME`, else
    /// the platform one; `None` when there is neither.
    pub home_dir: Option<PathBuf>,
    /// Said once to the person, e.g. that a workbook's old profile became them.
    pub notice: Mutex<Option<String>>,
}

impl AppState {
    pub fn new(catalogue: Catalogue, config_dir: Option<PathBuf>) -> Self {
        Self {
            catalogue,
            workbook: Mutex::new(None),
            config_dir,
            open_externally: std::env::var_os("CANARY_NO_OPEN")
                .is_none_or(|v| v.is_empty() || v == "0"),
            started: Instant::now(),
            produced: Mutex::new(HashSet::new()),
            launch_error: Mutex::new(None),
            scratch_dir: crate::scratch::default_root(),
            home_dir: std::env::var_os(canary::identity::HOME_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(canary::identity::Home::default_dir),
            notice: Mutex::new(None),
        }
    }

    /// Runs an act (submit, verdict, approve, request changes, sign, clone) on the
    /// open workbook, signed with the person's key when they have one. The key is
    /// unlocked with `passphrase` the first time and stays unlocked in memory while
    /// this workbook is open; the passphrase itself is neither kept nor logged.
    /// Without it, a locked key fails with `passphrase_required`.
    pub fn act<T>(
        &self,
        passphrase: Option<String>,
        f: impl FnOnce(&mut Workbook) -> IpcResult<T>,
    ) -> IpcResult<T> {
        self.with_workbook(|wb| {
            if let Some(home) = self.home_dir.clone().map(Home::at) {
                wb.prepare_acts(&home, passphrase.as_deref())?;
            }
            f(wb)
        })
    }

    /// The open workbook, or `no_workbook`.
    pub fn with_workbook<T>(&self, f: impl FnOnce(&mut Workbook) -> IpcResult<T>) -> IpcResult<T> {
        let mut guard = lock(&self.workbook);
        let wb = guard.as_mut().ok_or_else(IpcError::no_workbook)?;
        f(wb)
    }

    /// The person's config directory, or `no_home`.
    pub fn home(&self) -> IpcResult<canary::identity::Home> {
        self.home_dir
            .clone()
            .map(canary::identity::Home::at)
            .ok_or_else(|| {
                IpcError::new(
                    "no_home",
                    "no config directory for your keys: set CANARY_HOME",
                )
            })
    }

    pub fn remember_produced(&self, path: &Path) {
        lock(&self.produced).insert(path.to_owned());
    }

    pub fn was_produced(&self, path: &Path) -> bool {
        lock(&self.produced).contains(path)
    }

    fn recent_file(&self) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join("recent.json"))
    }

    /// Recent workbooks, newest first; a missing or unreadable list is an empty one.
    pub fn recent(&self) -> Vec<String> {
        self.recent_file()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|t| serde_json::from_str::<Vec<String>>(&t).ok())
            .unwrap_or_default()
    }

    /// Puts `path` first in the recent list. The list is a convenience: failing to
    /// write it must not fail opening the workbook, so errors are only logged.
    pub fn push_recent(&self, path: &Path) {
        let Some(file) = self.recent_file() else {
            return;
        };
        let p = path.to_string_lossy().into_owned();
        let mut list = self.recent();
        list.retain(|x| *x != p);
        list.insert(0, p);
        list.truncate(RECENT_MAX);
        let written = file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                let text = serde_json::to_vec_pretty(&list).unwrap_or_default();
                canary::fsx::write_atomically(&file, &text)
            });
        if let Err(e) = written {
            eprintln!("canary-app: could not update {}: {e}", file.display());
        }
    }
}

/// Locks a mutex, recovering it after a panic elsewhere: the data behind these
/// locks (an SQLite connection, path sets) stays consistent across a panic.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
