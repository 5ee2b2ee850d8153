//! Workbook commands: init, product, status, respond, evidence, review, the
//! review state machine, sign, clone, log, verify and profile.
//!
//! Commands act on a product's latest assessment unless `--assessment ID` is given.
//! Changes are recorded as `--as NAME` (or `CANARY_AS`), else as the stored
//! profile's name; with neither, a write fails and says how to set one.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use canary::catalogue::Catalogue;
use canary::workbook::{
    self, Assessment, DashboardRow, EvidenceInput, EvidenceKind, EvidenceSource, Manufacturer,
    Product, ProductInput, Profile, ResponseInput, SignInput, Status, StatusCounts, Transition,
    Verdict, Workbook,
};

use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Create a workbook (FILE, else --workbook, else the default location).
    Init { file: Option<PathBuf> },
    /// Add and list products.
    #[command(subcommand)]
    Product(ProductCommand),
    /// Counts per framework and the three CoP canaries, per product.
    Status {
        /// Only this product (id, model or name).
        #[arg(long)]
        product: Option<String>,
    },
    /// Set the response to one requirement.
    Respond {
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
    },
    /// Add evidence to a response.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
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
    /// The trail of changes, oldest first.
    Log {
        /// Only the newest N events.
        #[arg(long)]
        last: Option<usize>,
    },
    /// Check the trail, every stored file and the database; exit 1 on any finding.
    Verify,
    /// The profile changes are recorded under.
    #[command(subcommand)]
    Profile(ProfileCommand),
}

#[derive(Subcommand)]
pub enum ProductCommand {
    /// Every product with its latest assessment's state.
    List,
    /// Add a product and start its first assessment.
    Add(Box<AddProduct>),
}

#[derive(Args)]
pub struct AddProduct {
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
    #[arg(long, default_value = "initial")]
    label: String,
    #[command(flatten)]
    who: Who,
}

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Attach a file (stored inside the workbook), a link or a note.
    Add {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        requirement: String,
        #[arg(long)]
        title: String,
        #[arg(long, group = "source")]
        file: Option<PathBuf>,
        #[arg(long, group = "source")]
        url: Option<String>,
        #[arg(long, group = "source")]
        note: Option<String>,
        /// Date of the evidence, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// When the evidence expires, YYYY-MM-DD.
        #[arg(long)]
        expires: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// List the evidence of an assessment, with the ids `remove` takes.
    List {
        #[command(flatten)]
        target: Target,
        /// Only this requirement's evidence.
        #[arg(long)]
        requirement: Option<String>,
    },
    /// Remove one evidence item (the trail keeps what it was).
    Remove {
        /// Evidence id, as `canary evidence list` shows it.
        id: i64,
        #[command(flatten)]
        who: Who,
    },
    /// Bring back a removed evidence item, from the trail (it gets a new id).
    Restore {
        /// Id the item had when it was removed.
        id: i64,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
pub enum ProfileCommand {
    /// Set who you are; changes are recorded under this name.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        organisation: String,
        #[arg(long, default_value = "")]
        role: String,
    },
    /// Show the stored profile.
    Show,
}

/// Which assessment a command acts on.
#[derive(Args)]
pub struct Target {
    /// Product id, model or name.
    #[arg(long)]
    product: String,
    /// Assessment id (default: the product's latest).
    #[arg(long)]
    assessment: Option<i64>,
}

/// Who a change is recorded as.
#[derive(Args)]
pub struct Who {
    /// Record the change as NAME instead of the profile's name.
    #[arg(long = "as", value_name = "NAME", env = "CANARY_AS")]
    actor: Option<String>,
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| format!("expected one of {}", names(Status::ALL)))
}

fn parse_verdict(s: &str) -> Result<Verdict, String> {
    Verdict::parse(s).ok_or_else(|| format!("expected one of {}", names(Verdict::ALL)))
}

fn names<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn workbook_path(ctx: &Ctx) -> anyhow::Result<PathBuf> {
    ctx.workbook
        .clone()
        .or_else(workbook::default_path)
        .ok_or_else(|| anyhow!("no workbook location: pass --workbook FILE"))
}

