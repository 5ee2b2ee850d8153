//! The bundled example product (the fictional Acme SmartPlug), built into the
//! binary so the app and `canary import --example` can offer it to newcomers.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::format::PRODUCT_FILE;
use super::import::{import_product_file, ImportSummary};
use super::problem::ExchangeError;
use crate::catalogue::Catalogue;
use crate::fsx::PrivateDir;
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

/// Imports the example through a private folder made inside `scratch` (a folder
/// only this user can open, under a name nobody can guess or plant first),
/// removed afterwards.
pub fn import_example(
    workbook: &mut Workbook,
    catalogue: &Catalogue,
    scratch: &Path,
) -> Result<ImportSummary, ExchangeError> {
    let dir = PrivateDir::new_in(scratch).map_err(|error| ExchangeError::Io {
        path: scratch.to_owned(),
        error,
    })?;
    let file = write_example(dir.path())?;
    import_product_file(workbook, catalogue, &file)
}
