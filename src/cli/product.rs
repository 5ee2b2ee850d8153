//! `canary product list|add|edit`.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use canary::workbook::{CraInfo, DashboardRow, Manufacturer, ProductInput, FIRST_ASSESSMENT_LABEL};

use super::args::Who;
use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Every product with its latest assessment's state.
    List,
    /// Add a product and start its first assessment.
    Add(Box<AddArgs>),
    /// Change a product's details; what is not given stays as it is.
    Edit(Box<EditArgs>),
}

/// The EU declaration of conformity details (CRA Annexes V and VI).
#[derive(clap::Args)]
pub struct CraArgs {
    /// Harmonised standard, common specification or cybersecurity certification
    /// conformity is declared against (repeatable; on edit, replaces the list).
    #[arg(long = "standard", value_name = "REFERENCE")]
    standards: Vec<String>,
    /// Name of the notified body that took part, if any.
    #[arg(long)]
    notified_body: Option<String>,
    /// The notified body's identification number.
    #[arg(long)]
    notified_body_number: Option<String>,
    /// The conformity assessment procedure performed, e.g. "Module B + C".
    #[arg(long)]
    procedure: Option<String>,
    /// The certificate the notified body issued.
    #[arg(long)]
    certificate: Option<String>,
    /// Where the full EU declaration of conformity is published (https://…).
    #[arg(long)]
    declaration_url: Option<String>,
}

impl CraArgs {
    /// `base` with every given value replaced.
    fn apply(self, mut base: CraInfo) -> CraInfo {
        if !self.standards.is_empty() {
            base.standards = self.standards;
        }
        let set = |field: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *field = v;
            }
        };
        set(&mut base.notified_body, self.notified_body);
        set(&mut base.notified_body_number, self.notified_body_number);
        set(&mut base.procedure, self.procedure);
        set(&mut base.certificate, self.certificate);
        set(&mut base.declaration_url, self.declaration_url);
        base
    }
}

#[derive(clap::Args)]
pub struct EditArgs {
    /// Product id, model or name.
    product: String,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    model: Option<String>,
    #[arg(long = "type")]
    product_type: Option<String>,
    #[arg(long)]
    batch: Option<String>,
    #[arg(long)]
    manufacturer: Option<String>,
    /// Manufacturer's postal address.
    #[arg(long)]
    address: Option<String>,
    /// End of the defined support period, YYYY-MM-DD ("" removes it).
    #[arg(long)]
    support_end: Option<String>,
    /// CoP stakeholder role (repeatable; replaces the list).
    #[arg(long = "role")]
    roles: Vec<String>,
    /// Market (repeatable; replaces the list).
    #[arg(long = "market")]
    markets: Vec<String>,
    #[command(flatten)]
    cra: CraArgs,
    #[command(flatten)]
    who: Who,
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
    cra: CraArgs,
    #[command(flatten)]
    who: Who,
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List => list(ctx)?,
        Command::Add(args) => add(ctx, *args)?,
        Command::Edit(args) => edit(ctx, *args)?,
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
        cra,
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
        cra: cra.apply(CraInfo::default()),
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

fn edit(ctx: &Ctx, args: EditArgs) -> anyhow::Result<()> {
    let mut wb = ctx.open_as(&args.who)?;
    let p = wb.find_product(&args.product)?;
    let mut info = p.info;
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut info.name, args.name);
    set(&mut info.model, args.model);
    set(&mut info.product_type, args.product_type);
    set(&mut info.batch, args.batch);
    set(&mut info.manufacturer.name, args.manufacturer);
    set(&mut info.manufacturer.address, args.address);
    if let Some(end) = args.support_end {
        info.support_end = (!end.trim().is_empty()).then_some(end);
    }
    if !args.roles.is_empty() {
        info.roles = args.roles;
    }
    if !args.markets.is_empty() {
        info.markets = args.markets;
    }
    info.cra = args.cra.apply(info.cra);
    let p = wb.update_product(p.id, &info)?;
    ctx.emit(&json!({ "product": p }), |_| {
        vec![format!("updated product {}: {}", p.id, p.info.name)]
    })
}
