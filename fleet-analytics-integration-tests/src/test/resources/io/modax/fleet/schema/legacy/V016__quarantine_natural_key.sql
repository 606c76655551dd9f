-- Quarantine is idempotent: a record refused again for the same reason (a file imported twice, a
-- location resending a batch) is not stored a second time. A quarantined record's natural key is
-- its organization, record type, reason code and original_sha256: a SHA-256 of the original's
-- jsonb text (normalized, so key order and spacing do not matter). Before storing a chunk's
-- quarantine rows the writer looks their hashes up in this index and stores only the new ones.
--
-- decode(..., 'escape') after doubling every backslash returns the text's bytes unchanged: an
-- immutable text-to-bytea conversion (convert_to is only stable), so the same expression serves in
-- the UPDATE below on Citus too. The writer computes the hash of new rows with the same expression.
--
-- For a CSV line the original holds its source (file:line) and its text: identical lines at two
-- places of a file stay two rows. Rows stored before this migration are kept, copies included; a
-- record already among them is not stored again.

ALTER TABLE ${schema}.ingest_quarantine ADD COLUMN original_sha256 BYTEA;

-- the owner is held to row-level security (FORCE, V008): lifted for the backfill, in this transaction
ALTER TABLE ${schema}.ingest_quarantine NO FORCE ROW LEVEL SECURITY;
UPDATE ${schema}.ingest_quarantine
   SET original_sha256 = sha256(decode(replace(original::text, '\', '\\'), 'escape'));
ALTER TABLE ${schema}.ingest_quarantine FORCE ROW LEVEL SECURITY;

CREATE INDEX ingest_quarantine_original_idx
    ON ${schema}.ingest_quarantine (organization_id, original_sha256);
