//! Evidence files copied out of the workbook so the system viewer can show them.
//! They go under the user's own cache directory, never the shared temporary one
//! (where another account could read them or plant a link first), in a folder
//! only the user can open (on Unix), read-only. Each launch sweeps the copies
//! made more than a day before.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use canary::fsx::TempFile;

use crate::error::{IpcError, IpcResult};

/// How long a copied-out file is kept: long enough for the viewer to hold it.
pub const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

/// `<cache dir>/opened`; on platforms without a cache directory, a folder in the
/// temporary directory (on Unix it must then be ours: making it private fails
/// otherwise).
pub fn default_root() -> PathBuf {
    directories::ProjectDirs::from("org", "Canary", "Canary")
        .map(|d| d.cache_dir().join("opened"))
        .unwrap_or_else(|| std::env::temp_dir().join("canary-opened"))
}

/// `root` itself, created and private: where other scratch work (unpacking the
/// example) makes its folders.
pub fn root(root: &Path) -> IpcResult<&Path> {
    create_private(root)?;
    Ok(root)
}

/// The folder a stored file with `hash` is copied into (created, private).
pub fn dir_for(root: &Path, hash: &str) -> IpcResult<PathBuf> {
    if !canary::digest::is_sha256_hex(hash) {
        return Err(IpcError::invalid(format!("{hash:?} is not a SHA-256")));
    }
    create_private(root)?;
    let dir = root.join(hash);
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    Ok(dir)
}

/// Makes the finished copy `part` read-only and puts it at `path`, replacing an
/// older copy; the folder's time moves on, so a sweep leaves it alone for a day.
pub fn seal(part: TempFile, path: &Path) -> IpcResult<()> {
    let mut perms = std::fs::metadata(part.path())
        .map_err(|e| io(part.path(), e))?
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(part.path(), perms).map_err(|e| io(part.path(), e))?;
    // Windows refuses to replace a read-only file: the old copy is ours to unlock.
    #[cfg(not(unix))]
    if let Ok(meta) = std::fs::metadata(path) {
        let mut old = meta.permissions();
        old.set_readonly(false);
        let _ = std::fs::set_permissions(path, old);
    }
    part.rename_to(path).map_err(|e| io(path, e))
}

/// Removes the copies older than `keep`; best effort, for a launch to call.
pub fn sweep(root: &Path, keep: Duration) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > keep);
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(unix)]
fn create_private(root: &Path) -> IpcResult<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(root)
        .map_err(|e| io(root, e))?;
    // An older folder, or one made by someone else first, is made private or refused.
    let meta = std::fs::symlink_metadata(root).map_err(|e| io(root, e))?;
    if !meta.is_dir() {
        return Err(IpcError::new(
            "io",
            format!("{} is not a folder", root.display()),
        ));
    }
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o700)).map_err(|e| io(root, e))
}

#[cfg(not(unix))]
fn create_private(root: &Path) -> IpcResult<()> {
    std::fs::create_dir_all(root).map_err(|e| io(root, e))
}

fn io(path: &Path, e: std::io::Error) -> IpcError {
    IpcError::new("io", format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use canary::fsx::Perms;

    #[test]
    fn copies_are_private_and_old_ones_are_swept() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("opened");
        let fresh = dir_for(&root, &"ab".repeat(32)).unwrap();
        let old = dir_for(&root, &"cd".repeat(32)).unwrap();
        std::fs::write(old.join("report.pdf"), b"x").unwrap();
        // A second copy replaces the first, read-only.
        for text in ["first", "second"] {
            let target = fresh.join("a.txt");
            let (part, mut file) = TempFile::beside(&target, Perms::Default).unwrap();
            std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
            seal(part, &target).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(fresh.join("a.txt")).unwrap(),
            "second"
        );
        assert!(std::fs::metadata(fresh.join("a.txt"))
            .unwrap()
            .permissions()
            .readonly());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&root).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let yesterday = SystemTime::now() - KEEP - Duration::from_secs(60);
        std::fs::File::open(&old)
            .unwrap()
            .set_modified(yesterday)
            .unwrap();

        sweep(&root, KEEP);
        assert!(fresh.is_dir());
        assert!(!old.exists());
        assert!(dir_for(&root, "../x").is_err());
        assert!(dir_for(&root, "ab12").is_err(), "not a SHA-256");
    }
}
