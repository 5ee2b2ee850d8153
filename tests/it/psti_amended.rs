//! PSTI as amended in 2025: the catalogue's labelling schemes and compliance
//! routes (with the reference's verification flags).

use std::fs;

use canary::catalogue::{Catalogue, RouteKind, Verification};

use crate::support::cli::{canary, Cli};
use crate::support::flow;

const PSTI: &str = "uk-psti-2023";

fn psti(cat: &Catalogue) -> &canary::catalogue::Framework {
    cat.framework(PSTI).expect("PSTI framework")
}

#[test]
fn catalogue_carries_the_amended_routes_flagged_partially_verified() {
    let cat = Catalogue::embedded().unwrap();
    let fw = psti(&cat);
    let route = |id: &str| {
        fw.compliance_routes
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("route {id}"))
    };

    let b = route("condition-b");
    assert_eq!(b.kind, RouteKind::DeemedCompliance);
    assert_eq!(b.covers, ["1", "2", "3"]);
    assert_eq!(b.labels.len(), 1);
    assert_eq!(b.labels[0].scheme, "jc-star");
    assert_eq!(b.labels[0].levels, ["STAR-1"]);
    let c = route("condition-c");
    assert_eq!(c.labels[0].scheme, "sg-cls");
    assert!(c.labels[0].levels.is_empty(), "any CLS level counts");
    let soc = route("statement-by-label");
    assert_eq!(soc.kind, RouteKind::StatementOfCompliance);
    assert!(soc.provision.contains("4A") && soc.provision.contains("Schedule 2A"));
    assert_eq!(soc.labels.len(), 2);
    route("condition-a");

    // Secondary sources only: never shown as verified, and the source says why.
    for r in &fw.compliance_routes {
        assert_eq!(r.verification, Verification::PartiallyVerified, "{}", r.id);
        assert!(
            r.source.contains("uk_psti_amendments_2025.yaml"),
            "{}",
            r.id
        );
        assert!(r.source.contains("CONSISTENT"), "{}", r.id);
    }
    for id in ["jc-star", "sg-cls"] {
        let s = cat.labelling_scheme(id).unwrap();
        assert_eq!(s.verification, Verification::PartiallyVerified);
        assert!(s.source.contains("labelling_schemes_jcstar_cls.yaml"));
    }
    assert_eq!(
        cat.labelling_scheme("jc-star").unwrap().levels,
        ["STAR-1", "STAR-2", "STAR-3", "STAR-4"]
    );

    let note = |id: &str| fw.notes.iter().find(|n| n.id == id).unwrap();
    let support = note("amendment-2025-support-period");
    assert_eq!(support.verification, Some(Verification::PartiallyVerified));
    assert!(support
        .source
        .as_deref()
        .unwrap()
        .contains("Amended wording UNVERIFIED"));
    // The SI number rests on one third-party source.
    assert_eq!(
        note("amendment-2025-instrument").verification,
        Some(Verification::Unverified)
    );
    assert!(!fw.notes.iter().any(|n| n.id == "amendments-not-applied"));
}

#[test]
fn catalog_check_refuses_a_route_naming_an_unknown_scheme_or_level() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("frameworks")).unwrap();
    let fw = "\
schema_version: 1
id: fw
title: A framework
short_title: FW
publisher: Someone
version: '1'
date: '2020'
source_url: https://example.org
licence: test
attribution: test
verification: verified
requirements:
- ref: '1'
  title: First
  verification: verified
labelling_schemes:
- id: star
  name: A scheme
  short_name: S
  operator: Someone
  levels: [L1]
  verification: partially_verified
  source: test
compliance_routes:
- id: by-label
  kind: deemed_compliance
  title: By label
  provision: Schedule 2
  covers: ['1', '9']
  labels:
  - scheme: star
    levels: [L2]
  - scheme: moon
  text: A label.
  verification: partially_verified
  source: test
