//! `canary report`: attestation, PSTI statement of compliance, standards mapping, as PDF.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use canary::report::{self, ProductRecord, Rendered, Stage};

use super::{output, Ctx};

#[derive(Subcommand)]
pub enum Command {
    /// Attestation of a product's assessment, requirement by requirement.
    Attestation(Target),
    /// UK PSTI statement of compliance; refuses, listing what is missing, until complete.
    Psti(Target),
    /// Mapping between the frameworks; with --product, that product's coverage too.
    Mapping(MappingArgs),
}

#[derive(Args)]
pub struct Target {
    /// Product id, model or name.
    #[arg(long)]
    product: String,
    /// Assessment id (default: the product's latest).
    #[arg(long)]
    assessment: Option<i64>,
    /// Where to write the PDF.
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
}

#[derive(Args)]
pub struct MappingArgs {
    /// Product id, model or name; without it the report covers the catalogue alone.
    #[arg(long)]
    product: Option<String>,
    #[arg(long)]
    assessment: Option<i64>,
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let catalogue = ctx.catalogue()?;
    let at = report::report_time()?;
    let spinner = Spinner::new();
    let show = |s: Stage| spinner.stage(s);
    let (out, rendered) = match cmd {
        Command::Attestation(t) => {
            let record = record(ctx, &spinner, &catalogue, &t.product, t.assessment)?;
            (t.out, report::attestation(&catalogue, &record, at, &show)?)
        }
        Command::Psti(t) => {
            let record = record(ctx, &spinner, &catalogue, &t.product, t.assessment)?;
            (
                t.out,
                report::psti_statement(&catalogue, &record, at, &show)?,
            )
        }
        Command::Mapping(m) => {
            let record = match &m.product {
                Some(p) => Some(record(ctx, &spinner, &catalogue, p, m.assessment)?),
                None => None,
            };
            (
                m.out,
                report::mapping_report(&catalogue, record.as_ref(), at, &show)?,
            )
        }
    };
    spinner.message("writing the file");
    std::fs::write(&out, &rendered.pdf).with_context(|| format!("writing {}", out.display()))?;
    spinner.finish();
    print_result(ctx, &out, &rendered)?;
    Ok(ExitCode::SUCCESS)
}

fn record(
    ctx: &Ctx,
    spinner: &Spinner,
    catalogue: &canary::catalogue::Catalogue,
    product: &str,
    assessment: Option<i64>,
) -> anyhow::Result<ProductRecord> {
    spinner.message("reading the workbook");
    let wb = ctx.open()?;
    Ok(ProductRecord::read(&wb, catalogue, product, assessment)?)
}

fn print_result(ctx: &Ctx, out: &std::path::Path, r: &Rendered) -> anyhow::Result<()> {
    let value = serde_json::json!({
        "out": out,
        "pages": r.pages,
        "bytes": r.pdf.len(),
        "warnings": r.warnings,
    });
    ctx.emit(&value, |_| {
        vec![format!(
            "wrote {} ({} pages, {} bytes)",
            out.display(),
            r.pages,
            r.pdf.len()
        )]
    })?;
    for w in &r.warnings {
        output::error("warning: ", w);
    }
    Ok(())
}

/// A spinner on stderr when it is a terminal; silent otherwise (scripts, tests).
struct Spinner(Option<ProgressBar>);

impl Spinner {
    fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        Self(Some(bar))
    }

    fn message(&self, m: &'static str) {
        if let Some(b) = &self.0 {
            b.set_message(m);
        }
    }

    fn stage(&self, s: Stage) {
        self.message(match s {
            Stage::LoadingFonts => "loading fonts",
            Stage::Typesetting => "typesetting",
            Stage::WritingPdf => "writing PDF/A",
        });
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
