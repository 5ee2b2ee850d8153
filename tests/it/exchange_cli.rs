//! `canary import` / `canary export` through the real binary on real workbook files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::cli::Cli;

use crate::support::EXAMPLE;

/// A new workbook on the shipped catalogue; changes are made as "Test Runner".
fn setup() -> Cli {
    let env = Cli::new().env("CANARY_AS", "Test Runner");
    env.ok(&["init"]);
    env
}

fn import(env: &Cli, file: &Path) -> assert_cmd::assert::Assert {
    env.cmd(&["import", file.to_str().unwrap()]).assert()
}

fn export(env: &Cli, product: &str, out: &Path) {
    env.ok(&[
        "export",
        "--product",
        product,
        "--out",
        out.to_str().unwrap(),
    ]);
}

/// Trail events as `canary log --json` lists them.
fn trail(env: &Cli) -> Vec<serde_json::Value> {
    serde_json::from_value(env.json(&["log"])).unwrap()
}

/// The workbook's bytes (SQLite checkpoints and removes the WAL when the last
/// connection closes, which every `canary` process does before it exits).
fn workbook_bytes(env: &Cli) -> Vec<u8> {
    assert!(!env.path("w.canary-wal").exists());
    std::fs::read(env.workbook()).unwrap()
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn bundled_example_imports_and_reimport_changes_nothing() {
    let env = setup();
    import(&env, Path::new(EXAMPLE))
        .success()
        .stdout(predicates::str::contains(
            "16 response(s) set, 11 evidence item(s) added",
        ));
    let events = trail(&env);
    assert!(events
        .iter()
        .any(|e| e["entity"] == "product" && e["action"] == "create"));
    assert_eq!(
        events.iter().filter(|e| e["entity"] == "response").count(),
        16
    );

    import(&env, Path::new(EXAMPLE))
        .success()
        .stdout(predicates::str::contains("nothing to change"));
    assert_eq!(trail(&env), events, "a re-import added trail events");

    let status = env.cmd(&["status", "--json"]).output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("Acme SmartPlug"), "{status}");
    env.cmd(&["verify"]).assert().success();
}

#[test]
fn export_import_export_is_byte_stable_and_lossless() {
    let first = setup();
    import(&first, Path::new(EXAMPLE)).success();
    let a = first.path("a");
    let a2 = first.path("a2");
    export(&first, "SP-200", &a);
    export(&first, "SP-200", &a2);
    assert_eq!(tree(&a), tree(&a2), "two exports of one product differ");

    let files = tree(&a);
    let yaml = String::from_utf8(files["product.yaml"].clone()).unwrap();
    assert!(yaml.contains("assessment: Firmware 1.4.2"), "{yaml}");
    assert!(files.contains_key("evidence/password-test-log.txt"));
    assert_eq!(
        files["evidence/vulnerability-disclosure-policy.md"],
        std::fs::read(
            Path::new(EXAMPLE).with_file_name("evidence/vulnerability-disclosure-policy.md")
        )
        .unwrap()
    );

    // Importing the export (named by its directory) into the workbook it came from
    // changes nothing.
    let before = trail(&first);
    import(&first, &a).success();
    assert_eq!(trail(&first), before);

    // Into a fresh workbook, then out again: the same bytes.
    let second = setup();
    import(&second, &a.join("product.yaml")).success();
    let b = second.path("b");
    export(&second, "SP-200", &b);
    assert_eq!(
        tree(&a),
        tree(&b),
        "export → import → export is not lossless"
    );
}

#[test]
fn changed_file_updates_only_what_changed() {
    let env = setup();
    import(&env, Path::new(EXAMPLE)).success();
    let out = env.path("out");
    export(&env, "SP-200", &out);
    let file = out.join("product.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "Secure boot verifies the firmware signature on every start.",
        "Secure boot verifies the firmware signature on every start and on every update.",
    );
    std::fs::write(&file, text).unwrap();
    let before = trail(&env).len();
    import(&env, &file)
        .success()
        .stdout(predicates::str::contains(
            "1 response(s) set, 0 evidence item(s) added",
        ));
    let events = trail(&env);
    assert_eq!(events.len(), before + 1);
    let last = events.last().unwrap();
    assert_eq!(last["entity"], "response");
    assert_eq!(last["action"], "update");
    assert_eq!(last["actor"], "Test Runner");
}

