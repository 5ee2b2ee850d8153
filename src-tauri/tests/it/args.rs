//! Every command's arguments are read strictly: a field the command does not
//! read is refused with an `invalid_input` naming it, and nothing is stored.

use serde_json::{json, Value};

use crate::support::Harness;

#[test]
fn a_misspelt_top_level_argument_is_refused_by_name() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let (code, msg) = h.err("product_page", json!({ "product": id, "asessment": 1 }));
    assert_eq!(code, "invalid_input");
    assert!(msg.contains("product_page"), "{msg}");
    assert!(msg.contains("`asessment`"), "{msg}");
}

#[test]
fn an_unknown_nested_field_is_refused_and_nothing_is_stored() {
    let h = Harness::new();
    let (code, msg) = h.err(
        "add_product",
        json!({ "input": {
            "product": {
                "name": "Plug", "model": "P-1", "product_type": "", "batch": "",
                "manufacturer": { "name": "Acme", "address": "1 Road", "phone": "123" },
                "roles": [], "markets": []
            },
            "frameworks": ["uk-cop-2018"],
        }}),
    );
    assert_eq!(code, "invalid_input");
    assert!(msg.contains("input.product.manufacturer.phone"), "{msg}");
    let rows: Vec<Value> = h.ok("dashboard", json!({}));
    assert!(rows.is_empty(), "nothing stored: {rows:?}");
}

#[test]
fn a_misspelt_optional_evidence_field_is_not_dropped_in_silence() {
    let h = Harness::new();
    let id = h.add_product("Smart Plug", &[]);
    let a = h.assessment(id);
    let input = |extra: Value| {
        let mut input = json!({ "content": { "kind": "note", "text": "Checked" }, "title": "T" });
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        json!({ "assessment": a, "requirement": "uk-cop-2018:1", "input": input })
    };
    let (code, msg) = h.err("add_evidence", input(json!({ "expiry": "2027-01-01" })));
    assert_eq!(code, "invalid_input");
    assert!(msg.contains("`input.expiry`"), "{msg}");
    let mut in_content = input(json!({}));
    in_content["input"]["content"]["url"] = json!("https://example.invalid/");
    let (code, msg) = h.err("add_evidence", in_content);
    assert_eq!(code, "invalid_input");
    assert!(msg.contains("url"), "{msg}");
    let page: Value = h.ok("product_page", json!({ "product": id }));
    assert!(
        !page.to_string().contains("Checked"),
        "no evidence stored: {page}"
    );
    // The same arguments without the stray field are taken.
    let ev: Value = h.ok("add_evidence", input(json!({ "expires": "2027-01-01" })));
    assert_eq!(ev["expires"], "2027-01-01");
}
