//! The EU declaration of conformity (CRA Annex V) with the simplified declaration
//! (Annex VI): exactly the items the `eu-cra-2024` framework lists, filled from a
//! signed assessment that covers the framework, or refused with everything missing.

use serde_json::{json, Value};

use super::data::{ProductRecord, Status};
use super::engine::{Rendered, Stage};
use super::{clock, MissingField, ReportError};
use crate::catalogue::{requirement_id, Catalogue, Declaration, DeclarationItem, Framework};

const TEMPLATE: &str = include_str!("templates/cra-doc.typ");
pub const CRA: &str = "eu-cra-2024";

/// Renders the declaration, or refuses with every precondition and value missing.
pub fn cra_declaration(
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
    progress: &dyn Fn(Stage),
) -> Result<Rendered, ReportError> {
    super::render_product(
        "cra-declaration",
        TEMPLATE,
        declaration_data,
        catalogue,
        record,
        generated_at,
        progress,
    )
}

pub(crate) fn declaration_data(
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
) -> Result<Value, ReportError> {
    let fw = super::framework(catalogue, CRA)?;
    let doc = fw.declaration_of_conformity.as_ref().ok_or_else(|| {
        ReportError::MissingCatalogueEntry {
            what: "declaration of conformity in framework",
            id: CRA.to_owned(),
        }
    })?;
    let mut missing = preconditions(fw, record);
    let fields = field_values(record);
    let items: Vec<Value> = doc
        .items
        .iter()
        .map(|item| fill_item(item, &fields, &mut missing))
        .collect();
    let signature = signature(doc, &fields, &mut missing);
    if !missing.is_empty() {
        return Err(ReportError::DeclarationIncomplete(missing));
    }
    Ok(json!({
        "product": record.product,
        "title": doc.title,
        "lead_in": doc.lead_in,
        "source": doc.source,
        "verified": doc.verification == crate::catalogue::Verification::Verified,
        "items": items,
        "signature": signature,
        "simplified": simplified(fw, &fields),
        "assessment": record.assessment.title,
        "approval_override": record.assessment.approval_override,
        "trail_head": record.trail_head,
        "catalogue_digest": catalogue.digest(),
        "generated": clock::date(generated_at),
        "generated_at": clock::datetime(generated_at),
    }))
}

/// What the assessment itself must be: signed, covering the CRA, and every
/// essential requirement met (or, where the Annex says "where applicable", not
/// applicable with a justification).
fn preconditions(fw: &Framework, record: &ProductRecord) -> Vec<MissingField> {
    let mut missing = Vec::new();
    if record.signoff.is_none() {
        missing.push(MissingField {
            item: "signoff".to_owned(),
            label: "Sign-off".to_owned(),
            field: "signoff".to_owned(),
            reason: "the assessment is not signed; the declaration is made only from a signed assessment"
                .to_owned(),
        });
    }
    if !record.assessment.frameworks.iter().any(|f| f == CRA) {
        missing.push(MissingField {
            item: CRA.to_owned(),
            label: fw.short_title.clone(),
            field: "assessment.frameworks".to_owned(),
            reason: format!(
                "the assessment does not cover {CRA} ({}), so it cannot support a declaration of conformity",
                fw.title
            ),
        });
        return missing;
    }
    for req in &fw.requirements {
        let id = requirement_id(fw, req);
        let status = record.status(&id);
        // The Annex's own words decide where "not applicable" may stand: Part
        // I(2)'s items are introduced by "where applicable"; I.1 and Part II are not.
        let may_not_apply = req
            .supporting_text
            .as_deref()
            .is_some_and(|t| t.contains("where applicable"));
        let accepted = status == Status::Met || (may_not_apply && status == Status::NotApplicable);
        if !accepted {
            missing.push(MissingField {
                item: id.clone(),
                label: format!("{} {} {}", fw.short_title, req.reference, req.title),
                field: format!("responses[{id}]"),
                reason: if may_not_apply {
                    format!(
                        "the response is {}; conformity is declared only when every essential requirement is met or, where the Annex says \"where applicable\", not applicable",
                        status.as_str()
                    )
                } else {
                    format!(
                        "the response is {}; this essential requirement applies to every product and must be met",
                        status.as_str()
                    )
                },
            });
        }
    }
    missing
}

