//! `canary log` and `canary verify`: the trail of changes and its check.

use std::process::ExitCode;

use clap::Subcommand;

use super::{output, Ctx};

#[derive(Subcommand)]
pub enum Command {
    /// The trail of changes, oldest first.
    Log {
        /// Only the newest N events.
        #[arg(long)]
        last: Option<usize>,
    },
    /// Check the trail, every stored file and the database; exit 1 on any finding.
    Verify,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Log { last } => {
            let wb = ctx.open_read_only()?;
            let events = wb.log(last)?;
            let head = wb.trail_head()?;
            ctx.emit(&events, |events| {
                let mut lines: Vec<String> = events
                    .iter()
                    .map(|e| {
                        format!(
                            "{:>6}  {}  {:<16} {} {} {}",
                            e.seq, e.at, e.actor, e.action, e.entity, e.entity_id
                        )
                    })
                    .collect();
                lines.push(format!("trail head {head}"));
                lines
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify => {
            let report = ctx.open_read_only()?.verify()?;
            ctx.emit(&report, |r| {
                let mut lines: Vec<String> = r
                    .findings
                    .iter()
                    .map(|f| format!("{}: {}: {}", f.check, f.subject, f.message))
                    .collect();
                for u in &r.unsigned_acts {
                    lines.push(format!(
                        "unsigned: event {}: {} {} {} by {} (no signature; not an error)",
                        u.seq, u.action, u.entity, u.entity_id, u.actor
                    ));
                }
                for s in &r.signers {
                    lines.push(format!(
                        "signer: {} ({}, {}), key {}",
                        s.name, s.organisation, s.role, s.key_id
                    ));
                }
                lines.push(format!(
                    "{} events, {} stored files, {} signed acts, {} unsigned, trail head {}",
                    r.events,
                    r.blobs,
                    r.signed_acts,
                    r.unsigned_acts.len(),
                    r.trail_head
                ));
                if r.is_ok() {
                    lines.push("workbook verified: no problems found".to_owned());
                }
                lines
            })?;
            if report.is_ok() {
                return Ok(ExitCode::SUCCESS);
            }
            let n = report.findings.len();
            output::error("error: ", &format!("verification found {n} problem(s)"));
            Ok(ExitCode::FAILURE)
        }
    }
}
