//! The EU declaration of conformity (CRA Annex V and VI) end to end with the real
//! binary: refused with the list of what is missing, made only from a signed
//! assessment covering `eu-cra-2024`, signed with minisign, frozen at the sign-off;
//! and the product fields it needs round-trip through product files.

use std::path::Path;
use std::process::Command as Std;

use canary::catalogue::{requirement_id, Catalogue};
use predicates::prelude::*;

use crate::support::cli::Cli;
use crate::support::flow;

const TEAM: &str = "Ada Lovelace";
const CRA: &str = "eu-cra-2024";

fn tool(program: &str, args: &[&str]) -> String {
    let out = Std::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pdftotext's text with whitespace removed (lines break anywhere).
fn text_of(pdf: &Path) -> String {
    squeeze(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]))
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A product of Acme Ltd assessed against `frameworks`, with the declaration's
/// fields filled in when `declared`.
fn product(cli: &Cli, frameworks: &[&str], declared: bool) {
    let mut options = vec![
        "--type",
        "smart plug",
        "--batch",
        "fw 2.x",
        "--manufacturer",
        "Acme Ltd",
        "--address",
        "1 High Street, Cambridge",
        "--support-end",
        "2031-03-31",
        "--as",
        TEAM,
    ];
    if declared {
        options.extend([
            "--standard",
            "EN 18031-1:2024",
            "--standard",
            "ETSI EN 303 645 V3.1.3 (2024-09)",
            "--notified-body",
            "Example Certification GmbH",
            "--notified-body-number",
            "0123",
            "--procedure",
            "EU-type examination (Module B) and conformity to type (Module C)",
            "--certificate",
            "EXC-2027-0042",
            "--declaration-url",
            "https://acme.example/doc/p-2",
        ]);
    }
    flow::add_product(cli, "Plug", "P-2", frameworks, &options);
}

fn answer_cra(cli: &Cli, status: &str) {
    flow::answer_all(cli, "P-2", &[CRA], status, TEAM);
}

fn sign(cli: &Cli) {
    flow::sign_off(
        cli,
        "P-2",
        &[CRA],
        &flow::Signing {
            team: TEAM,
            auditor: "Auditor",
            place: "Cambridge",
            date: "2027-12-01",
        },
    );
}

fn declaration(cli: &Cli, out: &Path) -> assert_cmd::assert::Assert {
    cli.cmd(&[
        "report",
        "cra-doc",
        "--product",
        "P-2",
        "--out",
        out.to_str().unwrap(),
    ])
    .assert()
}

#[test]
fn the_declaration_is_refused_for_an_assessment_without_the_cra_with_what_is_missing() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    product(&cli, &["uk-cop-2018"], false);
    let out = cli.path("doc.pdf");
    declaration(&cli, &out).code(1).stderr(
        predicate::str::contains("EU declaration of conformity cannot be issued")
            .and(predicate::str::contains("not signed"))
            .and(predicate::str::contains("does not cover eu-cra-2024"))
            .and(predicate::str::contains("cra.standards"))
            .and(predicate::str::contains("--standard")),
    );
    assert!(!out.exists());
}

#[test]
fn the_declaration_is_refused_until_the_cra_assessment_is_signed() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    product(&cli, &["eu-cra-2024"], true);
    answer_cra(&cli, "met");
    cli.ok(&[
        "respond",
        "--product",
        "P-2",
        "--requirement",
        "eu-cra-2024:II.3",
        "--status",
        "partially_met",
        "--as",
        TEAM,
    ]);
    let out = cli.path("doc.pdf");
    declaration(&cli, &out).code(1).stderr(
        predicate::str::contains("not signed")
            .and(predicate::str::contains("eu-cra-2024:II.3"))
            .and(predicate::str::contains("partially_met"))
            .and(predicate::str::contains("does not cover").not())
            .and(predicate::str::contains("cra.standards").not()),
    );
    assert!(!out.exists());
}

