//! `canary import FILE` and `canary export`: product files, OSCAL, spreadsheets.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, ValueEnum};
use serde_json::json;

use canary::exchange::{self, ExchangeError};

use super::args::Who;
use super::{output, Ctx};

#[derive(Args)]
pub struct ImportArgs {
    /// The product file (`product.yaml`, or a directory holding one); evidence paths
    /// are relative to its directory.
    #[arg(required_unless_present = "example")]
    file: Option<PathBuf>,
    /// Import the bundled example product (Acme SmartPlug) instead of a file.
    #[arg(long, conflicts_with = "file")]
    example: bool,
    /// Only check the file (and its evidence files); write nothing.
    #[arg(long, conflicts_with = "example")]
    check: bool,
    /// Record the changes as NAME instead of the profile's name.
    #[arg(long = "as", value_name = "NAME", env = "CANARY_AS")]
    actor: Option<String>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Product id, model or name (optional for `--format xlsx`: every product).
    #[arg(long)]
    product: Option<String>,
    /// What to write: a product file directory, OSCAL assessment-results JSON,
    /// a spreadsheet, or one product's table as CSV.
    #[arg(long, value_enum, default_value_t = ExportFormat::ProductFile)]
    format: ExportFormat,
    /// Where to write: a new or empty directory for a product file, else the file.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// `product.yaml` plus `evidence/` (the default).
    ProductFile,
    /// OSCAL 1.2.1 assessment-results (JSON) of the latest assessment.
    Oscal,
    /// A spreadsheet: the Portfolio sheet and a sheet per product.
    Xlsx,
    /// One product's requirements table, UTF-8 with a byte-order mark.
    Csv,
}

pub fn import(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let who = Who { actor: args.actor };
    let file = args.file.unwrap_or_default();
    let result = if args.example {
        let mut wb = ctx.open_as(&who)?;
        exchange::import_example(&mut wb, &cat, &std::env::temp_dir()).map(|s| report(ctx, &s))
    } else if args.check {
        exchange::read_product_file(&file, &cat).map(|c| {
            let (responses, files) = (c.file.responses.len(), c.contents.len());
            ctx.emit(
                &json!({"ok": true, "responses": responses, "files": files}),
                |_| {
                    vec![format!(
                        "{}: ok, {responses} response(s), {files} evidence file(s)",
                        file.display()
                    )]
                },
            )
        })
    } else {
        let mut wb = ctx.open_as(&who)?;
        exchange::import_product_file(&mut wb, &cat, &file).map(|s| report(ctx, &s))
    };
    match result {
        Ok(printed) => printed.map(|()| ExitCode::SUCCESS),
        Err(e) => fail(ctx, e),
    }
}

fn report(ctx: &Ctx, s: &exchange::ImportSummary) -> anyhow::Result<()> {
    ctx.emit(
        &json!({"ok": true, "changed": s.changed(), "summary": s}),
        |_| summary_lines(s),
    )
}

fn summary_lines(s: &exchange::ImportSummary) -> Vec<String> {
    if !s.changed() {
        return vec![format!(
            "nothing to change: product {} assessment {} already holds this file",
            s.product_id, s.assessment_id
        )];
    }
    let product = if s.product_created {
        "created"
    } else if s.product_updated {
        "updated"
    } else {
        "unchanged"
    };
    let assessment = if s.assessment_created {
        "created"
    } else {
        "existing"
    };
    let mut lines = vec![format!(
        "product {} {product}, assessment {} {assessment}: {} response(s) set, {} evidence item(s) added",
        s.product_id, s.assessment_id, s.responses_set, s.evidence_added
    )];
    if s.responses_kept + s.evidence_kept > 0 {
        lines.push(format!(
            "kept {} response(s) and {} evidence item(s) the file does not list",
            s.responses_kept, s.evidence_kept
        ));
    }
    lines
}

/// With `--json`, every problem of an invalid file goes to stdout as JSON; without,
/// the error ends the command as any other.
fn fail(ctx: &Ctx, e: ExchangeError) -> anyhow::Result<ExitCode> {
    if !ctx.json {
        return Err(e.into());
    }
    let problems = match &e {
        ExchangeError::Invalid(p) => p.clone(),
        _ => Vec::new(),
    };
    output::json(
        &json!({"ok": false, "code": e.code(), "message": e.to_string(), "problems": problems}),
    )?;
    Ok(ExitCode::FAILURE)
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let wb = ctx.open_read_only()?;
    let product = args
        .product
        .as_deref()
        .map(|q| wb.find_product(q))
        .transpose()?;
    let format = match args.format {
        ExportFormat::Xlsx => exchange::FileFormat::Xlsx,
        ExportFormat::Csv => exchange::FileFormat::Csv,
        ExportFormat::Oscal => exchange::FileFormat::Oscal,
        ExportFormat::ProductFile => {
            let p = product.ok_or_else(|| anyhow!("--product is required for this format"))?;
            return match exchange::export_product(&wb, &cat, p.id, &args.out) {
                Ok(s) => {
                    ctx.emit(&json!({"ok": true, "summary": s}), |_| {
                        vec![format!(
                            "wrote {}: {} response(s), {} evidence item(s), {} file(s)",
                            s.product_file.display(),
                            s.responses,
                            s.evidence,
                            s.files
                        )]
                    })?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => fail(ctx, e),
            };
        }
    };
    // The CLI replaces a file at --out, as command-line tools do.
    let saved = exchange::save_export(&wb, &cat, format, product.map(|p| p.id), &args.out, true)?;
    ctx.emit(
        &json!({"ok": true, "out": saved.path, "bytes": saved.bytes}),
        |_| {
            vec![format!(
                "wrote {}: {}",
                saved.path.display(),
                format.label()
            )]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
