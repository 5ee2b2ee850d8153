//! The catalogue: frameworks, their requirements, and mappings between them.
//!
//! It is data (`guidelines/*.yaml`), embedded in the binary so Canary works from
//! any directory; `Catalogue::load_dir` reads another copy for editing or tests.

mod error;
mod export;
mod load;
mod model;
pub mod spans;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::digest::hex;

pub use error::{CatalogueError, LinkError, Problem, ProblemKind};
pub use export::CatalogueExport;
pub use model::*;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/guidelines");

/// A loaded, checked catalogue with indexes for look-ups by id.
#[derive(Debug, Clone)]
pub struct Catalogue {
    frameworks: Vec<Framework>,
    mapping_sets: Vec<MappingSet>,
    references: Vec<ReferenceSet>,
    /// `<framework>:<ref>` → (framework index, requirement index).
    requirements: HashMap<String, (usize, usize)>,
    /// Requirement or group id → indexes into `edges`.
    edges_by_end: HashMap<String, Vec<usize>>,
    /// (set index, row index) of every mapping row.
    edges: Vec<(usize, usize)>,
    digest: String,
}

/// A mapping row seen from one of its ends.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MappingView {
    /// The id at the other end.
    pub other: String,
    /// The relationship read from the requirement asked about towards `other`.
    pub relationship: Relationship,
    /// True when the row was written from the requirement asked about.
    pub outgoing: bool,
    #[ts(optional)]
    pub locator: Option<String>,
    pub source: String,
    pub set: String,
    #[ts(optional)]
    pub rationale: Option<String>,
    /// The row's own verification, or its set's.
    pub verification: Verification,
}

impl Catalogue {
    /// The catalogue shipped inside this binary.
    pub fn embedded() -> Result<Self, CatalogueError> {
        let mut files = Vec::new();
        for sub in [
            load::FRAMEWORKS_DIR,
            load::MAPPINGS_DIR,
            load::REFERENCES_DIR,
        ] {
            let Some(dir) = EMBEDDED.get_dir(sub) else {
                continue;
            };
            let mut entries: Vec<_> = dir
                .files()
                .filter(|f| f.path().extension().is_some_and(|x| x == "yaml"))
                .collect();
            entries.sort_by_key(|f| f.path());
            for f in entries {
                files.push(load::SourceFile {
                    path: Path::new("guidelines").join(f.path()),
                    text: f.contents_utf8().unwrap_or_default().to_owned(),
                });
            }
        }
        Self::from_files(files)
    }

    /// Loads and checks the catalogue in `root` (with `frameworks/`, `mappings/`, `references/`).
    pub fn load_dir(root: &Path) -> Result<Self, CatalogueError> {
        Self::from_files(load::read_dir(root)?)
    }

    /// The catalogue in `dir` if given, else the embedded one.
    pub fn load(dir: Option<&Path>) -> Result<Self, CatalogueError> {
        match dir {
            Some(d) => Self::load_dir(d),
            None => Self::embedded(),
        }
    }

    fn from_files(files: Vec<load::SourceFile>) -> Result<Self, CatalogueError> {
        let mut hasher = Sha256::new();
        for f in &files {
            let name: PathBuf = f
                .path
                .iter()
                .rev()
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            hasher.update(name.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(f.text.as_bytes());
            hasher.update([0]);
        }
        let digest = hex(&hasher.finalize());
        let mut problems = Vec::new();
        let parsed = load::parse(files, &mut problems);
        load::check(&parsed, &mut problems);
        if !problems.is_empty() {
            problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            return Err(CatalogueError(problems));
        }
        let frameworks: Vec<Framework> = parsed.frameworks.into_iter().map(|(_, _, f)| f).collect();
        let mapping_sets: Vec<MappingSet> =
            parsed.mapping_sets.into_iter().map(|(_, _, m)| m).collect();
        let references = parsed.references.into_iter().map(|(_, _, r)| r).collect();

        let mut requirements = HashMap::new();
        for (fi, fw) in frameworks.iter().enumerate() {
            for (ri, r) in fw.requirements.iter().enumerate() {
                requirements.insert(format!("{}:{}", fw.id, r.reference), (fi, ri));
            }
        }
        let mut edges = Vec::new();
        let mut edges_by_end: HashMap<String, Vec<usize>> = HashMap::new();
        for (si, set) in mapping_sets.iter().enumerate() {
            for (mi, m) in set.mappings.iter().enumerate() {
                let e = edges.len();
                edges.push((si, mi));
                edges_by_end.entry(m.from.clone()).or_default().push(e);
                if m.to != m.from {
                    edges_by_end.entry(m.to.clone()).or_default().push(e);
                }
            }
        }
        Ok(Self {
            frameworks,
            mapping_sets,
            references,
            requirements,
            edges_by_end,
            edges,
            digest,
        })
    }

    /// SHA-256 over every catalogue file: names the exact catalogue a report used.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub fn frameworks(&self) -> &[Framework] {
        &self.frameworks
    }

    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    pub fn mapping_sets(&self) -> &[MappingSet] {
        &self.mapping_sets
    }

