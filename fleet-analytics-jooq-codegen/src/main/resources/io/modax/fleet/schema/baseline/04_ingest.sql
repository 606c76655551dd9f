-- Baseline, part 4: ingest bookkeeping.
--
-- Rows the writer refused, with the reason and the values exactly as they were sent: nothing a
-- location sends is silently dropped. organization_id is the id the row claimed ('' when it named
-- none); it is not a foreign key, because rows for unknown organizations are kept here too.

CREATE TABLE ${schema}.ingest_quarantine (
    organization_id  TEXT         NOT NULL,
    id               BIGINT       GENERATED ALWAYS AS IDENTITY,
    received_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- 'fleet_metrics', 'device', 'maintenance_event', 'location', 'organization'
    record_type      VARCHAR(32)  NOT NULL,
    location_id      TEXT,
    -- stable machine-readable code, e.g. NON_FINITE, RATIO_OUT_OF_RANGE, UNKNOWN_LOCATION
    reason_code      VARCHAR(64)  NOT NULL,
    -- the rule and the offending value, for a person
    reason           TEXT         NOT NULL,
    original         JSONB        NOT NULL,
    -- which write put the row here
    batch_id         UUID,
    CONSTRAINT ingest_quarantine_pk PRIMARY KEY (organization_id, id)
);

CREATE INDEX ingest_quarantine_received_idx
    ON ${schema}.ingest_quarantine (organization_id, received_at);

-- Exactly-once bookkeeping for the writer, and what the data-quality report reads.
--
-- Every chunk the writer stores is one transaction with a random batch id. It records the batch
-- and its counts here in that same transaction, so when the connection is lost after the commit
-- but before the acknowledgement arrived, the retry finds the batch, changes nothing and returns
-- the counts of the attempt that did commit: no row, quarantined ones included, is stored twice.
-- Rows older than a day are purged by the writer (a retry comes within seconds).

CREATE TABLE ${schema}.ingest_batches (
    organization_id  VARCHAR(64)  NOT NULL,
    batch_id         UUID         NOT NULL,
    committed_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    record_type      VARCHAR(32)  NOT NULL,
    submitted        BIGINT       NOT NULL,
    inserted         BIGINT       NOT NULL,
    updated          BIGINT       NOT NULL,
    unchanged        BIGINT       NOT NULL,
    -- {"REASON_CODE": count, ...}
    quarantined      JSONB        NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT ingest_batches_pk PRIMARY KEY (organization_id, batch_id)
);

CREATE INDEX ingest_batches_committed_idx ON ${schema}.ingest_batches (organization_id, committed_at);

-- The data-quality report counts a location's quarantined rows by reason over a window.
CREATE INDEX ingest_quarantine_location_idx
    ON ${schema}.ingest_quarantine (organization_id, location_id, received_at);
