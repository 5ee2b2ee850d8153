//! Every command through Tauri's mock runtime, against a real workbook file and
//! the embedded catalogue.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::{write, Harness};

#[test]
fn launch_creates_the_workbook_and_names_it() {
    let h = Harness::new();
    assert!(
        h.workbook.is_file(),
        "the launch workbook was created on disk"
    );
    let s: Value = h.ok("session", json!({}));
    assert_eq!(s["workbook"]["name"], "test.canary");
    assert_eq!(s["workbook"]["path"], h.workbook.display().to_string());
    assert_eq!(s["workbook"]["has_profile"], false);
    assert_eq!(s["recent"], json!([h.workbook.display().to_string()]));
    assert!(s.get("launch_error").is_none() || s["launch_error"].is_null());
}

#[test]
fn a_launch_workbook_that_is_not_a_workbook_is_reported_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("notes.canary");
    write(&bogus, b"just some text, not SQLite");
    let h = Harness::launch(dir, bogus.clone());
    let s: Value = h.ok("session", json!({}));
    assert!(s["workbook"].is_null(), "nothing is open: {s}");
    assert_eq!(s["launch_error"]["code"], "not_a_workbook");
    assert_eq!(
        std::fs::read(&bogus).unwrap(),
        b"just some text, not SQLite"
    );
    let (code, _) = h.err("dashboard", json!({}));
    assert_eq!(code, "no_workbook");
}

#[test]
fn open_and_create_check_paths_and_keep_the_current_workbook_on_failure() {
    let h = Harness::new();
    let (code, msg) = h.err(
        "open_workbook",
        json!({ "path": "relative.canary", "create": false }),
    );
    assert_eq!(code, "invalid_input");
    assert!(msg.contains("absolute"), "{msg}");
    let (code, _) = h.err("open_workbook", json!({ "path": "  ", "create": true }));
    assert_eq!(code, "invalid_input");

    let (code, _) = h.err(
        "open_workbook",
        json!({ "path": h.path("missing.canary"), "create": false }),
    );
    assert_eq!(code, "not_found");
    let (code, _) = h.err(
        "open_workbook",
        json!({ "path": h.workbook, "create": true }),
    );
    assert_eq!(
        code, "already_exists",
        "creating over an existing file is refused"
    );
    let s: Value = h.ok("session", json!({}));
    assert_eq!(
        s["workbook"]["name"], "test.canary",
        "the first workbook is still open"
    );

    let second = h.path("second.canary");
    let s: Value = h.ok("open_workbook", json!({ "path": second, "create": true }));
    assert_eq!(s["workbook"]["name"], "second.canary");
    assert_eq!(
        s["recent"],
        json!([
            second.display().to_string(),
            h.workbook.display().to_string()
        ]),
        "newest first"
    );
    let s: Value = h.ok(
        "open_workbook",
        json!({ "path": h.workbook, "create": false }),
    );
    assert_eq!(s["recent"][0], h.workbook.display().to_string());
    assert_eq!(s["recent"].as_array().unwrap().len(), 2, "no duplicates");
}

