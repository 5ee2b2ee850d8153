//! `canary report`: attestation, PSTI statement of compliance, EU declaration of
//! conformity, standards mapping, as PDF.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use canary::document;
use canary::report::{self, ProductRecord, Rendered, Stage};

use super::{key, output, Ctx};

#[derive(Subcommand)]
pub enum Command {
    /// Attestation of a product's assessment, requirement by requirement.
    Attestation(Target),
    /// UK PSTI statement of compliance; refuses, listing what is missing, until complete.
    Psti(Target),
    /// EU declaration of conformity (CRA Annex V, with the simplified declaration of
    /// Annex VI); only from a signed assessment covering eu-cra-2024, else refused
    /// with everything missing.
    CraDoc(Target),
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
    #[command(flatten)]
    sign: SignArgs,
}

#[derive(Args)]
pub struct SignArgs {
    /// Do not write the detached signature FILE.pdf.minisig.
    #[arg(long)]
    no_sign: bool,
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
    #[command(flatten)]
    sign: SignArgs,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let no_sign = match &cmd {
        Command::Attestation(t) | Command::Psti(t) | Command::CraDoc(t) => t.sign.no_sign,
        Command::Mapping(m) => m.sign.no_sign,
    };
    // Unlocked first: a wrong passphrase fails before the typesetting.
    let signer = if no_sign {
        None
    } else {
        key::signing_key(&ctx.home()?)?
    };
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
        Command::CraDoc(t) => {
            let record = record(ctx, &spinner, &catalogue, &t.product, t.assessment)?;
            (
                t.out,
                report::cra_declaration(&catalogue, &record, at, &show)?,
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
    let signature = match &signer {
        Some(s) => Some(document::sign(
            &rendered.pdf,
            &catalogue,
            &s.key,
            &s.person,
        )?),
        None => None,
    };
    spinner.message("writing the file");
    // The command line replaces `--out` as command-line tools do; never through a link.
    let sig_path = report::save(&out, &rendered.pdf, signature.as_deref(), true)?;
    spinner.finish();
    print_result(ctx, &out, sig_path.as_deref(), &rendered)?;
    if signature.is_none() && !no_sign {
        output::error(
            "warning: ",
            "the PDF is not signed: you have no signing key \
             (create one with `canary key create --name NAME`, or pass --no-sign)",
        );
    }
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
    let wb = ctx.open_read_only()?;
    Ok(ProductRecord::read(&wb, catalogue, product, assessment)?)
}

fn print_result(
    ctx: &Ctx,
    out: &Path,
    signature: Option<&Path>,
    r: &Rendered,
) -> anyhow::Result<()> {
    let value = serde_json::json!({
        "out": out,
        "signature": signature,
        "pages": r.pages,
        "bytes": r.pdf.len(),
        "warnings": r.warnings,
    });
    ctx.emit(&value, |_| {
        let mut lines = vec![format!(
            "wrote {} ({} pages, {} bytes)",
            out.display(),
            r.pages,
            r.pdf.len()
        )];
        if let Some(s) = signature {
            lines.push(format!("signed: {}", s.display()));
        }
        lines
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
