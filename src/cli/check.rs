//! `canary check FILE.pdf`: what a received document claims, whether its detached
//! signature holds, and whether its key is one you trust. Exit status 0 only for a
//! valid signature on a readable document whose key no pin contradicts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args as ClapArgs;

use canary::document::{self, Check, SignatureState, SignoffState};
use canary::identity::TrustVerdict;

use super::{output, Ctx};

#[derive(ClapArgs)]
pub struct Args {
    /// The PDF to check.
    file: PathBuf,
    /// Its detached signature (default: FILE.minisig beside it).
    #[arg(long, value_name = "FILE.minisig")]
    sig: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let files = document::read_files(&a.file, a.sig.as_deref())?;
    let home = ctx.home()?;
    let check = document::check(
        &files.pdf,
        files.signature.as_deref(),
        &ctx.catalogue()?,
        &home.trust_store()?,
        home.public_key()?.as_ref(),
    );
    ctx.emit(&check, describe)?;
    complain(&check, &files.signature_path);
    Ok(if check.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn describe(c: &Check) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = &c.document {
        lines.push(format!("document: {}", d.kind));
        if let Some(p) = &d.product {
            lines.push(format!(
                "product: {p} (model {})",
                d.model.as_deref().unwrap_or("-")
            ));
            lines.push(format!("manufacturer: {}", d.manufacturer));
            lines.push(format!(
                "support period end: {}",
                d.support_period_end.as_deref().unwrap_or("-")
            ));
        }
        lines.push(format!("report date: {}", d.report_date));
        if let Some(who) = &d.signatory {
            lines.push(format!(
                "signed off by: {who}, {}",
                d.signatory_function.as_deref().unwrap_or("-")
            ));
        }
        if let Some(h) = &d.trail_head {
            lines.push(format!("trail head: {h}"));
        }
        for canary in &d.canaries {
            lines.push(format!("canary {}: {}", canary.requirement, canary.verdict));
        }
        for fw in &d.frameworks {
            let counts: Vec<String> = fw.counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
            lines.push(format!("framework {}: {}", fw.framework, counts.join(", ")));
        }
        for s in &d.signers {
            lines.push(format!(
                "acts signed by: {} ({}, {}), key {} {}",
                s.name, s.organisation, s.role, s.key_id, s.key
            ));
        }
    }
    lines.push(match &c.signature {
        SignatureState::Missing => "signature: none".into(),
        SignatureState::Invalid { reason } => format!("signature: INVALID: {reason}"),
        SignatureState::Valid {
            key_id,
            signer,
            organisation,
            trust,
            ..
        } => {
            let who = match (signer, organisation) {
                (Some(s), Some(o)) => format!(" ({s}, {o})"),
                (Some(s), None) => format!(" ({s})"),
                _ => String::new(),
            };
            format!("signature: valid, key {key_id}{who}; {}", trust_text(trust))
        }
    });
    lines.push(match &c.signoff {
        SignoffState::None => "sign-off signature: none".into(),
        SignoffState::Invalid { reason } => format!("sign-off signature: INVALID: {reason}"),
        SignoffState::Valid {
            signer,
            organisation,
            role,
            key_id,
            trail_head,
            trust,
            ..
        } => format!(
            "sign-off signature: valid, by {signer} ({organisation}, {role}), key {key_id}, at trail head {trail_head}; {}",
            trust_text(trust)
        ),
    });
    lines
}

fn trust_text(trust: &TrustVerdict) -> String {
    match trust {
        TrustVerdict::Own => "your own key".to_owned(),
        TrustVerdict::Trusted { name, .. } => format!("trusted as {name}"),
        TrustVerdict::Untrusted => "NOT a key you trust".to_owned(),
        TrustVerdict::OtherKeyPinned { organisation, .. } => {
            format!("NOT the key you pinned for {organisation}")
        }
    }
}

/// The one message on stderr that says why the check did not pass, or warns.
fn complain(c: &Check, sig_path: &Path) {
    if let Some(p) = &c.problem {
        output::error("error: ", p);
    }
    if let SignoffState::Invalid { reason } = &c.signoff {
        output::error("error: ", &format!("bad sign-off signature: {reason}"));
    }
    match &c.signature {
        SignatureState::Missing => output::error(
            "error: ",
            &format!("the document is not signed (no {})", sig_path.display()),
        ),
        SignatureState::Invalid { reason } => output::error("error: ", &format!("bad signature: {reason}")),
        SignatureState::Valid { key_id, trust, .. } => match trust {
            TrustVerdict::Untrusted => output::error(
                "warning: ",
                &format!(
                    "the signature is valid but key {key_id} is not one you trust: it proves the file \
                     is unchanged since that key signed it, not who holds the key \
                     (trust it with `canary trust add`)"
                ),
            ),
            TrustVerdict::OtherKeyPinned {
                organisation,
                pinned,
            } => {
                let ids: Vec<&str> = pinned.iter().map(|k| k.key_id.as_str()).collect();
                output::error(
                    "error: ",
                    &format!(
                        "SIGNED BY A DIFFERENT KEY: you pinned {} for {organisation}, but this document \
                         was signed by key {key_id}. Do not rely on it before you asked {organisation} why.",
                        ids.join(", ")
                    ),
                );
            }
            TrustVerdict::Own | TrustVerdict::Trusted { .. } => {}
        },
    }
}
