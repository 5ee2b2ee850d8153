//! The workbook store on real SQLite files: opening and refusing files,
//! migrations, rules of the data (justification, state machine, lock), blobs,
//! evidence paths, read models and `verify` catching tampering.

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use canary::catalogue::Catalogue;
use canary::workbook::{
    AssessmentState, CanaryState, EvidenceInput, EvidenceKind, EvidenceSource, FixedClock,
    ProductInput, Profile, ResponseInput, SignInput, Status, Transition, Verdict, Workbook,
    WorkbookError, APPLICATION_ID, GENESIS, SCHEMA_VERSION,
};
use rusqlite::Connection;

const T0: i64 = 1_764_072_000; // 2025-11-25T12:00:00Z

struct Fixture {
    dir: tempfile::TempDir,
    cat: Catalogue,
    clock: Arc<FixedClock>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cat = support::catalogue(&dir.path().join("catalogue"));
        Self {
            dir,
            cat,
            clock: Arc::new(FixedClock::new(T0)),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("test.canary")
    }

    /// A fresh workbook with a profile set.
    fn workbook(&self) -> Workbook {
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

    fn reopen(&self) -> Workbook {
        Workbook::open(&self.path())
            .unwrap()
            .with_clock(self.clock.clone())
    }
}

fn product(name: &str, model: &str) -> ProductInput {
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
    }
}

fn met(statement: &str) -> ResponseInput {
    ResponseInput {
        status: Status::Met,
        statement: statement.into(),
        justification: String::new(),
        owner: "Ada".into(),
    }
}

/// A workbook with one product and a draft assessment against CoP + EN.
fn with_product(fx: &Fixture) -> (Workbook, i64, i64) {
    let mut wb = fx.workbook();
    let p = wb.add_product(&product("Doorbell", "DB-1")).unwrap();
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

fn write_file(path: &Path, len: usize, seed: u64) {
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

fn file_evidence(title: &str, path: &Path) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        source: EvidenceSource::File(path.to_owned()),
        date: Some("2025-11-01".into()),
        expires: None,
    }
}

// ---- opening, creating, refusing ----

#[test]
fn a_new_workbook_is_a_canary_sqlite_file_in_wal_mode() {
    let fx = Fixture::new();
    drop(fx.workbook());
    let conn = Connection::open(fx.path()).unwrap();
    let app: u32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(ver, SCHEMA_VERSION);
    assert_eq!(mode, "wal");
    assert!(matches!(
        Workbook::create(&fx.path()),
        Err(WorkbookError::Io { .. })
    ));
}

#[test]
fn a_missing_file_is_not_found_and_not_created() {
    let fx = Fixture::new();
    assert!(matches!(
        Workbook::open(&fx.path()),
        Err(WorkbookError::NotFound(_))
    ));
    assert!(!fx.path().exists());
}

/// Refusal leaves the file byte-for-byte as it was, with no WAL or SHM beside it.
fn assert_refused_untouched(path: &Path, code: &str) {
    let before = std::fs::read(path).unwrap();
    let err = Workbook::open(path).err().expect("must be refused");
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(std::fs::read(path).unwrap(), before, "file changed");
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        assert!(!PathBuf::from(side).exists(), "{suffix} created");
    }
}

#[test]
fn foreign_files_are_refused_untouched() {
    let fx = Fixture::new();
    let path = fx.path();

    write_file(&path, 10_000, 7);
    assert_refused_untouched(&path, "not_a_workbook");

    // A PNG renamed to .canary.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0u8; 200]);
    std::fs::write(&path, &png).unwrap();
    assert_refused_untouched(&path, "not_a_workbook");

    std::fs::write(&path, b"").unwrap();
    assert_refused_untouched(&path, "not_a_workbook");

    // Another application's SQLite database.
    std::fs::remove_file(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    assert_refused_untouched(&path, "not_a_workbook");
}

#[test]
fn a_truncated_workbook_is_refused_untouched() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    for i in 0..5 {
        let f = fx.dir.path().join(format!("e{i}.bin"));
        write_file(&f, 50_000, i);
        wb.add_evidence(&fx.cat, a, "uk-cop-2018:1", &file_evidence("log", &f))
            .unwrap();
    }
    drop(wb);
    let full = std::fs::read(fx.path()).unwrap();
    assert!(full.len() > 100_000);
    std::fs::write(fx.path(), &full[..full.len() / 2]).unwrap();
    assert_refused_untouched(&fx.path(), "truncated");
    std::fs::write(fx.path(), &full[..60]).unwrap();
    assert_refused_untouched(&fx.path(), "truncated");
}

