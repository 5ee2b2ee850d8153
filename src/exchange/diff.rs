//! What changed between two assessments of a product (a new firmware release is
//! a cloned assessment): per requirement, the status, statement, justification,
//! evidence added and removed, and the reviewer's verdict.

use serde::Serialize;
use ts_rs::TS;

use crate::catalogue::Catalogue;
use crate::workbook::{
    Assessment, Evidence, EvidenceKind, ProductPage, RequirementRow, Status, Verdict, Workbook,
    WorkbookError,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AssessmentDiff {
    pub product: i64,
    pub from: AssessmentRef,
    pub to: AssessmentRef,
    /// Only requirements where something changed, in the newer assessment's order.
    pub changes: Vec<RequirementChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AssessmentRef {
    pub id: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RequirementChange {
    pub requirement: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<Change<Status>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub statement: Option<Change<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub justification: Option<Change<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<EvidenceItem>>", optional)]
    pub evidence_added: Vec<EvidenceItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<EvidenceItem>>", optional)]
    pub evidence_removed: Vec<EvidenceItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub verdict: Option<Change<Option<Verdict>>>,
}

/// Evidence compared by what it is, not by row id (a clone copies evidence
/// under new ids): its kind, title and file hash, link or note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EvidenceItem {
    pub kind: EvidenceKind,
    pub title: String,
    /// SHA-256 of a file, the URL of a link, the text of a note.
    pub content: String,
}

fn item(e: &Evidence) -> EvidenceItem {
    let content = match e.kind {
        EvidenceKind::File => e.blob_hash.clone(),
        EvidenceKind::Link => e.url.clone(),
        EvidenceKind::Note => e.note.clone(),
    };
    EvidenceItem {
        kind: e.kind,
        title: e.title.clone(),
        content: content.unwrap_or_default(),
    }
}

/// One assessment of a product, as a caller names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentName<'a> {
    /// By its id, as the app holds it: never taken for a label.
    Id(i64),
    /// As a person types it (the CLI): an id, else a label (the latest with it).
    Typed(&'a str),
}

impl std::fmt::Display for AssessmentName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Typed(q) => f.write_str(q.trim()),
        }
    }
}

/// Finds the assessment `name` names among `assessments`.
fn pick(assessments: &[Assessment], name: AssessmentName<'_>) -> Option<Assessment> {
    let by_id = |id: i64| assessments.iter().find(|a| a.id == id);
    match name {
        AssessmentName::Id(id) => by_id(id),
        AssessmentName::Typed(q) => {
            let q = q.trim();
            q.parse::<i64>()
                .ok()
                .and_then(by_id)
                .or_else(|| assessments.iter().rev().find(|a| a.label == q))
        }
    }
    .cloned()
}

/// Why no diff could be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("product {0} has only one assessment; there is nothing to compare it with")]
    NothingToCompare(i64),
    #[error("product {product} has no assessment `{query}` (give its id or label)")]
    UnknownAssessment { product: i64, query: String },
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
}

impl DiffError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NothingToCompare(_) => "nothing_to_compare",
            Self::UnknownAssessment { .. } => "assessment_not_found",
            Self::Workbook(e) => e.code(),
        }
    }
}

/// Compares two assessments of `product`. The default pair is decided here,
/// for the CLI and the app alike: `to` defaults to the latest, `from` to the one
/// before `to`; the result names both.
pub fn diff_assessments(
    workbook: &Workbook,
    cat: &Catalogue,
    product: i64,
    from: Option<AssessmentName<'_>>,
    to: Option<AssessmentName<'_>>,
) -> Result<AssessmentDiff, DiffError> {
    let assessments = workbook.assessments(product)?;
    let find = |name: AssessmentName<'_>| {
        pick(&assessments, name).ok_or_else(|| DiffError::UnknownAssessment {
            product,
            query: name.to_string(),
        })
    };
    let to = match to {
        Some(name) => find(name)?,
        None => assessments
            .last()
            .cloned()
            .ok_or(WorkbookError::NoAssessment(product))?,
    };
    let from = match from {
        Some(name) => find(name)?,
        None => assessments
            .iter()
            .take_while(|a| a.id != to.id)
            .last()
            .cloned()
            .ok_or(DiffError::NothingToCompare(product))?,
    };
    let old = workbook.product_page(cat, product, Some(from.id))?;
    let new = workbook.product_page(cat, product, Some(to.id))?;
    Ok(AssessmentDiff {
        product,
        from: AssessmentRef {
            id: from.id,
            label: from.label,
        },
        to: AssessmentRef {
            id: to.id,
            label: to.label,
        },
        changes: compare(&old, &new),
    })
}

/// The changed requirements: the newer page's in its order, then any only the
/// older page has.
pub fn compare(old: &ProductPage, new: &ProductPage) -> Vec<RequirementChange> {
    let find = |page: &'_ ProductPage, id: &str| -> Option<RequirementRow> {
        page.requirements
            .iter()
            .find(|r| r.requirement == id)
            .cloned()
    };
    let mut ids: Vec<(String, String)> = new
        .requirements
        .iter()
        .map(|r| (r.requirement.clone(), r.title.clone()))
        .collect();
    ids.extend(
        old.requirements
            .iter()
            .filter(|r| {
                !new.requirements
                    .iter()
                    .any(|n| n.requirement == r.requirement)
            })
            .map(|r| (r.requirement.clone(), r.title.clone())),
    );
    ids.into_iter()
        .filter_map(|(id, title)| {
            let (o, n) = (find(old, &id), find(new, &id));
            row_change(id, title, o, n)
        })
        .collect()
}

fn row_change(
    requirement: String,
    title: String,
    old: Option<RequirementRow>,
    new: Option<RequirementRow>,
) -> Option<RequirementChange> {
    let status = |r: &Option<RequirementRow>| r.as_ref().map_or(Status::NotAssessed, |r| r.status);
    let text = |r: &Option<RequirementRow>, f: fn(&crate::workbook::Response) -> &String| {
        r.as_ref()
            .and_then(|r| r.response.as_ref())
            .map(|x| f(x).clone())
            .unwrap_or_default()
    };
    let evidence = |r: &Option<RequirementRow>| -> Vec<EvidenceItem> {
        r.as_ref()
            .map(|r| r.evidence.iter().map(item).collect())
            .unwrap_or_default()
    };
    let missing_from = |a: &[EvidenceItem], b: &[EvidenceItem]| -> Vec<EvidenceItem> {
        a.iter().filter(|e| !b.contains(e)).cloned().collect()
    };
    let verdict = |r: &Option<RequirementRow>| {
        r.as_ref()
            .and_then(|r| r.review.as_ref())
            .map(|v| v.verdict)
    };
    fn changed<T: PartialEq>(from: T, to: T) -> Option<Change<T>> {
        (from != to).then_some(Change { from, to })
    }
    let (old_ev, new_ev) = (evidence(&old), evidence(&new));
    let c = RequirementChange {
        requirement,
        title,
        status: changed(status(&old), status(&new)),
        statement: changed(text(&old, |r| &r.statement), text(&new, |r| &r.statement)),
        justification: changed(
            text(&old, |r| &r.justification),
            text(&new, |r| &r.justification),
        ),
        evidence_added: missing_from(&new_ev, &old_ev),
        evidence_removed: missing_from(&old_ev, &new_ev),
        verdict: changed(verdict(&old), verdict(&new)),
    };
    let unchanged = c.status.is_none()
        && c.statement.is_none()
        && c.justification.is_none()
        && c.evidence_added.is_empty()
        && c.evidence_removed.is_empty()
        && c.verdict.is_none();
    (!unchanged).then_some(c)
}
