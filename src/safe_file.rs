//! Opening files Canary reads from outside (evidence, product files, catalogue
//! files, workbooks) so that only regular files are read.
//!
//! The file is opened with `O_NONBLOCK` (a FIFO opens at once instead of waiting
//! for a writer) and, unless the caller follows links, `O_NOFOLLOW`; the opened
//! descriptor is then checked with `fstat`, so what is read is what was checked.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Whether a symbolic link as the last component is followed or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    Follow,
    Refuse,
}

#[derive(Debug)]
pub enum OpenError {
    Io(io::Error),
    /// What the name is instead of a regular file, e.g. "a named pipe (FIFO)".
    NotRegular(&'static str),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Io(e) => e.fmt(f),
            OpenError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
        }
    }
}

/// Opens `path` for reading if it is a regular file; returns it with its metadata.
pub fn open_regular(path: &Path, links: Links) -> Result<(File, Metadata), OpenError> {
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) if links == Links::Refuse => OpenError::NotRegular("a symbolic link"),
            // Opening a socket fails this way.
            Some(libc::ENXIO) => OpenError::NotRegular("a socket or a device"),
            _ => OpenError::Io(e),
        })?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    let t = meta.file_type();
    let refused = if t.is_file() {
        return Ok((file, meta));
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(OpenError::NotRegular(refused))
}

/// Why a capped read failed.
#[derive(Debug)]
pub enum ReadError {
    Open(OpenError),
    Read(io::Error),
    /// Larger than the cap (in bytes).
    TooLarge(u64),
    NotUtf8,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Open(e) => e.fmt(f),
            ReadError::Read(e) => e.fmt(f),
            ReadError::TooLarge(cap) => write!(
                f,
                "the file is larger than {} MiB, the most Canary reads",
                cap >> 20
            ),
            ReadError::NotUtf8 => f.write_str("the file is not UTF-8 text"),
        }
    }
}

/// Reads a regular file of at most `cap` bytes as UTF-8 text; never reads more
/// than `cap + 1` bytes whatever the file claims.
pub fn read_text_capped(path: &Path, links: Links, cap: u64) -> Result<String, ReadError> {
    let (file, meta) = open_regular(path, links).map_err(ReadError::Open)?;
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Read)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(path: &Path, links: Links) -> &'static str {
        match open_regular(path, links) {
            Err(OpenError::NotRegular(what)) => what,
            Err(OpenError::Io(e)) => panic!("{}: {e}", path.display()),
            Ok(_) => panic!("{} was opened", path.display()),
        }
    }

    #[test]
    fn only_regular_files_open() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        assert!(open_regular(&file, Links::Refuse).is_ok());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(refusal(&link, Links::Refuse), "a symbolic link");
        assert!(open_regular(&link, Links::Follow).is_ok());
        assert_eq!(refusal(dir.path(), Links::Refuse), "a directory");
        assert_eq!(refusal(Path::new("/dev/null"), Links::Refuse), "a device");
        assert_eq!(refusal(Path::new("/dev/zero"), Links::Follow), "a device");
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        // Without O_NONBLOCK this open would wait forever for a writer.
        assert_eq!(refusal(&fifo, Links::Refuse), "a named pipe (FIFO)");
        let sock = dir.path().join("sock");
        let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        assert_eq!(refusal(&sock, Links::Refuse), "a socket or a device");
    }

    #[test]
    fn capped_reads_stop_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.yaml");
        std::fs::write(&file, "a: 1\n").unwrap();
        assert_eq!(read_text_capped(&file, Links::Refuse, 5).unwrap(), "a: 1\n");
        assert!(matches!(
            read_text_capped(&file, Links::Refuse, 4),
            Err(ReadError::TooLarge(4))
        ));
    }
}