#[test]
fn export_refuses_a_non_empty_directory() {
    let env = setup();
    import(&env, Path::new(EXAMPLE)).success();
    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    env.cmd(&[
        "export",
        "--product",
        "SP-200",
        "--out",
        out.to_str().unwrap(),
    ])
    .assert()
    .failure()
    .stderr(predicates::str::contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    assert!(!out.join("product.yaml").exists());
}

/// A valid product file whose lines the bad cases below refer to.
const BASE: &str = "\
canary: 1
product:
  name: Test Plug
  model: TP-1
  batch: B1
  support_period_end: 2030-12-31
  manufacturer: {name: Test Ltd}
frameworks: [uk-cop-2018]
responses:
  - requirement: uk-cop-2018:1
    status: met
    statement: Unique passwords.
    evidence:
      - {title: Log, file: evidence/log.txt}
";

/// Writes `text` as `case/product.yaml` with `evidence/log.txt` beside it.
fn product_dir(env: &Cli, case: &str, text: &str) -> PathBuf {
    let dir = env.path(case);
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(dir.join("evidence/log.txt"), "test log\n").unwrap();
    std::fs::write(dir.join("product.yaml"), text).unwrap();
    dir.join("product.yaml")
}

#[test]
fn base_file_is_valid() {
    let env = setup();
    let file = product_dir(&env, "ok", BASE);
    env.cmd(&["import", "--check", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "ok, 1 response(s), 1 evidence file(s)",
        ));
}

#[test]
fn every_bad_input_is_refused_with_file_line_and_field_and_nothing_is_written() {
    let env = setup();
    import(&env, Path::new(EXAMPLE)).success();
    let before = workbook_bytes(&env);
    let events = trail(&env).len();

    let log_sha = "b6e5c7a2d6f1c8a47b1b8c44d7b0c5d3a5c6f0f4f5e0b6b8c7b3c0b6d2b1a0f9";
    let outside = env.path("outside.txt");
    std::fs::write(&outside, "secret").unwrap();
    // (case, text, expected "line: field" fragment, expected kind)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "version",
            BASE.replace("canary: 1", "canary: 2"),
            ":1:",
            "canary",
        ),
        (
            "unknown-requirement",
            BASE.replace("uk-cop-2018:1", "uk-cop-2018:99"),
            ":10:",
            "responses[0].requirement",
        ),
        (
            "requirement-outside-frameworks",
            BASE.replace("uk-cop-2018:1", "etsi-en-303-645-v2.1.1:5.1-1"),
            ":10:",
            "responses[0].requirement",
        ),
        (
            "missing-justification",
            format!("{BASE}  - {{requirement: uk-cop-2018:10, status: not_applicable}}\n"),
            ":15:",
            "responses[1].status",
        ),
        (
            "missing-file",
            BASE.replace("evidence/log.txt", "evidence/nope.txt"),
            ":14:",
            "responses[0].evidence[0].file",
        ),
        (
            "dot-dot",
            BASE.replace("evidence/log.txt", "../outside.txt"),
            ":14:",
            "responses[0].evidence[0].file",
        ),
        (
            "absolute",
            BASE.replace("evidence/log.txt", outside.to_str().unwrap()),
            ":14:",
            "responses[0].evidence[0].file",
        ),
        (
            "directory",
            BASE.replace("evidence/log.txt", "evidence"),
            ":14:",
            "responses[0].evidence[0].file",
        ),
        (
            "wrong-sha256",
            BASE.replace(
                "file: evidence/log.txt}",
                &format!("file: evidence/log.txt, sha256: {log_sha}}}"),
            ),
            ":14:",
            "responses[0].evidence[0].sha256",
        ),
        (
            "bad-date",
            BASE.replace("2030-12-31", "2030-02-30"),
            ":6:",
            "product.support_period_end",
        ),
        (
            "expires-before-date",
            BASE.replace(
                "file: evidence/log.txt}",
                "file: evidence/log.txt, date: 2026-03-01, expires: 2026-02-28}",
            ),
            ":14:",
            "responses[0].evidence[0].expires",
        ),
        (
            "bad-url",
            BASE.replace("file: evidence/log.txt", "url: htp://example.com"),
            ":14:",
            "responses[0].evidence[0].url",
        ),
        (
            "unknown-field",
            BASE.replace("    statement:", "    statment:"),
            ":12:",
            "responses[0]",
        ),
        (
            "unknown-framework",
            BASE.replace(
                "frameworks: [uk-cop-2018]",
                "frameworks: [uk-cop-2018, iso-9999]",
            ),
            ":8:",
            "frameworks[1]",
        ),
        (
            "duplicate-response",
            format!("{BASE}  - {{requirement: uk-cop-2018:1, status: met}}\n"),
            ":15:",
            "responses[1].requirement",
        ),
        (
            "file-and-url",
            BASE.replace(
                "file: evidence/log.txt",
                "file: evidence/log.txt, url: 'https://example.com'",
            ),
            ":14:",
            "responses[0].evidence[0]",
        ),
        (
            "bad-status",
            BASE.replace("status: met", "status: done"),
            ":11:",
            "responses[0].status",
        ),
    ];
    for (case, text, line, field) in &cases {
        let file = product_dir(&env, case, text);
        let out = import(&env, &file).failure();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let expected = format!("{}{line}", file.display());
        assert!(
            stderr.contains(&expected) && stderr.contains(&format!(": {field}")),
            "case {case}: expected `{expected}` and field `{field}` in:\n{stderr}"
        );
        assert!(
            stderr.contains("nothing was imported"),
            "case {case}: {stderr}"
        );
        assert_eq!(
            workbook_bytes(&env),
            before,
            "case {case} changed the workbook"
        );
    }
    assert_eq!(trail(&env).len(), events);
}

