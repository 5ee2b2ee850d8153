//! Fixtures of the workbook store tests: a workbook on the fixture catalogue
//! with a fixed clock, and inputs that pass every rule.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use canary::catalogue::Catalogue;
use canary::workbook::{
    EvidenceInput, EvidenceSource, FixedClock, ProductInput, Profile, ResponseInput, Status,
    Workbook,
};

pub const T0: i64 = 1_764_072_000; // 2025-11-25T12:00:00Z

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub cat: Catalogue,
    pub clock: Arc<FixedClock>,
}

impl Fixture {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cat = super::catalogue(&dir.path().join("catalogue"));
        Self {
            dir,
            cat,
            clock: Arc::new(FixedClock::new(T0)),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("test.canary")
    }

    /// A fresh workbook with a profile set.
    pub fn workbook(&self) -> Workbook {
        let mut wb = Workbook::create(&self.path())
            .unwrap()
            .with_clock(self.clock.clone());
        wb.set_profile(&Profile {
            name: "Ada".into(),
            organisation: "Acme".into(),
            role: "engineer".into(),
        })
        .unwrap();
        wb
    }

    pub fn reopen(&self) -> Workbook {
        Workbook::open(&self.path())
            .unwrap()
            .with_clock(self.clock.clone())
    }
}

pub fn product(name: &str, model: &str) -> ProductInput {
    ProductInput {
        name: name.into(),
        model: model.into(),
        product_type: "camera".into(),
        batch: "fw 1.x".into(),
        manufacturer: canary::workbook::Manufacturer {
            name: "Acme Ltd".into(),
            address: "1 High St\nLondon".into(),
        },
        support_end: Some("2030-12-31".into()),
        roles: vec!["DM".into()],
        markets: vec!["UK".into()],
        cra: Default::default(),
        labels: Vec::new(),
    }
}

pub fn met(statement: &str) -> ResponseInput {
    ResponseInput {
        status: Status::Met,
        statement: statement.into(),
        justification: String::new(),
        owner: "Ada".into(),
    }
}

/// A workbook with one product and a draft assessment against CoP + EN.
pub fn with_product(fx: &Fixture) -> (Workbook, i64, i64) {
    let mut wb = fx.workbook();
    let p = wb
        .add_product(&fx.cat, &product("Doorbell", "DB-1"))
        .unwrap();
    let a = wb
        .create_assessment(
            &fx.cat,
            p.id,
            "fw 1.0",
            &["uk-cop-2018".into(), "etsi-en-303-645-v2.1.1".into()],
        )
        .unwrap();
    (wb, p.id, a.id)
}

pub fn write_file(path: &Path, len: usize, seed: u64) {
    let mut x = seed | 1;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(path, bytes).unwrap();
}

pub fn file_evidence(title: &str, path: &Path) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        source: EvidenceSource::File(path.to_owned()),
        date: Some("2025-11-01".into()),
        expires: None,
    }
}

pub fn note(title: &str) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        source: EvidenceSource::Note(format!("{title} text")),
        date: Some("2025-11-01".into()),
        expires: None,
    }
}
