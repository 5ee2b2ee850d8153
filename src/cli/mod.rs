//! Argument parsing and dispatch. Each command group lives in its own module and
//! turns library results into text (or `--json`) on stdout through [`Ctx::emit`];
//! failures end with exit status 1 and the error on stderr.

mod args;
mod catalog;
mod check;
mod diff;
mod evidence;
mod exchange;
mod init;
mod key;
mod output;
mod product;
mod profile;
mod received;
mod report;
mod request;
mod respond;
mod review;
mod status;
mod trail;
mod trust;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Parser, Subcommand};

use canary::catalogue::Catalogue;
use canary::identity::{Home, HOME_ENV};
use canary::workbook::{self, ActSigning, Workbook, WorkbookError};

use args::Who;

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
    /// Your config directory: identity, signing key, trusted keys (default: the
    /// platform config directory, e.g. `~/.config/canary`).
    #[arg(long, global = true, value_name = "DIR", env = HOME_ENV)]
    home: Option<PathBuf>,
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
    /// Create a workbook (FILE, else --workbook, else the default location).
    Init(init::Args),
    /// Add and list products.
    #[command(subcommand)]
    Product(product::Command),
    /// Counts per framework and the three CoP canaries, per product.
    Status(status::Args),
    /// Set the response to one requirement.
    Respond(respond::Args),
    /// Add evidence to a response.
    #[command(subcommand)]
    Evidence(evidence::Command),
    #[command(flatten)]
    Review(review::Command),
    #[command(flatten)]
    Trail(trail::Command),
    /// The profile changes are recorded under.
    #[command(subcommand)]
    Profile(profile::Command),
    /// Import a product file (YAML + evidence files) into the workbook.
    Import(exchange::ImportArgs),
    /// Export a product's latest assessment as a product file with its evidence.
    Export(exchange::ExportArgs),
    /// What changed between two assessments of a product (default: the latest
    /// against the one before).
    Diff(diff::DiffArgs),
    /// Make a PDF report: attestation, PSTI statement of compliance, standards mapping.
    #[command(subcommand)]
    Report(report::Command),
    /// Your signing key: create it, show it, export the public key.
    #[command(subcommand)]
    Key(key::Command),
    /// The public keys you trust, pinned per organisation.
    #[command(subcommand)]
    Trust(trust::Command),
    /// Check a received PDF: what it claims, its signature, whether you trust the key.
    Check(check::Args),
    /// The register of documents received from others: add, list, show, remove.
    #[command(subcommand)]
    Received(received::Command),
    /// Attestation requests: a retailer asks for products' attestations by a date;
    /// a manufacturer imports the request to start the assessments.
    #[command(subcommand)]
    Request(request::Command),
}

/// What every command may need, resolved lazily from the global options.
pub struct Ctx {
    catalogue_dir: Option<PathBuf>,
    workbook: Option<PathBuf>,
    home: Option<PathBuf>,
    json: bool,
}

impl Ctx {
    pub fn catalogue(&self) -> anyhow::Result<Catalogue> {
        Ok(Catalogue::load(self.catalogue_dir.as_deref())?)
    }

    /// The person's config directory: `--home` (or `CANARY_HOME`), else the platform one.
    pub fn home(&self) -> anyhow::Result<Home> {
        self.home
            .clone()
            .or_else(Home::default_dir)
            .map(Home::at)
            .ok_or_else(|| anyhow!("no config directory: pass --home DIR"))
    }

    /// The workbook file: `--workbook` (or `CANARY_WORKBOOK`), else the platform default.
    fn workbook_path(&self) -> anyhow::Result<PathBuf> {
        self.workbook
            .clone()
            .or_else(workbook::default_path)
            .ok_or_else(|| anyhow!("no workbook location: pass --workbook FILE"))
    }

    /// Opens the workbook, which must exist, for a command that may change it:
    /// read-only until its first write (see [`Workbook::open_until_write`]), so a
    /// command that is refused, or only shows something, leaves the file as it was.
    pub fn open(&self) -> anyhow::Result<Workbook> {
        Ok(Workbook::open_until_write(&self.workbook_path()?)?)
    }