#[test]
fn a_newer_workbook_is_refused_untouched() {
    let fx = Fixture::new();
    drop(fx.workbook());
    let conn = Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    assert_refused_untouched(&fx.path(), "too_new");
    match Workbook::open(&fx.path()) {
        Err(WorkbookError::TooNew {
            found, supported, ..
        }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
}

#[test]
fn an_older_workbook_is_backed_up_then_migrated() {
    let fx = Fixture::new();
    // A version-0 workbook: Canary's application id, no schema yet, some content.
    let conn = Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(
        "CREATE TABLE legacy_note (text TEXT); INSERT INTO legacy_note VALUES ('kept');",
    )
    .unwrap();
    drop(conn);

    let mut wb = Workbook::open(&fx.path()).unwrap();
    wb.set_actor(Some("Migrator".into()));
    wb.add_product(&product("After", "A-1")).unwrap();
    drop(wb);

    let backup = PathBuf::from(format!("{}.bak-v0", fx.path().display()));
    let b = Connection::open(&backup).unwrap();
    let ver: u32 = b
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let note: String = b
        .query_row("SELECT text FROM legacy_note", [], |r| r.get(0))
        .unwrap();
    assert_eq!((ver, note.as_str()), (0, "kept"));
    let has_product: i64 = b
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'product'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has_product, 0, "the backup is the old version");

    let wb = Workbook::open(&fx.path()).unwrap();
    assert_eq!(wb.products().unwrap().len(), 1);
    let conn = Connection::open(fx.path()).unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(ver, SCHEMA_VERSION);
    // One backup, of the version found; opening the current version again makes none.
    let backups: Vec<String> = std::fs::read_dir(fx.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".bak-v"))
        .collect();
    assert_eq!(backups, ["test.canary.bak-v0"]);
}

#[test]
fn open_or_create_creates_once() {
    let fx = Fixture::new();
    let path = fx.dir.path().join("sub/dir/w.canary");
    drop(Workbook::open_or_create(&path).unwrap());
    let mut wb = Workbook::open_or_create(&path).unwrap();
    wb.set_actor(Some("A".into()));
    wb.add_product(&product("X", "X")).unwrap();
    drop(wb);
    assert_eq!(
        Workbook::open_or_create(&path)
            .unwrap()
            .products()
            .unwrap()
            .len(),
        1
    );
}

// ---- rules ----

#[test]
fn writes_need_an_actor() {
    let fx = Fixture::new();
    let mut wb = Workbook::create(&fx.path()).unwrap();
    let err = wb.add_product(&product("P", "M")).unwrap_err();
    assert_eq!(err.code(), "no_actor");
    wb.set_actor(Some("Bob".into()));
    wb.add_product(&product("P", "M")).unwrap();
    assert_eq!(wb.log(None).unwrap().last().unwrap().actor, "Bob");
}

#[test]
fn not_met_and_not_applicable_need_a_justification() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    for status in [Status::NotMet, Status::NotApplicable] {
        let mut input = met("");
        input.status = status;
        input.justification = "   ".into();
        let err = wb
            .set_response(&fx.cat, a, "uk-cop-2018:2", &input)
            .unwrap_err();
        assert!(matches!(err, WorkbookError::JustificationRequired { status: s } if s == status));
        input.justification = "no network interface".into();
        let r = wb
            .set_response(&fx.cat, a, "uk-cop-2018:2", &input)
            .unwrap();
        assert_eq!(r.status, status);
    }
    // The database refuses it too, whatever the caller.
    drop(wb);
    let conn = Connection::open(fx.path()).unwrap();
    let err = conn
        .execute(
            "UPDATE response SET justification = '' WHERE requirement = 'uk-cop-2018:2'",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

#[test]
fn requirements_are_checked_against_the_catalogue_and_scope() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let p = wb.add_product(&product("P", "M")).unwrap();
    let a = wb.create_assessment(&fx.cat, p.id, "v1", &[]).unwrap();
    assert_eq!(a.frameworks, vec!["uk-cop-2018".to_owned()]);
    let err = wb
        .set_response(&fx.cat, a.id, "uk-cop-2018:99", &met(""))
        .unwrap_err();
    assert_eq!(err.code(), "unknown_requirement");
    let err = wb
        .set_response(&fx.cat, a.id, "etsi-en-303-645-v2.1.1:5.1-2", &met(""))
        .unwrap_err();
    assert_eq!(err.code(), "requirement_not_in_scope");
    let err = wb
        .create_assessment(&fx.cat, p.id, "v2", &["nope".into()])
        .unwrap_err();
    assert_eq!(err.code(), "unknown_framework");
}

