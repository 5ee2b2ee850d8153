//! A framework as an OSCAL catalog: its groups, one control per requirement
//! (NISTIR elements nested under their capability), and a statement part
//! wherever the catalogue holds the source's verbatim text (the CoP, PSTI, the
//! CRA). ETSI provisions have no text in the catalogue, so their controls carry
//! only the provision number and Canary's own-words title.

use serde::Serialize;

use super::common::{props, BackMatter, Link, Metadata, Party, Prop, Resource, Rlink};
use super::ids::{control_id, date_time, group_id, line, statement_id, uuid_of};
use crate::catalogue::{Catalogue, Framework, ObligationLevel, Requirement, Verification};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogDocument {
    pub catalog: Catalog,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Catalog {
    pub uuid: String,
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    pub back_matter: BackMatter,
}

/// OSCAL lets a group hold groups or controls, not both; no catalogue group
/// holds both today, and the schema tests would catch one that did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prose: Option<String>,
}

/// Where the catalog of a framework is referred to from other exports.
pub fn catalog_uuid(fw: &Framework) -> String {
    uuid_of(&format!("catalog/{}/{}", fw.id, fw.version))
}

pub fn verification_str(v: Verification) -> &'static str {
    match v {
        Verification::Verified => "verified",
        Verification::PartiallyVerified => "partially-verified",
        Verification::Unverified => "unverified",
    }
}

/// The framework `id` of `cat` as an OSCAL catalog; `None` if there is no such framework.
pub fn catalog(cat: &Catalogue, id: &str) -> Option<CatalogDocument> {
    let fw = cat.framework(id)?;
    let mut metadata = Metadata::new(
        &fw.title,
        date_time(&fw.date).unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
        &fw.version,
    );
    metadata.published = date_time(&fw.date);
    metadata.props = props([
        ("framework", fw.id.as_str()),
        ("short-title", &fw.short_title),
        ("verification", verification_str(fw.verification)),
        ("licence", &fw.licence),
        ("catalogue-digest", cat.digest()),
    ]);
    metadata.links = vec![Link {
        href: super::ids::uri_ref(&fw.source_url),
        rel: Some("reference"),
        text: line(&fw.publisher),
    }];
    let publisher = uuid_of(&format!("party/publisher/{}", fw.publisher));
    metadata.parties = vec![Party {
        uuid: publisher,
        kind: "organization",
        name: line(&fw.publisher).unwrap_or_else(|| fw.id.clone()),
        addresses: Vec::new(),
    }];
    let notes = fw.notes.iter().map(|n| format!("{}: {}", n.title, n.text));
    let remarks: Vec<String> = std::iter::once(fw.attribution.clone())
        .chain(fw.source_note.clone())
        .chain(notes)
        .filter(|s| !s.trim().is_empty())
        .collect();
    metadata.remarks = (!remarks.is_empty()).then(|| remarks.join("\n\n"));

    // Controls: top-level requirements, each with the requirements that refine it.
    let mut controls: Vec<(Option<String>, Control)> = Vec::new();
    for r in fw.requirements.iter().filter(|r| r.parent.is_none()) {
        controls.push((r.group.clone(), control_tree(fw, r)));
    }
    let groups = groups_under(fw, None, &mut controls);
    Some(CatalogDocument {
        catalog: Catalog {
            uuid: catalog_uuid(fw),
            metadata,
            groups,
            controls: controls.into_iter().map(|(_, c)| c).collect(),
            back_matter: BackMatter {
                resources: vec![Resource {
                    uuid: uuid_of(&format!("source/{}", fw.id)),
                    title: line(&fw.title).unwrap_or_else(|| fw.id.clone()),
                    description: line(&fw.licence),
                    props: Vec::new(),
                    rlinks: vec![Rlink {
                        href: super::ids::uri_ref(&fw.source_url),
                        media_type: None,
                        hashes: Vec::new(),
                    }],
                }],
            },
        },
    })
}

/// The groups whose parent is `parent`, each with its subgroups or the controls
/// placed in it (taken out of `controls`).
fn groups_under(
    fw: &Framework,
    parent: Option<&str>,
    controls: &mut Vec<(Option<String>, Control)>,
) -> Vec<Group> {
    fw.groups
        .iter()
        .filter(|g| g.parent.as_deref() == parent)
        .map(|g| {
            let groups = groups_under(fw, Some(&g.reference), controls);
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(controls)
                .into_iter()
                .partition(|(group, _)| group.as_deref() == Some(g.reference.as_str()));
            *controls = rest;
            Group {
                id: group_id(&fw.id, &g.reference),
                title: line(&g.title).unwrap_or_else(|| g.reference.clone()),
                props: props([("label", g.reference.as_str())]),
                groups,
                controls: mine.into_iter().map(|(_, c)| c).collect(),
            }
        })
        .collect()
}

/// `r`'s control with the requirements that refine it nested inside, at any depth.
fn control_tree(fw: &Framework, r: &Requirement) -> Control {
    let mut c = control(fw, r);
    c.controls = fw
        .requirements
        .iter()
        .filter(|child| child.parent.as_deref() == Some(r.reference.as_str()))
        .map(|child| control_tree(fw, child))
        .collect();
    c
}

fn control(fw: &Framework, r: &Requirement) -> Control {
    let id = control_id(&fw.id, &r.reference);
    let level = r.obligation.as_ref().map(|o| match o.level {
        ObligationLevel::Mandatory => "mandatory",
        ObligationLevel::Recommended => "recommended",
    });
    let condition = r.obligation.as_ref().and_then(|o| o.condition.as_deref());
    let applies_to = r.applies_to.join(" ");
    let p = props([
        ("label", r.reference.as_str()),
        ("requirement", &format!("{}:{}", fw.id, r.reference)),
        ("obligation", level.unwrap_or("")),
        ("condition", condition.unwrap_or("")),
        ("applies-to", &applies_to),
        ("canary", if r.canary { "true" } else { "" }),
        ("verification", verification_str(r.verification)),
        ("source", r.source.as_deref().unwrap_or("")),
    ]);
    // Every control has a statement part, the target of assessment findings;
    // its prose only where the catalogue holds the source's text.
    let mut parts = vec![Part {
        id: Some(statement_id(&id)),
        name: "statement",
        prose: r.text.clone().filter(|t| !t.trim().is_empty()),
    }];
    if let Some(text) = r
        .supporting_text
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        parts.push(Part {
            id: Some(format!("{id}_gdn")),
            name: "guidance",
            prose: Some(text.to_owned()),
        });
    }
    for (i, note) in r.footnotes.iter().enumerate() {
        parts.push(Part {
            id: Some(format!("{id}_fn.{}", i + 1)),
            name: "footnote",
            prose: Some(note.clone()),
        });
    }
    Control {
        title: line(&r.title).unwrap_or_else(|| r.reference.clone()),
        id,
        props: p,
        parts,
        controls: Vec::new(),
    }
}
