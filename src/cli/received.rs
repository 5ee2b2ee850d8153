//! `canary received add|list|show|remove`: the register of documents received from
//! others. Receipt is decided in the core (`canary::received`), by the same check
//! as `canary check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use canary::received::{Receipt, ReceivedDetail, Receiver, RegisterRow, SupportFlag};
use canary::workbook::{KeyTrust, SignatureStatus};

use super::args::Who;
use super::{output, Ctx};

#[derive(Subcommand)]
pub enum Command {
    /// Check PDFs (each with FILE.pdf.minisig beside it, if signed) and keep them
    /// in the workbook; an altered one is refused, an unsigned one kept as such.
    Add {
        #[arg(required = true, value_name = "FILE.pdf")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        who: Who,
    },
    /// The received documents, one line each.
    List,
    /// One received document in full, its stored copy checked again.
    Show { id: i64 },
    /// Take a document off the register; the trail records it as it was.
    Remove {
        id: i64,
        #[command(flatten)]
        who: Who,
    },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let home = ctx.home()?;
    let catalogue = ctx.catalogue()?;
    let trusted = home.trust_store()?;
    let own = home.public_key()?;
    let receiver = Receiver {
        catalogue: &catalogue,
        trusted: &trusted,
        own: own.as_ref(),
    };
    match cmd {
        Command::Add { files, who } => {
            let mut wb = ctx.open_as(&who)?;
            wb.actor()?;
            let receipts: Vec<Receipt> = files
                .iter()
                .map(|f| receiver.receive_file(&mut wb, f, None))
                .collect();
            ctx.emit(&receipts, |rs| {
                rs.iter().filter_map(describe_receipt).collect()
            })?;
            for r in &receipts {
                match r {
                    Receipt::Refused { file, reason } => {
                        output::error("error: ", &format!("refused {file}: {reason}"))
                    }
                    Receipt::Added {
                        file,
                        warning: Some(w),
                        ..
                    } => output::error("warning: ", &format!("{file}: {w}")),
                    _ => {}
                }
            }
            Ok(if receipts.iter().any(Receipt::refused) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::List => {
            let wb = ctx.open_read_only()?;
            let rows = receiver.register(&wb)?;
            ctx.emit(&rows, |rows| {
                if rows.is_empty() {
                    return vec![
                        "no received documents (add some with `canary received add FILE.pdf`)"
                            .into(),
                    ];
                }
                rows.iter().map(line).collect()
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id } => {
            let wb = ctx.open_read_only()?;
            let detail = receiver.detail(&wb, id)?;
            ctx.emit(&detail, describe)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Remove { id, who } => {
            let doc = ctx.open_as(&who)?.remove_received(id)?;
            ctx.emit(&doc, |d| {
                vec![format!(
                    "removed received document #{}: {} ({} {})",
                    d.id,
                    d.file_name,
                    d.kind,
                    d.product.as_deref().unwrap_or("(no product)")
                )]
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn describe_receipt(r: &Receipt) -> Option<String> {
    match r {
        Receipt::Added { row, .. } => Some(format!("received {}", line(row))),
        Receipt::AlreadyHeld { file, row } => Some(format!(
            "{file}: already received as #{} on {}; not added again",
            row.id,
            day(&row.received_at)
        )),
        Receipt::Refused { .. } => None,
    }
}

fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

fn product(row: &RegisterRow) -> String {
    match (&row.product, &row.model) {
        (Some(p), Some(m)) => format!("{p} (model {m})"),
        (Some(p), None) => p.clone(),
        _ => "(no product)".into(),
    }
}

fn support(row: &RegisterRow) -> String {
    let end = row.support_period_end.as_deref().unwrap_or("-");
    match row.support {
        SupportFlag::Past => format!("support ENDED {end}"),
        SupportFlag::Soon => format!("support ENDS WITHIN 12 MONTHS ({end})"),
        SupportFlag::Later => format!("support until {end}"),
        SupportFlag::Unknown => "support period end unknown".into(),
    }
}

fn canaries(row: &RegisterRow) -> String {
    if row.canaries.is_empty() {
        return "canaries -".into();
    }
    let shown: Vec<String> = row
        .canaries
        .iter()
        .map(|c| {
            let short = c.requirement.rsplit(':').next().unwrap_or(&c.requirement);
            format!("{short} {}", c.verdict)
        })
        .collect();
    format!("canaries {}", shown.join(", "))
}

fn trust(row: &RegisterRow) -> String {
    match (row.trust, &row.trusted_as) {
        (KeyTrust::Trusted, Some(name)) => format!("trusted as {name}"),
        (KeyTrust::Own, _) => "your own key".into(),
        (KeyTrust::Trusted, None) => "trusted".into(),
        (KeyTrust::Untrusted, _) => "NOT trusted".into(),
        (KeyTrust::OtherKeyPinned, _) => "NOT the key pinned for its organisation".into(),
        (KeyTrust::None, _) => "no key".into(),
    }
}

fn signature(row: &RegisterRow) -> String {
    match (row.signature, &row.key_id) {
        (SignatureStatus::Unsigned, _) => "UNSIGNED".into(),
        (status, Some(key)) => format!(
            "signature {status} by {} (key {key}), {}",
            row.signer.as_deref().unwrap_or("?"),
            trust(row)
        ),
        (status, None) => format!("signature {status}"),
    }
}

/// One register line.
fn line(row: &RegisterRow) -> String {
    format!(
        "#{}  {}  {}  {}  {}  {}  {}  received {}",
        row.id,
        if row.manufacturer.is_empty() {
            "-"
        } else {
            &row.manufacturer
        },
        product(row),
        row.kind,
        canaries(row),
        support(row),
        signature(row),
        day(&row.received_at)
    )
}

fn describe(d: &ReceivedDetail) -> Vec<String> {
    let doc = &d.document;
    let row = &d.row;
    let mut lines = vec![
        format!("received document #{}: {}", doc.id, doc.file_name),
        format!("document: {}", doc.kind),
        format!("manufacturer: {}", doc.manufacturer),
        format!("product: {}", product(row)),
        support(row),
        format!("report date: {}", doc.report_date),
    ];
    if let Some(h) = &doc.trail_head {
        lines.push(format!("trail head: {h}"));
    }
    for c in &doc.canaries {
        lines.push(format!("canary {}: {}", c.requirement, c.verdict));
    }
    for fw in &doc.frameworks {
        let counts: Vec<String> = fw.counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
        lines.push(format!("framework {}: {}", fw.framework, counts.join(", ")));
    }
    if let Some(who) = &doc.signatory {
        lines.push(format!(
            "signed off by: {who}, {}",
            doc.signatory_function.as_deref().unwrap_or("-")
        ));
    }
    lines.push(format!(
        "received {} by {} (PDF SHA-256 {})",
        doc.received_at, doc.received_by, doc.pdf_hash
    ));
    match (&doc.key_id, &doc.public_key) {
        (Some(id), Some(key)) => {
            let who = match (&doc.signer, &doc.signer_organisation) {
                (Some(s), Some(o)) => format!(" by {s}, {o}"),
                (Some(s), None) => format!(" by {s}"),
                _ => String::new(),
            };
            lines.push(format!("signed{who} with key {id} ({key})"));
            lines.push(format!(
                "on receipt: signature valid, key {}",
                doc.trust_at_receipt
            ));
        }
        _ => lines.push("on receipt: not signed".into()),
    }
    lines.push(format!(
        "now: stored copy {}, {}",
        match d.signature_now {
            SignatureStatus::Valid => "matches its signature",
            SignatureStatus::Invalid => "DOES NOT MATCH its signature",
            SignatureStatus::Unsigned => "unsigned",
        },
        trust(row)
    ));
    if let Some(p) = &d.problem_now {
        lines.push(format!("problem: {p}"));
    }
    lines
}
