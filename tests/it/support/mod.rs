//! Shared by the tests: the CLI harness, and a small catalogue written to a
//! directory (so tests do not depend on the shipped catalogue's exact content).

pub mod cli;
pub mod flow;
pub mod store;

/// The bundled example product file.
pub const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/smart-plug/product.yaml"
);

use std::fmt::Write as _;
use std::path::Path;

use canary::catalogue::Catalogue;

/// Writes `frameworks/uk-cop-2018.yaml` (13 guidelines, 1–3 canaries) and
/// `frameworks/etsi-en-303-645-v2.1.1.yaml` (`en_count` provisions) under `root`.
pub fn write_catalogue(root: &Path, en_count: usize) {
    let dir = root.join("frameworks");
    std::fs::create_dir_all(&dir).unwrap();
    let mut cop = header("uk-cop-2018", "Code of Practice (fixture)", "UK CoP");
    cop.push_str("stakeholders:\n- id: DM\n  name: Device Manufacturers\nrequirements:\n");
    for i in 1..=13 {
        writeln!(
            cop,
            "- ref: '{i}'\n  title: Guideline {i}\n  verification: verified"
        )
        .unwrap();
        if i <= 3 {
            cop.push_str("  canary: true\n");
        }
    }
    std::fs::write(dir.join("uk-cop-2018.yaml"), cop).unwrap();
    let mut en = header("etsi-en-303-645-v2.1.1", "Baseline (fixture)", "EN 303 645");
    en.push_str("requirements:\n");
    for i in 1..=en_count {
        writeln!(
            en,
            "- ref: 5.{}-{}\n  title: Provision {i}\n  verification: verified",
            i / 10 + 1,
            i % 10 + 1
        )
        .unwrap();
    }
    std::fs::write(dir.join("etsi-en-303-645-v2.1.1.yaml"), en).unwrap();
}

fn header(id: &str, title: &str, short: &str) -> String {
    format!(
        "schema_version: 1\nid: {id}\ntitle: {title}\nshort_title: {short}\npublisher: Test\n\
         version: '1'\ndate: '2020-01-01'\nsource_url: https://example.invalid/{id}\n\
         licence: test fixture\nattribution: test fixture\nverification: verified\n"
    )
}

/// The fixture catalogue, loaded.
pub fn catalogue(root: &Path) -> Catalogue {
    write_catalogue(root, 8);
    Catalogue::load_dir(root).expect("fixture catalogue loads")
}
