//! Product files through the library on real workbook files: lossless round trips of
//! awkward text and colliding file names, and what an import may and may not change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use canary::catalogue::Catalogue;
use canary::exchange::{self, ExchangeError};
use canary::workbook::{
    EvidenceInput, EvidenceSource, Manufacturer, ProductInput, Profile, ResponseInput, Status,
    Transition, Workbook, WorkbookError,
};
use tempfile::TempDir;

use crate::support::EXAMPLE;

fn workbook(path: &Path) -> Workbook {
    let mut wb = Workbook::create(path).unwrap();
    wb.set_profile(&Profile {
        name: "Ada".into(),
        organisation: "Acme".into(),
        role: "engineer".into(),
    })
    .unwrap();
    wb
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Everything an export should carry, read back from a workbook.
fn stored(wb: &Workbook, product: i64) -> (ProductInput, Vec<String>) {
    let p = wb.product(product).unwrap();
    let a = wb.latest_assessment(product).unwrap();
    let mut rows = Vec::new();
    for r in wb.responses(a.id).unwrap() {
        rows.push(format!(
            "{}|{}|{:?}|{:?}|{:?}",
            r.requirement, r.status, r.statement, r.justification, r.owner
        ));
        for e in wb.evidence(r.id).unwrap() {
            rows.push(format!(
                "  {}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                e.title, e.kind, e.blob_hash, e.url, e.note, e.date, e.expires
            ));
        }
    }
    rows.sort();
    (p.info, rows)
}

/// Text that YAML likes to reinterpret or reflow.
const AWKWARD: &[&str] = &[
    "yes",
    "0123",
    "null",
    "- looks like a list",
    "key: value # not a comment",
    "line one\nline two\n\n  indented line three",
    "trailing spaces on a line   \nnext",
    "\"quoted\" and 'single'",
    "Überprüfung — ✓ 設定",
    "2030-12-31",
    "~",
    "tab\there",
];

#[test]
fn awkward_text_and_colliding_file_names_round_trip() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let mut wb = workbook(&dir.path().join("one.canary"));
    let p = wb
        .add_product(
            &cat,
            &ProductInput {
                name: "yes".into(),
                model: "0123".into(),
                product_type: "null".into(),
                batch: "2024".into(),
                manufacturer: Manufacturer {
                    name: "Ü & Co: \"Ltd\"".into(),
                    address: "1 Road\nTown\nUK".into(),
                },
                support_end: Some("2031-01-31".into()),
                roles: vec!["DM".into(), "MAD".into()],
                markets: vec!["UK".into(), "EU".into()],
                cra: canary::workbook::CraInfo {
                    standards: vec![
                        "EN 18031-1:2024".into(),
                        AWKWARD[3].into(),
                        AWKWARD[7].into(),
                    ],
                    notified_body: AWKWARD[1].into(),
                    notified_body_number: "0123".into(),
                    procedure: AWKWARD[5].into(),
                    certificate: "~".into(),
                    declaration_url: "https://example.com/doc?q=a:b#frag".into(),
                },
                labels: Vec::new(),
            },
        )
        .unwrap();
    let frameworks = vec![
        "uk-cop-2018".to_owned(),
        "etsi-en-303-645-v2.1.1".to_owned(),
    ];
    let a = wb.create_assessment(&cat, p.id, "~", &frameworks).unwrap();
    // Answer in reverse catalogue order: the export must still list catalogue order.
    for (i, text) in AWKWARD.iter().enumerate().rev() {
        let requirement = format!("uk-cop-2018:{}", i + 1);
        wb.set_response(
            &cat,
            a.id,
            &requirement,
            &ResponseInput {
                status: if i % 2 == 0 {
                    Status::Met
                } else {
                    Status::NotApplicable
                },
                statement: text.to_string(),
                justification: format!("because {text}"),
                owner: text.to_string(),
            },
        )
        .unwrap();
    }
    // Three different files all called report.pdf (one in another case), and one
    // content stored under two names.
    let files = dir.path().join("files");
    for (sub, content) in [
        ("a", "first"),
        ("b", "second"),
        ("c", "third"),
        ("d", "first"),
    ] {
        std::fs::create_dir_all(files.join(sub)).unwrap();
        let name = match sub {
            "c" => "Report.PDF",
            "d" => "copy.pdf",
            _ => "report.pdf",
        };
        std::fs::write(files.join(sub).join(name), content).unwrap();
        wb.add_evidence(
            &cat,
            a.id,
            "etsi-en-303-645-v2.1.1:5.1-1",
            &EvidenceInput {
                title: format!("{sub}: {content}"),
                source: EvidenceSource::File(files.join(sub).join(name)),
                date: Some("2026-01-02".into()),
                expires: None,
            },
        )
        .unwrap();
    }
    for (i, text) in AWKWARD.iter().enumerate() {
        let source = if i % 2 == 0 {
            EvidenceSource::Note(text.to_string())
        } else {
            EvidenceSource::Link(format!("https://example.com/{i}?q=a:b#frag"))
        };
        wb.add_evidence(
            &cat,
            a.id,
            "uk-cop-2018:1",
            &EvidenceInput {
                title: text.to_string(),
                source,
                date: None,
                expires: Some("2027-06-30".into()),
            },
        )
        .unwrap();
    }

    let out_a = dir.path().join("a");
    let summary = exchange::export_product(&wb, &cat, p.id, &out_a).unwrap();
    assert_eq!(summary.files, 3);
    let exported = tree(&out_a);
    let names: Vec<&str> = exported.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "evidence/Report-3.PDF",
            "evidence/report-2.pdf",
            "evidence/report.pdf",
            "product.yaml"
        ]
    );
    assert_eq!(exported["evidence/report.pdf"], b"first");
    assert_eq!(exported["evidence/report-2.pdf"], b"second");
    let yaml = String::from_utf8(exported["product.yaml"].clone()).unwrap();
    let first = yaml.find("uk-cop-2018:1\n").unwrap();
    let last = yaml.find("uk-cop-2018:12\n").unwrap();
    let etsi = yaml.find("etsi-en-303-645-v2.1.1:5.1-1").unwrap();
    assert!(
        first < last && last < etsi,
        "responses not in catalogue order:\n{yaml}"
    );

    let mut wb2 = workbook(&dir.path().join("two.canary"));
    let s = exchange::import_product_file(&mut wb2, &cat, &out_a.join("product.yaml")).unwrap();
    assert_eq!(s.responses_set, AWKWARD.len() + 1);
    assert_eq!(s.evidence_added, 4 + AWKWARD.len());
    assert_eq!(stored(&wb2, s.product_id), stored(&wb, p.id));
    assert_eq!(wb2.latest_assessment(s.product_id).unwrap().label, "~");

    let out_b = dir.path().join("b");
    exchange::export_product(&wb2, &cat, s.product_id, &out_b).unwrap();
    assert_eq!(tree(&out_b), exported);
}