#[test]
fn the_review_state_machine_allows_only_its_moves() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("no defaults"))
        .unwrap();

    for t in [
        Transition::Approve,
        Transition::RequestChanges,
        Transition::StartReview,
    ] {
        let err = wb.transition(a, t).unwrap_err();
        assert!(
            matches!(
                err,
                WorkbookError::IllegalTransition {
                    from: AssessmentState::Draft,
                    ..
                }
            ),
            "{err}"
        );
    }
    let err = wb
        .review(a, "uk-cop-2018:1", Verdict::Accepted, "")
        .unwrap_err();
    assert_eq!(err.code(), "not_in_review");

    assert_eq!(
        wb.transition(a, Transition::Submit).unwrap().state,
        AssessmentState::Submitted
    );
    let err = wb
        .set_response(&fx.cat, a, "uk-cop-2018:1", &met("edit"))
        .unwrap_err();
    assert_eq!(err.code(), "not_editable");
    assert_eq!(
        wb.transition(a, Transition::Submit).unwrap_err().code(),
        "illegal_transition"
    );

    // A review starts the review.
    wb.review(a, "uk-cop-2018:1", Verdict::NeedsInfo, "which firmware?")
        .unwrap();
    assert_eq!(wb.assessment(a).unwrap().state, AssessmentState::InReview);
    let err = wb
        .review(a, "uk-cop-2018:2", Verdict::Accepted, "")
        .unwrap_err();
    assert_eq!(err.code(), "no_response");

    assert_eq!(
        wb.transition(a, Transition::RequestChanges).unwrap().state,
        AssessmentState::ChangesRequested
    );
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("fw 1.0.3"))
        .unwrap();
    wb.transition(a, Transition::Submit).unwrap();
    wb.transition(a, Transition::StartReview).unwrap();
    let r = wb
        .review(a, "uk-cop-2018:1", Verdict::Accepted, "ok")
        .unwrap();
    assert_eq!(r.reviewer, "Ada");
    assert_eq!(
        wb.transition(a, Transition::Approve).unwrap().state,
        AssessmentState::Approved
    );
    assert_eq!(
        wb.transition(a, Transition::Submit).unwrap_err().code(),
        "illegal_transition"
    );
}

fn approved(fx: &Fixture) -> (Workbook, i64, i64) {
    let (mut wb, p, a) = with_product(fx);
    let f = fx.dir.path().join("report.pdf");
    write_file(&f, 10_000, 3);
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("unique passwords"))
        .unwrap();
    wb.add_evidence(
        &fx.cat,
        a,
        "uk-cop-2018:1",
        &file_evidence("test report", &f),
    )
    .unwrap();
    wb.transition(a, Transition::Submit).unwrap();
    wb.review(a, "uk-cop-2018:1", Verdict::Accepted, "")
        .unwrap();
    wb.transition(a, Transition::Approve).unwrap();
    (wb, p, a)
}

