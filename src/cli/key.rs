//! `canary key create|show|export`: the person's own signing key, in their config
//! directory (`--home`, `CANARY_HOME`).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use serde_json::json;

use canary::identity::{Home, Signer};

use super::Ctx;

/// Where a script gives the passphrase; a terminal is asked instead.
const PASSPHRASE_ENV: &str = "CANARY_PASSPHRASE";

#[derive(Subcommand)]
pub enum Command {
    /// Create your signing key (Ed25519, minisign format), encrypted with a passphrase.
    Create {
        /// Your name, as documents you sign will say (default: your profile's).
        #[arg(long)]
        name: Option<String>,
        /// Default: your profile's.
        #[arg(long)]
        organisation: Option<String>,
        /// Default: your profile's.
        #[arg(long)]
        role: Option<String>,
    },
    /// Show your public key (minisign's `RW…` form) and its key id.
    Show,
    /// Write your public key as a standard minisign `.pub` file.
    Export {
        #[arg(long, value_name = "FILE.pub")]
        out: PathBuf,
    },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let home = ctx.home()?;
    match cmd {
        Command::Create {
            name,
            organisation,
            role,
        } => {
            let person =
                home.person_for_key(name.as_deref(), organisation.as_deref(), role.as_deref())?;
            home.refuse_existing_key()?; // before asking for a passphrase
            let passphrase = passphrase(true)?;
            let key = home.create_key(&person, &passphrase)?;
            ctx.emit(
                &json!({ "key": key.base64(), "key_id": key.key_id(), "home": home.dir() }),
                |_| {
                    vec![
                        format!(
                            "created signing key {} in {}",
                            key.key_id(),
                            home.dir().display()
                        ),
                        format!("public key: {}", key.base64()),
                    ]
                },
            )?;
        }
        Command::Show => {
            let key = home
                .public_key()?
                .ok_or_else(|| canary::identity::IdentityError::NoKey(home.dir().to_owned()))?;
            let person = home.person()?;
            ctx.emit(
                &json!({ "key": key.base64(), "key_id": key.key_id(), "person": person }),
                |_| {
                    let mut lines = vec![
                        format!("key id: {}", key.key_id()),
                        format!("public key: {}", key.base64()),
                    ];
                    if let Some(p) = &person {
                        lines.push(format!(
                            "person: {} ({}, {})",
                            p.name, p.organisation, p.role
                        ));
                    }
                    lines
                },
            )?;
        }
        Command::Export { out } => {
            let key = home
                .public_key()?
                .ok_or_else(|| canary::identity::IdentityError::NoKey(home.dir().to_owned()))?;
            canary::fsx::write_atomically(&out, key.file_text().as_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            ctx.emit(&json!({ "out": out, "key_id": key.key_id() }), |_| {
                vec![format!(
                    "wrote public key {} to {}",
                    key.key_id(),
                    out.display()
                )]
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The passphrase from `CANARY_PASSPHRASE`, else asked on the terminal (never echoed;
/// twice when `confirm`).
pub fn passphrase(confirm: bool) -> anyhow::Result<String> {
    if let Some(p) = std::env::var_os(PASSPHRASE_ENV) {
        return p
            .into_string()
            .map_err(|_| anyhow!("{PASSPHRASE_ENV} is not valid UTF-8"));
    }
    if !std::io::stdin().is_terminal() {
        bail!("no passphrase for the signing key: set {PASSPHRASE_ENV} or run in a terminal");
    }
    let first = rpassword::prompt_password("Passphrase for your signing key: ")?;
    if confirm && rpassword::prompt_password("The same passphrase again: ")? != first {
        bail!("the two passphrases differ; nothing was created");
    }
    Ok(first)
}

/// The person's key unlocked for signing, `None` when they have none.
pub fn signing_key(home: &Home) -> anyhow::Result<Option<Signer>> {
    if home.public_key()?.is_none() {
        return Ok(None);
    }
    Ok(home.signer(&passphrase(false)?)?)
}
