//! Importing a product file: find the product by manufacturer, model and batch,
//! work out what differs from the workbook, and write only that.
//!
//! Everything is checked before the first write: the file (see `validate.rs`), the
//! product match, and whether the assessment may change. The writes then run in one
//! workbook batch (one transaction), so an import is stored whole or not at all.
//! An unchanged file writes nothing and adds no trail events. Items the workbook
//! holds but the file does not (responses, evidence) are kept: an import adds and
//! updates, it never deletes.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::format;
use super::problem::ExchangeError;
use super::validate::{read_product_file, Checked, FileContent};
use crate::catalogue::Catalogue;
use crate::workbook::{
    self as wb, ensure_editable, Assessment, EvidenceInput, EvidenceKind, EvidenceSource,
    ProductInput, ResponseInput, Workbook, WorkbookError,
};

/// What an import did (or, with nothing to do, found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub product_id: i64,
    pub assessment_id: i64,
    pub product_created: bool,
    pub product_updated: bool,
    pub assessment_created: bool,
    /// Responses created or changed.
    pub responses_set: usize,
    pub evidence_added: usize,
    /// Responses in the assessment that the file does not list, left as they were.
    pub responses_kept: usize,
    /// Evidence items the file does not list, left as they were.
    pub evidence_kept: usize,
}

impl ImportSummary {
    /// False when the workbook already held everything in the file.
    pub fn changed(&self) -> bool {
        self.product_created
            || self.product_updated
            || self.assessment_created
            || self.responses_set > 0
            || self.evidence_added > 0
    }
}

/// Reads, checks and imports the product file at `path` into `workbook`.
pub fn import_product_file(
    workbook: &mut Workbook,
    catalogue: &Catalogue,
    path: &Path,
) -> Result<ImportSummary, ExchangeError> {
    let checked = read_product_file(path, catalogue)?;
    import_checked(workbook, catalogue, &checked)
}

/// Imports a product file that passed [`read_product_file`].
pub fn import_checked(
    workbook: &mut Workbook,
    catalogue: &Catalogue,
    checked: &Checked,
) -> Result<ImportSummary, ExchangeError> {
    // The plan is read before the write lock is taken, so another process may
    // change the workbook in between. The batch checks that the trail head is
    // still the one the plan saw (every write moves it) and otherwise plans again.
    for _ in 0..ATTEMPTS {
        let seen = workbook.trail_head()?;
        let plan = plan(workbook, checked)?;
        if let Some(summary) = apply(workbook, catalogue, checked, plan, &seen)? {
            return Ok(summary);
        }
    }
    Err(WorkbookError::Busy(ATTEMPTS).into())
}

/// How many times an import plans again after the workbook changed under it.
const ATTEMPTS: u32 = 5;

/// The writes an import needs, decided before any is made.
struct Plan {
    product: ProductAction,
    /// The assessment to write into, or `None` to create one.
    assessment: Option<Assessment>,
    /// Per response in the file: whether it must be set, and which of its evidence
    /// items (by index) must be added.
    responses: Vec<(bool, Vec<usize>)>,
    responses_kept: usize,
    evidence_kept: usize,
}

enum ProductAction {
    Create(ProductInput),
    Update(i64, ProductInput),
    Keep(i64),
}