#[test]
fn catalogue_is_sent_whole_and_mappings_are_named_both_ways() {
    let h = Harness::new();
    let c: Value = h.ok("catalogue", json!({}));
    let ids: Vec<&str> = c["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in [
        "uk-cop-2018",
        "etsi-en-303-645-v2.1.1",
        "uk-psti-2023",
        "nistir-8259a",
        "eu-cra-2024",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert_eq!(c["digest"].as_str().unwrap().len(), 64);
    assert!(!c["references"].as_array().unwrap().is_empty());

    let out: Vec<Value> = h.ok("mappings_of", json!({ "id": "uk-cop-2018:1" }));
    let to_en = out
        .iter()
        .find(|m| m["mapping"]["other"] == "etsi-en-303-645-v2.1.1:5.1-1")
        .expect("CoP 1 maps to EN 303 645 5.1-1");
    assert_eq!(to_en["mapping"]["outgoing"], true);
    assert_eq!(to_en["other_kind"], "requirement");
    assert!(!to_en["other_title"].as_str().unwrap().is_empty());

    // The same row read from the other end.
    let back: Vec<Value> = h.ok(
        "mappings_of",
        json!({ "id": "etsi-en-303-645-v2.1.1:5.1-1" }),
    );
    let row = back
        .iter()
        .find(|m| m["mapping"]["other"] == "uk-cop-2018:1")
        .expect("incoming row from CoP 1");
    assert_eq!(row["mapping"]["outgoing"], false);
    assert_eq!(row["other_kind"], "requirement");

    let (code, msg) = h.err("mappings_of", json!({ "id": "uk-cop-2018:99" }));
    assert_eq!(code, "not_found");
    assert!(msg.contains("uk-cop-2018:99"), "{msg}");
}

#[test]
fn document_links_open_only_when_the_catalogue_lists_them() {
    let h = Harness::new();
    let c: Value = h.ok("catalogue", json!({}));
    let doc = c["references"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["documents"].as_array().unwrap())
        .find(|d| d["links"].as_array().is_some_and(|l| !l.is_empty()))
        .expect("a document with a link");
    let id = doc["id"].as_str().unwrap();
    let url = doc["links"][0].as_str().unwrap();
    let _: Value = h.ok("open_document_link", json!({ "document": id, "url": url }));
    let (code, _) = h.err(
        "open_document_link",
        json!({ "document": id, "url": "https://evil.invalid/" }),
    );
    assert_eq!(code, "invalid_input");
    let (code, _) = h.err(
        "open_document_link",
        json!({ "document": "no-such-doc", "url": url }),
    );
    assert_eq!(code, "not_found");
}

#[test]
fn writes_work_before_a_profile_and_the_profile_is_stored() {
    let h = Harness::new();
    // No profile yet: the computer login is the actor, so adding a product works.
    let id = h.add_product("Smart Plug", &[]);
    let (code, _) = h.err(
        "set_profile",
        json!({ "profile": { "name": "  ", "organisation": "", "role": "" } }),
    );
    assert_eq!(code, "required");
    let s: Value = h.ok(
        "set_profile",
        json!({ "profile": { "name": "Ada Auditor", "organisation": "Test House", "role": "auditor" } }),
    );
    assert_eq!(s["workbook"]["has_profile"], true);
    assert_eq!(s["workbook"]["profile"]["organisation"], "Test House");
    // Later changes are stamped with the profile's name.
    let a = h.assessment(id);
    let ev: Value = h.ok(
        "add_evidence",
        json!({ "assessment": a, "requirement": "uk-cop-2018:1",
                "input": { "content": { "kind": "note", "text": "Checked the pairing flow" } } }),
    );
    assert_eq!(ev["added_by"], "Ada Auditor");
    assert_eq!(ev["title"], "Checked the pairing flow");
}

#[test]
fn products_appear_on_the_dashboard_with_progress_and_canaries() {
    let h = Harness::new();
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    assert!(rows.is_empty());
    let (code, _) = h.err(
        "add_product",
        json!({ "input": { "product": {
            "name": "", "model": "", "product_type": "", "batch": "",
            "manufacturer": { "name": "", "address": "" }, "roles": [], "markets": []
        }, "frameworks": [] } }),
    );
    assert_eq!(code, "invalid_product");
    let (code, _) = h.err(
        "add_product",
        json!({ "input": { "product": {
            "name": "Plug", "model": "P-1", "product_type": "", "batch": "",
            "manufacturer": { "name": "Acme", "address": "" }, "roles": [], "markets": []
        }, "frameworks": ["no-such-framework"] } }),
    );
    assert_eq!(code, "unknown_framework");

    let id = h.add_product("Smart Plug", &["uk-cop-2018", "uk-psti-2023"]);
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    // The refused product with the unknown framework must not be half-stored.
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Smart Plug"));
    let row = rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(row["state"], "draft");
    assert_eq!(row["support_end"], "2031-01-31");
    let fws: Vec<&str> = row["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["framework"].as_str().unwrap())
        .collect();
    assert_eq!(fws, ["uk-cop-2018", "uk-psti-2023"]);
    let canaries: Vec<&str> = row["canaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["requirement"].as_str().unwrap())
        .collect();
    assert_eq!(
        canaries,
        ["uk-cop-2018:1", "uk-cop-2018:2", "uk-cop-2018:3"]
    );
    assert!(row["canaries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["state"] == "unknown"));
}

#[test]
fn responses_are_checked_by_the_store_and_show_on_the_page() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let input = |status: &str, justification: &str| {
        json!({ "assessment": a, "requirement": "uk-cop-2018:1", "input": {
            "status": status, "statement": "", "justification": justification, "owner": ""
        }})
    };
    let (code, msg) = h.err("set_response", input("not_applicable", "  "));
    assert_eq!(code, "justification_required");
    assert!(msg.contains("justification"), "{msg}");
    // An unknown status never reaches the store: the arguments are refused, as an
    // error naming the command and the value.
    let (code, msg) = h.err("set_response", input("maybe", ""));
    assert_eq!(code, "invalid_input");
    assert!(
        msg.contains("`set_response`") && msg.contains("maybe"),
        "{msg}"
    );
    let (code, msg) = h.err("set_response", json!({ "assessment": a }));
    assert_eq!(code, "invalid_input");
    assert!(msg.contains("missing field `requirement`"), "{msg}");

    let r: Value = h.ok(
        "set_response",
        input("not_applicable", "Paired by button; no passwords exist."),
    );
    assert_eq!(r["status"], "not_applicable");
    let r: Value = h.ok(
        "set_response",
        json!({ "assessment": a, "requirement": "uk-cop-2018:2", "input": {
            "status": "met", "statement": "Policy at /security", "justification": "", "owner": "sec team"
        }}),
    );
    assert_eq!(r["owner"], "sec team");
    let (code, _) = h.err(
        "set_response",
        json!({ "assessment": a, "requirement": "uk-psti-2023:1", "input": {
            "status": "met", "statement": "", "justification": "", "owner": ""
        }}),
    );
    assert_eq!(code, "requirement_not_in_scope");

    let page: Value = h.ok("product_page", json!({ "product": id, "assessment": a }));
    let status_of = |req: &str| {
        page["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["requirement"] == req)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of("uk-cop-2018:1"), "not_applicable");
    assert_eq!(status_of("uk-cop-2018:2"), "met");
    assert_eq!(status_of("uk-cop-2018:3"), "not_assessed");
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    let canaries = rows[0]["canaries"].as_array().unwrap();
    // Met but not reviewed yet: claimed, not pass.
    assert_eq!(canaries[1]["state"], "claimed");
    let (code, _) = h.err(
        "product_page",
        json!({ "product": 999, "assessment": null }),
    );
    assert_eq!(code, "product_not_found");
}

/// `add_evidence` with `input` of `kind`: `fields` holds the content's own field
/// (`path`, `url` or `text`) and the item's `title`, `date` and `expires`.
fn evidence(a: i64, req: &str, kind: &str, fields: Value) -> Value {
    let mut input = json!({});
    let mut content = json!({ "kind": kind });
    for (key, value) in fields.as_object().unwrap() {
        match key.as_str() {
            "title" | "date" | "expires" => input[key] = value.clone(),
            _ => content[key] = value.clone(),
        }
    }
    input["content"] = content;
    json!({ "assessment": a, "requirement": req, "input": input })
}

#[test]
fn an_unknown_framework_leaves_no_product() {
    let h = Harness::new();
    let (code, _) = h.err(
        "add_product",
        json!({ "input": { "product": {
            "name": "Half Plug", "model": "HP-1", "product_type": "", "batch": "",
            "manufacturer": { "name": "Acme", "address": "1 Road" }, "roles": [], "markets": []
        }, "frameworks": ["uk-cop-2018", "no-such-framework"] } }),
    );
    assert_eq!(code, "unknown_framework");
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    assert!(rows.is_empty(), "nothing stored: {rows:?}");
    let trail: Vec<Value> = h.ok("trail", json!({}));
    assert!(trail.is_empty(), "nothing recorded: {trail:?}");
    // A product added from the app gets the one default label.
    let id = h.add_product("Plug", &[]);
    let page: Value = h.ok("product_page", json!({ "product": id }));
    assert_eq!(page["assessment"]["label"], "Initial assessment");
}

#[test]
fn evidence_files_links_and_notes() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let req = "uk-cop-2018:2";
    let file = h.path("policy.txt");
    write(&file, b"Report issues to security@example.invalid\n");

    // The store's evidence-path rules name the file.
    let (code, msg) = h.err(
        "add_evidence",
        evidence(a, req, "file", json!({ "path": h.path("nope.txt") })),
    );
    assert_eq!(code, "evidence_path");
    assert!(msg.contains("nope.txt"), "{msg}");
    let (code, _) = h.err(
        "add_evidence",
        evidence(a, req, "file", json!({ "path": h.path("") })),
    );
    assert_eq!(code, "evidence_path");
    let (code, msg) = h.err(
        "add_evidence",
        evidence(a, req, "disk", json!({ "path": "x" })),
    );
    assert_eq!(
        code, "invalid_input",
        "an unknown kind does not reach the store"
    );
    assert!(msg.contains("disk"), "{msg}");

    let ev: Value = h.ok(
        "add_evidence",
        evidence(a, req, "file", json!({ "path": file })),
    );
    assert_eq!(ev["kind"], "file");
    assert_eq!(ev["title"], "policy.txt");
    assert_eq!(ev["file_name"], "policy.txt");
    assert_eq!(ev["size"], 42);
    let file_id = ev["id"].as_i64().unwrap();

    // Opening copies the stored bytes out of the workbook; the original may be gone.
    std::fs::remove_file(&file).unwrap();
    let opened: Value = h.ok(
        "open_evidence",
        json!({ "assessment": a, "requirement": req, "evidence": file_id }),
    );
    assert_eq!(opened["shown_in"], "viewer");
    let copy = opened["target"].as_str().unwrap();
    assert!(copy.ends_with("policy.txt"), "{copy}");
    assert!(
        Path::new(copy).starts_with(h.path("opened")),
        "copied into the app's private folder, not the shared temp dir: {copy}"
    );
    assert_eq!(
        std::fs::read(copy).unwrap(),
        b"Report issues to security@example.invalid\n"
    );
    assert!(std::fs::metadata(copy).unwrap().permissions().readonly());

    // The store's link rule: the same refusal as the CLI and import.
    for bad in [
        "javascript:alert(1)",
        "example.com/policy page",
        "https://a@b.example/",
    ] {
        let (code, _) = h.err(
            "add_evidence",
            evidence(a, req, "link", json!({ "url": bad })),
        );
        assert_eq!(code, "invalid_url", "{bad}");
    }
    let link: Value = h.ok(
        "add_evidence",
        evidence(
            a,
            req,
            "link",
            json!({ "url": "https://example.invalid/security", "title": "" }),
        ),
    );
    assert_eq!(link["title"], "https://example.invalid/security");
    let opened: Value = h.ok(
        "open_evidence",
        json!({ "assessment": a, "requirement": req, "evidence": link["id"] }),
    );
    assert_eq!(
        opened,
        json!({ "target": "https://example.invalid/security", "shown_in": "browser" })
    );

    let note: Value = h.ok(
        "add_evidence",
        evidence(
            a,
            req,
            "note",
            json!({ "text": "Checked on 2026-11-20", "title": "Manual check" }),
        ),
    );
    assert_eq!(note["title"], "Manual check");
    let (code, _) = h.err(
        "open_evidence",
        json!({ "assessment": a, "requirement": req, "evidence": note["id"] }),
    );
    assert_eq!(code, "nothing_to_open");
    assert!(
        note["date"].is_null() && note["expires"].is_null(),
        "{note}"
    );
    // Dates are optional, blank means none, and a bad one names its field.
    let dated: Value = h.ok(
        "add_evidence",
        evidence(
            a,
            req,
            "link",
            json!({ "url": "https://example.invalid/cert", "title": "Certificate",
                "date": "2026-01-15", "expires": " " }),
        ),
    );
    assert_eq!(
        (&dated["date"], &dated["expires"]),
        (&json!("2026-01-15"), &Value::Null)
    );
    let (code, msg) = h.err(
        "add_evidence",
        evidence(
            a,
            req,
            "note",
            json!({ "text": "x", "expires": "2026-02-30" }),
        ),
    );
    assert_eq!(code, "invalid_date");
    assert!(msg.contains("expires"), "{msg}");
    let _: Value = h.ok("remove_evidence", json!({ "evidence": dated["id"] }));

    let page: Value = h.ok("product_page", json!({ "product": id, "assessment": a }));
    let row = page["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == req)
        .unwrap();
    let kinds: Vec<&str> = row["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["file", "link", "note"]);

    let _: Value = h.ok("remove_evidence", json!({ "evidence": file_id }));
    let (code, _) = h.err("remove_evidence", json!({ "evidence": file_id }));
    assert_eq!(code, "evidence_not_found");
    // Undo brings it back under a new id; a second undo has nothing to do.
    let back: Value = h.ok("restore_evidence", json!({ "evidence": file_id }));
    assert_eq!(back["file_name"], "policy.txt");
    assert_ne!(back["id"], file_id);
    let (code, _) = h.err("restore_evidence", json!({ "evidence": file_id }));
    assert_eq!(code, "nothing_to_restore");
    let _: Value = h.ok("remove_evidence", json!({ "evidence": back["id"] }));
    let (code, _) = h.err(
        "open_evidence",
        json!({ "assessment": a, "requirement": req, "evidence": file_id }),
    );
    assert_eq!(code, "not_found");
    // The requirement must be in the assessment's frameworks (the store checks).
    let (code, _) = h.err(
        "open_evidence",
        json!({ "assessment": a, "requirement": "etsi-en-303-645-v2.1.1:5.1-1", "evidence": back["id"] }),
    );
    assert_eq!(code, "requirement_not_in_scope");
}

#[test]
fn evidence_that_could_run_code_is_shown_in_its_folder_not_opened() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let req = "uk-cop-2018:1";
    for (name, shown_in) in [
        ("scan.pdf", "viewer"),
        ("photo.png", "viewer"),
        ("readme.md", "viewer"),
        ("results.csv", "viewer"),
        ("page.html", "folder"),
        ("image.svg", "folder"),
        ("install.sh", "folder"),
        ("tool.exe", "folder"),
        ("report.docx", "folder"),
    ] {
        let path = h.path(name);
        write(&path, name.as_bytes());
        let ev: Value = h.ok(
            "add_evidence",
            evidence(a, req, "file", json!({ "path": path })),
        );
        let opened: Value = h.ok(
            "open_evidence",
            json!({ "assessment": a, "requirement": req, "evidence": ev["id"] }),
        );
        assert_eq!(opened["shown_in"], shown_in, "{name}");
        let copy = opened["target"].as_str().unwrap();
        assert!(Path::new(copy).starts_with(h.path("opened")), "{copy}");
        assert!(std::fs::metadata(copy).unwrap().permissions().readonly());
    }
}

#[test]
fn review_moves_the_assessment_and_locks_answers() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let req = "uk-cop-2018:2";
    let _: Value = h.ok(
        "set_response",
        json!({ "assessment": a, "requirement": req, "input": {
            "status": "met", "statement": "Policy published", "justification": "", "owner": ""
        }}),
    );
    let review =
        json!({ "assessment": a, "requirement": req, "verdict": "accepted", "comment": "Checked" });
    let (code, _) = h.err("set_review", review.clone());
    assert_eq!(code, "not_in_review", "a draft cannot be reviewed");

    let sub: Value = h.ok(
        "transition",
        json!({ "assessment": a, "transition": "submit" }),
    );
    assert_eq!(sub["state"], "submitted");
    let r: Value = h.ok("set_review", review);
    assert_eq!(r["verdict"], "accepted");
    let page: Value = h.ok("product_page", json!({ "product": id, "assessment": a }));
    assert_eq!(page["assessment"]["state"], "in_review");

    // Answers are read-only while in review.
    let (code, _) = h.err(
        "set_response",
        json!({ "assessment": a, "requirement": req, "input": {
            "status": "not_met", "statement": "", "justification": "x", "owner": ""
        }}),
    );
    assert_eq!(code, "not_editable");
    let (code, _) = h.err(
        "transition",
        json!({ "assessment": a, "transition": "submit" }),
    );
    assert_eq!(code, "illegal_transition");
    // Twelve guidelines are not assessed: approval is refused and lists them.
    let (code, message) = h.err(
        "transition",
        json!({ "assessment": a, "transition": "approve" }),
    );
    assert_eq!(code, "approval_refused");
    assert!(message.contains("uk-cop-2018:1 not assessed"), "{message}");
    let outstanding: Vec<Value> = h.ok("outstanding", json!({ "assessment": a }));
    assert_eq!(outstanding.len(), 12);
    let done: Value = h.ok(
        "approve",
        json!({ "assessment": a, "despite": "pilot: guideline 2 only" }),
    );
    assert_eq!(done["state"], "approved");
    assert_eq!(
        done["approval_override"]["reason"],
        "pilot: guideline 2 only"
    );

    // The store's own rule, as for the CLI.
    let (code, msg) = h.err("clone_assessment", json!({ "assessment": a, "label": " " }));
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("required", "label must not be empty")
    );
    let next: Value = h.ok(
        "clone_assessment",
        json!({ "assessment": a, "label": "Firmware 1.1" }),
    );
    assert_eq!(next["state"], "draft");
    assert_eq!(next["cloned_from"], a);
}

#[test]
fn ui_ready_is_accepted() {
    let h = Harness::new();
    let v: Value = h.ok("ui_ready", json!({ "uiMs": 412.0 }));
    assert!(v.is_null());
}

#[test]
fn the_bundled_example_imports_and_round_trips_through_a_product_file() {
    let h = Harness::new();
    let done: Value = h.ok("import_example", json!({}));
    assert_eq!(done["product_created"], true);
    // Unpacked in a private folder under the app's own scratch folder, then removed.
    let scratch: Vec<_> = std::fs::read_dir(h.path("opened"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(scratch.is_empty(), "{scratch:?}");
    assert!(done["responses_set"].as_u64().unwrap() > 0, "{done}");
    assert!(done["evidence_added"].as_u64().unwrap() > 0, "{done}");
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    assert_eq!(rows.len(), 1);
    let product = rows[0]["id"].as_i64().unwrap();

    let (code, _) = h.err(
        "export_product",
        json!({ "product": product, "path": "out" }),
    );
    assert_eq!(code, "invalid_input");
    let out = h.path("export");
    let exported: Value = h.ok("export_product", json!({ "product": product, "path": out }));
    let file = std::path::PathBuf::from(exported["product_file"].as_str().unwrap());
    assert_eq!(file, out.join("product.yaml"));
    assert!(file.is_file());
    let (code, msg) = h.err("export_product", json!({ "product": product, "path": out }));
    assert_eq!(code, "export", "a non-empty folder is refused: {msg}");

    // Into a second workbook: the same product, answers and evidence arrive.
    let _: Value = h.ok(
        "open_workbook",
        json!({ "path": h.path("other.canary"), "create": true }),
    );
    let again: Value = h.ok("import_product", json!({ "path": out }));
    assert_eq!(again["responses_set"], done["responses_set"]);
    assert_eq!(again["evidence_added"], done["evidence_added"]);
    let rows2: Vec<Value> = h.ok("dashboard", json!({}));
    assert_eq!(rows2[0]["name"], rows[0]["name"]);
    assert_eq!(rows2[0]["counts"], rows[0]["counts"]);
}

#[test]
fn a_broken_product_file_is_refused_whole() {
    let h = Harness::new();
    let bad = h.path("product.yaml");
    write(
        &bad,
        b"product:\n  name: 12\nframeworks: [no-such-framework]\n",
    );
    let (code, msg) = h.err("import_product", json!({ "path": bad }));
    assert_eq!(code, "invalid_product_file");
    assert!(
        msg.contains("product.yaml"),
        "problems name the file: {msg}"
    );
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    assert!(rows.is_empty(), "nothing was imported");
    let (code, msg) = h.err("import_product", json!({ "path": h.path("missing.yaml") }));
    assert_eq!(code, "invalid_product_file");
    assert!(msg.contains("missing.yaml"), "the file is named: {msg}");
}

#[test]
fn history_pages_the_trail_and_verify_finds_tampering() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    for n in 1..=3 {
        let _: Value = h.ok(
            "add_evidence",
            json!({ "assessment": a, "requirement": "uk-cop-2018:1",
                    "input": { "content": { "kind": "note", "text": format!("check {n}") }, "title": "" } }),
        );
    }
    let newest: Vec<Value> = h.ok("trail", json!({ "before": null, "limit": 2 }));
    let seqs: Vec<i64> = newest.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs.len(), 2);
    assert!(seqs[0] > seqs[1], "newest first: {seqs:?}");
    assert_eq!(newest[0]["entity"], "evidence");
    assert!(newest[0]["after"].as_str().unwrap().contains("check 3"));
    let older: Vec<Value> = h.ok("trail", json!({ "before": seqs[1], "limit": 1000 }));
    assert_eq!(older[0]["seq"].as_i64().unwrap(), seqs[1] - 1);
    assert_eq!(older.last().unwrap()["seq"], 1);
    let (code, _) = h.err("trail", json!({ "before": 0, "limit": 5 }));
    assert_eq!(code, "invalid_value");

    let report: Value = h.ok("verify_workbook", json!({}));
    assert_eq!(report["findings"], json!([]), "{report}");
    let total = seqs[0];
    assert_eq!(report["events"], total);

    // Anyone with the file and SQLite can rewrite history; verify must say so.
    // Past the append-only trigger, put back word for word (a file without it is refused).
    let raw = rusqlite::Connection::open(&h.workbook).unwrap();
    let trigger: String = raw
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'event_no_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    raw.execute_batch(
        "DROP TRIGGER event_no_update; UPDATE event SET actor = 'Mallory' WHERE seq = 2;",
    )
    .unwrap();
    raw.execute_batch(&trigger).unwrap();
    drop(raw);
    let report: Value = h.ok("verify_workbook", json!({}));
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["subject"] == "event 2"),
        "{report}"
    );
}

#[test]
fn frameworks_of_a_draft_change_from_the_product_page() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let changed: Value = h.ok(
        "change_frameworks",
        json!({ "assessment": a, "add": ["uk-psti-2023"], "remove": [] }),
    );
    assert_eq!(
        changed["frameworks"],
        json!(["uk-cop-2018", "uk-psti-2023"])
    );
    let page: Value = h.ok("product_page", json!({ "product": id, "assessment": a }));
    assert_eq!(page["requirements"].as_array().unwrap().len(), 13 + 3);
    let (code, _) = h.err(
        "change_frameworks",
        json!({ "assessment": a, "add": [], "remove": ["uk-cop-2018", "uk-psti-2023"] }),
    );
    assert_eq!(code, "no_framework_left");
    let _: Value = h.ok(
        "transition",
        json!({ "assessment": a, "transition": "submit" }),
    );
    let (code, _) = h.err(
        "change_frameworks",
        json!({ "assessment": a, "add": ["eu-cra-2024"], "remove": [] }),
    );
    assert_eq!(code, "not_draft");
}