    /// Opens the workbook, which must exist, for a command that only reads it:
    /// no byte of the file changes and nothing is left beside it, and an older
    /// workbook is refused rather than migrated (see [`Workbook::open_read_only`]).
    pub fn open_read_only(&self) -> anyhow::Result<Workbook> {
        Ok(Workbook::open_read_only(&self.workbook_path()?)?)
    }

    /// Opens the workbook to record changes as `--as NAME` (scripts, tests), else
    /// as the person in the home, else as the computer login (the core's rule,
    /// as in the app). A home without a person takes the workbook's old profile,
    /// and says so.
    pub fn open_as(&self, who: &Who) -> anyhow::Result<Workbook> {
        let mut wb = self.open()?;
        if who.actor.is_some() {
            wb.set_actor(who.actor.clone());
            return Ok(wb);
        }
        let me = wb.act_as_person(Some(&self.home()?))?;
        if let Some(me) = me.as_ref().filter(|m| m.adopted) {
            output::error(
                "note: ",
                &format!(
                    "you are now {} ({}, {}) in {}, taken from this workbook's profile; change it with `canary profile set`",
                    me.person.name,
                    me.person.organisation,
                    me.person.role,
                    self.home()?.dir().display()
                ),
            );
        }
        Ok(wb)
    }

    /// [`Ctx::open_as`] for an act: the person's key is unlocked to sign it when
    /// they are the actor. Without a key (or acting `--as` someone else) the act
    /// is recorded unsigned, with a warning.
    pub fn open_to_act(&self, who: &Who) -> anyhow::Result<Workbook> {
        let mut wb = self.open_as(who)?;
        let home = self.home()?;
        let signing = match wb.prepare_acts(&home, None) {
            Err(WorkbookError::PassphraseRequired { .. }) => {
                wb.prepare_acts(&home, Some(&key::passphrase(false)?))?
            }
            other => other?,
        };
        let actor = wb.actor()?;
        let unsigned = match signing {
            ActSigning::Signed => return Ok(wb),
            ActSigning::NoKey => format!(
                "no signing key in {} (create one with `canary key create`)",
                home.dir().display()
            ),
            ActSigning::OtherActor => format!(
                "the key in {} signs its own person's acts, not {actor}'s",
                home.dir().display()
            ),
        };
        output::error("warning: ", &format!("recorded unsigned: {unsigned}"));
        Ok(wb)
    }

    /// Opens the workbook at `file` (else the usual one), creating it if nothing is
    /// there yet; says whether it was created.
    pub fn open_or_create(&self, file: Option<PathBuf>) -> anyhow::Result<(Workbook, bool)> {
        let path = match file {
            Some(f) => f,
            None => self.workbook_path()?,
        };
        if path.exists() {
            Ok((Workbook::open_until_write(&path)?, false))
        } else {
            Ok((Workbook::create(&path)?, true))
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx {
        catalogue_dir: cli.catalogue,
        workbook: cli.workbook,
        home: cli.home,
        json: cli.json,
    };
    let result = match cli.command {
        Command::Catalog(c) => catalog::run(&ctx, c),
        Command::Init(a) => init::run(&ctx, a),
        Command::Product(c) => product::run(&ctx, c),
        Command::Status(a) => status::run(&ctx, a),
        Command::Respond(a) => respond::run(&ctx, a),
        Command::Evidence(c) => evidence::run(&ctx, c),
        Command::Review(c) => review::run(&ctx, c),
        Command::Trail(c) => trail::run(&ctx, c),
        Command::Profile(c) => profile::run(&ctx, c),
        Command::Import(a) => exchange::import(&ctx, a),
        Command::Export(a) => exchange::export(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Report(c) => report::run(&ctx, c),
        Command::Key(c) => key::run(&ctx, c),
        Command::Trust(c) => trust::run(&ctx, c),
        Command::Check(a) => check::run(&ctx, a),
        Command::Received(c) => received::run(&ctx, c),
        Command::Request(c) => request::run(&ctx, c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            output::error("error: ", &format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}
