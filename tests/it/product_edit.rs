//! `canary product edit`: what is not given stays, a given list replaces the
//! stored one, and `--clear-<list>` empties it.

use crate::support::cli::Cli;

#[test]
fn list_fields_are_replaced_cleared_or_kept() {
    let cli = Cli::new().env("CANARY_AS", "Ada Lovelace");
    cli.ok(&["init"]);
    cli.ok(&[
        "product",
        "add",
        "--name",
        "Hub",
        "--model",
        "HUB-1",
        "--manufacturer",
        "Acme Ltd",
        "--address",
        "1 High Street",
        "--role",
        "DM",
        "--market",
        "UK",
        "--market",
        "JP",
        "--standard",
        "EN 18031-1:2024",
        "--security-label",
        "jc-star:STAR-1:JC-0001:2027-03-31",
        "--framework",
        "uk-psti-2023",
    ]);
    let edited = |args: &[&str]| {
        let mut all = vec!["product", "edit", "HUB-1"];
        all.extend_from_slice(args);
        cli.json(&all)["product"].clone()
    };
    // Nothing given: every list stays.
    let p = edited(&["--batch", "fw 2"]);
    assert_eq!(p["roles"], serde_json::json!(["DM"]), "{p}");
    assert_eq!(p["markets"], serde_json::json!(["UK", "JP"]), "{p}");
    assert_eq!(
        p["cra"]["standards"],
        serde_json::json!(["EN 18031-1:2024"])
    );
    assert_eq!(p["labels"].as_array().unwrap().len(), 1, "{p}");

    let p = edited(&[
        "--market",
        "EU",
        "--clear-roles",
        "--clear-standards",
        "--clear-labels",
    ]);
    assert_eq!(p["roles"], serde_json::json!([]), "{p}");
    assert_eq!(p["markets"], serde_json::json!(["EU"]), "{p}");
    assert_eq!(p["cra"]["standards"], serde_json::json!([]), "{p}");
    assert_eq!(p["labels"], serde_json::json!([]), "{p}");
    let p = edited(&["--clear-markets"]);
    assert_eq!(p["markets"], serde_json::json!([]), "{p}");
    assert_eq!(p["batch"], "fw 2", "{p}");

    // Stored, not only printed.
    let stored = cli.json(&["product", "labels", "--product", "HUB-1"]);
    assert_eq!(stored, serde_json::json!([]));
    // Clearing and giving the same list at once is refused.
    cli.cmd(&["product", "edit", "HUB-1", "--role", "DM", "--clear-roles"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--clear-roles"));
}
