//! Reading catalogue files and checking them as a whole.
//!
//! Every file is parsed even when an earlier one failed, and every check runs, so
//! one `canary catalog check` shows all problems at once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::error::{CatalogueError, Problem, ProblemKind};
use super::model::{Framework, MappingSet, ReferenceSet, SCHEMA_VERSION};
use super::spans::Spans;
use crate::safe_file::{self, Links};
use crate::yaml_guard;

/// The three kinds of file, each in its own sub-directory.
pub const FRAMEWORKS_DIR: &str = "frameworks";
pub const MAPPINGS_DIR: &str = "mappings";
pub const REFERENCES_DIR: &str = "references";

/// A catalogue file's name (relative to the catalogue root) and text.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Parsed files, not yet checked against each other.
#[derive(Default)]
pub struct Parsed {
    pub frameworks: Vec<(SourceFile, Spans, Framework)>,
    pub mapping_sets: Vec<(SourceFile, Spans, MappingSet)>,
    pub references: Vec<(SourceFile, Spans, ReferenceSet)>,
}

/// Reads `frameworks/`, `mappings/` and `references/` under `root`, sorted by name.
pub fn read_dir(root: &Path) -> Result<Vec<SourceFile>, CatalogueError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for sub in [FRAMEWORKS_DIR, MAPPINGS_DIR, REFERENCES_DIR] {
        let dir = root.join(sub);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && sub != FRAMEWORKS_DIR => continue,
            Err(e) => {
                problems.push(io_problem(&dir, &e));
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        paths.sort();
        for path in paths {
            // Only regular files, not through a link, and bounded in size.
            match safe_file::read_text_capped(&path, Links::Refuse, yaml_guard::MAX_YAML_BYTES) {
                Ok(text) => files.push(SourceFile { path, text }),
                Err(e) => problems.push(read_problem(&path, &e)),
            }
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(CatalogueError(problems))
    }
}

fn read_problem(path: &Path, e: &safe_file::ReadError) -> Problem {
    Problem {
        kind: ProblemKind::Io,
        file: path.to_owned(),
        line: None,
        column: None,
        field: None,
        message: e.to_string(),
    }
}

fn io_problem(path: &Path, e: &std::io::Error) -> Problem {
    Problem {
        kind: ProblemKind::Io,
        file: path.to_owned(),
        line: None,
        column: None,
        field: None,
        message: e.to_string(),
    }
}

/// Parses each file by the directory it sits in; collects syntax and type errors.
pub fn parse(files: Vec<SourceFile>, problems: &mut Vec<Problem>) -> Parsed {
    let mut parsed = Parsed::default();
    for file in files {
        let kind = file
            .path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        match kind.as_str() {
            FRAMEWORKS_DIR => {
                if let Some(v) = parse_one::<Framework>(&file, problems) {
                    let spans = Spans::of(&file.text);
                    parsed.frameworks.push((file, spans, v));
                }
            }
            MAPPINGS_DIR => {
                if let Some(v) = parse_one::<MappingSet>(&file, problems) {
                    let spans = Spans::of(&file.text);
                    parsed.mapping_sets.push((file, spans, v));
                }
            }
            _ => {
                if let Some(v) = parse_one::<ReferenceSet>(&file, problems) {
                    let spans = Spans::of(&file.text);
                    parsed.references.push((file, spans, v));
                }
            }
        }
    }
    parsed
}

fn parse_one<T: DeserializeOwned>(file: &SourceFile, problems: &mut Vec<Problem>) -> Option<T> {
    // Size, depth and alias expansion are bounded before serde expands anything.
    if let Err(r) = yaml_guard::check(&file.text, yaml_guard::Aliases::Bounded) {
        problems.push(Problem {
            kind: ProblemKind::Syntax,
            file: file.path.clone(),
            line: r.line,
            column: r.column,
            field: None,
            message: r.message,
        });
        return None;
    }
    match serde_norway::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let loc = e.location();
            // serde_norway appends " at line X column Y"; the position has its own fields.
            let msg = e.to_string();
            let msg = msg
                .split(" at line ")
                .next()
                .unwrap_or(&msg)
                .trim_end_matches(',')
                .to_owned();
            let (field, message) = split_field(&msg);
            problems.push(Problem {
                kind: if msg.contains("unknown variant") || msg.contains("invalid") {
                    ProblemKind::InvalidValue
                } else {
                    ProblemKind::Syntax
                },
                file: file.path.clone(),
                line: loc.as_ref().map(|l| l.line()),
                column: loc.as_ref().map(|l| l.column()),
                field,
                message,
            });
            None
        }
    }
}

