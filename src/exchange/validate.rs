//! Reading a product file and checking it completely before anything is written:
//! syntax, format version, requirement ids against the catalogue, justifications,
//! and every evidence file (inside the product directory, present, hash matching).

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use super::format::{Evidence, ProductFile, Response, FORMAT_VERSION, PRODUCT_FILE};
use super::problem::{ExchangeError, Problem, ProblemKind};
use crate::catalogue::spans::Spans;
use crate::catalogue::Catalogue;
use crate::digest::hex;
use crate::workbook::check_url;
use crate::{safe_file, yaml_guard};

/// One evidence file, found inside the product directory and hashed during validation.
/// The import compares the hash the workbook computes while storing it with this one,
/// so a file swapped in between is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContent {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
}

/// A product file that passed every check.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file as written, except that every `file` evidence item has its
    /// `sha256` filled in with the hash of the content read.
    pub file: ProductFile,
    /// Evidence files by SHA-256.
    pub contents: BTreeMap<String, FileContent>,
}

/// Reads and checks the product file at `path` (or `path/product.yaml` when `path`
/// is a directory); on failure lists every problem.
pub fn read_product_file(path: &Path, catalogue: &Catalogue) -> Result<Checked, ExchangeError> {
    let joined;
    let path = if path.is_dir() {
        joined = path.join(PRODUCT_FILE);
        &joined
    } else {
        path
    };
    // The person named this file, so a link to it is followed; a FIFO or device is not read.
    let text =
        safe_file::read_text_capped(path, safe_file::Links::Follow, yaml_guard::MAX_YAML_BYTES)
            .map_err(|e| {
                ExchangeError::Invalid(vec![Problem {
                    kind: ProblemKind::Io,
                    file: path.to_owned(),
                    line: None,
                    column: None,
                    field: None,
                    message: e.to_string(),
                }])
            })?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    check_text(&text, path, &base, catalogue)
}

/// Checks product file `text`, named `path` in problems, with evidence paths relative to `base`.
pub fn check_text(
    text: &str,
    path: &Path,
    base: &Path,
    catalogue: &Catalogue,
) -> Result<Checked, ExchangeError> {
    // Bounded size and depth, and no aliases, before serde expands anything.
    if let Err(r) = yaml_guard::check(text, yaml_guard::Aliases::Refuse) {
        return Err(ExchangeError::Invalid(vec![Problem {
            kind: ProblemKind::Syntax,
            file: path.to_owned(),
            line: r.line,
            column: r.column,
            field: None,
            message: r.message,
        }]));
    }
    let mut file: ProductFile = match serde_norway::from_str(text) {
        Ok(f) => f,
        Err(e) => return Err(ExchangeError::Invalid(vec![syntax_problem(path, &e)])),
    };
    let mut v = Validator {
        path,
        spans: Spans::of(text),
        problems: Vec::new(),
    };
    if file.canary != FORMAT_VERSION {
        v.push(
            ProblemKind::FormatVersion,
            "canary",
            format!(
                "product file format {} is not supported (this build reads {FORMAT_VERSION})",
                file.canary
            ),
        );
    }
    v.check_product(&file, catalogue);
    let frameworks = v.check_frameworks(&file, catalogue);
    let mut contents = BTreeMap::new();
    let mut seen = HashSet::new();
    for (i, r) in file.responses.iter_mut().enumerate() {
        let at = format!("responses[{i}]");
        v.check_response(&at, r, catalogue, &frameworks, &mut seen);
        for (j, e) in r.evidence.iter_mut().enumerate() {
            if let Some(content) = v.check_evidence(&format!("{at}.evidence[{j}]"), e, base) {
                e.sha256 = Some(content.sha256.clone());
                contents.insert(content.sha256.clone(), content);
            }
        }
    }
    if v.problems.is_empty() {
        Ok(Checked { file, contents })
    } else {
        Err(ExchangeError::Invalid(v.problems))
    }
}

fn syntax_problem(path: &Path, e: &serde_norway::Error) -> Problem {
    let loc = e.location();
    // serde_norway appends " at line X column Y"; the position has its own fields.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    // It also prefixes the path of the failing field: `responses[2].status: ...`.
    let (field, message) = match msg.split_once(": ") {
        Some((f, rest)) if !f.is_empty() && !f.contains(' ') => {
            (Some(f.to_owned()), rest.to_owned())
        }
        _ => (None, msg),
    };
    let kind = if message.contains("unknown variant") || message.contains("invalid") {
        ProblemKind::InvalidValue
    } else {
        ProblemKind::Syntax
    };
    Problem {
        kind,
        file: path.to_owned(),
        line: loc.as_ref().map(|l| l.line()),
        column: loc.as_ref().map(|l| l.column()),
        field,
        message,
    }
}

