//! `canary report` end to end: a real workbook built through the binary, reports
//! written by the binary, checked with poppler.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::prelude::*;

fn canary(wb: &Path) -> Command {
    let mut c = Command::cargo_bin("canary").unwrap();
    c.env("CANARY_WORKBOOK", wb)
        .env("CANARY_AS", "Zoë Müller")
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env_remove("CANARY_CATALOGUE");
    c
}

fn ok(wb: &Path, args: &[&str]) {
    canary(wb).args(args).assert().success();
}

fn pdftotext(path: &Path) -> String {
    let out = Std::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn reports_from_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let wb = dir.path().join("wb.canary");
    let evidence = dir.path().join("pentest.txt");
    std::fs::write(&evidence, "penetration test: passed").unwrap();
    ok(&wb, &["init"]);
    ok(
        &wb,
        &[
            "product",
            "add",
            "--name",
            "Ñandú Cam 中文",
            "--model",
            "NC-1",
            "--type",
            "كاميرا ذكية",
            "--batch",
            "אצווה 1",
            "--manufacturer",
            "Ñandú Électronique SA",
            "--address",
            "Zürich",
            "--support-end",
            "2030-12-31",
            "--framework",
            "uk-cop-2018",
            "--framework",
            "uk-psti-2023",
        ],
    );
    for r in [
        "uk-cop-2018:1",
        "uk-psti-2023:1",
        "uk-psti-2023:2",
        "uk-psti-2023:3",
    ] {
        ok(
            &wb,
            &[
                "respond",
                "--product",
                "NC-1",
                "--requirement",
                r,
                "--status",
                "met",
                "--statement",
                "スマートカメラ 日本語",
            ],
        );
    }
    ok(
        &wb,
        &[
            "evidence",
            "add",
            "--product",
            "NC-1",
            "--requirement",
            "uk-cop-2018:1",
            "--title",
            "Pen test",
            "--file",
            evidence.to_str().unwrap(),
        ],
    );

    // Not signed yet: the statement is refused and says why.
    let psti = dir.path().join("psti.pdf");
    canary(&wb)
        .args([
            "report",
            "psti",
            "--product",
            "NC-1",
            "--out",
            psti.to_str().unwrap(),
        ])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("signoff.place").and(predicate::str::contains("signoff.date")),
        );
    assert!(!psti.exists());

    let att = dir.path().join("attestation.pdf");
    canary(&wb)
        .args([
            "--json",
            "report",
            "attestation",
            "--product",
            "NC-1",
            "--out",
            att.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"pages\""));
    let text = pdftotext(&att);
    for s in [
        "Ñandú",
        "中文",
        "日本語",
        "Pentest",
        "NOTSIGNED",
        "NOTASSESSED",
    ] {
        assert!(text.contains(s), "{s} not in attestation");
    }
    // SOURCE_DATE_EPOCH fixes every date and id: a second run gives the same bytes.
    let again = dir.path().join("again.pdf");
    ok(
        &wb,
        &[
            "report",
            "attestation",
            "--product",
            "NC-1",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read(&att).unwrap() == std::fs::read(&again).unwrap());
    // The pen test's SHA-256, short form, is printed.
    let sha = {
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(b"penetration test: passed"))
    };
    assert!(text.contains(&sha[..12]));

    ok(&wb, &["submit", "--product", "NC-1"]);
    ok(
        &wb,
        &[
            "review",
            "--product",
            "NC-1",
            "--requirement",
            "uk-cop-2018:1",
            "--verdict",
            "accepted",
        ],
    );
    ok(&wb, &["approve", "--product", "NC-1"]);
    ok(
        &wb,
        &[
            "sign",
            "--product",
            "NC-1",
            "--signatory",
            "山田はなこ",
            "--function",
            "CTO",
            "--place",
            "Zürich",
            "--date",
            "2025-12-15",
        ],
    );
    canary(&wb)
        .args([
            "report",
            "psti",
            "--product",
            "NC-1",
            "--out",
            psti.to_str().unwrap(),
        ])
        .assert()
        .success();
    let text = pdftotext(&psti);
    assert!(
        text.contains("山田はなこ") && text.contains("2030-12-31"),
        "{text}"
    );

    let map = dir.path().join("mapping.pdf");
    canary(&wb)
        .args([
            "report",
            "mapping",
            "--product",
            "NC-1",
            "--out",
            map.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(pdftotext(&map).contains("Ruleused"));
    let catalogue_only = dir.path().join("catalogue.pdf");
    canary(&wb)
        .args([
            "report",
            "mapping",
            "--out",
            catalogue_only.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(!pdftotext(&catalogue_only).contains("Ruleused"));
}
