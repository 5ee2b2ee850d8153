//! Loading the shipped catalogue (target: ≤ 30 ms).

use criterion::{criterion_group, criterion_main, Criterion};

fn load(c: &mut Criterion) {
    c.bench_function("catalogue/load_embedded", |b| {
        b.iter(|| canary::catalogue::Catalogue::embedded().expect("shipped catalogue loads"))
    });
}

criterion_group!(benches, load);
criterion_main!(benches);