#[test]
fn a_signed_cra_assessment_gives_a_signed_declaration_with_every_annex_v_item() {
    let cli = Cli::new()
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .env("CANARY_PASSPHRASE", "correct horse battery staple");
    cli.ok(&["init"]);
    cli.ok(&[
        "key",
        "create",
        "--name",
        "Grace Hopper",
        "--organisation",
        "Acme Ltd",
    ]);
    product(&cli, &["eu-cra-2024"], true);
    answer_cra(&cli, "met");
    sign(&cli);

    let out = cli.path("doc.pdf");
    declaration(&cli, &out).success();
    tool("qpdf", &["--check", out.to_str().unwrap()]);
    let text = text_of(&out);
    let cat = Catalogue::embedded().unwrap();
    let fw = cat.framework("eu-cra-2024").unwrap();
    let doc = fw.declaration_of_conformity.as_ref().unwrap();
    assert_eq!(doc.items.len(), 8);
    for item in &doc.items {
        assert!(
            text.contains(&squeeze(&item.text)),
            "Annex V item {} is not in the PDF",
            item.id
        );
    }
    for s in [
        // Point 3 as the Official Journal prints it.
        "issued under the sole responsibility of the provider",
        "Signed for and on behalf of",
        "EN 18031-1:2024",
        "Example Certification GmbH",
        "0123",
        "EXC-2027-0042",
        "support until: March 2031",
        "Grace Hopper",
        "Cambridge",
        "2027-12-01",
        // Annex VI, filled in.
        "Hereby, Acme Ltd declares that the product with digital elements type Plug P-2 is in compliance with Regulation (EU) 2024/2847",
        "https://acme.example/doc/p-2",
    ] {
        assert!(text.contains(&squeeze(s)), "{s:?} is not in the PDF");
    }
    // Tagged like every report, with the data it was made from attached.
    let info = tool("pdfinfo", &[out.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(tool("pdfdetach", &["-list", out.to_str().unwrap()]).contains("canary-manifest.json"));

    // Signed, and `canary check` says so.
    let sig = cli.path("doc.pdf.minisig");
    assert!(sig.is_file());
    let checked = cli.json(&["check", out.to_str().unwrap()]);
    assert_eq!(checked["document"]["kind"], "cra-declaration", "{checked}");
    assert_eq!(checked["signature"]["signature"], "valid", "{checked}");

    // Frozen at the sign-off: editing the product afterwards changes nothing.
    cli.ok(&[
        "product",
        "edit",
        "P-2",
        "--certificate",
        "EXC-2099-9999",
        "--standard",
        "something else",
        "--as",
        TEAM,
    ]);
    let again = cli.path("again.pdf");
    declaration(&cli, &again).success();
    assert!(std::fs::read(&out).unwrap() == std::fs::read(&again).unwrap());
}

#[test]
fn the_declaration_fields_round_trip_through_a_product_file_and_verify_explains_them() {
    let cli = Cli::new().env("CANARY_AS", TEAM);
    cli.ok(&["init"]);
    product(&cli, &["eu-cra-2024"], true);
    let first = cli.path("first");
    cli.ok(&[
        "export",
        "--product",
        "P-2",
        "--out",
        first.to_str().unwrap(),
    ]);
    let yaml = std::fs::read_to_string(first.join("product.yaml")).unwrap();
    for s in [
        "cra:",
        "EN 18031-1:2024",
        "notified_body: Example Certification GmbH",
        "notified_body_number: '0123'",
        "certificate: EXC-2027-0042",
        "declaration_url: https://acme.example/doc/p-2",
    ] {
        assert!(yaml.contains(s), "{s:?} not in\n{yaml}");
    }

    let other = Cli::new().env("CANARY_AS", TEAM);
    other.ok(&["init"]);
    other.ok(&["import", first.join("product.yaml").to_str().unwrap()]);
    let second = other.path("second");
    other.ok(&[
        "export",
        "--product",
        "P-2",
        "--out",
        second.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(second.join("product.yaml")).unwrap(),
        yaml
    );

    // The store's rules hold for every way in.
    cli.fails(
        &["product", "edit", "P-2", "--notified-body", ""],
        "cra.notified_body_number",
    );
    cli.fails(
        &["product", "edit", "P-2", "--declaration-url", "ftp://x"],
        "cra.declaration_url",
    );
    for bad in ["NB 0123", "0123\n4567", "O123"] {
        cli.fails(
            &["product", "edit", "P-2", "--notified-body-number", bad],
            "cra.notified_body_number `",
        );
    }
    let bad = yaml.replace("    notified_body: Example Certification GmbH\n", "");
    std::fs::write(first.join("product.yaml"), bad).unwrap();
    other.fails(
        &["import", first.join("product.yaml").to_str().unwrap()],
        "product.cra.notified_body_number",
    );
    let bad = yaml.replace(
        "notified_body_number: '0123'",
        "notified_body_number: NB 0123",
    );
    std::fs::write(first.join("product.yaml"), bad).unwrap();
    other.fails(
        &["import", first.join("product.yaml").to_str().unwrap()],
        "product.cra.notified_body_number",
    );

    // `verify` replays the new columns: untouched, no findings; changed behind the
    // trail's back, the field is named.
    cli.ok(&["verify"]);
    let conn = rusqlite::Connection::open(cli.workbook()).unwrap();
    conn.execute("UPDATE product SET cra_certificate = 'forged'", [])
        .unwrap();
    drop(conn);
    cli.cmd(&["verify"])
        .assert()
        .failure()
        .stdout(predicate::str::contains("cra_certificate"));
}

#[test]
fn not_applicable_stands_only_where_the_annex_says_where_applicable() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1796083200");
    cli.ok(&["init"]);
    product(&cli, &["eu-cra-2024"], true);
    let cat = Catalogue::embedded().unwrap();
    let fw = cat.framework("eu-cra-2024").unwrap();
    for req in &fw.requirements {
        let id = requirement_id(fw, req);
        cli.ok(&[
            "respond",
            "--product",
            "P-2",
            "--requirement",
            &id,
            "--status",
            "not_applicable",
            "--statement",
            "Not relevant to this plug.",
            "--justification",
            "The risk assessment found no need.",
            "--as",
            TEAM,
        ]);
    }
    sign(&cli);
    let out = cli.path("doc.pdf");
    let refused = declaration(&cli, &out).failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    for req in &fw.requirements {
        let id = requirement_id(fw, req);
        let qualified = req
            .supporting_text
            .as_deref()
            .is_some_and(|t| t.contains("where applicable"));
        assert_eq!(
            err.contains(&format!("responses[{id}]")),
            !qualified,
            "{id} (where applicable: {qualified}): {err}"
        );
    }
    assert!(
        err.contains("applies to every product and must be met"),
        "{err}"
    );
    assert!(!out.exists());
}
