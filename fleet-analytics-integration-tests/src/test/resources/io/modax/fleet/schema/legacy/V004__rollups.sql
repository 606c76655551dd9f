-- Rollups maintained by the library on both backends (plain PostgreSQL and TimescaleDB), so what CI
-- tests is what TimescaleDB users run. They store only additive components (sums and counts), so any
-- coarser bucket, any set of locations and any period re-aggregates exactly by summing them; the
-- design's ratio columns (avg_uptime, oee, mtbf, ...) are kept under their old names as generated
-- ratio-of-sums columns so existing SQL and Grafana panels keep working, now with correct values.
--
-- fleet_metrics_hourly: UTC hours [hour, hour + 1 h).
-- fleet_metrics_daily:  the location's local calendar day [day, day_end): 23, 24 or 25 hours.
--
-- Maintenance: the library's writer refreshes the buckets it touched in the same transaction.
-- Changes made with other SQL mark their hours in fleet_rollup_dirty (a row trigger) and are
-- folded in by refresh_dirty_fleet_rollups(org), which the library calls before it reads.

-- The one definition of a bucket's component sums, over raw rows in [p_from, p_to).
CREATE FUNCTION ${schema}.fleet_metrics_component_sums(
    p_organization_id VARCHAR, p_location_id VARCHAR, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (
    snapshot_count BIGINT,
    total_production_hours DOUBLE PRECISION,
    total_downtime_hours DOUBLE PRECISION,
    total_failures BIGINT,
    uptime_weighted_hours DOUBLE PRECISION,
    uptime_exposure_hours DOUBLE PRECISION,
    oee_productive_hours DOUBLE PRECISION,
    oee_planned_hours DOUBLE PRECISION,
    efficiency_weighted_hours DOUBLE PRECISION,
    efficiency_exposure_hours DOUBLE PRECISION,
    energy_kwh DOUBLE PRECISION,
    energy_exposure_hours DOUBLE PRECISION,
    failure_exposure_hours DOUBLE PRECISION,
    repair_hours DOUBLE PRECISION,
    repaired_failures BIGINT,
    component_planned_hours DOUBLE PRECISION,
    component_run_hours DOUBLE PRECISION,
    component_ideal_hours DOUBLE PRECISION,
    component_total_count BIGINT,
    component_good_count BIGINT,
    seed_uptime_sum DOUBLE PRECISION,
    seed_uptime_count BIGINT,
    seed_efficiency_sum DOUBLE PRECISION,
    seed_efficiency_count BIGINT,
    seed_energy_sum DOUBLE PRECISION,
    seed_energy_count BIGINT,
    seed_oee_sum DOUBLE PRECISION,
    seed_oee_count BIGINT,
    seed_mtbf_sum DOUBLE PRECISION,
    seed_mtbf_count BIGINT,
    seed_mttr_sum DOUBLE PRECISION,
    seed_mttr_count BIGINT)
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    SELECT
           count(*) AS snapshot_count,
           coalesce(sum(c.production_hours), 0)::double precision AS total_production_hours,
           coalesce(sum(c.downtime_hours), 0)::double precision AS total_downtime_hours,
           coalesce(sum(c.failures), 0)::bigint AS total_failures,
           coalesce(sum(c.uptime_weighted_hours), 0)::double precision AS uptime_weighted_hours,
           coalesce(sum(c.uptime_exposure_hours), 0)::double precision AS uptime_exposure_hours,
           coalesce(sum(c.oee_productive_hours), 0)::double precision AS oee_productive_hours,
           coalesce(sum(c.oee_planned_hours), 0)::double precision AS oee_planned_hours,
           coalesce(sum(c.efficiency_weighted_hours), 0)::double precision AS efficiency_weighted_hours,
           coalesce(sum(c.efficiency_exposure_hours), 0)::double precision AS efficiency_exposure_hours,
           coalesce(sum(c.energy_kwh), 0)::double precision AS energy_kwh,
           coalesce(sum(c.energy_exposure_hours), 0)::double precision AS energy_exposure_hours,
           coalesce(sum(c.failure_exposure_hours), 0)::double precision AS failure_exposure_hours,
           coalesce(sum(c.repair_hours), 0)::double precision AS repair_hours,
           coalesce(sum(c.repaired_failures), 0)::bigint AS repaired_failures,
           coalesce(sum(c.component_planned_hours), 0)::double precision AS component_planned_hours,
           coalesce(sum(c.component_run_hours), 0)::double precision AS component_run_hours,
           coalesce(sum(c.component_ideal_hours), 0)::double precision AS component_ideal_hours,
           coalesce(sum(c.component_total_count), 0)::bigint AS component_total_count,
           coalesce(sum(c.component_good_count), 0)::bigint AS component_good_count,
           coalesce(sum(c.avg_uptime), 0)::double precision AS seed_uptime_sum,
           count(c.avg_uptime) AS seed_uptime_count,
           coalesce(sum(c.avg_efficiency), 0)::double precision AS seed_efficiency_sum,
           count(c.avg_efficiency) AS seed_efficiency_count,
           coalesce(sum(c.avg_energy_consumption), 0)::double precision AS seed_energy_sum,
           count(c.avg_energy_consumption) AS seed_energy_count,
           coalesce(sum(c.oee), 0)::double precision AS seed_oee_sum,
           count(c.oee) AS seed_oee_count,
           coalesce(sum(c.mtbf), 0)::double precision AS seed_mtbf_sum,
           count(c.mtbf) AS seed_mtbf_count,
           coalesce(sum(c.mttr), 0)::double precision AS seed_mttr_sum,
           count(c.mttr) AS seed_mttr_count
      FROM ${schema}.fleet_metrics_components c
     WHERE c.organization_id = p_organization_id
       AND c.location_id = p_location_id
       AND c."timestamp" >= p_from
       AND c."timestamp" < p_to
$fn$;

CREATE TABLE ${schema}.fleet_metrics_hourly (
    organization_id             VARCHAR(64) NOT NULL,
    location_id                 VARCHAR(64) NOT NULL,
    hour                        TIMESTAMPTZ NOT NULL,
    snapshot_count              BIGINT NOT NULL,
    total_production_hours      DOUBLE PRECISION NOT NULL,
    total_downtime_hours        DOUBLE PRECISION NOT NULL,
    total_failures              BIGINT NOT NULL,
    uptime_weighted_hours       DOUBLE PRECISION NOT NULL,
    uptime_exposure_hours       DOUBLE PRECISION NOT NULL,
    oee_productive_hours        DOUBLE PRECISION NOT NULL,
    oee_planned_hours           DOUBLE PRECISION NOT NULL,
    efficiency_weighted_hours   DOUBLE PRECISION NOT NULL,
    efficiency_exposure_hours   DOUBLE PRECISION NOT NULL,
    energy_kwh                  DOUBLE PRECISION NOT NULL,
    energy_exposure_hours       DOUBLE PRECISION NOT NULL,
    failure_exposure_hours      DOUBLE PRECISION NOT NULL,
    repair_hours                DOUBLE PRECISION NOT NULL,
    repaired_failures           BIGINT NOT NULL,
    component_planned_hours     DOUBLE PRECISION NOT NULL,
    component_run_hours         DOUBLE PRECISION NOT NULL,
    component_ideal_hours       DOUBLE PRECISION NOT NULL,
    component_total_count       BIGINT NOT NULL,
    component_good_count        BIGINT NOT NULL,
    seed_uptime_sum             DOUBLE PRECISION NOT NULL,
    seed_uptime_count           BIGINT NOT NULL,
    seed_efficiency_sum         DOUBLE PRECISION NOT NULL,
    seed_efficiency_count       BIGINT NOT NULL,
    seed_energy_sum             DOUBLE PRECISION NOT NULL,
    seed_energy_count           BIGINT NOT NULL,
    seed_oee_sum                DOUBLE PRECISION NOT NULL,
    seed_oee_count              BIGINT NOT NULL,
    seed_mtbf_sum               DOUBLE PRECISION NOT NULL,
    seed_mtbf_count             BIGINT NOT NULL,
    seed_mttr_sum               DOUBLE PRECISION NOT NULL,
    seed_mttr_count             BIGINT NOT NULL,
    avg_uptime                  DOUBLE PRECISION GENERATED ALWAYS AS (uptime_weighted_hours / NULLIF(uptime_exposure_hours, 0)) STORED,
    avg_efficiency              DOUBLE PRECISION GENERATED ALWAYS AS (efficiency_weighted_hours / NULLIF(efficiency_exposure_hours, 0)) STORED,
    avg_energy_consumption      DOUBLE PRECISION GENERATED ALWAYS AS (energy_kwh / NULLIF(energy_exposure_hours, 0)) STORED,
    oee                         DOUBLE PRECISION GENERATED ALWAYS AS (oee_productive_hours / NULLIF(oee_planned_hours, 0)) STORED,
    mtbf                        DOUBLE PRECISION GENERATED ALWAYS AS (failure_exposure_hours / NULLIF(total_failures, 0)) STORED,
    mttr                        DOUBLE PRECISION GENERATED ALWAYS AS (repair_hours / NULLIF(repaired_failures, 0)) STORED,
    CONSTRAINT fleet_metrics_hourly_pk PRIMARY KEY (organization_id, location_id, hour),
    CONSTRAINT fleet_metrics_hourly_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_metrics_hourly_time_idx ON ${schema}.fleet_metrics_hourly (organization_id, hour);

CREATE TABLE ${schema}.fleet_metrics_daily (
    organization_id             VARCHAR(64) NOT NULL,
    location_id                 VARCHAR(64) NOT NULL,
    -- the local calendar date and the instants it starts and ends in the location's zone
    local_date                  DATE        NOT NULL,
    day                         TIMESTAMPTZ NOT NULL,
    day_end                     TIMESTAMPTZ NOT NULL,
    time_zone                   VARCHAR(64) NOT NULL,
    snapshot_count              BIGINT NOT NULL,
    total_production_hours      DOUBLE PRECISION NOT NULL,
    total_downtime_hours        DOUBLE PRECISION NOT NULL,
    total_failures              BIGINT NOT NULL,
    uptime_weighted_hours       DOUBLE PRECISION NOT NULL,
    uptime_exposure_hours       DOUBLE PRECISION NOT NULL,
    oee_productive_hours        DOUBLE PRECISION NOT NULL,
    oee_planned_hours           DOUBLE PRECISION NOT NULL,
    efficiency_weighted_hours   DOUBLE PRECISION NOT NULL,
    efficiency_exposure_hours   DOUBLE PRECISION NOT NULL,
    energy_kwh                  DOUBLE PRECISION NOT NULL,
    energy_exposure_hours       DOUBLE PRECISION NOT NULL,
    failure_exposure_hours      DOUBLE PRECISION NOT NULL,
    repair_hours                DOUBLE PRECISION NOT NULL,
    repaired_failures           BIGINT NOT NULL,
    component_planned_hours     DOUBLE PRECISION NOT NULL,
    component_run_hours         DOUBLE PRECISION NOT NULL,
    component_ideal_hours       DOUBLE PRECISION NOT NULL,
    component_total_count       BIGINT NOT NULL,
    component_good_count        BIGINT NOT NULL,
    seed_uptime_sum             DOUBLE PRECISION NOT NULL,
    seed_uptime_count           BIGINT NOT NULL,
    seed_efficiency_sum         DOUBLE PRECISION NOT NULL,
    seed_efficiency_count       BIGINT NOT NULL,
    seed_energy_sum             DOUBLE PRECISION NOT NULL,
    seed_energy_count           BIGINT NOT NULL,
    seed_oee_sum                DOUBLE PRECISION NOT NULL,
    seed_oee_count              BIGINT NOT NULL,
    seed_mtbf_sum               DOUBLE PRECISION NOT NULL,
    seed_mtbf_count             BIGINT NOT NULL,
    seed_mttr_sum               DOUBLE PRECISION NOT NULL,
    seed_mttr_count             BIGINT NOT NULL,
    avg_uptime                  DOUBLE PRECISION GENERATED ALWAYS AS (uptime_weighted_hours / NULLIF(uptime_exposure_hours, 0)) STORED,
    avg_efficiency              DOUBLE PRECISION GENERATED ALWAYS AS (efficiency_weighted_hours / NULLIF(efficiency_exposure_hours, 0)) STORED,
    avg_energy_consumption      DOUBLE PRECISION GENERATED ALWAYS AS (energy_kwh / NULLIF(energy_exposure_hours, 0)) STORED,
    oee                         DOUBLE PRECISION GENERATED ALWAYS AS (oee_productive_hours / NULLIF(oee_planned_hours, 0)) STORED,
    mtbf                        DOUBLE PRECISION GENERATED ALWAYS AS (failure_exposure_hours / NULLIF(total_failures, 0)) STORED,
    mttr                        DOUBLE PRECISION GENERATED ALWAYS AS (repair_hours / NULLIF(repaired_failures, 0)) STORED,
    CONSTRAINT fleet_metrics_daily_pk PRIMARY KEY (organization_id, location_id, local_date),
    CONSTRAINT fleet_metrics_daily_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_metrics_daily_time_idx ON ${schema}.fleet_metrics_daily (organization_id, day);

-- Hours changed by SQL that did not maintain the rollups itself.
CREATE TABLE ${schema}.fleet_rollup_dirty (
    organization_id  VARCHAR(64) NOT NULL,
    location_id      VARCHAR(64) NOT NULL,
    hour             TIMESTAMPTZ NOT NULL,
    marked_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT fleet_rollup_dirty_pk PRIMARY KEY (organization_id, location_id, hour)
);

-- The advisory lock that serializes writers and rollup refreshes of one location.
CREATE FUNCTION ${schema}.fleet_location_lock_key(p_organization_id VARCHAR, p_location_id VARCHAR)
RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT hashtextextended('fleet-analytics/' || p_organization_id || '/' || p_location_id, 0) $fn$;

-- Takes the transaction-scoped advisory locks of the given locations, always in the same (key)
-- order so that two lockers cannot deadlock. Writers take them before writing raw rows; refreshes
-- before recomputing buckets. Re-entrant within a transaction.
CREATE FUNCTION ${schema}.lock_fleet_locations(p_organization_id VARCHAR, p_location_ids VARCHAR[])
RETURNS VOID
LANGUAGE plpgsql
AS $fn$
DECLARE
    k BIGINT;
BEGIN
    FOR k IN SELECT DISTINCT ${schema}.fleet_location_lock_key(p_organization_id, l)
               FROM unnest(p_location_ids) AS u(l)
              WHERE l IS NOT NULL
              ORDER BY 1
    LOOP
        PERFORM pg_advisory_xact_lock(k);
    END LOOP;
END
$fn$;

-- The local calendar days (in each location's zone) that the given UTC hours touch: one per hour,
-- or two where the zone's offset is not a whole number of hours.
CREATE FUNCTION ${schema}.fleet_local_days_of_hours(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_hours TIMESTAMPTZ[])
RETURNS TABLE (location_id VARCHAR, local_date DATE, time_zone VARCHAR,
               day_start TIMESTAMPTZ, day_end TIMESTAMPTZ)
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    SELECT DISTINCT k.location_id, x.local_date, l.timezone,
           (x.local_date::timestamp AT TIME ZONE l.timezone),
           ((x.local_date + 1)::timestamp AT TIME ZONE l.timezone)
      FROM unnest(p_location_ids, p_hours) AS k(location_id, hour)
      JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = k.location_id
     CROSS JOIN LATERAL (VALUES ((k.hour AT TIME ZONE l.timezone)::date),
           (((k.hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE l.timezone)::date)) x(local_date)
$fn$;

-- Recomputes, from the raw rows, every hourly bucket containing one of p_times and every local day
-- overlapping those hours, for the paired locations (p_location_ids[i] with p_times[i]).
-- Returns the number of hourly buckets refreshed.
CREATE FUNCTION ${schema}.refresh_fleet_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_times TIMESTAMPTZ[])
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    k_locations VARCHAR[];
    k_hours TIMESTAMPTZ[];
BEGIN
    SELECT array_agg(l ORDER BY l, h), array_agg(h ORDER BY l, h) INTO k_locations, k_hours
      FROM (SELECT DISTINCT u.l, date_bin('1 hour', u.t, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS h
              FROM unnest(p_location_ids, p_times) AS u(l, t)
             WHERE u.l IS NOT NULL AND u.t IS NOT NULL) k;
    IF k_locations IS NULL THEN
        RETURN 0;
    END IF;

    PERFORM ${schema}.lock_fleet_locations(p_organization_id, k_locations);

    DELETE FROM ${schema}.fleet_metrics_hourly h
     USING unnest(k_locations, k_hours) AS k(location_id, hour)
     WHERE h.organization_id = p_organization_id AND h.location_id = k.location_id AND h.hour = k.hour;
    INSERT INTO ${schema}.fleet_metrics_hourly (organization_id, location_id, hour, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, k.location_id, k.hour, s.snapshot_count, s.total_production_hours, s.total_downtime_hours, s.total_failures, s.uptime_weighted_hours, s.uptime_exposure_hours, s.oee_productive_hours, s.oee_planned_hours, s.efficiency_weighted_hours, s.efficiency_exposure_hours, s.energy_kwh, s.energy_exposure_hours, s.failure_exposure_hours, s.repair_hours, s.repaired_failures, s.component_planned_hours, s.component_run_hours, s.component_ideal_hours, s.component_total_count, s.component_good_count, s.seed_uptime_sum, s.seed_uptime_count, s.seed_efficiency_sum, s.seed_efficiency_count, s.seed_energy_sum, s.seed_energy_count, s.seed_oee_sum, s.seed_oee_count, s.seed_mtbf_sum, s.seed_mtbf_count, s.seed_mttr_sum, s.seed_mttr_count
      FROM unnest(k_locations, k_hours) AS k(location_id, hour)
     CROSS JOIN LATERAL ${schema}.fleet_metrics_component_sums(
           p_organization_id, k.location_id, k.hour, k.hour + interval '1 hour') s
     WHERE s.snapshot_count > 0;

    DELETE FROM ${schema}.fleet_metrics_daily d
     USING ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days
     WHERE d.organization_id = p_organization_id AND d.location_id = days.location_id
       AND d.local_date = days.local_date;
    INSERT INTO ${schema}.fleet_metrics_daily (
           organization_id, location_id, local_date, day, day_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, days.location_id, days.local_date, days.day_start, days.day_end, days.time_zone,
           s.snapshot_count, s.total_production_hours, s.total_downtime_hours, s.total_failures, s.uptime_weighted_hours, s.uptime_exposure_hours, s.oee_productive_hours, s.oee_planned_hours, s.efficiency_weighted_hours, s.efficiency_exposure_hours, s.energy_kwh, s.energy_exposure_hours, s.failure_exposure_hours, s.repair_hours, s.repaired_failures, s.component_planned_hours, s.component_run_hours, s.component_ideal_hours, s.component_total_count, s.component_good_count, s.seed_uptime_sum, s.seed_uptime_count, s.seed_efficiency_sum, s.seed_efficiency_count, s.seed_energy_sum, s.seed_energy_count, s.seed_oee_sum, s.seed_oee_count, s.seed_mtbf_sum, s.seed_mtbf_count, s.seed_mttr_sum, s.seed_mttr_count
      FROM ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days
     CROSS JOIN LATERAL ${schema}.fleet_metrics_component_sums(
           p_organization_id, days.location_id, days.day_start, days.day_end) s
     WHERE s.snapshot_count > 0;

    RETURN cardinality(k_hours);
END
$fn$;

-- Recomputes every rollup bucket of one location that overlaps [p_from, p_to), and drops daily
-- buckets of that location in the range whose local dates no longer match (time zone changed).
CREATE FUNCTION ${schema}.refresh_fleet_rollups_range(
    p_organization_id VARCHAR, p_location_id VARCHAR, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    hours TIMESTAMPTZ[];
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_to <= p_from THEN
        RETURN 0;
    END IF;
    PERFORM ${schema}.lock_fleet_locations(p_organization_id, ARRAY[p_location_id]);
    DELETE FROM ${schema}.fleet_metrics_daily d
     WHERE d.organization_id = p_organization_id AND d.location_id = p_location_id
       AND d.day_end > p_from AND d.day < p_to;
    SELECT array_agg(h) INTO hours
      FROM generate_series(date_bin('1 hour', p_from, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
                           p_to - interval '1 microsecond', interval '1 hour') AS g(h);
    RETURN ${schema}.refresh_fleet_rollups(
        p_organization_id, array_fill(p_location_id, ARRAY[coalesce(cardinality(hours), 0)]), hours);
END
$fn$;

-- Folds the hours marked by the trigger into the rollups. Returns the number of hours refreshed.
CREATE FUNCTION ${schema}.refresh_dirty_fleet_rollups(p_organization_id VARCHAR)
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    locs VARCHAR[];
    hrs TIMESTAMPTZ[];
BEGIN
    WITH taken AS (
        DELETE FROM ${schema}.fleet_rollup_dirty
         WHERE organization_id = p_organization_id
        RETURNING location_id, hour)
    SELECT array_agg(location_id), array_agg(hour) INTO locs, hrs FROM taken;
    IF locs IS NULL THEN
        RETURN 0;
    END IF;
    RETURN ${schema}.refresh_fleet_rollups(p_organization_id, locs, hrs);
END
$fn$;

CREATE FUNCTION ${schema}.mark_fleet_rollups_dirty()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ${schema}.fleet_rollup_dirty (organization_id, location_id, hour)
        VALUES (NEW.organization_id, NEW.location_id,
                date_bin('1 hour', NEW."timestamp", TIMESTAMPTZ '2000-01-01 00:00:00+00'))
        ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO ${schema}.fleet_rollup_dirty (organization_id, location_id, hour)
        VALUES (OLD.organization_id, OLD.location_id,
                date_bin('1 hour', OLD."timestamp", TIMESTAMPTZ '2000-01-01 00:00:00+00'))
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$fn$;

-- The library's writer sets fleet_analytics.rollups_maintained = 'on' for its own transactions
-- (it refreshes exactly the buckets it touched); every other change is marked.
CREATE TRIGGER fleet_metrics_mark_rollups_dirty
    AFTER INSERT OR UPDATE OR DELETE ON ${schema}.fleet_metrics
    FOR EACH ROW
    WHEN (current_setting('fleet_analytics.rollups_maintained', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ${schema}.mark_fleet_rollups_dirty();

CREATE FUNCTION ${schema}.clear_fleet_rollups()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- DELETE, not TRUNCATE: the rollups may be part of the same TRUNCATE statement.
    DELETE FROM ${schema}.fleet_metrics_hourly;
    DELETE FROM ${schema}.fleet_metrics_daily;
    DELETE FROM ${schema}.fleet_rollup_dirty;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER fleet_metrics_truncate_rollups
    AFTER TRUNCATE ON ${schema}.fleet_metrics
    FOR EACH STATEMENT
    EXECUTE FUNCTION ${schema}.clear_fleet_rollups();

-- A location's days follow its zone: when the zone changes, its daily buckets are rebuilt.
CREATE FUNCTION ${schema}.rebuild_daily_rollups_on_zone_change()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    first_ts TIMESTAMPTZ;
    last_ts TIMESTAMPTZ;
BEGIN
    SELECT min("timestamp"), max("timestamp") INTO first_ts, last_ts
      FROM ${schema}.fleet_metrics
     WHERE organization_id = NEW.organization_id AND location_id = NEW.id;
    IF first_ts IS NOT NULL THEN
        PERFORM ${schema}.refresh_fleet_rollups_range(
            NEW.organization_id, NEW.id, first_ts, last_ts + interval '1 hour');
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER locations_rebuild_daily_rollups
    AFTER UPDATE OF timezone ON ${schema}.locations
    FOR EACH ROW
    WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION ${schema}.rebuild_daily_rollups_on_zone_change();
