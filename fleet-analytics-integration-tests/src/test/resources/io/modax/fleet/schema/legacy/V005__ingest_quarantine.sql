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
    CONSTRAINT ingest_quarantine_pk PRIMARY KEY (organization_id, id)
);

CREATE INDEX ingest_quarantine_received_idx
    ON ${schema}.ingest_quarantine (organization_id, received_at);
