-- Canary workbook, version 4. Released migrations are never edited: add a new file.
--
-- The retailer's register: report PDFs received from others, each stored with
-- its detached signature in `blob` (by SHA-256, as evidence files are), and what
-- the document claimed and how its signature stood when it arrived. Lists are
-- JSON arrays. A document is held once, by the PDF's hash. A document whose
-- signature did not hold is refused, never stored, so only `valid` and
-- `unsigned` are recorded.

CREATE TABLE received (
    id                  INTEGER PRIMARY KEY,
    file_name           TEXT NOT NULL,
    pdf_hash            TEXT NOT NULL UNIQUE REFERENCES blob (hash),
    pdf_size            INTEGER NOT NULL,
    signature_hash      TEXT REFERENCES blob (hash),
    kind                TEXT NOT NULL,
    manufacturer        TEXT NOT NULL,
    product             TEXT,
    model               TEXT,
    support_period_end  TEXT,
    report_date         TEXT NOT NULL,
    trail_head          TEXT,
    canaries            TEXT NOT NULL,
    frameworks          TEXT NOT NULL,
    signatory           TEXT,
    signatory_function  TEXT,
    signature           TEXT NOT NULL CHECK (signature IN ('valid', 'unsigned')),
    key_id              TEXT,
    public_key          TEXT,
    signer              TEXT,
    signer_organisation TEXT,
    trust_at_receipt    TEXT NOT NULL
        CHECK (trust_at_receipt IN ('own', 'trusted', 'untrusted', 'other_key_pinned', 'none')),
    received_at         TEXT NOT NULL,
    received_by         TEXT NOT NULL,
    CHECK ((signature = 'valid') = (signature_hash IS NOT NULL AND public_key IS NOT NULL)),
    CHECK ((signature = 'unsigned') = (trust_at_receipt = 'none'))
) STRICT;
CREATE INDEX received_signature ON received (signature_hash);
