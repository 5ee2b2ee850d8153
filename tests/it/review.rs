//! Truthful reports (issue 9): approval refused while answers are outstanding and
//! allowed only with a recorded reason that page 1 prints; canary tiles and
//! dashboard badges follow the reviewed verdict; a signed assessment's reports
//! are fixed documents; frameworks of a draft can change; migration 0003.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use canary::catalogue::Catalogue;
use canary::workbook::{Workbook, APPLICATION_ID, SCHEMA_VERSION};
use rusqlite::Connection;

use super::support::cli::Cli;
use super::support::flow;

/// Text of page 1 or of every page, every run of whitespace one space.
fn pdftotext(path: &Path, first_page_only: bool) -> String {
    let mut c = Process::new("pdftotext");
    if first_page_only {
        c.args(["-f", "1", "-l", "1"]);
    }
    let out = c
        .arg(path)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Page 1 laid out as on paper (`pdftotext -layout`), each line's whitespace runs
/// as one space: side-by-side tiles come out on one line, left to right.
fn page1_lines(path: &Path) -> Vec<String> {
    let out = Process::new("pdftotext")
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(path)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

const TEAM: &str = "Tess Team";
const AUDITOR: &str = "Rita Reviewer";
/// The frameworks the products here are assessed against.
const BOTH: [&str; 2] = ["uk-cop-2018", "uk-psti-2023"];

/// A product assessed against CoP and PSTI with every requirement met.
fn all_met(cli: &Cli, model: &str) {
    flow::add_product(
        cli,
        &format!("Plug {model}"),
        model,
        &BOTH,
        &[
            "--type",
            "smart plug",
            "--batch",
            "2026-A",
            "--manufacturer",
            "Acme Devices Ltd",
            "--address",
            "1 Example Street, Exampletown",
            "--support-end",
            "2030-12-31",
            "--as",
            TEAM,
        ],
    );
    flow::answer_all(cli, model, &BOTH, "met", TEAM);
}

fn review(cli: &Cli, model: &str, requirement: &str, verdict: &str) {
    cli.ok(&[
        "review",
        "--product",
        model,
        "--requirement",
        requirement,
        "--verdict",
        verdict,
        "--as",
        AUDITOR,
    ]);
}

#[test]
fn approval_is_refused_on_a_rejected_verdict_and_allowed_despite_with_the_reason_on_page_1() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    cli.ok(&["init"]);
    all_met(&cli, "SP-1");
    cli.ok(&["submit", "--product", "SP-1", "--as", TEAM]);
    for id in BOTH.into_iter().flat_map(flow::requirements) {
        match id.as_str() {
            // Canary 1 rejected, canary 3 left unreviewed (claimed), one needs info.
            "uk-cop-2018:1" => review(&cli, "SP-1", &id, "rejected"),
            "uk-cop-2018:3" => {}
            "uk-cop-2018:7" => review(&cli, "SP-1", &id, "needs_info"),
            _ => review(&cli, "SP-1", &id, "accepted"),
        }
    }

    // The refusal names each answer, its verdict and the reviewer; nothing else.
    let out = cli
        .cmd(&["approve", "--product", "SP-1", "--as", AUDITOR])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains(
            "uk-cop-2018:1 rejected by Rita Reviewer; uk-cop-2018:7 needs info by Rita Reviewer"
        ),
        "{err}"
    );
    assert!(
        !err.contains("uk-cop-2018:3"),
        "unreviewed is not a refusal: {err}"
    );
    let status = cli.json(&["status", "--product", "SP-1"]);
    assert_eq!(status[0]["state"], "in_review");

    cli.fails(
        &[
            "approve",
            "--product",
            "SP-1",
            "--despite",
            "  ",
            "--as",
            AUDITOR,
        ],
        "reason must not be empty",
    );
    let reason = "The first batch is recalled; guideline 1 is fixed in the second batch.";
    let a = cli.json(&[
        "approve",
        "--product",
        "SP-1",
        "--despite",
        reason,
        "--as",
        AUDITOR,
    ]);
    assert_eq!(a["state"], "approved");
    assert_eq!(a["approval_override"]["reason"], reason);
    assert_eq!(a["approval_override"]["by"], AUDITOR);
    let log = cli.json(&["log", "--last", "1"]);
    assert_eq!(log[0]["action"], "approve");
    assert!(log[0]["after"].as_str().unwrap().contains(reason));

    // The dashboard's badges: one rule with page 1.
    let status = cli.json(&["status", "--product", "SP-1"]);
    let canaries: Vec<(&str, &str)> = status[0]["canaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["state"].as_str().unwrap(),
                c["reviewer"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        canaries,
        [("fail", AUDITOR), ("pass", AUDITOR), ("claimed", "-")]
    );

    let pdf = cli.path("attestation.pdf");
    cli.ok(&[
        "report",
        "attestation",
        "--product",
        "SP-1",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let page1 = pdftotext(&pdf, true);
    assert!(
        page1.contains("Approved despite outstanding answers by Rita Reviewer"),
        "{page1}"
    );
    assert!(page1.contains(reason), "{page1}");
    // Tiles in catalogue order: 1 rejected, 2 accepted, 3 met but not reviewed.
    let lines = page1_lines(&pdf);
    let has = |line: &str| lines.iter().any(|l| l == line);
    assert!(has("FAIL PASS CLAIMED"), "{lines:#?}");
    assert!(
        has("rejected by Rita Reviewer accepted by Rita Reviewer not reviewed"),
        "{lines:#?}"
    );
    // The overall line counts verdicts too: of 16 requirements, 13 accepted.
    assert!(has("16 16 0 0 0 0"), "{lines:#?}");
    let ends = |tail: &str| lines.iter().any(|l| l.ends_with(tail));
    assert!(ends("13 1 1 1 0"), "{lines:#?}");
    assert!(
        ends("accepted rejected needs info not reviewed expired evidence"),
        "{lines:#?}"
    );

    // The PSTI statement and the mapping report print the override on page 1 too.
    cli.ok(&[
        "sign",
        "--product",
        "SP-1",
        "--signatory",
        "Grace Hopper",
        "--function",
        "CTO",
        "--place",
        "London",
        "--date",
        "2026-01-01",
        "--as",
        TEAM,
    ]);
    for kind in ["psti", "mapping"] {
        let out = cli.path(&format!("{kind}.pdf"));
        cli.ok(&[
            "report",
            kind,
            "--product",
            "SP-1",
            "--out",
            out.to_str().unwrap(),
        ]);
        let page1 = pdftotext(&out, true);
        assert!(page1.contains(reason), "{kind}: {page1}");
    }
}

#[test]
fn a_signed_attestation_and_statement_stay_byte_identical_after_unrelated_changes() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    cli.ok(&["init"]);
    all_met(&cli, "SP-1");
    flow::sign_off(
        &cli,
        "SP-1",
        &BOTH,
        &flow::Signing {
            team: TEAM,
            auditor: AUDITOR,
            place: "London",
            date: "2026-01-01",
        },
    );
    let signed_head = cli.json(&["status", "--product", "SP-1"]);
    assert_eq!(signed_head[0]["signed"], true);
    let head_at_signing = {
        let wb = Workbook::open(&cli.workbook()).unwrap();
        let p = wb.find_product("SP-1").unwrap();
        let a = wb.latest_assessment(p.id).unwrap();
        a.signoff.unwrap().trail_head.unwrap()
    };
    let render = |name: &str| -> (Vec<u8>, Vec<u8>) {
        let att = cli.path(&format!("{name}-attestation.pdf"));
        let psti = cli.path(&format!("{name}-psti.pdf"));
        for (kind, out) in [("attestation", &att), ("psti", &psti)] {
            cli.ok(&[
                "report",
                kind,
                "--product",
                "SP-1",
                "--out",
                out.to_str().unwrap(),
            ]);
        }
        (std::fs::read(att).unwrap(), std::fs::read(psti).unwrap())
    };
    let before = render("before");

    // Unrelated changes: another product and its answers, and the signed
    // product's own details edited after signing.
    all_met(&cli, "SP-2");
    cli.ok(&["submit", "--product", "SP-2", "--as", TEAM]);
    {
        let mut wb = Workbook::open(&cli.workbook()).unwrap();
        wb.set_actor(Some(TEAM.into()));
        let p = wb.find_product("SP-1").unwrap();
        let mut info = p.info.clone();
        info.name = "Renamed after signing".into();
        info.support_end = Some("2035-12-31".into());
        wb.update_product(&Catalogue::embedded().unwrap(), p.id, &info)
            .unwrap();
        assert_ne!(wb.trail_head().unwrap(), head_at_signing);
    }
    let after = render("after");
    assert!(before.0 == after.0, "the signed attestation changed");
    assert!(before.1 == after.1, "the signed statement changed");

    // They print the head at signing, and the statement's signature item says
    // what it is.
    let att = pdftotext(&cli.path("after-attestation.pdf"), false);
    assert!(att.contains(&head_at_signing), "{att}");
    assert!(!att.contains("Renamed after signing"));
    let psti = pdftotext(&cli.path("after-psti.pdf"), false);
    assert!(
        psti.contains("Sign-off by Grace Hopper (CTO) recorded in the Canary workbook on 2026-01-01, at trail head"),
        "{psti}"
    );
    assert!(
        psti.contains("not a handwritten or cryptographic signature"),
        "{psti}"
    );
    // The live product page shows the edit; only the signed documents are frozen.
    let wb = Workbook::open(&cli.workbook()).unwrap();
    assert_eq!(
        wb.find_product("SP-1").unwrap().info.name,
        "Renamed after signing"
    );
}

#[test]
fn frameworks_of_a_draft_can_be_added_and_removed_keeping_answers() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    cli.ok(&["init"]);
    flow::add_product(
        &cli,
        "Cam",
        "C-1",
        &[],
        &["--manufacturer", "Acme Devices Ltd", "--as", TEAM],
    );
    cli.fails(
        &[
            "respond",
            "--product",
            "C-1",
            "--requirement",
            "uk-psti-2023:1",
            "--status",
            "met",
            "--as",
            TEAM,
        ],
        "not in this assessment's frameworks",
    );
    let a = cli.json(&[
        "frameworks",
        "--product",
        "C-1",
        "--add",
        "uk-psti-2023",
        "--as",
        TEAM,
    ]);
    assert_eq!(
        a["frameworks"],
        serde_json::json!(["uk-cop-2018", "uk-psti-2023"])
    );
    cli.ok(&[
        "respond",
        "--product",
        "C-1",
        "--requirement",
        "uk-psti-2023:1",
        "--status",
        "met",
        "--as",
        TEAM,
    ]);
    cli.fails(
        &[
            "frameworks",
            "--product",
            "C-1",
            "--add",
            "no-such",
            "--as",
            TEAM,
        ],
        "unknown framework \"no-such\"",
    );
    cli.fails(
        &[
            "frameworks",
            "--product",
            "C-1",
            "--remove",
            "eu-cra-2024",
            "--as",
            TEAM,
        ],
        "is not assessed here",
    );
    let a = cli.json(&[
        "frameworks",
        "--product",
        "C-1",
        "--remove",
        "uk-psti-2023",
        "--as",
        TEAM,
    ]);
    assert_eq!(a["frameworks"], serde_json::json!(["uk-cop-2018"]));
    cli.fails(
        &[
            "frameworks",
            "--product",
            "C-1",
            "--remove",
            "uk-cop-2018",
            "--as",
            TEAM,
        ],
        "needs at least one framework",
    );
    // Adding it back brings the answer back; the trail has the full rows.
    cli.ok(&[
        "frameworks",
        "--product",
        "C-1",
        "--add",
        "uk-psti-2023",
        "--as",
        TEAM,
    ]);
    let status = cli.json(&["status", "--product", "C-1"]);
    let psti = &status[0]["counts"][1];
    assert_eq!(
        (psti["framework"].as_str(), psti["met"].as_u64()),
        (Some("uk-psti-2023"), Some(1))
    );
    let log = cli.json(&["log", "--last", "1"]);
    assert_eq!(log[0]["action"], "frameworks");
    let after: serde_json::Value = serde_json::from_str(log[0]["after"].as_str().unwrap()).unwrap();
    assert_eq!(
        after["frameworks"],
        serde_json::json!(["uk-cop-2018", "uk-psti-2023"])
    );

    cli.ok(&["submit", "--product", "C-1", "--as", TEAM]);
    cli.fails(
        &[
            "frameworks",
            "--product",
            "C-1",
            "--add",
            "eu-cra-2024",
            "--as",
            TEAM,
        ],
        "frameworks can change only while it is a draft",
    );
}

#[test]
fn the_bundled_example_covers_the_psti_regulations() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    cli.ok(&["init"]);
    cli.ok(&["import", "--example", "--as", TEAM]);
    let status = cli.json(&["status"]);
    let counts = status[0]["counts"].as_array().unwrap();
    let psti = counts
        .iter()
        .find(|c| c["framework"] == "uk-psti-2023")
        .expect("the example assesses PSTI");
    assert_eq!(
        (psti["total"].as_u64(), psti["met"].as_u64()),
        (Some(3), Some(3))
    );
}

