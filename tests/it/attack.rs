//! Crafted files an attacker could send, beyond `hostile.rs`: each case asserts
//! the exit status, a message that says what is wrong, and the workbook left
//! byte for byte as it was.

use rusqlite::Connection;

use crate::support::cli::{example, Cli};

/// Runs `sql` on the workbook directly, as a sender editing the file would, with
/// the trail's append-only triggers lifted and put back exactly as they were.
fn edit(cli: &Cli, sql: &str) {
    let conn = Connection::open(cli.workbook()).unwrap();
    let guards: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, _) in &guards {
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, create) in &guards {
        conn.execute_batch(create).unwrap();
    }
}

/// Runs `args` and returns (exit code, stdout, stderr), asserting the
/// workbook did not change.
fn run_unchanged(cli: &Cli, args: &[&str]) -> (i32, String, String) {
    let before = std::fs::read(cli.workbook()).unwrap();
    let out = cli.process(args).output().unwrap();
    assert!(
        std::fs::read(cli.workbook()).unwrap() == before,
        "{args:?} changed the workbook"
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn text_that_is_not_utf8_is_called_damage_not_a_bare_database_error() {
    let cli = example();
    edit(&cli, "UPDATE product SET name = CAST(x'41ff42' AS TEXT)");
    for args in [&["status"][..], &["product", "list"]] {
        let (code, _, err) = run_unchanged(&cli, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(
            err.contains("damaged or was changed outside Canary") && err.contains("UTF-8"),
            "{args:?}: {err}"
        );
    }
    let (code, out, _) = run_unchanged(&cli, &["verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("rows: product 1: name"), "{out}");
}

#[test]
fn verify_reports_an_unreadable_trail_as_a_finding_and_runs_the_other_checks() {
    let cli = example();
    edit(
        &cli,
        "UPDATE event SET actor = CAST(x'41ff42' AS TEXT) WHERE seq = 3",
    );
    let (code, out, err) = run_unchanged(&cli, &["verify"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("verification found"), "{err}");
    assert!(
        out.contains("unreadable: trail: could not be checked") && out.contains("not valid UTF-8"),
        "{out}"
    );
    // The stored files are still checked and counted.
    assert!(out.contains("2 stored files"), "{out}");
}

/// `canary ARGS` as the person whose config directory is `home` under the test's.
fn person(cli: &Cli, home: &str, args: &[&str]) -> std::process::Output {
    cli.process(args)
        .env("CANARY_HOME", cli.path(home))
        .env("CANARY_PASSPHRASE", "pass phrase")
        .output()
        .unwrap()
}

fn succeeds(out: std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_invisible_character_in_the_organisation_does_not_slip_past_a_pinned_key() {
    let cli = Cli::new().env("CANARY_AS", "Alice");
    cli.ok(&["init"]);
    // The team's key, which the retailer pinned for Acme Devices Ltd.
    let org = "Acme Devices Ltd";
    succeeds(person(
        &cli,
        "team",
        &["key", "create", "--name", "Alice", "--organisation", org],
    ));
    let public = cli.path("team.pub");
    succeeds(person(
        &cli,
        "team",
        &["key", "export", "--out", public.to_str().unwrap()],
    ));
    succeeds(person(
        &cli,
        "retailer",
        &[
            "trust",
            "add",
            public.to_str().unwrap(),
            "--name",
            "Acme team",
            "--organisation",
            org,
        ],
    ));
    // A forger's document names the same organisation with a zero-width space,
    // in its signature's comment and as the product's manufacturer.
    let lookalike = "Acme Devices\u{200b} Ltd";
    succeeds(person(
        &cli,
        "forger",
        &[
            "key",
            "create",
            "--name",
            "Alice",
            "--organisation",
            lookalike,
        ],
    ));
    cli.ok(&[
        "product",
        "add",
        "--name",
        "Plug",
        "--model",
        "P-1",
        "--manufacturer",
        lookalike,
        "--framework",
        "uk-cop-2018",
    ]);
    let pdf = cli.path("forged.pdf");
    succeeds(person(
        &cli,
        "forger",
        &[
            "report",
            "attestation",
            "--product",
            "P-1",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    let out = person(&cli, "retailer", &["check", pdf.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("SIGNED BY A DIFFERENT KEY"), "{err}");
}

#[test]
fn verify_quotes_the_start_of_a_huge_value_not_all_of_it() {
    let cli = example();
    edit(
        &cli,
        "UPDATE response SET statement = printf('%.*c', 1000000, 'x') WHERE id = 1",
    );
    let (code, out, _) = run_unchanged(&cli, &["verify"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("rows: response 1: statement:") && out.contains("(1000000 bytes in all)"),
        "{}",
        &out[..out.len().min(2000)]
    );
    assert!(out.len() < 10_000, "verify printed {} bytes", out.len());
}

#[test]
fn a_report_refuses_text_longer_than_canary_writes_instead_of_typesetting_it_for_minutes() {
    let cli = example();
    edit(
        &cli,
        "UPDATE response SET statement = printf('%.*c', 1000000, 'x') WHERE id = 1",
    );
    let out = cli.path("attestation.pdf");
    let (code, _, err) = run_unchanged(
        &cli,
        &[
            "report",
            "attestation",
            "--product",
            "1",
            "--no-sign",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("1000000 bytes") && err.contains("changed outside Canary"),
        "{err}"
    );
    assert!(!out.exists(), "no report is written");
}
