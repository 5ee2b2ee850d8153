//! Spreadsheet, CSV and OSCAL exports and the comparison of two assessments,
//! through the command layer on real workbook files; the XLSX read back with calamine.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::support::Harness;

/// The bundled example plus a second product; returns the example's id.
fn two_products(h: &Harness) -> i64 {
    let _: Value = h.ok("import_example", json!({}));
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    h.add_product("Doorbell", &["uk-cop-2018"]);
    rows[0]["id"].as_i64().unwrap()
}

fn cell_text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text at ({row}, {col}), got {other:?}"),
    }
}

#[test]
fn the_portfolio_and_one_product_export_as_xlsx() {
    let h = Harness::new();
    let example = two_products(&h);

    let all = h.path("portfolio.xlsx");
    let done: Value = h.ok(
        "export_file",
        json!({ "format": "xlsx", "path": all, "replace": false }),
    );
    assert_eq!(done["path"], all.display().to_string());
    let size = std::fs::metadata(&all).unwrap().len();
    assert_eq!(done["bytes"].as_u64(), Some(size));
    let mut book: Xlsx<_> = open_workbook(&all).unwrap();
    assert_eq!(book.sheet_names(), ["Portfolio", "SP-200", "M-1"]);
    let portfolio = book.worksheet_range("Portfolio").unwrap();
    assert_eq!(cell_text(&portfolio, 1, 1), "SP-200");
    assert_eq!(cell_text(&portfolio, 2, 1), "M-1");
    let sheet = book.worksheet_range("SP-200").unwrap();
    assert_eq!(cell_text(&sheet, 0, 0), "Requirement");
    assert_eq!(cell_text(&sheet, 1, 0), "uk-cop-2018:1");

    let one = h.path("smart-plug.xlsx");
    let _: Value = h.ok(
        "export_file",
        json!({ "format": "xlsx", "product": example, "path": one, "replace": false }),
    );
    let book: Xlsx<_> = open_workbook(&one).unwrap();
    assert_eq!(book.sheet_names(), ["Portfolio", "SP-200"]);

    // Only files this session wrote may be opened.
    let _: Value = h.ok("open_produced", json!({ "path": one }));
}

#[test]
fn csv_and_oscal_are_of_one_product() {
    let h = Harness::new();
    let example = two_products(&h);

    let csv = h.path("smart-plug.csv");
    let _: Value = h.ok(
        "export_file",
        json!({ "format": "csv", "product": example, "path": csv, "replace": false }),
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("\u{feff}Requirement,Title,Status,"),
        "{text:.80}"
    );
    assert!(text.contains("\r\nuk-cop-2018:1,"), "a row per requirement");

    let oscal = h.path("smart-plug.json");
    let _: Value = h.ok(
        "export_file",
        json!({ "format": "oscal", "product": example, "path": oscal, "replace": false }),
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&oscal).unwrap()).unwrap();
    let results = &doc["assessment-results"]["results"];
    assert_eq!(results.as_array().map(Vec::len), Some(1));
    assert!(!results[0]["findings"].as_array().unwrap().is_empty());

    for format in ["csv", "oscal"] {
        let out = h.path(&format!("all.{format}"));
        let (code, msg) = h.err(
            "export_file",
            json!({ "format": format, "path": out, "replace": false }),
        );
        assert_eq!(code, "export", "{format}: {msg}");
        assert!(msg.contains("one product"), "{msg}");
        assert!(!out.exists(), "nothing written for {format}");
    }
    let (code, _) = h.err(
        "export_file",
        json!({ "format": "xlsx", "product": 9999, "path": h.path("x.xlsx"), "replace": false }),
    );
    assert_eq!(code, "product_not_found");
    assert!(!h.path("x.xlsx").exists());
}

