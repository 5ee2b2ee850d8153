//! Lookup and read models: finding products, listing them, dashboard, product
//! page and status.

use canary::workbook::{AssessmentState, CanaryState, ProductInput, Status, WorkbookError};

use crate::support::store::{met, product, with_product, Fixture};

#[test]
fn products_are_found_by_id_model_or_name_and_ambiguity_is_an_error() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let a = wb
        .add_product(&fx.cat, &product("Camera", "CAM-1"))
        .unwrap();
    let b = wb
        .add_product(&fx.cat, &product("camera", "CAM-2"))
        .unwrap();
    assert_eq!(wb.find_product(&a.id.to_string()).unwrap().id, a.id);
    assert_eq!(wb.find_product("CAM-2").unwrap().id, b.id);
    match wb.find_product("CAMERA") {
        Err(WorkbookError::AmbiguousProduct { matches, .. }) => {
            assert_eq!(matches.len(), 2);
            assert!(matches[0].contains("CAM-1") && matches[1].contains("CAM-2"));
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
    assert_eq!(
        wb.find_product("nothing").unwrap_err().code(),
        "product_not_found"
    );
    assert_eq!(
        wb.add_product(&fx.cat, &ProductInput::default())
            .unwrap_err()
            .code(),
        "invalid_product"
    );
    let mut bad = product("D", "D");
    bad.support_end = Some("31/12/2030".into());
    assert_eq!(
        wb.add_product(&fx.cat, &bad).unwrap_err().code(),
        "invalid_date"
    );
}

#[test]
fn dashboard_and_page_agree() {
    let fx = Fixture::new();
    let (mut wb, p, a) = with_product(&fx);
    let empty = wb.add_product(&fx.cat, &product("Empty", "E-1")).unwrap();
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met(""))
        .unwrap();
    let mut pm = met("");
    pm.status = Status::PartiallyMet;
    wb.set_response(&fx.cat, a, "uk-cop-2018:2", &pm).unwrap();
    let mut na = met("");
    na.status = Status::NotApplicable;
    na.justification = "no such interface".into();
    wb.set_response(&fx.cat, a, "uk-cop-2018:4", &na).unwrap();
    wb.set_response(&fx.cat, a, "etsi-en-303-645-v2.1.1:5.1-2", &met(""))
        .unwrap();

    let dash = wb.dashboard(&fx.cat).unwrap();
    assert_eq!(dash.len(), 2);
    let row = dash.iter().find(|r| r.id == p).unwrap();
    assert_eq!(row.state, Some(AssessmentState::Draft));
    assert_eq!(row.support_end.as_deref(), Some("2030-12-31"));
    assert_eq!(row.manufacturer, "Acme Ltd");
    let cop = &row.counts[0];
    assert_eq!(
        (
            cop.framework.as_str(),
            cop.total,
            cop.met,
            cop.partially_met,
            cop.not_applicable,
            cop.not_assessed
        ),
        ("uk-cop-2018", 13, 1, 1, 1, 10)
    );
    let en = &row.counts[1];
    assert_eq!((en.total, en.met, en.not_assessed), (8, 1, 7));
    let states: Vec<CanaryState> = row.canaries.iter().map(|c| c.state).collect();
    assert_eq!(
        states,
        [
            CanaryState::Claimed,
            CanaryState::Fail,
            CanaryState::Unknown
        ]
    );
    let none = dash.iter().find(|r| r.id == empty.id).unwrap();
    assert_eq!(none.state, None);
    assert!(none
        .canaries
        .iter()
        .all(|c| c.state == CanaryState::Unknown));

    let page = wb.product_page(&fx.cat, p, Some(a)).unwrap();
    assert_eq!(
        page.requirements.len(),
        13 + 8,
        "unanswered requirements are listed"
    );
    assert_eq!(page.requirements[0].requirement, "uk-cop-2018:1");
    assert_eq!(
        page.requirements[13].requirement,
        "etsi-en-303-645-v2.1.1:5.1-2"
    );
    assert_eq!(page.requirements[2].status, Status::NotAssessed);
    assert!(page.requirements[2].response.is_none());
    assert_eq!(page.counts, row.counts);
    assert_eq!(
        wb.product_page(&fx.cat, empty.id, None).unwrap_err().code(),
        "no_assessment"
    );
}

#[test]
fn products_are_listed_with_numbers_in_order() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    for name in ["Plug 10", "plug 2", "Camera", "Plug 1"] {
        wb.add_product(&fx.cat, &product(name, name)).unwrap();
    }
    let names: Vec<String> = wb
        .dashboard(&fx.cat)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Camera", "Plug 1", "plug 2", "Plug 10"]);
    let listed: Vec<String> = wb
        .products()
        .unwrap()
        .into_iter()
        .map(|p| p.info.name)
        .collect();
    assert_eq!(listed, names);
}
