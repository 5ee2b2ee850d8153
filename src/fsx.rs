//! File-system helpers every writer shares (CLI and app): whole-or-nothing writes
//! and private scratch folders.

use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{Error, ErrorKind, Result, Write};
use std::path::{Path, PathBuf};

/// How many fresh names to try when one is taken.
const ATTEMPTS: u32 = 16;

/// A name nobody can guess ahead of time: std seeds `RandomState` from the OS.
fn random_name(prefix: &str) -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{prefix}{:016x}", h.finish())
}

/// Writes `bytes` to `path` whole or not at all: into a new file beside it
/// (created exclusively, so nothing planted there is followed), flushed to disk,
/// then renamed over `path`. A symbolic link at `path` is refused, never followed
/// nor replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, Perms::Default, |tmp| tmp.rename_to(path))
}

/// Like [`write_atomically`], but never replaces anything: fails with
/// `AlreadyExists` when `path` names a file, folder or link already.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, Perms::Default, |tmp| link_new(tmp, path))
}

/// Like [`write_new`], for a file only its owner may read (a secret key).
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, Perms::Private, |tmp| link_new(tmp, path))
}

/// Gives `tmp`'s file the name `path` only if that name is free.
pub fn link_new(tmp: TempFile, path: &Path) -> Result<()> {
    // A hard link takes the name only if it is free, in one step; the
    // temporary name is then dropped.
    match std::fs::hard_link(tmp.path(), path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        // File systems without hard links: check, then rename.
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists", path.display()),
        )),
        Err(_) => tmp.rename_to(path),
    }
}

/// Writes `bytes` into a new file beside `path`, flushes it, then lets `place`
/// move it to `path`; the temporary file is removed on any failure.
fn write_whole(
    path: &Path,
    bytes: &[u8],
    perms: Perms,
    place: impl FnOnce(TempFile) -> Result<()>,
) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{} is a symbolic link; it was not replaced", path.display()),
        ));
    }
    let (tmp, mut file) = TempFile::beside(path, perms)?;
    let dir = tmp.dir().to_owned();
    file.write_all(bytes).and_then(|()| file.sync_all())?;
    place(tmp)?;
    // The new name is durable once the folder is flushed; best effort, as some
    // file systems cannot flush a folder, and the file itself is complete.
    #[cfg(unix)]
    let _ = File::open(dir).and_then(|d| d.sync_all());
    Ok(())
}

/// Who may read a [`TempFile`] (and so the file it becomes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perms {
    /// As the user's umask allows.
    Default,
    /// The owner only (on Unix, mode 0600).
    Private,
}

/// A new file's temporary name beside where it will go: `.<name>.part-<random>`
/// in the same folder (so a rename or hard link never crosses file systems),
/// unguessable and created exclusively (`O_EXCL`), so neither a link nor a file
/// planted at a name is ever opened. The name is removed when this is dropped:
/// whatever the writer does with it, nothing is left behind on an error.
#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// Creates the empty file for `path` and returns it open for writing.
    pub fn beside(path: &Path, perms: Perms) -> Result<(Self, File)> {
        let name = path
            .file_name()
            .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "the path names no file"))?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if perms == Perms::Private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let tmp = dir.join(random_name(&format!(".{}.part-", stem_of(name))));
            match options.open(&tmp) {
                Ok(f) => return Ok((Self { path: tmp }, f)),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::other("no free temporary name")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder it is in.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Renames it to `path`, replacing what is there.
    pub fn rename_to(mut self, path: &Path) -> Result<()> {
        std::fs::rename(&self.path, path)?;
        // Placed: the name is not ours to remove any more.
        self.path = PathBuf::new();
        Ok(())
    }
}

/// The start of a file name a temporary name is made from: short enough that the
/// temporary name fits wherever the name itself fits (names are at most 255 bytes).
fn stem_of(name: &std::ffi::OsStr) -> String {
    name.to_string_lossy().chars().take(32).collect()
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A folder only this user can open, under an unguessable name, created
/// exclusively (never one somebody made first) and removed with everything in
/// it when dropped.
#[derive(Debug)]
pub struct PrivateDir {
    path: PathBuf,
}

impl PrivateDir {
    /// Creates one inside `parent` (which must exist).
    pub fn new_in(parent: &Path) -> Result<Self> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let path = parent.join(random_name(".canary-"));
            match create_private(&path) {
                Ok(()) => return Ok(Self { path }),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::other("no free folder name")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(unix)]
fn create_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> Result<()> {
    std::fs::create_dir(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_whole_files_and_refuse_links() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("report.pdf");
        write_atomically(&out, b"first").unwrap();
        write_atomically(&out, b"second").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"second");
        // Nothing is left beside it.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["report.pdf"]);

        #[cfg(unix)]
        {
            let target = tmp.path().join("elsewhere");
            std::fs::write(&target, b"keep").unwrap();
            let link = tmp.path().join("link.pdf");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let e = write_atomically(&link, b"x").unwrap_err();
            assert!(e.to_string().contains("symbolic link"), "{e}");
            assert_eq!(std::fs::read(&target).unwrap(), b"keep");
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
        }
        let missing = tmp.path().join("no-such-folder").join("x.pdf");
        assert!(write_atomically(&missing, b"x").is_err());
    }

    #[test]
    fn new_files_never_replace_what_is_there() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("portfolio.xlsx");
        write_new(&out, b"first").unwrap();
        let e = write_new(&out, b"second").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&out).unwrap(), b"first");
        let folder = tmp.path().join("folder");
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(
            write_new(&folder, b"x").unwrap_err().kind(),
            ErrorKind::AlreadyExists
        );
        #[cfg(unix)]
        {
            // A dangling link is not followed to create its target.
            let target = tmp.path().join("target");
            let link = tmp.path().join("link.xlsx");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let e = write_new(&link, b"x").unwrap_err();
            assert!(e.to_string().contains("symbolic link"), "{e}");
            assert!(!target.exists());
        }
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".part-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_file_name_as_long_as_the_system_allows_is_written_atomically() {
        let tmp = tempfile::tempdir().unwrap();
        // 83 CJK characters: 249 bytes, near the 255-byte limit of a name.
        let out = tmp.path().join(format!("{}.pdf", "証".repeat(83)));
        write_atomically(&out, b"%PDF").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"%PDF");
        write_new(&tmp.path().join("証".repeat(84)), b"x").unwrap();
    }

    #[test]
    fn temporary_names_are_fresh_exclusive_and_removed_when_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("signing.key");
        let (a, _) = TempFile::beside(&out, Perms::Private).unwrap();
        let (b, _) = TempFile::beside(&out, Perms::Default).unwrap();
        assert_ne!(a.path(), b.path());
        assert_eq!(a.dir(), tmp.path());
        let name = a.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".signing.key.part-"), "{name}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(a.path()), 0o600);
        }
        drop(a);
        b.rename_to(&out).unwrap();
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["signing.key"]);
    }

    #[test]
    fn private_dirs_are_fresh_private_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let a = PrivateDir::new_in(tmp.path()).unwrap();
        let b = PrivateDir::new_in(tmp.path()).unwrap();
        assert_ne!(a.path(), b.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        std::fs::write(a.path().join("x"), b"x").unwrap();
        let gone = a.path().to_owned();
        drop(a);
        assert!(!gone.exists());
        drop(b);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}