/// A workbook written at version 2 (before sign-offs kept their trail head and
/// product) opens migrated: the head and product at signing are recovered from
/// the trail, so its reports print what was signed.
#[test]
fn a_version_2_workbook_gets_its_signoffs_head_and_product_from_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.canary");
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/workbook/migrations/0001_initial.sql"
    )))
    .unwrap();
    conn.execute_batch(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/workbook/migrations/0002_evidence_ids_never_reused.sql"
    )))
    .unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    let ts = "2025-11-25T12:00:00Z";
    let product = |name: &str| {
        serde_json::json!({
            "id": 1, "name": name, "model": "OP-1", "product_type": "plug", "batch": "1",
            "manufacturer": {"name": "Acme", "address": "Town"}, "support_end": "2030-12-31",
            "roles": [], "markets": [], "created_at": ts, "updated_at": ts,
        })
        .to_string()
    };
    let signed_name = product("Plug as signed");
    let renamed = product("Plug renamed later");
    conn.execute(
        "INSERT INTO product (id, name, model, product_type, batch, manufacturer_name,
           manufacturer_address, support_end, created_at, updated_at)
         VALUES (1, 'Plug renamed later', 'OP-1', 'plug', '1', 'Acme', 'Town', '2030-12-31', ?1, ?1)",
        [ts],
    )
    .unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (1, 1, 'v1', '[\"uk-cop-2018\"]', 'approved', '{ts}', '{ts}');
         INSERT INTO signoff (assessment_id, signatory, function, place, date, signed_at, actor)
           VALUES (1, 'Grace', 'CTO', 'London', '2025-11-25', '{ts}', 'Ada');"
    ))
    .unwrap();
    let mut event = conn
        .prepare(
            "INSERT INTO event (at, actor, entity, entity_id, action, before, after, prev_hash, hash)
             VALUES (?1, 'Ada', ?2, '1', ?3, NULL, ?4, ?5, ?6)",
        )
        .unwrap();
    for (entity, action, after, prev, hash) in [
        ("product", "create", Some(signed_name.as_str()), "h0", "h1"),
        ("assessment", "approve", None, "h1", "h2"),
        ("assessment", "sign", None, "h2", "h3"),
        ("product", "update", Some(renamed.as_str()), "h3", "h4"),
    ] {
        event
            .execute(rusqlite::params![ts, entity, action, after, prev, hash])
            .unwrap();
    }
    drop(event);
    drop(conn);

    let wb = Workbook::open(&path).unwrap();
    assert!(PathBuf::from(format!("{}.bak-v2", path.display())).exists());
    let a = wb.assessment(1).unwrap();
    let s = a.signoff.as_ref().unwrap();
    assert_eq!(
        s.trail_head.as_deref(),
        Some("h2"),
        "the sign event's prev_hash"
    );
    let signed = s.product.as_ref().unwrap();
    assert_eq!(signed.info.name, "Plug as signed");
    assert_eq!(wb.product(1).unwrap().info.name, "Plug renamed later");
    assert!(a.approval_override.is_none());

    // Reports use both.
    let cat = Catalogue::embedded().unwrap();
    let record = canary::report::ProductRecord::read(&wb, &cat, "OP-1", None).unwrap();
    assert_eq!(record.trail_head, "h2");
    assert_eq!(record.product.name, "Plug as signed");
    drop(wb);

    let conn = Connection::open(&path).unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(ver, SCHEMA_VERSION);
    // The sign-off is still immutable after the migration touched it.
    let refused = conn
        .execute("UPDATE signoff SET trail_head = 'x'", [])
        .unwrap_err();
    assert!(
        refused.to_string().contains("sign-off cannot change"),
        "{refused}"
    );
}