#[test]
fn a_signed_assessment_is_locked_and_clone_makes_a_new_draft() {
    let fx = Fixture::new();
    let (mut wb, p, a) = approved(&fx);
    let sign = SignInput {
        signatory: "Grace Hopper".into(),
        function: "CTO".into(),
        place: "London".into(),
        date: None,
    };
    let signed = wb.sign(a, &sign).unwrap();
    let s = signed.signoff.as_ref().unwrap();
    assert_eq!((s.date.as_str(), s.actor.as_str()), ("2025-11-25", "Ada"));

    let note = EvidenceInput {
        title: "n".into(),
        source: EvidenceSource::Note("x".into()),
        date: None,
        expires: None,
    };
    let errs = [
        wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("x"))
            .unwrap_err(),
        wb.add_evidence(&fx.cat, a, "uk-cop-2018:2", &note)
            .unwrap_err(),
        wb.review(a, "uk-cop-2018:1", Verdict::Rejected, "")
            .unwrap_err(),
        wb.transition(a, Transition::Submit).unwrap_err(),
        wb.sign(a, &sign).unwrap_err(),
        wb.remove_evidence(1).unwrap_err(),
    ];
    for e in &errs {
        assert!(matches!(e, WorkbookError::Locked(id) if *id == a), "{e}");
    }
    // The database refuses too.
    drop(wb);
    let conn = Connection::open(fx.path()).unwrap();
    assert!(conn
        .execute("UPDATE response SET statement = 'x'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM signoff", []).is_err());
    drop(conn);

    let mut wb = fx.reopen();
    let c = wb.clone_assessment(a, "fw 1.1").unwrap();
    assert_eq!(
        (c.state, c.cloned_from, c.is_signed()),
        (AssessmentState::Draft, Some(a), false)
    );
    let page = wb.product_page(&fx.cat, p, None).unwrap();
    assert_eq!(page.assessment.id, c.id);
    assert_eq!(page.assessments.len(), 2);
    let row = page
        .requirements
        .iter()
        .find(|r| r.requirement == "uk-cop-2018:1")
        .unwrap();
    assert_eq!(row.status, Status::Met);
    assert_eq!(row.evidence.len(), 1);
    assert!(row.review.is_none(), "reviews are not cloned");
    wb.set_response(&fx.cat, c.id, "uk-cop-2018:1", &met("fw 1.1 too"))
        .unwrap();
    assert_eq!(
        wb.response(a, "uk-cop-2018:1").unwrap().unwrap().statement,
        "unique passwords"
    );
}

#[test]
fn sign_needs_approval_and_real_fields() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let mut sign = SignInput {
        signatory: "G".into(),
        function: "CTO".into(),
        place: "London".into(),
        date: Some("2025-02-30".into()),
    };
    assert_eq!(wb.sign(a, &sign).unwrap_err().code(), "invalid_date");
    sign.date = Some("2025-11-20".into());
    assert_eq!(wb.sign(a, &sign).unwrap_err().code(), "not_approved");
    sign.place = " ".into();
    assert_eq!(wb.sign(a, &sign).unwrap_err().code(), "required");
}

// ---- blobs and evidence ----

#[test]
fn files_stream_in_and_out_deduplicated() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let big = fx.dir.path().join("capture.pcap");
    write_file(&big, 5 * 1024 * 1024 + 17, 42);
    let e1 = wb
        .add_evidence(&fx.cat, a, "uk-cop-2018:1", &file_evidence("capture", &big))
        .unwrap();
    let e2 = wb
        .add_evidence(&fx.cat, a, "uk-cop-2018:2", &file_evidence("same", &big))
        .unwrap();
    assert_eq!(e1.kind, EvidenceKind::File);
    assert_eq!(e1.blob_hash, e2.blob_hash);
    assert_eq!(e1.size, Some(5 * 1024 * 1024 + 17));
    assert_eq!(
        e1.media_type.as_deref(),
        Some("application/vnd.tcpdump.pcap")
    );
    assert_eq!(e1.file_name.as_deref(), Some("capture.pcap"));
    let hash = e1.blob_hash.clone().unwrap();

    use sha2::Digest;
    let original = std::fs::read(&big).unwrap();
    let expected: String = sha2::Sha256::digest(&original)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hash, expected);

    let out = fx.dir.path().join("out.pcap");
    assert_eq!(wb.export_blob(&hash, &out).unwrap(), original.len() as u64);
    assert_eq!(std::fs::read(&out).unwrap(), original);
    assert_eq!(
        wb.export_blob(&hash, &out).unwrap_err().code(),
        "io",
        "never overwrites"
    );

    let conn = Connection::open(fx.path()).unwrap();
    let blobs: i64 = conn
        .query_row("SELECT count(*) FROM blob", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 1);

    let stored = wb.store_file(&big).unwrap();
    assert!(!stored.new);
    let e3 = wb
        .add_evidence(
            &fx.cat,
            a,
            "uk-cop-2018:3",
            &EvidenceInput {
                title: "by hash".into(),
                source: EvidenceSource::Blob {
                    hash: hash.clone(),
                    file_name: "renamed.pcap".into(),
                },
                date: None,
                expires: Some("2026-01-01".into()),
            },
        )
        .unwrap();
    assert_eq!(e3.size, e1.size);
    let missing = EvidenceSource::Blob {
        hash: "ab".repeat(32),
        file_name: "x".into(),
    };
    let err = wb
        .add_evidence(
            &fx.cat,
            a,
            "uk-cop-2018:3",
            &EvidenceInput {
                title: "t".into(),
                source: missing,
                date: None,
                expires: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "blob_not_found");
}

