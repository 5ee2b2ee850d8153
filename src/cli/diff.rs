//! `canary diff`: what changed between two assessments of a product.

use std::process::ExitCode;

use clap::Args;

use canary::exchange;
use canary::workbook::Verdict;

use super::Ctx;

#[derive(Args)]
pub struct DiffArgs {
    /// Product id, model or name.
    #[arg(long)]
    product: String,
    /// The older assessment, by id or label (default: the one before --to).
    #[arg(long)]
    from: Option<String>,
    /// The newer assessment, by id or label (default: the latest).
    #[arg(long)]
    to: Option<String>,
}

pub fn run(ctx: &Ctx, args: DiffArgs) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let wb = ctx.open_read_only()?;
    let product = wb.find_product(&args.product)?;
    let d = exchange::diff_assessments(
        &wb,
        &cat,
        product.id,
        args.from.as_deref().map(exchange::AssessmentName::Typed),
        args.to.as_deref().map(exchange::AssessmentName::Typed),
    )?;
    ctx.emit(&d, |d| {
        let mut lines = vec![format!(
            "{}: {} (id {}) → {} (id {}): {} requirement(s) changed",
            product.info.name,
            d.from.label,
            d.from.id,
            d.to.label,
            d.to.id,
            d.changes.len()
        )];
        for c in &d.changes {
            lines.push(String::new());
            lines.push(format!("{} {}", c.requirement, c.title));
            if let Some(s) = &c.status {
                lines.push(format!("  status: {} → {}", s.from.label(), s.to.label()));
            }
            for (name, change) in [
                ("statement", &c.statement),
                ("justification", &c.justification),
            ] {
                if let Some(t) = change {
                    lines.push(format!("  {name}: {:?} → {:?}", t.from, t.to));
                }
            }
            for e in &c.evidence_added {
                lines.push(format!("  + evidence: {} ({})", e.title, e.content));
            }
            for e in &c.evidence_removed {
                lines.push(format!("  - evidence: {} ({})", e.title, e.content));
            }
            if let Some(v) = &c.verdict {
                let show = |v: Option<Verdict>| v.map_or("none", |v| v.as_str());
                lines.push(format!("  verdict: {} → {}", show(v.from), show(v.to)));
            }
        }
        lines
    })?;
    Ok(ExitCode::SUCCESS)
}
