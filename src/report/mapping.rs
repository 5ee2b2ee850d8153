//! The standards mapping report: the catalogue's mappings as a matrix anchored on the
//! CoP guidelines, every mapping set with its sources, the DCMS list of documents,
//! and, for a product, coverage projected through the mappings.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::coverage;
use super::data::{ProductRecord, Status};
use super::engine::{self, Job, Rendered, Stage};
use super::{clock, ReportError};
use crate::catalogue::{requirement_id, Catalogue, Relationship};

const TEMPLATE: &str = include_str!("templates/mapping.typ");
const COP: &str = "uk-cop-2018";
/// Columns of the matrix, in this order, when the catalogue has them.
const MATRIX: [&str; 4] = [
    "etsi-en-303-645-v2.1.1",
    "uk-psti-2023",
    "nistir-8259a",
    "eu-cra-2024",
];
/// The DCMS living list: summarised per document rather than printed row by row.
const DCMS_SET: &str = "dcms-living-list";
const DCMS_DOCS: &str = "dcms-documents";

/// Renders the mapping report for the catalogue alone, or with `record`'s coverage.
pub fn mapping_report(
    catalogue: &Catalogue,
    record: Option<&ProductRecord>,
    generated_at: i64,
    progress: &dyn Fn(Stage),
) -> Result<Rendered, ReportError> {
    let data = mapping_data(catalogue, record, generated_at);
    let manifest = match record {
        Some(r) => r.manifest("mapping", catalogue, generated_at),
        None => json!({
            "canary_manifest": 1,
            "report": "mapping",
            "generated_at": clock::datetime(generated_at),
            "catalogue_digest": catalogue.digest(),
            "frameworks": catalogue.frameworks().iter().map(|f| &f.id).collect::<Vec<_>>(),
            "mapping_sets": catalogue.mapping_sets().iter().map(|s| json!({ "id": s.id, "rows": s.mappings.len() })).collect::<Vec<_>>(),
        }),
    };
    engine::render(
        Job {
            report: "mapping",
            template: TEMPLATE,
            data,
            manifest,
            generated_at,
        },
        progress,
    )
}

