//! The catalogue's types: what a framework file and a mapping file hold.
//!
//! These structs are the schema of `guidelines/`: the JSON Schema in
//! `guidelines/schema/` is generated from them and the UI's TypeScript types too,
//! so a field added here is documented and typed everywhere at once.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The catalogue file format version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// How far a piece of catalogue content has been checked against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Read from the named source and checked.
    Verified,
    /// A single third-party transcription or a quotation inside a secondary source.
    PartiallyVerified,
    /// Not obtained from the source; placeholder or our reading, to be checked.
    Unverified,
}

/// One framework file: `guidelines/frameworks/<id>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Catalogue file format version; must equal the version this build reads.
    pub schema_version: u32,
    /// Stable id, lower-case with dashes, e.g. `uk-cop-2018`.
    pub id: String,
    pub title: String,
    /// Short label for tables and badges, e.g. `UK CoP`.
    pub short_title: String,
    pub publisher: String,
    pub version: String,
    /// Publication date as the source gives it (ISO 8601 where known).
    pub date: String,
    pub source_url: String,
    pub licence: String,
    /// Attribution text to print wherever the content is shown.
    pub attribution: String,
    pub verification: Verification,
    /// How the content was obtained and what is known to be missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source_note: Option<String>,
    /// Who the framework addresses (CoP: device manufacturers, service providers, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stakeholders: Vec<Stakeholder>,
    /// Clauses, sections or capabilities that requirements sit in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    pub requirements: Vec<Requirement>,
    /// Named notes kept with the framework (prioritisation, terminology, conditions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Content a statement of compliance must hold (PSTI), kept as data so a
    /// correction to the regulations needs no code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statement_of_compliance: Vec<StatementItem>,
    /// The content an EU declaration of conformity must hold (CRA Annex V), kept
    /// as data like the PSTI statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub declaration_of_conformity: Option<Declaration>,
    /// The simplified declaration's template (CRA Annex VI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub simplified_declaration: Option<SimplifiedDeclaration>,
    /// Labelling schemes whose labels the framework recognises (PSTI as amended:
    /// JC-STAR, Singapore CLS); a product records its labels against these ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labelling_schemes: Vec<LabellingScheme>,
    /// The ways compliance may be shown (PSTI Schedule 2 conditions A to C, the
    /// regulation 4A statement route), kept as data like the statement items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance_routes: Vec<ComplianceRoute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    /// Short id used in `applies_to`, e.g. `DM`.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub definition: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// As the source numbers it, e.g. `5.1`.
    #[serde(rename = "ref")]
    #[ts(rename = "ref")]
    pub reference: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: String,
    pub title: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub verification: Option<Verification>,
    /// Where the note's content came from and how far it is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source: Option<String>,
}

/// Whether a requirement must or should be met; conditional ones carry their condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ObligationLevel {
    Mandatory,
    Recommended,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub level: ObligationLevel,
    /// Present for conditional requirements: when the requirement applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub condition: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// As the source numbers it: `1`, `5.1-1`, `I.2(a)`. The stable id is `<framework>:<ref>`.
    #[serde(rename = "ref")]
    #[ts(rename = "ref")]
    pub reference: String,
    /// Official title, or our own words where the licence forbids copying (ETSI).
    pub title: String,
    /// Verbatim text where the licence allows; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<String>,
    /// Explanatory text that accompanies the requirement in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub supporting_text: Option<String>,
    /// The group (clause, capability) this requirement sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub group: Option<String>,
    /// A requirement this one refines (e.g. a NISTIR element of a capability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub obligation: Option<Obligation>,
    /// Stakeholder ids (declared in the framework) this requirement primarily applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// One of the three "insecurity canaries" of the CoP.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub canary: bool,
    pub verification: Verification,
    /// Where this entry's content came from, when it differs from the framework's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<String>,
}

/// One line of the content a statement of compliance must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StatementItem {
    pub id: String,
    /// What the statement shows, in the regulations' terms.
    pub label: String,
    /// Where the value comes from in the workbook, e.g. `product.manufacturer.name`,
    /// `signoff.place`, or `declaration` for fixed wording.
    pub field: String,
    /// Fixed wording for declarations; `{manufacturer}` etc. are filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wording: Option<String>,
    pub verification: Verification,
}

/// A declaration whose content a regulation lists item by item (CRA Annex V).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The heading as the source prints it.
    pub title: String,
    /// The sentence that introduces the items, verbatim.
    pub lead_in: String,
    pub items: Vec<DeclarationItem>,
    pub signature_block: SignatureBlock,
    /// Where the text was read and how it was checked.
    pub source: String,
    pub verification: Verification,
}

