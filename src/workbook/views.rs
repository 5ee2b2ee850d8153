//! Read models for the UI, reports and the CLI, each computed with a handful of
//! queries whatever the number of products: the catalogue supplies order, titles
//! and totals; SQLite supplies grouped counts.

use std::collections::HashMap;

use rusqlite::params;

use super::assessments::{bad_text, row_to_response, row_to_review, RESPONSE_COLUMNS};
use super::error::Result;
use super::evidence::{row_to_evidence, EVIDENCE_COLUMNS};
use super::model::{
    Assessment, AssessmentState, Canary, CanaryState, DashboardRow, Evidence, ProductPage,
    RequirementRow, Response, Review, Status, StatusCounts, Verdict,
};
use super::natural::natural_cmp;
use super::Workbook;
use crate::catalogue::{requirement_id, Catalogue};

/// Status counts of one assessment from its per-(framework, status) response counts.
fn counts_for(
    cat: &Catalogue,
    frameworks: &[String],
    answered: Option<&HashMap<(String, Status), u32>>,
) -> Vec<StatusCounts> {
    frameworks
        .iter()
        .map(|f| {
            let total = cat
                .framework(f)
                .map_or(0, |fw| fw.requirements.len() as u32);
            let mut c = StatusCounts {
                framework: f.clone(),
                total,
                ..Default::default()
            };
            let mut recorded = 0;
            for &s in Status::ALL {
                if s == Status::NotAssessed {
                    continue;
                }
                let n = answered
                    .and_then(|m| m.get(&(f.clone(), s)))
                    .copied()
                    .unwrap_or(0);
                c.add(s, n);
                recorded += n;
            }
            c.not_assessed = total.saturating_sub(recorded);
            c
        })
        .collect()
}

/// The catalogue's canary requirements: (id, title, framework).
fn canary_requirements(cat: &Catalogue) -> Vec<(String, String, String)> {
    cat.frameworks()
        .iter()
        .flat_map(|fw| {
            fw.requirements
                .iter()
                .filter(|r| r.canary)
                .map(move |r| (requirement_id(fw, r), r.title.clone(), fw.id.clone()))
        })
        .collect()
}

/// A canary's answer as recorded: status, and the reviewer's verdict and name.
type CanaryAnswer = (Status, Option<Verdict>, Option<String>);

fn canaries_for(
    canaries: &[(String, String, String)],
    frameworks: &[String],
    answer_of: impl Fn(&str) -> Option<CanaryAnswer>,
) -> Vec<Canary> {
    canaries
        .iter()
        .map(|(id, title, fw)| {
            let answer = if frameworks.contains(fw) {
                answer_of(id)
            } else {
                None
            };
            let (status, verdict, reviewer) = answer.unwrap_or((Status::NotAssessed, None, None));
            Canary {
                requirement: id.clone(),
                title: title.clone(),
                state: CanaryState::reviewed(status, verdict),
                verdict,
                reviewer,
            }
        })
        .collect()
}

