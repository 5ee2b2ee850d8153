//! The parts of OSCAL's metadata and back matter every Canary export shares.
//! Field names follow the OSCAL JSON format (kebab-case); empty lists are left
//! out because the schemas require at least one item wherever a list appears.

use serde::Serialize;

use super::ids::line;

/// Namespace of Canary's own property names.
pub const NS: &str = "urn:canary:oscal";

/// The OSCAL release the exports conform to.
pub const OSCAL_VERSION: &str = "1.2.1";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Metadata {
    pub fn new(title: &str, last_modified: String, version: &str) -> Self {
        Self {
            title: line(title).unwrap_or_else(|| "Untitled".into()),
            published: None,
            last_modified,
            version: line(version).unwrap_or_else(|| "1".into()),
            oscal_version: OSCAL_VERSION,
            props: Vec::new(),
            links: Vec::new(),
            roles: Vec::new(),
            parties: Vec::new(),
            responsible_parties: Vec::new(),
            remarks: None,
        }
    }
}

/// A Canary property (`ns` = [`NS`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prop {
    pub name: &'static str,
    pub ns: &'static str,
    pub value: String,
}

/// Properties from (name, value) pairs; blank values are left out (OSCAL
/// values must hold a non-space character and fit on one line).
pub fn props<'a>(pairs: impl IntoIterator<Item = (&'static str, &'a str)>) -> Vec<Prop> {
    pairs
        .into_iter()
        .filter_map(|(name, value)| {
            Some(Prop {
                name,
                ns: NS,
                value: line(value)?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Link {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Role {
    pub id: &'static str,
    pub title: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Party {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Address {
    pub addr_lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResponsibleParty {
    pub role_id: &'static str,
    pub party_uuids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BackMatter {
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Resource {
    pub uuid: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<Rlink>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rlink {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hash {
    pub algorithm: &'static str,
    pub value: String,
}