struct Validator<'a> {
    path: &'a Path,
    spans: Spans,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn push(&mut self, kind: ProblemKind, field: &str, message: String) {
        let pos = self.spans.find(field);
        self.problems.push(Problem {
            kind,
            file: self.path.to_owned(),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            field: Some(field.to_owned()),
            message,
        });
    }

    /// The store's own product rule ([`crate::workbook::product_problems`]), with
    /// fields named as the file names them.
    fn check_product(&mut self, file: &ProductFile, catalogue: &Catalogue) {
        let input = super::import::product_input(&file.product);
        for problem in crate::workbook::product_problems(catalogue, &input) {
            let field = match problem.field.as_str() {
                "support_end" => "support_period_end".to_owned(),
                other => other.to_owned(),
            };
            self.push(
                ProblemKind::InvalidValue,
                &format!("product.{field}"),
                problem.message,
            );
        }
    }

    /// Returns the frameworks listed that exist in the catalogue.
    fn check_frameworks(&mut self, file: &ProductFile, catalogue: &Catalogue) -> HashSet<String> {
        if file.frameworks.is_empty() {
            self.push(
                ProblemKind::InvalidValue,
                "frameworks",
                "list at least one framework the assessment covers".into(),
            );
        }
        let mut known = HashSet::new();
        for (i, f) in file.frameworks.iter().enumerate() {
            let field = format!("frameworks[{i}]");
            if catalogue.framework(f).is_none() {
                let ids: Vec<&str> = catalogue
                    .frameworks()
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect();
                self.push(
                    ProblemKind::UnknownFramework,
                    &field,
                    format!(
                        "`{f}` is not a framework in the catalogue (known: {})",
                        ids.join(", ")
                    ),
                );
            } else if !known.insert(f.clone()) {
                self.push(
                    ProblemKind::InvalidValue,
                    &field,
                    format!("`{f}` is listed twice"),
                );
            }
        }
        known
    }

    fn check_response(
        &mut self,
        at: &str,
        r: &Response,
        catalogue: &Catalogue,
        frameworks: &HashSet<String>,
        seen: &mut HashSet<String>,
    ) {
        let field = format!("{at}.requirement");
        match catalogue.requirement(&r.requirement) {
            None => self.push(
                ProblemKind::UnknownRequirement,
                &field,
                format!("`{}` is not a requirement in the catalogue", r.requirement),
            ),
            Some((fw, _)) if !frameworks.contains(&fw.id) => self.push(
                ProblemKind::UnknownRequirement,
                &field,
                format!(
                    "`{}` belongs to `{}`, which is not listed in `frameworks`",
                    r.requirement, fw.id
                ),
            ),
            Some(_) => {
                if !seen.insert(r.requirement.clone()) {
                    self.push(
                        ProblemKind::DuplicateResponse,
                        &field,
                        format!("`{}` has more than one response", r.requirement),
                    );
                }
            }
        }
        let blank = r
            .justification
            .as_deref()
            .is_none_or(|j| j.trim().is_empty());
        if r.status.needs_justification() && blank {
            let field = if r.justification.is_some() {
                format!("{at}.justification")
            } else {
                format!("{at}.status")
            };
            self.push(
                ProblemKind::MissingJustification,
                &field,
                format!("status `{}` needs a justification", r.status.as_str()),
            );
        }
    }

    fn check_evidence(&mut self, at: &str, e: &Evidence, base: &Path) -> Option<FileContent> {
        if e.title.trim().is_empty() {
            self.push(
                ProblemKind::InvalidEvidence,
                &format!("{at}.title"),
                "must not be empty".into(),
            );
        }
        for (name, value) in [("date", &e.date), ("expires", &e.expires)] {
            if let Some(d) = value {
                if !is_date(d) {
                    self.push(
                        ProblemKind::InvalidValue,
                        &format!("{at}.{name}"),
                        format!("`{d}` is not a date in the form YYYY-MM-DD"),
                    );
                }
            }
        }
        if let (Some(d), Some(x)) = (&e.date, &e.expires) {
            if is_date(d) && is_date(x) && x.trim() < d.trim() {
                self.push(
                    ProblemKind::InvalidValue,
                    &format!("{at}.expires"),
                    format!("`{x}` is before the evidence's own date `{d}`"),
                );
            }
        }
        let kinds = [e.file.is_some(), e.url.is_some(), e.note.is_some()];
        if kinds.iter().filter(|k| **k).count() != 1 {
            self.push(
                ProblemKind::InvalidEvidence,
                at,
                "an evidence item has exactly one of `file`, `url` or `note`".into(),
            );
            return None;
        }
        if let Some(url) = &e.url {
            if let Err(why) = check_url(url) {
                self.push(
                    ProblemKind::InvalidValue,
                    &format!("{at}.url"),
                    format!("`{url}` {why}"),
                );
            }
        }
        if let Some(note) = &e.note {
            if note.trim().is_empty() {
                self.push(
                    ProblemKind::InvalidEvidence,
                    &format!("{at}.note"),
                    "must not be empty".into(),
                );
            }
        }
        if e.sha256.is_some() && e.file.is_none() {
            self.push(
                ProblemKind::InvalidEvidence,
                &format!("{at}.sha256"),
                "`sha256` belongs only to `file` evidence".into(),
            );
        }
        let rel = e.file.as_deref()?;
        let field = format!("{at}.file");
        let content = match read_evidence(base, rel) {
            Ok(c) => c,
            Err((kind, message)) => {
                self.push(kind, &field, message);
                return None;
            }
        };
        if let Some(expected) = &e.sha256 {
            if !expected.eq_ignore_ascii_case(&content.sha256) {
                self.push(
                    ProblemKind::ChecksumMismatch,
                    &format!("{at}.sha256"),
                    format!("`{rel}` has SHA-256 {}, not {expected}", content.sha256),
                );
                return None;
            }
        }
        Some(content)
    }
}

