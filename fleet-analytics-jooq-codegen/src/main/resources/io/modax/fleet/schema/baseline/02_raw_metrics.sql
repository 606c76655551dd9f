-- Baseline, part 2: the raw snapshots a location sends. The design's fleet_metrics with its column
-- names, so existing MODAX SQL keeps working, plus what correct aggregation needs.
--
-- A row describes the interval [timestamp, timestamp + interval_seconds) at one location, summed
-- over the devices that reported (device_count). Ratios are in [0, 1]; hours are device-hours.
-- location_id is NOT NULL: organization-level figures are derived from location rows, never stored.

CREATE TABLE ${schema}.fleet_metrics (
    "timestamp"               TIMESTAMPTZ      NOT NULL,
    organization_id           VARCHAR(64)      NOT NULL,
    location_id               VARCHAR(64)      NOT NULL,
    interval_seconds          INTEGER          NOT NULL DEFAULT 300,
    device_count              INTEGER,

    -- Performance (the design's columns)
    avg_uptime                DOUBLE PRECISION,
    avg_efficiency            DOUBLE PRECISION,
    -- kWh per production hour (energy intensity); lower is better.
    avg_energy_consumption    DOUBLE PRECISION,

    -- Maintenance
    total_failures            INTEGER,
    mtbf                      DOUBLE PRECISION,
    mttr                      DOUBLE PRECISION,

    -- Operational
    total_production_hours    DOUBLE PRECISION,
    total_downtime_hours      DOUBLE PRECISION,
    oee                       DOUBLE PRECISION,

    -- Optional raw OEE components; when all five are present OEE is computed exactly from them.
    planned_production_hours  DOUBLE PRECISION,
    run_hours                 DOUBLE PRECISION,
    ideal_cycle_time_seconds  DOUBLE PRECISION,
    total_count               BIGINT,
    good_count                BIGINT,

    ingested_at               TIMESTAMPTZ      NOT NULL DEFAULT now(),

    -- The database's own last line of defence; the writer quarantines such rows before they get
    -- here. NaN compares greater than every number in PostgreSQL, so "< 'Infinity'" rejects it.
    CONSTRAINT fleet_metrics_interval_chk CHECK (interval_seconds BETWEEN 1 AND 86400),
    CONSTRAINT fleet_metrics_device_count_chk CHECK (device_count >= 0),
    CONSTRAINT fleet_metrics_ratios_chk CHECK (
        avg_uptime BETWEEN 0 AND 1 AND avg_efficiency BETWEEN 0 AND 1 AND oee BETWEEN 0 AND 1),
    CONSTRAINT fleet_metrics_non_negative_chk CHECK (
        avg_energy_consumption >= 0 AND avg_energy_consumption < 'Infinity'
        AND total_failures >= 0
        AND mtbf >= 0 AND mtbf < 'Infinity'
        AND mttr >= 0 AND mttr < 'Infinity'
        AND total_production_hours >= 0 AND total_production_hours < 'Infinity'
        AND total_downtime_hours >= 0 AND total_downtime_hours < 'Infinity'
        AND planned_production_hours >= 0 AND planned_production_hours < 'Infinity'
        AND run_hours >= 0 AND run_hours < 'Infinity'
        AND ideal_cycle_time_seconds >= 0 AND ideal_cycle_time_seconds < 'Infinity'
        AND total_count >= 0 AND good_count >= 0 AND good_count <= total_count)
);

-- Where the raw rows live:
--   TimescaleDB (the extension is installed, and the installer did not set
--   fleet_analytics.use_timescaledb = 'off'): a hypertable with 7-day chunks;
--   Citus: an ordinary table, distributed by organization after the migration;
--   plain PostgreSQL: partitioned by "timestamp", one partition per UTC calendar month
--   (fleet_metrics_yYYYYmMM, made by fleet_create_raw_partition, definitions/raw_history.sql) and a
--   default partition for months without one, so that no write ever fails for want of a
--   partition. Partitions are reached through fleet_metrics only: no role but the owner has a
--   privilege on one.
DO $$
DECLARE
    ext_schema NAME;
    grantee TEXT;
BEGIN
    SELECT n.nspname INTO ext_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'timescaledb';
    IF ext_schema IS NOT NULL
       AND coalesce(current_setting('fleet_analytics.use_timescaledb', true), '') <> 'off' THEN
        EXECUTE format(
            'SELECT %I.create_hypertable(%L::regclass, %L, chunk_time_interval => interval %L, if_not_exists => true, migrate_data => true)',
            ext_schema, '${schema}.fleet_metrics', 'timestamp', '7 days');
    ELSIF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        ALTER TABLE ${schema}.fleet_metrics RENAME TO fleet_metrics_unpartitioned;
        CREATE TABLE ${schema}.fleet_metrics (
            LIKE ${schema}.fleet_metrics_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS
        ) PARTITION BY RANGE ("timestamp");
        DROP TABLE ${schema}.fleet_metrics_unpartitioned;
        CREATE TABLE ${schema}.fleet_metrics_default PARTITION OF ${schema}.fleet_metrics DEFAULT;
        REVOKE ALL ON ${schema}.fleet_metrics_default FROM PUBLIC;
        FOR grantee IN SELECT DISTINCT a.grantee::regrole::text
                         FROM pg_class c, aclexplode(c.relacl) a
                        WHERE c.oid = '${schema}.fleet_metrics_default'::regclass
                          AND a.grantee <> c.relowner AND a.grantee <> 0 LOOP
            EXECUTE format('REVOKE ALL ON ${schema}.fleet_metrics_default FROM %s', grantee);
        END LOOP;
    END IF;
END
$$;

ALTER TABLE ${schema}.fleet_metrics
    ADD CONSTRAINT fleet_metrics_pk PRIMARY KEY (organization_id, location_id, "timestamp"),
    ADD CONSTRAINT fleet_metrics_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE;

-- Where raw history was dropped for every organization at once (TimescaleDB chunk drops and the
-- retention policy, PostgreSQL partitions; recorded by fleet_record_raw_drop): kept as the bodies
-- of two functions, not in a table, because every table of the schema but the migration history
-- holds one organization's rows under row-level security, and these belong to none. They are
-- state, not code: defined here once and rewritten only by fleet_record_raw_drop, never by a
-- re-applied definition.
CREATE FUNCTION ${schema}.fleet_raw_dropped_before()
RETURNS TIMESTAMPTZ LANGUAGE sql STABLE AS $fn$ SELECT NULL::timestamptz $fn$;

CREATE FUNCTION ${schema}.fleet_raw_retention_drop_after()
RETURNS INTERVAL LANGUAGE sql STABLE AS $fn$ SELECT NULL::interval $fn$;
