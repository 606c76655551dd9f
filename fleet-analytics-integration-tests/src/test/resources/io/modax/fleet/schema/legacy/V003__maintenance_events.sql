-- Maintenance and failure events a location sends, with the spare parts each one used.

CREATE TABLE ${schema}.maintenance_events (
    organization_id  VARCHAR(64)      NOT NULL,
    -- The id the location gives the event: sending the same event twice changes nothing.
    id               VARCHAR(64)      NOT NULL,
    location_id      VARCHAR(64)      NOT NULL,
    device_id        VARCHAR(64),
    occurred_at      TIMESTAMPTZ      NOT NULL,
    -- 'failure' (always unplanned) or 'maintenance' (planned or unplanned)
    event_type       VARCHAR(16)      NOT NULL,
    planned          BOOLEAN          NOT NULL,
    -- Hours from the start of the repair until the equipment is back in service.
    repair_hours     DOUBLE PRECISION,
    -- In the organization's currency.
    cost             NUMERIC(14, 2),
    description      TEXT,
    ingested_at      TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT maintenance_events_pk PRIMARY KEY (organization_id, id),
    CONSTRAINT maintenance_events_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT maintenance_events_device_fk FOREIGN KEY (organization_id, device_id)
        REFERENCES ${schema}.devices (organization_id, id) ON DELETE SET NULL (device_id),
    CONSTRAINT maintenance_events_id_chk CHECK (id <> ''),
    CONSTRAINT maintenance_events_type_chk CHECK (event_type IN ('failure', 'maintenance')),
    CONSTRAINT maintenance_events_failure_unplanned_chk CHECK (NOT (event_type = 'failure' AND planned)),
    CONSTRAINT maintenance_events_repair_chk CHECK (repair_hours >= 0 AND repair_hours < 'Infinity'),
    CONSTRAINT maintenance_events_cost_chk CHECK (cost >= 0)
);

CREATE INDEX maintenance_events_location_time_idx
    ON ${schema}.maintenance_events (organization_id, location_id, occurred_at);
CREATE INDEX maintenance_events_time_idx
    ON ${schema}.maintenance_events (organization_id, occurred_at);

CREATE TABLE ${schema}.maintenance_event_parts (
    organization_id  VARCHAR(64)  NOT NULL,
    event_id         VARCHAR(64)  NOT NULL,
    part_number      VARCHAR(64)  NOT NULL,
    quantity         INTEGER      NOT NULL,
    CONSTRAINT maintenance_event_parts_pk PRIMARY KEY (organization_id, event_id, part_number),
    CONSTRAINT maintenance_event_parts_event_fk FOREIGN KEY (organization_id, event_id)
        REFERENCES ${schema}.maintenance_events (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT maintenance_event_parts_part_chk CHECK (part_number <> ''),
    CONSTRAINT maintenance_event_parts_quantity_chk CHECK (quantity > 0)
);
