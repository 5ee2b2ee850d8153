//! The workbook commands, run as the real `canary` binary on a real file.

use predicates::prelude::*;

use crate::support::cli::Cli;

/// A workbook with a profile and product `DB-1`, assessed against CoP and EN.
fn setup(env: &Cli) {
    env.ok(&["init"]);
    env.ok(&[
        "profile",
        "set",
        "--name",
        "Ada",
        "--organisation",
        "Acme",
        "--role",
        "engineer",
    ]);
    env.ok(&[
        "product",
        "add",
        "--name",
        "Doorbell",
        "--model",
        "DB-1",
        "--type",
        "doorbell",
        "--manufacturer",
        "Acme Ltd",
        "--address",
        "1 High St, London",
        "--support-end",
        "2030-12-31",
        "--role",
        "DM",
        "--market",
        "UK",
        "--framework",
        "uk-cop-2018",
        "--framework",
        "etsi-en-303-645-v2.1.1",
    ]);
}

#[test]
fn init_creates_a_workbook_and_leaves_an_existing_one_alone() {
    let env = Cli::with_fixture_catalogue();
    let file = env.dir().join("new.canary");
    env.cmd(&["init"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("created workbook"));
    assert!(file.exists());
    env.cmd(&["init"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("already exists"));
}

#[test]
fn init_refuses_a_foreign_file_untouched() {
    let env = Cli::with_fixture_catalogue();
    let png = env.dir().join("photo.canary");
    let bytes = b"\x89PNG\r\n\x1a\n not really an image".to_vec();
    std::fs::write(&png, &bytes).unwrap();
    env.cmd(&["init"])
        .arg(&png)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a Canary workbook"));
    assert_eq!(std::fs::read(&png).unwrap(), bytes);
}

#[test]
fn commands_on_a_missing_workbook_say_how_to_create_one() {
    let env = Cli::with_fixture_catalogue();
    env.fails(&["product", "list"], "canary init");
    assert!(!env.workbook().exists());
}

/// Nobody set up yet (no person, no profile, no `--as`): the change is recorded
/// under the computer login, the core's rule, as the app does.
#[test]
fn writes_without_a_person_or_as_are_recorded_as_the_login() {
    let env = Cli::with_fixture_catalogue().env("USER", "login-x");
    env.ok(&["init"]);
    let x = [
        "product",
        "add",
        "--name",
        "X",
        "--model",
        "X-1",
        "--manufacturer",
        "Acme",
    ];
    env.ok(&x);
    let actor = |env: &Cli| env.json(&["log"]).as_array().unwrap().last().unwrap()["actor"].clone();
    assert_eq!(actor(&env), "login-x");
    let y = [
        "product",
        "add",
        "--name",
        "Y",
        "--model",
        "Y-1",
        "--manufacturer",
        "Acme",
    ];
    env.ok(&[&y[..], &["--as", "Bob"]].concat());
    assert_eq!(actor(&env), "Bob");
}

#[test]
fn the_review_workflow_end_to_end() {
    let env = Cli::with_fixture_catalogue();
    setup(&env);
    let list = env.ok(&["product", "list"]);
    assert!(
        list.contains("Doorbell")
            && list.contains("DB-1")
            && list.contains("Initial assessment: draft"),
        "{list}"
    );

    env.ok(&[
        "respond",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
        "--status",
        "met",
        "--statement",
        "unique per-device passwords",
    ]);
    env.fails(
        &[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:3",
            "--status",
            "not_applicable",
        ],
        "needs a justification",
    );
    env.ok(&[
        "respond",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:3",
        "--status",
        "not_applicable",
        "--justification",
        "no software updates",
    ]);
    env.ok(&[
        "respond",
        "--product",
        "Doorbell",
        "--requirement",
        "uk-cop-2018:2",
        "--status",
        "not_met",
        "--justification",
        "no disclosure policy yet",
    ]);
    env.fails(
        &[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:99",
            "--status",
            "met",
        ],
        "unknown requirement",
    );
    // A value clap rejects is a usage error (exit 2, as for every usage error).
    env.cmd(&[
        "respond",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
        "--status",
        "great",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "expected one of not_assessed, met",
    ));

    let status = env.ok(&["status", "--product", "DB-1"]);
    assert!(status.contains("uk-cop-2018 (13 requirements): not_assessed 10, met 1, partially_met 0, not_met 1, not_applicable 1"), "{status}");
    assert!(
        status.contains("canaries: 1 claimed, 2 fail, 3 unknown"),
        "{status}"
    );

    let file = env.dir().join("pentest.pdf");
    std::fs::write(&file, b"%PDF-1.4 test report").unwrap();
    let ev = env.json(&[
        "evidence",
        "add",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
        "--file",
        file.to_str().unwrap(),
        "--title",
        "Pen test",
        "--date",
        "2025-10-01",
    ]);
    assert_eq!(ev["media_type"], "application/pdf");
    assert_eq!(ev["size"], 20);
    env.ok(&[
        "evidence",
        "add",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
        "--url",
        "https://example.com/policy",
        "--title",
        "Policy",
    ]);
    env.fails(
        &[
            "evidence",
            "add",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:1",
            "--file",
            env.dir().to_str().unwrap(),
            "--title",
            "dir",
        ],
        "directory",
    );

    // List the evidence, remove one item, and find the removal on the trail.
    let add_note = [
        "evidence",
        "add",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
        "--note",
        "Spoke to the vendor",
        "--title",
        "Call",
    ];
    env.ok(&add_note);
    let listed = env.ok(&["evidence", "list", "--product", "DB-1"]);
    assert!(
        listed.contains("Pen test: pentest.pdf (20 bytes, sha256 "),
        "{listed}"
    );
    assert!(
        listed.contains("Policy: https://example.com/policy"),
        "{listed}"
    );
    let only = ["evidence", "list", "--product", "DB-1", "--requirement"];
    let items = env.json(&[&only[..], &["uk-cop-2018:1"]].concat());
    assert_eq!(items.as_array().unwrap().len(), 3, "{items}");
    assert!(env
        .json(&[&only[..], &["uk-cop-2018:2"]].concat())
        .as_array()
        .unwrap()
        .is_empty());
    let note = items[2]["id"].to_string();
    assert_eq!(items[2]["title"], "Call");
    assert_eq!(items[2]["requirement"], "uk-cop-2018:1");
    env.fails(
        &[&only[..], &["uk-cop-2018:99"]].concat(),
        "unknown requirement \"uk-cop-2018:99\"",
    );
    assert!(env
        .ok(&["evidence", "remove", &note])
        .contains("removed evidence"));
    let items = env.json(&[&only[..], &["uk-cop-2018:1"]].concat());
    assert_eq!(items.as_array().unwrap().len(), 2, "{items}");
    env.fails(
        &["evidence", "remove", &note],
        &format!("no evidence {note}"),
    );
    let last = env.ok(&["log", "--last", "1"]);
    assert!(last.contains(&format!("delete evidence {note}")), "{last}");
    let back = env.json(&["evidence", "restore", &note]);
    assert_eq!(back["title"], "Call");
    let items = env.json(&[&only[..], &["uk-cop-2018:1"]].concat());
    assert_eq!(items.as_array().unwrap().len(), 3, "{items}");
    env.fails(&["evidence", "restore", &note], "nothing to restore");
    let gone = env.json(&["evidence", "remove", &back["id"].to_string()]);
    assert_eq!(gone["removed"], back["id"]);

    env.fails(
        &["approve", "--product", "DB-1"],
        "cannot approve an assessment that is draft",
    );
    env.ok(&["submit", "--product", "DB-1"]);
    env.ok(&[
        "review",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
        "--verdict",
        "accepted",
        "--comment",
        "fine",
        "--as",
        "Rita",
    ]);
    env.ok(&["request-changes", "--product", "DB-1"]);
    env.ok(&[
        "respond",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:2",
        "--status",
        "met",
    ]);
    env.ok(&["submit", "--product", "DB-1"]);
    env.ok(&[
        "review",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:2",
        "--verdict",
        "accepted",
    ]);
    // Guidelines 4–13 and most provisions are not assessed: approval is refused, naming them.
    env.fails(
        &["approve", "--product", "DB-1"],
        "uk-cop-2018:4 not assessed; uk-cop-2018:5 not assessed",
    );
    let approved = env.json(&[
        "approve",
        "--product",
        "DB-1",
        "--despite",
        "guidelines 1 and 2 only, by agreement",
    ]);
    assert_eq!(approved["state"], "approved");
    assert_eq!(
        approved["approval_override"]["reason"],
        "guidelines 1 and 2 only, by agreement"
    );
    env.ok(&[
        "sign",
        "--product",
        "DB-1",
        "--signatory",
        "Grace Hopper",
        "--function",
        "CTO",
        "--place",
        "London",
        "--date",
        "2025-11-25",
    ]);
    env.fails(
        &[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:4",
            "--status",
            "met",
        ],
        "locked",
    );

    env.ok(&["clone", "--product", "DB-1", "--label", "fw 2.0"]);
    env.ok(&[
        "respond",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:4",
        "--status",
        "met",
    ]);
    let dash = env.json(&["status"]);
    assert_eq!(dash[0]["assessment_label"], "fw 2.0");
    assert_eq!(dash[0]["state"], "draft");
    assert_eq!(dash[0]["counts"][0]["met"], 3);

    let log = env.ok(&["log"]);
    assert!(
        log.contains("Rita") && log.contains("sign assessment") && log.contains("trail head"),
        "{log}"
    );
    env.cmd(&["verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems found"));
}

#[test]
fn verify_exits_1_with_findings_on_a_tampered_workbook() {
    let env = Cli::with_fixture_catalogue();
    setup(&env);
    let conn = rusqlite::Connection::open(env.workbook()).unwrap();
    // Past the append-only trigger, put back word for word (a file without it is refused).
    let trigger: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'event_no_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER event_no_update; UPDATE event SET actor = 'Mallory' WHERE seq = 2;",
    )
    .unwrap();
    conn.execute_batch(&trigger).unwrap();
    drop(conn);
    env.cmd(&["verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("trail_chain: event 2"))
        .stderr(predicate::str::contains("verification found 1 problem"));
}

#[test]
fn verify_names_a_row_changed_behind_the_trails_back() {
    let env = Cli::with_fixture_catalogue();
    setup(&env);
    let conn = rusqlite::Connection::open(env.workbook()).unwrap();
    conn.execute_batch("UPDATE product SET model = 'DB-9' WHERE id = 1;")
        .unwrap();
    drop(conn);
    env.cmd(&["verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "rows: product 1: model: the trail says \"DB-1\", the table holds \"DB-9\"",
        ))
        .stderr(predicate::str::contains("verification found 1 problem"));
    let out = env
        .cmd(&["--json", "verify"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        report["findings"][0]["row"],
        serde_json::json!({
            "table": "product", "id": "1", "field": "model",
            "in_trail": "DB-1", "in_table": "DB-9"
        })
    );
}

#[test]
fn an_ambiguous_product_lists_the_matches() {
    let env = Cli::with_fixture_catalogue();
    setup(&env);
    env.ok(&[
        "product",
        "add",
        "--name",
        "doorbell",
        "--model",
        "DB-2",
        "--manufacturer",
        "Acme Ltd",
    ]);
    let out = env
        .cmd(&["status", "--product", "Doorbell"])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("DB-1") && err.contains("DB-2"), "{err}");
}

#[test]
fn product_add_with_an_unknown_framework_stores_nothing() {
    let env = Cli::with_fixture_catalogue();
    env.ok(&["init"]);
    env.fails(
        &[
            "product",
            "add",
            "--name",
            "X",
            "--model",
            "X-1",
            "--manufacturer",
            "Acme",
            "--framework",
            "no-such",
            "--as",
            "A",
        ],
        "unknown framework \"no-such\"",
    );
    assert_eq!(env.json(&["product", "list"]), serde_json::json!([]));
    assert_eq!(env.json(&["log"]), serde_json::json!([]));
}

/// A link import would refuse is refused when added, with the same reason; a
/// link or note without a title gets the title the app gives it.
#[test]
fn evidence_links_follow_the_import_rule_and_titles_default_like_the_app() {
    let env = Cli::with_fixture_catalogue();
    setup(&env);
    let add = [
        "evidence",
        "add",
        "--product",
        "DB-1",
        "--requirement",
        "uk-cop-2018:1",
    ];
    env.fails(
        &[&add[..], &["--url", "example.com/policy page"]].concat(),
        "url: \"example.com/policy page\" is not an http:// or https:// URL",
    );
    env.fails(
        &[&add[..], &["--url", "https://bank.example@evil.example/"]].concat(),
        "names a user before the host",
    );
    let listed = env.json(&["evidence", "list", "--product", "DB-1"]);
    assert_eq!(listed, serde_json::json!([]));

    let link = env.json(&[&add[..], &["--url", "https://example.com/policy"]].concat());
    assert_eq!(link["title"], "https://example.com/policy");
    let note = env.json(&[&add[..], &["--note", "Called the vendor\nThey confirmed"]].concat());
    assert_eq!(note["title"], "Called the vendor");
    env.fails(
        &[
            "evidence",
            "list",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:99",
        ],
        "unknown requirement \"uk-cop-2018:99\"",
    );
}