    pub fn reference_sets(&self) -> &[ReferenceSet] {
        &self.references
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        let id = id.strip_prefix("doc:").unwrap_or(id);
        self.references
            .iter()
            .flat_map(|s| &s.documents)
            .find(|d| d.id == id)
    }

    /// One of `document`'s published links, passing the one URL rule: the app opens
    /// only links the catalogue lists, never one the webview makes up.
    pub fn document_link(&self, document: &str, url: &str) -> Result<&str, LinkError> {
        let doc = self
            .document(document)
            .ok_or_else(|| LinkError::NoDocument(document.to_owned()))?;
        let link = doc
            .links
            .iter()
            .find(|l| *l == url)
            .ok_or_else(|| LinkError::NotListed {
                url: url.to_owned(),
                document: document.to_owned(),
            })?;
        crate::workbook::check_url(link).map_err(|why| LinkError::Invalid {
            url: url.to_owned(),
            why,
        })?;
        Ok(link)
    }

    /// Every labelling scheme any framework recognises, in catalogue order.
    pub fn labelling_schemes(&self) -> impl Iterator<Item = &LabellingScheme> {
        self.frameworks.iter().flat_map(|f| &f.labelling_schemes)
    }

    /// A labelling scheme by id (ids are unique across the catalogue).
    pub fn labelling_scheme(&self, id: &str) -> Option<&LabellingScheme> {
        self.labelling_schemes().find(|s| s.id == id)
    }

    /// A requirement by its stable id `<framework>:<ref>`.
    pub fn requirement(&self, id: &str) -> Option<(&Framework, &Requirement)> {
        let &(fi, ri) = self.requirements.get(id)?;
        let fw = &self.frameworks[fi];
        Some((fw, &fw.requirements[ri]))
    }

    /// A group by its id `<framework>:<ref>`.
    pub fn group(&self, id: &str) -> Option<(&Framework, &Group)> {
        let (fw_id, reference) = id.split_once(':')?;
        let fw = self.framework(fw_id)?;
        Some((fw, fw.groups.iter().find(|g| g.reference == reference)?))
    }

    /// Every mapping row that touches `id`, read from `id`'s side.
    pub fn mappings_of(&self, id: &str) -> Vec<MappingView> {
        let Some(edges) = self.edges_by_end.get(id) else {
            return Vec::new();
        };
        edges
            .iter()
            .map(|&e| {
                let (si, mi) = self.edges[e];
                let set = &self.mapping_sets[si];
                let m = &set.mappings[mi];
                let outgoing = m.from == id;
                MappingView {
                    other: if outgoing {
                        m.to.clone()
                    } else {
                        m.from.clone()
                    },
                    relationship: if outgoing {
                        m.relationship
                    } else {
                        m.relationship.inverse()
                    },
                    outgoing,
                    locator: m.locator.clone(),
                    source: m.source.clone(),
                    set: set.id.clone(),
                    rationale: m.rationale.clone(),
                    verification: m.verification.unwrap_or(set.verification),
                }
            })
            .collect()
    }

    /// Every mapping row with the set it belongs to.
    pub fn mappings(&self) -> impl Iterator<Item = (&MappingSet, &Mapping)> {
        self.mapping_sets
            .iter()
            .flat_map(|s| s.mappings.iter().map(move |m| (s, m)))
    }
}

/// Stable id of a requirement.
pub fn requirement_id(framework: &Framework, requirement: &Requirement) -> String {
    format!("{}:{}", framework.id, requirement.reference)
}

/// JSON Schemas of the three file kinds, for editors (`guidelines/schema/`).
pub fn json_schemas() -> Vec<(&'static str, serde_json::Value)> {
    [
        ("framework.schema.json", schemars::schema_for!(Framework)),
        ("mapping-set.schema.json", schemars::schema_for!(MappingSet)),
        (
            "reference-set.schema.json",
            schemars::schema_for!(ReferenceSet),
        ),
    ]
    .into_iter()
    .map(|(n, s)| (n, s.to_value()))
    .collect()
}
