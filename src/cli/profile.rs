//! `canary profile set|show`: who you are (name, organisation, role), kept in your
//! config directory (`--home`, `CANARY_HOME`), not in the workbook; changes and
//! signed acts are recorded as this person.

use std::process::ExitCode;

use clap::Subcommand;

use canary::identity::Person;

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
    /// Show who you are (a workbook's old profile becomes you if you are nobody yet).
    Show,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let home = ctx.home()?;
    match cmd {
        Command::Set {
            name,
            organisation,
            role,
        } => {
            let p = Person::new(&name, &organisation, &role);
            home.set_person(&p)?;
            ctx.emit(&p, |p| {
                vec![format!(
                    "profile set: {} ({}, {}) in {}",
                    p.name,
                    p.organisation,
                    p.role,
                    home.dir().display()
                )]
            })?;
        }
        Command::Show => {
            // Read only: a workbook's old profile becomes the person at their first change.
            let p = match home.person()? {
                Some(p) => Some(p),
                None => ctx
                    .open_read_only()
                    .ok()
                    .and_then(|wb| wb.profile().ok().flatten())
                    .map(|p| Person {
                        name: p.name,
                        organisation: p.organisation,
                        role: p.role,
                    }),
            };
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
