//! The attestation: one product's assessment, requirement by requirement.

use serde_json::{json, Value};

use super::data::{ProductRecord, Status};
use super::engine::{Rendered, Stage};
use super::{clock, ReportError};
use crate::catalogue::{requirement_id, Catalogue, Framework, Requirement};
use crate::workbook::Verdict;

const TEMPLATE: &str = include_str!("templates/attestation.typ");

/// Renders the attestation of `record` against `catalogue`. Every requirement of the
/// assessed frameworks appears; those without a response are shown as not assessed.
pub fn attestation(
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
    progress: &dyn Fn(Stage),
) -> Result<Rendered, ReportError> {
    super::render_product(
        "attestation",
        TEMPLATE,
        attestation_data,
        catalogue,
        record,
        generated_at,
        progress,
    )
}

pub(crate) fn attestation_data(
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
) -> Result<Value, ReportError> {
    let mut frameworks = Vec::new();
    let mut groups: Vec<((String, String), [usize; 5])> = Vec::new();
    let mut totals = [0usize; 5];
    // accepted, rejected, needs info, not reviewed: over the same requirements.
    let mut verdicts = [0usize; 4];
    let mut reported = std::collections::HashSet::new();
    for fw_id in &record.assessment.frameworks {
        let fw = super::framework(catalogue, fw_id)?;
        let mut rows = Vec::new();
        for req in &fw.requirements {
            let id = requirement_id(fw, req);
            let status = record.status(&id);
            let slot = Status::ALL.iter().position(|s| *s == status).unwrap_or(4);
            totals[slot] += 1;
            let verdict = record
                .response(&id)
                .and_then(|r| r.review.as_ref())
                .and_then(|v| v.verdict());
            verdicts[match verdict {
                Some(Verdict::Accepted) => 0,
                Some(Verdict::Rejected) => 1,
                Some(Verdict::NeedsInfo) => 2,
                None => 3,
            }] += 1;
            let label = group_label(fw, req);
            match groups.iter_mut().find(|(l, _)| *l == label) {
                Some((_, counts)) => counts[slot] += 1,
                None => {
                    let mut counts = [0; 5];
                    counts[slot] += 1;
                    groups.push((label, counts));
                }
            }
            rows.push(row(
                &id,
                &fw.short_title,
                &req.reference,
                &req.title,
                req.canary,
                record,
            ));
            reported.insert(id);
        }
        frameworks.push(json!({
            "id": fw.id,
            "title": fw.title,
            "short": fw.short_title,
            "version": fw.version,
            "attribution": fw.attribution,
            "requirements": rows,
        }));
    }
    // Responses to requirements outside the assessed frameworks or the catalogue are
    // still part of the record: show them rather than drop them.
    let extra: Vec<Value> = record
        .responses
        .iter()
        .filter(|r| !reported.contains(&r.requirement))
        .map(|r| {
            let (short, reference, title) = match catalogue.requirement(&r.requirement) {
                Some((fw, req)) => (
                    fw.short_title.clone(),
                    req.reference.clone(),
                    req.title.clone(),
                ),
                None => (
                    String::new(),
                    r.requirement.clone(),
                    "(not in this catalogue)".to_owned(),
                ),
            };
            row(&r.requirement, &short, &reference, &title, false, record)
        })
        .collect();

    let canaries: Vec<Value> = catalogue
        .frameworks()
        .iter()
        .flat_map(|fw| fw.requirements.iter().map(move |r| (fw, r)))
        .filter(|(_, r)| r.canary)
        .map(|(fw, r)| {
            let id = requirement_id(fw, r);
            let (state, review) = record.canary(&id);
            json!({
                "id": id,
                "ref": r.reference,
                "short": fw.short_title,
                "title": r.title,
                "verdict": state.as_str(),
                "word": state.word(),
                "review": review.map(|v| json!({
                    "verdict": v.verdict,
                    "reviewer": v.reviewer,
                })),
            })
        })
        .collect();

    let today = clock::date(generated_at);
    // ISO dates compare as text; the report's own date is the reference.
    let expired = record
        .responses
        .iter()
        .flat_map(|r| &r.evidence)
        .filter(|e| e.expires.as_deref().is_some_and(|x| x < today.as_str()))
        .count();

    let fw_titles: Vec<Value> = record
        .assessment
        .frameworks
        .iter()
        .filter_map(|id| catalogue.framework(id))
        .map(|fw| json!({ "id": fw.id, "title": fw.title, "short": fw.short_title, "version": fw.version }))
        .collect();

    Ok(json!({
        "product": record.product,
        "support_until": record
            .product
            .support_period_end
            .as_deref()
            .and_then(crate::workbook::support_until),
        "assessment": {
            "id": record.assessment.id,
            "title": record.assessment.title,
            "state": record.assessment.state,
            "frameworks": fw_titles,
            "approval_override": record.assessment.approval_override,
        },
        "verdicts": {
            "accepted": verdicts[0],
            "rejected": verdicts[1],
            "needs_info": verdicts[2],
            "not_reviewed": verdicts[3],
        },
        "expired_evidence": expired,
        "canaries": canaries,
        "groups": groups.into_iter().map(|((key, title), c)| json!({ "key": key, "title": title, "counts": counts(c) })).collect::<Vec<_>>(),
        "totals": counts(totals),
        "frameworks": frameworks,
        "extra": extra,
        "signoff": record.signoff,
        "trail_head": record.trail_head,
        "catalogue_digest": catalogue.digest(),
        "generated": clock::date(generated_at),
        "generated_at": clock::datetime(generated_at),
    }))
}

fn counts(c: [usize; 5]) -> Value {
    let mut map = serde_json::Map::new();
    for (s, n) in Status::ALL.iter().zip(c) {
        map.insert(s.as_str().to_owned(), n.into());
    }
    Value::Object(map)
}

/// The chart row a requirement counts towards: its clause, or itself when the
/// framework has no clauses (the CoP's guidelines).
fn group_label(fw: &Framework, req: &Requirement) -> (String, String) {
    match &req.group {
        Some(g) => {
            let title = fw
                .groups
                .iter()
                .find(|x| &x.reference == g)
                .map(|x| x.title.clone())
                .unwrap_or_default();
            (format!("{} {g}", fw.short_title), title)
        }
        None => (
            format!("{} {}", fw.short_title, req.reference),
            req.title.clone(),
        ),
    }
}

fn row(
    id: &str,
    short: &str,
    reference: &str,
    title: &str,
    canary: bool,
    record: &ProductRecord,
) -> Value {
    let response = record.response(id);
    json!({
        "id": id,
        "short": short,
        "ref": reference,
        "title": title,
        "canary": canary,
        "status": record.status(id),
        "statement": response.and_then(|r| r.statement.clone()),
        "justification": response.and_then(|r| r.justification.clone()),
        "evidence": response.map(|r| r.evidence.clone()).unwrap_or_default(),
        "review": response.and_then(|r| r.review.clone()),
    })
}