#[test]
fn new_frameworks_make_a_new_assessment_and_keep_the_old_one() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let mut wb = workbook(&dir.path().join("w.canary"));
    let first = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    assert!(first.product_created && first.assessment_created);

    let text = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .replace(
            "frameworks: [uk-cop-2018, uk-psti-2023]",
            "frameworks: [uk-cop-2018, uk-psti-2023, etsi-en-303-645-v2.1.1]",
        )
        .replace("model: SP-200", "model: SP-200\n  type: smart socket");
    let text = text.replacen("  type: smart plug\n", "", 1);
    let file = copy_example(dir.path(), &text);
    let second = exchange::import_product_file(&mut wb, &cat, &file).unwrap();
    assert_eq!(second.product_id, first.product_id);
    assert!(second.product_updated && second.assessment_created);
    assert_ne!(second.assessment_id, first.assessment_id);
    assert_eq!(
        wb.product(first.product_id).unwrap().info.product_type,
        "smart socket"
    );
    assert_eq!(wb.responses(first.assessment_id).unwrap().len(), 16);
    assert_eq!(wb.assessments(first.product_id).unwrap().len(), 2);
}

/// The example product file with `text` as its YAML, in a new directory under `root`.
fn copy_example(root: &Path, text: &str) -> PathBuf {
    let src = Path::new(EXAMPLE).parent().unwrap();
    let dir = root.join("copy");
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    for e in std::fs::read_dir(src.join("evidence")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join("evidence").join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("product.yaml"), text).unwrap();
    dir.join("product.yaml")
}