/// Reads `rel` under `base`, refusing anything that could read outside `base`:
/// absolute paths, `..`, and symbolic links at any step.
fn read_evidence(base: &Path, rel: &str) -> Result<FileContent, (ProblemKind, String)> {
    let escape = |why: &str| (ProblemKind::PathEscape, format!("`{rel}` {why}"));
    if rel.trim().is_empty() {
        return Err((
            ProblemKind::InvalidEvidence,
            "the file path is empty".into(),
        ));
    }
    if rel.contains('\\') {
        return Err(escape(
            "uses `\\`; write paths with `/` so the file works on every system",
        ));
    }
    let path = Path::new(rel);
    let mut here = base.to_owned();
    for c in path.components() {
        match c {
            Component::Normal(name) => here.push(name),
            Component::CurDir => continue,
            Component::ParentDir => return Err(escape("leaves the product directory (`..`)")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(escape(
                    "is absolute; give a path relative to the product file",
                ))
            }
        }
        match std::fs::symlink_metadata(&here) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(escape(
                    "goes through a symbolic link, which could point outside the product directory",
                ))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err((ProblemKind::MissingFile, format!("`{rel}` does not exist")))
            }
            Err(e) => return Err((ProblemKind::Io, format!("`{rel}`: {e}"))),
        }
    }
    if here.is_dir() || here == base {
        return Err((
            ProblemKind::InvalidEvidence,
            format!("`{rel}` is a directory, not a file"),
        ));
    }
    let (sha256, size) =
        hash_file(&here).map_err(|e| (ProblemKind::Io, format!("`{rel}`: {e}")))?;
    Ok(FileContent {
        path: here,
        sha256,
        size,
    })
}

/// SHA-256 (hex) and size of a regular file (no FIFO, device or link), read in chunks.
fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let (mut file, _) =
        safe_file::open_regular(path, safe_file::Links::Refuse).map_err(|e| match e {
            safe_file::OpenError::Io(e) => e,
            refused => std::io::Error::new(std::io::ErrorKind::InvalidInput, refused.to_string()),
        })?;
    let mut hasher = Sha256::new();
    let size = std::io::copy(&mut file, &mut hasher)?;
    Ok((hex(&hasher.finalize()), size))
}

/// `YYYY-MM-DD` naming a real calendar day, by the workbook's own rule.
fn is_date(s: &str) -> bool {
    crate::workbook::parse_date("date", s).is_ok()
}
