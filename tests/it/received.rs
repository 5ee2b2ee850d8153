//! The retailer's register with the real binary: a team signs reports with its
//! own key (its own config directory), a retailer receives them into their own
//! workbook; genuine, altered, unsigned, duplicate, trusted and untrusted
//! documents, support periods near their end, and `verify` explaining every row.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::support::cli::Cli;

const PASS: &str = "correct horse battery staple";

struct World {
    /// The team's workbook and home.
    team: Cli,
    /// The retailer's workbook and home.
    retailer: Cli,
}

impl World {
    fn new() -> Self {
        let team = Cli::new()
            .env("CANARY_AS", "Ada")
            .env("CANARY_PASSPHRASE", PASS)
            .env("SOURCE_DATE_EPOCH", "1767225600");
        team.ok(&["init"]);
        team.ok(&[
            "key",
            "create",
            "--name",
            "Ada Lovelace",
            "--organisation",
            "Acme Ltd",
        ]);
        let retailer = Cli::new().env("CANARY_AS", "Rita");
        retailer.ok(&["init"]);
        Self { team, retailer }
    }

    /// A product of Acme Ltd with support until `support_end`, its first canary met.
    fn product(&self, model: &str, support_end: &str) {
        self.team.ok(&[
            "product",
            "add",
            "--name",
            &format!("Plug {model}"),
            "--model",
            model,
            "--manufacturer",
            "Acme Ltd",
            "--support-end",
            support_end,
            "--framework",
            "uk-cop-2018",
        ]);
        self.team.ok(&[
            "respond",
            "--product",
            model,
            "--requirement",
            "uk-cop-2018:1",
            "--status",
            "met",
        ]);
    }

    /// The team's attestation of `model`, signed unless `--no-sign` is in `extra`.
    fn attestation(&self, model: &str, extra: &[&str]) -> PathBuf {
        let pdf = self.team.path(&format!("{model}.pdf"));
        let mut args = vec![
            "report",
            "attestation",
            "--product",
            model,
            "--out",
            pdf.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        self.team.ok(&args);
        pdf
    }

    fn receive(&self, files: &[&Path]) -> Command {
        let mut args = vec!["received", "add"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        self.retailer.cmd(&args)
    }

    fn list(&self) -> Vec<Value> {
        self.retailer
            .json(&["received", "list"])
            .as_array()
            .unwrap()
            .clone()
    }
}

fn sig_of(pdf: &Path) -> PathBuf {
    PathBuf::from(format!("{}.minisig", pdf.display()))
}

/// `YYYY-MM-DD`, `days` from now by the system clock (the workbook's).
fn day_from_now(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    canary::workbook::date_of(now + days * 86_400)
}

#[test]
fn genuine_is_kept_valid_altered_refused_unsigned_kept_unsigned() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    let genuine = w.attestation("P-1", &[]);
    w.product("P-2", "2099-12-31");
    let unsigned = w.attestation("P-2", &["--no-sign"]);
    assert!(!sig_of(&unsigned).exists());

    let altered = w.team.path("altered.pdf");
    let mut bytes = std::fs::read(&genuine).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&altered, bytes).unwrap();
    std::fs::copy(sig_of(&genuine), sig_of(&altered)).unwrap();

