//! Typesetting: a minimal typst `World` holding one report's template and data as
//! virtual files, compiled to tagged PDF/A-3a and PDF/UA-1 with dates and ids taken from the data alone
//! so the same input gives the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::fonts::Fonts;
use super::{clock, pack, text, ReportError};
use crate::workbook::MAX_TEXT_BYTES;

/// Shared styles and helpers every report template imports as `/common.typ`.
const COMMON: &str = include_str!("templates/common.typ");

/// A finished report.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Things the reader of the report should know about: characters no font
    /// covers, template warnings. Empty for a clean report.
    pub warnings: Vec<String>,
}

/// One report to typeset.
pub(crate) struct Job {
    /// Short name used in errors and the PDF id, e.g. `attestation`.
    pub report: &'static str,
    pub template: &'static str,
    /// Read by the template as `json("/data.json")`.
    pub data: Value,
    /// Attached to the PDF as `canary-manifest.json`.
    pub manifest: Value,
    pub generated_at: i64,
}

/// Stages a caller can show progress for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    LoadingFonts,
    Typesetting,
    WritingPdf,
}

pub(crate) fn render(job: Job, progress: &dyn Fn(Stage)) -> Result<Rendered, ReportError> {
    // No Canary write stores a longer text; a workbook changed outside Canary
    // can, and typesetting a megabyte paragraph takes minutes.
    let mut longest = 0;
    visit_strings(&job.data, &mut |s| longest = longest.max(s.len()));
    if longest > MAX_TEXT_BYTES {
        return Err(ReportError::TextTooLong {
            report: job.report,
            bytes: longest,
        });
    }
    progress(Stage::LoadingFonts);
    let fonts = Fonts::get();
    let Job {
        report,
        template,
        data,
        manifest,
        generated_at,
    } = job;
    // The values become the bytes typst reads and are dropped: with thousands of
    // evidence items they are megabytes that need not live through the typesetting.
    let (data, hints, mut warnings) = typst_data(fonts, data);
    let manifest = pretty_json(manifest);
    let env = serde_json::json!({ "cjk": fonts.cjk_families });
    let ident = {
        let mut h = Sha256::new();
        h.update(report.as_bytes());
        h.update(&data);
        h.update(&manifest);
        format!("canary-{}-{:x}", report, h.finalize())
    };
    let (y, mo, d, h, mi, s) = clock::civil(generated_at);
    let now = Datetime::from_ymd_hms(y, mo, d, h, mi, s)
        .ok_or(ReportError::BadEpoch(generated_at.to_string()))?;

    let main = file_id("/main.typ");
    let world = ReportWorld {
        main,
        sources: [
            (main, Source::new(main, template.to_owned())),
            (
                file_id("/common.typ"),
                Source::new(file_id("/common.typ"), COMMON.to_owned()),
            ),
        ]
        .into(),
        files: [
            (file_id("/data.json"), Bytes::new(data)),
            (file_id("/canary-manifest.json"), Bytes::new(manifest)),
            (file_id("/hints.json"), Bytes::new(hints)),
            (
                file_id("/env.json"),
                Bytes::new(serde_json::to_vec(&env).expect("JSON values always serialise")),
            ),
        ]
        .into(),
        fonts,
        now,
    };

    progress(Stage::Typesetting);
    let compiled = typst::compile::<PagedDocument>(&world);
    warnings.extend(compiled.warnings.iter().map(|w| diagnostic(&world, w)));
    let document = compiled.output.map_err(|errors| ReportError::Typeset {
        report,
        errors: errors.iter().map(|e| diagnostic(&world, e)).collect(),
    })?;

    progress(Stage::WritingPdf);
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some(format!("Canary {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(now)),
        page_ranges: None,
        // Archival and accessible: tagged (headings, tables, reading order), PDF/UA-1.
        standards: PdfStandards::new(&[PdfStandard::A_3a, PdfStandard::Ua_1]).map_err(|e| {
            ReportError::Pdf {
                report,
                errors: vec![e.message().to_string()],
            }
        })?,
        tagged: true,
        pretty: false,
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| ReportError::Pdf {
        report,
        errors: errors.iter().map(|e| diagnostic(&world, e)).collect(),
    })?;
    // The structure tree into compressed object streams (typst's own output if its
    // layout is ever not the one `pack` reads; that is valid, only larger).
    let pdf = pack::pack(&pdf).unwrap_or(pdf);
    // Keep memoised layout of recent reports (warm re-renders), drop the rest.
    comemo::evict(20);
    Ok(Rendered {
        pages: document.pages().len(),
        pdf,
        warnings,
    })
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("static virtual paths are valid"),
    )
    .intern()
}