/// One item of a declaration: the source's text, and the workbook values that fill it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DeclarationItem {
    /// As the source numbers it, e.g. `V(3)`.
    pub id: String,
    /// The item verbatim, printed as the item's heading.
    pub text: String,
    /// Values the item prints, all needed (e.g. `product.model`, `cra.standards`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Values printed when present, never needed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<String>,
    /// Canary's fixed wording for a statement item; `{manufacturer}` etc. are filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wording: Option<String>,
    /// For "where applicable" items: the field whose value makes the item apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub applies_when: Option<String>,
    /// Canary's wording when the item does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub not_applicable: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
    pub verification: Verification,
}

/// The signature lines that close a declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SignatureBlock {
    /// Verbatim.
    pub text: String,
    /// The values that fill it, all needed.
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// A fixed text with gaps the workbook fills (CRA Annex VI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SimplifiedDeclaration {
    pub title: String,
    pub lead_in: String,
    /// The paragraphs verbatim, gaps and footnote markers included.
    pub template: Vec<String>,
    /// Each gap's exact text and the field that fills it, in the order they are filled.
    pub gaps: Vec<Gap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<String>,
    pub source: String,
    pub verification: Verification,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// The gap as the template prints it, e.g. `… [name of manufacturer]`.
    pub text: String,
    pub field: String,
}

/// A product labelling scheme (e.g. JC-STAR) whose labels a framework recognises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct LabellingScheme {
    /// Stable id products record labels under, e.g. `jc-star`; unique in the catalogue.
    pub id: String,
    pub name: String,
    /// For statements and tables, e.g. `JC-STAR`.
    pub short_name: String,
    pub operator: String,
    /// The levels a label may carry, as the scheme names them (`STAR-1`, `Level 2`).
    pub levels: Vec<String>,
    /// The scheme document the framework cites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reference_document: Option<String>,
    pub verification: Verification,
    pub source: String,
}

/// What a compliance route shows compliance with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    /// The security requirements listed in `covers` are treated as complied with.
    DeemedCompliance,
    /// The duty to accompany the product with a statement of compliance is treated as met.
    StatementOfCompliance,
}

/// A label that satisfies a route: a scheme and, where the route names them, its levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct LabelCondition {
    /// A `labelling_schemes` id anywhere in the catalogue.
    pub scheme: String,
    /// The levels that count; empty means any level of the scheme.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
}

/// One way compliance may be shown, as the regulations set it out (our own words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ComplianceRoute {
    /// Unique within the framework, e.g. `condition-b`.
    pub id: String,
    pub kind: RouteKind,
    pub title: String,
    /// Where the route is set out, e.g. `Schedule 2 paragraphs 1 to 3, condition B`.
    pub provision: String,
    /// Requirement refs of this framework the route covers (deemed compliance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// For a route through a label: any one of these, current on the date that counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelCondition>,
    /// What the route asks, in our own words.
    pub text: String,
    /// What a statement prints when the route is used; `{scheme}`, `{level}`,
    /// `{label_id}` and `{expiry}` are filled from the product's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wording: Option<String>,
    pub verification: Verification,
    pub source: String,
}

/// NIST IR 8477 set-theory relationship between two mapped elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Relationship {
    Equal,
    SubsetOf,
    SupersetOf,
    IntersectsWith,
    NoRelationship,
}

impl Relationship {
    /// The same relationship read from the other end.
    pub fn inverse(self) -> Self {
        match self {
            Self::SubsetOf => Self::SupersetOf,
            Self::SupersetOf => Self::SubsetOf,
            other => other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equal => "equal",
            Self::SubsetOf => "subset-of",
            Self::SupersetOf => "superset-of",
            Self::IntersectsWith => "intersects-with",
            Self::NoRelationship => "no-relationship",
        }
    }
}

/// One mapping file: `guidelines/mappings/<id>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct MappingSet {
    pub schema_version: u32,
    pub id: String,
    pub title: String,
    /// The publication the rows come from, or `canary` for our own reasoning.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub licence: Option<String>,
    pub verification: Verification,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
    pub mappings: Vec<Mapping>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// `<framework>:<ref>` of a requirement or group.
    pub from: String,
    /// `<framework>:<ref>` of a requirement or group, or `doc:<id>` of a reference document.
    pub to: String,
    /// Where inside a `doc:` target, e.g. a recommendation id or section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub locator: Option<String>,
    pub relationship: Relationship,
    /// The publication that states this row, or `canary`.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rationale: Option<String>,
    /// Row-level verification where it differs from the set's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub verification: Option<Verification>,
}

/// One reference file: `guidelines/references/<id>.yaml`, documents that mappings point at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSet {
    pub schema_version: u32,
    pub id: String,
    pub title: String,
    pub source: String,
    pub verification: Verification,
    pub documents: Vec<Document>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Referenced from mappings as `doc:<id>`.
    pub id: String,
    pub organisation: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub date: Option<String>,
}
