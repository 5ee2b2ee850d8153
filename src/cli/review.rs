//! The review state machine: `review`, `submit`, `approve`, `request-changes`,
//! `sign`, and `clone` to start the next draft.

use std::process::ExitCode;

use clap::Subcommand;

use canary::workbook::{SignInput, Transition, Verdict};

use super::args::{one_of, Target, Who};
use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Record a reviewer's verdict on a response (starts the review if submitted).
    Review {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        requirement: String,
        /// accepted | rejected | needs_info
        #[arg(long, value_parser = parse_verdict)]
        verdict: Verdict,
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        who: Who,
    },
    /// Submit an assessment for review (from draft or changes_requested).
    Submit {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        who: Who,
    },
    /// Approve an assessment in review.
    Approve {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        who: Who,
    },
    /// Send an assessment in review back for changes.
    RequestChanges {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        who: Who,
    },
    /// Sign an approved assessment; it is locked from then on.
    Sign {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        signatory: String,
        /// The signatory's function (job title).
        #[arg(long)]
        function: String,
        #[arg(long)]
        place: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Start a new draft assessment from an existing one (e.g. for a new firmware release).
    Clone {
        #[command(flatten)]
        target: Target,
        /// Label of the new assessment, e.g. `firmware 2.1`.
        #[arg(long)]
        label: String,
        #[command(flatten)]
        who: Who,
    },
}

fn parse_verdict(s: &str) -> Result<Verdict, String> {
    Verdict::parse(s).ok_or_else(|| one_of(Verdict::ALL))
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Review {
            target,
            requirement,
            verdict,
            comment,
            who,
        } => {
            let mut wb = ctx.open_as(&who)?;
            let (_, a) = target.resolve(&wb)?;
            let r = wb.review(a.id, &requirement, verdict, &comment)?;
            ctx.emit(&r, |r| {
                vec![format!("{requirement}: {} by {}", r.verdict, r.reviewer)]
            })?;
        }
        Command::Submit { target, who } => transition(ctx, &target, &who, Transition::Submit)?,
        Command::Approve { target, who } => transition(ctx, &target, &who, Transition::Approve)?,
        Command::RequestChanges { target, who } => {
            transition(ctx, &target, &who, Transition::RequestChanges)?
        }
        Command::Sign {
            target,
            signatory,
            function,
            place,
            date,
            who,
        } => {
            let mut wb = ctx.open_as(&who)?;
            let (p, a) = target.resolve(&wb)?;
            let input = SignInput {
                signatory,
                function,
                place,
                date,
            };
            let a = wb.sign(a.id, &input)?;
            ctx.emit(&a, |a| {
                a.signoff
                    .iter()
                    .map(|s| {
                        format!(
                            "signed assessment {} of {} by {} ({}), {}, {}; it is now locked",
                            a.id, p.info.name, s.signatory, s.function, s.place, s.date
                        )
                    })
                    .collect()
            })?;
        }
        Command::Clone { target, label, who } => {
            let mut wb = ctx.open_as(&who)?;
            let (p, a) = target.resolve(&wb)?;
            let new = wb.clone_assessment(a.id, &label)?;
            ctx.emit(&new, |new| {
                vec![format!(
                    "assessment {} '{}' of {} is a new draft copied from assessment {}",
                    new.id, new.label, p.info.name, a.id
                )]
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn transition(ctx: &Ctx, target: &Target, who: &Who, t: Transition) -> anyhow::Result<()> {
    let mut wb = ctx.open_as(who)?;
    let (p, a) = target.resolve(&wb)?;
    let a = wb.transition(a.id, t)?;
    ctx.emit(&a, |a| {
        vec![format!(
            "assessment {} of {} is now {}",
            a.id, p.info.name, a.state
        )]
    })
}
