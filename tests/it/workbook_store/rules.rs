//! Rules of the data: an actor for every write, justifications, the
//! catalogue and scope, the review state machine, sign-off and its lock.

use canary::workbook::{
    AssessmentState, EvidenceInput, EvidenceSource, SignInput, Status, Transition, Verdict,
    Workbook, WorkbookError,
};
use rusqlite::Connection;

use crate::support::store::{file_evidence, met, product, with_product, write_file, Fixture};

#[test]
fn writes_need_an_actor() {
    let fx = Fixture::new();
    let mut wb = Workbook::create(&fx.path()).unwrap();
    let err = wb.add_product(&fx.cat, &product("P", "M")).unwrap_err();
    assert_eq!(err.code(), "no_actor");
    wb.set_actor(Some("Bob".into()));
    wb.add_product(&fx.cat, &product("P", "M")).unwrap();
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
    let p = wb.add_product(&fx.cat, &product("P", "M")).unwrap();
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
        let err = wb.transition(&fx.cat, a, t).unwrap_err();
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
        wb.transition(&fx.cat, a, Transition::Submit).unwrap().state,
        AssessmentState::Submitted
    );
    let err = wb
        .set_response(&fx.cat, a, "uk-cop-2018:1", &met("edit"))
        .unwrap_err();
    assert_eq!(err.code(), "not_editable");
    assert_eq!(
        wb.transition(&fx.cat, a, Transition::Submit)
            .unwrap_err()
            .code(),
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
        wb.transition(&fx.cat, a, Transition::RequestChanges)
            .unwrap()
            .state,
        AssessmentState::ChangesRequested
    );
    wb.set_response(&fx.cat, a, "uk-cop-2018:1", &met("fw 1.0.3"))
        .unwrap();
    wb.transition(&fx.cat, a, Transition::Submit).unwrap();
    wb.transition(&fx.cat, a, Transition::StartReview).unwrap();
    let r = wb
        .review(a, "uk-cop-2018:1", Verdict::Accepted, "ok")
        .unwrap();
    assert_eq!(r.reviewer, "Ada");
    let err = wb.transition(&fx.cat, a, Transition::Approve).unwrap_err();
    assert_eq!(err.code(), "approval_refused", "{err}");
    assert_eq!(
        wb.approve(&fx.cat, a, Some("the rest in the next release"))
            .unwrap()
            .state,
        AssessmentState::Approved
    );
    assert_eq!(
        wb.transition(&fx.cat, a, Transition::Submit)
            .unwrap_err()
            .code(),
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
    wb.transition(&fx.cat, a, Transition::Submit).unwrap();
    wb.review(a, "uk-cop-2018:1", Verdict::Accepted, "")
        .unwrap();
    wb.approve(
        &fx.cat,
        a,
        Some("only guideline 1 is in scope of this test"),
    )
    .unwrap();
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
        wb.transition(&fx.cat, a, Transition::Submit).unwrap_err(),
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
