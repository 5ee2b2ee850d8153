//! Signed documents end to end with the real binary: people with their own config
//! directories (`CANARY_HOME`), a team that signs a report, a retailer who checks
//! it, a forger, and the stock `minisign` tool verifying Canary's output.

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support::cli::Cli;
use crate::support::flow;

const PASS: &str = "correct horse battery staple";

/// `canary ARGS` on the shared workbook, as the person whose home is `home`.
fn as_person(cli: &Cli, home: &Path, args: &[&str]) -> Command {
    flow::as_person(cli, home, PASS, args)
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn create_key(cli: &Cli, home: &Path, name: &str, organisation: &str) -> serde_json::Value {
    flow::create_key(cli, home, PASS, name, organisation, &[])
}

/// A workbook with one product of Acme Ltd and a few answers.
fn workbook(cli: &Cli) {
    cli.ok(&["init"]);
    flow::add_product(
        cli,
        "Plug \"Two\"",
        "P-2",
        &["uk-cop-2018"],
        &["--manufacturer", "Acme Ltd", "--support-end", "2030-12-31"],
    );
    for (r, s) in [("uk-cop-2018:1", "met"), ("uk-cop-2018:2", "not_met")] {
        cli.ok(&[
            "respond",
            "--product",
            "P-2",
            "--requirement",
            r,
            "--status",
            s,
            "--justification",
            "planned for the next firmware",
        ]);
    }
}

fn attestation(cli: &Cli, home: &Path, out: &Path) -> Command {
    as_person(
        cli,
        home,
        &[
            "report",
            "attestation",
            "--product",
            "P-2",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

fn sig_of(pdf: &Path) -> PathBuf {
    PathBuf::from(format!("{}.minisig", pdf.display()))
}

fn check(cli: &Cli, home: &Path, pdf: &Path) -> Command {
    as_person(cli, home, &["check", pdf.to_str().unwrap()])
}

#[test]
fn a_retailer_checks_what_a_team_signed() {
    let cli = Cli::new()
        .env("CANARY_AS", "Ada")
        .env("SOURCE_DATE_EPOCH", "1767225600");
    let (team, retailer, forger) = (cli.path("team"), cli.path("retailer"), cli.path("forger"));
    workbook(&cli);
    let key = create_key(&cli, &team, "Ada Lovelace", "Acme Ltd");
    let key_id = key["key_id"].as_str().unwrap().to_owned();
    let public = cli.path("team.pub");
    as_person(
        &cli,
        &team,
        &["key", "export", "--out", public.to_str().unwrap()],
    )
    .assert()
    .success();
    let shown = stdout(&mut as_person(&cli, &team, &["key", "show"]));
    assert!(
        shown.contains(&key_id) && shown.contains(key["key"].as_str().unwrap()),
        "{shown}"
    );

    let pdf = cli.path("attestation.pdf");
    attestation(&cli, &team, &pdf)
        .assert()
        .success()
        .stdout(predicate::str::contains("signed: "));
    let signature = std::fs::read_to_string(sig_of(&pdf)).unwrap();
    assert!(
        signature.contains(
            r#"trusted comment: canary kind="attestation" product="Plug \"Two\"" model="P-2""#
        ),
        "{signature}"
    );

    // Not trusted yet: valid, with a warning.
    check(&cli, &retailer, &pdf)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("signature: valid, key ")
                .and(predicate::str::contains("NOT a key you trust")),
        )
        .stderr(predicate::str::contains(
            "warning: the signature is valid but key",
        ));

    as_person(
        &cli,
        &retailer,
        &[
            "trust",
            "add",
            public.to_str().unwrap(),
            "--name",
            "Acme team",
            "--organisation",
            "Acme Ltd",
        ],
    )
    .assert()
    .success();
    let listed = stdout(&mut as_person(&cli, &retailer, &["trust", "list"]));
    assert!(
        listed.contains(&key_id) && listed.contains("Acme team"),
        "{listed}"
    );

    let out = stdout(&mut as_person(
        &cli,
        &retailer,
        &["--json", "check", pdf.to_str().unwrap()],
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["signature"]["signature"], "valid");
    assert_eq!(report["signature"]["trust"], "trusted");
    assert_eq!(report["signature"]["key_id"], key_id.as_str());
    assert_eq!(report["signature"]["signer"], "Ada Lovelace");
    let doc = &report["document"];
    assert_eq!(doc["kind"], "attestation");
    assert_eq!(doc["product"], "Plug \"Two\"");
    assert_eq!(doc["model"], "P-2");
    assert_eq!(doc["manufacturer"], "Acme Ltd");
    assert_eq!(doc["support_period_end"], "2030-12-31");
    assert_eq!(doc["frameworks"][0]["framework"], "uk-cop-2018");
    assert_eq!(doc["frameworks"][0]["counts"]["met"], 1);
    assert_eq!(doc["frameworks"][0]["counts"]["not_met"], 1);
    let canaries = doc["canaries"].as_array().unwrap();
    assert!(
        canaries
            .iter()
            .any(|c| c["requirement"] == "uk-cop-2018:1" && c["verdict"] == "claimed"),
        "{canaries:?}"
    );
    assert!(
        canaries
            .iter()
            .any(|c| c["requirement"] == "uk-cop-2018:2" && c["verdict"] == "fail"),
        "{canaries:?}"
    );
    assert!(doc["report_date"]
        .as_str()
        .unwrap()
        .starts_with("2026-01-01"));

    // One changed byte: refused.
    let altered = cli.path("altered.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&altered, bytes).unwrap();
    std::fs::copy(sig_of(&pdf), sig_of(&altered)).unwrap();
    check(&cli, &retailer, &altered)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad signature").and(predicate::str::contains("altered")));

    // A forger's key, claiming the same organisation: flagged.
    create_key(&cli, &forger, "Mallory", "Acme Ltd");
    let forged = cli.path("forged.pdf");
    attestation(&cli, &forger, &forged).assert().success();
    check(&cli, &retailer, &forged)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "NOT the key you pinned for Acme Ltd",
        ))
        .stderr(predicate::str::contains("SIGNED BY A DIFFERENT KEY"));

    // Unsigned: written, said once, and `check` refuses it.
    let unsigned = cli.path("unsigned.pdf");
    attestation(&cli, &team, &unsigned)
        .arg("--no-sign")
        .assert()
        .success();
    assert!(unsigned.exists() && !sig_of(&unsigned).exists());
    check(&cli, &retailer, &unsigned)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the document is not signed"));

    as_person(&cli, &retailer, &["trust", "remove", &key_id])
        .assert()
        .success();
    check(&cli, &retailer, &pdf)
        .assert()
        .success()
        .stderr(predicate::str::contains("not one you trust"));
}

#[test]
fn without_a_key_the_pdf_is_written_unsigned_with_one_warning() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    let pdf = cli.path("m.pdf");
    std::fs::write(sig_of(&pdf), "stale").unwrap();
    let out = cli
        .cmd(&["report", "mapping", "--out", pdf.to_str().unwrap()])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("not signed")
                .count(1)
                .and(predicate::str::contains("canary key create")),
        )
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("signed:"));
    assert!(pdf.exists());
    assert!(!sig_of(&pdf).exists(), "a stale signature is removed");
}

