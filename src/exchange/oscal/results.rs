//! A product's latest assessment as OSCAL assessment-results: one result, a
//! finding per requirement, an observation per evidence item, reviewer verdicts
//! and the sign-off in the assessment log, and parties for the manufacturer,
//! the team and the reviewers.
//!
//! Every UUID is derived from workbook ids and every date is a stored one, so
//! exporting the same assessment twice gives the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::catalog::catalog_uuid;
use super::common::{
    props, Address, BackMatter, Hash, Metadata, Party, Prop, Resource, ResponsibleParty, Rlink,
    Role,
};
use super::ids::{control_id, date_time, line, statement_id, uri_ref, uuid_of};
use crate::catalogue::Catalogue;
use crate::workbook::{Evidence, EvidenceKind, ProductPage, RequirementRow, Status, Workbook};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResultsDocument {
    pub assessment_results: AssessmentResults,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentResults {
    pub uuid: String,
    pub metadata: Metadata,
    pub import_ap: ImportAp,
    pub results: Vec<AssessmentResult>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportAp {
    pub href: String,
    pub remarks: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentResult {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub props: Vec<Prop>,
    pub reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment_log: Option<AssessmentLog>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReviewedControls {
    pub control_selections: Vec<ControlSelection>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ControlSelection {
    pub description: String,
    pub include_controls: Vec<ControlRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ControlRef {
    pub control_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentLog {
    pub entries: Vec<LogEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LogEntry {
    pub uuid: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub start: String,
    pub props: Vec<Prop>,
    pub logged_by: Vec<LoggedBy>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LoggedBy {
    pub party_uuid: String,
    pub role_id: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Observation {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub props: Vec<Prop>,
    pub methods: Vec<&'static str>,
    pub types: Vec<&'static str>,
    pub origins: Vec<Origin>,
    pub relevant_evidence: Vec<RelevantEvidence>,
    pub collected: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    pub actors: Vec<Actor>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Actor {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub actor_uuid: String,
    pub role_id: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelevantEvidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Finding {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub props: Vec<Prop>,
    pub target: Target,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Target {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub target_id: String,
    pub status: ObjectiveStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveStatus {
    pub state: &'static str,
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedObservation {
    pub observation_uuid: String,
}

/// OSCAL's two objective states from Canary's five statuses: met is satisfied
/// (pass); not applicable asks nothing of the product, so it is satisfied for
/// another reason; partially or not met fail; not assessed is not (yet)
/// satisfied. Canary's own status travels beside it as the `status` prop.
pub fn objective_status(status: Status) -> ObjectiveStatus {
    let (state, reason) = match status {
        Status::Met => ("satisfied", "pass"),
        Status::NotApplicable => ("satisfied", "other"),
        Status::PartiallyMet | Status::NotMet => ("not-satisfied", "fail"),
        Status::NotAssessed => ("not-satisfied", "other"),
    };
    ObjectiveStatus { state, reason }
}

const MANUFACTURER: &str = "manufacturer";
const TEAM: &str = "assessment-team";
const REVIEWER: &str = "reviewer";
const SIGNATORY: &str = "signatory";

/// Parties (by UUID) and who holds each role; a name is one party per kind.
#[derive(Default)]
struct Parties {
    parties: BTreeMap<String, Party>,
    roles: BTreeMap<&'static str, Vec<String>>,
}

impl Parties {
    fn add(&mut self, role: &'static str, kind: &'static str, name: &str) -> Option<String> {
        let name = line(name)?;
        let uuid = uuid_of(&format!("party/{kind}/{name}"));
        self.parties.entry(uuid.clone()).or_insert_with(|| Party {
            uuid: uuid.clone(),
            kind,
            name,
            addresses: Vec::new(),
        });
        let holders = self.roles.entry(role).or_default();
        if !holders.contains(&uuid) {
            holders.push(uuid.clone());
        }
        Some(uuid)
    }
}

/// `product`'s latest assessment as OSCAL assessment-results.
pub fn assessment_results(
    workbook: &Workbook,
    cat: &Catalogue,
    product: i64,
) -> Result<ResultsDocument, crate::workbook::WorkbookError> {
    let page = workbook.product_page(cat, product, None)?;
    Ok(build(cat, &page))
}

fn build(cat: &Catalogue, page: &ProductPage) -> ResultsDocument {
    let p = &page.product;
    let a = &page.assessment;
    let scope = format!("product/{}/assessment/{}", p.id, a.id);
    let mut parties = Parties::default();
    let manufacturer = parties.add(MANUFACTURER, "organization", &p.info.manufacturer.name);
    if let Some(party) = manufacturer.and_then(|uuid| parties.parties.get_mut(&uuid)) {
        let lines: Vec<String> = p
            .info
            .manufacturer
            .address
            .lines()
            .filter_map(line)
            .collect();
        if !lines.is_empty() {
            party.addresses = vec![Address { addr_lines: lines }];
        }
    }

    let mut stamps = vec![a.updated_at.clone()];
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    let mut log = Vec::new();
    let mut blobs: BTreeMap<String, Resource> = BTreeMap::new();
    for row in &page.requirements {
        let related: Vec<RelatedObservation> = row
            .evidence
            .iter()
            .map(|e| {
                stamps.push(e.added_at.clone());
                let team = parties.add(TEAM, "person", &e.added_by);
                let o = observation(&scope, row, e, team, &mut blobs);
                let r = RelatedObservation {
                    observation_uuid: o.uuid.clone(),
                };
                observations.push(o);
                r
            })
            .collect();
        if let Some(r) = &row.response {
            stamps.push(r.updated_at.clone());
            parties.add(TEAM, "person", &r.owner);
        }
        if let Some(v) = &row.review {
            stamps.push(v.reviewed_at.clone());
            if let Some(reviewer) = parties.add(REVIEWER, "person", &v.reviewer) {
                log.push(LogEntry {
                    uuid: uuid_of(&format!("{scope}/review/{}", row.requirement)),
                    title: format!("Review of {}: {}", row.requirement, v.verdict.as_str()),
                    description: Some(v.comment.clone()).filter(|c| !c.trim().is_empty()),
                    start: v.reviewed_at.clone(),
                    props: props([
                        ("requirement", row.requirement.as_str()),
                        ("verdict", v.verdict.as_str()),
                    ]),
                    logged_by: vec![LoggedBy {
                        party_uuid: reviewer,
                        role_id: REVIEWER,
                    }],
                });
            }
        }
        findings.push(finding(&scope, row, related));
    }
    if let Some(s) = &a.signoff {
        stamps.push(s.signed_at.clone());
        if let Some(signatory) = parties.add(SIGNATORY, "person", &s.signatory) {
            log.push(LogEntry {
                uuid: uuid_of(&format!("{scope}/signoff")),
                title: format!("Signed by {}", line(&s.signatory).unwrap_or_default()),
                description: line(&format!("{}, {}, {}", s.function, s.place, s.date)),
                start: s.signed_at.clone(),
                props: props([
                    ("function", s.function.as_str()),
                    ("place", &s.place),
                    ("date", &s.date),
                ]),
                logged_by: vec![LoggedBy {
                    party_uuid: signatory,
                    role_id: SIGNATORY,
                }],
            });
        }
    }

    let title = format!("{} {} — {}", p.info.name, p.info.model, a.label);
    let last_modified = stamps.into_iter().max().unwrap_or_default();
    let mut metadata = Metadata::new(
        &format!("Canary assessment: {title}"),
        last_modified,
        &a.label,
    );
    metadata.props = props([
        ("product", p.info.name.as_str()),
        ("model", &p.info.model),
        ("product-type", &p.info.product_type),
        ("batch", &p.info.batch),
        (
            "support-period-end",
            p.info.support_end.as_deref().unwrap_or(""),
        ),
        ("catalogue-digest", cat.digest()),
    ]);
    let role_title = |id: &str| match id {
        MANUFACTURER => "Manufacturer",
        TEAM => "Assessment team",
        REVIEWER => "Reviewer",
        _ => "Signatory",
    };
    metadata.roles = parties
        .roles
        .keys()
        .map(|&id| Role {
            id,
            title: role_title(id),
        })
        .collect();
    metadata.responsible_parties = parties
        .roles
        .iter()
        .map(|(&role_id, uuids)| ResponsibleParty {
            role_id,
            party_uuids: uuids.clone(),
        })
        .collect();
    metadata.parties = parties.parties.into_values().collect();

    let plan = uuid_of(&format!("{scope}/plan"));
    let mut resources = vec![Resource {
        uuid: plan.clone(),
        title: line(&format!("Canary assessment {}", a.label)).unwrap_or_default(),
        description: Some(format!(
            "Canary keeps no separate assessment plan: the assessment covers every requirement of {}.",
            a.frameworks.join(", ")
        )),
        props: Vec::new(),
        rlinks: Vec::new(),
    }];
    for f in &a.frameworks {
        if let Some(fw) = cat.framework(f) {
            resources.push(Resource {
                uuid: catalog_uuid(fw),
                title: line(&fw.title).unwrap_or_else(|| fw.id.clone()),
                description: Some(format!(
                    "The framework as an OSCAL catalog: canary catalog export --format oscal-catalog --framework {}",
                    fw.id
                )),
                props: props([("framework", fw.id.as_str())]),
                rlinks: Vec::new(),
            });
        }
    }
    resources.extend(blobs.into_values());

    let controls = page
        .requirements
        .iter()
        .map(|r| ControlRef {
            control_id: control_id(&r.framework, &r.reference),
        })
        .collect();
    ResultsDocument {
        assessment_results: AssessmentResults {
            uuid: uuid_of(&format!("{scope}/assessment-results")),
            metadata,
            import_ap: ImportAp {
                href: format!("#{plan}"),
                remarks: "The plan is the Canary assessment described in the back matter.".into(),
            },
            results: vec![AssessmentResult {
                uuid: uuid_of(&format!("{scope}/result")),
                title: line(&title).unwrap_or_default(),
                description: format!(
                    "Canary assessment \"{}\" of {} against {}.",
                    a.label,
                    p.info.name,
                    a.frameworks.join(", ")
                ),
                start: a.created_at.clone(),
                end: a.signoff.as_ref().map(|s| s.signed_at.clone()),
                props: props([
                    ("assessment-label", a.label.as_str()),
                    ("assessment-state", a.state.as_str()),
                    ("signed", if a.is_signed() { "true" } else { "false" }),
                ]),
                reviewed_controls: ReviewedControls {
                    control_selections: vec![ControlSelection {
                        description: "Every requirement of the assessment's frameworks.".into(),
                        include_controls: controls,
                    }],
                },
                assessment_log: (!log.is_empty()).then_some(AssessmentLog { entries: log }),
                observations,
                findings,
            }],
            back_matter: BackMatter { resources },
        },
    }
}

fn finding(scope: &str, row: &RequirementRow, related: Vec<RelatedObservation>) -> Finding {
    let response = row.response.as_ref();
    let statement = response.map(|r| r.statement.as_str()).unwrap_or("");
    let justification = response.map(|r| r.justification.as_str()).unwrap_or("");
    let review = row.review.as_ref();
    Finding {
        uuid: uuid_of(&format!("{scope}/finding/{}", row.requirement)),
        title: line(&format!("{} {}", row.requirement, row.title)).unwrap_or_default(),
        description: if statement.trim().is_empty() {
            "No statement recorded.".into()
        } else {
            statement.to_owned()
        },
        props: props([
            ("requirement", row.requirement.as_str()),
            ("status", row.status.as_str()),
            ("owner", response.map(|r| r.owner.as_str()).unwrap_or("")),
            (
                "review-verdict",
                review.map(|v| v.verdict.as_str()).unwrap_or(""),
            ),
            (
                "reviewer",
                review.map(|v| v.reviewer.as_str()).unwrap_or(""),
            ),
        ]),
        target: Target {
            kind: "statement-id",
            target_id: statement_id(&control_id(&row.framework, &row.reference)),
            status: objective_status(row.status),
        },
        related_observations: related,
        remarks: (!justification.trim().is_empty()).then(|| justification.to_owned()),
    }
}

fn observation(
    scope: &str,
    row: &RequirementRow,
    e: &Evidence,
    added_by: Option<String>,
    blobs: &mut BTreeMap<String, Resource>,
) -> Observation {
    let title = line(&e.title).unwrap_or_else(|| format!("Evidence {}", e.id));
    let evidence = match e.kind {
        EvidenceKind::File => {
            let hash = e.blob_hash.clone().unwrap_or_default();
            let name = e.file_name.clone().unwrap_or_default();
            let uuid = uuid_of(&format!("blob/{hash}"));
            blobs.entry(hash.clone()).or_insert_with(|| Resource {
                uuid: uuid.clone(),
                title: line(&name).unwrap_or_else(|| hash.clone()),
                description: None,
                props: props([("file-name", name.as_str())]),
                rlinks: vec![Rlink {
                    href: uri_ref(&name),
                    media_type: e.media_type.as_deref().and_then(line),
                    hashes: vec![Hash {
                        algorithm: "SHA-256",
                        value: hash.clone(),
                    }],
                }],
            });
            RelevantEvidence {
                href: Some(format!("#{uuid}")),
                description: title.clone(),
                props: props([("file-name", name.as_str()), ("sha256", &hash)]),
            }
        }
        EvidenceKind::Link => RelevantEvidence {
            href: e.url.as_deref().map(uri_ref).filter(|u| !u.is_empty()),
            description: title.clone(),
            props: Vec::new(),
        },
        EvidenceKind::Note => RelevantEvidence {
            href: None,
            description: e.note.clone().unwrap_or_else(|| title.clone()),
            props: Vec::new(),
        },
    };
    Observation {
        uuid: uuid_of(&format!("{scope}/evidence/{}", e.id)),
        description: format!("Evidence for {}: {title}", row.requirement),
        title,
        props: props([
            ("requirement", row.requirement.as_str()),
            ("evidence-kind", e.kind.as_str()),
            ("evidence-date", e.date.as_deref().unwrap_or("")),
        ]),
        methods: vec!["EXAMINE"],
        types: vec!["finding"],
        origins: added_by
            .map(|uuid| Origin {
                actors: vec![Actor {
                    kind: "party",
                    actor_uuid: uuid,
                    role_id: TEAM,
                }],
            })
            .into_iter()
            .collect(),
        relevant_evidence: vec![evidence],
        collected: e.added_at.clone(),
        expires: e.expires.as_deref().and_then(date_time),
    }
}
