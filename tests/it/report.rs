//! Reports rendered from a multilingual product and checked with poppler and qpdf:
//! every string extractable, every font embedded and subset, the manifest attached,
//! the file valid and the bytes reproducible.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use canary::catalogue::{requirement_id, Catalogue};
use canary::report::{
    self, Assessment, Evidence, Manufacturer, Product, ProductRecord, ReportError, Response,
    Review, Signoff, Status,
};

const EPOCH: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

const STRINGS: [&str; 9] = [
    "Ñandú Électronique",
    "Zürich",
    "中文",
    "日本語",
    "العربية",
    "עברית",
    "スマートカメラ",
    "智能摄像头",
    "Ñandú Cam",
];

fn catalogue() -> Catalogue {
    Catalogue::embedded().expect("embedded catalogue loads")
}

/// A signed product whose names and statements use five scripts; every CoP, EN 303 645
/// and PSTI requirement answered, CoP 2 not met, a few left unanswered.
fn record(cat: &Catalogue) -> ProductRecord {
    let mut responses = Vec::new();
    for fw_id in ["uk-cop-2018", "etsi-en-303-645-v2.1.1", "uk-psti-2023"] {
        let fw = cat.framework(fw_id).expect("framework in catalogue");
        for (i, r) in fw.requirements.iter().enumerate() {
            let id = requirement_id(fw, r);
            if fw_id == "etsi-en-303-645-v2.1.1" && i % 9 == 8 {
                continue; // left unanswered: must show as not assessed
            }
            let status = match (fw_id, r.reference.as_str()) {
                ("uk-cop-2018", "2") => Status::NotMet,
                (_, "5.13-1") => Status::NotApplicable,
                _ if i % 7 == 3 => Status::PartiallyMet,
                _ => Status::Met,
            };
            let statement = match i % 5 {
                0 => "每台设备都有唯一的密码（中文）。",
                1 => "スマートカメラは固有のパスワードを使います（日本語）。",
                2 => "لكل جهاز كلمة مرور فريدة (العربية).",
                3 => "לכל מכשיר סיסמה ייחודית (עברית).",
                _ => "Le mot de passe est défini à la première mise en service à Zürich.",
            };
            responses.push(Response {
                requirement: id.clone(),
                status,
                statement: Some(statement.to_owned()),
                justification: Some(format!(
                    "Verified in the firmware build pipeline; see the test report for {id}."
                )),
                evidence: (0..(i % 3))
                    .map(|k| Evidence {
                        title: format!("Penetration test report part {k}"),
                        kind: "test_report".to_owned(),
                        file_name: Some(format!("pentest_{}_{k}.pdf", r.reference)),
                        sha256: Some(format!("{:x}", Sha256::digest(format!("{id}/{k}")))),
                        date: Some("2025-12-01".to_owned()),
                        // One expired, one still valid, the rest without expiry.
                        expires: match k {
                            0 => Some("2024-06-30".to_owned()),
                            1 => Some("2031-01-31".to_owned()),
                            _ => None,
                        },
                        note: None,
                    })
                    .collect(),
                review: (i % 4 == 0).then(|| Review {
                    verdict: "accepted".to_owned(),
                    reviewer: Some("Zoë Müller".to_owned()),
                    comment: Some("Evidence matches the build; 問題なし.".to_owned()),
                    date: Some("2025-12-10".to_owned()),
                }),
            });
        }
    }
    ProductRecord {
        product: Product {
            id: "nandu-cam".to_owned(),
            name: "Ñandú Cam 智能摄像头 中文".to_owned(),
            model: Some("スマートカメラ 日本語モデル NC-1".to_owned()),
            product_type: Some("كاميرا ذكية العربية".to_owned()),
            batch: Some("אצווה עברית 2026-01".to_owned()),
            manufacturer: Manufacturer {
                name: "Ñandú Électronique SA".to_owned(),
                address: Some("Bahnhofstrasse 1, 8001 Zürich, Switzerland".to_owned()),
            },
            support_period_end: Some("2030-12-31".to_owned()),
            cra: Default::default(),
            labels: Vec::new(),
        },
        assessment: Assessment {
            id: "a1".to_owned(),
            title: "Release 1.0 assessment".to_owned(),
            state: "signed".to_owned(),
            frameworks: vec![
                "uk-cop-2018".to_owned(),
                "etsi-en-303-645-v2.1.1".to_owned(),
            ],
            approval_override: None,
        },
        responses,
        signoff: Some(Signoff {
            signatory: "山田はなこ 日本語".to_owned(),
            function: "Head of Product Security".to_owned(),
            place: "Zürich".to_owned(),
            date: "2025-12-15".to_owned(),
            signature: None,
        }),
        trail_head: "9f2c4e1a7b3d5f60718293a4b5c6d7e8f9012345678901234567890abcdef012".to_owned(),
        signers: Vec::new(),
    }
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, pdf: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (poppler-utils, qpdf): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text as pdftotext sees it, with whitespace removed (CJK runs may be split).
fn text_of(path: &Path) -> String {
    tool("pdftotext", &[path.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn assert_fonts_embedded_and_subset(path: &Path) {
    let listing = tool("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{listing}");
    for row in rows {
        // name type encoding emb sub uni object ID: the three yes/no columns before the ids
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "font not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "font not subset: {row}");
    }
}

fn manifest(path: &Path) -> serde_json::Value {
    let list = tool("pdfdetach", &["-list", path.to_str().unwrap()]);
    assert!(list.contains("canary-manifest.json"), "{list}");
    let saved = out_dir().join(format!(
        "{}.manifest.json",
        path.file_name().unwrap().to_str().unwrap()
    ));
    tool(
        "pdfdetach",
        &[
            "-save",
            "1",
            "-o",
            saved.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
    );
    serde_json::from_slice(&std::fs::read(saved).unwrap()).expect("manifest is JSON")
}

fn check_pdf(path: &Path, expect: &[&str]) {
    tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert_fonts_embedded_and_subset(path);
    let text = text_of(path);
    for s in expect {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&s), "pdftotext did not find {s:?}");
    }
}

#[test]
fn attestation_prints_every_script_and_carries_its_manifest() {
    let cat = catalogue();
    let rec = record(&cat);
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).expect("renders");
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    assert!(out.pages > 10, "{} pages", out.pages);
    let path = write("attestation.pdf", &out.pdf);
    check_pdf(
        &path,
        &[
            &STRINGS[..],
            &[
                "NOT ASSESSED",
                "Head of Product Security",
                "2026-01-01",
                "Page 1 of",
            ],
        ]
        .concat(),
    );
    // Every EN 303 645 provision appears, answered or not.
    let text = text_of(&path);
    for r in &cat
        .framework("etsi-en-303-645-v2.1.1")
        .unwrap()
        .requirements
    {
        assert!(
            text.contains(&format!("etsi-en-303-645-v2.1.1:{}", r.reference)),
            "{} missing",
            r.reference
        );
    }
    let m = manifest(&path);
    assert_eq!(m["product"]["name"], rec.product.name);
    assert_eq!(m["catalogue_digest"], cat.digest());
    assert_eq!(
        m["responses"].as_array().unwrap().len(),
        rec.responses.len()
    );
    assert_eq!(
        m["responses"][1]["evidence_sha256"][0],
        rec.responses[1].evidence[0].sha256.as_deref().unwrap()
    );
    let meta = tool("pdfinfo", &["-meta", path.to_str().unwrap()]);
    assert!(
        meta.contains("pdfaid:part") && meta.contains('3'),
        "not PDF/A-3: {meta}"
    );
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    assert!(
        info.contains("Subject:") && info.contains("assessment against UK CoP"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:") && info.contains("2026"),
        "{info}"
    );
    assert!(info.contains("Security attestation"), "{info}");
    assert!(info.contains("Ñandú Électronique SA"), "{info}");
}

#[test]
fn expired_evidence_is_marked_against_the_report_date() {
    let cat = catalogue();
    let rec = record(&cat);
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    let text = text_of(&write("attestation-expiry.pdf", &out.pdf));
    assert!(
        text.contains("expired2024-06-30"),
        "the past expiry is flagged"
    );
    assert!(
        text.contains("expires2031-01-31"),
        "the future one is stated"
    );
    assert!(
        !text.contains("expired2031"),
        "a future expiry is not flagged"
    );
}

/// Beyond the first 40 items of a requirement its evidence is one line per item, still
/// saying everything: number, title, kind, file or link, SHA-256, date, expiry, note.
#[test]
fn a_long_evidence_list_prints_every_item_a_line_after_the_table() {
    let cat = catalogue();
    let mut rec = record(&cat);
    let item = |k: usize| Evidence {
        title: format!("Scan result {k}"),
        kind: "link".to_owned(),
        file_name: Some(format!("https://scans.example.com/{k}")),
        sha256: None,
        date: Some("2025-11-03".to_owned()),
        expires: None,
        note: None,
    };
    let mut evidence: Vec<Evidence> = (0..47).map(item).collect();
    evidence[41].kind = "file".to_owned();
    evidence[41].file_name = Some("scan-41.pdf".to_owned());
    evidence[41].sha256 = Some(format!("{:x}", Sha256::digest("scan 41")));
    evidence[42].expires = Some("2024-06-30".to_owned());
    evidence[43].expires = Some("2031-01-31".to_owned());
    evidence[44] = note(
        "Line check 44",
        "Every unit was checked at the end of the line.",
    );
    // Longer than a page: its line must break across pages.
    evidence[40].note = Some("Scanned by the line robot. ".repeat(400) + "Robot note ends.");
    evidence[45].file_name = Some(format!(
        "https://scans.example.com/{}/result?sig={}",
        "deep/path".repeat(12),
        "e".repeat(150)
    ));
    evidence[46].title = "בדיקה 46 עברית".to_owned();
    rec.responses[0].evidence = evidence;
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("attestation-long-list.pdf", &out.pdf);
    let sha = format!("{:x}", Sha256::digest("scan 41"));
    check_pdf(
        &path,
        &[
            "Items 41 to 47, one a line",
            "41. Scan result 40 · link · https://scans.example.com/40 · 2025-11-03",
            &format!("42. Scan result 41 · file · scan-41.pdf · SHA-256 {} · 2025-11-03", &sha[..12]),
            "43. Scan result 42 · link · https://scans.example.com/42 · 2025-11-03 · expired 2024-06-30",
            "44. Scan result 43 · link · https://scans.example.com/43 · 2025-11-03 · expires 2031-01-31",
            "45. Line check 44 · note · 2025-12-02 · Every unit was checked at the end of the line.",
            &"e".repeat(150),
            "עברית",
        ],
    );
    let text = text_of(&path);
    for k in 0..40 {
        assert!(
            text.contains(&format!("Scanresult{k}link")),
            "item {k} in the table"
        );
    }
    let margin = 18.0 / 25.4 * 72.0;
    for (text, _, x_max, width) in words(&path) {
        assert!(
            x_max <= width - margin + 1.0,
            "{text:.40} ends at {x_max} of {width}"
        );
    }
    assert!(text.contains("Robotnoteends."), "the long note in full");
    // The note's words stay above the bottom margin (20 mm), where the footer is.
    let html = tool("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]);
    let bottom = 20.0 / 25.4 * 72.0;
    let (mut height, mut lowest, mut seen) = (0.0, f64::MIN, 0);
    for line in html.lines().map(str::trim) {
        let attr = |name: &str| -> f64 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        if line.starts_with("<page") {
            height = attr("height");
        } else if line.starts_with("<word") && line.contains(">robot.<") {
            lowest = lowest.max(attr("yMax") - (height - bottom));
            seen += 1;
        }
    }
    assert!(seen > 0, "no word of the note found to measure");
    assert!(
        lowest <= 0.0,
        "the note runs {lowest} pt into the bottom margin"
    );
}

#[test]
fn unsigned_attestation_says_so() {
    let cat = catalogue();
    let mut rec = record(&cat);
    rec.signoff = None;
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    let path = write("attestation-unsigned.pdf", &out.pdf);
    let text = text_of(&path);
    assert!(text.contains("NOTSIGNED"));
    assert!(text.contains("hasnotbeensignedoff"));
}

#[test]
fn same_input_and_epoch_give_the_same_bytes() {
    let cat = catalogue();
    let rec = record(&cat);
    let a = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap().pdf;
    let b = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap().pdf;
    assert!(a == b, "attestation differs between runs");
    let later = report::attestation(&cat, &rec, EPOCH + 86_400, &|_| {})
        .unwrap()
        .pdf;
    assert!(a != later, "the date must change the output");
    let m1 = report::mapping_report(&cat, None, EPOCH, &|_| {})
        .unwrap()
        .pdf;
    let m2 = report::mapping_report(&cat, None, EPOCH, &|_| {})
        .unwrap()
        .pdf;
    assert!(m1 == m2, "mapping report differs between runs");
}

#[test]
fn psti_statement_holds_each_catalogue_item_and_the_route() {
    let cat = catalogue();
    let rec = record(&cat);
    let out = report::psti_statement(&cat, &rec, EPOCH, &|_| {}).expect("renders");
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("psti.pdf", &out.pdf);
    let items = &cat
        .framework("uk-psti-2023")
        .unwrap()
        .statement_of_compliance;
    assert!(!items.is_empty());
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    // The statement holds only the catalogue's items: name, type, batch, manufacturer,
    // address and signatory carry the five scripts.
    check_pdf(
        &path,
        &[
            &STRINGS[..6],
            &labels[..],
            &["2030-12-31", "Deemed compliance", "5.1-1", "山田はなこ"],
            // The model a retailer matches; the period with its end date; the
            // attestation of the same assessment.
            &[
                "スマートカメラ 日本語モデル NC-1",
                "5 years, until 2030-12-31 (from the date of issue, 2025-12-15)",
                "Supporting attestation",
                &rec.trail_head,
            ],
        ]
        .concat(),
    );
    let text = text_of(&path);
    assert_eq!(
        text.matches("Ñandú").count(),
        text.matches("ÑandúCam").count() + 3,
        "the manufacturer is named in its item, address-free header and once per declaration: {text}"
    );
    assert!(text.contains("theopinionofÑandúÉlectroniqueSA,themanufacturerhascomplied"));
    assert_eq!(manifest(&path)["product"]["id"], "nandu-cam");
}

#[test]
fn psti_statement_refuses_listing_every_missing_value() {
    let cat = catalogue();
    let mut rec = record(&cat);
    rec.product.support_period_end = None;
    rec.product.batch = Some("  ".to_owned());
    rec.signoff = None;
    rec.responses.retain(|r| {
        !r.requirement.starts_with("uk-psti-2023:2") && !r.requirement.ends_with(":5.2-1")
    });
    let err = report::psti_statement(&cat, &rec, EPOCH, &|_| {}).unwrap_err();
    let ReportError::Incomplete(missing) = &err else {
        panic!("expected Incomplete, got {err}");
    };
    let fields: Vec<&str> = missing.iter().map(|m| m.field.as_str()).collect();
    for f in [
        "support_period.statement",
        "product.batch",
        "signoff.signatory",
        "signoff.place",
        "signoff.date",
        "responses[uk-psti-2023:2]",
    ] {
        assert!(fields.contains(&f), "{f} not listed in {fields:?}");
    }
    assert!(!fields.contains(&"manufacturer.name"));
    assert_eq!(err.code(), "statement_incomplete");
    assert!(err.to_string().contains("support period"), "{err}");
}

#[test]
fn mapping_report_for_the_catalogue_lists_matrix_sets_and_dcms_documents() {
    let cat = catalogue();
    let out = report::mapping_report(&cat, None, EPOCH, &|_| {}).expect("renders");
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("mapping.pdf", &out.pdf);
    let docs = &cat
        .reference_sets()
        .iter()
        .find(|s| s.id == "dcms-documents")
        .unwrap()
        .documents;
    assert_eq!(docs.len(), 73);
    let set_titles: Vec<&str> = cat
        .mapping_sets()
        .iter()
        .filter(|s| s.id != "dcms-living-list")
        .map(|s| s.source.as_str())
        .collect();
    check_pdf(
        &path,
        &[
            &["Matrix", "NISTIR 8259A", "73 reference documents"],
            &set_titles[..],
        ]
        .concat(),
    );
    let text = text_of(&path);
    for d in docs.iter().take(5) {
        let t: String = d
            .organisation
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(text.contains(&t), "{t}");
    }
    assert_eq!(manifest(&path)["catalogue_digest"], cat.digest());
}

#[test]
fn mapping_report_for_a_product_states_rule_and_percentages() {
    let cat = catalogue();
    let mut rec = record(&cat);
    // A met answer the reviewer rejected covers nothing.
    let cop1 = rec
        .responses
        .iter_mut()
        .find(|r| r.requirement == "uk-cop-2018:1")
        .unwrap();
    assert_eq!(cop1.status, Status::Met);
    cop1.review = Some(Review {
        verdict: "rejected".to_owned(),
        reviewer: Some("Zoë Müller".to_owned()),
        comment: None,
        date: Some("2025-12-11".to_owned()),
    });
    let out = report::mapping_report(&cat, Some(&rec), EPOCH, &|_| {}).expect("renders");
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("mapping-product.pdf", &out.pdf);
    check_pdf(
        &path,
        &[
            "Rule used",
            "Full coverage %",
            "COVERED PARTLY",
            "Ñandú Cam",
            "NISTIR 8259A",
            "response rejected by the reviewer",
            "reference documents",
        ],
    );
    let text = text_of(&path);
    // Reference documents are counted per organisation, never listed by id nor "not assessed".
    assert!(!text.contains("doc:"), "raw document ids printed");
    assert!(
        !text.contains("(notassessed)"),
        "a reference document called not assessed"
    );
    assert_eq!(manifest(&path)["product"]["id"], "nandu-cam");
}

#[test]
fn a_character_no_font_covers_is_a_warning_and_a_named_placeholder() {
    let cat = catalogue();
    let mut rec = record(&cat);
    // U+0378 is unassigned, so no font anywhere draws it; the melting face (Unicode
    // 14) is newer than the monochrome emoji face set-up installs (Symbola, Unicode 9).
    rec.responses[0].statement = Some("Unassigned \u{378} and \u{1FAE0} are in no face".to_owned());
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    assert_eq!(out.warnings.len(), 2, "{:#?}", out.warnings);
    assert!(out.warnings[0].contains("U+0378"), "{}", out.warnings[0]);
    assert!(
        out.warnings[0].contains("Unassigned"),
        "{}",
        out.warnings[0]
    );
    assert!(
        out.warnings[1].contains("[emoji U+1FAE0]"),
        "{}",
        out.warnings[1]
    );
    let path = write("attestation-uncovered.pdf", &out.pdf);
    let text = text_of(&path);
    assert!(
        text.contains("Unassigned[U+0378]and[emojiU+1FAE0]are"),
        "{text}"
    );
}

#[test]
fn emoji_print_in_the_monochrome_emoji_face() {
    let cat = catalogue();
    let mut rec = record(&cat);
    rec.responses[0].statement = Some("Setup done \u{1F600} and locked \u{1F512}".to_owned());
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("attestation-emoji.pdf", &out.pdf);
    check_pdf(&path, &["Setup done \u{1F600} and locked \u{1F512}"]);
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.contains("Symbola"), "{fonts}");
}

fn note(title: &str, text: &str) -> Evidence {
    Evidence {
        title: title.to_owned(),
        kind: "note".to_owned(),
        file_name: None,
        sha256: None,
        date: Some("2025-12-02".to_owned()),
        expires: None,
        note: Some(text.to_owned()),
    }
}

#[test]
fn note_text_is_printed_and_the_manifest_carries_titles() {
    let cat = catalogue();
    let mut rec = record(&cat);
    rec.responses[0].evidence.push(note(
        "Design review",
        "Passwords are derived per device in the factory HSM; reviewed on the line.",
    ));
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    let path = write("attestation-note.pdf", &out.pdf);
    check_pdf(
        &path,
        &["Passwords are derived per device in the factory HSM; reviewed on the line."],
    );
    let m = manifest(&path);
    let (_, req) = cat.requirement(&rec.responses[0].requirement).unwrap();
    assert_eq!(m["responses"][0]["title"], req.title.as_str());
    let evidence = m["responses"][0]["evidence"].as_array().unwrap();
    assert_eq!(evidence.last().unwrap()["title"], "Design review");
    assert_eq!(
        evidence.last().unwrap()["note"],
        "Passwords are derived per device in the factory HSM; reviewed on the line."
    );
}

const SCRIPTS: [&str; 7] = [
    "อุปกรณ์ทุกเครื่องมีรหัสผ่านเฉพาะ",
    "हर उपकरण का अपना पासवर्ड है",
    "প্রতিটি যন্ত্রের নিজস্ব পাসওয়ার্ড",
    "ஒவ்வொரு சாதனத்திற்கும் தனி கடவுச்சொல்",
    "모든 기기에 고유한 비밀번호",
    "Κάθε συσκευή έχει μοναδικό κωδικό",
    "У каждого устройства свой пароль",
];

#[test]
fn every_installed_script_prints_in_a_tagged_pdf() {
    let cat = catalogue();
    let mut rec = record(&cat);
    for (r, s) in rec.responses.iter_mut().zip(SCRIPTS) {
        r.statement = Some(s.to_owned());
    }
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("attestation-scripts.pdf", &out.pdf);
    check_pdf(&path, &SCRIPTS);
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    let meta = tool("pdfinfo", &["-meta", path.to_str().unwrap()]);
    assert!(
        meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{meta}"
    );
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
}

#[test]
fn the_structure_tree_is_packed_into_object_streams() {
    let cat = catalogue();
    let out = report::attestation(&cat, &record(&cat), EPOCH, &|_| {}).unwrap();
    let path = write("attestation-packed.pdf", &out.pdf);
    check_pdf(&path, &STRINGS);
    let p = path.to_str().unwrap();
    // Each object is listed as `N/0: uncompressed; offset = …` or `compressed; stream = …`.
    let xref = tool("qpdf", &["--show-xref", p]);
    let packed = xref.lines().filter(|l| l.contains(": compressed")).count();
    let plain = xref
        .lines()
        .filter(|l| l.contains(": uncompressed"))
        .count();
    assert!(
        packed > 1000 && plain * 10 < packed,
        "{packed} packed, {plain} plain"
    );
    let info = tool("pdfinfo", &[p]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let tree = tool("pdfinfo", &["-struct", p]);
    for role in ["Document", "H1", "Table", "TR", "TD", "P"] {
        assert!(
            tree.lines().any(|l| l.trim_start().starts_with(role)),
            "no {role}"
        );
    }
    // The text is in the tree too. poppler's `-struct-text` takes minutes of CPU on
    // a tree this size, so it reads a one-framework attestation instead.
    let mut small = record(&cat);
    small.assessment.frameworks = vec!["uk-cop-2018".to_owned()];
    small
        .responses
        .retain(|r| r.requirement.starts_with("uk-cop-2018:"));
    let small = report::attestation(&cat, &small, EPOCH, &|_| {}).unwrap();
    let small = write("attestation-packed-small.pdf", &small.pdf);
    let text = tool("pdfinfo", &["-struct-text", small.to_str().unwrap()]);
    assert!(
        text.contains("Ñandú Électronique SA"),
        "text missing from the tree"
    );
    // `canary check` still finds the attachment in the raw bytes.
    let summary = canary::document::summary(&out.pdf, &cat).expect("manifest found");
    assert_eq!(summary.kind, "attestation");
    assert_eq!(manifest(&path)["product"]["id"], "nandu-cam");
}

/// Words as pdftotext places them: (text, x min, x max, page width).
fn words(path: &Path) -> Vec<(String, f64, f64, f64)> {
    let html = tool("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]);
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut width = 0.0;
    let mut out = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page") {
            width = attr(line, "width");
        } else if line.starts_with("<word") {
            let text = line.split('>').nth(1).unwrap().split('<').next().unwrap();
            out.push((
                text.to_owned(),
                attr(line, "xMin"),
                attr(line, "xMax"),
                width,
            ));
        }
    }
    out
}

#[test]
fn a_30000_character_word_and_long_urls_break_inside_the_page() {
    let cat = catalogue();
    let mut rec = record(&cat);
    let word: String = "abcdefghij".repeat(3_000);
    rec.responses[0].statement = Some(word.clone());
    rec.responses[1].evidence[0].file_name = Some(format!(
        "https://evidence.example.com/{}/report.pdf?sig={}",
        "deep/path".repeat(20),
        "f".repeat(200)
    ));
    rec.responses[1].evidence[0].title = "0123456789".repeat(30);
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).expect("renders");
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let path = write("attestation-long-word.pdf", &out.pdf);
    check_pdf(&path, &[&word[..500], &word[29_000..]]);
    // Nothing runs into the right margin (18 mm) or off the page.
    let margin = 18.0 / 25.4 * 72.0;
    for (text, _, x_max, width) in words(&path) {
        assert!(
            x_max <= width - margin + 1.0,
            "{text:.40} ends at {x_max} of {width}"
        );
    }
}

#[test]
fn a_right_to_left_statement_reads_from_the_right() {
    let cat = catalogue();
    let mut rec = record(&cat);
    rec.responses[0].statement = Some("كلمة المرور فريدة (support@example.com) رقم 42".to_owned());
    rec.responses[1].statement = Some("הסיסמה ייחודית [help@example.org] מספר 77".to_owned());
    let out = report::attestation(&cat, &rec, EPOCH, &|_| {}).unwrap();
    let path = write("attestation-rtl.pdf", &out.pdf);
    let words = words(&path);
    let x = |needle: &str| {
        words
            .iter()
            .find(|w| w.0.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not found"))
            .1
    };
    // Right-to-left base direction: the number that ends the sentence stands left of
    // the address in its middle (left-to-right would put it on the right).
    assert!(
        x("42") < x("support@example.com"),
        "Arabic read left to right"
    );
    assert!(x("77") < x("help@example.org"), "Hebrew read left to right");
}