#[test]
fn acts_are_signed_after_the_passphrase_unlocks_the_persons_key() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let _: Value = h.ok(
        "set_response",
        json!({ "assessment": a, "requirement": "uk-cop-2018:1",
                "input": { "status": "met", "statement": "unique passwords", "justification": "", "owner": "" } }),
    );
    // Who acts, with a key, in the person's own config directory.
    let home = canary::identity::Home::at(h.path("home"));
    let person = canary::identity::Person {
        name: "Tess Team".into(),
        organisation: "Canary Devices Ltd".into(),
        role: "Security lead".into(),
    };
    let key = home.create_key(&person, "s3cret pass").unwrap();
    let s: Value = h.ok(
        "set_profile",
        json!({ "profile": { "name": "Tess Team", "organisation": "Canary Devices Ltd", "role": "Security lead" } }),
    );
    assert_eq!(s["workbook"]["key_id"], key.key_id());
    assert_eq!(s["workbook"]["key"], key.base64());

    let submit = |passphrase: Value| {
        h.invoke(
            "transition",
            json!({ "assessment": a, "transition": "submit", "passphrase": passphrase }),
        )
    };
    let e = submit(Value::Null).unwrap_err();
    assert_eq!(e["code"], "passphrase_required", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains(&key.key_id()),
        "{e}"
    );
    let e = submit(json!("wrong")).unwrap_err();
    assert_eq!(e["code"], "wrong_passphrase", "{e}");
    assert!(
        !e["message"].as_str().unwrap().contains("wrong"),
        "the passphrase is never echoed: {e}"
    );
    let done = submit(json!("s3cret pass")).unwrap();
    assert_eq!(done["state"], "submitted");
    // Unlocked while this workbook is open: the next act needs no passphrase.
    let r: Value = h.ok(
        "set_review",
        json!({ "assessment": a, "requirement": "uk-cop-2018:1", "verdict": "accepted", "comment": "" }),
    );
    assert_eq!(r["reviewer"], "Tess Team");

    let report: Value = h.ok("verify_workbook", json!({}));
    assert_eq!(report["findings"], json!([]));
    assert_eq!(report["signed_acts"], 3, "submit, start of review, verdict");
    assert_eq!(report["signers"][0]["name"], "Tess Team");
    assert_eq!(report["signers"][0]["key_id"], key.key_id());
}

