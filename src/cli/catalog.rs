//! `canary catalog …`: check, list, show, export and schema.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};

use canary::catalogue::{
    requirement_id, Catalogue, CatalogueError, CatalogueExport, Framework, Requirement,
};
use canary::exchange::oscal;

use super::{output, Ctx};

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The catalogue model as JSON.
    Json,
    /// One framework as an OSCAL catalog.
    OscalCatalog,
    /// Mapping sets as an OSCAL mapping-collection.
    OscalMapping,
}

#[derive(Subcommand)]
pub enum Command {
    /// Load and validate the catalogue; list every problem with file and line.
    Check,
    /// Frameworks with their requirement counts.
    List,
    /// One framework, requirement or group with its text and mappings both ways.
    Show {
        /// A framework id (`uk-cop-2018`) or a requirement id (`uk-cop-2018:1`).
        id: String,
    },
    /// The whole catalogue as JSON on stdout (the stable machine interface), or
    /// a framework or mapping sets as OSCAL 1.2.1 JSON.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// The framework to export (`--format oscal-catalog`).
        #[arg(long, required_if_eq("format", "oscal-catalog"))]
        framework: Option<String>,
        /// One mapping set (`--format oscal-mapping`; default: every set).
        #[arg(long)]
        set: Option<String>,
    },
    /// Write the JSON Schemas of the catalogue files into DIR.
    Schema {
        #[arg(long, default_value = "guidelines/schema")]
        out: PathBuf,
    },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Check => return check(ctx),
        Command::List => list(ctx, &ctx.catalogue()?)?,
        Command::Show { id } => show(ctx, &ctx.catalogue()?, &id)?,
        Command::Export {
            format,
            framework,
            set,
        } => {
            let cat = ctx.catalogue()?;
            match format {
                ExportFormat::Json => output::json(&CatalogueExport::of(&cat))?,
                ExportFormat::OscalCatalog => {
                    let id = framework.unwrap_or_default();
                    let doc = oscal::catalog(&cat, &id)
                        .ok_or_else(|| anyhow!("`{id}` is not a framework in the catalogue"))?;
                    output::json(&doc)?
                }
                ExportFormat::OscalMapping => {
                    let doc = oscal::mapping_collection(&cat, set.as_deref()).ok_or_else(|| {
                        anyhow!(
                            "`{}` is not a mapping set in the catalogue",
                            set.unwrap_or_default()
                        )
                    })?;
                    output::json(&doc)?
                }
            }
        }
        Command::Schema { out } => {
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for (name, schema) in canary::catalogue::json_schemas() {
                let path = out.join(name);
                std::fs::write(&path, serde_json::to_string_pretty(&schema)? + "\n")
                    .with_context(|| format!("writing {}", path.display()))?;
                output::lines([format!("wrote {}", path.display())]);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match Catalogue::load(ctx.catalogue_dir.as_deref()) {
        Ok(cat) => {
            let reqs: usize = cat.frameworks().iter().map(|f| f.requirements.len()).sum();
            let rows = cat.mappings().count();
            let docs: usize = cat.reference_sets().iter().map(|s| s.documents.len()).sum();
            let value = json!({"ok": true, "frameworks": cat.frameworks().len(), "requirements": reqs,
                               "mapping_sets": cat.mapping_sets().len(), "mappings": rows,
                               "documents": docs, "digest": cat.digest()});
            ctx.emit(&value, |_| {
                vec![format!(
                    "catalogue ok: {} frameworks, {reqs} requirements, {} mapping sets ({rows} rows), {docs} documents",
                    cat.frameworks().len(),
                    cat.mapping_sets().len()
                )]
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Err(CatalogueError(problems)) => {
            ctx.emit(&json!({"ok": false, "problems": problems}), |_| {
                problems.iter().map(ToString::to_string).collect()
            })?;
            if !ctx.json {
                let n = problems.len();
                output::error("", &format!("catalogue check failed: {n} problem(s)"));
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

fn list(ctx: &Ctx, cat: &Catalogue) -> anyhow::Result<()> {
    let rows: Vec<Value> = cat
        .frameworks()
        .iter()
        .map(|f| {
            json!({"id": f.id, "title": f.title, "version": f.version,
                   "requirements": f.requirements.len(), "verification": f.verification})
        })
        .collect();
    let width = cat
        .frameworks()
        .iter()
        .map(|f| f.id.len())
        .max()
        .unwrap_or(0);
    ctx.emit(&rows, |_| {
        cat.frameworks()
            .iter()
            .map(|f| {
                format!(
                    "{:width$}  {:>4} requirements  {} ({})",
                    f.id,
                    f.requirements.len(),
                    f.title,
                    f.version
                )
            })
            .collect()
    })
}

fn show(ctx: &Ctx, cat: &Catalogue, id: &str) -> anyhow::Result<()> {
    if let Some(fw) = cat.framework(id) {
        return ctx.emit(fw, |_| framework_lines(fw));
    }
    let mappings = cat.mappings_of(id);
    let (heading, mut body) = if let Some((fw, r)) = cat.requirement(id) {
        (format!("{id} — {}", r.title), requirement_json(fw, r)?)
    } else if let Some((_, g)) = cat.group(id) {
        (
            format!("{id} — {} (group)", g.title),
            json!({"id": id, "title": g.title}),
        )
    } else if let Some(d) = cat.document(id) {
        (
            format!("{id} — {} ({})", d.title, d.organisation),
            serde_json::to_value(d)?,
        )
    } else {
        bail!("`{id}` is not a framework, requirement, group or document in the catalogue");
    };
    body["mappings"] = serde_json::to_value(&mappings)?;
    ctx.emit(&body, |body| {
        let mut lines = vec![heading];
        for key in ["text", "supporting_text"] {
            if let Some(t) = body.get(key).and_then(Value::as_str) {
                lines.push(String::new());
                lines.extend(t.split('\n').map(str::to_owned));
            }
        }
        if let Some(o) = body.get("obligation").filter(|o| !o.is_null()) {
            lines.push(String::new());
            lines.push(format!("obligation: {o}"));
        }
        if let Some(a) = body.get("applies_to").and_then(Value::as_array) {
            if !a.is_empty() {
                let names: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                lines.push(format!("applies to: {}", names.join(", ")));
            }
        }
        lines.push(String::new());
        if mappings.is_empty() {
            lines.push("no mappings".to_owned());
            return lines;
        }
        lines.push(format!("mappings ({}):", mappings.len()));
        lines.extend(mappings.iter().map(|m| {
            let arrow = if m.outgoing { "→" } else { "←" };
            let locator = m
                .locator
                .as_deref()
                .map(|l| format!(" [{l}]"))
                .unwrap_or_default();
            format!(
                "  {arrow} {}{locator}  {}  ({})",
                m.other,
                m.relationship.as_str(),
                m.source
            )
        }));
        lines
    })
}

fn framework_lines(fw: &Framework) -> Vec<String> {
    let mut lines = vec![
        format!("{} — {}", fw.id, fw.title),
        format!("publisher: {}", fw.publisher),
        format!("version: {} ({})", fw.version, fw.date),
        format!("source: {}", fw.source_url),
        format!("licence: {}", fw.licence),
        format!("verification: {:?}", fw.verification),
        String::new(),
    ];
    lines.extend(
        fw.requirements
            .iter()
            .map(|r| format!("  {:12} {}", r.reference, r.title)),
    );
    lines
}

/// The model's own serialisation plus the stable id, so `show` drops no field either.
fn requirement_json(fw: &Framework, r: &Requirement) -> anyhow::Result<Value> {
    let mut v = serde_json::to_value(r)?;
    v["id"] = json!(requirement_id(fw, r));
    Ok(v)
}
