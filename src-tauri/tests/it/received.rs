//! The Received screen's commands on real files: an attestation made by the app
//! and signed by a team's key is received (valid, key not trusted), a copy with
//! one byte changed and a relative path are refused with reasons, the stored
//! copy checks again, and "trust this key" writes the app's own trusted keys.

use canary::catalogue::Catalogue;
use canary::document;
use canary::identity::{Home, Person};
use serde_json::{json, Value};

use crate::support::Harness;

#[test]
fn receive_list_detail_and_trust() {
    let h = Harness::new();
    let product = h.add_product("Plug", &["uk-cop-2018"]);
    let pdf = h.path("attestation.pdf");
    let _: Value = h.ok(
        "generate_report",
        json!({ "kind": "attestation", "product": product, "path": pdf, "replace": false }),
    );
    let team = Home::at(h.path("team"));
    let ada = Person {
        name: "Ada Lovelace".into(),
        organisation: "Canary Devices Ltd".into(),
        role: "CTO".into(),
    };
    let public = team.create_key(&ada, "pw").unwrap();
    let key = team.unlock("pw").unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    let catalogue = Catalogue::embedded().unwrap();
    let sig = document::sign(&bytes, &catalogue, &key, &ada).unwrap();
    std::fs::write(document::signature_path(&pdf), &sig).unwrap();
    let altered = h.path("altered.pdf");
    let mut changed = bytes.clone();
    changed[bytes.len() / 2] ^= 0x01;
    std::fs::write(&altered, changed).unwrap();
    std::fs::write(document::signature_path(&altered), &sig).unwrap();

    let receipts: Vec<Value> = h.ok(
        "receive_documents",
        json!({ "paths": [pdf, altered, "relative.pdf"] }),
    );
    let outcomes: Vec<&str> = receipts
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["added", "refused", "refused"], "{receipts:#?}");
    assert!(receipts[0]["warning"]
        .as_str()
        .unwrap()
        .contains("not one you trust"));
    assert!(receipts[1]["reason"]
        .as_str()
        .unwrap()
        .contains("altered since it was signed"));
    assert!(receipts[2]["reason"]
        .as_str()
        .unwrap()
        .contains("relative.pdf"));

    let rows: Vec<Value> = h.ok("received_list", json!({}));
    assert_eq!(rows.len(), 1);
    let id = rows[0]["id"].as_i64().unwrap();
    assert_eq!(rows[0]["signature"], "valid");
    assert_eq!(rows[0]["trust"], "untrusted");
    assert_eq!(rows[0]["key_id"], public.key_id().as_str());
    assert_eq!(rows[0]["manufacturer"], "Canary Devices Ltd");
    assert_eq!(rows[0]["support"], "later");

    let detail: Value = h.ok("received_detail", json!({ "id": id }));
    assert_eq!(detail["signature_now"], "valid");
    assert_eq!(detail["document"]["signer"], "Ada Lovelace");
    assert_eq!(detail["document"]["public_key"], public.base64().as_str());

    let trusted: Value = h.ok(
        "trust_received_key",
        json!({ "id": id, "name": "Canary team", "organisation": "Canary Devices Ltd" }),
    );
    assert_eq!(trusted["row"]["trust"], "trusted");
    assert_eq!(trusted["row"]["trusted_as"], "Canary team");
    let store = Home::at(h.path("home")).trust_store().unwrap();
    assert_eq!(store.keys().len(), 1);
    assert_eq!(store.keys()[0].key_id, public.key_id());

    let (code, _) = h.err("received_detail", json!({ "id": 99 }));
    assert_eq!(code, "received_not_found");
    let (code, _) = h.err("received_detail", json!({ "ident": 1 }));
    assert_eq!(code, "invalid_input");
}
