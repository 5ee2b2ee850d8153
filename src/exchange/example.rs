//! The bundled example product (the fictional Acme SmartPlug), built into the
//! binary so the app and `canary import --example` can offer it to newcomers.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::format::PRODUCT_FILE;
use super::import::{import_product_file, ImportSummary};
use super::problem::ExchangeError;
use crate::catalogue::Catalogue;
use crate::workbook::Workbook;

static EXAMPLE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/examples/smart-plug");

/// Writes the example's product file and evidence files into `dir` (created if
/// needed); returns the product file's path.
pub fn write_example(dir: &Path) -> Result<PathBuf, ExchangeError> {
    std::fs::create_dir_all(dir)
        .and_then(|()| EXAMPLE.extract(dir))
        .map_err(|error| ExchangeError::Io {
            path: dir.to_owned(),
            error,
        })?;
    Ok(dir.join(PRODUCT_FILE))
}

/// Imports the example through a scratch directory that is removed afterwards.
pub fn import_example(
    workbook: &mut Workbook,
    catalogue: &Catalogue,
) -> Result<ImportSummary, ExchangeError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!("canary-example-{}-{nanos}", std::process::id()));
    let result =
        write_example(&dir).and_then(|file| import_product_file(workbook, catalogue, &file));
    // Best effort: a leftover copy of the example in the temp directory harms nothing.
    let _ = std::fs::remove_dir_all(&dir);
    result
}
