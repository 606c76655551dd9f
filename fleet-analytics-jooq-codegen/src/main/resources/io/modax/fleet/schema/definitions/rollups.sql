-- Definitions (re-applied whole whenever one changes; see docs/schema.md): maintaining the
-- rollups (baseline/03_rollups.sql). The library's writer refreshes the buckets it touched in the
-- same transaction; changes made with other SQL mark their hours in fleet_rollup_dirty (a row
-- trigger, definitions/rollup_triggers.sql) and are folded in by refresh_dirty_fleet_rollups(org),
-- which the library calls before it reads. Hourly and daily buckets are computed from raw rows;
-- weekly and monthly ones from daily rows, by one path (refresh_fleet_period_rollups).

-- Takes the locks of the given locations of one organization for the rest of the transaction, in
-- location order so that two lockers cannot deadlock: first makes the rows that are missing (in
-- the same order), then locks them (fleet_location_locks, migrations/V015). Writers take them
-- before writing raw rows; refreshes before recomputing buckets. Re-entrant within a transaction.
-- The wait is bounded by the transaction's lock_timeout (the library sets it; SQLState 55P03 when
-- it runs out). A transaction held to row-level security locks only its own organization's
-- locations: asked for another, it makes and locks nothing (and whatever it goes on to do finds
-- none of that organization's rows).
CREATE OR REPLACE FUNCTION ${schema}.lock_fleet_locations(p_organization_id VARCHAR, p_location_ids VARCHAR[])
RETURNS VOID
LANGUAGE plpgsql
AS $fn$
BEGIN
    INSERT INTO ${schema}.fleet_location_locks (organization_id, location_id)
    SELECT p_organization_id, u.l
      FROM (SELECT DISTINCT l FROM unnest(p_location_ids) AS x(l) WHERE l IS NOT NULL) u
     WHERE NOT row_security_active('${schema}.fleet_location_locks')
        OR p_organization_id = nullif(current_setting('fleet_analytics.organization_id', true), '')
     ORDER BY u.l
        ON CONFLICT ON CONSTRAINT fleet_location_locks_pk DO NOTHING;
    PERFORM 1 FROM ${schema}.fleet_location_locks k
      WHERE k.organization_id = p_organization_id AND k.location_id = ANY (p_location_ids)
      ORDER BY k.location_id
        FOR UPDATE;
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
RETURNS INTEGER LANGUAGE plpgsql AS $fn$
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
RETURNS INTEGER LANGUAGE plpgsql AS $fn$
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
RETURNS INTEGER LANGUAGE plpgsql AS $fn$
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
RETURNS INTEGER LANGUAGE plpgsql AS $fn$
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
-- the location had stored, and it holds the location's lock). For each hourly and daily bucket
-- they fall in, their component sums (over the bucket's part of the range) are added to the
-- bucket, creating it when it does not exist yet; the weeks and months of the days touched are
-- then recomputed from the daily rollup. The sums of all the buckets of a level come from one
-- call of fleet_window_raw_sums (window_sums.sql), one piece per bucket: one read of the raw rows
-- per level, not one query per bucket (on Citus each would be a round trip to a worker). Sums and counts add, so a bucket
-- equals a recomputation from the raw rows (up to the order in which doubles were summed). The
-- buckets are found by one index range scan per location, so the cost follows the rows appended,
-- never the size of the table. Returns the number of hourly buckets touched.
CREATE OR REPLACE FUNCTION ${schema}.add_appended_to_fleet_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_from TIMESTAMPTZ[], p_to TIMESTAMPTZ[])
RETURNS INTEGER LANGUAGE plpgsql AS $fn$
DECLARE
    lvl RECORD;
    range_no INTEGER;
    days_locations VARCHAR[] := '{}';
    days_dates DATE[] := '{}';
    b_locations VARCHAR[];
    b_dates DATE[];
    b_zones VARCHAR[];
    b_starts TIMESTAMPTZ[];
    b_ends TIMESTAMPTZ[];
    b_from TIMESTAMPTZ[];
    b_to TIMESTAMPTZ[];
    touched INTEGER := 0;
BEGIN
    PERFORM ${schema}.lock_fleet_locations(p_organization_id, p_location_ids);
    -- A location may come with two ranges (before and after what it had stored) that share a bucket:
    -- the ranges are taken one per location at a time, so that no statement adds to a bucket twice.
    FOR range_no IN 1..(SELECT max(n) FROM (SELECT count(*) AS n FROM unnest(p_location_ids) u(l) GROUP BY u.l) c) LOOP
    -- the same statement for both levels; a level is its table, its key columns and its buckets:
    -- UTC hours, or the location's local days (local_date, its start and end instants, the zone)
    FOR lvl IN SELECT * FROM (VALUES (1, 'fleet_metrics_hourly', 'hour', 'b.b0'),
            (2, 'fleet_metrics_daily', 'local_date, day, day_end, time_zone', 'b.d, b.b0, b.b1, b.tz')) v(n, tbl, cols, vals) LOOP
        SELECT array_agg(x.location_id), array_agg(x.d), array_agg(x.tz), array_agg(x.b0), array_agg(x.b1),
               array_agg(greatest(x.b0, x.t_from)), array_agg(least(x.b1, x.t_to + interval '1 microsecond'))
          INTO b_locations, b_dates, b_zones, b_starts, b_ends, b_from, b_to
          FROM (SELECT DISTINCT k.location_id, k.t_from, k.t_to, l.timezone AS tz, y.d, y.b0,
                       CASE WHEN lvl.n = 1 THEN y.b0 + interval '1 hour'
                            ELSE ((y.d + 1)::timestamp AT TIME ZONE l.timezone) END AS b1
                  FROM (SELECT u.*, row_number() OVER (PARTITION BY u.location_id ORDER BY u.t_from) AS part
                          FROM unnest(p_location_ids, p_from, p_to) AS u(location_id, t_from, t_to)) k
                  JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = k.location_id
                 CROSS JOIN LATERAL (
                       SELECT m."timestamp" FROM ${schema}.fleet_metrics m
                        WHERE m.organization_id = p_organization_id AND m.location_id = k.location_id
                          AND m."timestamp" >= k.t_from AND m."timestamp" <= k.t_to
                       OFFSET 0) m
                 CROSS JOIN LATERAL (
                       SELECT CASE WHEN lvl.n = 2 THEN (m."timestamp" AT TIME ZONE l.timezone)::date END AS d,
                              CASE WHEN lvl.n = 1 THEN date_bin('1 hour', m."timestamp", TIMESTAMPTZ '2000-01-01 00:00:00+00')
                                   ELSE ((m."timestamp" AT TIME ZONE l.timezone)::date::timestamp AT TIME ZONE l.timezone) END AS b0) y
                 WHERE k.part = range_no) x;
        IF lvl.n = 1 THEN
            touched := touched + coalesce(cardinality(b_locations), 0);
        ELSE
            days_locations := days_locations || b_locations;
            days_dates := days_dates || b_dates;
        END IF;
        CONTINUE WHEN b_locations IS NULL;
        -- the table and column names are the constants above; every value is a parameter
        EXECUTE format($q$
            INSERT INTO ${schema}.%1$I AS r (organization_id, location_id, %2$s,
                   snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours,
                   uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours,
                   energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours,
                   component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum,
                   seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum,
                   seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
            -- (a sum over rows whose component is NULL is NULL there: 0 here)
            SELECT $1, b.location_id, %3$s, s.snapshot_count, coalesce(s.total_production_hours, 0),
                   coalesce(s.total_downtime_hours, 0), coalesce(s.total_failures, 0), coalesce(s.uptime_weighted_hours, 0),
                   coalesce(s.uptime_exposure_hours, 0), coalesce(s.oee_productive_hours, 0), coalesce(s.oee_planned_hours, 0),
                   coalesce(s.efficiency_weighted_hours, 0), coalesce(s.efficiency_exposure_hours, 0), coalesce(s.energy_kwh, 0),
                   coalesce(s.energy_exposure_hours, 0), coalesce(s.failure_exposure_hours, 0), coalesce(s.repair_hours, 0),
                   coalesce(s.repaired_failures, 0), coalesce(s.component_planned_hours, 0), coalesce(s.component_run_hours, 0),
                   coalesce(s.component_ideal_hours, 0), coalesce(s.component_total_count, 0),
                   coalesce(s.component_good_count, 0), coalesce(s.seed_uptime_sum, 0), coalesce(s.seed_uptime_count, 0),
                   coalesce(s.seed_efficiency_sum, 0), coalesce(s.seed_efficiency_count, 0), coalesce(s.seed_energy_sum, 0),
                   coalesce(s.seed_energy_count, 0), coalesce(s.seed_oee_sum, 0), coalesce(s.seed_oee_count, 0),
                   coalesce(s.seed_mtbf_sum, 0), coalesce(s.seed_mtbf_count, 0), coalesce(s.seed_mttr_sum, 0),
                   coalesce(s.seed_mttr_count, 0)
              FROM ${schema}.fleet_window_raw_sums($1, $2, $7, $8, array_fill(true, ARRAY[cardinality($2)]),
                   (SELECT min(x) FROM unnest($7::timestamptz[]) x), (SELECT max(x) FROM unnest($8::timestamptz[]) x),
                   NULL, NULL) s
              JOIN unnest($2::varchar[], $3::date[], $4::varchar[], $5::timestamptz[], $6::timestamptz[])
                   WITH ORDINALITY AS b(location_id, d, tz, b0, b1, piece) ON b.piece = s.piece
             ORDER BY 1, 2, 3
            ON CONFLICT ON CONSTRAINT %1$s_pk DO UPDATE SET
                   snapshot_count = r.snapshot_count + EXCLUDED.snapshot_count, total_production_hours = r.total_production_hours + EXCLUDED.total_production_hours,
                   total_downtime_hours = r.total_downtime_hours + EXCLUDED.total_downtime_hours, total_failures = r.total_failures + EXCLUDED.total_failures,
                   uptime_weighted_hours = r.uptime_weighted_hours + EXCLUDED.uptime_weighted_hours, uptime_exposure_hours = r.uptime_exposure_hours + EXCLUDED.uptime_exposure_hours,
                   oee_productive_hours = r.oee_productive_hours + EXCLUDED.oee_productive_hours, oee_planned_hours = r.oee_planned_hours + EXCLUDED.oee_planned_hours,
                   efficiency_weighted_hours = r.efficiency_weighted_hours + EXCLUDED.efficiency_weighted_hours, efficiency_exposure_hours = r.efficiency_exposure_hours + EXCLUDED.efficiency_exposure_hours,
                   energy_kwh = r.energy_kwh + EXCLUDED.energy_kwh, energy_exposure_hours = r.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
                   failure_exposure_hours = r.failure_exposure_hours + EXCLUDED.failure_exposure_hours, repair_hours = r.repair_hours + EXCLUDED.repair_hours,
                   repaired_failures = r.repaired_failures + EXCLUDED.repaired_failures, component_planned_hours = r.component_planned_hours + EXCLUDED.component_planned_hours,
                   component_run_hours = r.component_run_hours + EXCLUDED.component_run_hours, component_ideal_hours = r.component_ideal_hours + EXCLUDED.component_ideal_hours,
                   component_total_count = r.component_total_count + EXCLUDED.component_total_count, component_good_count = r.component_good_count + EXCLUDED.component_good_count,
                   seed_uptime_sum = r.seed_uptime_sum + EXCLUDED.seed_uptime_sum, seed_uptime_count = r.seed_uptime_count + EXCLUDED.seed_uptime_count,
                   seed_efficiency_sum = r.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum, seed_efficiency_count = r.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
                   seed_energy_sum = r.seed_energy_sum + EXCLUDED.seed_energy_sum, seed_energy_count = r.seed_energy_count + EXCLUDED.seed_energy_count, seed_oee_sum = r.seed_oee_sum + EXCLUDED.seed_oee_sum,
                   seed_oee_count = r.seed_oee_count + EXCLUDED.seed_oee_count, seed_mtbf_sum = r.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum, seed_mtbf_count = r.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
                   seed_mttr_sum = r.seed_mttr_sum + EXCLUDED.seed_mttr_sum, seed_mttr_count = r.seed_mttr_count + EXCLUDED.seed_mttr_count$q$,
            lvl.tbl, lvl.cols, lvl.vals)
          USING p_organization_id, b_locations, b_dates, b_zones, b_starts, b_ends, b_from, b_to;
    END LOOP;
    END LOOP;
    PERFORM ${schema}.refresh_fleet_period_rollups(p_organization_id, days_locations, days_dates);
    RETURN touched;
END
$fn$;

