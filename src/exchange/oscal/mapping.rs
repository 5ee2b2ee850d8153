//! Mapping sets as an OSCAL mapping-collection: one `mapping` per set and pair
//! of ends (framework → framework, or framework → reference document), each row
//! a `map` with its NIST IR 8477 relationship, the publication that states it
//! and Canary's rationale.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::catalog::{catalog_uuid, verification_str};
use super::common::{props, BackMatter, Link, Metadata, Prop, Resource, Rlink};
use super::ids::{control_id, date_time, group_id, line, uri_ref, uuid_of};
use crate::catalogue::{Catalogue, Mapping, MappingSet, Verification};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingDocument {
    pub mapping_collection: MappingCollection,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingCollection {
    pub uuid: String,
    pub metadata: Metadata,
    pub provenance: Provenance,
    pub mappings: Vec<OscalMapping>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    pub method: &'static str,
    pub matching_rationale: &'static str,
    pub status: &'static str,
    pub mapping_description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OscalMapping {
    pub uuid: String,
    pub method: &'static str,
    pub matching_rationale: &'static str,
    pub status: &'static str,
    pub source_resource: ResourceRef,
    pub target_resource: ResourceRef,
    pub maps: Vec<Map>,
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    pub mapping_description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceRef {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Map {
    pub uuid: String,
    pub relationship: &'static str,
    pub sources: Vec<Item>,
    pub targets: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Item {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id_ref: String,
}

/// Verified content is complete; anything less is still a draft.
fn status(v: Verification) -> &'static str {
    match v {
        Verification::Verified => "complete",
        _ => "draft",
    }
}

/// The mapping sets of `cat` (only `set` when given) as a mapping-collection;
/// `None` when `set` names no mapping set.
pub fn mapping_collection(cat: &Catalogue, set: Option<&str>) -> Option<MappingDocument> {
    let sets: Vec<&MappingSet> = cat
        .mapping_sets()
        .iter()
        .filter(|s| set.is_none_or(|id| s.id == id))
        .collect();
    if sets.is_empty() {
        return None;
    }
    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    let mut mappings = Vec::new();
    for s in &sets {
        // One OSCAL mapping per pair of ends, in the order the rows first name them.
        let mut pairs: Vec<((String, String), Vec<&Mapping>)> = Vec::new();
        for m in &s.mappings {
            let key = (end_resource(&m.from), end_resource(&m.to));
            match pairs.iter_mut().find(|(k, _)| *k == key) {
                Some((_, rows)) => rows.push(m),
                None => pairs.push((key, vec![m])),
            }
        }
        for ((from, to), rows) in pairs {
            let source = resource_ref(cat, &from, &mut resources);
            let target = resource_ref(cat, &to, &mut resources);
            let mut seen = HashSet::new();
            let maps = rows
                .iter()
                .map(|m| {
                    let mut key = format!(
                        "mapping/{}/{}/{}/{}",
                        s.id,
                        m.from,
                        m.to,
                        m.locator.as_deref().unwrap_or("")
                    );
                    let mut n = 1;
                    while !seen.insert(key.clone()) {
                        n += 1;
                        key = format!("{key}#{n}");
                    }
                    Map {
                        uuid: uuid_of(&key),
                        relationship: m.relationship.as_str(),
                        sources: vec![item(cat, &m.from, None)],
                        targets: vec![item(cat, &m.to, m.locator.as_deref())],
                        props: props([
                            ("source", m.source.as_str()),
                            ("locator", m.locator.as_deref().unwrap_or("")),
                            (
                                "verification",
                                verification_str(m.verification.unwrap_or(s.verification)),
                            ),
                        ]),
                        remarks: m.rationale.clone().filter(|r| !r.trim().is_empty()),
                    }
                })
                .collect();
            mappings.push(OscalMapping {
                uuid: uuid_of(&format!("mapping/{}/{from}/{to}", s.id)),
                method: "human",
                matching_rationale: "semantic",
                status: status(s.verification),
                source_resource: source,
                target_resource: target,
                maps,
                props: props([
                    ("mapping-set", s.id.as_str()),
                    ("source", &s.source),
                    ("licence", s.licence.as_deref().unwrap_or("")),
                    ("verification", verification_str(s.verification)),
                ]),
                links: s
                    .source_url
                    .iter()
                    .map(|u| Link {
                        href: uri_ref(u),
                        rel: Some("reference"),
                        text: line(&s.source),
                    })
                    .collect(),
                mapping_description: s.note.clone().unwrap_or_else(|| s.title.clone()),
            });
        }
    }
    let all_verified = sets
        .iter()
        .all(|s| s.verification == Verification::Verified);
    let title = match set {
        Some(_) => sets[0].title.clone(),
        None => "Canary catalogue mappings".to_owned(),
    };
    // Dated by the newest framework the rows touch, so the same catalogue
    // always exports the same bytes.
    let last_modified = cat
        .frameworks()
        .iter()
        .filter(|f| resources.contains_key(&format!("framework/{}", f.id)))
        .filter_map(|f| date_time(&f.date))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut metadata = Metadata::new(&title, last_modified, &cat.digest()[..12]);
    metadata.props = props([("catalogue-digest", cat.digest())]);
    let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
    Some(MappingDocument {
        mapping_collection: MappingCollection {
            uuid: uuid_of(&format!("mapping-collection/{}/{}", ids.join(","), cat.digest())),
            metadata,
            provenance: Provenance {
                method: "human",
                matching_rationale: "semantic",
                status: if all_verified { "complete" } else { "draft" },
                mapping_description: format!(
                    "Canary's mapping sets {} between consumer IoT security frameworks, with NIST IR 8477 set-theory relationships; each row names the publication that states it.",
                    ids.join(", ")
                ),
            },
            mappings,
            back_matter: BackMatter {
                resources: resources.into_values().collect(),
            },
        },
    })
}

/// The resource one end of a row belongs to: `framework/<id>` or `document/<id>`.
fn end_resource(end: &str) -> String {
    match end.strip_prefix("doc:") {
        Some(doc) => format!("document/{doc}"),
        None => format!("framework/{}", end.split(':').next().unwrap_or(end)),
    }
}

/// A reference to the catalog (or reference document) `key`, recorded in the back matter.
fn resource_ref(
    cat: &Catalogue,
    key: &str,
    resources: &mut BTreeMap<String, Resource>,
) -> ResourceRef {
    let (kind, uuid, title, links) = match key.split_once('/') {
        Some(("framework", id)) => match cat.framework(id) {
            Some(fw) => (
                "catalog",
                catalog_uuid(fw),
                fw.title.clone(),
                vec![fw.source_url.clone()],
            ),
            None => ("catalog", uuid_of(key), id.to_owned(), Vec::new()),
        },
        _ => {
            let id = key.trim_start_matches("document/");
            match cat.document(id) {
                Some(d) => (
                    "resource",
                    uuid_of(key),
                    format!("{}: {}", d.organisation, d.title),
                    d.links.clone(),
                ),
                None => ("resource", uuid_of(key), id.to_owned(), Vec::new()),
            }
        }
    };
    resources.entry(key.to_owned()).or_insert_with(|| Resource {
        uuid: uuid.clone(),
        title: line(&title).unwrap_or_else(|| key.to_owned()),
        description: None,
        props: Vec::new(),
        rlinks: links
            .iter()
            .map(|l| Rlink {
                href: uri_ref(l),
                media_type: None,
                hashes: Vec::new(),
            })
            .collect(),
    });
    ResourceRef {
        kind,
        href: format!("#{uuid}"),
    }
}

/// A row's end as a mapping item: the control or group id in its catalog, or
/// for a reference document the locator inside it (else the document's id).
fn item(cat: &Catalogue, end: &str, locator: Option<&str>) -> Item {
    let id_ref = if let Some(doc) = end.strip_prefix("doc:") {
        line(locator.unwrap_or(doc)).unwrap_or_else(|| doc.to_owned())
    } else if let Some((fw, r)) = cat.requirement(end) {
        control_id(&fw.id, &r.reference)
    } else {
        let (fw, reference) = end.split_once(':').unwrap_or((end, ""));
        group_id(fw, reference)
    };
    Item {
        kind: "control",
        id_ref,
    }
}
