-- Raw snapshots a location sends: the design's fleet_metrics with its column names, so existing
-- MODAX SQL keeps working, plus what correct aggregation needs.
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

    CONSTRAINT fleet_metrics_pk PRIMARY KEY (organization_id, location_id, "timestamp"),
    CONSTRAINT fleet_metrics_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE,
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

-- On TimescaleDB (the extension is installed in this database) fleet_metrics is a hypertable;
-- on plain PostgreSQL it stays an ordinary table. Queries are the same on both. The installer sets
-- fleet_analytics.use_timescaledb = 'off' when the host disabled TimescaleDB.
DO $$
DECLARE
    ext_schema name;
BEGIN
    SELECT n.nspname INTO ext_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'timescaledb';
    IF ext_schema IS NOT NULL
       AND coalesce(current_setting('fleet_analytics.use_timescaledb', true), '') <> 'off' THEN
        EXECUTE format(
            'SELECT %I.create_hypertable(%L::regclass, %L, chunk_time_interval => interval %L, if_not_exists => true, migrate_data => true)',
            ext_schema, '${schema}.fleet_metrics', 'timestamp', '7 days');
    END IF;
END
$$;

-- Per-row additive components: the one place where a snapshot's ratios are turned into
-- exposure-weighted sums. Rollups are sums of these columns; so are exact reads of raw rows.
--   elapsed hours   = production + downtime hours (the planned production time when no raw
--                     components are sent)
--   uptime          weighted by elapsed hours            (uptime = run time / planned time)
--   OEE             weighted by planned production time  (fully productive time / planned time)
--   efficiency      weighted by production (run) hours   (performance is relative to run time)
--   energy          weighted by production hours         (kWh per production hour)
--   MTBF            production hours / failures
--   MTTR            repair hours / failures, repair hours = mttr x failures
-- A NULL ratio contributes to neither numerator nor weight.
CREATE VIEW ${schema}.fleet_metrics_components AS
SELECT m.organization_id,
       m.location_id,
       m."timestamp",
       m.interval_seconds,
       m.device_count,
       m.total_production_hours                                        AS production_hours,
       m.total_downtime_hours                                          AS downtime_hours,
       m.total_failures                                                AS failures,
       m.avg_uptime * (m.total_production_hours + m.total_downtime_hours) AS uptime_weighted_hours,
       CASE WHEN m.avg_uptime IS NOT NULL
            THEN m.total_production_hours + m.total_downtime_hours END AS uptime_exposure_hours,
       CASE WHEN c.complete THEN m.ideal_cycle_time_seconds * m.good_count / 3600.0
            ELSE m.oee * (m.total_production_hours + m.total_downtime_hours) END AS oee_productive_hours,
       CASE WHEN c.complete THEN m.planned_production_hours
            WHEN m.oee IS NOT NULL THEN m.total_production_hours + m.total_downtime_hours END AS oee_planned_hours,
       m.avg_efficiency * m.total_production_hours                     AS efficiency_weighted_hours,
       CASE WHEN m.avg_efficiency IS NOT NULL THEN m.total_production_hours END AS efficiency_exposure_hours,
       m.avg_energy_consumption * m.total_production_hours             AS energy_kwh,
       CASE WHEN m.avg_energy_consumption IS NOT NULL THEN m.total_production_hours END AS energy_exposure_hours,
       CASE WHEN m.total_failures IS NOT NULL THEN m.total_production_hours END AS failure_exposure_hours,
       m.mttr * m.total_failures                                       AS repair_hours,
       CASE WHEN m.mttr IS NOT NULL THEN m.total_failures END          AS repaired_failures,
       CASE WHEN c.complete THEN m.planned_production_hours END        AS component_planned_hours,
       CASE WHEN c.complete THEN m.run_hours END                       AS component_run_hours,
       CASE WHEN c.complete THEN m.ideal_cycle_time_seconds * m.total_count / 3600.0 END AS component_ideal_hours,
       CASE WHEN c.complete THEN m.total_count END                     AS component_total_count,
       CASE WHEN c.complete THEN m.good_count END                      AS component_good_count,
       -- the design's plain per-row values, for SEED_COMPATIBLE averages
       m.avg_uptime,
       m.avg_efficiency,
       m.avg_energy_consumption,
       m.oee,
       m.mtbf,
       m.mttr
  FROM ${schema}.fleet_metrics m
 CROSS JOIN LATERAL (
       SELECT m.planned_production_hours IS NOT NULL AND m.run_hours IS NOT NULL
          AND m.ideal_cycle_time_seconds IS NOT NULL AND m.total_count IS NOT NULL
          AND m.good_count IS NOT NULL AS complete) c;