fn plan(workbook: &Workbook, checked: &Checked) -> Result<Plan, ExchangeError> {
    let file = &checked.file;
    let input = product_input(&file.product);
    let product = find_product(workbook, &input)?;
    let empty = |product| Plan {
        product,
        assessment: None,
        responses: file
            .responses
            .iter()
            .map(|r| (true, (0..r.evidence.len()).collect()))
            .collect(),
        responses_kept: 0,
        evidence_kept: 0,
    };
    let Some(existing) = product else {
        return Ok(empty(ProductAction::Create(input)));
    };
    let action = if existing.info == input {
        ProductAction::Keep(existing.id)
    } else {
        ProductAction::Update(existing.id, input)
    };
    let assessment = match workbook.latest_assessment(existing.id) {
        Ok(a) if same_frameworks(&a.frameworks, &file.frameworks) => a,
        // A new set of frameworks is a new assessment; the old one stays as it was.
        Ok(_) | Err(WorkbookError::NoAssessment(_)) => return Ok(empty(action)),
        Err(e) => return Err(e.into()),
    };

    let stored: HashMap<String, wb::Response> = workbook
        .responses(assessment.id)?
        .into_iter()
        .map(|r| (r.requirement.clone(), r))
        .collect();
    let mut responses = Vec::with_capacity(file.responses.len());
    let mut listed = 0;
    let mut evidence_kept = 0;
    for r in &file.responses {
        let Some(old) = stored.get(&r.requirement) else {
            responses.push((true, (0..r.evidence.len()).collect()));
            continue;
        };
        listed += 1;
        let mut unclaimed: Vec<EvidenceKey> =
            workbook.evidence(old.id)?.iter().map(stored_key).collect();
        let mut add = Vec::new();
        for (j, e) in r.evidence.iter().enumerate() {
            let key = file_key(e);
            match unclaimed.iter().position(|k| *k == key) {
                Some(at) => {
                    unclaimed.swap_remove(at);
                }
                None => add.push(j),
            }
        }
        evidence_kept += unclaimed.len();
        responses.push((response_input(r) != stored_input(old), add));
    }
    let writes = responses.iter().any(|(set, add)| *set || !add.is_empty());
    if writes {
        ensure_editable(&assessment)?;
    }
    Ok(Plan {
        product: action,
        responses_kept: stored.len() - listed,
        evidence_kept,
        assessment: Some(assessment),
        responses,
    })
}

/// Makes the planned writes; `None` when the workbook no longer has the trail
/// head `seen` that the plan was made from (nothing is written then).
fn apply(
    workbook: &mut Workbook,
    catalogue: &Catalogue,
    checked: &Checked,
    plan: Plan,
    seen: &str,
) -> Result<Option<ImportSummary>, ExchangeError> {
    let file = &checked.file;
    let nothing_to_do = matches!(plan.product, ProductAction::Keep(_))
        && plan.assessment.is_some()
        && plan
            .responses
            .iter()
            .all(|(set, add)| !set && add.is_empty());
    if let (true, ProductAction::Keep(product_id), Some(a)) =
        (nothing_to_do, &plan.product, &plan.assessment)
    {
        // No write transaction at all: an unchanged file needs no actor and takes
        // no lock.
        return Ok(Some(ImportSummary {
            product_id: *product_id,
            assessment_id: a.id,
            product_created: false,
            product_updated: false,
            assessment_created: false,
            responses_set: 0,
            evidence_added: 0,
            responses_kept: plan.responses_kept,
            evidence_kept: plan.evidence_kept,
        }));
    }

    // The files new evidence items refer to, each once.
    let mut needed: Vec<&FileContent> = Vec::new();
    for (r, (_, add)) in file.responses.iter().zip(&plan.responses) {
        for &j in add {
            let e = &r.evidence[j];
            if let (Some(_), Some(hash)) = (&e.file, &e.sha256) {
                let content = &checked.contents[hash];
                if !needed.iter().any(|c| c.sha256 == content.sha256) {
                    needed.push(content);
                }
            }
        }
    }

    // One transaction: a failure anywhere (a file changed since it was checked, a
    // refused write, a full disk) leaves the workbook as it was.
    let summary = workbook.batch(|b| {
        if b.trail_head()? != seen {
            return Ok(None);
        }
        for content in &needed {
            if b.store_file(&content.path)?.hash != content.sha256 {
                return Err(WorkbookError::FileChanged(content.path.clone()));
            }
        }
        let (product_id, product_created, product_updated) = match &plan.product {
            ProductAction::Create(input) => (b.add_product(catalogue, input)?.id, true, false),
            ProductAction::Update(id, input) => {
                (b.update_product(catalogue, *id, input)?.id, false, true)
            }
            ProductAction::Keep(id) => (*id, false, false),
        };
        let (assessment_id, assessment_created) = match &plan.assessment {
            Some(a) => (a.id, false),
            None => {
                let label = file
                    .assessment
                    .as_deref()
                    .unwrap_or(wb::FIRST_ASSESSMENT_LABEL);
                let a = b.create_assessment(catalogue, product_id, label, &file.frameworks)?;
                (a.id, true)
            }
        };
        let mut responses_set = 0;
        let mut evidence_added = 0;
        for (r, (set, add)) in file.responses.iter().zip(&plan.responses) {
            if *set {
                b.set_response(catalogue, assessment_id, &r.requirement, &response_input(r))?;
                responses_set += 1;
            }
            for &j in add {
                let input = evidence_input(&r.evidence[j]);
                b.add_evidence(catalogue, assessment_id, &r.requirement, &input)?;
                evidence_added += 1;
            }
        }
        Ok(Some(ImportSummary {
            product_id,
            assessment_id,
            product_created,
            product_updated,
            assessment_created,
            responses_set,
            evidence_added,
            responses_kept: plan.responses_kept,
            evidence_kept: plan.evidence_kept,
        }))
    })?;
    Ok(summary)
}