/// The values declaration items may name, under the names the catalogue uses.
fn field_values(record: &ProductRecord) -> Value {
    let p = &record.product;
    let cra = &p.cra;
    let text = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
    let designation = match &p.model {
        Some(m) => format!("{} {m}", p.name),
        None => p.name.clone(),
    };
    let until =
        p.support_period_end
            .as_deref()
            .map(|end| match crate::workbook::support_until(end) {
                Some(shown) => format!("{shown} (end of the support period: {end})"),
                None => format!("end of the support period: {end}"),
            });
    let signoff = record.signoff.as_ref().map(|s| {
        json!({
            "signatory": s.signatory,
            "function": s.function,
            "place": s.place,
            "date": s.date,
            "signature": format!(
                "Sign-off by {} ({}) recorded in the Canary workbook on {}, at trail head {}. \
                 It is an entry in the workbook's hash-chained record of changes; the PDF's \
                 detached signature, where present, is the cryptographic one.",
                s.signatory, s.function, s.date, record.trail_head
            ),
        })
    });
    json!({
        "product": {
            "name": p.name,
            "model": p.model,
            "type": p.product_type,
            "batch": p.batch,
            "designation": designation,
        },
        "manufacturer": { "name": p.manufacturer.name, "address": p.manufacturer.address },
        "cra": {
            "standards": (!cra.standards.is_empty()).then(|| cra.standards.join("\n")),
            "notified_body": text(&cra.notified_body),
            "notified_body_number": text(&cra.notified_body_number),
            "procedure": text(&cra.procedure),
            "certificate": text(&cra.certificate),
            "declaration_url": text(&cra.declaration_url),
        },
        "support_period": { "until": until },
        "signoff": signoff.unwrap_or(Value::Null),
    })
}

/// How a field is labelled on the declaration, and the `canary product edit`
/// option that sets it (`None` for what signing records).
fn describe(field: &str) -> (&'static str, Option<&'static str>) {
    match field {
        "product.name" => ("Name", Some("--name")),
        "product.model" => ("Model (type)", Some("--model")),
        "product.type" => ("Product type", Some("--type")),
        "product.batch" => ("Batch", Some("--batch")),
        "manufacturer.name" => ("Name", Some("--manufacturer")),
        "manufacturer.address" => ("Address", Some("--address")),
        "cra.standards" => ("", Some("--standard")),
        "cra.notified_body" => ("Notified body", Some("--notified-body")),
        "cra.notified_body_number" => ("Notified body number", Some("--notified-body-number")),
        "cra.procedure" => ("Conformity assessment procedure", Some("--procedure")),
        "cra.certificate" => ("Certificate", Some("--certificate")),
        "cra.declaration_url" => (
            "Internet address of the declaration",
            Some("--declaration-url"),
        ),
        "support_period.until" => ("Support period", Some("--support-end")),
        "signoff.place" => ("Place of issue", None),
        "signoff.date" => ("Date of issue", None),
        "signoff.signatory" => ("Name", None),
        "signoff.function" => ("Function", None),
        "signoff.signature" => ("Signature", None),
        _ => ("", None),
    }
}

/// Where a missing value is filled in, in the app and on the command line.
fn how_to_fill(field: &str) -> String {
    match describe(field).1 {
        Some(flag) => format!(
            "set it in the product's details (app: the product page; CLI: `canary product edit P {flag} …`)"
        ),
        None => "sign the assessment".to_owned(),
    }
}

