-- Definitions (re-applied whole whenever one changes; see docs/schema.md): maintaining the
-- rollups (baseline/03_rollups.sql). The library's writer refreshes the buckets it touched in the
-- same transaction; changes made with other SQL mark their hours in fleet_rollup_dirty (a row
-- trigger, definitions/rollup_triggers.sql) and are folded in by refresh_dirty_fleet_rollups(org),
-- which the library calls before it reads. Hourly and daily buckets are computed from raw rows;
-- weekly and monthly ones from daily rows, by one path (refresh_fleet_period_rollups).

-- The advisory lock that serializes writers and rollup refreshes of one location.
CREATE OR REPLACE FUNCTION ${schema}.fleet_location_lock_key(p_organization_id VARCHAR, p_location_id VARCHAR)
RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT hashtextextended('fleet-analytics/' || p_organization_id || '/' || p_location_id, 0) $fn$;

-- Takes the transaction-scoped advisory locks of the given locations, always in the same (key)
-- order so that two lockers cannot deadlock. Writers take them before writing raw rows; refreshes
-- before recomputing buckets. Re-entrant within a transaction.
CREATE OR REPLACE FUNCTION ${schema}.lock_fleet_locations(p_organization_id VARCHAR, p_location_ids VARCHAR[])
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
-- or two where the zone's offset is not a whole number of hours. (unnest(ARRAY[...]), not a VALUES
-- list: Citus pushes this query down under row-level security and refuses a VALUES list of
-- non-immutable expressions.)
CREATE OR REPLACE FUNCTION ${schema}.fleet_local_days_of_hours(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_hours TIMESTAMPTZ[])
RETURNS TABLE (location_id VARCHAR, local_date DATE, time_zone VARCHAR,
               day_start TIMESTAMPTZ, day_end TIMESTAMPTZ)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT DISTINCT k.location_id, x.local_date, l.timezone,
           (x.local_date::timestamp AT TIME ZONE l.timezone),
           ((x.local_date + 1)::timestamp AT TIME ZONE l.timezone)
      FROM unnest(p_location_ids, p_hours) AS k(location_id, hour)
      JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = k.location_id
     CROSS JOIN LATERAL unnest(ARRAY[(k.hour AT TIME ZONE l.timezone)::date,
           ((k.hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE l.timezone)::date]) AS x(local_date);
END
$fn$;

-- Recomputes, from the raw rows, every hourly bucket containing one of p_times, every local day
-- overlapping those hours, and the weeks and months of those days, for the paired locations
-- (p_location_ids[i] with p_times[i]). Returns the number of hourly buckets refreshed.
--
-- The inserts follow deletes of the same buckets (same transaction, under the locations' locks),
-- so ON CONFLICT DO NOTHING never fires; it makes Citus insert row by row, each checked against
-- the row-level security policy, instead of by COPY, which PostgreSQL refuses under row-level
-- security. ORDER BY makes every fleet_metrics_component_sums call finish before Citus sends the
-- first row to a shard (the calls read the same worker the insert writes to).
CREATE OR REPLACE FUNCTION ${schema}.refresh_fleet_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_times TIMESTAMPTZ[])
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    k_locations VARCHAR[];
    k_hours TIMESTAMPTZ[];
    p_locations VARCHAR[];
    p_dates DATE[];
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
    INSERT INTO ${schema}.fleet_metrics_hourly (organization_id, location_id, hour,
           snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours,
           oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours,
           failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours,
           component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count,
           seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, k.location_id, k.hour, s.*
      FROM unnest(k_locations, k_hours) AS k(location_id, hour)
     CROSS JOIN LATERAL ${schema}.fleet_metrics_component_sums(
           p_organization_id, k.location_id, k.hour, k.hour + interval '1 hour') s
     WHERE s.snapshot_count > 0
     ORDER BY 1, 2, 3
        ON CONFLICT ON CONSTRAINT fleet_metrics_hourly_pk DO NOTHING;

    DELETE FROM ${schema}.fleet_metrics_daily d
     USING ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days
     WHERE d.organization_id = p_organization_id AND d.location_id = days.location_id
       AND d.local_date = days.local_date;
    INSERT INTO ${schema}.fleet_metrics_daily (organization_id, location_id, local_date, day, day_end, time_zone,
           snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours,
           oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours,
           failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours,
           component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count,
           seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, days.location_id, days.local_date, days.day_start, days.day_end, days.time_zone, s.*
      FROM ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days
     CROSS JOIN LATERAL ${schema}.fleet_metrics_component_sums(
           p_organization_id, days.location_id, days.day_start, days.day_end) s
     WHERE s.snapshot_count > 0
     ORDER BY 1, 2, 3
        ON CONFLICT ON CONSTRAINT fleet_metrics_daily_pk DO NOTHING;

    -- the weeks and months of the days just recomputed, from the daily rollup
    SELECT array_agg(days.location_id), array_agg(days.local_date) INTO p_locations, p_dates
      FROM ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days;
    PERFORM ${schema}.refresh_fleet_period_rollups(p_organization_id, p_locations, p_dates);

    RETURN cardinality(k_hours);
END
$fn$;

-- Recomputes, from the daily rollup, the local weeks and months that contain the given local dates
-- (p_location_ids[i] with p_dates[i]): one statement for both levels, run for each with its table,
-- key column and length. The caller holds the locations' locks. Returns the number of weeks and
-- months recomputed.
CREATE OR REPLACE FUNCTION ${schema}.refresh_fleet_period_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_dates DATE[])
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    lvl RECORD;
    k_locations VARCHAR[];
    k_periods DATE[];
    n INTEGER := 0;
BEGIN
    FOR lvl IN SELECT * FROM (VALUES ('week', 'fleet_metrics_weekly'), ('month', 'fleet_metrics_monthly')) v(unit, tbl) LOOP
        SELECT array_agg(k.l), array_agg(k.p) INTO k_locations, k_periods
          FROM (SELECT DISTINCT u.l, date_trunc(lvl.unit, u.d)::date AS p
                  FROM unnest(p_location_ids, p_dates) AS u(l, d)
                 WHERE u.l IS NOT NULL AND u.d IS NOT NULL) k;
        IF k_locations IS NULL THEN
            RETURN 0;
        END IF;
        -- the table and column names are the constants above; every value is a parameter
        EXECUTE format('DELETE FROM ${schema}.%1$I r USING unnest($2, $3) AS k(location_id, p)'
                       ' WHERE r.organization_id = $1 AND r.location_id = k.location_id AND r.%2$I = k.p',
                       lvl.tbl, lvl.unit)
          USING p_organization_id, k_locations, k_periods;
        EXECUTE format($q$
            INSERT INTO ${schema}.%1$I (organization_id, location_id, %2$I, %2$s_start, %2$s_end, time_zone,
                   snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours,
                   uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours,
                   energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours,
                   component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum,
                   seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum,
                   seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
            SELECT $1, k.location_id, k.p,
                   (k.p::timestamp AT TIME ZONE l.timezone),
                   ((k.p + $4)::date::timestamp AT TIME ZONE l.timezone),
                   l.timezone,
                   sum(d.snapshot_count), sum(d.total_production_hours), sum(d.total_downtime_hours), sum(d.total_failures),
                   sum(d.uptime_weighted_hours), sum(d.uptime_exposure_hours), sum(d.oee_productive_hours), sum(d.oee_planned_hours),
                   sum(d.efficiency_weighted_hours), sum(d.efficiency_exposure_hours), sum(d.energy_kwh), sum(d.energy_exposure_hours),
                   sum(d.failure_exposure_hours), sum(d.repair_hours), sum(d.repaired_failures), sum(d.component_planned_hours),
                   sum(d.component_run_hours), sum(d.component_ideal_hours), sum(d.component_total_count), sum(d.component_good_count),
                   sum(d.seed_uptime_sum), sum(d.seed_uptime_count), sum(d.seed_efficiency_sum), sum(d.seed_efficiency_count),
                   sum(d.seed_energy_sum), sum(d.seed_energy_count), sum(d.seed_oee_sum), sum(d.seed_oee_count), sum(d.seed_mtbf_sum),
                   sum(d.seed_mtbf_count), sum(d.seed_mttr_sum), sum(d.seed_mttr_count)
              FROM unnest($2, $3) AS k(location_id, p)
              JOIN ${schema}.locations l ON l.organization_id = $1 AND l.id = k.location_id
              JOIN ${schema}.fleet_metrics_daily d
                ON d.organization_id = $1 AND d.location_id = k.location_id
               AND d.local_date >= k.p AND d.local_date < (k.p + $4)::date
             GROUP BY k.location_id, k.p, l.timezone
                ON CONFLICT ON CONSTRAINT %1$s_pk DO NOTHING$q$, lvl.tbl, lvl.unit)
          USING p_organization_id, k_locations, k_periods, ('1 ' || lvl.unit)::interval;
        n := n + cardinality(k_periods);
    END LOOP;
    RETURN n;
END
$fn$;

-- Recomputes every rollup bucket of one location that overlaps [p_from, p_to), and drops daily
-- buckets of that location in the range whose local dates no longer match (time zone changed).
CREATE OR REPLACE FUNCTION ${schema}.refresh_fleet_rollups_range(
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
CREATE OR REPLACE FUNCTION ${schema}.refresh_dirty_fleet_rollups(p_organization_id VARCHAR)
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

-- Adds rows that were just appended to the rollups, without re-reading what the buckets already
-- hold: the fast path for the common case of new snapshots after (or before) everything stored.
-- For location p_location_ids[i], the rows with p_from[i] <= timestamp <= p_to[i] must all be new
-- since the last refresh of their buckets (the writer guarantees it: they lie outside the range
-- the location had stored, and it holds the location's lock). Their component sums are added to
-- the hourly and daily buckets, creating those that do not exist yet; the weeks and months of the
-- days touched are then recomputed from the daily rollup. Sums and counts add, so a bucket equals
-- a recomputation from the raw rows (up to the order in which doubles were summed).
--
-- One pass over the rows: they are grouped by (location, UTC hour, local date), pieces that each
-- lie in exactly one hourly and one daily bucket whatever the zone's offset, and the pieces are
-- summed into both. Each range is read by its own index range scan (LATERAL, kept from being
-- flattened into a hash join by OFFSET 0), so the cost follows the rows appended, never the size
-- of the table. Returns the number of hourly buckets touched.
CREATE OR REPLACE FUNCTION ${schema}.add_appended_to_fleet_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_from TIMESTAMPTZ[], p_to TIMESTAMPTZ[])
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    touched INTEGER;
    p_locations VARCHAR[];
    p_dates DATE[];
BEGIN
    PERFORM ${schema}.lock_fleet_locations(p_organization_id, p_location_ids);

    WITH g (location_id, hour, local_date, timezone,
            snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours,
            oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh,
            energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours,
            component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum,
            seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count,
            seed_mttr_sum, seed_mttr_count) AS MATERIALIZED (
        SELECT c.location_id,
               date_bin('1 hour', c."timestamp", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
               (c."timestamp" AT TIME ZONE l.timezone)::date AS local_date,
               l.timezone,
               count(*), coalesce(sum(c.production_hours), 0), coalesce(sum(c.downtime_hours), 0), coalesce(sum(c.failures), 0),
               coalesce(sum(c.uptime_weighted_hours), 0), coalesce(sum(c.uptime_exposure_hours), 0),
               coalesce(sum(c.oee_productive_hours), 0), coalesce(sum(c.oee_planned_hours), 0),
               coalesce(sum(c.efficiency_weighted_hours), 0), coalesce(sum(c.efficiency_exposure_hours), 0), coalesce(sum(c.energy_kwh), 0),
               coalesce(sum(c.energy_exposure_hours), 0), coalesce(sum(c.failure_exposure_hours), 0), coalesce(sum(c.repair_hours), 0),
               coalesce(sum(c.repaired_failures), 0), coalesce(sum(c.component_planned_hours), 0), coalesce(sum(c.component_run_hours), 0),
               coalesce(sum(c.component_ideal_hours), 0), coalesce(sum(c.component_total_count), 0)::bigint,
               coalesce(sum(c.component_good_count), 0)::bigint, coalesce(sum(c.avg_uptime), 0), count(c.avg_uptime),
               coalesce(sum(c.avg_efficiency), 0), count(c.avg_efficiency), coalesce(sum(c.avg_energy_consumption), 0),
               count(c.avg_energy_consumption), coalesce(sum(c.oee), 0), count(c.oee), coalesce(sum(c.mtbf), 0), count(c.mtbf),
               coalesce(sum(c.mttr), 0), count(c.mttr)
          FROM unnest(p_location_ids, p_from, p_to) AS r(location_id, t_from, t_to)
          JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = r.location_id
         CROSS JOIN LATERAL (
               SELECT * FROM ${schema}.fleet_metrics_components m
                WHERE m.organization_id = p_organization_id AND m.location_id = r.location_id
                  AND m."timestamp" >= r.t_from AND m."timestamp" <= r.t_to
               OFFSET 0) c
         GROUP BY 1, 2, 3, 4
    ), hourly AS (
        INSERT INTO ${schema}.fleet_metrics_hourly AS r (organization_id, location_id, hour,
               snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours,
               oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh,
               energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours,
               component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum,
               seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count,
               seed_mttr_sum, seed_mttr_count)
        SELECT p_organization_id, g.location_id, g.hour,
               sum(g.snapshot_count), sum(g.total_production_hours), sum(g.total_downtime_hours), sum(g.total_failures),
               sum(g.uptime_weighted_hours), sum(g.uptime_exposure_hours), sum(g.oee_productive_hours), sum(g.oee_planned_hours),
               sum(g.efficiency_weighted_hours), sum(g.efficiency_exposure_hours), sum(g.energy_kwh), sum(g.energy_exposure_hours),
               sum(g.failure_exposure_hours), sum(g.repair_hours), sum(g.repaired_failures), sum(g.component_planned_hours),
               sum(g.component_run_hours), sum(g.component_ideal_hours), sum(g.component_total_count), sum(g.component_good_count),
               sum(g.seed_uptime_sum), sum(g.seed_uptime_count), sum(g.seed_efficiency_sum), sum(g.seed_efficiency_count),
               sum(g.seed_energy_sum), sum(g.seed_energy_count), sum(g.seed_oee_sum), sum(g.seed_oee_count), sum(g.seed_mtbf_sum),
               sum(g.seed_mtbf_count), sum(g.seed_mttr_sum), sum(g.seed_mttr_count)
          FROM g
         GROUP BY g.location_id, g.hour
        ON CONFLICT (organization_id, location_id, hour) DO UPDATE SET
               snapshot_count = r.snapshot_count + EXCLUDED.snapshot_count,
               total_production_hours = r.total_production_hours + EXCLUDED.total_production_hours,
               total_downtime_hours = r.total_downtime_hours + EXCLUDED.total_downtime_hours,
               total_failures = r.total_failures + EXCLUDED.total_failures,
               uptime_weighted_hours = r.uptime_weighted_hours + EXCLUDED.uptime_weighted_hours,
               uptime_exposure_hours = r.uptime_exposure_hours + EXCLUDED.uptime_exposure_hours,
               oee_productive_hours = r.oee_productive_hours + EXCLUDED.oee_productive_hours,
               oee_planned_hours = r.oee_planned_hours + EXCLUDED.oee_planned_hours,
               efficiency_weighted_hours = r.efficiency_weighted_hours + EXCLUDED.efficiency_weighted_hours,
               efficiency_exposure_hours = r.efficiency_exposure_hours + EXCLUDED.efficiency_exposure_hours,
               energy_kwh = r.energy_kwh + EXCLUDED.energy_kwh, energy_exposure_hours = r.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
               failure_exposure_hours = r.failure_exposure_hours + EXCLUDED.failure_exposure_hours,
               repair_hours = r.repair_hours + EXCLUDED.repair_hours, repaired_failures = r.repaired_failures + EXCLUDED.repaired_failures,
               component_planned_hours = r.component_planned_hours + EXCLUDED.component_planned_hours,
               component_run_hours = r.component_run_hours + EXCLUDED.component_run_hours,
               component_ideal_hours = r.component_ideal_hours + EXCLUDED.component_ideal_hours,
               component_total_count = r.component_total_count + EXCLUDED.component_total_count,
               component_good_count = r.component_good_count + EXCLUDED.component_good_count,
               seed_uptime_sum = r.seed_uptime_sum + EXCLUDED.seed_uptime_sum, seed_uptime_count = r.seed_uptime_count + EXCLUDED.seed_uptime_count,
               seed_efficiency_sum = r.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum,
               seed_efficiency_count = r.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
               seed_energy_sum = r.seed_energy_sum + EXCLUDED.seed_energy_sum, seed_energy_count = r.seed_energy_count + EXCLUDED.seed_energy_count,
               seed_oee_sum = r.seed_oee_sum + EXCLUDED.seed_oee_sum, seed_oee_count = r.seed_oee_count + EXCLUDED.seed_oee_count,
               seed_mtbf_sum = r.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum, seed_mtbf_count = r.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
               seed_mttr_sum = r.seed_mttr_sum + EXCLUDED.seed_mttr_sum, seed_mttr_count = r.seed_mttr_count + EXCLUDED.seed_mttr_count
        RETURNING 1
    ), daily AS (
        INSERT INTO ${schema}.fleet_metrics_daily AS r (organization_id, location_id, local_date, day, day_end, time_zone,
               snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours,
               oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh,
               energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours,
               component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum,
               seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count,
               seed_mttr_sum, seed_mttr_count)
        SELECT p_organization_id, g.location_id, g.local_date,
               (g.local_date::timestamp AT TIME ZONE g.timezone),
               ((g.local_date + 1)::timestamp AT TIME ZONE g.timezone),
               g.timezone,
               sum(g.snapshot_count), sum(g.total_production_hours), sum(g.total_downtime_hours), sum(g.total_failures),
               sum(g.uptime_weighted_hours), sum(g.uptime_exposure_hours), sum(g.oee_productive_hours), sum(g.oee_planned_hours),
               sum(g.efficiency_weighted_hours), sum(g.efficiency_exposure_hours), sum(g.energy_kwh), sum(g.energy_exposure_hours),
               sum(g.failure_exposure_hours), sum(g.repair_hours), sum(g.repaired_failures), sum(g.component_planned_hours),
               sum(g.component_run_hours), sum(g.component_ideal_hours), sum(g.component_total_count), sum(g.component_good_count),
               sum(g.seed_uptime_sum), sum(g.seed_uptime_count), sum(g.seed_efficiency_sum), sum(g.seed_efficiency_count),
               sum(g.seed_energy_sum), sum(g.seed_energy_count), sum(g.seed_oee_sum), sum(g.seed_oee_count), sum(g.seed_mtbf_sum),
               sum(g.seed_mtbf_count), sum(g.seed_mttr_sum), sum(g.seed_mttr_count)
          FROM g
         GROUP BY g.location_id, g.local_date, g.timezone
        ON CONFLICT (organization_id, location_id, local_date) DO UPDATE SET
               snapshot_count = r.snapshot_count + EXCLUDED.snapshot_count,
               total_production_hours = r.total_production_hours + EXCLUDED.total_production_hours,
               total_downtime_hours = r.total_downtime_hours + EXCLUDED.total_downtime_hours,
               total_failures = r.total_failures + EXCLUDED.total_failures,
               uptime_weighted_hours = r.uptime_weighted_hours + EXCLUDED.uptime_weighted_hours,
               uptime_exposure_hours = r.uptime_exposure_hours + EXCLUDED.uptime_exposure_hours,
               oee_productive_hours = r.oee_productive_hours + EXCLUDED.oee_productive_hours,
               oee_planned_hours = r.oee_planned_hours + EXCLUDED.oee_planned_hours,
               efficiency_weighted_hours = r.efficiency_weighted_hours + EXCLUDED.efficiency_weighted_hours,
               efficiency_exposure_hours = r.efficiency_exposure_hours + EXCLUDED.efficiency_exposure_hours,
               energy_kwh = r.energy_kwh + EXCLUDED.energy_kwh, energy_exposure_hours = r.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
               failure_exposure_hours = r.failure_exposure_hours + EXCLUDED.failure_exposure_hours,
               repair_hours = r.repair_hours + EXCLUDED.repair_hours, repaired_failures = r.repaired_failures + EXCLUDED.repaired_failures,
               component_planned_hours = r.component_planned_hours + EXCLUDED.component_planned_hours,
               component_run_hours = r.component_run_hours + EXCLUDED.component_run_hours,
               component_ideal_hours = r.component_ideal_hours + EXCLUDED.component_ideal_hours,
               component_total_count = r.component_total_count + EXCLUDED.component_total_count,
               component_good_count = r.component_good_count + EXCLUDED.component_good_count,
               seed_uptime_sum = r.seed_uptime_sum + EXCLUDED.seed_uptime_sum, seed_uptime_count = r.seed_uptime_count + EXCLUDED.seed_uptime_count,
               seed_efficiency_sum = r.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum,
               seed_efficiency_count = r.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
               seed_energy_sum = r.seed_energy_sum + EXCLUDED.seed_energy_sum, seed_energy_count = r.seed_energy_count + EXCLUDED.seed_energy_count,
               seed_oee_sum = r.seed_oee_sum + EXCLUDED.seed_oee_sum, seed_oee_count = r.seed_oee_count + EXCLUDED.seed_oee_count,
               seed_mtbf_sum = r.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum, seed_mtbf_count = r.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
               seed_mttr_sum = r.seed_mttr_sum + EXCLUDED.seed_mttr_sum, seed_mttr_count = r.seed_mttr_count + EXCLUDED.seed_mttr_count
        RETURNING location_id, local_date
    )
    SELECT (SELECT count(*) FROM hourly), (SELECT array_agg(location_id) FROM daily), (SELECT array_agg(local_date) FROM daily)
      INTO touched, p_locations, p_dates;

    PERFORM ${schema}.refresh_fleet_period_rollups(p_organization_id, p_locations, p_dates);
    RETURN touched;
END
$fn$;

-- Trigger: marks the hours of rows changed by SQL other than the library's writer.
CREATE OR REPLACE FUNCTION ${schema}.mark_fleet_rollups_dirty()
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

-- Trigger: TRUNCATE fleet_metrics clears the rollups. TRUNCATE, because the DELETEs would be held
-- to row-level security (clearing only the rows of the organization the transaction is set to);
-- a rollup that is part of the same TRUNCATE statement (already empty, and "in use" by it) or that
-- the role may not truncate is cleared with DELETE.
CREATE OR REPLACE FUNCTION ${schema}.clear_fleet_rollups()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['fleet_metrics_hourly', 'fleet_metrics_daily', 'fleet_metrics_weekly',
                             'fleet_metrics_monthly', 'fleet_rollup_dirty'] LOOP
        BEGIN
            EXECUTE format('TRUNCATE ${schema}.%I', t);
        EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
            EXECUTE format('DELETE FROM ${schema}.%I', t);
        END;
    END LOOP;
    RETURN NULL;
END
$fn$;

-- Trigger: a location's days, weeks and months follow its zone; when the zone changes, they are
-- rebuilt.
CREATE OR REPLACE FUNCTION ${schema}.rebuild_daily_rollups_on_zone_change()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    first_ts TIMESTAMPTZ;
    last_ts TIMESTAMPTZ;
BEGIN
    PERFORM ${schema}.lock_fleet_locations(NEW.organization_id, ARRAY[NEW.id]);
    DELETE FROM ${schema}.fleet_metrics_weekly
     WHERE organization_id = NEW.organization_id AND location_id = NEW.id;
    DELETE FROM ${schema}.fleet_metrics_monthly
     WHERE organization_id = NEW.organization_id AND location_id = NEW.id;
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
