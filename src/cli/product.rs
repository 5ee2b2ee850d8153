//! `canary product list|add|edit|labels`.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use canary::workbook::{
    CraEdit, CraInfo, DashboardRow, Manufacturer, ProductEdit, ProductInput, ProductLabel,
    FIRST_ASSESSMENT_LABEL,
};

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
    /// Show or change the security labels a product holds (JC-STAR, Singapore CLS).
    Labels(LabelsArgs),
}

#[derive(clap::Args)]
pub struct LabelsArgs {
    /// Product id, model or name.
    #[arg(long)]
    product: String,
    /// Label to add, SCHEME:LEVEL:LABEL_ID:EXPIRY (repeatable), e.g.
    /// `jc-star:STAR-1:JC-0001:2027-03-31`; replaces a label of the same scheme and id.
    #[arg(long = "add", value_parser = parse_label)]
    add: Vec<ProductLabel>,
    /// Label id to remove (repeatable).
    #[arg(long = "remove")]
    remove: Vec<String>,
    #[command(flatten)]
    who: Who,
}

/// `SCHEME:LEVEL:LABEL_ID:EXPIRY`; the id may itself hold colons. Only splits the
/// text: the store checks scheme, level and date against the catalogue.
fn parse_label(spec: &str) -> Result<ProductLabel, String> {
    let usage = || format!("`{spec}` is not SCHEME:LEVEL:LABEL_ID:EXPIRY");
    let (scheme, rest) = spec.split_once(':').ok_or_else(usage)?;
    let (level, rest) = rest.split_once(':').ok_or_else(usage)?;
    let (label_id, expiry) = rest.rsplit_once(':').ok_or_else(usage)?;
    Ok(ProductLabel {
        scheme: scheme.to_owned(),
        level: level.to_owned(),
        label_id: label_id.to_owned(),
        expiry: expiry.to_owned(),
    })
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
    /// The change these options make; `--standard` replaces the list unless
    /// `clear_standards` empties it.
    fn edit(self, clear_standards: bool) -> CraEdit {
        CraEdit {
            standards: replacing(self.standards, clear_standards),
            notified_body: self.notified_body,
            notified_body_number: self.notified_body_number,
            procedure: self.procedure,
            certificate: self.certificate,
            declaration_url: self.declaration_url,
        }
    }
}

/// A list option's change: the values given replace the list, `clear` empties
/// it, neither keeps it.
fn replacing(given: Vec<String>, clear: bool) -> Option<Vec<String>> {
    if clear {
        Some(Vec::new())
    } else {
        (!given.is_empty()).then_some(given)
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
    /// Remove every role.
    #[arg(long, conflicts_with = "roles")]
    clear_roles: bool,
    /// Remove every market.
    #[arg(long, conflicts_with = "markets")]
    clear_markets: bool,
    /// Remove every standard of the declaration of conformity.
    #[arg(long, conflicts_with = "standards")]
    clear_standards: bool,
    /// Remove every security label (`product labels` adds and removes single ones).
    #[arg(long)]
    clear_labels: bool,
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
    /// Security label held, SCHEME:LEVEL:LABEL_ID:EXPIRY (repeatable), e.g.
    /// `jc-star:STAR-1:JC-0001:2027-03-31` or `sg-cls:Level 2:CSA/311227/0042:2027-12-31`.
    #[arg(long = "security-label", value_parser = parse_label)]
    labels: Vec<ProductLabel>,
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
        Command::Labels(args) => labels(ctx, args)?,
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
        labels,
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
        cra: cra.edit(false).apply(CraInfo::default()),
        labels,
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
    let cat = ctx.catalogue()?;
    let mut wb = ctx.open_as(&args.who)?;
    let p = wb.find_product(&args.product)?;
    let edit = ProductEdit {
        name: args.name,
        model: args.model,
        product_type: args.product_type,
        batch: args.batch,
        manufacturer: args.manufacturer,
        address: args.address,
        support_end: args.support_end,
        roles: replacing(args.roles, args.clear_roles),
        markets: replacing(args.markets, args.clear_markets),
        labels: args.clear_labels.then(Vec::new),
        cra: args.cra.edit(args.clear_standards),
    };
    let p = wb.edit_product(&cat, p.id, edit)?;
    ctx.emit(&json!({ "product": p }), |_| {
        vec![format!("updated product {}: {}", p.id, p.info.name)]
    })
}

fn labels(ctx: &Ctx, args: LabelsArgs) -> anyhow::Result<()> {
    let cat = ctx.catalogue()?;
    let changes = !args.add.is_empty() || !args.remove.is_empty();
    // Read-only until the first write: only showing leaves the file as it was.
    let mut wb = ctx.open_as(&args.who)?;
    let mut p = wb.find_product(&args.product)?;
    if changes {
        let mut info = p.info.clone();
        info.labels.retain(|l| {
            !args.remove.contains(&l.label_id)
                && !args
                    .add
                    .iter()
                    .any(|a| a.scheme == l.scheme && a.label_id == l.label_id)
        });
        info.labels.extend(args.add);
        p = wb.update_product(&cat, p.id, &info)?;
    }
    ctx.emit(&p.info.labels, |labels| {
        if labels.is_empty() {
            return vec![format!("{} holds no security labels", p.info.name)];
        }
        labels
            .iter()
            .map(|l| {
                format!(
                    "{} {} {}  expires {}",
                    l.scheme, l.level, l.label_id, l.expiry
                )
            })
            .collect()
    })
}
