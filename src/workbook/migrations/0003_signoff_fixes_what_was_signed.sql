-- Canary workbook, version 3. Released migrations are never edited: add a new file.
--
-- A signed document is a fixed document. The sign-off now records the trail head
-- it was given at (the head just before the sign event, i.e. that event's
-- prev_hash) and the product's details as they were then (JSON of the product), so
-- reports of a signed assessment print what was signed whatever the workbook
-- holds later. Product details stay editable; reports of signed assessments use
-- the copy.
--
-- An approval given despite outstanding answers (rejected, needs info, not
-- assessed) keeps its reason, who gave it and when, with the assessment.

ALTER TABLE assessment ADD COLUMN override_reason TEXT;
ALTER TABLE assessment ADD COLUMN override_by TEXT;
ALTER TABLE assessment ADD COLUMN override_at TEXT;

ALTER TABLE signoff ADD COLUMN trail_head TEXT;
ALTER TABLE signoff ADD COLUMN product TEXT;

-- Sign-offs made before version 3: recover both from the trail. The sign event's
-- prev_hash is the head it was given at; the product is the newest product event
-- before it.
DROP TRIGGER signoff_immutable;

UPDATE signoff SET
    trail_head = (SELECT e.prev_hash FROM event e
                  WHERE e.entity = 'assessment' AND e.action = 'sign'
                    AND e.entity_id = CAST(signoff.assessment_id AS TEXT)
                  ORDER BY e.seq DESC LIMIT 1),
    product = (SELECT p.after FROM event p
               WHERE p.entity = 'product' AND p.after IS NOT NULL
                 AND p.entity_id = (SELECT CAST(a.product_id AS TEXT) FROM assessment a
                                    WHERE a.id = signoff.assessment_id)
                 AND p.seq < (SELECT max(e.seq) FROM event e
                              WHERE e.entity = 'assessment' AND e.action = 'sign'
                                AND e.entity_id = CAST(signoff.assessment_id AS TEXT))
               ORDER BY p.seq DESC LIMIT 1);

CREATE TRIGGER signoff_immutable BEFORE UPDATE ON signoff
BEGIN SELECT RAISE(ABORT, 'sign-off cannot change'); END;
