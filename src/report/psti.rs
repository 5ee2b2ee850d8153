//! The UK PSTI statement of compliance: exactly the items the `uk-psti-2023`
//! framework's `statement_of_compliance` lists, filled from the product record, and
//! for each security requirement how compliance is shown (deemed-compliance route).
//!
//! PSTI as amended (SI 2025/1267): a label the product holds that is current on the
//! date of issue is a compliance route (the framework's `compliance_routes`); an
//! expired label, or one at a level no route names, is listed and not relied on.

use serde_json::{json, Value};

use super::data::{ProductRecord, Status};
use super::engine::{Rendered, Stage};
use super::{clock, MissingField, ReportError};
use crate::catalogue::{
    requirement_id, Catalogue, ComplianceRoute, Framework, Relationship, RouteKind, Verification,
};
use crate::workbook::ProductLabel as Label;

const TEMPLATE: &str = include_str!("templates/psti.typ");
pub const PSTI: &str = "uk-psti-2023";
/// The mapping set that holds Schedule 2's deemed-compliance routes.
pub const ROUTES: &str = "psti-to-en303645";

/// Renders the statement, or refuses with every value that is missing.
pub fn psti_statement(
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
    progress: &dyn Fn(Stage),
) -> Result<Rendered, ReportError> {
    super::render_product(
        "psti-statement",
        TEMPLATE,
        statement_data,
        catalogue,
        record,
        generated_at,
        progress,
    )
}

pub(crate) fn statement_data(
    catalogue: &Catalogue,
    record: &ProductRecord,
    generated_at: i64,
) -> Result<Value, ReportError> {
    let fw = super::framework(catalogue, PSTI)?;
    let fields = field_values(record, &clock::date(generated_at));
    // Labels count when current on the date of issue (the sign-off's date).
    let issued = record
        .signoff
        .as_ref()
        .map_or_else(|| clock::date(generated_at), |s| s.date.clone());
    let (labels, used) = judge_labels(catalogue, fw, &record.product.labels, &issued);
    let mut missing = Vec::new();
    let mut items = Vec::new();
    for item in &fw.statement_of_compliance {
        let value = if item.field.starts_with("declaration") {
            match &item.wording {
                Some(w) => fill(w, &fields)
                    .map_err(|field| format!("its wording needs `{field}`, which is empty")),
                None => Err("the catalogue gives no wording for this declaration".to_owned()),
            }
        } else {
            match lookup(&fields, &item.field) {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                Some(_) => Err("empty in the workbook".to_owned()),
                None => Err("Canary holds no value for this field".to_owned()),
            }
        };
        match value {
            Ok(v) => items.push(json!({ "id": item.id, "label": item.label, "value": v })),
            Err(reason) => missing.push(MissingField {
                item: item.id.clone(),
                label: item.label.clone(),
                field: item.field.clone(),
                reason,
            }),
        }
    }
    if record.signoff.is_none()
        && !fw
            .statement_of_compliance
            .iter()
            .any(|i| i.field.starts_with("signoff"))
    {
        missing.push(MissingField {
            item: "signoff".to_owned(),
            label: "Sign-off".to_owned(),
            field: "signoff".to_owned(),
            reason: "the product has not been signed off".to_owned(),
        });
    }

    let mut requirements = Vec::new();
    for req in &fw.requirements {
        let id = requirement_id(fw, req);
        let status = record.status(&id);
        let routes = routes(catalogue, &id, record);
        let chosen = routes.iter().find(|r| r["satisfied"] == true).cloned();
        let by_label = used.iter().find(|u| {
            u.route.kind == RouteKind::DeemedCompliance && u.route.covers.contains(&req.reference)
        });
        let basis = if by_label.is_some() {
            "label"
        } else if chosen.is_some() {
            "deemed"
        } else if status == Status::Met {
            "own"
        } else {
            missing.push(MissingField {
                item: id.clone(),
                label: format!("{} {} {}", fw.short_title, req.reference, req.title),
                field: format!("responses[{id}]"),
                reason: format!(
                    "the response is {} and no deemed-compliance route is met; the declaration of compliance needs one",
                    status.as_str()
                ),
            });
            "none"
        };
        requirements.push(json!({
            "id": id,
            "ref": req.reference,
            "title": req.title,
            "status": status,
            "basis": basis,
            "label_route": by_label.map(LabelRoute::json),
            "route": chosen,
            "routes": routes,
        }));
    }
    if !missing.is_empty() {
        return Err(ReportError::Incomplete(missing));
    }
    Ok(json!({
        "product": record.product,
        "framework": framework_json(fw),
        "items": items,
        "unverified_items": fw.statement_of_compliance.iter().any(|i| i.verification != crate::catalogue::Verification::Verified),
        "requirements": requirements,
        "compliance_route": compliance_route(fw, &used),
        "labels": labels,
        "issued": issued,
        "signoff": record.signoff,
        "approval_override": record.assessment.approval_override,
        // The attestation of the same assessment made at this trail head holds the
        // responses and evidence this statement rests on.
        "attestation": {
            "assessment": record.assessment.title,
            "trail_head": record.trail_head,
            "date": clock::date(generated_at),
        },
        "trail_head": record.trail_head,
        "catalogue_digest": catalogue.digest(),
        "generated": clock::date(generated_at),
        "generated_at": clock::datetime(generated_at),
    }))
}

