//! Report rendering speed. Targets: attestation for a product assessed against the
//! CoP and EN 303 645 (81 requirements, 200 evidence items) ≤ 60 ms warm (tagged);
//! one requirement set with 10,000 evidence items ≤ 2 s, in time linear in pages;
//! the catalogue-only mapping report ≤ 1 s.
//! Measured 2026-12-02 on the shared 2-core machine (load 2-4): 81/200 warm 52 ms;
//! 2,500 items 0.47 s, 10,000 items 1.60 s in-process. Release CLI on
//! scripts/big-workbook.sh's 10,000 items (138 pages): 1.3-1.5 s, 180-210 MB max RSS.

use criterion::{criterion_group, criterion_main, Criterion};

use canary::catalogue::{requirement_id, Catalogue};
use canary::report::{
    self, Assessment, Evidence, Manufacturer, Product, ProductRecord, Response, Review, Signoff,
    Status,
};

const EPOCH: i64 = 1_767_225_600;

fn record(cat: &Catalogue) -> ProductRecord {
    let frameworks = ["uk-cop-2018", "etsi-en-303-645-v2.1.1"];
    let ids: Vec<String> = frameworks
        .iter()
        .flat_map(|f| {
            let fw = cat.framework(f).expect("framework in catalogue");
            fw.requirements.iter().map(move |r| requirement_id(fw, r))
        })
        .collect();
    assert_eq!(ids.len(), 81, "CoP + EN 303 645 requirements");
    let mut evidence_left = 200;
    let responses = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            // 200 evidence items spread over the 81 responses (2 or 3 each).
            let n = if i < 38 { 3 } else { 2 };
            evidence_left -= n;
            Response {
                requirement: id.clone(),
                status: [Status::Met, Status::PartiallyMet, Status::NotMet][i % 3],
                statement: Some(format!(
                    "How {id} is met: unique passwords per device, set at manufacture; 中文 説明."
                )),
                justification: Some(
                    "Checked in the release pipeline and by an external test lab.".to_owned(),
                ),
                evidence: (0..n)
                    .map(|k| Evidence {
                        title: format!("Test report {k} for {id}"),
                        kind: "file".to_owned(),
                        file_name: Some(format!("report-{i}-{k}.pdf")),
                        sha256: Some(format!("{:064x}", i * 1000 + k)),
                        date: Some("2025-12-01".to_owned()),
                        expires: None,
                        note: None,
                    })
                    .collect(),
                review: Some(Review {
                    verdict: "accepted".to_owned(),
                    reviewer: Some("Reviewer".to_owned()),
                    comment: None,
                    date: Some("2025-12-10".to_owned()),
                }),
            }
        })
        .collect();
    assert_eq!(evidence_left, 0);
    ProductRecord {
        product: Product {
            id: "1".to_owned(),
            name: "Bench Camera".to_owned(),
            model: Some("BC-1".to_owned()),
            product_type: Some("Camera".to_owned()),
            batch: Some("2026".to_owned()),
            manufacturer: Manufacturer {
                name: "Ñandú Électronique SA".to_owned(),
                address: Some("Zürich".to_owned()),
            },
            support_period_end: Some("2030-12-31".to_owned()),
            cra: Default::default(),
            labels: Vec::new(),
        },
        assessment: Assessment {
            id: "1".to_owned(),
            title: "Release 1".to_owned(),
            state: "approved".to_owned(),
            frameworks: frameworks.iter().map(|s| s.to_string()).collect(),
            approval_override: None,
        },
        responses,
        signoff: Some(Signoff {
            signatory: "A. Person".to_owned(),
            function: "CTO".to_owned(),
            place: "Zürich".to_owned(),
            date: "2025-12-15".to_owned(),
            signature: None,
        }),
        trail_head: "0".repeat(64),
        signers: Vec::new(),
    }
}

fn benches(c: &mut Criterion) {
    let cat = Catalogue::embedded().expect("embedded catalogue");
    let rec = record(&cat);
    // The first render loads the fonts (CJK collections from the system) and fills
    // typst's caches: report it once, apart from the warm figures below.
    let cold = std::time::Instant::now();
    let pages = report::attestation(&cat, &rec, EPOCH, &|_| {})
        .expect("renders")
        .pages;
    let cold = cold.elapsed();
    let map_pages = report::mapping_report(&cat, None, EPOCH, &|_| {})
        .expect("renders")
        .pages;
    eprintln!("attestation: {pages} pages, first (cold) render {cold:?}; mapping (catalogue): {map_pages} pages");
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("attestation_81_requirements_200_evidence", |b| {
        b.iter(|| report::attestation(&cat, &rec, EPOCH, &|_| {}).expect("renders"))
    });
    // New data every iteration (the generation time is in it): nothing is reused from
    // typst's memo of the previous document except fonts and unchanged layout.
    let mut at = EPOCH;
    g.bench_function("attestation_new_data_each_time", |b| {
        b.iter(|| {
            at += 1;
            report::attestation(&cat, &rec, at, &|_| {}).expect("renders")
        })
    });
    g.bench_function("mapping_catalogue", |b| {
        b.iter(|| report::mapping_report(&cat, None, EPOCH, &|_| {}).expect("renders"))
    });
    // All items on one CoP guideline: the longest evidence list a report meets. Time
    // and memory grow linearly with the items (pages); scripts/big-workbook.sh builds
    // the same 10,000 items as a workbook for the release CLI.
    for n in [2_500, 10_000] {
        let mut big = rec.clone();
        big.assessment.frameworks = vec!["uk-cop-2018".to_owned()];
        big.responses.truncate(1);
        big.responses[0].evidence = (0..n)
            .map(|k| Evidence {
                title: format!("Evidence item {k}"),
                kind: "link".to_owned(),
                file_name: Some(format!("https://example.com/evidence/{k}")),
                sha256: None,
                date: Some("2025-12-01".to_owned()),
                expires: None,
                note: None,
            })
            .collect();
        let mut at = EPOCH;
        g.bench_function(format!("attestation_one_set_{n}_evidence"), |b| {
            b.iter(|| {
                at += 1;
                report::attestation(&cat, &big, at, &|_| {}).expect("renders")
            })
        });
    }
    g.finish();
}

criterion_group!(report_benches, benches);
criterion_main!(report_benches);