#[test]
fn an_assessment_under_review_is_not_changed_but_an_unchanged_file_still_passes() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let mut wb = workbook(&dir.path().join("w.canary"));
    let s = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    wb.transition(&cat, s.assessment_id, Transition::Submit)
        .unwrap();
    let head = wb.trail_head().unwrap();

    let again = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    assert!(!again.changed());

    let text = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .replace("Setup takes four steps", "Setup takes three steps");
    let file = copy_example(dir.path(), &text);
    let err = exchange::import_product_file(&mut wb, &cat, &file).unwrap_err();
    assert!(
        matches!(
            err,
            ExchangeError::Workbook(WorkbookError::NotEditable { .. })
        ),
        "{err:?}"
    );
    assert_eq!(wb.trail_head().unwrap(), head);
}

#[test]
fn items_missing_from_the_file_are_kept_and_counted() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let mut wb = workbook(&dir.path().join("w.canary"));
    let s = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    wb.add_evidence(
        &cat,
        s.assessment_id,
        "uk-cop-2018:4",
        &EvidenceInput {
            title: "Extra".into(),
            source: EvidenceSource::Note("added in the app".into()),
            date: None,
            expires: None,
        },
    )
    .unwrap();
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    // The last CoP answer and the three PSTI answers after it are left out.
    let cut = text.find("  - requirement: uk-cop-2018:13").unwrap();
    let file = copy_example(dir.path(), &text[..cut]);
    let again = exchange::import_product_file(&mut wb, &cat, &file).unwrap();
    assert!(!again.changed());
    assert_eq!((again.responses_kept, again.evidence_kept), (4, 1));
    assert_eq!(wb.responses(s.assessment_id).unwrap().len(), 16);
}

#[test]
fn an_evidence_file_changed_after_checking_rolls_the_whole_import_back() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let mut wb = workbook(&dir.path().join("w.canary"));
    let file = copy_example(dir.path(), &std::fs::read_to_string(EXAMPLE).unwrap());
    let checked = exchange::read_product_file(&file, &cat).unwrap();
    // The second file is swapped: the first is stored before the mismatch shows.
    let first = exchange::sha256_hex(
        &std::fs::read(file.with_file_name("evidence/password-test-log.txt")).unwrap(),
    );
    std::fs::write(
        file.with_file_name("evidence/vulnerability-disclosure-policy.md"),
        "swapped",
    )
    .unwrap();
    let head = wb.trail_head().unwrap();
    let err = exchange::import_checked(&mut wb, &cat, &checked).unwrap_err();
    assert!(
        matches!(err, ExchangeError::Workbook(WorkbookError::FileChanged(_))),
        "{err:?}"
    );
    assert_eq!(wb.trail_head().unwrap(), head);
    assert_eq!(wb.blob_size(&first).unwrap(), None);
    assert!(wb.products().unwrap().is_empty());
}

#[test]
fn an_unchanged_file_needs_no_actor() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let path = dir.path().join("w.canary");
    let mut wb = Workbook::create(&path).unwrap();
    wb.set_actor(Some("Importer".into()));
    exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    drop(wb);
    // No profile and no actor: writing would fail, but there is nothing to write.
    let mut wb = Workbook::open(&path).unwrap();
    let s = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    assert!(!s.changed());
}