/// A route a current label satisfies, with the route's wording filled from the label.
struct LabelRoute<'a> {
    route: &'a ComplianceRoute,
    text: String,
}

impl LabelRoute<'_> {
    fn json(&self) -> Value {
        json!({
            "id": self.route.id,
            "title": self.route.title,
            "provision": self.route.provision,
            "text": self.text,
            "verified": self.route.verification == Verification::Verified,
        })
    }
}

/// Whether `route` names `label`'s scheme at its level (no levels: any level).
fn accepts(route: &ComplianceRoute, label: &Label) -> bool {
    route.labels.iter().any(|c| {
        c.scheme == label.scheme && (c.levels.is_empty() || c.levels.contains(&label.level))
    })
}

/// Each recorded label judged on `issued`: current labels give the routes that
/// name them; expired ones and ones no route names are listed with why they are
/// not relied on.
fn judge_labels<'a>(
    catalogue: &Catalogue,
    fw: &'a Framework,
    labels: &[Label],
    issued: &str,
) -> (Vec<Value>, Vec<LabelRoute<'a>>) {
    let mut shown = Vec::new();
    let mut used = Vec::new();
    for l in labels {
        let scheme = catalogue
            .labelling_scheme(&l.scheme)
            .map_or(l.scheme.as_str(), |s| s.short_name.as_str());
        let named = format!("{scheme} {} label {}", l.level, l.label_id);
        let routes: Vec<&ComplianceRoute> = fw
            .compliance_routes
            .iter()
            .filter(|r| accepts(r, l))
            .collect();
        let (standing, note) = if routes.is_empty() {
            (
                "not_a_route",
                format!(
                    "The {named} (valid until {}) is not a label any compliance route names, so it is not relied on.",
                    l.expiry
                ),
            )
        } else if issued > l.expiry.as_str() {
            (
                "expired",
                format!(
                    "The {named} expired on {}, before the date of issue ({issued}). An expired label is not a compliance route and is not relied on.",
                    l.expiry
                ),
            )
        } else {
            for route in routes {
                let text = route.wording.as_deref().unwrap_or(&route.text);
                let text = text
                    .replace("{scheme}", scheme)
                    .replace("{level}", &l.level)
                    .replace("{label_id}", &l.label_id)
                    .replace("{expiry}", &l.expiry);
                used.push(LabelRoute { route, text });
            }
            (
                "current",
                format!(
                    "The {named} is current on the date of issue (valid until {}).",
                    l.expiry
                ),
            )
        };
        shown.push(json!({
            "scheme": l.scheme,
            "scheme_name": scheme,
            "level": l.level,
            "label_id": l.label_id,
            "expiry": l.expiry,
            "standing": standing,
            "note": note,
        }));
    }
    (shown, used)
}

/// The route the statement declares: deemed compliance through a current label
/// (and the regulation 4A statement route it brings), else the standard route.
fn compliance_route(fw: &Framework, used: &[LabelRoute<'_>]) -> Value {
    let first = |kind: RouteKind| {
        used.iter()
            .find(|u| u.route.kind == kind)
            .map(LabelRoute::json)
    };
    let deemed = first(RouteKind::DeemedCompliance);
    let standard = fw
        .compliance_routes
        .iter()
        .find(|r| r.kind == RouteKind::DeemedCompliance && r.labels.is_empty());
    json!({
        "kind": if deemed.is_some() { "label" } else { "standard" },
        "deemed": deemed,
        "statement": first(RouteKind::StatementOfCompliance),
        "standard": standard.map(|r| json!({ "title": r.title, "provision": r.provision })),
        "partially_verified": fw.compliance_routes.iter().any(|r| r.verification != Verification::Verified),
    })
}

fn framework_json(fw: &Framework) -> Value {
    json!({ "id": fw.id, "title": fw.title, "short": fw.short_title, "version": fw.version, "attribution": fw.attribution })
}

/// The values statement items may name, under the names the catalogue uses.
fn field_values(record: &ProductRecord, generated: &str) -> Value {
    let p = &record.product;
    let issued = record
        .signoff
        .as_ref()
        .map_or_else(|| generated.to_owned(), |s| s.date.clone());
    let m = &p.manufacturer;
    let manufacturer = json!({ "name": m.name, "address": m.address });
    let signoff = record.signoff.as_ref().map(|s| {
        json!({
            "signatory": s.signatory,
            "name": s.signatory,
            "function": s.function,
            "place": s.place,
            "date": s.date,
            "signature": format!(
                "Sign-off by {} ({}) recorded in the Canary workbook on {}, at trail head {}. \
                 It is an entry in the workbook's hash-chained record of changes, not a \
                 handwritten or cryptographic signature.",
                s.signatory, s.function, s.date, record.trail_head
            ),
        })
    });
    json!({
        "product": {
            "id": p.id,
            "name": p.name,
            "model": p.model,
            "type": p.product_type,
            "batch": p.batch,
            "support_period_end": p.support_period_end,
            "manufacturer": manufacturer,
        },
        "manufacturer": manufacturer,
        "support_period": {
            "end": p.support_period_end,
            "statement": p.support_period_end.as_deref().map(|end| support_period(end, &issued)),
        },
        "signoff": signoff.unwrap_or_else(|| json!({
            "signatory": null, "name": null, "function": null, "place": null, "date": null, "signature": null
        })),
    })
}

/// The defined support period as a period with its end date, counted from the date
/// of issue: "5 years 6 months, until 2030-12-31 (from the date of issue, 2025-06-30)".
fn support_period(end: &str, issued: &str) -> String {
    let ymd = |s: &str| -> Option<(i64, i64, i64)> {
        let mut it = s.get(..10)?.split('-').map(|x| x.parse::<i64>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    };
    let (Some((ey, em, ed)), Some((iy, im, id))) = (ymd(end), ymd(issued)) else {
        return format!("until {end}");
    };
    let months = (ey - iy) * 12 + (em - im) - i64::from(ed < id);
    if months < 0 {
        return format!("ended on {end} (before the date of issue, {issued})");
    }
    let unit = |n: i64, one: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {one}s")),
    };
    let period = [unit(months / 12, "year"), unit(months % 12, "month")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let period = if period.is_empty() {
        "less than a month".to_owned()
    } else {
        period
    };
    format!("{period}, until {end} (from the date of issue, {issued})")
}

fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, key| v.get(key))
}

