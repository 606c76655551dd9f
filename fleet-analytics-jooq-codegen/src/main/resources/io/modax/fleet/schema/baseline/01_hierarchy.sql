-- Baseline (equivalent to V001-V014), part 1: the fleet hierarchy. Organizations (tenants), their
-- locations (plants) and devices. Every table carries organization_id, leading its primary and
-- foreign keys, so one tenant's rows stay together and the schema can be distributed by
-- organization without redesign. ${schema} is replaced by the quoted target schema.

CREATE TABLE ${schema}.organizations (
    id          VARCHAR(64)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    -- IANA zone of the organization's head office: the calendar of its executive reports.
    timezone    VARCHAR(64)  NOT NULL DEFAULT 'UTC',
    -- ISO 4217 code of every cost the organization records (events, downtime cost rates).
    currency    CHAR(3)      NOT NULL DEFAULT 'EUR',
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    settings    JSONB        NOT NULL DEFAULT '{}'::jsonb,
    -- raw snapshots before this instant may have been dropped (FleetMaintenance); NULL: none was
    raw_dropped_before TIMESTAMPTZ,
    CONSTRAINT organizations_pk PRIMARY KEY (id),
    CONSTRAINT organizations_id_chk CHECK (id <> ''),
    CONSTRAINT organizations_currency_chk CHECK (currency ~ '^[A-Z]{3}$')
);

CREATE TABLE ${schema}.locations (
    organization_id            VARCHAR(64)  NOT NULL,
    id                         VARCHAR(64)  NOT NULL,
    name                       VARCHAR(255) NOT NULL,
    address                    TEXT,
    -- IANA zone: a location's days, weeks and months are its local calendar ones.
    timezone                   VARCHAR(64)  NOT NULL,
    latitude                   DOUBLE PRECISION,
    longitude                  DOUBLE PRECISION,
    -- Cost of one hour of downtime, in the organization's currency; NULL when unknown.
    downtime_cost_per_hour     NUMERIC(14, 2),
    -- How often the location sends a fleet_metrics snapshot; the base of completeness checks.
    snapshot_interval_seconds  INTEGER      NOT NULL DEFAULT 300,
    -- Free-form shift pattern label (e.g. '3x8-5d', '2x12-7d') for like-for-like comparison.
    shift_pattern              VARCHAR(64),
    -- Host-assigned tags (peer groups, regions, ...).
    tags                       TEXT[]       NOT NULL DEFAULT '{}',
    created_at                 TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT locations_pk PRIMARY KEY (organization_id, id),
    CONSTRAINT locations_organization_fk FOREIGN KEY (organization_id)
        REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
    CONSTRAINT locations_id_chk CHECK (id <> ''),
    CONSTRAINT locations_latitude_chk CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT locations_longitude_chk CHECK (longitude BETWEEN -180 AND 180),
    CONSTRAINT locations_cost_chk CHECK (downtime_cost_per_hour >= 0),
    CONSTRAINT locations_interval_chk CHECK (snapshot_interval_seconds BETWEEN 1 AND 86400)
);

CREATE TABLE ${schema}.devices (
    organization_id  VARCHAR(64)  NOT NULL,
    id               VARCHAR(64)  NOT NULL,
    location_id      VARCHAR(64)  NOT NULL,
    name             VARCHAR(255),
    device_type      VARCHAR(64)  NOT NULL,
    status           VARCHAR(16)  NOT NULL DEFAULT 'active',
    commissioned_at  TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT devices_pk PRIMARY KEY (organization_id, id),
    CONSTRAINT devices_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT devices_id_chk CHECK (id <> ''),
    CONSTRAINT devices_status_chk CHECK (status IN ('active', 'inactive', 'maintenance', 'decommissioned'))
);

CREATE INDEX devices_location_idx ON ${schema}.devices (organization_id, location_id);

COMMENT ON COLUMN ${schema}.organizations.raw_dropped_before IS
    'Raw snapshots of this organization before this instant may have been dropped (FleetMaintenance.dropRawHistoryBefore); the rollups keep them.';

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
