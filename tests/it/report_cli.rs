//! `canary report` end to end: a real workbook built through the binary, reports
//! written by the binary, checked with poppler.

use std::path::Path;
use std::process::Command as Std;

use predicates::prelude::*;

use crate::support::cli::Cli;

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
    let env = Cli::new()
        .env("CANARY_AS", "Zoë Müller")
        .env("SOURCE_DATE_EPOCH", "1767225600");
    let evidence = env.path("pentest.txt");
    std::fs::write(&evidence, "penetration test: passed").unwrap();
    env.ok(&["init"]);
    env.ok(&[
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
    ]);
    for r in [
        "uk-cop-2018:1",
        "uk-psti-2023:1",
        "uk-psti-2023:2",
        "uk-psti-2023:3",
    ] {
        env.ok(&[
            "respond",
            "--product",
            "NC-1",
            "--requirement",
            r,
            "--status",
            "met",
            "--statement",
            "スマートカメラ 日本語",
        ]);
    }
    env.ok(&[
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
    ]);

    // Not signed yet: the statement is refused and says why.
    let psti = env.path("psti.pdf");
    env.cmd(&[
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

    let att = env.path("attestation.pdf");
    env.cmd(&[
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
    let again = env.path("again.pdf");
    env.ok(&[
        "report",
        "attestation",
        "--product",
        "NC-1",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&att).unwrap() == std::fs::read(&again).unwrap());
    // The pen test's SHA-256, short form, is printed.
    let sha = {
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(b"penetration test: passed"))
    };
    assert!(text.contains(&sha[..12]));

    env.ok(&["submit", "--product", "NC-1"]);
    env.ok(&[
        "review",
        "--product",
        "NC-1",
        "--requirement",
        "uk-cop-2018:1",
        "--verdict",
        "accepted",
    ]);
    env.ok(&[
        "approve",
        "--product",
        "NC-1",
        "--despite",
        "scope agreed: guideline 1",
    ]);
    env.ok(&[
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
    ]);
    env.cmd(&[
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

    let map = env.path("mapping.pdf");
    env.cmd(&[
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
    let catalogue_only = env.path("catalogue.pdf");
    env.cmd(&[
        "report",
        "mapping",
        "--out",
        catalogue_only.to_str().unwrap(),
    ])
    .assert()
    .success();
    assert!(!pdftotext(&catalogue_only).contains("Ruleused"));
}

/// The CLI writes reports the way the app does (`canary::fsx::write_atomically`):
/// a link planted where the report goes is refused, and what it points at is kept.
#[cfg(unix)]
#[test]
fn a_report_is_never_written_through_a_symbolic_link() {
    let env = Cli::new().env("CANARY_AS", "Ada");
    env.ok(&["init"]);
    let target = env.path("precious.txt");
    std::fs::write(&target, b"keep me").unwrap();
    let out = env.path("mapping.pdf");
    std::os::unix::fs::symlink(&target, &out).unwrap();
    env.fails(
        &["report", "mapping", "--out", out.to_str().unwrap()],
        "symbolic link",
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    assert!(std::fs::symlink_metadata(&out)
        .unwrap()
        .file_type()
        .is_symlink());
    let parts: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part"))
        .collect();
    assert!(parts.is_empty(), "{parts:?}");
}