impl Workbook {
    /// One row per product (by name, numbers by value) with its latest assessment's state, counts
    /// per framework and the three canaries. Three queries in all.
    pub fn dashboard(&self, cat: &Catalogue) -> Result<Vec<DashboardRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.id, p.name, p.model, p.manufacturer_name, p.support_end,
                    a.id, a.label, a.frameworks, a.state, s.assessment_id IS NOT NULL
             FROM product p
             LEFT JOIN assessment a ON a.id = (SELECT max(id) FROM assessment WHERE product_id = p.id)
             LEFT JOIN signoff s ON s.assessment_id = a.id
             ORDER BY p.id",
        )?;
        let mut rows: Vec<(DashboardRow, Vec<String>)> = stmt
            .query_map([], |r| {
                let frameworks: Option<String> = r.get(7)?;
                let state: Option<String> = r.get(8)?;
                let state = match state {
                    Some(s) => Some(AssessmentState::parse(&s).ok_or_else(|| bad_text(8, &s))?),
                    None => None,
                };
                Ok((
                    DashboardRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        model: r.get(2)?,
                        manufacturer: r.get(3)?,
                        support_end: r.get(4)?,
                        assessment_id: r.get(5)?,
                        assessment_label: r.get(6)?,
                        state,
                        signed: r.get::<_, Option<bool>>(9)?.unwrap_or(false),
                        counts: Vec::new(),
                        canaries: Vec::new(),
                    },
                    frameworks
                        .and_then(|f| serde_json::from_str(&f).ok())
                        .unwrap_or_default(),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_by(|(x, _), (y, _)| natural_cmp(&x.name, &y.name).then(x.id.cmp(&y.id)));

        let latest = "SELECT max(id) FROM assessment GROUP BY product_id";
        let mut counts: HashMap<i64, HashMap<(String, Status), u32>> = HashMap::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT assessment_id, framework, status, count(*) FROM response
             WHERE assessment_id IN ({latest}) GROUP BY assessment_id, framework, status"
        ))?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let status: String = r.get(2)?;
            let status = Status::parse(&status).ok_or_else(|| bad_text(2, &status))?;
            counts
                .entry(r.get(0)?)
                .or_default()
                .insert((r.get(1)?, status), r.get(3)?);
        }

        let canaries = canary_requirements(cat);
        let mut canary_status: HashMap<(i64, String), CanaryAnswer> = HashMap::new();
        if !canaries.is_empty() {
            let placeholders = vec!["?"; canaries.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT r.assessment_id, r.requirement, r.status, v.verdict, v.reviewer
                 FROM response r LEFT JOIN review v ON v.response_id = r.id
                 WHERE r.requirement IN ({placeholders}) AND r.assessment_id IN ({latest})"
            ))?;
            let ids: Vec<&str> = canaries.iter().map(|c| c.0.as_str()).collect();
            let mut q = stmt.query(rusqlite::params_from_iter(ids))?;
            while let Some(r) = q.next()? {
                let status: String = r.get(2)?;
                let status = Status::parse(&status).ok_or_else(|| bad_text(2, &status))?;
                let verdict: Option<String> = r.get(3)?;
                let verdict = match verdict {
                    Some(v) => Some(Verdict::parse(&v).ok_or_else(|| bad_text(3, &v))?),
                    None => None,
                };
                canary_status.insert((r.get(0)?, r.get(1)?), (status, verdict, r.get(4)?));
            }
        }

        for (row, frameworks) in &mut rows {
            let Some(aid) = row.assessment_id else {
                row.canaries = canaries_for(&canaries, &[], |_| None);
                continue;
            };
            row.counts = counts_for(cat, frameworks, counts.get(&aid));
            row.canaries = canaries_for(&canaries, frameworks, |id| {
                canary_status.get(&(aid, id.to_owned())).cloned()
            });
        }
        Ok(rows.into_iter().map(|(r, _)| r).collect())
    }

    /// The reviews of an assessment's responses, by response id.
    fn reviews_of(&self, assessment: i64) -> Result<HashMap<i64, Review>> {
        let mut reviews = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT v.verdict, v.comment, v.reviewer, v.reviewed_at, v.response_id
             FROM review v JOIN response r ON r.id = v.response_id WHERE r.assessment_id = ?1",
        )?;
        let mut q = stmt.query(params![assessment])?;
        while let Some(r) = q.next()? {
            reviews.insert(r.get(4)?, row_to_review(r)?);
        }
        Ok(reviews)
    }

    /// Every response of an assessment, by id.
    pub fn responses(&self, assessment: i64) -> Result<Vec<Response>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RESPONSE_COLUMNS} FROM response WHERE assessment_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([assessment], row_to_response)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A product with one assessment (default: the latest) and every requirement of
    /// its frameworks in catalogue order, answered or not.
    pub fn product_page(
        &self,
        cat: &Catalogue,
        product: i64,
        assessment: Option<i64>,
    ) -> Result<ProductPage> {
        let product = self.product(product)?;
        let assessments = self.assessments(product.id)?;
        let a = match assessment {
            Some(id) => assessments
                .iter()
                .find(|a| a.id == id)
                .cloned()
                .ok_or(super::WorkbookError::AssessmentNotFound(id))?,
            None => assessments
                .last()
                .cloned()
                .ok_or(super::WorkbookError::NoAssessment(product.id))?,
        };
        let responses = self.responses(a.id)?;

        let mut evidence: HashMap<i64, Vec<Evidence>> = HashMap::new();
        let cols = EVIDENCE_COLUMNS
            .split(", ")
            .map(|c| format!("e.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {cols} FROM evidence e JOIN response r ON r.id = e.response_id
             WHERE r.assessment_id = ?1 ORDER BY e.id"
        ))?;
        for e in stmt.query_map(params![a.id], row_to_evidence)? {
            let e = e?;
            evidence.entry(e.response_id).or_default().push(e);
        }
        let mut reviews = self.reviews_of(a.id)?;
        let canaries = canary_requirements(cat);
        let canary_rows = canaries_of_responses(&canaries, &a, &responses, &reviews);

        let by_req: HashMap<&str, &Response> = responses
            .iter()
            .map(|r| (r.requirement.as_str(), r))
            .collect();
        let mut rows = Vec::new();
        for f in &a.frameworks {
            let Some(fw) = cat.framework(f) else { continue };
            for req in &fw.requirements {
                let id = requirement_id(fw, req);
                let response = by_req.get(id.as_str()).map(|r| (*r).clone());
                let (ev, review) = match &response {
                    Some(r) => (
                        evidence.remove(&r.id).unwrap_or_default(),
                        reviews.remove(&r.id),
                    ),
                    None => (Vec::new(), None),
                };
                rows.push(RequirementRow {
                    framework: fw.id.clone(),
                    reference: req.reference.clone(),
                    title: req.title.clone(),
                    canary: req.canary,
                    status: response.as_ref().map_or(Status::NotAssessed, |r| r.status),
                    requirement: id,
                    response,
                    evidence: ev,
                    review,
                });
            }
        }
        Ok(ProductPage {
            support_until: product
                .info
                .support_end
                .as_deref()
                .and_then(super::support_until),
            counts: counts_of_responses(cat, &a, &responses),
            canaries: canary_rows,
            product,
            assessment: a,
            assessments,
            requirements: rows,
        })
    }
}

fn counts_of_responses(
    cat: &Catalogue,
    a: &Assessment,
    responses: &[Response],
) -> Vec<StatusCounts> {
    let mut m: HashMap<(String, Status), u32> = HashMap::new();
    for r in responses {
        // Same grouping as the stored `framework` column the dashboard counts by.
        if let Some((fw, _)) = r.requirement.split_once(':') {
            *m.entry((fw.to_owned(), r.status)).or_default() += 1;
        }
    }
    counts_for(cat, &a.frameworks, Some(&m))
}

fn canaries_of_responses(
    canaries: &[(String, String, String)],
    a: &Assessment,
    responses: &[Response],
    reviews: &HashMap<i64, Review>,
) -> Vec<Canary> {
    canaries_for(canaries, &a.frameworks, |id| {
        responses.iter().find(|r| r.requirement == id).map(|r| {
            let review = reviews.get(&r.id);
            (
                r.status,
                review.map(|v| v.verdict),
                review.map(|v| v.reviewer.clone()),
            )
        })
    })
}
