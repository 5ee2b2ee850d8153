//! Spreadsheet exports (XLSX read back with calamine, CSV byte by byte).

use std::path::Path;

use crate::support::cli::{example, Cli};

fn export_to(env: &Cli, args: &[&str], out: &Path) {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend(["--out", out.to_str().unwrap()]);
    env.cmd(&all).assert().success();
}

/// The XML of one part of an XLSX (a zip).
fn xlsx_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut part = zip.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text).unwrap();
    text
}

#[test]
fn xlsx_has_the_portfolio_and_a_sheet_per_product() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let env = example();
    env.cmd(&[
        "product",
        "add",
        "--name",
        "Doorbell",
        "--model",
        "DB-1",
        "--manufacturer",
        "Bell Works",
    ])
    .assert()
    .success();
    let out = env.path("all.xlsx");
    export_to(&env, &["--format", "xlsx"], &out);

    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    // Portfolio order (by name): Acme SmartPlug, then Doorbell.
    assert_eq!(book.sheet_names(), ["Portfolio", "SP-200", "DB-1"]);
    let p = book.worksheet_range("Portfolio").unwrap();
    let cell = |r: &calamine::Range<Data>, row: u32, col: u32| r.get_value((row, col)).cloned();
    let text = |d: Option<Data>| match d {
        Some(Data::String(s)) => s,
        other => panic!("expected text, got {other:?}"),
    };
    assert_eq!(text(cell(&p, 0, 0)), "Manufacturer");
    assert_eq!(text(cell(&p, 0, 4)), "No default passwords");
    // Products by name: Acme SmartPlug, then Doorbell.
    assert_eq!(text(cell(&p, 1, 0)), "Acme Devices Ltd");
    assert_eq!(text(cell(&p, 1, 1)), "SP-200");
    assert_eq!(text(cell(&p, 1, 3)), "draft");
    assert_eq!(text(cell(&p, 1, 4)), "claimed", "met, not yet reviewed");
    assert_eq!(text(cell(&p, 0, 8)), "UK CoP: Met");
    assert_eq!(
        cell(&p, 1, 8),
        Some(Data::Float(11.0)),
        "met count (11 of 13 in the example)"
    );
    let width = p.get_size().1 as u32;
    assert_eq!(text(cell(&p, 0, width - 1)), "Support period end");
    match cell(&p, 1, width - 1) {
        // 2030-12-31 as an Excel serial date.
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 47848.0),
        other => panic!("support end is not a date: {other:?}"),
    }
    assert_eq!(text(cell(&p, 2, 1)), "DB-1");

    let s = book.worksheet_range("SP-200").unwrap();
    assert_eq!(
        s.get_size(),
        (17, 10),
        "header and 16 requirements (CoP, PSTI)"
    );
    assert_eq!(text(cell(&s, 1, 0)), "uk-cop-2018:1");
    assert_eq!(text(cell(&s, 1, 2)), "Met");
    assert!(text(cell(&s, 1, 5))
        .contains("ed6269205ea51ab0f3671f6a685c3d235379309a8ae1fe9c69299633e056f257"));

    // Frozen header and filter on every sheet; the status cell is coloured.
    for sheet in ["sheet1", "sheet2"] {
        let xml = xlsx_part(&out, &format!("xl/worksheets/{sheet}.xml"));
        assert!(
            xml.contains("state=\"frozen\""),
            "{sheet} header not frozen"
        );
        assert!(xml.contains("<autoFilter"), "{sheet} has no filter");
    }
    assert!(
        xlsx_part(&out, "xl/styles.xml").contains("FFC6EFCE"),
        "no status colour"
    );

    // One product only: the portfolio lists it alone.
    let one = env.path("one.xlsx");
    export_to(&env, &["--format", "xlsx", "--product", "DB-1"], &one);
    let book: Xlsx<_> = open_workbook(&one).unwrap();
    assert_eq!(book.sheet_names(), ["Portfolio", "DB-1"]);
}

#[test]
fn csv_is_the_product_table_in_utf8_with_bom() {
    let env = example();
    let out = env.path("sp.csv");
    export_to(&env, &["--format", "csv", "--product", "SP-200"], &out);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "Requirement,Title,Status,Statement,Justification,Evidence,Verdict,Reviewer,Comment,Reviewed on"
    );
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("uk-cop-2018:1,No default passwords,Met,"),
        "{first}"
    );
    // 13 rows; fields with line breaks stay inside quotes.
    assert_eq!(text.matches("\r\nuk-cop-2018:").count(), 13);

    env.cmd(&["export", "--format", "csv", "--out", out.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "the CSV export is of one product",
        ));
}