#[test]
fn bad_evidence_paths_are_refused() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let real = fx.dir.path().join("real.txt");
    std::fs::write(&real, "hello").unwrap();
    let link = fx.dir.path().join("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let dotdot = fx.dir.path().join("sub/../real.txt");
    std::fs::create_dir_all(fx.dir.path().join("sub")).unwrap();
    for (path, why) in [
        (fx.dir.path().to_owned(), "directory"),
        (link, "symbolic"),
        (fx.dir.path().join("missing.txt"), "no such file"),
        (dotdot, ".."),
    ] {
        let err = wb
            .add_evidence(&fx.cat, a, "uk-cop-2018:1", &file_evidence("t", &path))
            .unwrap_err();
        assert_eq!(err.code(), "evidence_path", "{path:?}");
        assert!(err.to_string().contains(why), "{err}");
    }
    assert!(
        wb.response(a, "uk-cop-2018:1").unwrap().is_none(),
        "nothing half-written"
    );
    assert_eq!(wb.verify().unwrap().blobs, 0);
}

// ---- lookup and read models ----

#[test]
fn products_are_found_by_id_model_or_name_and_ambiguity_is_an_error() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let a = wb.add_product(&product("Camera", "CAM-1")).unwrap();
    let b = wb.add_product(&product("camera", "CAM-2")).unwrap();
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
        wb.add_product(&ProductInput::default()).unwrap_err().code(),
        "required"
    );
    let mut bad = product("D", "D");
    bad.support_end = Some("31/12/2030".into());
    assert_eq!(wb.add_product(&bad).unwrap_err().code(), "invalid_date");
}

#[test]
fn dashboard_page_and_status_agree() {
    let fx = Fixture::new();
    let (mut wb, p, a) = with_product(&fx);
    let empty = wb.add_product(&product("Empty", "E-1")).unwrap();
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
        [CanaryState::Pass, CanaryState::Fail, CanaryState::Unknown]
    );
    let none = dash.iter().find(|r| r.id == empty.id).unwrap();
    assert_eq!(none.state, None);
    assert!(none
        .canaries
        .iter()
        .all(|c| c.state == CanaryState::Unknown));

    let status = wb.status(&fx.cat, p).unwrap();
    assert_eq!(status.counts, row.counts);
    assert_eq!(status.canaries, row.canaries);

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

// ---- trail and verify ----

#[test]
fn every_change_is_on_a_verifiable_trail() {
    let fx = Fixture::new();
    assert_eq!(
        Workbook::create(&fx.path()).unwrap().trail_head().unwrap(),
        GENESIS
    );
    std::fs::remove_file(fx.path()).unwrap();
    let (mut wb, _, a) = with_product(&fx);
    fx.clock.advance(60);
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("first"))
        .unwrap();
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("second"))
        .unwrap();
    let log = wb.log(None).unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.entity.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("profile", "create"),
            ("product", "create"),
            ("assessment", "create"),
            ("response", "create"),
            ("response", "update")
        ]
    );
    let last = log.last().unwrap();
    assert!(last.before.as_deref().unwrap().contains("first"));
    assert!(last.after.as_deref().unwrap().contains("second"));
    assert_eq!(last.at, "2025-11-25T12:01:00Z");
    assert_eq!(last.prev_hash, log[3].hash);
    assert_eq!(wb.trail_head().unwrap(), last.hash);
    assert_eq!(wb.log(Some(2)).unwrap().first().unwrap().seq, 4);
    // Paging back, newest first, covers every event once.
    let seqs = |page: Vec<canary::workbook::Event>| page.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(wb.log_page(None, 2).unwrap()), [5, 4]);
    assert_eq!(seqs(wb.log_page(Some(4), 2).unwrap()), [3, 2]);
    assert_eq!(seqs(wb.log_page(Some(2), 2).unwrap()), [1]);
    assert!(wb.log_page(Some(1), 2).unwrap().is_empty());
    let report = wb.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    assert_eq!(report.events, 5);
}