    // The altered one is refused by name, after the others were added.
    w.receive(&[&genuine, &altered, &unsigned])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("received #1").and(predicate::str::contains("received #2")),
        )
        .stderr(
            predicate::str::contains("refused")
                .and(predicate::str::contains("altered.pdf"))
                .and(predicate::str::contains("altered since it was signed"))
                .and(predicate::str::contains("unsigned"))
                .and(predicate::str::contains("not one you trust")),
        );

    let rows = w.list();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let (valid, kept) = (&rows[0], &rows[1]);
    assert_eq!(valid["model"], "P-1");
    assert_eq!(valid["manufacturer"], "Acme Ltd");
    assert_eq!(valid["kind"], "attestation");
    assert_eq!(valid["signature"], "valid");
    assert_eq!(valid["signer"], "Ada Lovelace");
    assert_eq!(valid["trust"], "untrusted");
    assert_eq!(valid["trusted"], false);
    assert_eq!(valid["support"], "later");
    assert!(valid["key_id"].as_str().is_some_and(|k| !k.is_empty()));
    let canaries = valid["canaries"].as_array().unwrap();
    assert_eq!(canaries.len(), 3, "{canaries:?}");
    assert_eq!(canaries[0]["requirement"], "uk-cop-2018:1");
    assert_eq!(canaries[0]["verdict"], "claimed");
    assert_eq!(kept["model"], "P-2");
    assert_eq!(kept["signature"], "unsigned");
    assert_eq!(kept["trust"], "none");
    assert!(kept["key_id"].is_null());

    // The stored copies are the files received, byte for byte; the altered file
    // left nothing behind; the trail explains every row.
    let detail = w.retailer.json(&["received", "show", "1"]);
    assert_eq!(detail["signature_now"], "valid");
    let stored_hash = detail["document"]["pdf_hash"].as_str().unwrap();
    assert_eq!(
        stored_hash,
        canary::digest::hex(&sha(&std::fs::read(&genuine).unwrap()))
    );
    assert!(detail["document"]["signature_hash"].is_string());
    assert_eq!(
        w.retailer.json(&["received", "show", "2"])["signature_now"],
        "unsigned"
    );
    w.retailer.ok(&["verify"]);
    let log = w.retailer.ok(&["log"]);
    assert_eq!(log.matches("receive received").count(), 2, "{log}");

    // Human output: one line each, the unsigned one flagged.
    let text = w.retailer.ok(&["received", "list"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains("Acme Ltd") && lines[0].contains("NOT trusted"),
        "{text}"
    );
    assert!(lines[1].contains("UNSIGNED"), "{text}");
}

fn sha(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[test]
fn the_same_document_twice_is_held_once() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    let pdf = w.attestation("P-1", &[]);
    w.receive(&[&pdf]).assert().success();
    w.receive(&[&pdf])
        .assert()
        .success()
        .stdout(predicate::str::contains("already received as #1"));
    assert_eq!(w.list().len(), 1);
    w.retailer.ok(&["verify"]);
}

#[test]
fn trusting_the_key_changes_the_list_not_what_was_recorded() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    let pdf = w.attestation("P-1", &[]);
    w.receive(&[&pdf]).assert().success();
    assert_eq!(w.list()[0]["trust"], "untrusted");

    let public = w.team.path("team.pub");
    w.team
        .ok(&["key", "export", "--out", public.to_str().unwrap()]);
    w.retailer.ok(&[
        "trust",
        "add",
        public.to_str().unwrap(),
        "--name",
        "Acme team",
        "--organisation",
        "Acme Ltd",
    ]);
    let row = &w.list()[0];
    assert_eq!(row["trust"], "trusted");
    assert_eq!(row["trusted"], true);
    assert_eq!(row["trusted_as"], "Acme team");
    assert_eq!(row["trust_at_receipt"], "untrusted");

    // A document of the same organisation signed by another key: kept, flagged.
    let forger = Cli::new()
        .env("CANARY_AS", "Mallory")
        .env("CANARY_PASSPHRASE", PASS);
    forger.ok(&["init"]);
    forger.ok(&[
        "key",
        "create",
        "--name",
        "Mallory",
        "--organisation",
        "Acme Ltd",
    ]);
    forger.ok(&[
        "product",
        "add",
        "--name",
        "Plug F",
        "--model",
        "F-1",
        "--manufacturer",
        "Acme Ltd",
    ]);
    let forged = forger.path("forged.pdf");
    forger.ok(&[
        "report",
        "attestation",
        "--product",
        "F-1",
        "--out",
        forged.to_str().unwrap(),
    ]);
    w.receive(&[&forged])
        .assert()
        .success()
        .stderr(predicate::str::contains("SIGNED BY A DIFFERENT KEY"));
    let rows = w.list();
    assert_eq!(rows[1]["trust"], "other_key_pinned");
    assert_eq!(rows[1]["trusted"], false);
    let shown = w.retailer.ok(&["received", "show", "2"]);
    assert!(shown.contains("you pinned"), "{shown}");
}

#[test]
fn support_ending_within_12_months_or_past_is_flagged() {
    let w = World::new();
    let cases = [
        ("S-1", day_from_now(100), "soon"),
        ("S-2", "2020-01-01".to_owned(), "past"),
        ("S-3", day_from_now(800), "later"),
    ];
    let mut files = Vec::new();
    for (model, end, _) in &cases {
        w.product(model, end);
        files.push(w.attestation(model, &[]));
    }
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    w.receive(&refs).assert().success();
    let rows = w.list();
    for (row, (model, end, flag)) in rows.iter().zip(&cases) {
        assert_eq!(row["model"], *model);
        assert_eq!(row["support_period_end"], end.as_str());
        assert_eq!(row["support"], *flag, "{row:#?}");
    }
    let text = w.retailer.ok(&["received", "list"]);
    assert!(text.contains("support ENDS WITHIN 12 MONTHS"), "{text}");
    assert!(text.contains("support ENDED 2020-01-01"), "{text}");
}

