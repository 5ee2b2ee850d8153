//! `canary respond`: set the response to one requirement.

use std::process::ExitCode;

use canary::workbook::{ResponseInput, Status};

use super::args::{one_of, Target, Who};
use super::Ctx;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Requirement id, e.g. `uk-cop-2018:1`.
    #[arg(long)]
    requirement: String,
    /// not_assessed | met | partially_met | not_met | not_applicable
    #[arg(long, value_parser = parse_status)]
    status: Status,
    #[arg(long, default_value = "")]
    statement: String,
    /// Required for not_met and not_applicable.
    #[arg(long, default_value = "")]
    justification: String,
    #[arg(long, default_value = "")]
    owner: String,
    #[command(flatten)]
    who: Who,
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| one_of(Status::ALL))
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let mut wb = ctx.open_as(&args.who)?;
    let (_, a) = args.target.resolve(&wb)?;
    let r = wb.set_response(
        &cat,
        a.id,
        &args.requirement,
        &ResponseInput {
            status: args.status,
            statement: args.statement,
            justification: args.justification,
            owner: args.owner,
        },
    )?;
    ctx.emit(&r, |r| {
        vec![format!(
            "{}: {} (assessment {})",
            r.requirement, r.status, a.id
        )]
    })?;
    Ok(ExitCode::SUCCESS)
}