fn filled<'a>(fields: &'a Value, field: &str) -> Option<&'a str> {
    lookup(fields, field)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn absent(item: &str, label: &str, field: &str) -> MissingField {
    MissingField {
        item: item.to_owned(),
        label: label.to_owned(),
        field: field.to_owned(),
        reason: format!("empty in the workbook; {}", how_to_fill(field)),
    }
}

fn line(field: &str, value: &str) -> Value {
    json!({ "label": describe(field).0, "value": value })
}

/// One Annex V item with its lines, or what is missing for it.
fn fill_item(item: &DeclarationItem, fields: &Value, missing: &mut Vec<MissingField>) -> Value {
    let applies = item
        .applies_when
        .as_deref()
        .is_none_or(|f| filled(fields, f).is_some());
    let mut lines = Vec::new();
    let mut statement = None;
    if !applies {
        statement.clone_from(&item.not_applicable);
    } else if let Some(w) = &item.wording {
        match fill(w, fields) {
            Ok(s) => statement = Some(s),
            Err(field) => missing.push(absent(&item.id, &item.text, &field)),
        }
    }
    for f in &item.fields {
        match filled(fields, f) {
            Some(v) => lines.push(line(f, v)),
            None if applies => missing.push(absent(&item.id, &item.text, f)),
            None => {}
        }
    }
    for f in &item.optional {
        if let Some(v) = filled(fields, f) {
            lines.push(line(f, v));
        }
    }
    json!({ "id": item.id, "text": item.text, "statement": statement, "lines": lines, "note": item.note })
}

fn signature(doc: &Declaration, fields: &Value, missing: &mut Vec<MissingField>) -> Value {
    let block = &doc.signature_block;
    let mut lines = Vec::new();
    for f in &block.fields {
        match filled(fields, f) {
            Some(v) => lines.push(line(f, v)),
            // Without a sign-off the precondition already says so, once.
            None if f.starts_with("signoff.") => {}
            None => missing.push(absent("signature", &block.text, f)),
        }
    }
    json!({ "text": block.text, "lines": lines })
}

/// Annex VI filled in, or why it cannot be: it needs the address of this
/// declaration, which is optional for the full declaration itself.
fn simplified(fw: &Framework, fields: &Value) -> Value {
    let Some(s) = &fw.simplified_declaration else {
        return Value::Null;
    };
    // Gaps are found in the template as printed, each after the one before, so a
    // value filled in (a name holding "…") is never searched for the next gap.
    let template = &s.template;
    let mut paragraphs = vec![String::new(); template.len()];
    let mut read = vec![0usize; template.len()];
    let mut gaps = Vec::new();
    for gap in &s.gaps {
        let place = template
            .iter()
            .enumerate()
            .find_map(|(i, p)| p[read[i]..].find(&gap.text).map(|at| (i, read[i] + at)));
        match (place, filled(fields, &gap.field)) {
            (Some((i, at)), Some(v)) => {
                paragraphs[i].push_str(&template[i][read[i]..at]);
                paragraphs[i].push_str(v);
                read[i] = at + gap.text.len();
            }
            // No value, or a template without the gap: not filled in, and said so.
            _ => gaps.push(json!({ "field": gap.field, "how": how_to_fill(&gap.field) })),
        }
    }
    for (i, p) in paragraphs.iter_mut().enumerate() {
        p.push_str(&template[i][read[i]..]);
    }
    json!({
        "title": s.title,
        "lead_in": s.lead_in,
        "paragraphs": if gaps.is_empty() { paragraphs } else { s.template.clone() },
        "footnotes": s.footnotes,
        "missing": gaps,
        "source": s.source,
    })
}

fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, key| v.get(key))
}

/// Fills `{manufacturer}` and `{a.b}` placeholders; `Err(field)` names the first
/// placeholder with no value.
fn fill(wording: &str, fields: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = wording;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        let path = if name == "manufacturer" {
            "manufacturer.name"
        } else {
            name
        };
        out.push_str(filled(fields, path).ok_or_else(|| path.to_owned())?);
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
