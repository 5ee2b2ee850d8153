//! `canary status [--product P]`: counts per framework and the CoP canaries.

use std::process::ExitCode;

use canary::workbook::{DashboardRow, Status, StatusCounts};

use super::product::{state_text, NO_PRODUCTS};
use super::Ctx;

#[derive(clap::Args)]
pub struct Args {
    /// Only this product (id, model or name).
    #[arg(long)]
    product: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let cat = ctx.catalogue()?;
    let wb = ctx.open_read_only()?;
    let mut rows = wb.dashboard(&cat)?;
    if let Some(q) = &args.product {
        let p = wb.find_product(q)?;
        rows.retain(|r| r.id == p.id);
    }
    ctx.emit(&rows, |rows| {
        if rows.is_empty() {
            return vec![NO_PRODUCTS.to_owned()];
        }
        rows.iter().flat_map(product_lines).collect()
    })?;
    Ok(ExitCode::SUCCESS)
}

fn product_lines(r: &DashboardRow) -> Vec<String> {
    let mut lines = vec![format!("{} (id {}) — {}", r.name, r.id, state_text(r))];
    lines.extend(r.counts.iter().map(|c| format!("  {}", counts_text(c))));
    let canaries: Vec<String> = r
        .canaries
        .iter()
        .map(|c| {
            let short = c.requirement.rsplit(':').next().unwrap_or(&c.requirement);
            format!("{short} {}", c.state)
        })
        .collect();
    if !canaries.is_empty() {
        lines.push(format!("  canaries: {}", canaries.join(", ")));
    }
    lines
}

fn counts_text(c: &StatusCounts) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .map(|&s| format!("{} {}", s, c.get(s)))
        .collect();
    format!(
        "{} ({} requirements): {}",
        c.framework,
        c.total,
        parts.join(", ")
    )
}
