//! Exporting a product: its latest assessment as `product.yaml` plus its evidence
//! files under `evidence/`.
//!
//! The output depends only on what is stored: responses in catalogue order, evidence
//! in the order it was added, file names made unique in a fixed order, no timestamps.
//! Exporting twice gives byte-identical files, and importing the result changes nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::format::{self, ProductFile, EVIDENCE_DIR, FORMAT_VERSION, PRODUCT_FILE};
use super::problem::ExchangeError;
use crate::catalogue::Catalogue;
use crate::workbook::{self as wb, EvidenceKind, Workbook};

/// Longest evidence file name written, in characters (before the extension is kept).
const MAX_NAME: usize = 80;

const HEADER: &str =
    "# Canary product file: one product's assessment. Evidence files are listed with\n\
# their SHA-256 and sit beside this file; import it with `canary import product.yaml`.\n";

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub product_file: PathBuf,
    pub responses: usize,
    pub evidence: usize,
    /// Evidence files written (identical files are written once).
    pub files: usize,
}

/// The product file of `product`'s latest assessment, with the evidence files it
/// refers to as (path inside the export, blob hash) pairs.
pub fn product_file(
    workbook: &Workbook,
    catalogue: &Catalogue,
    product: i64,
) -> Result<(ProductFile, Vec<(String, String)>), ExchangeError> {
    let p = workbook.product(product)?;
    let a = workbook.latest_assessment(product)?;

    // Catalogue order: frameworks as the assessment lists them, requirements as the
    // framework does; anything the catalogue no longer knows goes last, by id.
    let mut order: HashMap<String, (usize, usize)> = HashMap::new();
    for (fi, f) in a.frameworks.iter().enumerate() {
        if let Some(fw) = catalogue.framework(f) {
            for (ri, r) in fw.requirements.iter().enumerate() {
                order.insert(format!("{}:{}", fw.id, r.reference), (fi, ri));
            }
        }
    }
    let mut responses = workbook.responses(a.id)?;
    responses.sort_by(|x, y| {
        let key = |r: &wb::Response| {
            order
                .get(&r.requirement)
                .copied()
                .unwrap_or((usize::MAX, 0))
        };
        key(x)
            .cmp(&key(y))
            .then_with(|| x.requirement.cmp(&y.requirement))
    });

    let mut names = FileNames::default();
    let mut files = Vec::new();
    let mut out = Vec::with_capacity(responses.len());
    for r in &responses {
        let mut evidence = Vec::new();
        for e in workbook.evidence(r.id)? {
            let mut item = format::Evidence {
                title: e.title.clone(),
                file: None,
                sha256: None,
                url: None,
                note: None,
                date: e.date.clone(),
                expires: e.expires.clone(),
            };
            match e.kind {
                EvidenceKind::File => {
                    let hash = e.blob_hash.clone().unwrap_or_default();
                    let (path, new) =
                        names.path_for(&hash, e.file_name.as_deref().unwrap_or_default());
                    if new {
                        files.push((path.clone(), hash.clone()));
                    }
                    item.file = Some(path);
                    item.sha256 = Some(hash);
                }
                EvidenceKind::Link => item.url = e.url.clone(),
                EvidenceKind::Note => item.note = e.note.clone(),
            }
            evidence.push(item);
        }
        out.push(format::Response {
            requirement: r.requirement.clone(),
            status: r.status,
            statement: non_empty(&r.statement),
            justification: non_empty(&r.justification),
            owner: non_empty(&r.owner),
            evidence,
        });
    }
    let info = p.info;
    let file = ProductFile {
        canary: FORMAT_VERSION,
        product: format::Product {
            name: info.name,
            model: info.model,
            kind: non_empty(&info.product_type),
            batch: non_empty(&info.batch),
            support_period_end: info.support_end,
            manufacturer: format::Manufacturer {
                name: info.manufacturer.name,
                address: non_empty(&info.manufacturer.address),
            },
            roles: info.roles,
            markets: info.markets,
            cra: format::Cra {
                standards: info.cra.standards,
                notified_body: non_empty(&info.cra.notified_body),
                notified_body_number: non_empty(&info.cra.notified_body_number),
                procedure: non_empty(&info.cra.procedure),
                certificate: non_empty(&info.cra.certificate),
                declaration_url: non_empty(&info.cra.declaration_url),
            },
            labels: info
                .labels
                .into_iter()
                .map(|l| format::Label {
                    scheme: l.scheme,
                    level: l.level,
                    label_id: l.label_id,
                    expiry: l.expiry,
                })
                .collect(),
        },
        assessment: Some(a.label),
        frameworks: a.frameworks,
        responses: out,
    };
    Ok((file, files))
}

/// The product file as text: a short header, then the YAML.
pub fn to_yaml(file: &ProductFile) -> Result<String, ExchangeError> {
    let body = serde_norway::to_string(file).map_err(|e| ExchangeError::Export(e.to_string()))?;
    Ok(format!("{HEADER}{body}"))
}

