//! What a report's attached manifest claims, in the terms `check` shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::DocumentError;
use crate::catalogue::Catalogue;
use crate::report::Review;
use crate::workbook::{CanaryState, KeyHolder, Status, Verdict};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `attestation`, `psti-statement` or `mapping`.
    pub kind: String,
    /// `None` for a mapping report of the catalogue alone.
    pub product: Option<String>,
    pub model: Option<String>,
    pub manufacturer: String,
    pub support_period_end: Option<String>,
    /// When the report was made (ISO date and time).
    pub report_date: String,
    pub trail_head: Option<String>,
    pub catalogue_digest: String,
    pub canaries: Vec<CanaryLine>,
    pub frameworks: Vec<FrameworkCount>,
    /// Who signed the assessment off, and in what function, when it was signed.
    pub signatory: Option<String>,
    pub signatory_function: Option<String>,
    /// Everyone whose key signed an act on the assessment, as the manifest names
    /// them (unreadable entries are left out).
    pub signers: Vec<KeyHolder>,
}

/// One of the catalogue's canary requirements and how the document answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CanaryLine {
    pub requirement: String,
    /// `pass`, `claimed`, `fail` or `unknown`: the one reviewed rule
    /// ([`CanaryState::reviewed`]) page 1 of the attestation uses.
    pub verdict: String,
}

/// Responses of one framework by status (`met`, `not_met`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FrameworkCount {
    pub framework: String,
    pub counts: BTreeMap<String, usize>,
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

impl Summary {
    pub(crate) fn from_manifest(m: &Value, catalogue: &Catalogue) -> Result<Self, DocumentError> {
        let bad = |what: &str| DocumentError::BadManifest(format!("{what} is missing"));
        if m.get("canary_manifest").and_then(Value::as_i64) != Some(1) {
            return Err(DocumentError::BadManifest(
                "not a Canary manifest of version 1".into(),
            ));
        }
        let kind = text(m, &["report"]).ok_or_else(|| bad("report"))?;
        let report_date = text(m, &["generated_at"]).ok_or_else(|| bad("generated_at"))?;
        let catalogue_digest = text(m, &["catalogue_digest"]).unwrap_or_default();
        let product = m.get("product").filter(|p| p.is_object());
        let responses: Vec<&Value> = m
            .get("responses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        let statuses: BTreeMap<String, String> = responses
            .iter()
            .filter_map(|r| Some((text(r, &["requirement"])?, text(r, &["status"])?)))
            .collect();
        let verdicts: BTreeMap<String, Verdict> = responses
            .iter()
            .filter_map(|r| {
                let review: Review = serde_json::from_value(r.get("review")?.clone()).ok()?;
                Some((text(r, &["requirement"])?, review.verdict()?))
            })
            .collect();
        let frameworks = m
            .get("assessment")
            .and_then(|a| a.get("frameworks"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|fw| FrameworkCount {
                framework: fw.to_owned(),
                counts: counts(fw, &statuses, catalogue),
            })
            .collect();
        let canaries = if product.is_some() {
            catalogue
                .frameworks()
                .iter()
                .flat_map(|fw| fw.requirements.iter().map(move |r| (fw, r)))
                .filter(|(_, r)| r.canary)
                .map(|(fw, r)| {
                    let id = crate::catalogue::requirement_id(fw, r);
                    let status = statuses
                        .get(&id)
                        .and_then(|s| Status::parse(s))
                        .unwrap_or(Status::NotAssessed);
                    let verdict = CanaryState::reviewed(status, verdicts.get(&id).copied());
                    CanaryLine {
                        requirement: id,
                        verdict: verdict.as_str().into(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Self {
            kind,
            product: product.and_then(|p| text(p, &["name"])),
            model: product.and_then(|p| text(p, &["model"])),
            manufacturer: product
                .and_then(|p| text(p, &["manufacturer", "name"]))
                .unwrap_or_default(),
            support_period_end: product.and_then(|p| text(p, &["support_period_end"])),
            report_date,
            trail_head: text(m, &["trail_head"]),
            catalogue_digest,
            canaries,
            frameworks,
            signatory: text(m, &["signoff", "signatory"]),
            signatory_function: text(m, &["signoff", "function"]),
            signers: m
                .get("signers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| serde_json::from_value(v.clone()).ok())
                .collect(),
        })
    }
}

/// Responses of `framework` by status; requirements the catalogue has and the
/// document does not answer count as `not_assessed`.
fn counts(
    framework: &str,
    statuses: &BTreeMap<String, String>,
    catalogue: &Catalogue,
) -> BTreeMap<String, usize> {
    let prefix = format!("{framework}:");
    let mut counts = BTreeMap::new();
    let mut answered = 0;
    for (id, status) in statuses {
        if id.starts_with(&prefix) {
            *counts.entry(status.clone()).or_insert(0) += 1;
            answered += 1;
        }
    }
    if let Some(fw) = catalogue.frameworks().iter().find(|f| f.id == framework) {
        let missing = fw.requirements.len().saturating_sub(answered);
        if missing > 0 {
            *counts.entry("not_assessed".into()).or_insert(0) += missing;
        }
    }
    counts
}
