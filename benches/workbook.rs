//! The workbook's read models on a large portfolio: 1,000 products assessed
//! against the shipped UK CoP and EN 303 645, every requirement answered with
//! three evidence items (file, link, note).
//! Targets: open + dashboard ≤ 100 ms; one product page ≤ 20 ms.
//!
//! The portfolio is built once per run into a temporary file (this takes a while).

use std::path::{Path, PathBuf};
use std::time::Instant;

use canary::catalogue::{requirement_id, Catalogue};
use canary::workbook::{
    EvidenceInput, EvidenceSource, ProductInput, ResponseInput, Status, Workbook,
};
use criterion::{criterion_group, criterion_main, Criterion};

const PRODUCTS: usize = 1_000;
const FRAMEWORKS: [&str; 2] = ["uk-cop-2018", "etsi-en-303-645-v2.1.1"];

fn build(dir: &Path, cat: &Catalogue) -> PathBuf {
    let started = Instant::now();
    let path = dir.join("portfolio.canary");
    let mut wb = Workbook::create(&path).expect("create");
    wb.set_actor(Some("bench".into()));
    let requirements: Vec<String> = FRAMEWORKS
        .iter()
        .flat_map(|f| {
            let fw = cat.framework(f).expect("shipped framework");
            fw.requirements.iter().map(move |r| requirement_id(fw, r))
        })
        .collect();
    // A few distinct files shared by many evidence items, as reports often are.
    let mut hashes = Vec::new();
    for i in 0..8u8 {
        let f = dir.join(format!("report-{i}.pdf"));
        std::fs::write(&f, vec![i; 64 * 1024]).expect("write");
        hashes.push(wb.store_file(&f).expect("store").hash);
    }
    let frameworks: Vec<String> = FRAMEWORKS.iter().map(|s| s.to_string()).collect();
    for p in 0..PRODUCTS {
        wb.batch(|b| {
            let product = b.add_product(
                cat,
                &ProductInput {
                    name: format!("Product {p:04}"),
                    model: format!("M-{p:04}"),
                    product_type: "camera".into(),
                    manufacturer: canary::workbook::Manufacturer {
                        name: format!("Maker {}", p % 40),
                        address: "1 High Street, London".into(),
                    },
                    support_end: Some("2030-12-31".into()),
                    ..Default::default()
                },
            )?;
            let a = b.create_assessment(cat, product.id, "fw 1.0", &frameworks)?;
            for (i, req) in requirements.iter().enumerate() {
                let status = [
                    Status::Met,
                    Status::PartiallyMet,
                    Status::NotMet,
                    Status::NotApplicable,
                ][(p + i) % 4];
                b.set_response(
                    cat,
                    a.id,
                    req,
                    &ResponseInput {
                        status,
                        statement: format!("How {req} is met by product {p}."),
                        justification: "Recorded reason for this status.".into(),
                        owner: "engineering".into(),
                    },
                )?;
                let sources = [
                    EvidenceSource::Blob {
                        hash: hashes[(p + i) % hashes.len()].clone(),
                        file_name: "test-report.pdf".into(),
                    },
                    EvidenceSource::Link(format!("https://example.com/{p}/{i}")),
                    EvidenceSource::Note("Checked on the bench with firmware 1.0.".into()),
                ];
                for (k, source) in sources.into_iter().enumerate() {
                    b.add_evidence(
                        cat,
                        a.id,
                        req,
                        &EvidenceInput {
                            title: format!("evidence {k}"),
                            source,
                            date: Some("2025-11-01".into()),
                            expires: None,
                        },
                    )?;
                }
            }
            Ok(())
        })
        .expect("product");
    }
    eprintln!(
        "built {PRODUCTS} products × {} requirements × 3 evidence in {:.1?} ({} MB)",
        requirements.len(),
        started.elapsed(),
        std::fs::metadata(&path).map(|m| m.len() >> 20).unwrap_or(0)
    );
    path
}

fn bench(c: &mut Criterion) {
    let cat = Catalogue::embedded().expect("shipped catalogue loads");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = build(dir.path(), &cat);

    let mut group = c.benchmark_group("workbook");
    group.sample_size(20);
    group.bench_function("open_and_dashboard_1000_products", |b| {
        b.iter(|| {
            let wb = Workbook::open(&path).expect("open");
            let rows = wb.dashboard(&cat).expect("dashboard");
            assert_eq!(rows.len(), PRODUCTS);
            rows
        })
    });
    let wb = Workbook::open(&path).expect("open");
    let product = wb.find_product("M-0500").expect("product").id;
    group.bench_function("product_page", |b| {
        b.iter(|| wb.product_page(&cat, product, None).expect("page"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
