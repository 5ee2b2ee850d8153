//! The thin bridge from the workbook's read model to what reports are made from.

use super::data::{
    ApprovalOverride, Assessment, Evidence, Manufacturer, Product, ProductRecord, Response, Review,
    Signoff, Status,
};
use crate::workbook::{self, ProductPage, Workbook};

impl ProductRecord {
    /// The record of `page` (one product and assessment), stamped with `trail_head`.
    ///
    /// A signed assessment is a fixed document: its record carries the trail head
    /// and the product details stored with the sign-off, not the current ones.
    pub fn from_page(page: &ProductPage, trail_head: String) -> Self {
        let a = &page.assessment;
        let signed = a.signoff.as_ref();
        let p = signed
            .and_then(|s| s.product.as_ref())
            .unwrap_or(&page.product);
        let trail_head = signed
            .and_then(|s| s.trail_head.clone())
            .unwrap_or(trail_head);
        let info = &p.info;
        ProductRecord {
            product: Product {
                id: p.id.to_string(),
                name: info.name.clone(),
                model: filled(&info.model),
                product_type: filled(&info.product_type),
                batch: filled(&info.batch),
                manufacturer: Manufacturer {
                    name: info.manufacturer.name.clone(),
                    address: filled(&info.manufacturer.address),
                },
                support_period_end: info.support_end.clone(),
                cra: info.cra.clone(),
                labels: info.labels.clone(),
            },
            assessment: Assessment {
                id: a.id.to_string(),
                title: a.label.clone(),
                state: a.state.as_str().to_owned(),
                frameworks: a.frameworks.clone(),
                approval_override: a.approval_override.as_ref().map(|o| ApprovalOverride {
                    reason: o.reason.clone(),
                    by: o.by.clone(),
                    date: o.at.get(..10).unwrap_or(&o.at).to_owned(),
                }),
            },
            responses: page
                .requirements
                .iter()
                .filter(|r| r.response.is_some() || !r.evidence.is_empty() || r.review.is_some())
                .map(|r| Response {
                    requirement: r.requirement.clone(),
                    status: status(r.status),
                    statement: r.response.as_ref().and_then(|x| filled(&x.statement)),
                    justification: r.response.as_ref().and_then(|x| filled(&x.justification)),
                    evidence: r
                        .evidence
                        .iter()
                        .map(|e| Evidence {
                            title: e.title.clone(),
                            kind: e.kind.as_str().to_owned(),
                            file_name: e.file_name.clone().or_else(|| e.url.clone()),
                            sha256: e.blob_hash.clone(),
                            date: e.date.clone(),
                            expires: e.expires.clone(),
                            note: e.note.clone().filter(|n| !n.trim().is_empty()),
                        })
                        .collect(),
                    review: r.review.as_ref().map(|v| Review {
                        verdict: v.verdict.as_str().replace('_', " "),
                        reviewer: filled(&v.reviewer),
                        comment: filled(&v.comment),
                        date: v.reviewed_at.get(..10).map(str::to_owned),
                    }),
                })
                .collect(),
            signoff: a.signoff.as_ref().map(|s| Signoff {
                signatory: s.signatory.clone(),
                function: s.function.clone(),
                place: s.place.clone(),
                date: s.date.clone(),
                signature: None,
            }),
            trail_head,
            signers: Vec::new(),
        }
    }

    /// The record of `page` as [`ProductRecord::from_page`] makes it, with the
    /// sign-off's signature and the signers' public keys from the trail.
    pub fn from_workbook(
        wb: &Workbook,
        page: &ProductPage,
    ) -> Result<Self, workbook::WorkbookError> {
        let mut record = Self::from_page(page, wb.trail_head()?);
        let id = page.assessment.id;
        if let Some(s) = record.signoff.as_mut() {
            s.signature = wb.signoff_act(id)?;
        }
        record.signers = wb.signers(id)?;
        Ok(record)
    }

    /// Reads `product` (id, model or name) and its assessment (default: latest).
    pub fn read(
        wb: &Workbook,
        catalogue: &crate::catalogue::Catalogue,
        product: &str,
        assessment: Option<i64>,
    ) -> Result<Self, workbook::WorkbookError> {
        let p = wb.find_product(product)?;
        let page = wb.product_page(catalogue, p.id, assessment)?;
        Self::from_workbook(wb, &page)
    }
}

fn filled(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn status(s: workbook::Status) -> Status {
    match s {
        workbook::Status::NotAssessed => Status::NotAssessed,
        workbook::Status::Met => Status::Met,
        workbook::Status::PartiallyMet => Status::PartiallyMet,
        workbook::Status::NotMet => Status::NotMet,
        workbook::Status::NotApplicable => Status::NotApplicable,
    }
}