/// The product a file describes, normalised as the workbook stores it.
/// The file's product as the store takes it (validation has refused blank entries).
pub(super) fn product_input(p: &format::Product) -> ProductInput {
    let text = |s: &Option<String>| s.as_deref().unwrap_or_default().trim().to_owned();
    let list = |v: &[String]| -> Vec<String> { v.iter().map(|s| s.trim().to_owned()).collect() };
    ProductInput {
        name: p.name.trim().to_owned(),
        model: p.model.trim().to_owned(),
        product_type: text(&p.kind),
        batch: text(&p.batch),
        manufacturer: wb::Manufacturer {
            name: p.manufacturer.name.trim().to_owned(),
            address: text(&p.manufacturer.address),
        },
        support_end: p.support_period_end.as_ref().map(|d| d.trim().to_owned()),
        roles: list(&p.roles),
        markets: list(&p.markets),
        cra: wb::CraInfo {
            standards: list(&p.cra.standards),
            notified_body: text(&p.cra.notified_body),
            notified_body_number: text(&p.cra.notified_body_number),
            procedure: text(&p.cra.procedure),
            certificate: text(&p.cra.certificate),
            declaration_url: text(&p.cra.declaration_url),
        },
        labels: p
            .labels
            .iter()
            .map(|l| wb::ProductLabel {
                scheme: l.scheme.trim().to_owned(),
                level: l.level.trim().to_owned(),
                label_id: l.label_id.trim().to_owned(),
                expiry: l.expiry.trim().to_owned(),
            })
            .collect(),
    }
}

/// The product with the same manufacturer, model and batch, if any.
fn find_product(
    workbook: &Workbook,
    input: &ProductInput,
) -> Result<Option<wb::Product>, ExchangeError> {
    let mut found: Vec<wb::Product> = workbook
        .products()?
        .into_iter()
        .filter(|p| {
            p.info.manufacturer.name == input.manufacturer.name
                && p.info.model == input.model
                && p.info.batch == input.batch
        })
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(WorkbookError::AmbiguousProduct {
            query: format!(
                "{} {} batch {:?}",
                input.manufacturer.name, input.model, input.batch
            ),
            matches: found
                .iter()
                .map(|p| format!("{} (id {})", p.info.name, p.id))
                .collect(),
        }
        .into()),
    }
}

fn same_frameworks(stored: &[String], file: &[String]) -> bool {
    stored.len() == file.len() && file.iter().all(|f| stored.contains(f))
}

fn response_input(r: &format::Response) -> ResponseInput {
    let text = |s: &Option<String>| s.as_deref().unwrap_or_default().trim().to_owned();
    ResponseInput {
        status: r.status,
        statement: text(&r.statement),
        justification: text(&r.justification),
        owner: text(&r.owner),
    }
}

fn stored_input(r: &wb::Response) -> ResponseInput {
    ResponseInput {
        status: r.status,
        statement: r.statement.clone(),
        justification: r.justification.clone(),
        owner: r.owner.clone(),
    }
}

