//! Argument parsing and dispatch. Each command group lives in its own module and
//! turns library results into text (or `--json`) on stdout; failures end with
//! exit status 1 and the error on stderr.

mod catalog;
mod exchange;
mod report;
mod workbook;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use canary::catalogue::Catalogue;

#[derive(Parser)]
#[command(
    name = "canary",
    version,
    about = "Compliance workbook for consumer IoT security"
)]
struct Cli {
    /// Use the catalogue in this directory instead of the built-in one.
    #[arg(long, global = true, value_name = "DIR", env = "CANARY_CATALOGUE")]
    catalogue: Option<PathBuf>,
    /// The workbook file (default: `workbook.canary` in the platform data directory).
    #[arg(long, global = true, value_name = "FILE", env = "CANARY_WORKBOOK")]
    workbook: Option<PathBuf>,
    /// Print machine-readable JSON where the command supports it.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inspect and check the catalogue of frameworks and mappings.
    #[command(subcommand)]
    Catalog(catalog::Command),
    #[command(flatten)]
    Workbook(Box<workbook::Command>),
    /// Import a product file (YAML + evidence files) into the workbook.
    Import(exchange::ImportArgs),
    /// Export a product's latest assessment as a product file with its evidence.
    Export(exchange::ExportArgs),
    /// Make a PDF report: attestation, PSTI statement of compliance, standards mapping.
    #[command(subcommand)]
    Report(report::Command),
}

/// What every command may need, resolved lazily from the global options.
pub struct Ctx {
    pub catalogue_dir: Option<PathBuf>,
    pub workbook: Option<PathBuf>,
    pub json: bool,
}

impl Ctx {
    pub fn catalogue(&self) -> anyhow::Result<Catalogue> {
        Ok(Catalogue::load(self.catalogue_dir.as_deref())?)
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx {
        catalogue_dir: cli.catalogue,
        workbook: cli.workbook,
        json: cli.json,
    };
    let result = match cli.command {
        Command::Catalog(c) => catalog::run(&ctx, c),
        Command::Workbook(c) => workbook::run(&ctx, *c),
        Command::Import(a) => exchange::import(&ctx, a),
        Command::Export(a) => exchange::export(&ctx, a),
        Command::Report(c) => report::run(&ctx, c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
