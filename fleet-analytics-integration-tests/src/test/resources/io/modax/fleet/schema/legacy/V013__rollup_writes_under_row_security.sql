-- Rollup recomputations that Citus can run for a role held to row-level security (issue 9: the
-- suite on Citus). Nothing changes on a single node.
--
-- 1. refresh_fleet_rollups and refresh_fleet_period_rollups delete the buckets they recompute and
--    insert them again from the raw rows (or the daily rows), now with ON CONFLICT DO NOTHING. No
--    inserted row can conflict: the buckets were deleted just before, in the same transaction,
--    under the locations' locks. But on Citus an INSERT ... SELECT that it cannot run on one worker
--    as a whole (these select from unnest() and functions) is moved to the shards with COPY unless
--    it has an ON CONFLICT or RETURNING clause, and PostgreSQL refuses COPY FROM into a table whose
--    row-level security applies to the session: the library's runtime role, held to the policies,
--    could not write. With the clause Citus inserts the rows with INSERT statements, each checked
--    against the policy.
-- 2. fleet_local_days_of_hours lists an hour's local dates with unnest(ARRAY[...]) instead of a
--    VALUES list: under row-level security Citus plans the DELETE ... USING that calls it by
--    pushing the function's query down, and refuses a VALUES list of non-immutable expressions
--    (AT TIME ZONE a column). Same rows.
-- The functions are otherwise V004's and V009's, unchanged.

