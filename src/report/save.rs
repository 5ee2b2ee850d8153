//! A report placed where the person chose, with its detached signature beside
//! it — or none: a signature of an earlier file by that name would now call the
//! new one altered, so it goes.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::ReportError;
use crate::document::signature_path;
use crate::fsx;

/// Writes `pdf` to `out` and `signature` to `FILE.pdf.minisig` (removing a stale
/// one when `None`). Something already at `out` is [`ReportError::Exists`]
/// unless `replace`; a symbolic link is never followed nor replaced. Returns
/// where the signature went, if one was written.
pub fn save(
    out: &Path,
    pdf: &[u8],
    signature: Option<&str>,
    replace: bool,
) -> Result<Option<PathBuf>, ReportError> {
    let write_err = |path: &Path, error: std::io::Error| match error.kind() {
        ErrorKind::AlreadyExists => ReportError::Exists(path.to_owned()),
        _ => ReportError::Write {
            path: path.to_owned(),
            error,
        },
    };
    if replace {
        fsx::write_atomically(out, pdf)
    } else {
        fsx::write_new(out, pdf)
    }
    .map_err(|e| write_err(out, e))?;
    let sig_path = signature_path(out);
    match signature {
        // The signature belongs to the file just placed: whatever was at its
        // name described another file.
        Some(text) => {
            fsx::write_atomically(&sig_path, text.as_bytes())
                .map_err(|e| write_err(&sig_path, e))?;
            Ok(Some(sig_path))
        }
        None => match std::fs::remove_file(&sig_path) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(write_err(&sig_path, e)),
            _ => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_report_drops_an_old_signature_and_replaces_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.pdf");
        let sig = signature_path(&out);
        assert_eq!(
            save(&out, b"one", Some("sig one"), false).unwrap(),
            Some(sig.clone())
        );
        assert_eq!(std::fs::read(&sig).unwrap(), b"sig one");
        let refused = save(&out, b"two", None, false).unwrap_err();
        assert!(matches!(refused, ReportError::Exists(_)), "{refused:?}");
        assert_eq!(std::fs::read(&out).unwrap(), b"one");
        assert!(sig.exists(), "a refused save leaves the signature too");
        assert_eq!(save(&out, b"two", None, true).unwrap(), None);
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        assert!(
            !sig.exists(),
            "the old signature would call the new file altered"
        );
    }
}
