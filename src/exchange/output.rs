//! Writing an export file whole or not at all: into a temporary file beside the
//! target, synced, then renamed over it, so a reader never sees half a file and
//! a failed export leaves what was there before.

use std::io::Write;
use std::path::Path;

use super::problem::ExchangeError;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExchangeError> {
    let io = |error| ExchangeError::Io {
        path: path.to_owned(),
        error,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| ExchangeError::Export(format!("{} is not a file name", path.display())))?;
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp);
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
