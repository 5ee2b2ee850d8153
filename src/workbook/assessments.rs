//! Assessments, responses, review, the state machine, sign-off and cloning.
//!
//! Checks read inside the write transaction, so a second process cannot slip a
//! change in between the check and the write.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::clock::parse_opt_date;
use super::error::{Result, WorkbookError};
use super::model::{
    ApprovalOverride, Assessment, AssessmentState, Outstanding, Response, ResponseInput, Review,
    SignInput, SignOff, Status, Transition, Verdict,
};
use super::products::load_product;
use super::{required, to_json, trail, Batch, Workbook};
use crate::catalogue::Catalogue;

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.product_id, a.label, a.frameworks, a.state, \
     a.cloned_from, a.created_at, a.updated_at, s.signatory, s.function, s.place, s.date, \
     s.signed_at, s.actor, s.trail_head, s.product, a.override_reason, a.override_by, \
     a.override_at FROM assessment a LEFT JOIN signoff s ON s.assessment_id = a.id";

fn json_column<T: serde::de::DeserializeOwned>(col: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn row_to_assessment(r: &Row<'_>) -> rusqlite::Result<Assessment> {
    let frameworks: String = r.get(3)?;
    let state: String = r.get(4)?;
    let signatory: Option<String> = r.get(8)?;
    let signoff = match signatory {
        Some(signatory) => Some(SignOff {
            signatory,
            function: r.get(9)?,
            place: r.get(10)?,
            date: r.get(11)?,
            signed_at: r.get(12)?,
            actor: r.get(13)?,
            trail_head: r.get(14)?,
            product: match r.get::<_, Option<String>>(15)? {
                Some(text) => Some(json_column(15, &text)?),
                None => None,
            },
        }),
        None => None,
    };
    let approval_override = match r.get::<_, Option<String>>(16)? {
        Some(reason) => Some(ApprovalOverride {
            reason,
            by: r.get::<_, Option<String>>(17)?.unwrap_or_default(),
            at: r.get::<_, Option<String>>(18)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Assessment {
        id: r.get(0)?,
        product_id: r.get(1)?,
        label: r.get(2)?,
        frameworks: json_column(3, &frameworks)?,
        state: AssessmentState::parse(&state).ok_or_else(|| bad_text(4, &state))?,
        cloned_from: r.get(5)?,
        signoff,
        approval_override,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub(crate) fn bad_text(col: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        rusqlite::types::Type::Text,
        format!("unexpected value {value:?}").into(),
    )
}

pub(crate) const RESPONSE_COLUMNS: &str = "id, assessment_id, requirement, status, statement, \
     justification, owner, created_at, updated_at";

pub(crate) fn row_to_response(r: &Row<'_>) -> rusqlite::Result<Response> {
    let status: String = r.get(3)?;
    Ok(Response {
        id: r.get(0)?,
        assessment_id: r.get(1)?,
        requirement: r.get(2)?,
        status: Status::parse(&status).ok_or_else(|| bad_text(3, &status))?,
        statement: r.get(4)?,
        justification: r.get(5)?,
        owner: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

pub(crate) fn load_assessment(conn: &Connection, id: i64) -> Result<Assessment> {
    conn.query_row(
        &format!("{ASSESSMENT_SELECT} WHERE a.id = ?1"),
        [id],
        row_to_assessment,
    )
    .optional()?
    .ok_or(WorkbookError::AssessmentNotFound(id))
}

pub(crate) fn load_response(
    conn: &Connection,
    assessment: i64,
    requirement: &str,
) -> Result<Option<Response>> {
    Ok(conn
        .query_row(
            &format!("SELECT {RESPONSE_COLUMNS} FROM response WHERE assessment_id = ?1 AND requirement = ?2"),
            params![assessment, requirement],
            row_to_response,
        )
        .optional()?)
}

pub(crate) fn load_review(conn: &Connection, response: i64) -> Result<Option<Review>> {
    Ok(conn
        .query_row(
            "SELECT verdict, comment, reviewer, reviewed_at FROM review WHERE response_id = ?1",
            [response],
            row_to_review,
        )
        .optional()?)
}

pub(crate) fn row_to_review(r: &Row<'_>) -> rusqlite::Result<Review> {
    let verdict: String = r.get(0)?;
    Ok(Review {
        verdict: Verdict::parse(&verdict).ok_or_else(|| bad_text(0, &verdict))?,
        comment: r.get(1)?,
        reviewer: r.get(2)?,
        reviewed_at: r.get(3)?,
    })
}

/// Responses and evidence change only in an unsigned draft or after changes were requested.
pub(crate) fn ensure_editable(a: &Assessment) -> Result<()> {
    if a.is_signed() {
        return Err(WorkbookError::Locked(a.id));
    }
    match a.state {
        AssessmentState::Draft | AssessmentState::ChangesRequested => Ok(()),
        state => Err(WorkbookError::NotEditable { id: a.id, state }),
    }
}

/// Checks that `requirement` exists and belongs to one of the assessment's frameworks;
/// returns its framework id.
pub(crate) fn check_requirement(
    cat: &Catalogue,
    a: &Assessment,
    requirement: &str,
) -> Result<String> {
    let (fw, _) = cat
        .requirement(requirement)
        .ok_or_else(|| WorkbookError::UnknownRequirement(requirement.to_owned()))?;
    if !a.frameworks.contains(&fw.id) {
        return Err(WorkbookError::RequirementNotInScope {
            requirement: requirement.to_owned(),
            frameworks: a.frameworks.clone(),
        });
    }
    Ok(fw.id.clone())
}

/// Inserts a `not_assessed` response (so evidence can be attached before a verdict).
pub(crate) fn ensure_response(
    tx: &Batch<'_>,
    a: &Assessment,
    requirement: &str,
    framework: &str,
) -> Result<Response> {
    if let Some(r) = load_response(&tx.tx, a.id, requirement)? {
        return Ok(r);
    }
    tx.tx.execute(
        "INSERT INTO response (assessment_id, requirement, framework, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'not_assessed', ?4, ?4)",
        params![a.id, requirement, framework, tx.now],
    )?;
    let r = load_response(&tx.tx, a.id, requirement)?
        .ok_or(WorkbookError::NoResponse(requirement.to_owned()))?;
    tx.record(trail::Change {
        entity: "response",
        entity_id: r.id.to_string(),
        action: "create",
        before: None,
        after: Some(to_json(&r)),
    })?;
    Ok(r)
}

fn set_state(tx: &Batch<'_>, before: &Assessment, transition: Transition) -> Result<Assessment> {
    if before.is_signed() {
        return Err(WorkbookError::Locked(before.id));
    }
    let to = transition
        .apply(before.state)
        .ok_or(WorkbookError::IllegalTransition {
            transition,
            from: before.state,
        })?;
    tx.tx.execute(
        "UPDATE assessment SET state = ?2, updated_at = ?3 WHERE id = ?1",
        params![before.id, to.as_str(), tx.now],
    )?;
    let after = load_assessment(&tx.tx, before.id)?;
    tx.record(trail::Change {
        entity: "assessment",
        entity_id: before.id.to_string(),
        action: transition.as_str(),
        before: Some(to_json(before)),
        after: Some(to_json(&after)),
    })?;
    Ok(after)
}

/// What stands in the way of approving `a`: every requirement of its frameworks
/// that is not assessed (catalogue order), then every answer whose verdict is
/// rejected or needs information.
pub(crate) fn outstanding(
    conn: &Connection,
    cat: &Catalogue,
    a: &Assessment,
) -> Result<Vec<Outstanding>> {
    let mut stmt = conn.prepare(
        "SELECT r.requirement, r.status, v.verdict, v.reviewer FROM response r
         LEFT JOIN review v ON v.response_id = r.id WHERE r.assessment_id = ?1 ORDER BY r.id",
    )?;
    let mut answers: std::collections::HashMap<String, Outstanding> =
        std::collections::HashMap::new();
    let mut order = Vec::new();
    let mut q = stmt.query([a.id])?;
    while let Some(r) = q.next()? {
        let status: String = r.get(1)?;
        let verdict: Option<String> = r.get(2)?;
        let verdict = match verdict {
            Some(v) => Some(Verdict::parse(&v).ok_or_else(|| bad_text(2, &v))?),
            None => None,
        };
        let o = Outstanding {
            requirement: r.get(0)?,
            status: Status::parse(&status).ok_or_else(|| bad_text(1, &status))?,
            verdict,
            reviewer: r.get(3)?,
        };
        order.push(o.requirement.clone());
        answers.insert(o.requirement.clone(), o);
    }
    let blocks = |o: &Outstanding| {
        o.status == Status::NotAssessed
            || matches!(o.verdict, Some(Verdict::Rejected | Verdict::NeedsInfo))
    };
    let mut out = Vec::new();
    for fw in a.frameworks.iter().filter_map(|f| cat.framework(f)) {
        for req in &fw.requirements {
            let id = crate::catalogue::requirement_id(fw, req);
            match answers.remove(&id) {
                Some(o) if blocks(&o) => out.push(o),
                Some(_) => {}
                None => out.push(Outstanding {
                    requirement: id,
                    status: Status::NotAssessed,
                    verdict: None,
                    reviewer: None,
                }),
            }
        }
    }
    // Answers outside the assessed frameworks still count when a reviewer objected.
    for id in order {
        if let Some(o) = answers.remove(&id) {
            if matches!(o.verdict, Some(Verdict::Rejected | Verdict::NeedsInfo)) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

impl Batch<'_> {
    /// Starts a new draft assessment of `product` against `frameworks`
    /// (empty: [`super::DEFAULT_FRAMEWORK`]).
    pub fn create_assessment(
        &self,
        cat: &Catalogue,
        product: i64,
        label: &str,
        frameworks: &[String],
    ) -> Result<Assessment> {
        let label = required("label", label)?;
        let mut chosen: Vec<String> = Vec::new();
        for f in frameworks
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
        {
            if cat.framework(f).is_none() {
                return Err(WorkbookError::UnknownFramework(f.to_owned()));
            }
            if !chosen.iter().any(|c| c == f) {
                chosen.push(f.to_owned());
            }
        }
        if chosen.is_empty() {
            chosen.push(super::DEFAULT_FRAMEWORK.to_owned());
        }
        load_product(&self.tx, product)?;
        self.tx.execute(
            "INSERT INTO assessment (product_id, label, frameworks, state, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'draft', ?4, ?4)",
            params![product, label, to_json(&chosen), self.now],
        )?;
        let a = load_assessment(&self.tx, self.tx.last_insert_rowid())?;
        self.record(trail::Change {
            entity: "assessment",
            entity_id: a.id.to_string(),
            action: "create",
            before: None,
            after: Some(to_json(&a)),
        })?;
        Ok(a)
    }

    /// Moves an assessment through the review state machine; `approve` follows
    /// [`Batch::approve`]'s rules (without an override).
    pub fn transition(
        &self,
        cat: &Catalogue,
        assessment: i64,
        transition: Transition,
    ) -> Result<Assessment> {
        if transition == Transition::Approve {
            return self.approve(cat, assessment, None);
        }
        let before = load_assessment(&self.tx, assessment)?;
        set_state(self, &before, transition)
    }

    /// Approves an assessment in review. Refused, listing each one, while any answer
    /// is rejected or needs information, or any requirement of the assessed
    /// frameworks is not assessed; unless `despite` gives a reason, which is stored
    /// with the assessment (and so in the trail) and printed by every report of it.
    pub fn approve(
        &self,
        cat: &Catalogue,
        assessment: i64,
        despite: Option<&str>,
    ) -> Result<Assessment> {
        let despite = despite.map(|d| required("reason", d)).transpose()?;
        let before = load_assessment(&self.tx, assessment)?;
        if before.is_signed() {
            return Err(WorkbookError::Locked(before.id));
        }
        if Transition::Approve.apply(before.state).is_none() {
            return Err(WorkbookError::IllegalTransition {
                transition: Transition::Approve,
                from: before.state,
            });
        }
        let outstanding = outstanding(&self.tx, cat, &before)?;
        let reason = match (outstanding.is_empty(), despite) {
            (true, _) => None,
            (false, Some(reason)) => Some(reason),
            (false, None) => {
                return Err(WorkbookError::ApprovalRefused {
                    id: before.id,
                    outstanding,
                })
            }
        };
        let by = reason.as_ref().map(|_| self.actor.clone());
        let at = reason.as_ref().map(|_| self.now.clone());
        self.tx.execute(
            "UPDATE assessment SET state = 'approved', override_reason = ?2, override_by = ?3,
               override_at = ?4, updated_at = ?5 WHERE id = ?1",
            params![before.id, reason, by, at, self.now],
        )?;
        let after = load_assessment(&self.tx, before.id)?;
        self.record(trail::Change {
            entity: "assessment",
            entity_id: before.id.to_string(),
            action: Transition::Approve.as_str(),
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })?;
        Ok(after)
    }

    /// Adds frameworks to, and removes them from, a draft assessment. Responses to a
    /// removed framework's requirements stay stored (reports list them apart) and
    /// count again if it is added back; at least one framework remains.
    pub fn change_frameworks(
        &self,
        cat: &Catalogue,
        assessment: i64,
        add: &[String],
        remove: &[String],
    ) -> Result<Assessment> {
        let before = load_assessment(&self.tx, assessment)?;
        if before.is_signed() {
            return Err(WorkbookError::Locked(before.id));
        }
        if before.state != AssessmentState::Draft {
            return Err(WorkbookError::NotDraft {
                id: before.id,
                state: before.state,
            });
        }
        let clean = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect()
        };
        let (add, remove) = (clean(add), clean(remove));
        let mut chosen = before.frameworks.clone();
        for f in &remove {
            if !chosen.contains(f) {
                return Err(WorkbookError::FrameworkNotAssessed {
                    framework: f.clone(),
                    frameworks: before.frameworks.clone(),
                });
            }
            chosen.retain(|c| c != f);
        }
        for f in add {
            if cat.framework(&f).is_none() {
                return Err(WorkbookError::UnknownFramework(f));
            }
            if !chosen.contains(&f) {
                chosen.push(f);
            }
        }
        if chosen.is_empty() {
            return Err(WorkbookError::NoFrameworkLeft(before.id));
        }
        if chosen == before.frameworks {
            return Ok(before);
        }
        self.tx.execute(
            "UPDATE assessment SET frameworks = ?2, updated_at = ?3 WHERE id = ?1",
            params![before.id, to_json(&chosen), self.now],
        )?;
        let after = load_assessment(&self.tx, before.id)?;
        self.record(trail::Change {
            entity: "assessment",
            entity_id: before.id.to_string(),
            action: "frameworks",
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })?;
        Ok(after)
    }

    /// Signs an approved assessment; from then on it is locked.
    pub fn sign(&self, assessment: i64, input: &SignInput) -> Result<Assessment> {
        let signatory = required("signatory", &input.signatory)?;
        let function = required("function", &input.function)?;
        let place = required("place", &input.place)?;
        let date =
            parse_opt_date("date", input.date.as_deref())?.unwrap_or_else(|| self.today.clone());
        let before = load_assessment(&self.tx, assessment)?;
        if before.is_signed() {
            return Err(WorkbookError::Locked(before.id));
        }
        if before.state != AssessmentState::Approved {
            return Err(WorkbookError::NotApproved {
                id: before.id,
                state: before.state,
            });
        }
        self.tx.execute(
            "UPDATE assessment SET updated_at = ?2 WHERE id = ?1",
            params![assessment, self.now],
        )?;
        // What is signed: the trail as it stands (the sign event will chain to this
        // head) and the product's details as they are now.
        let head = self.trail_head()?;
        let product = load_product(&self.tx, before.product_id)?;
        self.tx.execute(
            "INSERT INTO signoff (assessment_id, signatory, function, place, date, signed_at, actor,
               trail_head, product)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                assessment,
                signatory,
                function,
                place,
                date,
                self.now,
                self.actor,
                head,
                to_json(&product)
            ],
        )?;
        let after = load_assessment(&self.tx, assessment)?;
        self.record(trail::Change {
            entity: "assessment",
            entity_id: assessment.to_string(),
            action: "sign",
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })?;
        Ok(after)
    }

    /// A new draft of the same product and frameworks holding copies of every
    /// response and evidence item (files are shared, not copied); no review, no sign-off.
    pub fn clone_assessment(&self, assessment: i64, label: &str) -> Result<Assessment> {
        let label = required("label", label)?;
        let from = load_assessment(&self.tx, assessment)?;
        self.tx.execute(
            "INSERT INTO assessment (product_id, label, frameworks, state, cloned_from, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?5)",
            params![from.product_id, label, to_json(&from.frameworks), from.id, self.now],
        )?;
        let id = self.tx.last_insert_rowid();
        self.tx.execute(
            "INSERT INTO response (assessment_id, requirement, framework, status, statement,
               justification, owner, created_at, updated_at)
             SELECT ?1, requirement, framework, status, statement, justification, owner, ?2, ?2
             FROM response WHERE assessment_id = ?3 ORDER BY id",
            params![id, self.now, from.id],
        )?;
        self.tx.execute(
            "INSERT INTO evidence (response_id, title, kind, blob_hash, file_name, size, media_type,
               url, note, date, expires, added_at, added_by)
             SELECT n.id, e.title, e.kind, e.blob_hash, e.file_name, e.size, e.media_type,
               e.url, e.note, e.date, e.expires, e.added_at, e.added_by
             FROM evidence e
             JOIN response o ON o.id = e.response_id AND o.assessment_id = ?2
             JOIN response n ON n.assessment_id = ?1 AND n.requirement = o.requirement
             ORDER BY e.id",
            params![id, from.id],
        )?;
        let a = load_assessment(&self.tx, id)?;
        self.record(trail::Change {
            entity: "assessment",
            entity_id: id.to_string(),
            action: "clone",
            before: Some(to_json(&from)),
            after: Some(to_json(&a)),
        })?;
        Ok(a)
    }

    /// Records (or replaces) the response to `requirement`.
    pub fn set_response(
        &self,
        cat: &Catalogue,
        assessment: i64,
        requirement: &str,
        input: &ResponseInput,
    ) -> Result<Response> {
        let requirement = requirement.trim();
        let justification = input.justification.trim().to_owned();
        if input.status.needs_justification() && justification.is_empty() {
            return Err(WorkbookError::JustificationRequired {
                status: input.status,
            });
        }
        let a = load_assessment(&self.tx, assessment)?;
        ensure_editable(&a)?;
        let framework = check_requirement(cat, &a, requirement)?;
        let before = load_response(&self.tx, a.id, requirement)?;
        self.tx.execute(
            "INSERT INTO response (assessment_id, requirement, framework, status, statement,
               justification, owner, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (assessment_id, requirement) DO UPDATE SET status = excluded.status,
               statement = excluded.statement, justification = excluded.justification,
               owner = excluded.owner, updated_at = excluded.updated_at",
            params![
                a.id,
                requirement,
                framework,
                input.status.as_str(),
                input.statement.trim(),
                justification,
                input.owner.trim(),
                self.now
            ],
        )?;
        let after = load_response(&self.tx, a.id, requirement)?
            .ok_or_else(|| WorkbookError::NoResponse(requirement.to_owned()))?;
        self.record(trail::Change {
            entity: "response",
            entity_id: after.id.to_string(),
            action: if before.is_some() { "update" } else { "create" },
            before: before.as_ref().map(to_json),
            after: Some(to_json(&after)),
        })?;
        Ok(after)
    }

    /// A reviewer's verdict on a response, recorded as the actor. Reviewing a
    /// submitted assessment starts its review (`submitted → in_review`).
    pub fn review(
        &self,
        assessment: i64,
        requirement: &str,
        verdict: Verdict,
        comment: &str,
    ) -> Result<Review> {
        let requirement = requirement.trim();
        let mut a = load_assessment(&self.tx, assessment)?;
        if a.is_signed() {
            return Err(WorkbookError::Locked(a.id));
        }
        match a.state {
            AssessmentState::Submitted => a = set_state(self, &a, Transition::StartReview)?,
            AssessmentState::InReview => {}
            state => return Err(WorkbookError::NotInReview { id: a.id, state }),
        }
        let response = load_response(&self.tx, a.id, requirement)?
            .ok_or_else(|| WorkbookError::NoResponse(requirement.to_owned()))?;
        let before = load_review(&self.tx, response.id)?;
        let review = Review {
            verdict,
            comment: comment.trim().to_owned(),
            reviewer: self.actor.clone(),
            reviewed_at: self.now.clone(),
        };
        self.tx.execute(
            "INSERT INTO review (response_id, verdict, comment, reviewer, reviewed_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (response_id) DO UPDATE SET verdict = excluded.verdict,
               comment = excluded.comment, reviewer = excluded.reviewer,
               reviewed_at = excluded.reviewed_at",
            params![
                response.id,
                verdict.as_str(),
                review.comment,
                review.reviewer,
                review.reviewed_at
            ],
        )?;
        self.record(trail::Change {
            entity: "review",
            entity_id: response.id.to_string(),
            action: if before.is_some() { "update" } else { "create" },
            before: before.as_ref().map(to_json),
            after: Some(to_json(&review)),
        })?;
        Ok(review)
    }
}

impl Workbook {
    /// See [`Batch::create_assessment`].
    pub fn create_assessment(
        &mut self,
        cat: &Catalogue,
        product: i64,
        label: &str,
        frameworks: &[String],
    ) -> Result<Assessment> {
        self.batch(|b| b.create_assessment(cat, product, label, frameworks))
    }

    /// See [`Batch::transition`].
    pub fn transition(
        &mut self,
        cat: &Catalogue,
        assessment: i64,
        transition: Transition,
    ) -> Result<Assessment> {
        self.batch(|b| b.transition(cat, assessment, transition))
    }

    /// See [`Batch::approve`].
    pub fn approve(
        &mut self,
        cat: &Catalogue,
        assessment: i64,
        despite: Option<&str>,
    ) -> Result<Assessment> {
        self.batch(|b| b.approve(cat, assessment, despite))
    }

    /// See [`Batch::change_frameworks`].
    pub fn change_frameworks(
        &mut self,
        cat: &Catalogue,
        assessment: i64,
        add: &[String],
        remove: &[String],
    ) -> Result<Assessment> {
        self.batch(|b| b.change_frameworks(cat, assessment, add, remove))
    }

    /// What would stand in the way of approving `assessment` now.
    pub fn outstanding(&self, cat: &Catalogue, assessment: i64) -> Result<Vec<Outstanding>> {
        let a = load_assessment(&self.conn, assessment)?;
        outstanding(&self.conn, cat, &a)
    }

    /// See [`Batch::sign`].
    pub fn sign(&mut self, assessment: i64, input: &SignInput) -> Result<Assessment> {
        self.batch(|b| b.sign(assessment, input))
    }

    /// See [`Batch::clone_assessment`].
    pub fn clone_assessment(&mut self, assessment: i64, label: &str) -> Result<Assessment> {
        self.batch(|b| b.clone_assessment(assessment, label))
    }

    /// See [`Batch::set_response`].
    pub fn set_response(
        &mut self,
        cat: &Catalogue,
        assessment: i64,
        requirement: &str,
        input: &ResponseInput,
    ) -> Result<Response> {
        self.batch(|b| b.set_response(cat, assessment, requirement, input))
    }

    /// See [`Batch::review`].
    pub fn review(
        &mut self,
        assessment: i64,
        requirement: &str,
        verdict: Verdict,
        comment: &str,
    ) -> Result<Review> {
        self.batch(|b| b.review(assessment, requirement, verdict, comment))
    }

    pub fn assessment(&self, id: i64) -> Result<Assessment> {
        load_assessment(&self.conn, id)
    }

    /// A product's assessments, oldest first.
    pub fn assessments(&self, product: i64) -> Result<Vec<Assessment>> {
        let mut stmt = self.conn.prepare(&format!(
            "{ASSESSMENT_SELECT} WHERE a.product_id = ?1 ORDER BY a.id"
        ))?;
        let rows = stmt.query_map([product], row_to_assessment)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest assessment of a product (the one commands act on by default).
    pub fn latest_assessment(&self, product: i64) -> Result<Assessment> {
        self.conn
            .query_row(
                &format!("{ASSESSMENT_SELECT} WHERE a.product_id = ?1 ORDER BY a.id DESC LIMIT 1"),
                [product],
                row_to_assessment,
            )
            .optional()?
            .ok_or(WorkbookError::NoAssessment(product))
    }

    /// The response to one requirement, if recorded.
    pub fn response(&self, assessment: i64, requirement: &str) -> Result<Option<Response>> {
        load_response(&self.conn, assessment, requirement.trim())
    }
}
