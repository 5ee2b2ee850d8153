-- Canary workbook, version 2. Released migrations are never edited: add a new file.
--
-- The trail names evidence items by id. Version 1 let SQLite give a removed
-- item's id (the newest one's) to the next item added, so one id could name two
-- items in the trail. AUTOINCREMENT never reuses an id; its counter starts past
-- every evidence id the table or the trail has ever held.

CREATE TABLE evidence_v2 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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

INSERT INTO evidence_v2 (id, response_id, title, kind, blob_hash, file_name, size, media_type,
                         url, note, date, expires, added_at, added_by)
SELECT id, response_id, title, kind, blob_hash, file_name, size, media_type,
       url, note, date, expires, added_at, added_by
FROM evidence;

-- Its triggers go with it; dropping a table fires none.
DROP TABLE evidence;
ALTER TABLE evidence_v2 RENAME TO evidence;

CREATE INDEX evidence_response ON evidence (response_id);
CREATE INDEX evidence_blob ON evidence (blob_hash);

CREATE TRIGGER signed_evidence_insert BEFORE INSERT ON evidence
WHEN EXISTS (SELECT 1 FROM response r JOIN signoff s ON s.assessment_id = r.assessment_id WHERE r.id = NEW.response_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

CREATE TRIGGER signed_evidence_delete BEFORE DELETE ON evidence
WHEN EXISTS (SELECT 1 FROM response r JOIN signoff s ON s.assessment_id = r.assessment_id WHERE r.id = OLD.response_id)
BEGIN SELECT RAISE(ABORT, 'assessment is signed'); END;

DELETE FROM sqlite_sequence WHERE name IN ('evidence', 'evidence_v2');
INSERT INTO sqlite_sequence (name, seq)
SELECT 'evidence', coalesce(max(n), 0) FROM (
    SELECT max(id) AS n FROM evidence
    UNION ALL
    SELECT max(CAST(entity_id AS INTEGER)) FROM event WHERE entity = 'evidence'
);