/// Writes `product`'s latest assessment to `out/product.yaml` and `out/evidence/`.
/// `out` must not exist or be empty, so an export never overwrites or mixes with
/// other files.
pub fn export_product(
    workbook: &Workbook,
    catalogue: &Catalogue,
    product: i64,
    out: &Path,
) -> Result<ExportSummary, ExchangeError> {
    let (file, files) = product_file(workbook, catalogue, product)?;
    let text = to_yaml(&file)?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |error| ExchangeError::Io { path, error }
    };
    // Written into only as the folder itself: a link could lead anywhere.
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(ExchangeError::Export(format!(
            "{} is a symbolic link; export into the folder itself",
            out.display()
        )));
    }
    let created = match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ExchangeError::Export(format!(
                    "{} is not empty; export into a new or empty directory",
                    out.display()
                )));
            }
            false
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(out).map_err(io(out))?;
            true
        }
        Err(e) => return Err(io(out)(e)),
    };
    let product_file = out.join(PRODUCT_FILE);
    // What this export made, so a failure half-way (a full disk, say) takes
    // exactly that away again and leaves no half copy behind.
    let mut made: Vec<PathBuf> = Vec::new();
    let evidence_dir = out.join(EVIDENCE_DIR);
    // The product file goes last, so an export cut short never looks complete.
    let mut write = || -> Result<(), ExchangeError> {
        if !files.is_empty() {
            std::fs::create_dir(&evidence_dir).map_err(io(&evidence_dir))?;
            made.push(evidence_dir.clone());
        }
        for (path, hash) in &files {
            let target = out.join(path);
            // Pushed first: a copy that fails half-way was still created.
            made.push(target.clone());
            if let Err(e) = workbook.export_blob(hash, &target) {
                if matches!(&e, wb::WorkbookError::Io { error, .. } if error.kind() == std::io::ErrorKind::AlreadyExists)
                {
                    made.pop();
                }
                return Err(e.into());
            }
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&product_file)
            .map_err(io(&product_file))?;
        made.push(product_file.clone());
        std::io::Write::write_all(&mut f, text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(io(&product_file))
    };
    if let Err(e) = write() {
        for path in made.iter().rev() {
            let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir(path));
        }
        if created {
            let _ = std::fs::remove_dir(out);
        }
        return Err(e);
    }
    Ok(ExportSummary {
        product_file,
        responses: file.responses.len(),
        evidence: file.responses.iter().map(|r| r.evidence.len()).sum(),
        files: files.len(),
    })
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Assigns each stored file a path `evidence/<name>`, unique regardless of case
/// (exports are opened on case-insensitive file systems too).
#[derive(Default)]
struct FileNames {
    by_hash: HashMap<String, String>,
    taken: HashSet<String>,
}

impl FileNames {
    /// The path for the file with `hash`, and whether it is new (to be written).
    fn path_for(&mut self, hash: &str, name: &str) -> (String, bool) {
        if let Some(p) = self.by_hash.get(hash) {
            return (p.clone(), false);
        }
        let name = safe_name(name);
        let (stem, ext) = match name.rfind('.') {
            Some(i) if i > 0 => (&name[..i], &name[i..]),
            _ => (name.as_str(), ""),
        };
        let mut candidate = name.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            candidate = format!("{stem}-{n}{ext}");
            n += 1;
        }
        let path = format!("{EVIDENCE_DIR}/{candidate}");
        self.by_hash.insert(hash.to_owned(), path.clone());
        (path, true)
    }
}

/// A file name safe on every system: letters, digits, `.`, `-`, `_` and spaces
/// kept, anything else replaced by `_`, no leading dot, not too long.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c == ' ');
    let (stem, ext) = match cleaned.rfind('.') {
        Some(i) if i > 0 && cleaned.len() - i <= 10 => (&cleaned[..i], &cleaned[i..]),
        _ => (cleaned, ""),
    };
    let stem: String = stem.chars().take(MAX_NAME).collect();
    let stem = stem.trim_end_matches([' ', '.']);
    if stem.is_empty() {
        format!("evidence{ext}")
    } else {
        format!("{stem}{ext}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(safe_name("report.pdf"), "report.pdf");
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name(""), "evidence");
        assert_eq!(safe_name("a:b*c?.txt"), "a_b_c_.txt");
        assert_eq!(safe_name(&"x".repeat(200)).len(), MAX_NAME);
    }

    #[test]
    fn colliding_names_are_numbered_in_order() {
        let mut n = FileNames::default();
        assert_eq!(
            n.path_for("h1", "report.pdf"),
            ("evidence/report.pdf".into(), true)
        );
        assert_eq!(
            n.path_for("h2", "Report.pdf"),
            ("evidence/Report-2.pdf".into(), true)
        );
        assert_eq!(
            n.path_for("h3", "report.pdf"),
            ("evidence/report-3.pdf".into(), true)
        );
        // The same content is written once, under its first name.
        assert_eq!(
            n.path_for("h1", "other.pdf"),
            ("evidence/report.pdf".into(), false)
        );
    }
}