/// serde_norway prefixes the path of the failing field: `requirements[2].obligation.level: ...`.
fn split_field(msg: &str) -> (Option<String>, String) {
    match msg.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && (path.contains('.') || path.contains('[')) => {
            (Some(path.to_owned()), rest.to_owned())
        }
        _ => (None, msg.to_owned()),
    }
}

/// Where a problem found by a cross-file check sits.
struct At<'a> {
    file: &'a SourceFile,
    spans: &'a Spans,
}

impl At<'_> {
    fn problem(&self, kind: ProblemKind, field: String, message: String) -> Problem {
        let pos = self.spans.find(&field);
        Problem {
            kind,
            file: self.file.path.clone(),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            field: Some(field),
            message,
        }
    }
}

/// Ids a mapping end may name: `<framework>:<ref>` for requirements and groups, `doc:<id>`.
pub fn check(parsed: &Parsed, problems: &mut Vec<Problem>) {
    let mut ends: HashSet<String> = HashSet::new();
    let mut framework_ids: HashMap<&str, &Path> = HashMap::new();

    for (file, spans, fw) in &parsed.frameworks {
        let at = At { file, spans };
        if fw.schema_version != SCHEMA_VERSION {
            problems.push(at.problem(
                ProblemKind::SchemaVersion,
                "schema_version".into(),
                format!(
                    "schema version {} is not supported (this build reads {SCHEMA_VERSION})",
                    fw.schema_version
                ),
            ));
        }
        check_id(&at, "id", &fw.id, problems);
        if let Some(first) = framework_ids.insert(&fw.id, &file.path) {
            problems.push(at.problem(
                ProblemKind::DuplicateId,
                "id".into(),
                format!(
                    "framework id `{}` is already used by {}",
                    fw.id,
                    first.display()
                ),
            ));
        }
        let stakeholders: HashSet<&str> = fw.stakeholders.iter().map(|s| s.id.as_str()).collect();
        let mut groups: HashMap<&str, usize> = HashMap::new();
        for (i, g) in fw.groups.iter().enumerate() {
            if let Some(first) = groups.insert(&g.reference, i) {
                problems.push(at.problem(
                    ProblemKind::DuplicateId,
                    format!("groups[{i}].ref"),
                    format!(
                        "group `{}:{}` is defined twice (first at line {})",
                        fw.id,
                        g.reference,
                        line_of(spans, &format!("groups[{first}].ref"))
                    ),
                ));
            }
            ends.insert(format!("{}:{}", fw.id, g.reference));
        }
        for (i, g) in fw.groups.iter().enumerate() {
            if let Some(p) = &g.parent {
                if !groups.contains_key(p.as_str()) {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("groups[{i}].parent"),
                        format!("parent group `{p}` is not defined in `{}`", fw.id),
                    ));
                }
            }
        }
        let mut reqs: HashMap<&str, usize> = HashMap::new();
        for (i, r) in fw.requirements.iter().enumerate() {
            let id = format!("{}:{}", fw.id, r.reference);
            if r.reference.trim().is_empty() {
                problems.push(at.problem(
                    ProblemKind::InvalidValue,
                    format!("requirements[{i}].ref"),
                    "requirement ref is empty".into(),
                ));
            }
            if let Some(first) = reqs.insert(&r.reference, i) {
                problems.push(at.problem(
                    ProblemKind::DuplicateId,
                    format!("requirements[{i}].ref"),
                    format!(
                        "duplicate requirement id `{id}` (first at line {})",
                        line_of(spans, &format!("requirements[{first}].ref"))
                    ),
                ));
            } else if groups.contains_key(r.reference.as_str()) {
                problems.push(at.problem(
                    ProblemKind::DuplicateId,
                    format!("requirements[{i}].ref"),
                    format!("requirement id `{id}` is also a group id"),
                ));
            }
            ends.insert(id);
            if let Some(g) = &r.group {
                if !groups.contains_key(g.as_str()) {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("requirements[{i}].group"),
                        format!("group `{g}` is not defined in `{}`", fw.id),
                    ));
                }
            }
            for (j, s) in r.applies_to.iter().enumerate() {
                if !stakeholders.contains(s.as_str()) {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("requirements[{i}].applies_to[{j}]"),
                        format!("stakeholder `{s}` is not declared in `{}`", fw.id),
                    ));
                }
            }
        }
        for (i, r) in fw.requirements.iter().enumerate() {
            if let Some(p) = &r.parent {
                if !reqs.contains_key(p.as_str()) || p == &r.reference {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("requirements[{i}].parent"),
                        format!("parent requirement `{p}` is not defined in `{}`", fw.id),
                    ));
                }
            }
        }
    }

    check_routes(parsed, problems);

    let mut doc_ids: HashMap<String, PathBuf> = HashMap::new();
    for (file, spans, set) in &parsed.references {
        let at = At { file, spans };
        check_schema(&at, set.schema_version, problems);
        for (i, d) in set.documents.iter().enumerate() {
            check_id(&at, &format!("documents[{i}].id"), &d.id, problems);
            if let Some(first) = doc_ids.insert(d.id.clone(), file.path.clone()) {
                problems.push(at.problem(
                    ProblemKind::DuplicateId,
                    format!("documents[{i}].id"),
                    format!(
                        "document id `{}` is already used in {}",
                        d.id,
                        first.display()
                    ),
                ));
            }
        }
    }

    let mut set_ids: HashMap<&str, &Path> = HashMap::new();
    for (file, spans, set) in &parsed.mapping_sets {
        let at = At { file, spans };
        check_schema(&at, set.schema_version, problems);
        if let Some(first) = set_ids.insert(&set.id, &file.path) {
            problems.push(at.problem(
                ProblemKind::DuplicateId,
                "id".into(),
                format!(
                    "mapping set id `{}` is already used by {}",
                    set.id,
                    first.display()
                ),
            ));
        }
        for (i, m) in set.mappings.iter().enumerate() {
            for (field, end) in [("from", &m.from), ("to", &m.to)] {
                let known = match end.strip_prefix("doc:") {
                    Some(doc) => doc_ids.contains_key(doc),
                    None => ends.contains(end.as_str()),
                };
                if !known {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("mappings[{i}].{field}"),
                        format!("`{end}` is not a requirement, group or document in the catalogue"),
                    ));
                }
            }
            if m.relationship == super::model::Relationship::Equal
                && (m.source.trim().is_empty() || m.source == "canary")
            {
                problems.push(at.problem(
                    ProblemKind::UnsourcedEqual,
                    format!("mappings[{i}].relationship"),
                    "`equal` needs a published source that says so, not `canary`".into(),
                ));
            }
            if m.source.trim().is_empty() {
                problems.push(at.problem(
                    ProblemKind::InvalidValue,
                    format!("mappings[{i}].source"),
                    "every mapping row needs a source".into(),
                ));
            }
        }
    }
}