#[test]
fn a_person_creates_their_key_in_the_app_for_their_saved_profile() {
    let h = Harness::new();
    // Without a profile there is nobody to sign as.
    let (code, message) = h.err("create_key", json!({ "passphrase": "s3cret pass" }));
    assert_eq!(code, "required", "{message}");
    let home = canary::identity::Home::at(h.path("home"));
    assert_eq!(
        home.public_key().unwrap(),
        None,
        "nothing written on refusal"
    );

    let _: Value = h.ok(
        "set_profile",
        json!({ "profile": { "name": " Tess Team ", "organisation": "Canary Devices Ltd", "role": "Security lead" } }),
    );
    let (code, _) = h.err("create_key", json!({ "passphrase": "" }));
    assert_eq!(code, "identity");
    let s: Value = h.ok("create_key", json!({ "passphrase": "s3cret pass" }));
    let key = home
        .public_key()
        .unwrap()
        .expect("the key is in the person's home");
    assert_eq!(s["workbook"]["key_id"], key.key_id());
    // The profile survives the key, role included, trimmed once by the core.
    let person = home.person().unwrap().unwrap();
    assert_eq!(
        (person.name.as_str(), person.role.as_str()),
        ("Tess Team", "Security lead")
    );
    // A key is never replaced.
    let (code, message) = h.err("create_key", json!({ "passphrase": "other" }));
    assert_eq!(code, "identity");
    assert!(message.contains("already exists"), "{message}");
    assert_eq!(home.public_key().unwrap(), Some(key));

    // The new key signs from the next act on, once unlocked.
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let e = h
        .invoke(
            "transition",
            json!({ "assessment": a, "transition": "submit" }),
        )
        .unwrap_err();
    assert_eq!(e["code"], "passphrase_required", "{e}");
}