#[cfg(unix)]
#[test]
fn evidence_through_a_symlink_is_refused() {
    let env = setup();
    let file = product_dir(
        &env,
        "link",
        &BASE.replace("evidence/log.txt", "evidence/link.txt"),
    );
    std::os::unix::fs::symlink(
        env.path("link/evidence/log.txt"),
        env.path("link/evidence/link.txt"),
    )
    .unwrap();
    let before = workbook_bytes(&env);
    import(&env, &file)
        .failure()
        .stderr(predicates::str::contains(format!("{}:14:", file.display())))
        .stderr(predicates::str::contains("symbolic link"));
    // A linked directory on the way is refused too.
    let file = product_dir(
        &env,
        "dirlink",
        &BASE.replace("evidence/log.txt", "docs/log.txt"),
    );
    std::os::unix::fs::symlink(env.path("dirlink/evidence"), env.path("dirlink/docs")).unwrap();
    import(&env, &file)
        .failure()
        .stderr(predicates::str::contains("symbolic link"));
    assert_eq!(workbook_bytes(&env), before);
}

#[test]
fn all_problems_are_listed_at_once_and_as_json() {
    let env = setup();
    let text = BASE
        .replace("canary: 1", "canary: 3")
        .replace("2030-12-31", "someday")
        .replace("evidence/log.txt", "evidence/missing.txt")
        + "  - {requirement: uk-cop-2018:2, status: not_met, justification: ' '}\n";
    let file = product_dir(&env, "many", &text);
    let out = env
        .cmd(&["--json", "import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "invalid_product_file");
    let kinds: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "format_version",
            "invalid_value",
            "missing_file",
            "missing_justification"
        ]
    );
    assert!(v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["line"].is_u64() && p["file"].as_str().unwrap().ends_with("product.yaml")));
}

#[test]
fn built_in_example_matches_the_example_file() {
    let env = setup();
    env.cmd(&["import", "--example"])
        .assert()
        .success()
        .stdout(predicates::str::contains("16 response(s) set"));
    let events = trail(&env);
    import(&env, Path::new(EXAMPLE))
        .success()
        .stdout(predicates::str::contains("nothing to change"));
    assert_eq!(trail(&env), events);
    env.cmd(&["import", "--example", EXAMPLE])
        .assert()
        .failure();
}

/// Issue 8: a product the CLI accepted used to export into a file its own import
/// refused (no model, no manufacturer; a role given twice). The store and import now
/// share one product rule: what the store refuses is refused with the same words,
/// and the smallest product it accepts comes back from its own export.
#[test]
fn any_product_the_cli_accepts_round_trips_through_its_export() {
    let env = setup();
    env.fails(
        &["product", "add", "--name", "Only a name"],
        "product model must not be empty",
    );
    env.fails(
        &["product", "add", "--name", "N", "--model", "N-1"],
        "product manufacturer.name must not be empty",
    );
    env.fails(
        &[
            "product",
            "add",
            "--name",
            "N",
            "--model",
            "N-1",
            "--manufacturer",
            "Acme",
            "--role",
            "DM",
            "--role",
            "DM",
        ],
        "product roles[1] `DM` is listed twice",
    );
    assert_eq!(env.json(&["product", "list"]), serde_json::json!([]));

    env.ok(&[
        "product",
        "add",
        "--name",
        "Minimal",
        "--model",
        "MIN-1",
        "--manufacturer",
        "Acme",
    ]);
    let out = env.path("out");
    export(&env, "MIN-1", &out);
    let other = setup();
    import(&other, &out.join("product.yaml")).success();
    let listed = other.json(&["product", "list"]);
    assert_eq!(listed[0]["name"], "Minimal");
    assert_eq!(listed[0]["model"], "MIN-1");
}