fn diagnostic(world: &ReportWorld<'_>, d: &SourceDiagnostic) -> String {
    let place = d
        .span
        .id()
        .and_then(|id| {
            let source = world.sources.get(&id)?;
            let range = world.range(d.span)?;
            let line = source.lines().byte_to_line(range.start)? + 1;
            Some(format!("{}:{line}: ", id.vpath().get_without_slash()))
        })
        .unwrap_or_default();
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let hints: String = d
        .hints
        .iter()
        .map(|h| format!(" (hint: {})", h.v))
        .collect();
    format!("{place}{level}: {}{hints}", d.message)
}

/// `/data.json` with every character no font draws replaced, `/hints.json` for its
/// strings, and the warnings for the replaced characters.
fn typst_data(fonts: &Fonts, mut data: Value) -> (Vec<u8>, Vec<u8>, Vec<String>) {
    let warnings = replace_uncovered(fonts, &mut data);
    let mut hints = serde_json::Map::new();
    visit_strings(&data, &mut |s| text::add_hint(&mut hints, s));
    (
        serde_json::to_vec(&data).expect("JSON values always serialise"),
        serde_json::to_vec(&hints).expect("JSON values always serialise"),
        warnings,
    )
}

fn pretty_json(v: Value) -> Vec<u8> {
    serde_json::to_vec_pretty(&v).expect("JSON values always serialise")
}

/// PDF/A forbids drawing a glyph a font lacks, so a character no face covers is
/// replaced by a visible named placeholder such as `[emoji U+1F600]` and named in one
/// warning, quoting the first text it is in. The attached manifest keeps the original.
fn replace_uncovered(fonts: &Fonts, data: &mut Value) -> Vec<String> {
    let mut missing: BTreeMap<char, String> = BTreeMap::new();
    let mut known: HashMap<char, bool> = HashMap::new();
    let mut drawable = |c: char| {
        c.is_ascii()
            || c.is_whitespace()
            || c.is_control()
            || *known.entry(c).or_insert_with(|| fonts.covers(c))
    };
    visit_strings_mut(data, &mut |s| {
        if s.chars().all(&mut drawable) {
            return;
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if drawable(c) {
                out.push(c);
                continue;
            }
            missing.entry(c).or_insert_with(|| {
                let mut quote: String = s.chars().take(48).collect();
                if quote.len() < s.len() {
                    quote.push('…');
                }
                quote
            });
            out.push_str(&placeholder(c));
        }
        *s = out;
    });
    missing
        .into_iter()
        .map(|(c, quote)| {
            format!(
                "no installed font can draw '{c}' (U+{:04X}) in \"{quote}\"; printed as {} \
                 (install the Noto faces, or set CANARY_FONT_PATH to a folder with a font for it)",
                c as u32,
                placeholder(c)
            )
        })
        .collect()
}

/// What stands in for a character no font draws: its code point, named as an emoji
/// when it is one, so the reader sees that something is there.
fn placeholder(c: char) -> String {
    let emoji = matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF);
    format!("[{}U+{:04X}]", if emoji { "emoji " } else { "" }, c as u32)
}

fn visit_strings_mut(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| visit_strings_mut(i, f)),
        Value::Object(map) => map.values_mut().for_each(|i| visit_strings_mut(i, f)),
        _ => {}
    }
}

fn visit_strings(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|i| visit_strings(i, f)),
        Value::Object(map) => map.values().for_each(|i| visit_strings(i, f)),
        _ => {}
    }
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

struct ReportWorld<'a> {
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    fonts: &'a Fonts,
    now: Datetime,
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.now.year()?, self.now.month()?, self.now.day()?)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