/// Fills `{manufacturer}`, `{product}` and `{a.b}` placeholders; `Err(field)` names
/// the first placeholder with no value.
fn fill(wording: &str, fields: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = wording;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        let path = match name {
            "manufacturer" => "manufacturer.name",
            "product" => "product.name",
            other => other,
        };
        match lookup(fields, path) {
            Some(Value::String(s)) if !s.trim().is_empty() => out.push_str(s),
            _ => return Err(path.to_owned()),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Deemed-compliance routes for one PSTI requirement, one per target framework or
/// document; a route is satisfied when one of its rows is sufficient (subset-of or
/// equal), every provision in it is met or not applicable and at least one is met. Document routes (ISO/IEC 29147) cannot be
/// checked in the workbook and are listed, not claimed.
fn routes(catalogue: &Catalogue, id: &str, record: &ProductRecord) -> Vec<Value> {
    struct Route {
        key: String,
        label: String,
        targets: Vec<Value>,
        statuses: Vec<Status>,
        checkable: bool,
        /// Some row says meeting the target suffices (the PSTI requirement is a
        /// subset of it or equal); overlaps alone never make a deemed route.
        sufficient: bool,
    }
    let mut routes: Vec<Route> = Vec::new();
    for m in catalogue
        .mappings_of(id)
        .into_iter()
        .filter(|m| m.set == ROUTES)
    {
        let (key, label, target, status) = match catalogue.requirement(&m.other) {
            Some((fw, req)) => (
                fw.id.clone(),
                format!(
                    "{} {} {}",
                    abbreviation(&fw.publisher),
                    fw.short_title,
                    fw.version
                ),
                req.reference.clone(),
                Some(record.status(&m.other)),
            ),
            None => {
                let label = catalogue
                    .document(&m.other)
                    .map_or_else(|| m.other.clone(), |d| d.title.clone());
                (
                    m.other.clone(),
                    label,
                    m.locator.clone().unwrap_or_default(),
                    None,
                )
            }
        };
        let entry = json!({ "ref": target, "status": status, "relationship": m.relationship });
        let i = match routes.iter().position(|r| r.key == key) {
            Some(i) => i,
            None => {
                routes.push(Route {
                    key,
                    label,
                    targets: Vec::new(),
                    statuses: Vec::new(),
                    checkable: true,
                    sufficient: false,
                });
                routes.len() - 1
            }
        };
        let route = &mut routes[i];
        route.targets.push(entry);
        // Only a published, checked row can carry a legal claim; our own readings never do.
        route.sufficient |= matches!(m.relationship, Relationship::SubsetOf | Relationship::Equal)
            && m.source != "canary"
            && m.verification != crate::catalogue::Verification::Unverified;
        match status {
            Some(s) => route.statuses.push(s),
            None => route.checkable = false,
        }
    }
    routes
        .into_iter()
        .map(|r| {
            let satisfied = r.checkable
                && r.sufficient
                && r.statuses
                    .iter()
                    .all(|s| matches!(s, Status::Met | Status::NotApplicable))
                && r.statuses.contains(&Status::Met);
            json!({
                "key": r.key,
                "label": r.label,
                "targets": r.targets,
                "checkable": r.checkable,
                "sufficient": r.sufficient,
                "satisfied": satisfied,
            })
        })
        .collect()
}

/// `ETSI` from `European Telecommunications Standards Institute (ETSI)`.
fn abbreviation(publisher: &str) -> &str {
    publisher
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or(publisher)
}