";
    fs::write(dir.path().join("frameworks/fw.yaml"), fw).unwrap();
    let out = canary()
        .args(["catalog", "check", "--catalogue"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    let file = dir.path().join("frameworks/fw.yaml");
    for (line, needle) in [
        (29, "requirement `fw:9` is not defined"),
        (32, "`L2` is not a level of scheme `star`"),
        (33, "labelling scheme `moon` is not defined"),
    ] {
        let prefix = format!("{}:{line}:", file.display());
        assert!(
            text.lines()
                .any(|l| l.starts_with(&prefix) && l.contains(needle)),
            "expected `{prefix} … {needle}` in:\n{text}"
        );
    }
}

/// A workbook with one product holding `labels` (SCHEME:LEVEL:ID:EXPIRY) and its
/// first assessment against PSTI.
fn product_with_labels(labels: &[&str]) -> Cli {
    let cli = Cli::new()
        .env("CANARY_AS", "Test Runner")
        .env("SOURCE_DATE_EPOCH", "1780000000"); // 2026-05-28
    cli.ok(&["init"]);
    let mut options = vec![
        "--manufacturer",
        "Acme Ltd",
        "--address",
        "1 High Street, London",
        "--type",
        "smart hub",
        "--batch",
        "fw 2.x",
        "--support-end",
        "2030-12-31",
    ];
    for l in labels {
        options.extend(["--security-label", l]);
    }
    flow::add_product(&cli, "Hub", "HUB-1", &[PSTI], &options);
    cli
}

#[test]
fn labels_are_stored_listed_and_explained_by_verify() {
    let cli = product_with_labels(&["jc-star:star-1:JC-0001:2027-03-31"]);
    let labels = cli.json(&["product", "labels", "--product", "HUB-1"]);
    // The level is spelt as the catalogue spells it.
    assert_eq!(
        labels,
        serde_json::json!([{"scheme": "jc-star", "level": "STAR-1", "label_id": "JC-0001", "expiry": "2027-03-31"}])
    );
    cli.ok(&[
        "product",
        "labels",
        "--product",
        "HUB-1",
        "--add",
        "sg-cls:Level 2:CSA/311227/0042:2027-12-31",
        "--remove",
        "JC-0001",
    ]);
    let out = cli.ok(&["product", "labels", "--product", "HUB-1"]);
    assert!(
        out.contains("sg-cls Level 2 CSA/311227/0042  expires 2027-12-31"),
        "{out}"
    );
    assert!(!out.contains("JC-0001"), "{out}");
    cli.ok(&["verify"]);

    // A label changed behind the trail's back is named by table, row and field.
    let conn = rusqlite::Connection::open(cli.workbook()).unwrap();
    conn.execute("UPDATE product SET labels = '[]'", [])
        .unwrap();
    drop(conn);
    let out = cli
        .cmd(&["verify"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("product 1") && out.contains("labels"), "{out}");
}

#[test]
fn a_bad_scheme_level_or_date_is_refused_naming_the_field() {
    let cli = Cli::new().env("CANARY_AS", "Test Runner");
    cli.ok(&["init"]);
    let add = |label: &str| {
        vec![
            "product".to_owned(),
            "add".into(),
            "--name".into(),
            "Hub".into(),
            "--manufacturer".into(),
            "Acme".into(),
            "--model".into(),
            "HUB-1".into(),
            "--security-label".into(),
            label.into(),
        ]
    };
    for (label, message) in [
        (
            "moon:L1:X-1:2027-01-01",
            "product labels[0].scheme `moon` is not a labelling scheme of the catalogue (known: jc-star, sg-cls)",
        ),
        (
            "jc-star:STAR-9:X-1:2027-01-01",
            "product labels[0].level `STAR-9` is not a level of JC-STAR",
        ),
        (
            "jc-star:STAR-1:X-1:2027-02-30",
            "product labels[0].expiry `2027-02-30` is not a date in the form YYYY-MM-DD",
        ),
        (
            "jc-star:STAR-1:X-1:2027-0١-01",
            "product labels[0].expiry",
        ),
        ("jc-star:STAR-1: :2027-01-01", "product labels[0].label_id must not be empty"),
    ] {
        let args = add(label);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli.fails(&args, message);
    }
    assert_eq!(cli.json(&["product", "list"]), serde_json::json!([]));
}

#[test]
fn product_files_carry_labels_both_ways_and_refuse_bad_ones_with_line_and_field() {
    let cli = product_with_labels(&[
        "jc-star:STAR-1:JC-0001:2027-03-31",
        "sg-cls:Level 3:CSA/311227/0042:2027-12-31",
    ]);
    let out = cli.path("out");
    cli.ok(&[
        "export",
        "--product",
        "HUB-1",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = fs::read_to_string(out.join("product.yaml")).unwrap();
    assert!(text.contains("labels:"), "{text}");
    assert!(text.contains("label_id: JC-0001"), "{text}");

    let other = Cli::new().env("CANARY_AS", "Test Runner");
    other.ok(&["init"]);
    other.ok(&["import", out.join("product.yaml").to_str().unwrap()]);
    assert_eq!(
        other.json(&["product", "labels", "--product", "HUB-1"]),
        cli.json(&["product", "labels", "--product", "HUB-1"])
    );
    // Re-importing the same file changes nothing.
    let events = other.json(&["log"]).as_array().unwrap().len();
    other.ok(&["import", out.join("product.yaml").to_str().unwrap()]);
    assert_eq!(other.json(&["log"]).as_array().unwrap().len(), events);
    other.ok(&["verify"]);

    let bad = text.replace("scheme: sg-cls", "scheme: sg-clz");
    let line = bad.lines().position(|l| l.contains("sg-clz")).unwrap() + 1;
    fs::write(out.join("product.yaml"), &bad).unwrap();
    let file = out.join("product.yaml");
    let err = other
        .cmd(&["import", file.to_str().unwrap()])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains(&format!("{}:{line}:", file.display()))
            && err.contains("product.labels[1].scheme")
            && err.contains("`sg-clz` is not a labelling scheme"),
        "{err}"
    );
}

const TEAM: &str = "Tess Team";
const AUDITOR: &str = "Audrey Auditor";

/// A PSTI assessment of a product holding `labels`, answered met, reviewed,
/// approved and signed on 2026-06-01; returns the statement's text (pdftotext).
fn signed_statement(labels: &[&str]) -> (Cli, String) {
    let cli = product_with_labels(labels);
    flow::answer_all(&cli, "HUB-1", &[PSTI], "met", TEAM);
    flow::sign_off(
        &cli,
        "HUB-1",
        &[PSTI],
        &flow::Signing {
            team: TEAM,
            auditor: AUDITOR,
            place: "London",
            date: "2026-06-01",
        },
    );
    let pdf = cli.path("psti.pdf");
    cli.ok(&[
        "report",
        "psti",
        "--product",
        "HUB-1",
        "--no-sign",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (cli, text)
}

#[test]
fn a_current_star_1_label_is_the_route_the_statement_names() {
    let (_, text) = signed_statement(&["jc-star:STAR-1:JC-0001:2027-03-31"]);
    assert!(
        text.contains("Deemed compliance through a current label."),
        "{text}"
    );
    assert!(
        text.contains(
            "Deemed compliance under Schedule 2, condition B (as amended by SI 2025/1267): the product \
             holds a current JC-STAR label, STAR-1, label JC-0001, valid until 2027-03-31."
        ),
        "{text}"
    );
    // Regulation 4A: the label also meets the statement-of-compliance duty.
    assert!(
        text.contains("Under regulation 4A and Schedule 2A"),
        "{text}"
    );
    assert!(text.contains("partially verified"), "{text}");
    assert!(!text.contains("The standard route"), "{text}");
}

#[test]
fn an_expired_label_is_not_used_and_the_statement_says_so() {
    // Expired the day before the date of issue; a STAR-2 label names no route.
    let (_, text) = signed_statement(&[
        "jc-star:STAR-1:JC-0002:2026-05-31",
        "jc-star:STAR-2:JC-0003:2028-01-31",
    ]);
    assert!(text.contains("The standard route"), "{text}");
    assert!(
        text.contains(
            "The JC-STAR STAR-1 label JC-0002 expired on 2026-05-31, before the date of issue \
             (2026-06-01). An expired label is not a compliance route and is not relied on."
        ),
        "{text}"
    );
    assert!(
        text.contains("The JC-STAR STAR-2 label JC-0003 (valid until 2028-01-31) is not a label any compliance route names"),
        "{text}"
    );
    assert!(
        !text.contains("Deemed compliance through a current label"),
        "{text}"
    );
    assert!(!text.contains("Under regulation 4A"), "{text}");
}