#[test]
fn an_existing_file_is_replaced_only_when_confirmed_and_links_never() {
    let h = Harness::new();
    let example = two_products(&h);
    let out = h.path("keep.csv");
    std::fs::write(&out, b"someone's notes").unwrap();
    let args = |replace: bool| json!({ "format": "csv", "product": example, "path": out, "replace": replace });
    let (code, msg) = h.err("export_file", args(false));
    assert_eq!(code, "already_exists");
    assert!(msg.contains("keep.csv"), "{msg}");
    assert_eq!(std::fs::read(&out).unwrap(), b"someone's notes");

    let _: Value = h.ok("export_file", args(true));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("uk-cop-2018:1"));

    #[cfg(unix)]
    {
        let target = h.path("elsewhere.csv");
        std::fs::write(&target, b"keep me").unwrap();
        let link = h.path("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for replace in [false, true] {
            let (code, msg) = h.err(
                "export_file",
                json!({ "format": "csv", "product": example, "path": link, "replace": replace }),
            );
            assert_eq!(code, "invalid_input", "{msg}");
            assert!(msg.contains("symbolic link"), "{msg}");
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    }

    for (path, why) in [
        (json!("out.xlsx"), "relative"),
        (json!(h.path("no-such-dir/out.xlsx")), "missing folder"),
        (json!(h.dir.path()), "a folder"),
    ] {
        let (code, _) = h.err(
            "export_file",
            json!({ "format": "xlsx", "path": path, "replace": true }),
        );
        assert_eq!(code, "invalid_input", "{why}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(h.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn set(h: &Harness, assessment: i64, req: &str, status: &str, statement: &str, why: &str) {
    let _: Value = h.ok(
        "set_response",
        json!({ "assessment": assessment, "requirement": req, "input": {
            "status": status, "statement": statement, "justification": why, "owner": ""
        }}),
    );
}

#[test]
fn compare_lists_exactly_what_changed_between_assessments() {
    let h = Harness::new();
    let product = h.add_product("Smart Plug", &["uk-cop-2018"]);
    let first = h.assessment(product);
    let (code, _) = h.err("compare_assessments", json!({ "product": product }));
    assert_eq!(code, "nothing_to_compare", "one assessment only");

    set(&h, first, "uk-cop-2018:1", "met", "Unique passwords", "");
    set(&h, first, "uk-cop-2018:2", "met", "Policy published", "");
    let second: Value = h.ok(
        "clone_assessment",
        json!({ "assessment": first, "label": "Firmware 1.1" }),
    );
    let second = second["id"].as_i64().unwrap();
    let same: Value = h.ok("compare_assessments", json!({ "product": product }));
    assert_eq!(same["from"]["id"], first);
    assert_eq!(same["to"]["id"], second);
    assert_eq!(same["changes"], json!([]), "a fresh clone changes nothing");

    set(
        &h,
        second,
        "uk-cop-2018:2",
        "not_met",
        "Policy published",
        "Withdrawn",
    );
    let note = json!({ "content": { "kind": "note", "text": "Answered in 2 days" }, "title": "Inbox test" });
    let _: Value = h.ok(
        "add_evidence",
        json!({ "assessment": second, "requirement": "uk-cop-2018:1", "input": note }),
    );
    let d: Value = h.ok("compare_assessments", json!({ "product": product }));
    let changes = d["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{d}");
    assert_eq!(changes[0]["requirement"], "uk-cop-2018:1");
    assert_eq!(changes[0]["evidence_added"][0]["title"], "Inbox test");
    assert!(changes[0].get("status").is_none(), "{}", changes[0]);
    assert_eq!(changes[1]["requirement"], "uk-cop-2018:2");
    assert_eq!(
        changes[1]["status"],
        json!({ "from": "met", "to": "not_met" })
    );
    assert_eq!(
        changes[1]["justification"],
        json!({ "from": "", "to": "Withdrawn" })
    );
    assert!(changes[1].get("statement").is_none());

    // A third assessment: any two can be chosen, either way round.
    let third: Value = h.ok(
        "clone_assessment",
        json!({ "assessment": second, "label": "Firmware 1.2" }),
    );
    let third = third["id"].as_i64().unwrap();
    let latest: Value = h.ok("compare_assessments", json!({ "product": product }));
    assert_eq!(
        (&latest["from"]["id"], &latest["to"]["id"]),
        (&json!(second), &json!(third))
    );
    assert_eq!(latest["changes"], json!([]));
    let back: Value = h.ok(
        "compare_assessments",
        json!({ "product": product, "from": third, "to": first }),
    );
    let back = back["changes"].as_array().unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0]["evidence_removed"][0]["title"], "Inbox test");
    assert_eq!(back[1]["status"], json!({ "from": "not_met", "to": "met" }));
    let (code, _) = h.err(
        "compare_assessments",
        json!({ "product": product, "from": 424242 }),
    );
    assert_eq!(code, "assessment_not_found");
    // The app names assessments by id, never by label: one labelled "9999" is
    // not assessment 9999.
    let _: Value = h.ok(
        "clone_assessment",
        json!({ "assessment": third, "label": "9999" }),
    );
    let (code, _) = h.err(
        "compare_assessments",
        json!({ "product": product, "from": 9999 }),
    );
    assert_eq!(code, "assessment_not_found");
}