fn open(ctx: &Ctx, who: Option<&Who>) -> anyhow::Result<Workbook> {
    let path = workbook_path(ctx)?;
    let mut wb = Workbook::open(&path)?;
    if let Some(w) = who {
        wb.set_actor(w.actor.clone());
    }
    Ok(wb)
}

fn assessment_of(wb: &Workbook, target: &Target) -> anyhow::Result<(Product, Assessment)> {
    let product = wb.find_product(&target.product)?;
    let a = match target.assessment {
        Some(id) => {
            let a = wb.assessment(id)?;
            if a.product_id != product.id {
                bail!("assessment {id} belongs to another product");
            }
            a
        }
        None => wb.latest_assessment(product.id)?,
    };
    Ok((product, a))
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Init { file } => {
            let path = match file {
                Some(f) => f,
                None => workbook_path(ctx)?,
            };
            let created = !path.exists();
            let wb = if created {
                Workbook::create(&path)?
            } else {
                Workbook::open(&path)?
            };
            if ctx.json {
                print_json(&json!({"path": wb.path(), "created": created,
                                   "version": workbook::SCHEMA_VERSION}))?;
            } else if created {
                println!("created workbook {}", wb.path().display());
            } else {
                println!(
                    "workbook {} already exists; left as it is",
                    wb.path().display()
                );
            }
        }
        Command::Product(ProductCommand::List) => {
            let cat = ctx.catalogue()?;
            let rows = open(ctx, None)?.dashboard(&cat)?;
            if ctx.json {
                print_json(&rows)?;
            } else if rows.is_empty() {
                println!("no products yet (add one with `canary product add`)");
            } else {
                for r in &rows {
                    println!(
                        "{:>4}  {}  model {}  {}  {}",
                        r.id,
                        r.name,
                        if r.model.is_empty() { "-" } else { &r.model },
                        if r.manufacturer.is_empty() {
                            "-"
                        } else {
                            &r.manufacturer
                        },
                        state_text(r)
                    );
                }
            }
        }
        Command::Product(ProductCommand::Add(add)) => {
            let AddProduct {
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
            } = *add;
            let cat = ctx.catalogue()?;
            let mut wb = open(ctx, Some(&who))?;
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
            // The product and its first assessment are stored together or not at all.
            let (p, a) = wb.batch(|b| {
                let p = b.add_product(&input)?;
                let a = b.create_assessment(&cat, p.id, &label, &frameworks)?;
                Ok((p, a))
            })?;
            if ctx.json {
                print_json(&json!({"product": p, "assessment": a}))?;
            } else {
                println!(
                    "added product {}: {} — assessment {} '{}' against {}",
                    p.id,
                    p.info.name,
                    a.id,
                    a.label,
                    a.frameworks.join(", ")
                );
            }
        }
        Command::Status { product } => status(ctx, product.as_deref())?,
        Command::Respond {
            target,
            requirement,
            status,
            statement,
            justification,
            owner,
            who,
        } => {
            let cat = ctx.catalogue()?;
            let mut wb = open(ctx, Some(&who))?;
            let (_, a) = assessment_of(&wb, &target)?;
            let r = wb.set_response(
                &cat,
                a.id,
                &requirement,
                &ResponseInput {
                    status,
                    statement,
                    justification,
                    owner,
                },
            )?;
            if ctx.json {
                print_json(&r)?;
            } else {
                println!("{}: {} (assessment {})", r.requirement, r.status, a.id);
            }
        }
        Command::Evidence(EvidenceCommand::Add {
            target,
            requirement,
            title,
            file,
            url,
            note,
            date,
            expires,
            who,
        }) => {
            let source = match (file, url, note) {
                (Some(f), None, None) => EvidenceSource::File(f),
                (None, Some(u), None) => EvidenceSource::Link(u),
                (None, None, Some(n)) => EvidenceSource::Note(n),
                _ => bail!("give exactly one of --file, --url or --note"),
            };
            let cat = ctx.catalogue()?;
            let mut wb = open(ctx, Some(&who))?;
            let (_, a) = assessment_of(&wb, &target)?;
            let e = wb.add_evidence(
                &cat,
                a.id,
                &requirement,
                &EvidenceInput {
                    title,
                    source,
                    date,
                    expires,
                },
            )?;
            if ctx.json {
                print_json(&e)?;
            } else {
                match (&e.file_name, &e.blob_hash) {
                    (Some(name), Some(hash)) => println!(
                        "added evidence {} to {requirement}: {name} ({} bytes, sha256 {hash})",
                        e.id,
                        e.size.unwrap_or(0)
                    ),
                    _ => println!("added evidence {} ({}) to {requirement}", e.id, e.kind),
                }
            }
        }
        Command::Evidence(EvidenceCommand::List {
            target,
            requirement,
        }) => {
            let wb = open(ctx, None)?;
            let (_, a) = assessment_of(&wb, &target)?;
            let requirement = requirement.map(|r| r.trim().to_owned());
            if let Some(r) = &requirement {
                let cat = ctx.catalogue()?;
                let in_scope = cat
                    .requirement(r)
                    .is_some_and(|(fw, _)| a.frameworks.contains(&fw.id));
                if !in_scope {
                    bail!(
                        "{r:?} is not a requirement of assessment {} ({})",
                        a.id,
                        a.frameworks.join(", ")
                    );
                }
            }
            let mut items = Vec::new();
            for r in wb.responses(a.id)? {
                if requirement.as_ref().is_none_or(|q| *q == r.requirement) {
                    for e in wb.evidence(r.id)? {
                        items.push((r.requirement.clone(), e));
                    }
                }
            }
            if ctx.json {
                #[derive(serde::Serialize)]
                struct Item<'a> {
                    requirement: &'a str,
                    #[serde(flatten)]
                    evidence: &'a canary::workbook::Evidence,
                }
                let items: Vec<_> = items
                    .iter()
                    .map(|(requirement, evidence)| Item {
                        requirement,
                        evidence,
                    })
                    .collect();
                print_json(&items)?;
            } else if items.is_empty() {
                println!("no evidence in assessment {} ({})", a.id, a.label);
            } else {
                for (req, e) in &items {
                    let what = match e.kind {
                        EvidenceKind::File => format!(
                            "{} ({} bytes, sha256 {})",
                            e.file_name.as_deref().unwrap_or_default(),
                            e.size.unwrap_or(0),
                            e.blob_hash.as_deref().unwrap_or_default()
                        ),
                        EvidenceKind::Link => e.url.clone().unwrap_or_default(),
                        EvidenceKind::Note => "note".to_owned(),
                    };
                    println!("{:>6}  {req:<28} {}: {what}", e.id, e.title);
                }
            }
        }
        Command::Evidence(EvidenceCommand::Remove { id, who }) => {
            let mut wb = open(ctx, Some(&who))?;
            wb.remove_evidence(id)?;
            if ctx.json {
                print_json(&json!({ "removed": id }))?;
            } else {
                println!("removed evidence {id} (undo with `canary evidence restore {id}`)");
            }
        }
        Command::Evidence(EvidenceCommand::Restore { id, who }) => {
            let mut wb = open(ctx, Some(&who))?;
            let e = wb.restore_evidence(id)?;
            if ctx.json {
                print_json(&e)?;
            } else {
                println!("restored evidence {id} as {}: {}", e.id, e.title);
            }
        }
        Command::Review {
            target,
            requirement,
            verdict,
            comment,
            who,
        } => {
            let mut wb = open(ctx, Some(&who))?;
            let (_, a) = assessment_of(&wb, &target)?;
            let r = wb.review(a.id, &requirement, verdict, &comment)?;
            if ctx.json {
                print_json(&r)?;
            } else {
                println!("{requirement}: {} by {}", r.verdict, r.reviewer);
            }
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
            let mut wb = open(ctx, Some(&who))?;
            let (p, a) = assessment_of(&wb, &target)?;
            let a = wb.sign(
                a.id,
                &SignInput {
                    signatory,
                    function,
                    place,
                    date,
                },
            )?;
            if ctx.json {
                print_json(&a)?;
            } else if let Some(s) = &a.signoff {
                println!(
                    "signed assessment {} of {} by {} ({}), {}, {}; it is now locked",
                    a.id, p.info.name, s.signatory, s.function, s.place, s.date
                );
            }
        }
        Command::Clone { target, label, who } => {
            let mut wb = open(ctx, Some(&who))?;
            let (p, a) = assessment_of(&wb, &target)?;
            let new = wb.clone_assessment(a.id, &label)?;
            if ctx.json {
                print_json(&new)?;
            } else {
                println!(
                    "assessment {} '{}' of {} is a new draft copied from assessment {}",
                    new.id, new.label, p.info.name, a.id
                );
            }
        }
        Command::Log { last } => {
            let wb = open(ctx, None)?;
            let events = wb.log(last)?;
            if ctx.json {
                print_json(&events)?;
            } else {
                for e in &events {
                    println!(
                        "{:>6}  {}  {:<16} {} {} {}",
                        e.seq, e.at, e.actor, e.action, e.entity, e.entity_id
                    );
                }
                println!("trail head {}", wb.trail_head()?);
            }
        }
        Command::Verify => {
            let report = open(ctx, None)?.verify()?;
            if ctx.json {
                print_json(&report)?;
            } else {
                for f in &report.findings {
                    println!("{}: {}: {}", f.check, f.subject, f.message);
                }
                println!(
                    "{} events, {} stored files, trail head {}",
                    report.events, report.blobs, report.trail_head
                );
            }
            if !report.is_ok() {
                eprintln!(
                    "error: verification found {} problem(s)",
                    report.findings.len()
                );
                return Ok(ExitCode::FAILURE);
            }
            if !ctx.json {
                println!("workbook verified: no problems found");
            }
        }
        Command::Profile(ProfileCommand::Set {
            name,
            organisation,
            role,
        }) => {
            let mut wb = open(ctx, None)?;
            let p = wb.set_profile(&Profile {
                name,
                organisation,
                role,
            })?;
            if ctx.json {
                print_json(&p)?;
            } else {
                println!("profile set: {} ({}, {})", p.name, p.organisation, p.role);
            }
        }
        Command::Profile(ProfileCommand::Show) => {
            let p = open(ctx, None)?.profile()?;
            if ctx.json {
                print_json(&p)?;
            } else {
                match p {
                    Some(p) => println!("{} ({}, {})", p.name, p.organisation, p.role),
                    None => println!("no profile set (use `canary profile set --name …`)"),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn transition(ctx: &Ctx, target: &Target, who: &Who, t: Transition) -> anyhow::Result<()> {
    let mut wb = open(ctx, Some(who))?;
    let (p, a) = assessment_of(&wb, target)?;
    let a = wb.transition(a.id, t)?;
    if ctx.json {
        print_json(&a)?;
    } else {
        println!("assessment {} of {} is now {}", a.id, p.info.name, a.state);
    }
    Ok(())
}

fn state_text(r: &DashboardRow) -> String {
    match (&r.assessment_label, r.state) {
        (Some(label), Some(state)) => {
            format!("{label}: {state}{}", if r.signed { ", signed" } else { "" })
        }
        _ => "no assessment".into(),
    }
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

fn status(ctx: &Ctx, product: Option<&str>) -> anyhow::Result<()> {
    let cat: Catalogue = ctx.catalogue()?;
    let wb = open(ctx, None)?;
    let mut rows = wb.dashboard(&cat)?;
    if let Some(q) = product {
        let p = wb.find_product(q)?;
        rows.retain(|r| r.id == p.id);
    }
    if ctx.json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("no products yet (add one with `canary product add`)");
    }
    for r in &rows {
        println!("{} (id {}) — {}", r.name, r.id, state_text(r));
        for c in &r.counts {
            println!("  {}", counts_text(c));
        }
        let canaries: Vec<String> = r
            .canaries
            .iter()
            .map(|c| {
                let short = c.requirement.rsplit(':').next().unwrap_or(&c.requirement);
                format!("{short} {}", c.state)
            })
            .collect();
        if !canaries.is_empty() {
            println!("  canaries: {}", canaries.join(", "));
        }
    }
    Ok(())
}
