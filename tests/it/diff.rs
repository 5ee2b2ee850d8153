//! `canary diff`: what changed between two assessments of a product.
use crate::support::cli::example;

fn stdout_json(out: std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn diff_reports_exactly_the_changed_answers() {
    let env = example();
    let ok = |args: &[&str]| {
        env.cmd(args).assert().success();
    };
    env.cmd(&["diff", "--product", "SP-200"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("only one assessment"));
    ok(&["clone", "--product", "SP-200", "--label", "Firmware 1.5"]);
    let unchanged = stdout_json(
        env.cmd(&["diff", "--product", "SP-200", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        unchanged["changes"],
        serde_json::json!([]),
        "a clone changes nothing"
    );

    ok(&[
        "respond",
        "--product",
        "SP-200",
        "--requirement",
        "uk-cop-2018:4",
        "--status",
        "not_met",
        "--justification",
        "Secrets move to the secure element in 1.6",
    ]);
    ok(&[
        "evidence",
        "add",
        "--product",
        "SP-200",
        "--requirement",
        "uk-cop-2018:5",
        "--title",
        "Port scan",
        "--url",
        "https://acme-devices.example/scan",
    ]);
    let listed = stdout_json(
        env.cmd(&[
            "evidence",
            "list",
            "--product",
            "SP-200",
            "--requirement",
            "uk-cop-2018:2",
            "--json",
        ])
        .output()
        .unwrap(),
    );
    let link = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "link")
        .expect("the published security page");
    ok(&["evidence", "remove", &link["id"].to_string()]);

    let d = stdout_json(
        env.cmd(&["diff", "--product", "SP-200", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(d["from"]["label"], "Firmware 1.4.2");
    assert_eq!(d["to"]["label"], "Firmware 1.5");
    let changed: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["requirement"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["uk-cop-2018:2", "uk-cop-2018:4", "uk-cop-2018:5"]);
    let c = &d["changes"];
    assert_eq!(
        c[0]["evidence_removed"][0]["content"],
        "https://acme-devices.example/security"
    );
    assert!(c[0].get("status").is_none(), "{}", c[0]);
    assert_eq!(c[1]["status"]["to"], "not_met");
    assert_eq!(
        c[1]["justification"]["to"],
        "Secrets move to the secure element in 1.6"
    );
    assert_eq!(c[2]["evidence_added"][0]["title"], "Port scan");
    assert_eq!(
        c[2].as_object().unwrap().len(),
        3,
        "only evidence changed: {}",
        c[2]
    );

    // Explicit ends, by label and by id, the other way round.
    let back = stdout_json(
        env.cmd(&[
            "diff",
            "--product",
            "SP-200",
            "--from",
            "Firmware 1.5",
            "--to",
            &d["from"]["id"].to_string(),
            "--json",
        ])
        .output()
        .unwrap(),
    );
    assert_eq!(back["changes"][1]["status"]["from"], "not_met");
    assert_eq!(
        back["changes"][0]["evidence_added"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let human = env.cmd(&["diff", "--product", "SP-200"]).output().unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("3 requirement(s) changed"), "{human}");
    assert!(human.contains("status: Met → Not met"), "{human}");
}
