//! `canary request create|import`: a retailer's signed attestation request, and a
//! manufacturer starting the assessments it asks for. The rules live in
//! `canary::request`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Subcommand;

use canary::document::{self, SignatureState};
use canary::identity::TrustVerdict;
use canary::request::{self, AttestationRequest, RequestedProduct, Started};

use super::args::Who;
use super::{key, output, Ctx};

#[derive(Subcommand)]
pub enum Command {
    /// Write a request for attestations, signed with your key (FILE.json.minisig).
    Create {
        /// A product's model (repeatable).
        #[arg(long = "product", value_name = "MODEL", required = true)]
        products: Vec<String>,
        /// The manufacturer of those products.
        #[arg(long)]
        manufacturer: Option<String>,
        /// A framework id from the catalogue (repeatable).
        #[arg(long = "framework", value_name = "ID", required = true)]
        frameworks: Vec<String>,
        /// When the attestations are due, YYYY-MM-DD.
        #[arg(long)]
        due: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
        /// Do not write the detached signature FILE.json.minisig.
        #[arg(long)]
        no_sign: bool,
    },
    /// Check a request and start the assessments it asks for in this workbook.
    Import {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// Its detached signature (default: FILE.json.minisig beside it).
        #[arg(long, value_name = "FILE.minisig")]
        sig: Option<PathBuf>,
        /// Import an unsigned request, or one signed by a key you do not trust.
        #[arg(long)]
        accept_untrusted: bool,
        #[command(flatten)]
        who: Who,
    },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    let home = ctx.home()?;
    let catalogue = ctx.catalogue()?;
    match cmd {
        Command::Create {
            products,
            manufacturer,
            frameworks,
            due,
            note,
            out,
            no_sign,
        } => {
            let person = home.person()?.ok_or_else(|| {
                anyhow!(
                    "a request says who asks: set who you are with `canary profile set --name …`"
                )
            })?;
            let products = products
                .into_iter()
                .map(|model| RequestedProduct {
                    model,
                    manufacturer: manufacturer.clone(),
                })
                .collect();
            let req =
                AttestationRequest::new(&catalogue, &person, frameworks, products, &due, note)?;
            let signer = if no_sign {
                None
            } else {
                key::signing_key(&home)?
            };
            let text = req.to_json();
            let signature = signer
                .as_ref()
                .map(|s| req.sign(&text, &s.key, &s.person))
                .transpose()?;
            canary::fsx::write_atomically(&out, text.as_bytes())?;
            let sig_path = document::signature_path(&out);
            if let Some(sig) = &signature {
                canary::fsx::write_atomically(&sig_path, sig.as_bytes())?;
            } else if !no_sign {
                output::error(
                    "warning: ",
                    "the request is not signed: you have no signing key \
                     (create one with `canary key create`, or pass --no-sign)",
                );
            }
            let signed = signature.is_some().then_some(&sig_path);
            ctx.emit(
                &serde_json::json!({ "out": out, "signature": signed, "request": req }),
                |_| {
                    let mut lines = vec![format!(
                        "wrote the request for {} product(s), due {}, to {}",
                        req.products.len(),
                        req.due,
                        out.display()
                    )];
                    if let Some(p) = signed {
                        lines.push(format!("signed: {}", p.display()));
                    }
                    lines
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            sig,
            accept_untrusted,
            who,
        } => {
            let files = document::read_files(&file, sig.as_deref())?;
            let checked = request::read(
                &files.pdf,
                files.signature.as_deref(),
                &catalogue,
                &home.trust_store()?,
                home.public_key()?.as_ref(),
            )?;
            checked.admit(accept_untrusted)?;
            warn_about(&checked.signature);
            let mut wb = ctx.open_to_act(&who)?;
            let started = request::start(&mut wb, &catalogue, &checked.request)?;
            let req = &checked.request;
            ctx.emit(
                &serde_json::json!({ "request": req, "signature": checked.signature, "started": started }),
                |_| {
                    let mut lines = vec![format!(
                        "request from {}{}, due {}, for {}",
                        req.from.name,
                        if req.from.organisation.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", req.from.organisation)
                        },
                        req.due,
                        req.frameworks.join(", ")
                    )];
                    lines.extend(started.iter().map(describe));
                    lines
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn describe(s: &Started) -> String {
    let added = |a: &[String]| {
        if a.is_empty() {
            String::new()
        } else {
            format!(", adding {}", a.join(", "))
        }
    };
    match s {
        Started::Cloned {
            model,
            assessment,
            added: a,
        } => format!(
            "{model}: started assessment {} '{}'{}",
            assessment.id,
            assessment.label,
            added(a)
        ),
        Started::Extended {
            model,
            assessment,
            added: a,
        } => format!(
            "{model}: draft assessment {} '{}'{}",
            assessment.id,
            assessment.label,
            added(a)
        ),
        Started::Covered { model, assessment } => {
            format!("{model}: draft assessment {assessment} already covers every framework asked")
        }
        Started::InProgress {
            model,
            assessment,
            state,
        } => format!(
            "{model}: assessment {assessment} is {state}: left alone; import again once it is approved"
        ),
        Started::NotHeld { model } => format!("{model}: no product with this model here"),
    }
}

fn warn_about(signature: &SignatureState) {
    match signature {
        SignatureState::Missing => output::error(
            "warning: ",
            "the request is not signed: nothing shows who sent it",
        ),
        SignatureState::Valid {
            key_id,
            trust: TrustVerdict::Untrusted,
            ..
        } => output::error(
            "warning: ",
            &format!("the request is signed by key {key_id}, which is not one you trust"),
        ),
        _ => {}
    }
}