CREATE OR REPLACE FUNCTION ${schema}.fleet_local_days_of_hours(
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
     CROSS JOIN LATERAL unnest(ARRAY[(k.hour AT TIME ZONE l.timezone)::date,
           ((k.hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE l.timezone)::date]) AS x(local_date)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.refresh_fleet_period_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_dates DATE[])
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    k_locations VARCHAR[];
    k_periods DATE[];
    n INTEGER := 0;
BEGIN
    SELECT array_agg(k.l), array_agg(k.p) INTO k_locations, k_periods
      FROM (SELECT DISTINCT u.l, date_trunc('week', u.d)::date AS p
              FROM unnest(p_location_ids, p_dates) AS u(l, d)
             WHERE u.l IS NOT NULL AND u.d IS NOT NULL) k;
    IF k_locations IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM ${schema}.fleet_metrics_weekly r
     USING unnest(k_locations, k_periods) AS k(location_id, p)
     WHERE r.organization_id = p_organization_id AND r.location_id = k.location_id AND r.week = k.p;
    INSERT INTO ${schema}.fleet_metrics_weekly (organization_id, location_id, week, week_start, week_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, k.location_id, k.p,
           (k.p::timestamp AT TIME ZONE l.timezone),
           ((k.p + 7)::timestamp AT TIME ZONE l.timezone),
           l.timezone,
           sum(d.snapshot_count)::bigint,
           sum(d.total_production_hours)::double precision,
           sum(d.total_downtime_hours)::double precision,
           sum(d.total_failures)::bigint,
           sum(d.uptime_weighted_hours)::double precision,
           sum(d.uptime_exposure_hours)::double precision,
           sum(d.oee_productive_hours)::double precision,
           sum(d.oee_planned_hours)::double precision,
           sum(d.efficiency_weighted_hours)::double precision,
           sum(d.efficiency_exposure_hours)::double precision,
           sum(d.energy_kwh)::double precision,
           sum(d.energy_exposure_hours)::double precision,
           sum(d.failure_exposure_hours)::double precision,
           sum(d.repair_hours)::double precision,
           sum(d.repaired_failures)::bigint,
           sum(d.component_planned_hours)::double precision,
           sum(d.component_run_hours)::double precision,
           sum(d.component_ideal_hours)::double precision,
           sum(d.component_total_count)::bigint,
           sum(d.component_good_count)::bigint,
           sum(d.seed_uptime_sum)::double precision,
           sum(d.seed_uptime_count)::bigint,
           sum(d.seed_efficiency_sum)::double precision,
           sum(d.seed_efficiency_count)::bigint,
           sum(d.seed_energy_sum)::double precision,
           sum(d.seed_energy_count)::bigint,
           sum(d.seed_oee_sum)::double precision,
           sum(d.seed_oee_count)::bigint,
           sum(d.seed_mtbf_sum)::double precision,
           sum(d.seed_mtbf_count)::bigint,
           sum(d.seed_mttr_sum)::double precision,
           sum(d.seed_mttr_count)::bigint
      FROM unnest(k_locations, k_periods) AS k(location_id, p)
      JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = k.location_id
      JOIN ${schema}.fleet_metrics_daily d
        ON d.organization_id = p_organization_id AND d.location_id = k.location_id
       AND d.local_date >= k.p AND d.local_date < (k.p + 7)
     GROUP BY k.location_id, k.p, l.timezone
        ON CONFLICT ON CONSTRAINT fleet_metrics_weekly_pk DO NOTHING;
    n := n + cardinality(k_periods);
    SELECT array_agg(k.l), array_agg(k.p) INTO k_locations, k_periods
      FROM (SELECT DISTINCT u.l, date_trunc('month', u.d)::date AS p
              FROM unnest(p_location_ids, p_dates) AS u(l, d)
             WHERE u.l IS NOT NULL AND u.d IS NOT NULL) k;
    IF k_locations IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM ${schema}.fleet_metrics_monthly r
     USING unnest(k_locations, k_periods) AS k(location_id, p)
     WHERE r.organization_id = p_organization_id AND r.location_id = k.location_id AND r.month = k.p;
    INSERT INTO ${schema}.fleet_metrics_monthly (organization_id, location_id, month, month_start, month_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, k.location_id, k.p,
           (k.p::timestamp AT TIME ZONE l.timezone),
           ((k.p + interval '1 month')::date::timestamp AT TIME ZONE l.timezone),
           l.timezone,
           sum(d.snapshot_count)::bigint,
           sum(d.total_production_hours)::double precision,
           sum(d.total_downtime_hours)::double precision,
           sum(d.total_failures)::bigint,
           sum(d.uptime_weighted_hours)::double precision,
           sum(d.uptime_exposure_hours)::double precision,
           sum(d.oee_productive_hours)::double precision,
           sum(d.oee_planned_hours)::double precision,
           sum(d.efficiency_weighted_hours)::double precision,
           sum(d.efficiency_exposure_hours)::double precision,
           sum(d.energy_kwh)::double precision,
           sum(d.energy_exposure_hours)::double precision,
           sum(d.failure_exposure_hours)::double precision,
           sum(d.repair_hours)::double precision,
           sum(d.repaired_failures)::bigint,
           sum(d.component_planned_hours)::double precision,
           sum(d.component_run_hours)::double precision,
           sum(d.component_ideal_hours)::double precision,
           sum(d.component_total_count)::bigint,
           sum(d.component_good_count)::bigint,
           sum(d.seed_uptime_sum)::double precision,
           sum(d.seed_uptime_count)::bigint,
           sum(d.seed_efficiency_sum)::double precision,
           sum(d.seed_efficiency_count)::bigint,
           sum(d.seed_energy_sum)::double precision,
           sum(d.seed_energy_count)::bigint,
           sum(d.seed_oee_sum)::double precision,
           sum(d.seed_oee_count)::bigint,
           sum(d.seed_mtbf_sum)::double precision,
           sum(d.seed_mtbf_count)::bigint,
           sum(d.seed_mttr_sum)::double precision,
           sum(d.seed_mttr_count)::bigint
      FROM unnest(k_locations, k_periods) AS k(location_id, p)
      JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = k.location_id
      JOIN ${schema}.fleet_metrics_daily d
        ON d.organization_id = p_organization_id AND d.location_id = k.location_id
       AND d.local_date >= k.p AND d.local_date < (k.p + interval '1 month')::date
     GROUP BY k.location_id, k.p, l.timezone
        ON CONFLICT ON CONSTRAINT fleet_metrics_monthly_pk DO NOTHING;
    n := n + cardinality(k_periods);
    RETURN n;
END
$fn$;

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
    INSERT INTO ${schema}.fleet_metrics_hourly (organization_id, location_id, hour, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
    SELECT p_organization_id, k.location_id, k.hour, s.snapshot_count, s.total_production_hours, s.total_downtime_hours, s.total_failures, s.uptime_weighted_hours, s.uptime_exposure_hours, s.oee_productive_hours, s.oee_planned_hours, s.efficiency_weighted_hours, s.efficiency_exposure_hours, s.energy_kwh, s.energy_exposure_hours, s.failure_exposure_hours, s.repair_hours, s.repaired_failures, s.component_planned_hours, s.component_run_hours, s.component_ideal_hours, s.component_total_count, s.component_good_count, s.seed_uptime_sum, s.seed_uptime_count, s.seed_efficiency_sum, s.seed_efficiency_count, s.seed_energy_sum, s.seed_energy_count, s.seed_oee_sum, s.seed_oee_count, s.seed_mtbf_sum, s.seed_mtbf_count, s.seed_mttr_sum, s.seed_mttr_count
      FROM unnest(k_locations, k_hours) AS k(location_id, hour)
     CROSS JOIN LATERAL ${schema}.fleet_metrics_component_sums(
           p_organization_id, k.location_id, k.hour, k.hour + interval '1 hour') s
     WHERE s.snapshot_count > 0
        ON CONFLICT ON CONSTRAINT fleet_metrics_hourly_pk DO NOTHING;

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
     WHERE s.snapshot_count > 0
        ON CONFLICT ON CONSTRAINT fleet_metrics_daily_pk DO NOTHING;

    -- the weeks and months of the days just recomputed, from the daily rollup
    SELECT array_agg(days.location_id), array_agg(days.local_date) INTO p_locations, p_dates
      FROM ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days;
    PERFORM ${schema}.refresh_fleet_period_rollups(p_organization_id, p_locations, p_dates);

    RETURN cardinality(k_hours);
END
$fn$;
