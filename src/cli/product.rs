//! `canary product list|add`.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use canary::workbook::{DashboardRow, Manufacturer, ProductInput, FIRST_ASSESSMENT_LABEL};

use super::args::Who;
use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Every product with its latest assessment's state.
    List,
    /// Add a product and start its first assessment.
    Add(Box<AddArgs>),
}

#[derive(clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    model: String,
    #[arg(long = "type", default_value = "")]
    product_type: String,
    /// Batch or version range covered.
    #[arg(long, default_value = "")]
    batch: String,
    #[arg(long, default_value = "")]
    manufacturer: String,
    /// Manufacturer's postal address.
    #[arg(long, default_value = "")]
    address: String,
    /// End of the defined support period, YYYY-MM-DD.
    #[arg(long)]
    support_end: Option<String>,
    /// CoP stakeholder role the team plays (repeatable), e.g. DM.
    #[arg(long = "role")]
    roles: Vec<String>,
    /// Market (repeatable), e.g. UK.
    #[arg(long = "market")]
    markets: Vec<String>,
    /// Framework to assess against (repeatable; default uk-cop-2018).
    #[arg(long = "framework")]
    frameworks: Vec<String>,
    /// Label of the first assessment.
    #[arg(long, default_value = FIRST_ASSESSMENT_LABEL)]
    label: String,
    #[command(flatten)]
    who: Who,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List => list(ctx)?,
        Command::Add(args) => add(ctx, *args)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Said when there is nothing to list.
pub const NO_PRODUCTS: &str = "no products yet (add one with `canary product add`)";

fn list(ctx: &Ctx) -> anyhow::Result<()> {
    let cat = ctx.catalogue()?;
    let rows = ctx.open_read_only()?.dashboard(&cat)?;
    ctx.emit(&rows, |rows| {
        if rows.is_empty() {
            return vec![NO_PRODUCTS.to_owned()];
        }
        rows.iter()
            .map(|r| {
                format!(
                    "{:>4}  {}  model {}  {}  {}",
                    r.id,
                    r.name,
                    or_dash(&r.model),
                    or_dash(&r.manufacturer),
                    state_text(r)
                )
            })
            .collect()
    })
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

/// `label: state[, signed]` of a product's latest assessment.
pub fn state_text(r: &DashboardRow) -> String {
    match (&r.assessment_label, r.state) {
        (Some(label), Some(state)) => {
            format!("{label}: {state}{}", if r.signed { ", signed" } else { "" })
        }
        _ => "no assessment".into(),
    }
}

fn add(ctx: &Ctx, args: AddArgs) -> anyhow::Result<()> {
    let AddArgs {
        name,
        model,
        product_type,
        batch,
        manufacturer,
        address,
        support_end,
        roles,
        markets,
        frameworks,
        label,
        who,
    } = args;
    let cat = ctx.catalogue()?;
    let mut wb = ctx.open_as(&who)?;
    let input = ProductInput {
        name,
        model,
        product_type,
        batch,
        manufacturer: Manufacturer {
            name: manufacturer,
            address,
        },
        support_end,
        roles,
        markets,
    };
    let (p, a) = wb.add_product_with_assessment(&cat, &input, &label, &frameworks)?;
    ctx.emit(&json!({"product": p, "assessment": a}), |_| {
        vec![format!(
            "added product {}: {} — assessment {} '{}' against {}",
            p.id,
            p.info.name,
            a.id,
            a.label,
            a.frameworks.join(", ")
        )]
    })
}