pub(crate) fn mapping_data(
    catalogue: &Catalogue,
    record: Option<&ProductRecord>,
    generated_at: i64,
) -> Value {
    // A framework with no published mapping to the CoP gets no (empty) column: the
    // report names it instead.
    let cop_links: Vec<String> = catalogue
        .framework(COP)
        .map(|cop| {
            cop.requirements
                .iter()
                .flat_map(|g| catalogue.mappings_of(&requirement_id(cop, g)))
                .map(|m| m.other)
                .collect()
        })
        .unwrap_or_default();
    let (columns, unmapped): (Vec<_>, Vec<_>) = MATRIX
        .iter()
        .filter_map(|id| catalogue.framework(id))
        .partition(|fw| {
            let prefix = format!("{}:", fw.id);
            cop_links.iter().any(|o| o.starts_with(&prefix))
        });
    let matrix: Vec<Value> = catalogue
        .framework(COP)
        .map(|cop| {
            cop.requirements
                .iter()
                .map(|g| {
                    let links = catalogue.mappings_of(&requirement_id(cop, g));
                    let cells: Vec<Value> = columns
                        .iter()
                        .map(|fw| {
                            let prefix = format!("{}:", fw.id);
                            links
                                .iter()
                                .filter_map(|m| {
                                    let reference = m.other.strip_prefix(&prefix)?;
                                    Some(json!({ "ref": reference, "rel": rel_code(m.relationship) }))
                                })
                                .collect::<Vec<_>>()
                                .into()
                        })
                        .collect();
                    json!({ "ref": g.reference, "title": g.title, "cells": cells })
                })
                .collect()
        })
        .unwrap_or_default();

    let sets: Vec<Value> = catalogue
        .mapping_sets()
        .iter()
        .filter(|s| s.id != DCMS_SET)
        .map(|s| {
            json!({
                "id": s.id,
                "title": s.title,
                "source": s.source,
                "source_url": s.source_url,
                "verification": s.verification,
                "note": s.note,
                "rows": s.mappings.iter().map(|m| json!({
                    "from": display(catalogue, &m.from, None),
                    "to": display(catalogue, &m.to, m.locator.as_deref()),
                    "rel": m.relationship.as_str(),
                    "source": m.source,
                    "rationale": m.rationale,
                    "verification": m.verification.unwrap_or(s.verification),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();

    json!({
        "columns": columns.iter().map(|f| json!({ "id": f.id, "short": f.short_title })).collect::<Vec<_>>(),
        "matrix": matrix,
        "unmapped": unmapped.iter().map(|f| json!({ "id": f.id, "short": f.short_title, "title": f.title })).collect::<Vec<_>>(),
        "frameworks": catalogue.frameworks().iter().map(|f| json!({
            "id": f.id, "title": f.title, "short": f.short_title, "version": f.version,
            "publisher": f.publisher, "requirements": f.requirements.len(), "attribution": f.attribution,
        })).collect::<Vec<_>>(),
        "sets": sets,
        "dcms": dcms(catalogue),
        "coverage": record.map(|r| coverage_data(catalogue, r)),
        "catalogue_digest": catalogue.digest(),
        "generated": clock::date(generated_at),
        "generated_at": clock::datetime(generated_at),
    })
}

/// Short relationship code printed in the matrix; the report has the legend.
fn rel_code(r: Relationship) -> &'static str {
    match r {
        Relationship::Equal => "eq",
        Relationship::SubsetOf => "sub",
        Relationship::SupersetOf => "sup",
        Relationship::IntersectsWith => "int",
        Relationship::NoRelationship => "none",
    }
}

/// `UK CoP 1`, `EN 303 645 5.1-1`, or a document's title with its locator.
fn display(catalogue: &Catalogue, id: &str, locator: Option<&str>) -> String {
    let base = if let Some((fw, r)) = catalogue.requirement(id) {
        format!("{} {}", fw.short_title, r.reference)
    } else if let Some((fw, g)) = catalogue.group(id) {
        format!("{} {} (clause)", fw.short_title, g.reference)
    } else if let Some(d) = catalogue.document(id) {
        d.title.clone()
    } else {
        id.to_owned()
    };
    match locator {
        Some(l) => format!("{base}, {l}"),
        None => base,
    }
}

/// The DCMS documents per organisation: how many, how many living-list rows point at
/// them and from which guidelines.
fn dcms(catalogue: &Catalogue) -> Value {
    let Some(docs) = catalogue
        .reference_sets()
        .iter()
        .find(|s| s.id == DCMS_DOCS)
    else {
        return Value::Null;
    };
    let rows: Vec<_> = catalogue
        .mappings()
        .filter(|(s, _)| s.id == DCMS_SET)
        .map(|(_, m)| m)
        .collect();
    // Grouped by organisation: hundreds of documents read better as who published them.
    let mut organisations: BTreeMap<&str, (usize, usize, BTreeSet<u32>)> = BTreeMap::new();
    for d in &docs.documents {
        let target = format!("doc:{}", d.id);
        let entry = organisations.entry(d.organisation.as_str()).or_default();
        entry.0 += 1;
        for m in rows.iter().filter(|m| m.to == target) {
            entry.1 += 1;
            if let Some(g) = m
                .from
                .strip_prefix("uk-cop-2018:")
                .and_then(|g| g.parse().ok())
            {
                entry.2.insert(g);
            }
        }
    }
    let mut organisations: Vec<_> = organisations.into_iter().collect();
    organisations.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let organisations: Vec<Value> = organisations
        .into_iter()
        .map(|(name, (documents, hits, guidelines))| {
            json!({
                "organisation": name,
                "documents": documents,
                "rows": hits,
                "guidelines": guidelines.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
            })
        })
        .collect();
    json!({
        "title": docs.title,
        "source": docs.source,
        "documents": docs.documents.len(),
        "organisations": organisations,
        "rows": rows.len(),
    })
}

fn coverage_data(catalogue: &Catalogue, record: &ProductRecord) -> Value {
    // Only answers that stand count: a met response a reviewer rejected covers nothing.
    let rejected = |id: &str| {
        record
            .response(id)
            .and_then(|r| r.review.as_ref())
            .is_some_and(|v| v.verdict == "rejected")
    };
    let status = |id: &str| match record.status(id) {
        Status::Met if rejected(id) => Status::NotMet,
        s => s,
    };
    let frameworks: Vec<Value> = catalogue
        .frameworks()
        .iter()
        .map(|fw| {
            let targets: Vec<String> = fw.requirements.iter().map(|r| requirement_id(fw, r)).collect();
            let cov = coverage::project(catalogue, &fw.id, &targets, &status);
            let rows: Vec<Value> = cov
                .requirements
                .iter()
                .zip(&fw.requirements)
                .map(|(t, r)| {
                    json!({
                        "ref": r.reference,
                        "title": r.title,
                        "coverage": t.coverage,
                        "via": t.via.iter().map(|v| display(catalogue, &v.requirement, None)).collect::<Vec<_>>(),
                        "reason": if rejected(&t.requirement) {
                            format!("response rejected by the reviewer; {}", readable(catalogue, &t.reason))
                        } else {
                            readable(catalogue, &t.reason)
                        },
                    })
                })
                .collect();
            json!({
                "id": fw.id, "short": fw.short_title, "title": fw.title,
                "met": cov.met, "full": cov.full, "partial": cov.partial, "none": cov.none,
                "not_applicable": cov.not_applicable,
                "full_percent": cov.full_percent, "partial_percent": cov.partial_percent,
                "rows": rows,
            })
        })
        .collect();
    json!({
        "product": record.product,
        "frameworks": frameworks,
        "approval_override": record.assessment.approval_override,
        "signed": record.signoff.is_some(),
        "trail_head": record.trail_head,
    })
}

/// Replaces `<framework-id>:` prefixes in a sentence with the framework's short title
/// and status codes (`not_met`) with words.
fn readable(catalogue: &Catalogue, text: &str) -> String {
    catalogue
        .frameworks()
        .iter()
        .fold(text.to_owned(), |t, fw| {
            t.replace(&format!("{}:", fw.id), &format!("{} ", fw.short_title))
        })
        .replace('_', " ")
}