#[test]
fn keys_are_never_replaced_and_need_a_passphrase() {
    let cli = Cli::new();
    let home = cli.path("me");
    create_key(&cli, &home, "Ada", "Acme");
    as_person(&cli, &home, &["key", "create", "--name", "Ada"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("already exists")
                .and(predicate::str::contains("left untouched")),
        );
    cli.cmd(&["key", "create", "--name", "Bob"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("CANARY_PASSPHRASE"));
    let mut wrong = as_person(&cli, &home, &["report", "mapping", "--out", "x.pdf"]);
    wrong.env("CANARY_PASSPHRASE", "not it");
    wrong
        .assert()
        .code(1)
        .stderr(predicate::str::contains("passphrase does not open"));
}

/// Anyone can check a Canary signature without Canary.
#[test]
fn the_stock_minisign_tool_verifies_canary_signatures() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    let home = cli.path("me");
    let key = create_key(&cli, &home, "Ada", "Acme");
    let public = key["key"].as_str().unwrap();
    let pdf = cli.path("mapping.pdf");
    as_person(
        &cli,
        &home,
        &["report", "mapping", "--out", pdf.to_str().unwrap()],
    )
    .assert()
    .success();
    let minisign = |file: &Path| {
        Std::new("minisign")
            .arg("-Vm")
            .arg(file)
            .arg("-P")
            .arg(public)
            .output()
            .expect("the minisign tool is installed (scripts/setup.sh)")
    };
    let good = minisign(&pdf);
    assert!(good.status.success(), "{good:?}");
    assert!(
        String::from_utf8_lossy(&good.stdout).contains("kind=\"mapping\""),
        "{good:?}"
    );

    let altered = cli.path("altered.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x20;
    std::fs::write(&altered, bytes).unwrap();
    std::fs::copy(sig_of(&pdf), sig_of(&altered)).unwrap();
    let bad = minisign(&altered);
    assert!(!bad.status.success(), "{bad:?}");
}
