//! The tables the spreadsheet exports show, built once from the workbook's read
//! models so the XLSX and CSV forms cannot disagree.

use crate::catalogue::Catalogue;
use crate::workbook::{
    AssessmentState, CanaryState, DashboardRow, EvidenceKind, ProductPage, Status,
};

/// One requirement of a product's assessment, as a spreadsheet row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementLine {
    pub requirement: String,
    pub title: String,
    pub status: Status,
    pub statement: String,
    pub justification: String,
    /// One line per evidence item: its title, then the file's SHA-256, the link
    /// or the note.
    pub evidence: String,
    pub verdict: String,
    pub reviewer: String,
    pub comment: String,
    /// `YYYY-MM-DD` of the verdict.
    pub reviewed_on: Option<String>,
}

/// Column headings of [`RequirementLine`], in order.
pub const PRODUCT_HEADER: [&str; 10] = [
    "Requirement",
    "Title",
    "Status",
    "Statement",
    "Justification",
    "Evidence",
    "Verdict",
    "Reviewer",
    "Comment",
    "Reviewed on",
];

impl RequirementLine {
    /// The cells as text (the CSV row); dates stay `YYYY-MM-DD`.
    pub fn cells(&self) -> [String; 10] {
        [
            self.requirement.clone(),
            self.title.clone(),
            self.status.label().to_owned(),
            self.statement.clone(),
            self.justification.clone(),
            self.evidence.clone(),
            self.verdict.clone(),
            self.reviewer.clone(),
            self.comment.clone(),
            self.reviewed_on.clone().unwrap_or_default(),
        ]
    }
}

/// Every requirement of the page's assessment, in catalogue order.
pub fn product_lines(page: &ProductPage) -> Vec<RequirementLine> {
    page.requirements
        .iter()
        .map(|row| {
            let response = row.response.as_ref();
            let evidence = row
                .evidence
                .iter()
                .map(|e| {
                    let what = match e.kind {
                        EvidenceKind::File => format!(
                            "{} (SHA-256 {})",
                            e.file_name.as_deref().unwrap_or_default(),
                            e.blob_hash.as_deref().unwrap_or_default()
                        ),
                        EvidenceKind::Link => e.url.clone().unwrap_or_default(),
                        EvidenceKind::Note => e.note.clone().unwrap_or_default(),
                    };
                    format!("{}: {what}", e.title)
                })
                .collect::<Vec<_>>()
                .join("\n");
            RequirementLine {
                requirement: row.requirement.clone(),
                title: row.title.clone(),
                status: row.status,
                statement: response.map(|r| r.statement.clone()).unwrap_or_default(),
                justification: response
                    .map(|r| r.justification.clone())
                    .unwrap_or_default(),
                evidence,
                verdict: row
                    .review
                    .as_ref()
                    .map(|v| v.verdict.as_str().to_owned())
                    .unwrap_or_default(),
                reviewer: row
                    .review
                    .as_ref()
                    .map(|v| v.reviewer.clone())
                    .unwrap_or_default(),
                comment: row
                    .review
                    .as_ref()
                    .map(|v| v.comment.clone())
                    .unwrap_or_default(),
                reviewed_on: row
                    .review
                    .as_ref()
                    .map(|v| v.reviewed_at.chars().take(10).collect()),
            }
        })
        .collect()
}

/// One product on the Portfolio sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioLine {
    pub manufacturer: String,
    pub model: String,
    pub name: String,
    /// `None` for a product without an assessment.
    pub state: Option<AssessmentState>,
    pub signed: bool,
    /// The three canaries, in catalogue order.
    pub canaries: Vec<CanaryState>,
    /// Per entry of [`Portfolio::frameworks`], counts in [`Status::ALL`] order;
    /// `None` where the product is not assessed against that framework.
    pub counts: Vec<Option<Vec<u32>>>,
    pub support_end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portfolio {
    /// (id, short title) of every framework any product is assessed against, in
    /// catalogue order.
    pub frameworks: Vec<(String, String)>,
    /// Titles of the canary requirements, for the headings.
    pub canaries: Vec<String>,
    pub lines: Vec<PortfolioLine>,
}

impl Portfolio {
    /// The headings, one per column of [`PortfolioLine`].
    pub fn header(&self) -> Vec<String> {
        let mut h: Vec<String> = ["Manufacturer", "Model", "Name", "Assessment state"]
            .map(String::from)
            .to_vec();
        h.extend(self.canaries.iter().cloned());
        for (_, short) in &self.frameworks {
            h.extend(
                Status::ALL
                    .iter()
                    .map(|s| format!("{short}: {}", s.label())),
            );
        }
        h.push("Support period end".into());
        h
    }
}

/// The Portfolio table from the dashboard rows.
pub fn portfolio(cat: &Catalogue, rows: &[DashboardRow]) -> Portfolio {
    let frameworks: Vec<(String, String)> = cat
        .frameworks()
        .iter()
        .filter(|f| {
            rows.iter()
                .any(|r| r.counts.iter().any(|c| c.framework == f.id))
        })
        .map(|f| (f.id.clone(), f.short_title.clone()))
        .collect();
    let canaries = rows
        .first()
        .map(|r| r.canaries.iter().map(|c| c.title.clone()).collect())
        .unwrap_or_default();
    let lines = rows
        .iter()
        .map(|r| PortfolioLine {
            manufacturer: r.manufacturer.clone(),
            model: r.model.clone(),
            name: r.name.clone(),
            state: r.state,
            signed: r.signed,
            canaries: r.canaries.iter().map(|c| c.state).collect(),
            counts: frameworks
                .iter()
                .map(|(id, _)| {
                    let c = r.counts.iter().find(|c| &c.framework == id)?;
                    Some(Status::ALL.iter().map(|&s| c.get(s)).collect())
                })
                .collect(),
            support_end: r.support_end.clone(),
        })
        .collect();
    Portfolio {
        frameworks,
        canaries,
        lines,
    }
}

/// How the Portfolio names an assessment state: signed is shown as such.
pub fn state_label(state: Option<AssessmentState>, signed: bool) -> &'static str {
    match (state, signed) {
        (_, true) => "signed",
        (None, _) => "no assessment",
        (Some(s), false) => s.as_str(),
    }
}
