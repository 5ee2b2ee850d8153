//! One rule in one place: what the CLI and the app both call instead of
//! checking themselves (first assessment, link rule, titles, opening, scope).

use canary::workbook::{
    check_url, opens_in_viewer, EvidenceInput, EvidenceSource, Opening, FIRST_ASSESSMENT_LABEL,
    NOTE_TITLE_CHARS,
};

use crate::support::store::{file_evidence, note, product, with_product, write_file, Fixture};

#[test]
fn a_product_and_its_first_assessment_are_stored_together_or_not_at_all() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let head = wb.trail_head().unwrap();
    let e = wb
        .add_product_with_assessment(
            &fx.cat,
            &product("Doorbell", "DB-1"),
            FIRST_ASSESSMENT_LABEL,
            &["uk-cop-2018".into(), "no-such-framework".into()],
        )
        .unwrap_err();
    assert_eq!(e.code(), "unknown_framework");
    assert!(wb.products().unwrap().is_empty());
    assert_eq!(wb.trail_head().unwrap(), head, "nothing recorded");

    let (p, a) = wb
        .add_product_with_assessment(&fx.cat, &product("Doorbell", "DB-1"), "fw 1.0", &[])
        .unwrap();
    assert_eq!(a.product_id, p.id);
    assert_eq!(a.label, "fw 1.0");
    assert_eq!(a.frameworks, ["uk-cop-2018"]);
    assert_eq!(FIRST_ASSESSMENT_LABEL, "Initial assessment");
}

#[test]
fn evidence_titles_default_to_the_file_name_the_link_and_the_note_s_first_line() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let file = fx.dir.path().join("pen-test.pdf");
    write_file(&file, 100, 7);
    let long = format!("  {}\nsecond line", "x".repeat(80));
    let cases = [
        (
            EvidenceSource::File(file.clone()),
            "pen-test.pdf".to_owned(),
        ),
        (
            EvidenceSource::Link("https://example.com/policy".into()),
            "https://example.com/policy".to_owned(),
        ),
        (
            EvidenceSource::Note("Checked the pairing flow\nwith two phones".into()),
            "Checked the pairing flow".to_owned(),
        ),
        (EvidenceSource::Note(long), "x".repeat(NOTE_TITLE_CHARS)),
    ];
    for (source, title) in cases {
        let e = wb
            .add_evidence(
                &fx.cat,
                a,
                "uk-cop-2018:1",
                &EvidenceInput {
                    title: " ".into(),
                    source,
                    date: None,
                    expires: None,
                },
            )
            .unwrap();
        assert_eq!(e.title, title);
    }
    // A given title wins.
    let mut input = note("certificate");
    input.title = " Certificate ".into();
    let e = wb
        .add_evidence(&fx.cat, a, "uk-cop-2018:1", &input)
        .unwrap();
    assert_eq!(e.title, "Certificate");
}

#[test]
fn links_follow_one_rule_when_stored_and_when_opened() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let head = wb.trail_head().unwrap();
    for bad in [
        "example.com/policy page",
        "javascript:alert(1)",
        "https://bank.example@evil.example/",
        "https://exam\u{202E}ple.com/",
        "https://example.com:99999/",
    ] {
        let e = wb
            .add_evidence(
                &fx.cat,
                a,
                "uk-cop-2018:1",
                &EvidenceInput {
                    title: "Policy".into(),
                    source: EvidenceSource::Link(bad.into()),
                    date: None,
                    expires: None,
                },
            )
            .unwrap_err();
        assert_eq!(e.code(), "invalid_url", "{bad:?}");
        assert!(e.to_string().starts_with("url: "), "{e}");
        assert!(check_url(bad).is_err());
    }
    assert_eq!(wb.trail_head().unwrap(), head, "nothing stored");

    // A link stored before the rule (or planted in a received file) is not opened.
    let ok = wb
        .add_evidence(
            &fx.cat,
            a,
            "uk-cop-2018:1",
            &EvidenceInput {
                title: "Policy".into(),
                source: EvidenceSource::Link("https://example.com/policy".into()),
                date: None,
                expires: None,
            },
        )
        .unwrap();
    assert_eq!(
        ok.opening().unwrap(),
        Opening::Link("https://example.com/policy".into())
    );
    let mut old = ok.clone();
    old.url = Some("file:///etc/passwd".into());
    assert_eq!(old.opening().unwrap_err().code(), "invalid_url");
    let n = wb
        .add_evidence(&fx.cat, a, "uk-cop-2018:1", &note("call"))
        .unwrap();
    assert_eq!(n.opening().unwrap_err().code(), "nothing_to_open");
}

#[test]
fn only_documents_and_pictures_open_in_a_viewer_the_rest_in_their_folder() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    for (name, view) in [
        ("report.pdf", true),
        ("photo.JPG", true),
        ("notes.md", true),
        ("log.txt", true),
        ("data.csv", true),
        ("page.html", false),
        ("drawing.svg", false),
        ("setup.exe", false),
        ("script.sh", false),
        ("macro.docx", false),
        ("no-extension", false),
    ] {
        assert_eq!(opens_in_viewer(name), view, "{name}");
        let path = fx.dir.path().join(name);
        write_file(&path, 10, 3);
        let e = wb
            .add_evidence(&fx.cat, a, "uk-cop-2018:2", &file_evidence("", &path))
            .unwrap();
        let hash = e.blob_hash.clone().unwrap();
        let file_name = name.to_owned();
        let expected = if view {
            Opening::View { hash, file_name }
        } else {
            Opening::Reveal { hash, file_name }
        };
        assert_eq!(e.opening().unwrap(), expected);
    }
    // A stored name from a received workbook cannot point elsewhere.
    let mut e = wb
        .evidence_of(&fx.cat, a, "uk-cop-2018:2")
        .unwrap()
        .remove(0);
    e.file_name = Some("../../.bashrc".into());
    match e.opening().unwrap() {
        Opening::Reveal { file_name, .. } => assert_eq!(file_name, ".bashrc"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn evidence_of_a_requirement_checks_it_is_in_the_assessment() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    assert!(wb
        .evidence_of(&fx.cat, a, "uk-cop-2018:1")
        .unwrap()
        .is_empty());
    wb.add_evidence(&fx.cat, a, "uk-cop-2018:1", &note("one"))
        .unwrap();
    wb.add_evidence(&fx.cat, a, "uk-cop-2018:2", &note("two"))
        .unwrap();
    let items = wb.evidence_of(&fx.cat, a, " uk-cop-2018:1 ").unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].title, "one");
    assert_eq!(
        wb.evidence_of(&fx.cat, a, "uk-cop-2018:99")
            .unwrap_err()
            .code(),
        "unknown_requirement"
    );
    // In the catalogue, but not in this assessment's frameworks.
    let p = wb.add_product(&fx.cat, &product("Plug", "P-1")).unwrap();
    let cop_only = wb
        .create_assessment(&fx.cat, p.id, "fw 1", &["uk-cop-2018".into()])
        .unwrap();
    let en_req = "etsi-en-303-645-v2.1.1:5.1-2";
    assert!(fx.cat.requirement(en_req).is_some());
    assert_eq!(
        wb.evidence_of(&fx.cat, cop_only.id, en_req)
            .unwrap_err()
            .code(),
        "requirement_not_in_scope"
    );
}

#[test]
fn a_clone_needs_a_label() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let head = wb.trail_head().unwrap();
    let e = wb.clone_assessment(a, "  ").unwrap_err();
    assert_eq!(e.code(), "required");
    assert_eq!(e.to_string(), "label must not be empty");
    assert_eq!(wb.trail_head().unwrap(), head);
}