/// Tampers with the file through plain SQLite, as anyone could.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER IF EXISTS event_no_update; DROP TRIGGER IF EXISTS event_no_delete; {sql}"
    ))
    .unwrap();
}

fn findings(fx: &Fixture) -> Vec<String> {
    fx.reopen()
        .verify()
        .unwrap()
        .findings
        .into_iter()
        .map(|f| format!("{}: {}: {}", f.check, f.subject, f.message))
        .collect()
}

fn busy_workbook(fx: &Fixture) {
    let (mut wb, _, a) = with_product(fx);
    for i in 1..=5 {
        wb.set_response(&fx.cat, a, &format!("uk-cop-2018:{i}"), &met("ok"))
            .unwrap();
    }
    let f = fx.dir.path().join("evidence.bin");
    write_file(&f, 300_000, 9);
    wb.add_evidence(&fx.cat, a, "uk-cop-2018:1", &file_evidence("e", &f))
        .unwrap();
    assert!(wb.verify().unwrap().is_ok());
}

#[test]
fn verify_detects_an_edited_event() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "UPDATE event SET actor = 'Mallory' WHERE seq = 4",
    );
    let f = findings(&fx);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with("trail_chain: event 4:") && f[0].contains("edited"),
        "{f:?}"
    );
}

#[test]
fn verify_detects_a_deleted_event() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(&fx.path(), "DELETE FROM event WHERE seq = 5");
    let f = findings(&fx);
    assert!(
        f.iter().any(|f| f.starts_with("trail_chain: event 6")),
        "{f:?}"
    );

    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "DELETE FROM event WHERE seq = (SELECT max(seq) FROM event)",
    );
    let f = findings(&fx);
    assert!(f.iter().any(|f| f.starts_with("trail_head")), "{f:?}");
}

#[test]
fn verify_detects_reordered_events() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "UPDATE event SET seq = -1 WHERE seq = 3; UPDATE event SET seq = 3 WHERE seq = 4;
         UPDATE event SET seq = 4 WHERE seq = -1;",
    );
    let f = findings(&fx);
    assert!(
        f.iter().any(|f| f.starts_with("trail_chain: event 3")),
        "{f:?}"
    );
}

#[test]
fn verify_detects_one_changed_byte_in_a_stored_file() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    // Flip one byte in place with incremental BLOB I/O.
    let conn = Connection::open(fx.path()).unwrap();
    let rowid: i64 = conn
        .query_row("SELECT id FROM blob", [], |r| r.get(0))
        .unwrap();
    let mut blob = conn
        .blob_open("main", "blob", "data", rowid, false)
        .unwrap();
    let mut byte = [0u8; 1];
    blob.read_at_exact(&mut byte, 1000).unwrap();
    blob.write_at(&[byte[0] ^ 0x01], 1000).unwrap();
    drop(blob);
    drop(conn);
    let f = findings(&fx);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].starts_with("blob_hash:"), "{f:?}");
}

#[test]
fn verify_reports_broken_foreign_keys() {
    let fx = Fixture::new();
    busy_workbook(&fx);
    tamper(
        &fx.path(),
        "PRAGMA foreign_keys = OFF; DELETE FROM product;",
    );
    let f = findings(&fx);
    assert!(
        f.iter()
            .any(|f| f.starts_with("foreign_key_check: assessment")),
        "{f:?}"
    );
}

#[test]
fn a_batch_is_all_or_nothing() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    let head = wb.trail_head().unwrap();
    let err = wb
        .batch(|b| {
            let p = b.add_product(&product("Batch", "B-1"))?;
            let a = b.create_assessment(&fx.cat, p.id, "v1", &[])?;
            b.set_response(&fx.cat, a.id, "uk-cop-2018:1", &met("ok"))?;
            let mut na = met("");
            na.status = Status::NotApplicable;
            b.set_response(&fx.cat, a.id, "uk-cop-2018:2", &na)
        })
        .unwrap_err();
    assert_eq!(err.code(), "justification_required");
    assert!(wb.products().unwrap().is_empty());
    assert_eq!(wb.trail_head().unwrap(), head);

    let id = wb
        .batch(|b| {
            let p = b.add_product(&product("Batch", "B-1"))?;
            let a = b.create_assessment(&fx.cat, p.id, "v1", &[])?;
            b.set_response(&fx.cat, a.id, "uk-cop-2018:1", &met("ok"))?;
            Ok(p.id)
        })
        .unwrap();
    assert_eq!(wb.status(&fx.cat, id).unwrap().counts[0].met, 1);
    assert!(wb.verify().unwrap().is_ok());
}

