//! The review state machine: `review`, `submit`, `approve`, `request-changes`,
//! `sign`, and `clone` to start the next draft; `frameworks` of a draft.

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
    /// Approve an assessment in review; refused while answers are rejected, need
    /// information or are not assessed, unless --despite gives a reason.
    Approve {
        #[command(flatten)]
        target: Target,
        /// Approve although answers are outstanding; the reason is recorded in the
        /// trail and printed on page 1 of every report of the assessment.
        #[arg(long, value_name = "REASON")]
        despite: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Show, add or remove the frameworks of a draft assessment.
    Frameworks {
        #[command(flatten)]
        target: Target,
        /// Framework id to add (repeatable), e.g. uk-psti-2023.
        #[arg(long = "add", value_name = "ID")]
        add: Vec<String>,
        /// Framework id to remove (repeatable); its answers stay stored.
        #[arg(long = "remove", value_name = "ID")]
        remove: Vec<String>,
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
            let mut wb = ctx.open_to_act(&who)?;
            let (_, a) = target.resolve(&wb)?;
            let r = wb.review(a.id, &requirement, verdict, &comment)?;
            ctx.emit(&r, |r| {
                vec![format!("{requirement}: {} by {}", r.verdict, r.reviewer)]
            })?;
        }
        Command::Submit { target, who } => transition(ctx, &target, &who, Transition::Submit)?,
        Command::Approve {
            target,
            despite,
            who,
        } => {
            let cat = ctx.catalogue()?;
            let mut wb = ctx.open_to_act(&who)?;
            let (p, a) = target.resolve(&wb)?;
            let a = wb.approve(&cat, a.id, despite.as_deref())?;
            ctx.emit(&a, |a| {
                let mut out = vec![format!(
                    "assessment {} of {} is now {}",
                    a.id, p.info.name, a.state
                )];
                if let Some(o) = &a.approval_override {
                    out.push(format!(
                        "approved despite outstanding answers: {}",
                        o.reason
                    ));
                }
                out
            })?;
        }
        Command::Frameworks {
            target,
            add,
            remove,
            who,
        } => {
            let cat = ctx.catalogue()?;
            let mut wb = ctx.open_as(&who)?;
            let (p, mut a) = target.resolve(&wb)?;
            if !add.is_empty() || !remove.is_empty() {
                a = wb.change_frameworks(&cat, a.id, &add, &remove)?;
            }
            ctx.emit(&a, |a| {
                vec![format!(
                    "assessment {} of {} covers {}",
                    a.id,
                    p.info.name,
                    a.frameworks.join(", ")
                )]
            })?;
        }
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
            let mut wb = ctx.open_to_act(&who)?;
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
            let mut wb = ctx.open_to_act(&who)?;
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
    let cat = ctx.catalogue()?;
    let mut wb = ctx.open_to_act(who)?;
    let (p, a) = target.resolve(&wb)?;
    let a = wb.transition(&cat, a.id, t)?;
    ctx.emit(&a, |a| {
        vec![format!(
            "assessment {} of {} is now {}",
            a.id, p.info.name, a.state
        )]
    })
}
