-- Canary workbook, version 1. Released migrations are never edited: add a new file.
-- Timestamps are RFC 3339 UTC text; dates are YYYY-MM-DD text; lists are JSON arrays.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE profile (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    name         TEXT NOT NULL CHECK (name <> ''),
    organisation TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE product (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL CHECK (name <> ''),
    model                TEXT NOT NULL DEFAULT '',
    product_type         TEXT NOT NULL DEFAULT '',
    batch                TEXT NOT NULL DEFAULT '',
    manufacturer_name    TEXT NOT NULL DEFAULT '',
    manufacturer_address TEXT NOT NULL DEFAULT '',
    support_end          TEXT,
    roles                TEXT NOT NULL DEFAULT '[]',
    markets              TEXT NOT NULL DEFAULT '[]',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX product_model ON product (model);
CREATE INDEX product_name ON product (name COLLATE NOCASE);

CREATE TABLE assessment (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES product (id),
    label       TEXT NOT NULL,
    frameworks  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'in_review', 'approved', 'changes_requested')),
    cloned_from INTEGER REFERENCES assessment (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX assessment_product ON assessment (product_id, id);

CREATE TABLE signoff (
    assessment_id INTEGER PRIMARY KEY REFERENCES assessment (id),
    signatory     TEXT NOT NULL CHECK (signatory <> ''),
    function      TEXT NOT NULL CHECK (function <> ''),
    place         TEXT NOT NULL CHECK (place <> ''),
    date          TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    actor         TEXT NOT NULL
) STRICT;

CREATE TABLE response (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessment (id),
    requirement   TEXT NOT NULL,
    framework     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('not_assessed', 'met', 'partially_met', 'not_met', 'not_applicable')),
    statement     TEXT NOT NULL DEFAULT '',
    justification TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (assessment_id, requirement),
    CHECK (status NOT IN ('not_met', 'not_applicable') OR trim(justification) <> '')
) STRICT;
-- Covers the dashboard's count by (assessment, framework, status).
CREATE INDEX response_counts ON response (assessment_id, framework, status);

CREATE TABLE review (
    response_id INTEGER PRIMARY KEY REFERENCES response (id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'needs_info')),
    comment     TEXT NOT NULL DEFAULT '',
    reviewer    TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
) STRICT;

CREATE TABLE blob (
    id   INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
) STRICT;

CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES response (id),
    title       TEXT NOT NULL CHECK (title <> ''),
    kind        TEXT NOT NULL CHECK (kind IN ('file', 'link', 'note')),
    blob_hash   TEXT REFERENCES blob (hash),
    file_name   TEXT,
    size        INTEGER,
    media_type  TEXT,
    url         TEXT,
    note        TEXT,
    date        TEXT,
    expires     TEXT,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    CHECK ((kind = 'file') = (blob_hash IS NOT NULL)),
    CHECK (kind <> 'link' OR url IS NOT NULL),
    CHECK (kind <> 'note' OR note IS NOT NULL)
) STRICT;
CREATE INDEX evidence_response ON evidence (response_id);
CREATE INDEX evidence_blob ON evidence (blob_hash);

-- The trail: append-only, hash-chained (see src/workbook/trail.rs).
CREATE TABLE event (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

-- A signed assessment is locked: refuse changes below the application too.
CREATE TRIGGER signed_assessment_locked BEFORE UPDATE ON assessment
WHEN EXISTS (SELECT 1 FROM signoff WHERE assessment_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_response_insert BEFORE INSERT ON response
WHEN EXISTS (SELECT 1 FROM signoff WHERE assessment_id = NEW.assessment_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_response_update BEFORE UPDATE ON response
WHEN EXISTS (SELECT 1 FROM signoff WHERE assessment_id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_response_delete BEFORE DELETE ON response
WHEN EXISTS (SELECT 1 FROM signoff WHERE assessment_id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_evidence_insert BEFORE INSERT ON evidence
WHEN EXISTS (SELECT 1 FROM response r JOIN signoff s ON s.assessment_id = r.assessment_id WHERE r.id = NEW.response_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_evidence_delete BEFORE DELETE ON evidence
WHEN EXISTS (SELECT 1 FROM response r JOIN signoff s ON s.assessment_id = r.assessment_id WHERE r.id = OLD.response_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_review_insert BEFORE INSERT ON review
WHEN EXISTS (SELECT 1 FROM response r JOIN signoff s ON s.assessment_id = r.assessment_id WHERE r.id = NEW.response_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_review_update BEFORE UPDATE ON review
WHEN EXISTS (SELECT 1 FROM response r JOIN signoff s ON s.assessment_id = r.assessment_id WHERE r.id = OLD.response_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signoff_immutable BEFORE UPDATE ON signoff
BEGIN SELECT RAISE(ABORT, 'sign-off cannot change'); END;

CREATE TRIGGER signoff_permanent BEFORE DELETE ON signoff
BEGIN SELECT RAISE(ABORT, 'sign-off cannot be removed'); END;

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;

CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;
