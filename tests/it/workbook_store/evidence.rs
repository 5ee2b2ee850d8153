//! Blobs and evidence: files streamed in and out deduplicated, paths refused,
//! removal and restore, expiry dates.

use canary::workbook::{
    EvidenceInput, EvidenceKind, EvidenceSource, SignInput, Transition, Verdict, WorkbookError,
};
use rusqlite::Connection;

use crate::support::store::{file_evidence, met, note, with_product, write_file, Fixture};

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
        "already_exists",
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
    wb.transition(&fx.cat, a, Transition::Submit).unwrap();
    wb.review(a, "uk-cop-2018:1", Verdict::Accepted, "")
        .unwrap();
    wb.approve(
        &fx.cat,
        a,
        Some("only guideline 1 is in scope of this test"),
    )
    .unwrap();
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
