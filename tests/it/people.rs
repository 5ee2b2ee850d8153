//! Three people, each with their own config directory (`CANARY_HOME`) and key: a
//! product team imports a product, submits and signs; an auditor reviews and
//! approves; a retailer checks the signed statement with `canary check` and the
//! stock `minisign`. Then a forger edits the auditor's verdict and recomputes the
//! chain, and `verify` names the broken signature.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support::cli::Cli;
use crate::support::flow;

const PASS: &str = "tr0ub4dor&3";

fn as_person(cli: &Cli, home: &Path, args: &[&str]) -> Command {
    flow::as_person(cli, home, PASS, args)
}

fn ok(cli: &Cli, home: &Path, args: &[&str]) -> String {
    let out = as_person(cli, home, args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn key(cli: &Cli, home: &Path, name: &str, organisation: &str, role: &str) -> String {
    let v = flow::create_key(cli, home, PASS, name, organisation, &["--role", role]);
    v["key"].as_str().unwrap().to_owned()
}

fn minisign(pdf: &Path, key: &str) -> std::process::Output {
    Std::new("minisign")
        .arg("-Vm")
        .arg(pdf)
        .arg("-P")
        .arg(key)
        .output()
        .expect("the minisign tool is installed (scripts/setup.sh)")
}

#[test]
fn three_people_take_a_product_from_import_to_a_signed_statement() {
    let cli = Cli::new().env("SOURCE_DATE_EPOCH", "1767225600");
    let (team, auditor, retailer) = (cli.path("team"), cli.path("auditor"), cli.path("retailer"));
    let team_key = key(
        &cli,
        &team,
        "Tess Team",
        "Acme Devices Ltd",
        "Security lead",
    );
    key(&cli, &auditor, "Aude Itor", "Audit Co", "Auditor");
    key(&cli, &retailer, "Rita Retail", "Shop Ltd", "Buyer");

    ok(&cli, &team, &["init"]);
    ok(&cli, &team, &["import", crate::support::EXAMPLE]);
    let p = ["--product", "SP-200"];
    as_person(&cli, &team, &[&["submit"][..], &p].concat())
        .assert()
        .success()
        .stderr(predicate::str::contains("unsigned").not());
    for r in ["uk-cop-2018:1", "uk-cop-2018:2", "uk-cop-2018:3"] {
        ok(
            &cli,
            &auditor,
            &[
                &["review", "--requirement", r, "--verdict", "accepted"][..],
                &p,
            ]
            .concat(),
        );
    }
    ok(
        &cli,
        &auditor,
        &[&["approve", "--despite", "sampled the canaries"][..], &p].concat(),
    );
    ok(
        &cli,
        &team,
        &[
            &[
                "sign",
                "--signatory",
                "Tess Team",
                "--function",
                "Security lead",
                "--place",
                "Cambridge",
            ][..],
            &p,
        ]
        .concat(),
    );
    let verified = ok(&cli, &retailer, &["verify"]);
    assert!(
        verified.contains("signer: Tess Team (Acme Devices Ltd, Security lead)")
            && verified.contains("signer: Aude Itor (Audit Co, Auditor)")
            && verified.contains(" 0 unsigned"),
        "{verified}"
    );

    let pdf = cli.path("statement.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    ok(
        &cli,
        &team,
        &[&["report", "psti", "--out", pdf_arg][..], &p].concat(),
    );
    let public = cli.path("team.pub");
    ok(
        &cli,
        &team,
        &["key", "export", "--out", public.to_str().unwrap()],
    );

    // The retailer: the statement, who signed off, with which key, trusted or not.
    ok(
        &cli,
        &retailer,
        &[
            "trust",
            "add",
            public.to_str().unwrap(),
            "--name",
            "Acme security",
            "--organisation",
            "Acme Devices Ltd",
        ],
    );
    let checked = ok(&cli, &retailer, &["check", pdf_arg]);
    for line in [
        "document: psti-statement",
        "trusted as Acme security",
        "sign-off signature: valid, by Tess Team (Acme Devices Ltd, Security lead)",
        "acts signed by: Aude Itor (Audit Co, Auditor)",
        "acts signed by: Tess Team",
    ] {
        assert!(checked.contains(line), "{line:?} in {checked}");
    }
    let good = minisign(&pdf, &team_key);
    assert!(good.status.success(), "{good:?}");

    // One changed byte: both refuse it.
    let altered = cli.path("altered.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&altered, bytes).unwrap();
    std::fs::copy(
        format!("{pdf_arg}.minisig"),
        format!("{}.minisig", altered.display()),
    )
    .unwrap();
    as_person(&cli, &retailer, &["check", altered.to_str().unwrap()])
        .assert()
        .code(1);
    assert!(!minisign(&altered, &team_key).status.success());

    // The forger: the auditor's first verdict says something else, row and event,
    // and every hash after it is recomputed. Only the signatures tell.
    let wb = cli.workbook();
    crate::acts::tamper(
        &wb,
        "UPDATE review SET verdict = 'rejected' WHERE response_id =
           (SELECT id FROM response WHERE requirement = 'uk-cop-2018:1' LIMIT 1);
         UPDATE event SET after = replace(after, '\"accepted\"', '\"rejected\"')
           WHERE seq = (SELECT min(seq) FROM event WHERE entity = 'review');",
    );
    crate::acts::rechain(&wb);
    let out = as_person(&cli, &retailer, &["verify"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("verification found"));
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let broken = out
        .lines()
        .find(|l| l.starts_with("signature: ") && l.contains("create review"))
        .unwrap_or_else(|| panic!("the verdict's signature is named: {out}"));
    assert!(
        broken.contains("by Aude Itor (key ") && broken.contains("does not hold"),
        "{broken}"
    );
    assert!(
        !out.lines()
            .any(|l| l.starts_with("trail_chain") || l.starts_with("rows")),
        "the forger recomputed the chain and the rows agree: {out}"
    );
}

#[test]
fn the_old_profile_becomes_the_person_and_acts_without_a_key_warn() {
    let cli = Cli::new();
    let home = cli.path("home");
    ok(&cli, &home, &["init"]);
    // A workbook profile as versions before 5 kept it.
    canary::workbook::Workbook::open(&cli.workbook())
        .unwrap()
        .set_profile(&canary::workbook::Profile {
            name: "Old Ada".into(),
            organisation: "Acme".into(),
            role: "Lead".into(),
        })
        .unwrap();
    as_person(
        &cli,
        &home,
        &[
            "product",
            "add",
            "--name",
            "Plug",
            "--model",
            "P-1",
            "--manufacturer",
            "Acme",
        ],
    )
    .assert()
    .success()
    .stderr(predicate::str::contains(
        "note: you are now Old Ada (Acme, Lead)",
    ));
    assert!(ok(&cli, &home, &["profile", "show"]).contains("Old Ada (Acme, Lead)"));
    as_person(&cli, &home, &["submit", "--product", "P-1"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: recorded unsigned: no signing key in",
        ));
    let log = ok(&cli, &home, &["log"]);
    assert!(log.contains("Old Ada") && log.contains("submit"), "{log}");
    let verified = ok(&cli, &home, &["verify"]);
    assert!(
        verified.contains("unsigned: event") && verified.contains("submit assessment"),
        "{verified}"
    );
}

#[test]
fn a_key_is_made_for_the_saved_profile_and_keeps_its_role() {
    let cli = Cli::new();
    let home = cli.path("home");
    // Nobody yet: a key needs a name.
    let out = as_person(&cli, &home, &["key", "create"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("needs a name"), "{err}");

    let ada_profile = |home: &Path| {
        ok(
            &cli,
            home,
            &[
                "profile",
                "set",
                "--name",
                "Ada",
                "--organisation",
                "Acme",
                "--role",
                "Auditor",
            ],
        )
    };
    let person = |home: &Path| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&ok(&cli, home, &["--json", "key", "show"]))
            .unwrap()["person"]
            .clone()
    };
    ada_profile(&home);
    ok(&cli, &home, &["key", "create"]);
    assert_eq!(
        person(&home),
        serde_json::json!({ "name": "Ada", "organisation": "Acme", "role": "Auditor" }),
        "making a key forgot part of the profile"
    );

    // Another name is another person: Bob does not inherit Ada's organisation and role.
    let bob = cli.path("bob");
    ada_profile(&bob);
    ok(&cli, &bob, &["key", "create", "--name", "Bob"]);
    assert_eq!(
        person(&bob),
        serde_json::json!({ "name": "Bob", "organisation": "", "role": "" })
    );
}
