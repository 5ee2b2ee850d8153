-- Canary workbook, version 6. Released migrations are never edited: add a new file.
--
-- Acts carry their actor's signature: submit, every review verdict (and the start
-- of the review it may cause), approve, request changes, sign and clone. One row
-- per signed event: the minisign signature (the text of a `.minisig`) of the
-- event's hash, which covers the whole trail before it. Append-only, like the
-- trail it signs. A person's public key, name, organisation and role are recorded
-- in the trail itself (a `person` event, signed too) before their first signed act.
--
-- Who a person is now lives in their own config directory, not in the workbook:
-- `profile` stays for workbooks written before, read once to become that person.

CREATE TABLE act_signature (
    seq       INTEGER PRIMARY KEY REFERENCES event (seq),
    key_id    TEXT NOT NULL CHECK (length(key_id) = 16),
    signature TEXT NOT NULL CHECK (signature <> '')
) STRICT;

CREATE TRIGGER act_signature_no_update BEFORE UPDATE ON act_signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

CREATE TRIGGER act_signature_no_delete BEFORE DELETE ON act_signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
