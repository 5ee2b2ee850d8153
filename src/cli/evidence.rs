//! `canary evidence add|list|remove|restore`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::json;

use canary::workbook::{Evidence, EvidenceInput, EvidenceKind, EvidenceSource};

use super::args::{Target, Who};
use super::Ctx;

#[derive(Subcommand)]
pub enum Command {
    /// Attach a file (stored inside the workbook), a link or a note.
    Add {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        requirement: String,
        /// Title; by default the file's name, the link or the note's first line.
        #[arg(long, default_value = "")]
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

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Add {
            target,
            requirement,
            title,
            file,
            url,
            note,
            date,
            expires,
            who,
        } => {
            let source = match (file, url, note) {
                (Some(f), None, None) => EvidenceSource::File(f),
                (None, Some(u), None) => EvidenceSource::Link(u),
                (None, None, Some(n)) => EvidenceSource::Note(n),
                _ => bail!("give exactly one of --file, --url or --note"),
            };
            let input = EvidenceInput {
                title,
                source,
                date,
                expires,
            };
            add(ctx, &target, &requirement, &input, &who)?;
        }
        Command::List {
            target,
            requirement,
        } => list(ctx, &target, requirement.as_deref())?,
        Command::Remove { id, who } => {
            ctx.open_as(&who)?.remove_evidence(id)?;
            ctx.emit(&json!({ "removed": id }), |_| {
                vec![format!(
                    "removed evidence {id} (undo with `canary evidence restore {id}`)"
                )]
            })?;
        }
        Command::Restore { id, who } => {
            let e = ctx.open_as(&who)?.restore_evidence(id)?;
            ctx.emit(&e, |e| {
                vec![format!("restored evidence {id} as {}: {}", e.id, e.title)]
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn add(
    ctx: &Ctx,
    target: &Target,
    requirement: &str,
    input: &EvidenceInput,
    who: &Who,
) -> anyhow::Result<()> {
    let cat = ctx.catalogue()?;
    let mut wb = ctx.open_as(who)?;
    let (_, a) = target.resolve(&wb)?;
    let e = wb.add_evidence(&cat, a.id, requirement, input)?;
    ctx.emit(&e, |e| {
        vec![match (&e.file_name, &e.blob_hash) {
            (Some(name), Some(hash)) => format!(
                "added evidence {} to {requirement}: {name} ({} bytes, sha256 {hash})",
                e.id,
                e.size.unwrap_or(0)
            ),
            _ => format!("added evidence {} ({}) to {requirement}", e.id, e.kind),
        }]
    })
}

/// One listed item: the evidence with the requirement it supports.
#[derive(serde::Serialize)]
struct Item {
    requirement: String,
    #[serde(flatten)]
    evidence: Evidence,
}

fn list(ctx: &Ctx, target: &Target, requirement: Option<&str>) -> anyhow::Result<()> {
    let wb = ctx.open_read_only()?;
    let (_, a) = target.resolve(&wb)?;
    let items: Vec<Item> = match requirement.map(str::trim) {
        Some(r) => wb
            .evidence_of(&ctx.catalogue()?, a.id, r)?
            .into_iter()
            .map(|evidence| Item {
                requirement: r.to_owned(),
                evidence,
            })
            .collect(),
        None => {
            let mut items = Vec::new();
            for r in wb.responses(a.id)? {
                for evidence in wb.evidence(r.id)? {
                    items.push(Item {
                        requirement: r.requirement.clone(),
                        evidence,
                    });
                }
            }
            items
        }
    };
    ctx.emit(&items, |items| {
        if items.is_empty() {
            return vec![format!("no evidence in assessment {} ({})", a.id, a.label)];
        }
        items.iter().map(item_line).collect()
    })
}

fn item_line(item: &Item) -> String {
    let e = &item.evidence;
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
    format!("{:>6}  {:<28} {}: {what}", e.id, item.requirement, e.title)
}