#[test]
fn a_received_row_changed_behind_the_trail_is_named() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    let pdf = w.attestation("P-1", &[]);
    w.receive(&[&pdf]).assert().success();
    let conn = rusqlite::Connection::open(w.retailer.workbook()).unwrap();
    conn.execute("UPDATE received SET trust_at_receipt = 'trusted'", [])
        .unwrap();
    drop(conn);
    w.retailer.cmd(&["verify"]).assert().code(1).stdout(
        predicate::str::contains("received 1").and(predicate::str::contains("trust_at_receipt")),
    );
}

#[test]
fn what_is_not_a_canary_report_is_refused() {
    let w = World::new();
    let junk = w.retailer.path("junk.pdf");
    std::fs::write(&junk, b"%PDF-1.7\nnot a report\n").unwrap();
    let missing = w.retailer.path("missing.pdf");
    w.receive(&[&junk, &missing]).assert().code(1).stderr(
        predicate::str::contains("refused")
            .and(predicate::str::contains("junk.pdf"))
            .and(predicate::str::contains("missing.pdf")),
    );
    assert!(w.list().is_empty());
}

#[test]
fn a_removed_document_leaves_the_register_and_the_trail_explains_it() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    w.product("P-2", "2099-12-31");
    let (one, two) = (w.attestation("P-1", &[]), w.attestation("P-2", &[]));
    w.receive(&[&one, &two]).assert().success();
    let removed = w.retailer.json(&["received", "remove", "2"]);
    assert_eq!(removed["model"], "P-2");
    let ids: Vec<i64> = w.list().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1]);
    w.retailer
        .fails(&["received", "show", "2"], "no received document 2");
    w.retailer
        .fails(&["received", "remove", "2"], "no received document 2");
    let log = w.retailer.json(&["log"]);
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(
        (
            &last["entity"],
            &last["entity_id"],
            &last["action"],
            &last["actor"]
        ),
        (
            &Value::from("received"),
            &Value::from("2"),
            &Value::from("delete"),
            &Value::from("Rita")
        )
    );
    assert!(last["before"].as_str().unwrap().contains("P-2"));
    w.retailer
        .cmd(&["verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems found"));

    // Received again, it comes back under a new number: #2 named the removed one.
    let again = w.receive(&[&two]).assert().success();
    let out = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(out.contains("received #3"), "{out}");
    w.retailer.ok(&["verify"]);
}

#[test]
fn a_received_row_deleted_behind_the_trail_is_named() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    let pdf = w.attestation("P-1", &[]);
    w.receive(&[&pdf]).assert().success();
    let conn = rusqlite::Connection::open(w.retailer.workbook()).unwrap();
    conn.execute("DELETE FROM received WHERE id = 1", [])
        .unwrap();
    drop(conn);
    w.retailer
        .cmd(&["verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("received 1"));
}

#[test]
fn a_retailer_who_is_nobody_yet_receives_as_their_login() {
    let w = World::new();
    w.product("P-1", "2099-12-31");
    w.product("P-2", "2099-12-31");
    let pdf = w.attestation("P-1", &[]);
    // No `--as`, no person in the home, no profile: the core's rule, as in the app.
    let shop = Cli::new().env("USER", "shop-login");
    shop.ok(&["init"]);
    shop.ok(&["received", "add", pdf.to_str().unwrap()]);
    let detail = shop.json(&["received", "show", "1"]);
    assert_eq!(detail["document"]["received_by"], "shop-login");
    // Once they are someone, they receive as themselves.
    shop.ok(&[
        "profile",
        "set",
        "--name",
        "Rita Retail",
        "--organisation",
        "Shop",
    ]);
    let other = w.attestation("P-2", &["--no-sign"]);
    shop.ok(&["received", "add", other.to_str().unwrap()]);
    let detail = shop.json(&["received", "show", "2"]);
    assert_eq!(detail["document"]["received_by"], "Rita Retail");
}
