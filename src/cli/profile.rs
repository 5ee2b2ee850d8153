//! `canary profile set|show`: who changes are recorded as.

use std::process::ExitCode;

use clap::Subcommand;

use canary::workbook::Profile;

use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Set who you are; changes are recorded under this name.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        organisation: String,
        #[arg(long, default_value = "")]
        role: String,
    },
    /// Show the stored profile.
    Show,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Set {
            name,
            organisation,
            role,
        } => {
            let p = ctx.open()?.set_profile(&Profile {
                name,
                organisation,
                role,
            })?;
            ctx.emit(&p, |p| {
                vec![format!(
                    "profile set: {} ({}, {})",
                    p.name, p.organisation, p.role
                )]
            })?;
        }
        Command::Show => {
            let p = ctx.open_read_only()?.profile()?;
            ctx.emit(&p, |p| {
                vec![match p {
                    Some(p) => format!("{} ({}, {})", p.name, p.organisation, p.role),
                    None => "no profile set (use `canary profile set --name …`)".to_owned(),
                }]
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
