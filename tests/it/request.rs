//! Attestation requests with the real binary: a retailer signs a request with its
//! own key (its own config directory), the stock `minisign` checks it, and a
//! manufacturer's import starts the matching assessments; an altered request is
//! refused before anything is written, and a bad one is named.

use std::process::Command as Std;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::cli::Cli;

const PASS: &str = "correct horse battery staple";
const ETSI: &str = "etsi-en-303-645-v2.1.1";

/// A retailer with a key, and the request it wrote for SP-1, SP-2 and NOPE.
fn retailer_request() -> (Cli, Value, std::path::PathBuf) {
    let shop = Cli::new().env("CANARY_PASSPHRASE", PASS);
    let key = shop.json(&[
        "key",
        "create",
        "--name",
        "Rita Retail",
        "--organisation",
        "Shop Ltd",
    ]);
    let file = shop.path("request.json");
    shop.ok(&[
        "request",
        "create",
        "--product",
        "SP-1",
        "--product",
        "SP-2",
        "--product",
        "NOPE",
        "--manufacturer",
        "Acme Ltd",
        "--framework",
        "uk-cop-2018",
        "--framework",
        ETSI,
        "--due",
        "2027-03-31",
        "--out",
        file.to_str().unwrap(),
    ]);
    (shop, key, file)
}

/// Acme's workbook: SP-1 a draft against the CoP, SP-2 approved.
fn manufacturer() -> Cli {
    let team = Cli::new().env("CANARY_AS", "Ada");
    team.ok(&["init"]);
    for model in ["SP-1", "SP-2"] {
        team.ok(&[
            "product",
            "add",
            "--name",
            &format!("Plug {model}"),
            "--model",
            model,
            "--manufacturer",
            "Acme Ltd",
            "--framework",
            "uk-cop-2018",
        ]);
    }
    let cop1 = ["--product", "SP-2", "--requirement", "uk-cop-2018:1"];
    team.ok(&[&["respond"][..], &cop1, &["--status", "met"]].concat());
    team.ok(&["submit", "--product", "SP-2"]);
    team.ok(&[&["review"][..], &cop1, &["--verdict", "accepted"]].concat());
    team.ok(&["approve", "--product", "SP-2", "--despite", "pilot"]);
    team
}

/// The team does not trust the retailer's key: it imports knowingly.
fn import(team: &Cli, file: &std::path::Path) -> Value {
    team.json(&[
        "request",
        "import",
        "--accept-untrusted",
        file.to_str().unwrap(),
    ])
}

#[test]
fn a_signed_request_starts_the_matching_assessments() {
    let (_shop, key, file) = retailer_request();
    let sent: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(sent["from"]["organisation"], "Shop Ltd");
    assert_eq!(sent["due"], "2027-03-31");

    // Anyone can check it with the stock tool.
    let out = Std::new("minisign")
        .arg("-Vm")
        .arg(&file)
        .arg("-P")
        .arg(key["key"].as_str().unwrap())
        .output()
        .expect("the minisign tool is installed (scripts/setup.sh)");
    assert!(out.status.success(), "{out:?}");

    let team = manufacturer();
    // A key the team does not trust starts nothing, unless the team says it knows.
    let before = team.json(&["log"]).as_array().unwrap().len();
    team.fails(
        &["request", "import", file.to_str().unwrap()],
        "which you do not trust",
    );
    assert_eq!(team.json(&["log"]).as_array().unwrap().len(), before);
    team.cmd(&[
        "request",
        "import",
        "--accept-untrusted",
        file.to_str().unwrap(),
    ])
    .assert()
    .success()
    .stderr(predicate::str::contains("not one you trust"));
    let done = import(&team, &file);
    // Imported twice: the second time everything is already covered.
    let outcomes: Vec<&str> = done["started"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["covered", "covered", "not_held"]);

    let log = team.json(&["log"]);
    let events = log.as_array().unwrap();
    let frameworks = events
        .iter()
        .filter(|e| e["action"] == "frameworks")
        .count();
    assert_eq!(
        frameworks, 2,
        "SP-1's draft, then SP-2's new one, gained ETSI"
    );
    let clone = events.iter().find(|e| e["action"] == "clone").unwrap();
    assert!(clone["after"]
        .as_str()
        .unwrap()
        .contains("Requested by Shop Ltd, due 2027-03-31"));
    let status = team.json(&["status"]);
    for row in status.as_array().unwrap() {
        let fws: Vec<&str> = row["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["framework"].as_str().unwrap())
            .collect();
        assert_eq!(fws, ["uk-cop-2018", ETSI], "{row:#}");
        assert_eq!(row["state"], "draft");
    }
    team.ok(&["verify"]);
}

#[test]
fn the_first_import_says_what_it_started() {
    let (_shop, _key, file) = retailer_request();
    let team = manufacturer();
    let done = import(&team, &file);
    let started = done["started"].as_array().unwrap();
    assert_eq!(started[0]["outcome"], "extended");
    assert_eq!(started[0]["added"], serde_json::json!([ETSI]));
    assert_eq!(started[1]["outcome"], "cloned");
    assert_eq!(
        started[1]["assessment"]["label"],
        "Requested by Shop Ltd, due 2027-03-31"
    );
    assert_eq!(
        started[2],
        serde_json::json!({"outcome": "not_held", "model": "NOPE"})
    );
    assert_eq!(done["signature"]["signature"], "valid");
}

#[test]
fn an_altered_request_is_refused_and_starts_nothing() {
    let (_shop, _key, file) = retailer_request();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("2027-03-31", "2027-01-31")).unwrap();
    let team = manufacturer();
    let before = team.json(&["log"]).as_array().unwrap().len();
    team.fails(
        &["request", "import", file.to_str().unwrap()],
        "the request was refused",
    );
    assert_eq!(team.json(&["log"]).as_array().unwrap().len(), before);
}

