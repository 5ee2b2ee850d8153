//! OSCAL 1.2.1 exports through the real binary, validated against NIST's
//! published JSON Schemas.

use std::path::Path;

use crate::support::cli::{example, Cli};

/// A new empty workbook.
fn setup() -> Cli {
    let env = Cli::new();
    env.ok(&["init"]);
    env
}

/// NIST's schemas in `shared/reference/oscal`, beside the repository (CI) or
/// beside a folder above it (a worktree). Missing schemas fail the test: an
/// export that cannot be validated is not known to be valid.
fn oscal_schema(file: &str) -> serde_json::Value {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest
        .ancestors()
        .skip(1)
        .map(|a| a.join("shared/reference/oscal"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "NIST's OSCAL schemas are missing: expected shared/reference/oscal beside {} or a folder above it",
                manifest.display()
            )
        });
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn assert_oscal_valid(schema_file: &str, doc: &serde_json::Value) {
    let schema = oscal_schema(schema_file);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("NIST's schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema_file}:\n{}", errors.join("\n"));
}

fn stdout_json(out: std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn schema_check_catches_an_invalid_document() {
    // The validator must be able to fail: a finding without its target is refused.
    let doc = serde_json::json!({"assessment-results": {"uuid": "not-a-uuid"}});
    let schema = oscal_schema("oscal_assessment-results_schema.json");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    assert!(!validator.is_valid(&doc));
}

#[test]
fn oscal_assessment_results_are_valid_stable_and_complete() {
    let env = example();
    env.cmd(&["submit", "--product", "SP-200"])
        .assert()
        .success();
    env.cmd(&[
        "review",
        "--product",
        "SP-200",
        "--requirement",
        "uk-cop-2018:1",
        "--verdict",
        "accepted",
        "--comment",
        "Label photo checked",
        "--as",
        "Rita Reviewer",
    ])
    .assert()
    .success();
    let (a, b) = (env.path("a.json"), env.path("b.json"));
    for out in [&a, &b] {
        env.cmd(&[
            "export",
            "--product",
            "SP-200",
            "--format",
            "oscal",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    }
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(bytes, std::fs::read(&b).unwrap(), "re-export differs");
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_oscal_valid("oscal_assessment-results_schema.json", &doc);

    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.1");
    let results = ar["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let findings = results[0]["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        16,
        "a finding per requirement (13 CoP, 3 PSTI)"
    );
    let prop = |o: &serde_json::Value, name: &str| -> Option<String> {
        o["props"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["value"].as_str().unwrap().to_owned())
    };
    let first = &findings[0];
    assert_eq!(first["target"]["target-id"], "uk-cop-2018_1_smt");
    assert_eq!(first["target"]["status"]["state"], "satisfied");
    assert_eq!(prop(first, "status").as_deref(), Some("met"));
    assert_eq!(prop(first, "review-verdict").as_deref(), Some("accepted"));
    assert!(first["description"]
        .as_str()
        .unwrap()
        .contains("unique random setup password"));

    // Evidence: the file with its SHA-256, the link as an href.
    let observations = results[0]["observations"].as_array().unwrap();
    assert_eq!(
        observations.len(),
        11,
        "an observation per evidence item of the example"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("ed6269205ea51ab0f3671f6a685c3d235379309a8ae1fe9c69299633e056f257"));
    assert!(observations
        .iter()
        .any(|o| o["relevant-evidence"][0]["href"] == "https://acme-devices.example/security"));
    let related = first["related-observations"][0]["observation-uuid"].clone();
    assert!(observations.iter().any(|o| o["uuid"] == related));

    // Parties: manufacturer, team, reviewer; the verdict in the log.
    let parties: Vec<&str> = ar["metadata"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["Acme Devices Ltd", "Test Runner", "Rita Reviewer"] {
        assert!(parties.contains(&name), "{name} in {parties:?}");
    }
    let log = results[0]["assessment-log"]["entries"].as_array().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["description"], "Label photo checked");
}

#[test]
fn oscal_catalogs_of_every_framework_are_valid() {
    let env = setup();
    let cat = canary::catalogue::Catalogue::embedded().unwrap();
    for fw in cat.frameworks() {
        let out = env
            .cmd(&[
                "catalog",
                "export",
                "--format",
                "oscal-catalog",
                "--framework",
                &fw.id,
            ])
            .output()
            .unwrap();
        let doc = stdout_json(out);
        assert_oscal_valid("oscal_catalog_schema.json", &doc);
        let text = doc.to_string();
        let controls = text.matches("\"name\":\"statement\"").count();
        assert_eq!(
            controls,
            fw.requirements.len(),
            "{}: a control per requirement",
            fw.id
        );
        if fw.id.starts_with("etsi") {
            // ETSI's text is copyright: ids and Canary's own titles only.
            assert!(!text.contains("\"prose\""), "ETSI prose exported");
        }
    }
    let cop = stdout_json(
        env.cmd(&[
            "catalog",
            "export",
            "--format",
            "oscal-catalog",
            "--framework",
            "uk-cop-2018",
        ])
        .output()
        .unwrap(),
    );
    let c1 = &cop["catalog"]["controls"][0];
    assert_eq!(c1["id"], "uk-cop-2018_1");
    assert_eq!(c1["title"], "No default passwords");
    let (_, r1) = cat.requirement("uk-cop-2018:1").unwrap();
    assert_eq!(
        c1["parts"][0]["prose"],
        r1.text.clone().unwrap(),
        "verbatim CoP text"
    );
    env.cmd(&[
        "catalog",
        "export",
        "--format",
        "oscal-catalog",
        "--framework",
        "nope",
    ])
    .assert()
    .failure()
    .stderr(predicates::str::contains("`nope` is not a framework"));
}

#[test]
fn oscal_mapping_collection_is_valid_and_carries_every_row() {
    let env = setup();
    let cat = canary::catalogue::Catalogue::embedded().unwrap();
    let doc = stdout_json(
        env.cmd(&["catalog", "export", "--format", "oscal-mapping"])
            .output()
            .unwrap(),
    );
    assert_oscal_valid("oscal_mapping_schema.json", &doc);
    let maps: usize = doc["mapping-collection"]["mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["maps"].as_array().unwrap().len())
        .sum();
    assert_eq!(maps, cat.mappings().count());

    let one = stdout_json(
        env.cmd(&[
            "catalog",
            "export",
            "--format",
            "oscal-mapping",
            "--set",
            "cop-to-en303645",
        ])
        .output()
        .unwrap(),
    );
    assert_oscal_valid("oscal_mapping_schema.json", &one);
    let mapping = &one["mapping-collection"]["mappings"][0];
    let set = &cat
        .mapping_sets()
        .iter()
        .find(|s| s.id == "cop-to-en303645")
        .unwrap();
    let row = &set.mappings[0];
    let map = &mapping["maps"][0];
    assert_eq!(map["relationship"], row.relationship.as_str());
    assert_eq!(map["sources"][0]["id-ref"], row.from.replace(':', "_"));
    assert_eq!(map["props"][0]["value"], row.source);
    env.cmd(&[
        "catalog",
        "export",
        "--format",
        "oscal-mapping",
        "--set",
        "nope",
    ])
    .assert()
    .failure();
}