/// Labelling schemes (ids unique across the catalogue, levels named) and the
/// compliance routes that name them: unique ids, covered requirements that exist,
/// schemes and levels the catalogue defines.
fn check_routes(parsed: &Parsed, problems: &mut Vec<Problem>) {
    let mut schemes: HashMap<&str, (&[String], &Path)> = HashMap::new();
    for (file, spans, fw) in &parsed.frameworks {
        let at = At { file, spans };
        for (i, s) in fw.labelling_schemes.iter().enumerate() {
            check_id(&at, &format!("labelling_schemes[{i}].id"), &s.id, problems);
            if let Some((_, first)) = schemes.insert(&s.id, (&s.levels, &file.path)) {
                problems.push(at.problem(
                    ProblemKind::DuplicateId,
                    format!("labelling_schemes[{i}].id"),
                    format!(
                        "labelling scheme id `{}` is already used in {}",
                        s.id,
                        first.display()
                    ),
                ));
            }
            if s.levels.is_empty() || s.levels.iter().any(|l| l.trim().is_empty()) {
                problems.push(at.problem(
                    ProblemKind::InvalidValue,
                    format!("labelling_schemes[{i}].levels"),
                    "a scheme names at least one level, none blank".into(),
                ));
            }
        }
    }
    for (file, spans, fw) in &parsed.frameworks {
        let at = At { file, spans };
        let refs: HashSet<&str> = fw
            .requirements
            .iter()
            .map(|r| r.reference.as_str())
            .collect();
        let mut ids = HashSet::new();
        for (i, route) in fw.compliance_routes.iter().enumerate() {
            check_id(
                &at,
                &format!("compliance_routes[{i}].id"),
                &route.id,
                problems,
            );
            if !ids.insert(route.id.as_str()) {
                problems.push(at.problem(
                    ProblemKind::DuplicateId,
                    format!("compliance_routes[{i}].id"),
                    format!("route `{}` is defined twice in `{}`", route.id, fw.id),
                ));
            }
            for (j, r) in route.covers.iter().enumerate() {
                if !refs.contains(r.as_str()) {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("compliance_routes[{i}].covers[{j}]"),
                        format!("requirement `{}:{r}` is not defined", fw.id),
                    ));
                }
            }
            for (j, label) in route.labels.iter().enumerate() {
                let field = format!("compliance_routes[{i}].labels[{j}]");
                let Some((levels, _)) = schemes.get(label.scheme.as_str()) else {
                    problems.push(at.problem(
                        ProblemKind::DanglingReference,
                        format!("{field}.scheme"),
                        format!(
                            "labelling scheme `{}` is not defined in the catalogue",
                            label.scheme
                        ),
                    ));
                    continue;
                };
                for (k, level) in label.levels.iter().enumerate() {
                    if !levels.contains(level) {
                        problems.push(at.problem(
                            ProblemKind::DanglingReference,
                            format!("{field}.levels[{k}]"),
                            format!("`{level}` is not a level of scheme `{}`", label.scheme),
                        ));
                    }
                }
            }
        }
    }
}

fn check_schema(at: &At<'_>, version: u32, problems: &mut Vec<Problem>) {
    if version != SCHEMA_VERSION {
        problems.push(at.problem(
            ProblemKind::SchemaVersion,
            "schema_version".into(),
            format!(
                "schema version {version} is not supported (this build reads {SCHEMA_VERSION})"
            ),
        ));
    }
}

/// Ids are lower-case ASCII letters, digits, dots and dashes: they appear in file
/// names, URLs and requirement ids, where anything else causes trouble.
fn check_id(at: &At<'_>, field: &str, id: &str, problems: &mut Vec<Problem>) {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !ok {
        problems.push(at.problem(
            ProblemKind::InvalidValue,
            field.into(),
            format!("id `{id}` must be lower-case letters, digits, `.` and `-`"),
        ));
    }
}

fn line_of(spans: &Spans, path: &str) -> String {
    spans
        .find(path)
        .map_or_else(|| "?".into(), |p| p.line.to_string())
}