#[test]
fn a_bad_request_is_named_and_none_is_written() {
    let shop = Cli::new().env("CANARY_AS", "Rita");
    shop.ok(&["profile", "set", "--name", "Rita Retail"]);
    let file = shop.path("r.json");
    let create = |framework: &str, due: &str| {
        shop.cmd(&[
            "request",
            "create",
            "--product",
            "SP-1",
            "--framework",
            framework,
            "--due",
            due,
            "--out",
            file.to_str().unwrap(),
            "--no-sign",
        ])
    };
    create("no-such-framework", "2027-03-31")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "\"no-such-framework\" is not in the catalogue",
        ));
    create("uk-cop-2018", "2027-02-30")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2027-02-30"));
    assert!(!file.exists());

    // An unsigned request with a field this version does not know is refused by name.
    create("uk-cop-2018", "2027-03-31").assert().success();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen('{', "{\"priority\": \"high\",", 1)).unwrap();
    let team = manufacturer();
    team.fails(
        &["request", "import", file.to_str().unwrap()],
        "unknown field `priority`",
    );
}

#[test]
fn an_assessment_under_review_is_left_alone() {
    let (_shop, _key, file) = retailer_request();
    let team = manufacturer();
    team.ok(&["submit", "--product", "SP-1"]);
    let before = team.json(&["log"]).as_array().unwrap().len();
    let done = import(&team, &file);
    assert_eq!(done["started"][0]["outcome"], "in_progress");
    assert_eq!(done["started"][0]["state"], "submitted");
    assert_eq!(done["started"][1]["outcome"], "cloned");
    let log = team.json(&["log"]);
    let after: Vec<&Value> = log.as_array().unwrap()[before..].iter().collect();
    assert!(
        after.iter().all(|e| e["entity_id"] != "1"),
        "nothing recorded on SP-1's assessment: {after:#?}"
    );
}

#[test]
fn a_request_signed_by_another_key_than_the_pinned_one_is_refused_even_when_accepted() {
    let (shop, key, file) = retailer_request();
    let team = manufacturer().env("CANARY_PASSPHRASE", PASS);
    // The team pinned a different key for Shop Ltd.
    let other = Cli::new().env("CANARY_PASSPHRASE", PASS);
    let other_key = other.json(&[
        "key",
        "create",
        "--name",
        "Real Shop",
        "--organisation",
        "Shop Ltd",
    ]);
    team.ok(&[
        "trust",
        "add",
        other_key["key"].as_str().unwrap(),
        "--name",
        "Shop Ltd buying",
        "--organisation",
        "Shop Ltd",
    ]);
    assert_ne!(other_key["key"], key["key"]);
    let before = team.json(&["log"]).as_array().unwrap().len();
    team.fails(
        &[
            "request",
            "import",
            "--accept-untrusted",
            file.to_str().unwrap(),
        ],
        "not the key you pinned for Shop Ltd",
    );
    assert_eq!(team.json(&["log"]).as_array().unwrap().len(), before);
    drop(shop);
}

#[test]
fn every_batch_of_a_requested_model_is_started_once() {
    let (_shop, _key, file) = retailer_request();
    let team = manufacturer();
    // A second batch of SP-1.
    team.ok(&[
        "product",
        "add",
        "--name",
        "Plug SP-1 (2027)",
        "--model",
        "SP-1",
        "--batch",
        "2027",
        "--manufacturer",
        "Acme Ltd",
        "--framework",
        "uk-cop-2018",
    ]);
    let done = import(&team, &file);
    let started: Vec<(&str, &str)> = done["started"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["model"].as_str().unwrap(), s["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        started,
        [
            ("SP-1", "extended"),
            ("SP-1", "extended"),
            ("SP-2", "cloned"),
            ("NOPE", "not_held")
        ]
    );
}
