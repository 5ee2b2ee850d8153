//! `canary init [FILE]`: create a workbook, or leave an existing one as it is.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use canary::workbook;

use super::Ctx;

#[derive(clap::Args)]
pub struct Args {
    file: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let (wb, created) = ctx.open_or_create(args.file)?;
    let path = wb.path();
    let value = json!({"path": path, "created": created, "version": workbook::SCHEMA_VERSION});
    ctx.emit(&value, |_| {
        vec![if created {
            format!("created workbook {}", path.display())
        } else {
            format!("workbook {} already exists; left as it is", path.display())
        }]
    })?;
    Ok(ExitCode::SUCCESS)
}