fn note(title: &str) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        source: EvidenceSource::Note(format!("{title} text")),
        date: Some("2025-11-01".into()),
        expires: None,
    }
}

#[test]
fn a_removed_item_can_be_restored_and_its_id_is_never_given_to_another() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let req = "uk-cop-2018:1";
    let first = wb.add_evidence(&fx.cat, a, req, &note("first")).unwrap();
    let newest = wb.add_evidence(&fx.cat, a, req, &note("newest")).unwrap();
    wb.remove_evidence(newest.id).unwrap();
    // The newest id is free in the table, but the trail names it: not reused.
    let next = wb.add_evidence(&fx.cat, a, req, &note("next")).unwrap();
    assert!(next.id > newest.id, "{} reused", next.id);
    drop(wb);
    let mut wb = fx.reopen();
    let again = wb
        .add_evidence(&fx.cat, a, req, &note("after reopen"))
        .unwrap();
    assert!(again.id > next.id);

    let back = wb.restore_evidence(newest.id).unwrap();
    assert!(back.id > again.id, "a restore gets a new id too");
    assert_eq!(
        (
            back.title.as_str(),
            back.note.as_deref(),
            back.date.as_deref()
        ),
        ("newest", Some("newest text"), Some("2025-11-01"))
    );
    assert_eq!(
        (&back.added_at, &back.added_by),
        (&newest.added_at, &newest.added_by)
    );
    let last = wb.log(Some(1)).unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.entity_id.clone()),
        ("restore", back.id.to_string())
    );

    let e = wb.restore_evidence(newest.id).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("restored already, as evidence {}", back.id)),
        "{e}"
    );
    for id in [first.id, 9999] {
        let e = wb.restore_evidence(id).unwrap_err();
        assert!(
            matches!(&e, WorkbookError::NothingToRestore { id: n, .. } if *n == id),
            "{e}"
        );
        assert!(e.to_string().contains("never removed"), "{e}");
    }
    let titles: Vec<String> = wb
        .evidence(first.response_id)
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(titles, ["first", "next", "after reopen", "newest"]);
    assert!(wb.verify().unwrap().findings.is_empty());
}

#[test]
fn a_removal_cannot_be_restored_once_the_assessment_is_approved_or_signed() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let gone = wb
        .add_evidence(&fx.cat, a, "uk-cop-2018:2", &note("gone"))
        .unwrap();
    wb.remove_evidence(gone.id).unwrap();
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("unique passwords"))
        .unwrap();
    wb.transition(a, Transition::Submit).unwrap();
    wb.review(a, "uk-cop-2018:1", Verdict::Accepted, "")
        .unwrap();
    wb.transition(a, Transition::Approve).unwrap();
    let e = wb.restore_evidence(gone.id).unwrap_err();
    assert!(matches!(e, WorkbookError::NotEditable { .. }), "{e}");
    let sign = SignInput {
        signatory: "Grace Hopper".into(),
        function: "CTO".into(),
        place: "London".into(),
        date: None,
    };
    wb.sign(a, &sign).unwrap();
    let e = wb.restore_evidence(gone.id).unwrap_err();
    assert!(matches!(e, WorkbookError::Locked(id) if id == a), "{e}");
}

