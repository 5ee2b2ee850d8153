//! Property tests: valid product files, catalogue files and workbook bytes,
//! mutated at random, must never make a reader panic or hang; each either reads
//! or refuses with an error. CI runs a short version (the default case counts
//! below); a long run by hand: `PROPTEST_CASES=100000 cargo test --test it props::`.

use crate::support as workbook_support;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::Config;

use canary::catalogue::Catalogue;
use canary::exchange::check_text;
use canary::workbook::{Workbook, WorkbookError};

/// Cases per property unless PROPTEST_CASES says otherwise.
const CI_CASES: u32 = 96;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CI_CASES);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// One edit: at a position (scaled to the input), replace, insert, delete a
/// span, or copy a span elsewhere.
#[derive(Debug, Clone)]
enum Edit {
    Replace(u32, u8),
    Insert(u32, Vec<u8>),
    Delete(u32, u16),
    Copy(u32, u32, u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(b"&*[]{}:-!|>'\"#%@`,?\n\t 0\xff\x00\\".to_vec());
    prop_oneof![
        (any::<u32>(), any::<u8>()).prop_map(|(p, b)| Edit::Replace(p, b)),
        (any::<u32>(), interesting.clone()).prop_map(|(p, b)| Edit::Replace(p, b)),
        (any::<u32>(), prop::collection::vec(interesting, 1..6))
            .prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<u32>(), 1..64u16).prop_map(|(p, n)| Edit::Delete(p, n)),
        (any::<u32>(), any::<u32>(), 1..256u16).prop_map(|(a, b, n)| Edit::Copy(a, b, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for e in edits {
        let len = bytes.len().max(1);
        let at = |p: u32| (p as usize) % len;
        match e {
            Edit::Replace(p, b) if !bytes.is_empty() => {
                let i = at(*p);
                bytes[i] = *b;
            }
            Edit::Insert(p, b) => {
                let i = at(*p).min(bytes.len());
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Delete(p, n) if !bytes.is_empty() => {
                let i = at(*p);
                let end = (i + *n as usize).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Copy(from, to, n) if !bytes.is_empty() => {
                let i = at(*from);
                let span: Vec<u8> = bytes[i..(i + *n as usize).min(bytes.len())].to_vec();
                let j = at(*to).min(bytes.len());
                bytes.splice(j..j, span);
            }
            _ => {}
        }
    }
}

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/smart-plug")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_product_files_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        thread_local! {
            static CAT: Catalogue = Catalogue::embedded().unwrap();
            static TEXT: Vec<u8> = std::fs::read(example_dir().join("product.yaml")).unwrap();
        }
        let mut bytes = TEXT.with(Clone::clone);
        apply(&mut bytes, &edits);
        let text = String::from_utf8_lossy(&bytes);
        let dir = example_dir();
        let _ = CAT.with(|cat| check_text(&text, &dir.join("product.yaml"), &dir, cat));
    }
}

/// The catalogue files the catalogue property mutates, one at a time.
const CATALOGUE_FILES: [&str; 3] = [
    "frameworks/uk-cop-2018.yaml",
    "frameworks/nistir-8259a.yaml",
    "mappings/cop-to-nistir8259a.yaml",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_catalogue_files_never_panic(
        which in 0..CATALOGUE_FILES.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines");
        let dir = tempfile::tempdir().unwrap();
        for (i, rel) in CATALOGUE_FILES.iter().enumerate() {
            let mut bytes = std::fs::read(src.join(rel)).unwrap();
            if i == which {
                apply(&mut bytes, &edits);
            }
            let to = dir.path().join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, bytes).unwrap();
        }
        let _ = Catalogue::load_dir(dir.path());
    }
}

/// A small real workbook: a product, responses, a file and a note, on the trail.
fn workbook_bytes() -> Vec<u8> {
    use canary::workbook::{EvidenceInput, EvidenceSource, ProductInput, ResponseInput, Status};
    let dir = tempfile::tempdir().unwrap();
    let cat = workbook_support::catalogue(&dir.path().join("catalogue"));
    let path = dir.path().join("w.canary");
    let mut wb = Workbook::create(&path).unwrap();
    wb.set_actor(Some("Ada".into()));
    let p = wb
        .add_product(
            &cat,
            &ProductInput {
                name: "Plug".into(),
                model: "P-1".into(),
                manufacturer: canary::workbook::Manufacturer {
                    name: "Acme".into(),
                    address: String::new(),
                },
                ..Default::default()
            },
        )
        .unwrap();
    let a = wb
        .create_assessment(&cat, p.id, "v1", &["uk-cop-2018".into()])
        .unwrap()
        .id;
    for i in 1..=3 {
        let input = ResponseInput {
            status: Status::Met,
            statement: format!("statement {i}"),
            justification: String::new(),
            owner: "Ada".into(),
        };
        wb.set_response(&cat, a, &format!("uk-cop-2018:{i}"), &input)
            .unwrap();
    }
    let file = dir.path().join("e.txt");
    std::fs::write(&file, "evidence ".repeat(2000)).unwrap();
    for (title, source) in [
        ("file", EvidenceSource::File(file.clone())),
        ("note", EvidenceSource::Note("a note".into())),
    ] {
        let input = EvidenceInput {
            title: title.into(),
            source,
            date: None,
            expires: None,
        };
        wb.add_evidence(&cat, a, "uk-cop-2018:1", &input).unwrap();
    }
    drop(wb);
    std::fs::read(&path).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_workbooks_never_panic(edits in prop::collection::vec(edit(), 1..4)) {
        thread_local! {
            static BYTES: Vec<u8> = workbook_bytes();
        }
        let mut bytes = BYTES.with(Clone::clone);
        // Keep the length a whole number of pages half the time, so more files get
        // past the header check into SQLite.
        let pages = bytes.len();
        apply(&mut bytes, &edits);
        if edits.len() % 2 == 0 {
            bytes.resize(pages, 0);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.canary");
        std::fs::write(&path, &bytes).unwrap();
        let read = |wb: Workbook| -> Result<(), WorkbookError> {
            wb.products()?;
            wb.log(None)?;
            wb.verify()?;
            Ok(())
        };
        let _ = Workbook::open_read_only(&path).and_then(read);
        let _ = Workbook::open(&path).and_then(read);
    }
}
