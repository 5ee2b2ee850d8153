//! Reports through the command layer: real PDFs read back with poppler.

use std::process::Command;

use serde_json::{json, Value};

use crate::support::Harness;

fn pdftotext(path: &str) -> String {
    let out = Command::new("pdftotext")
        .args([path, "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed on {path}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn attestation_and_mapping_are_written_and_only_they_can_be_opened() {
    let h = Harness::new();
    let _: Value = h.ok("import_example", json!({}));
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    let product = rows[0]["id"].as_i64().unwrap();
    let name = rows[0]["name"].as_str().unwrap().to_owned();

    let out = h.path("attestation.pdf");
    let done: Value = h.ok(
        "generate_report",
        json!({ "kind": "attestation", "product": product, "path": out, "replace": false }),
    );
    assert_eq!(done["path"], out.display().to_string());
    assert!(done["pages"].as_u64().unwrap() >= 1);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..5], b"%PDF-");
    let text = pdftotext(out.to_str().unwrap());
    assert!(text.contains(&name), "the attestation names {name}");
    let leftovers: Vec<_> = std::fs::read_dir(h.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );

    let mapping = h.path("mapping.pdf");
    let done: Value = h.ok(
        "generate_report",
        json!({ "kind": "mapping", "product": product, "path": mapping, "replace": false }),
    );
    assert!(pdftotext(done["path"].as_str().unwrap()).contains("303 645"));

    let _: Value = h.ok("open_produced", json!({ "path": out }));
    let stranger = h.path("other.pdf");
    std::fs::write(&stranger, b"%PDF-1.7").unwrap();
    let (code, _) = h.err("open_produced", json!({ "path": stranger }));
    assert_eq!(
        code, "invalid_input",
        "only files this session wrote can be opened"
    );
}

#[test]
fn report_paths_are_checked_before_any_work() {
    let h = Harness::new();
    let _: Value = h.ok("import_example", json!({}));
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    let product = rows[0]["id"].as_i64().unwrap();
    for (path, why) in [
        (json!("report.pdf"), "relative"),
        (json!(""), "empty"),
        (json!(h.path("no-such-dir/report.pdf")), "missing folder"),
        (json!(h.dir.path()), "a folder"),
    ] {
        let (code, _) = h.err(
            "generate_report",
            json!({ "kind": "attestation", "product": product, "path": path, "replace": false }),
        );
        assert_eq!(code, "invalid_input", "{why}");
    }
    let (code, _) = h.err(
        "generate_report",
        json!({ "kind": "attestation", "product": 4242, "path": h.path("x.pdf"), "replace": false }),
    );
    assert_eq!(code, "product_not_found");
    assert!(!h.path("x.pdf").exists());
}

#[test]
fn an_incomplete_psti_statement_is_refused_with_what_is_missing() {
    let h = Harness::new();
    let product = h.add_product("Bare Plug", &["uk-psti-2023"]);
    let out = h.path("statement.pdf");
    let (code, msg) = h.err(
        "generate_report",
        json!({ "kind": "psti_statement", "product": product, "path": out, "replace": false }),
    );
    assert_eq!(code, "statement_incomplete");
    assert!(!msg.is_empty());
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_report_is_signed_by_the_person_making_it_and_stock_minisign_agrees() {
    let h = Harness::new();
    let _: Value = h.ok("import_example", json!({}));
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    let product = rows[0]["id"].as_i64().unwrap();
    let home = canary::identity::Home::at(h.path("home"));
    let person = canary::identity::Person {
        name: "Tess Team".into(),
        organisation: "Canary Devices Ltd".into(),
        role: "Security lead".into(),
    };
    let key = home.create_key(&person, "s3cret pass").unwrap();
    let _: Value = h.ok(
        "set_profile",
        json!({ "profile": { "name": "Tess Team", "organisation": "Canary Devices Ltd", "role": "Security lead" } }),
    );
    let out = h.path("attestation.pdf");
    let args = |passphrase: Value| {
        json!({ "kind": "attestation", "product": product, "path": out,
                "replace": true, "passphrase": passphrase })
    };
    let (code, _) = h.err("generate_report", args(Value::Null));
    assert_eq!(
        code, "passphrase_required",
        "a locked key is asked for, not skipped"
    );
    assert!(
        !out.exists(),
        "nothing is written before the key is unlocked"
    );

    let done: Value = h.ok("generate_report", args(json!("s3cret pass")));
    let sig = done["signature"].as_str().expect("signed").to_owned();
    assert_eq!(sig, format!("{}.minisig", out.display()));
    let pubkey = h.path("tess.pub");
    std::fs::write(&pubkey, key.file_text()).unwrap();
    let check = |pdf: &std::path::Path| {
        Command::new("minisign")
            .arg("-Vm")
            .arg(pdf)
            .arg("-p")
            .arg(&pubkey)
            .output()
            .expect("minisign runs")
            .status
            .success()
    };
    assert!(check(&out), "stock minisign verifies the app's signature");
    let mut bytes = std::fs::read(&out).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&out, &bytes).unwrap();
    assert!(!check(&out), "one changed byte fails");
}