/// A workbook written by the first released schema (version 1), with evidence
/// and a trail that names a removed item, opens in this build: backed up, then
/// migrated with everything kept and removed ids still never reused.
#[test]
fn a_version_1_workbook_is_migrated_with_its_evidence() {
    let fx = Fixture::new();
    let conn = Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/workbook/migrations/0001_initial.sql"
    )))
    .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let ts = "2025-11-25T12:00:00Z";
    // SHA-256 of "hello".
    let hash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    conn.execute_batch(&format!(
        "INSERT INTO product (id, name, created_at, updated_at) VALUES (1, 'Old plug', '{ts}', '{ts}');
         INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (1, 1, 'v1', '[\"uk-cop-2018\"]', 'draft', '{ts}', '{ts}');
         INSERT INTO response (id, assessment_id, requirement, framework, status, created_at, updated_at)
           VALUES (1, 1, 'uk-cop-2018:1', 'uk-cop-2018', 'met', '{ts}', '{ts}');
         INSERT INTO evidence (id, response_id, title, kind, note, added_at, added_by)
           VALUES (1, 1, 'kept note', 'note', 'text', '{ts}', 'Ada');
         INSERT INTO product (id, name, created_at, updated_at) VALUES (2, 'Signed plug', '{ts}', '{ts}');
         INSERT INTO assessment (id, product_id, label, frameworks, state, created_at, updated_at)
           VALUES (2, 2, 'v1', '[\"uk-cop-2018\"]', 'approved', '{ts}', '{ts}');
         INSERT INTO response (id, assessment_id, requirement, framework, status, created_at, updated_at)
           VALUES (2, 2, 'uk-cop-2018:1', 'uk-cop-2018', 'met', '{ts}', '{ts}');
         INSERT INTO blob (hash, size, data) VALUES ('{hash}', 5, CAST('hello' AS BLOB));
         INSERT INTO evidence (id, response_id, title, kind, blob_hash, file_name, size, added_at, added_by)
           VALUES (2, 2, 'signed file', 'file', '{hash}', 'hello.txt', 5, '{ts}', 'Ada');
         INSERT INTO signoff (assessment_id, signatory, function, place, date, signed_at, actor)
           VALUES (2, 'Grace', 'CTO', 'London', '2025-11-25', '{ts}', 'Ada');
         INSERT INTO event (at, actor, entity, entity_id, action, before, after, prev_hash, hash)
           VALUES ('{ts}', 'Ada', 'evidence', '7', 'delete', NULL, NULL, 'x', 'y');"
    ))
    .unwrap();
    drop(conn);

    let mut wb = fx.reopen();
    wb.set_actor(Some("Ada".into()));
    assert!(PathBuf::from(format!("{}.bak-v1", fx.path().display())).exists());
    let kept = wb.evidence(1).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].id, kept[0].title.as_str()), (1, "kept note"));
    let new = wb
        .add_evidence(&fx.cat, 1, "uk-cop-2018:1", &note("new"))
        .unwrap();
    assert_eq!(new.id, 8, "past every id the trail names");
    let signed = wb.evidence(2).unwrap();
    assert_eq!((signed[0].id, signed[0].size), (2, Some(5)));
    let mut out = Vec::new();
    wb.read_blob(hash, &mut out).unwrap();
    assert_eq!(out, b"hello");
    // The signed assessment's lock came through the rebuild, in code and in SQL.
    assert!(matches!(
        wb.remove_evidence(2).unwrap_err(),
        WorkbookError::Locked(2)
    ));
    drop(wb);
    let conn = Connection::open(fx.path()).unwrap();
    let ver: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(ver, SCHEMA_VERSION);
    let refused = conn
        .execute("DELETE FROM evidence WHERE id = 2", [])
        .unwrap_err();
    assert!(
        refused.to_string().contains("assessment is signed"),
        "{refused}"
    );
    let fk: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(fk.is_empty(), "{fk:?}");
}

#[test]
fn products_are_listed_with_numbers_in_order() {
    let fx = Fixture::new();
    let mut wb = fx.workbook();
    for name in ["Plug 10", "plug 2", "Camera", "Plug 1"] {
        wb.add_product(&product(name, name)).unwrap();
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

#[test]
fn evidence_cannot_expire_before_its_own_date() {
    let fx = Fixture::new();
    let (mut wb, _, a) = with_product(&fx);
    let mut input = note("certificate");
    input.expires = Some("2025-10-31".into());
    let e = wb
        .add_evidence(&fx.cat, a, "uk-cop-2018:1", &input)
        .unwrap_err();
    assert_eq!(e.code(), "expires_before_date");
    assert!(
        e.to_string().contains("2025-10-31") && e.to_string().contains("2025-11-01"),
        "{e}"
    );
    input.expires = Some("2025-11-01".into());
    wb.add_evidence(&fx.cat, a, "uk-cop-2018:1", &input)
        .unwrap();
}
