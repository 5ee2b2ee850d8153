//! Importing one product file (CoP + EN 303 645: 81 responses, a few evidence items)
//! into a workbook (target: ≤ 50 ms), re-importing it unchanged, and exporting it.
//! Measured on the 2-core dev machine: import 8.1 ms, re-import 1.5 ms, export 1.6 ms
//! (one transaction per import; with one per write it was ~350 ms, fsync-bound).

use std::path::Path;

use canary::catalogue::Catalogue;
use canary::exchange;
use canary::workbook::{Profile, Workbook};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use tempfile::TempDir;

const FRAMEWORKS: [&str; 2] = ["uk-cop-2018", "etsi-en-303-645-v2.1.1"];

/// Writes `dir/product.yaml` answering every requirement of [`FRAMEWORKS`].
fn product_file(dir: &Path, cat: &Catalogue) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    for i in 0..3 {
        std::fs::write(
            dir.join(format!("evidence/test-{i}.txt")),
            format!("test report {i}\n").repeat(200),
        )
        .unwrap();
    }
    let mut yaml = String::from(
        "canary: 1\nproduct:\n  name: Bench Plug\n  model: BP-1\n  batch: B1\n  support_period_end: 2030-12-31\n  \
         manufacturer: {name: Bench Ltd, address: 1 Road}\n  roles: [DM]\n  markets: [UK]\n",
    );
    yaml += &format!("frameworks: [{}]\nresponses:\n", FRAMEWORKS.join(", "));
    let mut n = 0;
    for f in FRAMEWORKS {
        for r in &cat
            .framework(f)
            .expect("framework in the shipped catalogue")
            .requirements
        {
            yaml += &format!(
                "  - requirement: '{f}:{}'\n    status: met\n    statement: The product meets {} as described in the design notes.\n",
                r.reference, r.reference
            );
            if n < 7 {
                yaml += "    evidence:\n";
                yaml += &match n % 3 {
                    0 => format!(
                        "      - {{title: Test report {n}, file: evidence/test-{}.txt}}\n",
                        n % 3
                    ),
                    1 => format!("      - {{title: Link {n}, url: 'https://example.com/{n}'}}\n"),
                    _ => format!("      - {{title: Note {n}, note: Checked by the lab.}}\n"),
                };
            }
            n += 1;
        }
    }
    assert_eq!(n, 81, "CoP + EN 303 645 should have 81 requirements");
    let path = dir.join("product.yaml");
    std::fs::write(&path, yaml).unwrap();
    path
}

fn new_workbook(path: &Path) -> Workbook {
    let _ = std::fs::remove_file(path);
    let mut wb = Workbook::create(path).unwrap();
    wb.set_profile(&Profile {
        name: "Bench".into(),
        organisation: "Bench Ltd".into(),
        role: "engineer".into(),
    })
    .unwrap();
    wb
}

fn bench(c: &mut Criterion) {
    let cat = Catalogue::embedded().unwrap();
    let dir = TempDir::new().unwrap();
    let file = product_file(&dir.path().join("product"), &cat);
    let wb_path = dir.path().join("bench.canary");

    let mut g = c.benchmark_group("exchange");
    g.sample_size(20);
    g.bench_function("import_81_responses_new_workbook", |b| {
        b.iter_batched(
            || new_workbook(&wb_path),
            |mut wb| {
                let s = exchange::import_product_file(&mut wb, &cat, &file).unwrap();
                assert_eq!(s.responses_set, 81);
                wb
            },
            BatchSize::PerIteration,
        )
    });

    let mut wb = new_workbook(&wb_path);
    exchange::import_product_file(&mut wb, &cat, &file).unwrap();
    g.bench_function("reimport_81_responses_unchanged", |b| {
        b.iter(|| {
            let s = exchange::import_product_file(&mut wb, &cat, &file).unwrap();
            assert!(!s.changed());
        })
    });

    let product = wb.products().unwrap()[0].id;
    let mut i = 0;
    g.bench_function("export_81_responses", |b| {
        b.iter(|| {
            i += 1;
            exchange::export_product(&wb, &cat, product, &dir.path().join(format!("out-{i}")))
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