/// Why a path a person typed or chose cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    #[error("enter the path of the {0}")]
    Empty(&'static str),
    #[error("{0} is not an absolute path")]
    NotAbsolute(PathBuf),
    #[error("{0} is a folder; give a file name")]
    Folder(PathBuf),
    #[error("the folder of {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} is a symbolic link; Canary writes only to the file itself")]
    Link(PathBuf),
    #[error("{0} already exists")]
    Exists(PathBuf),
}

impl PathError {
    /// A stable code for the UI: `already_exists` asks the person to confirm.
    pub fn code(&self) -> &'static str {
        match self {
            PathError::Exists(_) => "already_exists",
            _ => "invalid_input",
        }
    }
}

/// A path the person chose (a dialog or a typed path) for the `what` it names:
/// trimmed, not blank, absolute, so nothing depends on the app's working directory.
pub fn chosen_path(path: &str, what: &'static str) -> std::result::Result<PathBuf, PathError> {
    let p = path.trim();
    if p.is_empty() {
        return Err(PathError::Empty(what));
    }
    let p = PathBuf::from(p);
    if !p.is_absolute() {
        return Err(PathError::NotAbsolute(p));
    }
    Ok(p)
}

/// A [`chosen_path`] to write a file at: not a folder, not a symbolic link, in a
/// folder that exists, and free unless `replace` (the person confirmed replacing
/// it). Checked before any work; [`write_new`] checks again when the file is placed.
pub fn chosen_output(
    path: &str,
    what: &'static str,
    replace: bool,
) -> std::result::Result<PathBuf, PathError> {
    let p = chosen_path(path, what)?;
    if p.is_dir() {
        return Err(PathError::Folder(p));
    }
    match std::fs::symlink_metadata(&p) {
        Ok(m) if m.file_type().is_symlink() => return Err(PathError::Link(p)),
        Ok(_) if !replace => return Err(PathError::Exists(p)),
        _ => {}
    }
    match p.parent() {
        Some(dir) if dir.is_dir() => Ok(p),
        _ => Err(PathError::NoFolder(p)),
    }
}

#[cfg(test)]
mod chosen_tests {
    use super::*;

    #[test]
    fn chosen_paths_are_absolute_and_outputs_are_files_in_existing_folders() {
        assert!(matches!(
            chosen_path("  ", "report"),
            Err(PathError::Empty("report"))
        ));
        assert!(matches!(
            chosen_path("a/b.pdf", "report"),
            Err(PathError::NotAbsolute(_))
        ));
        let dir = std::env::temp_dir();
        let typed = format!(" {} ", dir.join("r.pdf").display());
        assert_eq!(chosen_path(&typed, "report").unwrap(), dir.join("r.pdf"));
        let folder = dir.display().to_string();
        assert!(matches!(
            chosen_output(&folder, "report", true),
            Err(PathError::Folder(_))
        ));
        let nowhere = dir.join("no-such-folder-of-canary").join("r.pdf");
        assert!(matches!(
            chosen_output(&nowhere.display().to_string(), "report", false),
            Err(PathError::NoFolder(_))
        ));
        let tmp = tempfile::tempdir().unwrap();
        let free = tmp.path().join("r.pdf").display().to_string();
        assert!(chosen_output(&free, "report", false).is_ok());
        std::fs::write(tmp.path().join("r.pdf"), b"kept").unwrap();
        let taken = chosen_output(&free, "report", false).unwrap_err();
        assert_eq!(taken.code(), "already_exists");
        assert!(chosen_output(&free, "report", true).is_ok());
        let link = tmp.path().join("link.pdf");
        std::os::unix::fs::symlink(tmp.path().join("r.pdf"), &link).unwrap();
        for replace in [false, true] {
            assert!(matches!(
                chosen_output(&link.display().to_string(), "report", replace),
                Err(PathError::Link(_))
            ));
        }
        assert_eq!(
            chosen_path("", "workbook file").unwrap_err().to_string(),
            "enter the path of the workbook file"
        );
    }
}
