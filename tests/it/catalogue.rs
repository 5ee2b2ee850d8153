//! The catalogue through the real `canary` binary: the shipped data checks clean and
//! holds what the reference says; broken catalogues fail with every problem located.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use canary::catalogue::{Catalogue, CatalogueExport};

use crate::support::cli::{canary, process};

fn export() -> Value {
    let out = canary().args(["catalog", "export"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}

fn framework<'a>(export: &'a Value, id: &str) -> &'a Value {
    export["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("framework {id} is exported"))
}

fn reference_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    dir.is_dir().then_some(dir)
}

#[test]
fn shipped_catalogue_checks_clean_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = canary()
        .current_dir(dir.path())
        .args(["catalog", "check"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "one-line summary: {stdout}");
    assert!(stdout.starts_with("catalogue ok: 5 frameworks"), "{stdout}");
}

#[test]
fn guidelines_directory_checks_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines");
    canary()
        .args(["catalog", "check", "--catalogue"])
        .arg(&dir)
        .assert()
        .success();
}

#[test]
fn cop_guidelines_are_the_official_thirteen() {
    let e = export();
    let cop = framework(&e, "uk-cop-2018");
    let reqs = cop["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 13);
    let refs: Vec<&str> = reqs.iter().map(|r| r["ref"].as_str().unwrap()).collect();
    let expected: Vec<String> = (1..=13).map(|n| n.to_string()).collect();
    assert_eq!(refs, expected);
    assert_eq!(reqs[0]["title"], "No default passwords");
    assert_eq!(
        reqs[1]["title"],
        "Implement a vulnerability disclosure policy"
    );
    assert_eq!(reqs[2]["title"], "Keep software updated");
    let canaries: Vec<&str> = reqs
        .iter()
        .filter(|r| r["canary"] == true)
        .map(|r| r["ref"].as_str().unwrap())
        .collect();
    assert_eq!(canaries, ["1", "2", "3"]);
    assert!(reqs
        .iter()
        .all(|r| r["text"].as_str().is_some_and(|t| t.len() > 40)));
    // Guideline 8 is the only one that names retailers; 10 applies to service providers only.
    assert!(reqs[7]["applies_to"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "Retailers"));
    assert_eq!(reqs[9]["applies_to"], serde_json::json!(["SP"]));

    // Statements are verbatim: each one stands in the Code's full text.
    if let Some(dir) = reference_dir() {
        let full = fs::read_to_string(dir.join("uk_cop_consumer_iot_2018_fulltext.txt")).unwrap();
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let full = squash(&full);
        for r in reqs {
            let text = squash(r["text"].as_str().unwrap());
            assert!(
                full.contains(&text),
                "statement of {} is not verbatim: {text}",
                r["ref"]
            );
        }
    }
}

#[test]
fn en_303_645_has_68_provisions_33_mandatory_35_recommended_and_no_text() {
    let e = export();
    let en = framework(&e, "etsi-en-303-645-v2.1.1");
    let reqs = en["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 68);
    let level = |l: &str| {
        reqs.iter()
            .filter(|r| r["obligation"]["level"] == l)
            .count()
    };
    assert_eq!(level("mandatory"), 33);
    assert_eq!(level("recommended"), 35);
    assert!(
        reqs.iter().all(|r| r["text"].is_null()),
        "no ETSI text is shipped"
    );
    assert_eq!(reqs[0]["ref"], "4-1");
    assert_eq!(reqs[67]["ref"], "6-5");

    if let Some(dir) = reference_dir() {
        let csv = fs::read_to_string(dir.join("etsi_en_303_645_v2.1.1_provisions.csv")).unwrap();
        let refs: Vec<&str> = csv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("provision,"))
            .filter_map(|l| l.split(',').next())
            .filter(|s| !s.is_empty())
            .collect();
        let ours: Vec<&str> = reqs.iter().map(|r| r["ref"].as_str().unwrap()).collect();
        assert_eq!(ours, refs);
    }
}

#[test]
fn other_frameworks_and_mapping_sets_are_complete_and_sourced() {
    let e = export();
    let psti = framework(&e, "uk-psti-2023");
    assert_eq!(psti["requirements"].as_array().unwrap().len(), 3);
    assert!(psti["statement_of_compliance"].as_array().unwrap().len() >= 7);
    let nist = framework(&e, "nistir-8259a");
    let capabilities = nist["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["parent"].is_null())
        .count();
    assert_eq!(capabilities, 6);
    framework(&e, "eu-cra-2024");

    let mut rows_per_set: HashMap<&str, usize> = HashMap::new();
    for set in e["mapping_sets"].as_array().unwrap() {
        for m in set["mappings"].as_array().unwrap() {
            assert!(m["source"].as_str().is_some_and(|s| !s.is_empty()), "{m}");
            if m["relationship"] == "equal" {
                assert_ne!(m["source"], "canary", "equal needs a published source: {m}");
            }
            *rows_per_set.entry(set["id"].as_str().unwrap()).or_default() += 1;
        }
    }
    for set in [
        "cop-to-en303645",
        "cop-to-nistir8259a",
        "psti-to-en303645",
        "cop-to-psti",
    ] {
        assert!(
            rows_per_set.get(set).copied().unwrap_or(0) > 0,
            "{set}: {rows_per_set:?}"
        );
    }
    assert_eq!(rows_per_set["dcms-living-list"], 1155);
    assert_eq!(
        e["reference_sets"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["documents"].as_array().unwrap())
            .filter(|d| d["id"].as_str().is_some_and(|i| !i.starts_with("iso")))
            .count(),
        73
    );
}

#[test]
fn export_is_the_whole_model_and_reads_back_into_it() {
    let out = canary().args(["catalog", "export"]).output().unwrap();
    assert!(out.status.success());
    let back: CatalogueExport =
        serde_json::from_slice(&out.stdout).expect("export deserialises into the model types");
    let cat = Catalogue::embedded().unwrap();
    assert_eq!(
        back,
        CatalogueExport::of(&cat),
        "nothing dropped or changed"
    );
    // The field hand-built JSON once dropped, checked in the raw text too.
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cop = framework(&e, "uk-cop-2018");
    let footnotes = cop["requirements"][0]["footnotes"].as_array();
    assert!(
        footnotes.is_some_and(|f| f.iter().any(|n| n.as_str().unwrap().contains("NCSC"))),
        "{}",
        cop["requirements"][0]
    );
    assert_eq!(e["digest"], cat.digest());
}

#[test]
fn show_lists_mappings_in_both_directions() {
    let out = canary()
        .args(["catalog", "show", "etsi-en-303-645-v2.1.1:5.1-1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("← uk-cop-2018:1"), "{text}");
    assert!(text.contains("uk-psti-2023:1"), "{text}");

    canary()
        .args(["catalog", "show", "no-such:thing"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("`no-such:thing` is not"));
}

// ---- broken catalogues ----------------------------------------------------------

const FRAMEWORK: &str = "\
schema_version: 1
id: fw
title: A framework
short_title: FW
publisher: Someone
version: '1'
date: '2020'
source_url: https://example.org
licence: test
attribution: test
verification: verified
stakeholders:
- id: DM
  name: Device makers
requirements:
- ref: '1'
  title: First
  applies_to: [DM]
  verification: verified
- ref: '2'
  title: Second
  verification: verified
";

const MAPPINGS: &str = "\
schema_version: 1
id: set
title: A set
source: test
verification: verified
mappings:
- from: fw:1
  to: fw:2
  relationship: intersects-with
  source: test
";

fn catalogue_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn check(dir: &Path) -> (bool, String) {
    let out = canary()
        .args(["catalog", "check", "--catalogue"])
        .arg(dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains("panicked"), "{text}");
    (out.status.success(), text)
}

#[test]
fn fixture_catalogue_is_valid() {
    let dir = catalogue_with(&[
        ("frameworks/fw.yaml", FRAMEWORK),
        ("mappings/set.yaml", MAPPINGS),
    ]);
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
}

#[test]
fn every_problem_is_reported_with_file_and_line() {
    let broken_framework = FRAMEWORK
        .replace("- ref: '2'", "- ref: '1'") // duplicate id, line 20
        .replace("applies_to: [DM]", "applies_to: [XX]"); // unknown stakeholder, line 18
    let broken_mappings = MAPPINGS.replace("to: fw:2", "to: fw:99") // dangling end, line 8
        + "- from: fw:1\n  to: fw:1\n  relationship: equal\n  source: canary\n"; // unsourced equal, line 13
    let bad_enum = MAPPINGS
        .replace("id: set", "id: other")
        .replace("intersects-with", "overlaps"); // bad enum, line 9
    let malformed = "schema_version: 1\nid: [unclosed\ntitle: x\n"; // syntax, line 2-3
    let dir = catalogue_with(&[
        ("frameworks/fw.yaml", &broken_framework),
        ("frameworks/zz.yaml", malformed),
        ("mappings/set.yaml", &broken_mappings),
        ("mappings/enum.yaml", &bad_enum),
    ]);
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    let fw = dir.path().join("frameworks/fw.yaml");
    let set = dir.path().join("mappings/set.yaml");
    let en = dir.path().join("mappings/enum.yaml");
    let zz = dir.path().join("frameworks/zz.yaml");
    for (file, line, needle) in [
        (
            &fw,
            20,
            "duplicate requirement id `fw:1` (first at line 16)",
        ),
        (&fw, 18, "stakeholder `XX` is not declared"),
        (&set, 8, "`fw:99` is not a requirement, group or document"),
        (&set, 13, "`equal` needs a published source"),
        (&en, 9, "unknown variant `overlaps`"),
    ] {
        let prefix = format!("{}:{line}:", file.display());
        assert!(
            text.lines()
                .any(|l| l.starts_with(&prefix) && l.contains(needle)),
            "expected `{prefix} … {needle}` in:\n{text}"
        );
    }
    let zz_prefix = format!("{}:", zz.display());
    let zz_line = text
        .lines()
        .find(|l| l.starts_with(&zz_prefix))
        .unwrap_or_else(|| panic!("malformed YAML reported:\n{text}"));
    let line_no: usize = zz_line[zz_prefix.len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("malformed YAML has a line number: {zz_line}"));
    assert!((2..=3).contains(&line_no), "{zz_line}");
    assert!(text.contains("problem(s)"), "{text}");
}

#[test]
fn newer_schema_version_is_refused_with_its_line() {
    let dir = catalogue_with(&[(
        "frameworks/fw.yaml",
        &FRAMEWORK.replace("schema_version: 1", "schema_version: 2"),
    )]);
    let (ok, text) = check(dir.path());
    assert!(!ok);
    let prefix = format!("{}:1:", dir.path().join("frameworks/fw.yaml").display());
    assert!(
        text.lines()
            .any(|l| l.starts_with(&prefix) && l.contains("schema version 2 is not supported")),
        "{text}"
    );
}

#[test]
fn missing_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, text) = check(&dir.path().join("nope"));
    assert!(!ok);
    assert!(
        text.contains("nope") && text.contains("frameworks"),
        "{text}"
    );
}

#[test]
fn a_closed_pipe_stops_output_quietly() {
    // `canary catalog export | head`: the reader goes away mid-output.
    let mut child = process()
        .args(["catalog", "export"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141));
}
