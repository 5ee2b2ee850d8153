//! `canary trust add|list|remove`: the public keys you trust, pinned per organisation.

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use canary::identity::PublicKey;

use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Trust a public key: minisign's `RW…` form, or a `.pub` file.
    Add {
        /// The key, or a file holding it.
        key: String,
        /// Whose key it is.
        #[arg(long)]
        name: String,
        /// Pin the key to this organisation: its documents signed by any other key are flagged.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// The keys you trust.
    List,
    /// Stop trusting a key (its id or `RW…` form).
    Remove { key: String },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let home = ctx.home()?;
    match cmd {
        Command::Add {
            key,
            name,
            organisation,
        } => {
            let text = if key.starts_with("RW") {
                key
            } else {
                let meta = std::fs::metadata(&key).with_context(|| format!("reading {key}"))?;
                anyhow::ensure!(
                    meta.len() < 4096,
                    "{key} is too large to be a public key file"
                );
                std::fs::read_to_string(&key).with_context(|| format!("reading {key}"))?
            };
            let key = PublicKey::parse(&text)?;
            let entry = home.trust(&key, &name, organisation.as_deref())?;
            ctx.emit(&entry, |e| {
                vec![match &e.organisation {
                    Some(o) => format!("trusted key {} of {} (pinned to {o})", e.key_id, e.name),
                    None => format!("trusted key {} of {}", e.key_id, e.name),
                }]
            })?;
        }
        Command::List => {
            let store = home.trust_store()?;
            ctx.emit(store.keys(), |keys| {
                if keys.is_empty() {
                    return vec![
                        "no trusted keys (add one with `canary trust add KEY --name NAME`)".into(),
                    ];
                }
                keys.iter()
                    .map(|k| {
                        format!(
                            "{}  {}  {}  {}",
                            k.key_id,
                            k.name,
                            k.organisation.as_deref().unwrap_or("-"),
                            k.key
                        )
                    })
                    .collect()
            })?;
        }
        Command::Remove { key } => {
            let removed = home.distrust(&key)?;
            ctx.emit(&removed, |k| {
                vec![format!("no longer trusted: key {} of {}", k.key_id, k.name)]
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