#[test]
fn a_failed_export_leaves_no_half_copy_behind() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let path = dir.path().join("w.canary");
    let mut wb = workbook(&path);
    let s = exchange::import_product_file(&mut wb, &cat, Path::new(EXAMPLE)).unwrap();
    // The example's first evidence file exports; its second one has lost its
    // stored bytes (as a damaged workbook would), so the export fails half-way.
    let second = exchange::sha256_hex(
        &std::fs::read(
            Path::new(EXAMPLE).with_file_name("evidence/vulnerability-disclosure-policy.md"),
        )
        .unwrap(),
    );
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "foreign_keys", false).unwrap();
    raw.execute("DELETE FROM blob WHERE hash = ?1", [&second])
        .unwrap();

    let new = dir.path().join("new");
    let err = exchange::export_product(&wb, &cat, s.product_id, &new).unwrap_err();
    assert!(
        matches!(err, ExchangeError::Workbook(WorkbookError::BlobNotFound(_))),
        "{err:?}"
    );
    assert!(
        !new.exists(),
        "a directory the export made is taken away again"
    );

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    exchange::export_product(&wb, &cat, s.product_id, &empty).unwrap_err();
    assert!(empty.is_dir(), "a directory that was there stays");
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
}

#[test]
fn the_store_and_product_files_accept_exactly_the_same_links() {
    let cat = Catalogue::embedded().unwrap();
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let original = "url: https://acme-devices.example/security";
    assert!(text.contains(original));
    for url in [
        "https://example.com/policy",
        "http://localhost:8080/x",
        "https://[::1]:8443/",
        "example.com/policy page",
        "https://host:port/",
        "https://bank.example@evil.example/",
        "https://exam\u{202E}ple.com/",
        "ftp://example.com/",
    ] {
        let dir = TempDir::new().unwrap();
        let mut wb = workbook(&dir.path().join("store.canary"));
        let (_, a) = wb
            .add_product_with_assessment(
                &cat,
                &ProductInput {
                    name: "Plug".into(),
                    model: "P-1".into(),
                    manufacturer: Manufacturer {
                        name: "Acme".into(),
                        address: "1 Road".into(),
                    },
                    ..Default::default()
                },
                "fw",
                &[],
            )
            .unwrap();
        let stored = wb.add_evidence(
            &cat,
            a.id,
            "uk-cop-2018:1",
            &EvidenceInput {
                title: String::new(),
                source: EvidenceSource::Link(url.into()),
                date: None,
                expires: None,
            },
        );
        // JSON strings are YAML double-quoted strings.
        let quoted = serde_json::to_string(url).unwrap();
        let file = copy_example(
            dir.path(),
            &text.replace(original, &format!("url: {quoted}")),
        );
        let mut other = workbook(&dir.path().join("import.canary"));
        let imported = exchange::import_product_file(&mut other, &cat, &file);
        assert_eq!(
            stored.is_ok(),
            imported.is_ok(),
            "{url:?}: store {stored:?}, import {imported:?}"
        );
        assert_eq!(stored.is_ok(), canary::workbook::check_url(url).is_ok());
    }
}

#[test]
fn a_product_file_without_an_assessment_label_gets_the_one_default() {
    let dir = TempDir::new().unwrap();
    let cat = Catalogue::embedded().unwrap();
    let text = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .replace("assessment: Firmware 1.4.2\n", "");
    let file = copy_example(dir.path(), &text);
    let mut wb = workbook(&dir.path().join("w.canary"));
    let s = exchange::import_product_file(&mut wb, &cat, &file).unwrap();
    assert_eq!(
        wb.assessment(s.assessment_id).unwrap().label,
        canary::workbook::FIRST_ASSESSMENT_LABEL
    );
}

#[test]
fn the_example_is_unpacked_in_a_private_folder_that_is_removed() {
    let dir = TempDir::new().unwrap();
    let scratch = dir.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    let cat = Catalogue::embedded().unwrap();
    let mut wb = workbook(&dir.path().join("w.canary"));
    let s = exchange::import_example(&mut wb, &cat, &scratch).unwrap();
    assert!(s.product_created);
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0);
    // The old way: `<tmp>/canary-example-<pid>-<nanos>`, a name another account
    // could plant first.
    let pid = format!("canary-example-{}-", std::process::id());
    let planted = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with(&pid));
    assert!(!planted);
    // A folder that cannot be made stops the import before anything is stored.
    let head = wb.trail_head().unwrap();
    let err = exchange::import_example(&mut wb, &cat, &dir.path().join("missing")).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    assert_eq!(wb.trail_head().unwrap(), head);
}
