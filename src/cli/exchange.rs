//! `canary import FILE` and `canary export --product P --out DIR`: product files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use serde_json::json;

use canary::exchange::{self, ExchangeError};
use canary::workbook::{self, Workbook};

use super::Ctx;

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
    /// Product id, model or name.
    #[arg(long)]
    product: String,
    /// Directory to write `product.yaml` and `evidence/` into; must be new or empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn open(ctx: &Ctx) -> anyhow::Result<Workbook> {
    let path = ctx
        .workbook
        .clone()
        .or_else(workbook::default_path)
        .ok_or_else(|| anyhow!("no workbook location: pass --workbook FILE"))?;
    Ok(Workbook::open(&path)?)
}

pub fn import(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let file = args.file.unwrap_or_default();
    let result = if args.example {
        let mut wb = open(ctx)?;
        wb.set_actor(args.actor);
        exchange::import_example(&mut wb, &cat).map(|s| report(ctx, &s))
    } else if args.check {
        exchange::read_product_file(&file, &cat).map(|c| {
            let n = c.file.responses.len();
            if ctx.json {
                println!(
                    "{}",
                    json!({"ok": true, "responses": n, "files": c.contents.len()})
                );
            } else {
                println!(
                    "{}: ok, {n} response(s), {} evidence file(s)",
                    file.display(),
                    c.contents.len()
                );
            }
        })
    } else {
        let mut wb = open(ctx)?;
        wb.set_actor(args.actor);
        exchange::import_product_file(&mut wb, &cat, &file).map(|s| report(ctx, &s))
    };
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => fail(ctx, e),
    }
}

fn report(ctx: &Ctx, s: &exchange::ImportSummary) {
    if ctx.json {
        println!(
            "{}",
            json!({"ok": true, "changed": s.changed(), "summary": s})
        );
    } else {
        print_summary(s);
    }
}

fn print_summary(s: &exchange::ImportSummary) {
    if !s.changed() {
        println!(
            "nothing to change: product {} assessment {} already holds this file",
            s.product_id, s.assessment_id
        );
        return;
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
    println!(
        "product {} {product}, assessment {} {assessment}: {} response(s) set, {} evidence item(s) added",
        s.product_id, s.assessment_id, s.responses_set, s.evidence_added
    );
    if s.responses_kept + s.evidence_kept > 0 {
        println!(
            "kept {} response(s) and {} evidence item(s) the file does not list",
            s.responses_kept, s.evidence_kept
        );
    }
}

/// Prints every problem of an invalid file (JSON on stdout with `--json`).
fn fail(ctx: &Ctx, e: ExchangeError) -> anyhow::Result<ExitCode> {
    if ctx.json {
        let problems = match &e {
            ExchangeError::Invalid(p) => p.clone(),
            _ => Vec::new(),
        };
        println!(
            "{}",
            json!({"ok": false, "code": e.code(), "message": e.to_string(), "problems": problems})
        );
        return Ok(ExitCode::FAILURE);
    }
    Err(e.into())
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let wb = open(ctx)?;
    let product = wb.find_product(&args.product)?;
    match exchange::export_product(&wb, &cat, product.id, &args.out) {
        Ok(s) => {
            if ctx.json {
                println!("{}", json!({"ok": true, "summary": s}));
            } else {
                println!(
                    "wrote {}: {} response(s), {} evidence item(s), {} file(s)",
                    s.product_file.display(),
                    s.responses,
                    s.evidence,
                    s.files
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => fail(ctx, e),
    }
}