fn evidence_input(e: &format::Evidence) -> EvidenceInput {
    let source = match (&e.file, &e.sha256, &e.url, &e.note) {
        (Some(path), Some(hash), _, _) => EvidenceSource::Blob {
            hash: hash.clone(),
            file_name: Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        },
        (_, _, Some(url), _) => EvidenceSource::Link(url.trim().to_owned()),
        (_, _, _, note) => {
            EvidenceSource::Note(note.as_deref().unwrap_or_default().trim().to_owned())
        }
    };
    EvidenceInput {
        title: e.title.trim().to_owned(),
        source,
        date: e.date.clone(),
        expires: e.expires.clone(),
    }
}

/// What makes two evidence items the same for an import: the file's content, not
/// its name, so a renamed copy of the same file is not added twice.
#[derive(Debug, PartialEq, Eq)]
struct EvidenceKey {
    kind: EvidenceKind,
    title: String,
    content: String,
    date: Option<String>,
    expires: Option<String>,
}

fn file_key(e: &format::Evidence) -> EvidenceKey {
    let (kind, content) = match (&e.sha256, &e.url, &e.note) {
        (Some(hash), _, _) if e.file.is_some() => (EvidenceKind::File, hash.to_ascii_lowercase()),
        (_, Some(url), _) => (EvidenceKind::Link, url.trim().to_owned()),
        (_, _, note) => (
            EvidenceKind::Note,
            note.as_deref().unwrap_or_default().trim().to_owned(),
        ),
    };
    EvidenceKey {
        kind,
        title: e.title.trim().to_owned(),
        content,
        date: e.date.clone(),
        expires: e.expires.clone(),
    }
}

fn stored_key(e: &wb::Evidence) -> EvidenceKey {
    let content = match e.kind {
        EvidenceKind::File => e.blob_hash.clone(),
        EvidenceKind::Link => e.url.clone(),
        EvidenceKind::Note => e.note.clone(),
    };
    EvidenceKey {
        kind: e.kind,
        title: e.title.clone(),
        content: content.unwrap_or_default(),
        date: e.date.clone(),
        expires: e.expires.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::ProductFile;

    #[test]
    fn framework_order_does_not_make_a_new_assessment() {
        let a = vec![
            "uk-cop-2018".to_owned(),
            "etsi-en-303-645-v2.1.1".to_owned(),
        ];
        let b = vec![
            "etsi-en-303-645-v2.1.1".to_owned(),
            "uk-cop-2018".to_owned(),
        ];
        assert!(same_frameworks(&a, &b));
        assert!(!same_frameworks(&a, &b[..1]));
    }

    /// Another process imports the same product between this import's plan and
    /// its write: the stale plan must write nothing, and planning again must find
    /// the product rather than create a second one.
    #[test]
    fn a_plan_made_stale_by_another_writer_is_not_applied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.canary");
        let cat = Catalogue::embedded().unwrap();
        let example =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/smart-plug/product.yaml");
        let checked = read_product_file(&example, &cat).unwrap();
        let mut wb = Workbook::create(&path).unwrap();
        wb.set_actor(Some("Ada".into()));

        let seen = wb.trail_head().unwrap();
        let stale = plan(&wb, &checked).unwrap();
        let mut other = Workbook::open(&path).unwrap();
        other.set_actor(Some("Bob".into()));
        assert!(
            import_checked(&mut other, &cat, &checked)
                .unwrap()
                .product_created
        );
        let head = wb.trail_head().unwrap();

        assert_eq!(apply(&mut wb, &cat, &checked, stale, &seen).unwrap(), None);
        assert_eq!(
            wb.trail_head().unwrap(),
            head,
            "the stale plan wrote something"
        );
        let again = import_checked(&mut wb, &cat, &checked).unwrap();
        assert!(!again.changed(), "{again:?}");
        assert_eq!(wb.products().unwrap().len(), 1);
    }

    #[test]
    fn products_are_normalised_as_stored() {
        let p: ProductFile = serde_norway::from_str(
            "canary: 1\nproduct: {name: ' A ', model: M, manufacturer: {name: X}, roles: [DM, ' MAD ']}\nframeworks: [x]\n",
        )
        .unwrap();
        let input = product_input(&p.product);
        assert_eq!(input.name, "A");
        assert_eq!(input.roles, vec!["DM", "MAD"]);
        assert_eq!(input.batch, "");
    }
}
