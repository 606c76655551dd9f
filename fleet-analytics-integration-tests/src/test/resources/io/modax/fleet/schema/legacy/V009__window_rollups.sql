-- Window sums read from as few rows as possible, whatever the window's length.
--
-- 1. Two more rollup levels with the same additive components as the hourly and daily rollups
--    (sums and counts only): fleet_metrics_weekly (each location's local ISO weeks, from Monday)
--    and fleet_metrics_monthly (its local calendar months). Both are sums of daily rows, built
--    from the daily rollup here and kept equal to it by the functions that maintain the rollups:
--    the writer's append path, the recomputation of touched buckets (and so the dirty-hour
--    refresh), TRUNCATE and a location's time-zone change.
-- 2. fleet_window_sums, replaced (same contract as V006): whole local months from the monthly
--    rollup, whole local weeks from the weekly one, the remaining whole local days from the daily
--    one, whole UTC hours from the hourly one and raw rows for the sub-hour rest. A year for 100
--    locations reads about 6,000 rows instead of 36,500 daily ones (plus the same hours and raw
--    rows), each piece by an index range scan on its rollup's key.
--
-- Every reading still equals a scan of the raw rows, up to the order in which doubles are summed.

-- One row per location and local ISO week (Monday to Sunday), the sum of its daily rows.
CREATE TABLE ${schema}.fleet_metrics_weekly (
    organization_id             VARCHAR(64) NOT NULL,
    location_id                 VARCHAR(64) NOT NULL,
    -- the first local date of the week
    week                        DATE NOT NULL,
    -- the instants it starts and ends in the location's zone
    week_start                  TIMESTAMPTZ NOT NULL,
    week_end                    TIMESTAMPTZ NOT NULL,
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
    CONSTRAINT fleet_metrics_weekly_pk PRIMARY KEY (organization_id, location_id, week),
    CONSTRAINT fleet_metrics_weekly_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE
);

-- One row per location and local calendar month, the sum of its daily rows.
CREATE TABLE ${schema}.fleet_metrics_monthly (
    organization_id             VARCHAR(64) NOT NULL,
    location_id                 VARCHAR(64) NOT NULL,
    -- the first local date of the month
    month                       DATE NOT NULL,
    -- the instants it starts and ends in the location's zone
    month_start                 TIMESTAMPTZ NOT NULL,
    month_end                   TIMESTAMPTZ NOT NULL,
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
    CONSTRAINT fleet_metrics_monthly_pk PRIMARY KEY (organization_id, location_id, month),
    CONSTRAINT fleet_metrics_monthly_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE
);

-- Row-level security as on every other tenant table (V008): a row is seen or written only by a
-- transaction set to its organization; the table owner is held to it too.
ALTER TABLE ${schema}.fleet_metrics_weekly ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_metrics_weekly FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_metrics_weekly
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.fleet_metrics_monthly ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_metrics_monthly FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_metrics_monthly
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

-- Recomputes, from the daily rollup, the local weeks and months that contain the given local dates
-- (p_location_ids[i] with p_dates[i]). The caller holds the locations' locks.
CREATE FUNCTION ${schema}.refresh_fleet_period_rollups(
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
     GROUP BY k.location_id, k.p, l.timezone;
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
     GROUP BY k.location_id, k.p, l.timezone;
    n := n + cardinality(k_periods);
    RETURN n;
END
$fn$;

INSERT INTO ${schema}.fleet_metrics_weekly (organization_id, location_id, week, week_start, week_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
SELECT d.organization_id, d.location_id, p.p,
       (p.p::timestamp AT TIME ZONE l.timezone),
       ((p.p + 7)::timestamp AT TIME ZONE l.timezone),
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
  FROM ${schema}.fleet_metrics_daily d
  JOIN ${schema}.locations l ON l.organization_id = d.organization_id AND l.id = d.location_id
 CROSS JOIN LATERAL (SELECT date_trunc('week', d.local_date)::date AS p) p
 GROUP BY d.organization_id, d.location_id, p.p, l.timezone;

INSERT INTO ${schema}.fleet_metrics_monthly (organization_id, location_id, month, month_start, month_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
SELECT d.organization_id, d.location_id, p.p,
       (p.p::timestamp AT TIME ZONE l.timezone),
       ((p.p + interval '1 month')::date::timestamp AT TIME ZONE l.timezone),
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
  FROM ${schema}.fleet_metrics_daily d
  JOIN ${schema}.locations l ON l.organization_id = d.organization_id AND l.id = d.location_id
 CROSS JOIN LATERAL (SELECT date_trunc('month', d.local_date)::date AS p) p
 GROUP BY d.organization_id, d.location_id, p.p, l.timezone;

-- The recomputation of touched buckets (the writer's, the dirty-hour refresh's, a range's), now
-- also of the local weeks and months of the touched days.
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

    -- the weeks and months of the days just recomputed, from the daily rollup
    SELECT array_agg(days.location_id), array_agg(days.local_date) INTO p_locations, p_dates
      FROM ${schema}.fleet_local_days_of_hours(p_organization_id, k_locations, k_hours) days;
    PERFORM ${schema}.refresh_fleet_period_rollups(p_organization_id, p_locations, p_dates);

    RETURN cardinality(k_hours);
END
$fn$;

-- The writer's fast path for appended rows, now also adding them to their local weeks and months.
CREATE OR REPLACE FUNCTION ${schema}.add_appended_to_fleet_rollups(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_from TIMESTAMPTZ[], p_to TIMESTAMPTZ[])
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    touched INTEGER;
BEGIN
    PERFORM ${schema}.lock_fleet_locations(p_organization_id, p_location_ids);

    WITH g AS MATERIALIZED (
        SELECT c.location_id,
               date_bin('1 hour', c."timestamp", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
               (c."timestamp" AT TIME ZONE l.timezone)::date AS local_date,
               l.timezone,
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
          FROM unnest(p_location_ids, p_from, p_to) AS r(location_id, t_from, t_to)
          JOIN ${schema}.locations l ON l.organization_id = p_organization_id AND l.id = r.location_id
         CROSS JOIN LATERAL (
               SELECT * FROM ${schema}.fleet_metrics_components m
                WHERE m.organization_id = p_organization_id AND m.location_id = r.location_id
                  AND m."timestamp" >= r.t_from AND m."timestamp" <= r.t_to
               OFFSET 0) c
         GROUP BY 1, 2, 3, 4
    ), hourly AS (
        INSERT INTO ${schema}.fleet_metrics_hourly AS h (organization_id, location_id, hour, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
        SELECT p_organization_id, g.location_id, g.hour,
               sum(g.snapshot_count)::bigint,
               sum(g.total_production_hours),
               sum(g.total_downtime_hours),
               sum(g.total_failures)::bigint,
               sum(g.uptime_weighted_hours),
               sum(g.uptime_exposure_hours),
               sum(g.oee_productive_hours),
               sum(g.oee_planned_hours),
               sum(g.efficiency_weighted_hours),
               sum(g.efficiency_exposure_hours),
               sum(g.energy_kwh),
               sum(g.energy_exposure_hours),
               sum(g.failure_exposure_hours),
               sum(g.repair_hours),
               sum(g.repaired_failures)::bigint,
               sum(g.component_planned_hours),
               sum(g.component_run_hours),
               sum(g.component_ideal_hours),
               sum(g.component_total_count)::bigint,
               sum(g.component_good_count)::bigint,
               sum(g.seed_uptime_sum),
               sum(g.seed_uptime_count)::bigint,
               sum(g.seed_efficiency_sum),
               sum(g.seed_efficiency_count)::bigint,
               sum(g.seed_energy_sum),
               sum(g.seed_energy_count)::bigint,
               sum(g.seed_oee_sum),
               sum(g.seed_oee_count)::bigint,
               sum(g.seed_mtbf_sum),
               sum(g.seed_mtbf_count)::bigint,
               sum(g.seed_mttr_sum),
               sum(g.seed_mttr_count)::bigint
          FROM g
         GROUP BY g.location_id, g.hour
        ON CONFLICT (organization_id, location_id, hour) DO UPDATE SET
               snapshot_count = h.snapshot_count + EXCLUDED.snapshot_count,
               total_production_hours = h.total_production_hours + EXCLUDED.total_production_hours,
               total_downtime_hours = h.total_downtime_hours + EXCLUDED.total_downtime_hours,
               total_failures = h.total_failures + EXCLUDED.total_failures,
               uptime_weighted_hours = h.uptime_weighted_hours + EXCLUDED.uptime_weighted_hours,
               uptime_exposure_hours = h.uptime_exposure_hours + EXCLUDED.uptime_exposure_hours,
               oee_productive_hours = h.oee_productive_hours + EXCLUDED.oee_productive_hours,
               oee_planned_hours = h.oee_planned_hours + EXCLUDED.oee_planned_hours,
               efficiency_weighted_hours = h.efficiency_weighted_hours + EXCLUDED.efficiency_weighted_hours,
               efficiency_exposure_hours = h.efficiency_exposure_hours + EXCLUDED.efficiency_exposure_hours,
               energy_kwh = h.energy_kwh + EXCLUDED.energy_kwh,
               energy_exposure_hours = h.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
               failure_exposure_hours = h.failure_exposure_hours + EXCLUDED.failure_exposure_hours,
               repair_hours = h.repair_hours + EXCLUDED.repair_hours,
               repaired_failures = h.repaired_failures + EXCLUDED.repaired_failures,
               component_planned_hours = h.component_planned_hours + EXCLUDED.component_planned_hours,
               component_run_hours = h.component_run_hours + EXCLUDED.component_run_hours,
               component_ideal_hours = h.component_ideal_hours + EXCLUDED.component_ideal_hours,
               component_total_count = h.component_total_count + EXCLUDED.component_total_count,
               component_good_count = h.component_good_count + EXCLUDED.component_good_count,
               seed_uptime_sum = h.seed_uptime_sum + EXCLUDED.seed_uptime_sum,
               seed_uptime_count = h.seed_uptime_count + EXCLUDED.seed_uptime_count,
               seed_efficiency_sum = h.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum,
               seed_efficiency_count = h.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
               seed_energy_sum = h.seed_energy_sum + EXCLUDED.seed_energy_sum,
               seed_energy_count = h.seed_energy_count + EXCLUDED.seed_energy_count,
               seed_oee_sum = h.seed_oee_sum + EXCLUDED.seed_oee_sum,
               seed_oee_count = h.seed_oee_count + EXCLUDED.seed_oee_count,
               seed_mtbf_sum = h.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum,
               seed_mtbf_count = h.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
               seed_mttr_sum = h.seed_mttr_sum + EXCLUDED.seed_mttr_sum,
               seed_mttr_count = h.seed_mttr_count + EXCLUDED.seed_mttr_count
        RETURNING 1
    ), daily AS (
        INSERT INTO ${schema}.fleet_metrics_daily AS d (organization_id, location_id, local_date, day, day_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
        SELECT p_organization_id, g.location_id, g.local_date,
               (g.local_date::timestamp AT TIME ZONE g.timezone),
               ((g.local_date + 1)::timestamp AT TIME ZONE g.timezone),
               g.timezone,
               sum(g.snapshot_count)::bigint,
               sum(g.total_production_hours),
               sum(g.total_downtime_hours),
               sum(g.total_failures)::bigint,
               sum(g.uptime_weighted_hours),
               sum(g.uptime_exposure_hours),
               sum(g.oee_productive_hours),
               sum(g.oee_planned_hours),
               sum(g.efficiency_weighted_hours),
               sum(g.efficiency_exposure_hours),
               sum(g.energy_kwh),
               sum(g.energy_exposure_hours),
               sum(g.failure_exposure_hours),
               sum(g.repair_hours),
               sum(g.repaired_failures)::bigint,
               sum(g.component_planned_hours),
               sum(g.component_run_hours),
               sum(g.component_ideal_hours),
               sum(g.component_total_count)::bigint,
               sum(g.component_good_count)::bigint,
               sum(g.seed_uptime_sum),
               sum(g.seed_uptime_count)::bigint,
               sum(g.seed_efficiency_sum),
               sum(g.seed_efficiency_count)::bigint,
               sum(g.seed_energy_sum),
               sum(g.seed_energy_count)::bigint,
               sum(g.seed_oee_sum),
               sum(g.seed_oee_count)::bigint,
               sum(g.seed_mtbf_sum),
               sum(g.seed_mtbf_count)::bigint,
               sum(g.seed_mttr_sum),
               sum(g.seed_mttr_count)::bigint
          FROM g
         GROUP BY g.location_id, g.local_date, g.timezone
        ON CONFLICT (organization_id, location_id, local_date) DO UPDATE SET
               snapshot_count = d.snapshot_count + EXCLUDED.snapshot_count,
               total_production_hours = d.total_production_hours + EXCLUDED.total_production_hours,
               total_downtime_hours = d.total_downtime_hours + EXCLUDED.total_downtime_hours,
               total_failures = d.total_failures + EXCLUDED.total_failures,
               uptime_weighted_hours = d.uptime_weighted_hours + EXCLUDED.uptime_weighted_hours,
               uptime_exposure_hours = d.uptime_exposure_hours + EXCLUDED.uptime_exposure_hours,
               oee_productive_hours = d.oee_productive_hours + EXCLUDED.oee_productive_hours,
               oee_planned_hours = d.oee_planned_hours + EXCLUDED.oee_planned_hours,
               efficiency_weighted_hours = d.efficiency_weighted_hours + EXCLUDED.efficiency_weighted_hours,
               efficiency_exposure_hours = d.efficiency_exposure_hours + EXCLUDED.efficiency_exposure_hours,
               energy_kwh = d.energy_kwh + EXCLUDED.energy_kwh,
               energy_exposure_hours = d.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
               failure_exposure_hours = d.failure_exposure_hours + EXCLUDED.failure_exposure_hours,
               repair_hours = d.repair_hours + EXCLUDED.repair_hours,
               repaired_failures = d.repaired_failures + EXCLUDED.repaired_failures,
               component_planned_hours = d.component_planned_hours + EXCLUDED.component_planned_hours,
               component_run_hours = d.component_run_hours + EXCLUDED.component_run_hours,
               component_ideal_hours = d.component_ideal_hours + EXCLUDED.component_ideal_hours,
               component_total_count = d.component_total_count + EXCLUDED.component_total_count,
               component_good_count = d.component_good_count + EXCLUDED.component_good_count,
               seed_uptime_sum = d.seed_uptime_sum + EXCLUDED.seed_uptime_sum,
               seed_uptime_count = d.seed_uptime_count + EXCLUDED.seed_uptime_count,
               seed_efficiency_sum = d.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum,
               seed_efficiency_count = d.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
               seed_energy_sum = d.seed_energy_sum + EXCLUDED.seed_energy_sum,
               seed_energy_count = d.seed_energy_count + EXCLUDED.seed_energy_count,
               seed_oee_sum = d.seed_oee_sum + EXCLUDED.seed_oee_sum,
               seed_oee_count = d.seed_oee_count + EXCLUDED.seed_oee_count,
               seed_mtbf_sum = d.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum,
               seed_mtbf_count = d.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
               seed_mttr_sum = d.seed_mttr_sum + EXCLUDED.seed_mttr_sum,
               seed_mttr_count = d.seed_mttr_count + EXCLUDED.seed_mttr_count
        RETURNING 1
    ), weekly AS (
        INSERT INTO ${schema}.fleet_metrics_weekly AS r (organization_id, location_id, week, week_start, week_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
        SELECT p_organization_id, g.location_id, p.p,
               (p.p::timestamp AT TIME ZONE g.timezone),
               ((p.p + 7)::timestamp AT TIME ZONE g.timezone),
               g.timezone,
               sum(g.snapshot_count)::bigint,
               sum(g.total_production_hours)::double precision,
               sum(g.total_downtime_hours)::double precision,
               sum(g.total_failures)::bigint,
               sum(g.uptime_weighted_hours)::double precision,
               sum(g.uptime_exposure_hours)::double precision,
               sum(g.oee_productive_hours)::double precision,
               sum(g.oee_planned_hours)::double precision,
               sum(g.efficiency_weighted_hours)::double precision,
               sum(g.efficiency_exposure_hours)::double precision,
               sum(g.energy_kwh)::double precision,
               sum(g.energy_exposure_hours)::double precision,
               sum(g.failure_exposure_hours)::double precision,
               sum(g.repair_hours)::double precision,
               sum(g.repaired_failures)::bigint,
               sum(g.component_planned_hours)::double precision,
               sum(g.component_run_hours)::double precision,
               sum(g.component_ideal_hours)::double precision,
               sum(g.component_total_count)::bigint,
               sum(g.component_good_count)::bigint,
               sum(g.seed_uptime_sum)::double precision,
               sum(g.seed_uptime_count)::bigint,
               sum(g.seed_efficiency_sum)::double precision,
               sum(g.seed_efficiency_count)::bigint,
               sum(g.seed_energy_sum)::double precision,
               sum(g.seed_energy_count)::bigint,
               sum(g.seed_oee_sum)::double precision,
               sum(g.seed_oee_count)::bigint,
               sum(g.seed_mtbf_sum)::double precision,
               sum(g.seed_mtbf_count)::bigint,
               sum(g.seed_mttr_sum)::double precision,
               sum(g.seed_mttr_count)::bigint
          FROM g
         CROSS JOIN LATERAL (SELECT date_trunc('week', g.local_date)::date AS p) p
         GROUP BY g.location_id, p.p, g.timezone
        ON CONFLICT (organization_id, location_id, week) DO UPDATE SET
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
               energy_kwh = r.energy_kwh + EXCLUDED.energy_kwh,
               energy_exposure_hours = r.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
               failure_exposure_hours = r.failure_exposure_hours + EXCLUDED.failure_exposure_hours,
               repair_hours = r.repair_hours + EXCLUDED.repair_hours,
               repaired_failures = r.repaired_failures + EXCLUDED.repaired_failures,
               component_planned_hours = r.component_planned_hours + EXCLUDED.component_planned_hours,
               component_run_hours = r.component_run_hours + EXCLUDED.component_run_hours,
               component_ideal_hours = r.component_ideal_hours + EXCLUDED.component_ideal_hours,
               component_total_count = r.component_total_count + EXCLUDED.component_total_count,
               component_good_count = r.component_good_count + EXCLUDED.component_good_count,
               seed_uptime_sum = r.seed_uptime_sum + EXCLUDED.seed_uptime_sum,
               seed_uptime_count = r.seed_uptime_count + EXCLUDED.seed_uptime_count,
               seed_efficiency_sum = r.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum,
               seed_efficiency_count = r.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
               seed_energy_sum = r.seed_energy_sum + EXCLUDED.seed_energy_sum,
               seed_energy_count = r.seed_energy_count + EXCLUDED.seed_energy_count,
               seed_oee_sum = r.seed_oee_sum + EXCLUDED.seed_oee_sum,
               seed_oee_count = r.seed_oee_count + EXCLUDED.seed_oee_count,
               seed_mtbf_sum = r.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum,
               seed_mtbf_count = r.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
               seed_mttr_sum = r.seed_mttr_sum + EXCLUDED.seed_mttr_sum,
               seed_mttr_count = r.seed_mttr_count + EXCLUDED.seed_mttr_count
        RETURNING 1
    ), monthly AS (
        INSERT INTO ${schema}.fleet_metrics_monthly AS r (organization_id, location_id, month, month_start, month_end, time_zone, snapshot_count, total_production_hours, total_downtime_hours, total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours, efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours, failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours, component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count, seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count)
        SELECT p_organization_id, g.location_id, p.p,
               (p.p::timestamp AT TIME ZONE g.timezone),
               ((p.p + interval '1 month')::date::timestamp AT TIME ZONE g.timezone),
               g.timezone,
               sum(g.snapshot_count)::bigint,
               sum(g.total_production_hours)::double precision,
               sum(g.total_downtime_hours)::double precision,
               sum(g.total_failures)::bigint,
               sum(g.uptime_weighted_hours)::double precision,
               sum(g.uptime_exposure_hours)::double precision,
               sum(g.oee_productive_hours)::double precision,
               sum(g.oee_planned_hours)::double precision,
               sum(g.efficiency_weighted_hours)::double precision,
               sum(g.efficiency_exposure_hours)::double precision,
               sum(g.energy_kwh)::double precision,
               sum(g.energy_exposure_hours)::double precision,
               sum(g.failure_exposure_hours)::double precision,
               sum(g.repair_hours)::double precision,
               sum(g.repaired_failures)::bigint,
               sum(g.component_planned_hours)::double precision,
               sum(g.component_run_hours)::double precision,
               sum(g.component_ideal_hours)::double precision,
               sum(g.component_total_count)::bigint,
               sum(g.component_good_count)::bigint,
               sum(g.seed_uptime_sum)::double precision,
               sum(g.seed_uptime_count)::bigint,
               sum(g.seed_efficiency_sum)::double precision,
               sum(g.seed_efficiency_count)::bigint,
               sum(g.seed_energy_sum)::double precision,
               sum(g.seed_energy_count)::bigint,
               sum(g.seed_oee_sum)::double precision,
               sum(g.seed_oee_count)::bigint,
               sum(g.seed_mtbf_sum)::double precision,
               sum(g.seed_mtbf_count)::bigint,
               sum(g.seed_mttr_sum)::double precision,
               sum(g.seed_mttr_count)::bigint
          FROM g
         CROSS JOIN LATERAL (SELECT date_trunc('month', g.local_date)::date AS p) p
         GROUP BY g.location_id, p.p, g.timezone
        ON CONFLICT (organization_id, location_id, month) DO UPDATE SET
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
               energy_kwh = r.energy_kwh + EXCLUDED.energy_kwh,
               energy_exposure_hours = r.energy_exposure_hours + EXCLUDED.energy_exposure_hours,
               failure_exposure_hours = r.failure_exposure_hours + EXCLUDED.failure_exposure_hours,
               repair_hours = r.repair_hours + EXCLUDED.repair_hours,
               repaired_failures = r.repaired_failures + EXCLUDED.repaired_failures,
               component_planned_hours = r.component_planned_hours + EXCLUDED.component_planned_hours,
               component_run_hours = r.component_run_hours + EXCLUDED.component_run_hours,
               component_ideal_hours = r.component_ideal_hours + EXCLUDED.component_ideal_hours,
               component_total_count = r.component_total_count + EXCLUDED.component_total_count,
               component_good_count = r.component_good_count + EXCLUDED.component_good_count,
               seed_uptime_sum = r.seed_uptime_sum + EXCLUDED.seed_uptime_sum,
               seed_uptime_count = r.seed_uptime_count + EXCLUDED.seed_uptime_count,
               seed_efficiency_sum = r.seed_efficiency_sum + EXCLUDED.seed_efficiency_sum,
               seed_efficiency_count = r.seed_efficiency_count + EXCLUDED.seed_efficiency_count,
               seed_energy_sum = r.seed_energy_sum + EXCLUDED.seed_energy_sum,
               seed_energy_count = r.seed_energy_count + EXCLUDED.seed_energy_count,
               seed_oee_sum = r.seed_oee_sum + EXCLUDED.seed_oee_sum,
               seed_oee_count = r.seed_oee_count + EXCLUDED.seed_oee_count,
               seed_mtbf_sum = r.seed_mtbf_sum + EXCLUDED.seed_mtbf_sum,
               seed_mtbf_count = r.seed_mtbf_count + EXCLUDED.seed_mtbf_count,
               seed_mttr_sum = r.seed_mttr_sum + EXCLUDED.seed_mttr_sum,
               seed_mttr_count = r.seed_mttr_count + EXCLUDED.seed_mttr_count
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM hourly) + 0 * (SELECT count(*) FROM daily)
           + 0 * (SELECT count(*) FROM weekly) + 0 * (SELECT count(*) FROM monthly) INTO touched;

    RETURN touched;
END
$fn$;

-- TRUNCATE fleet_metrics clears every rollup level, as V008 does it: each rollup is truncated (not
-- subject to row-level security, which would confine a DELETE to the organization the
-- transaction is set to), and cleared with DELETE when it is part of the same TRUNCATE statement
-- or the role may not truncate it.
CREATE OR REPLACE FUNCTION ${schema}.clear_fleet_rollups()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
BEGIN
    BEGIN
        TRUNCATE ${schema}.fleet_metrics_hourly;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_metrics_hourly;
    END;
    BEGIN
        TRUNCATE ${schema}.fleet_metrics_daily;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_metrics_daily;
    END;
    BEGIN
        TRUNCATE ${schema}.fleet_metrics_weekly;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_metrics_weekly;
    END;
    BEGIN
        TRUNCATE ${schema}.fleet_metrics_monthly;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_metrics_monthly;
    END;
    BEGIN
        TRUNCATE ${schema}.fleet_rollup_dirty;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_rollup_dirty;
    END;
    RETURN NULL;
END
$fn$;

-- A location's days, weeks and months follow its zone: when the zone changes they are rebuilt
-- (weeks and months first dropped whole: those of the old zone may hold no day of the new one).
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

-- Exact component sums per location for [p_from, p_to), with the contract of V006: every
-- requested location (all of the organization's when p_location_ids is NULL) gets a row, with
-- snapshot_count = 0 when it has no data in the window. Each location's window is tiled, in its
-- own zone, from the coarsest pieces that fit:
--   whole local months                          -> fleet_metrics_monthly
--   whole local ISO weeks in the rest            -> fleet_metrics_weekly
--   whole local days in the rest                 -> fleet_metrics_daily
--   whole UTC hours of the partial days at the ends -> fleet_metrics_hourly
--   sub-hour remainders                          -> fleet_metrics (raw rows, through the view
--                                                   fleet_metrics_components)
-- Each piece is read by an index range scan on its table's key. The pieces are summed in one
-- fixed order (location, level, bucket start), whatever plan the server picks (a custom or a
-- generic one, a hash or a sorted aggregate): the same window always gives the same doubles.
CREATE OR REPLACE FUNCTION ${schema}.fleet_window_sums(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (
    location_id VARCHAR,
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
LANGUAGE sql STABLE
AS $fn$
WITH loc AS MATERIALIZED (
    -- [ld0, ld1): the whole local days inside the window (empty when ld0 >= ld1)
    SELECT l.id AS location_id, l.timezone AS tz,
           CASE WHEN ((p_from AT TIME ZONE l.timezone)::date::timestamp AT TIME ZONE l.timezone) = p_from
                THEN (p_from AT TIME ZONE l.timezone)::date
                ELSE (p_from AT TIME ZONE l.timezone)::date + 1
           END AS ld0,
           (p_to AT TIME ZONE l.timezone)::date AS ld1
      FROM ${schema}.locations l
     WHERE l.organization_id = p_organization_id
       AND (p_location_ids IS NULL OR l.id = ANY (p_location_ids))
       AND p_from < p_to
), cal AS MATERIALIZED (
    -- [lm0, lm1): the whole local months inside [ld0, ld1); d0, d1: the instants of ld0 and ld1
    SELECT loc.location_id, loc.ld0, loc.ld1, loc.ld0 < loc.ld1 AS whole_days,
           CASE WHEN date_trunc('month', loc.ld0)::date = loc.ld0 THEN loc.ld0
                ELSE (date_trunc('month', loc.ld0) + interval '1 month')::date
           END AS lm0,
           date_trunc('month', loc.ld1)::date AS lm1,
           (loc.ld0::timestamp AT TIME ZONE loc.tz) AS d0,
           (loc.ld1::timestamp AT TIME ZONE loc.tz) AS d1
      FROM loc
), gaps AS MATERIALIZED (
    -- the whole days outside the months, and the whole ISO weeks [w0, w1) inside them
    SELECT g.location_id, g.a, g.b,
           g.a + (8 - extract(isodow FROM g.a)::int) % 7 AS w0,
           g.b - (extract(isodow FROM g.b)::int - 1) AS w1
      FROM (SELECT cal.location_id, cal.ld0 AS a, cal.lm0 AS b FROM cal WHERE cal.whole_days AND cal.lm0 < cal.lm1
            UNION ALL
            SELECT cal.location_id, cal.lm1, cal.ld1 FROM cal WHERE cal.whole_days AND cal.lm0 < cal.lm1
            UNION ALL
            SELECT cal.location_id, cal.ld0, cal.ld1 FROM cal WHERE cal.whole_days AND NOT cal.lm0 < cal.lm1) g
     WHERE g.a < g.b
), days AS (
    SELECT gaps.location_id, gaps.a AS f, gaps.w0 AS t FROM gaps WHERE gaps.w0 < gaps.w1 AND gaps.a < gaps.w0
    UNION ALL
    SELECT gaps.location_id, gaps.w1, gaps.b FROM gaps WHERE gaps.w0 < gaps.w1 AND gaps.w1 < gaps.b
    UNION ALL
    SELECT gaps.location_id, gaps.a, gaps.b FROM gaps WHERE NOT gaps.w0 < gaps.w1
), edges AS MATERIALIZED (
    -- the partial days at the ends, [f, t): whole UTC hours [h0, h1) inside, raw rows outside
    SELECT e.location_id, e.f, e.t,
           CASE WHEN date_bin('1 hour', e.f, TIMESTAMPTZ '2000-01-01 00:00:00+00') = e.f THEN e.f
                ELSE date_bin('1 hour', e.f, TIMESTAMPTZ '2000-01-01 00:00:00+00') + interval '1 hour'
           END AS h0,
           date_bin('1 hour', e.t, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS h1
      FROM (SELECT cal.location_id, p_from AS f, cal.d0 AS t FROM cal WHERE cal.whole_days AND p_from < cal.d0
            UNION ALL
            SELECT cal.location_id, cal.d1, p_to FROM cal WHERE cal.whole_days AND cal.d1 < p_to
            UNION ALL
            SELECT cal.location_id, p_from, p_to FROM cal WHERE NOT cal.whole_days) e
), raws AS (
    SELECT r.location_id, r.f, r.t
      FROM (SELECT edges.location_id, edges.f, CASE WHEN edges.h0 < edges.h1 THEN edges.h0 ELSE edges.t END AS t
              FROM edges
            UNION ALL
            SELECT edges.location_id, edges.h1, edges.t FROM edges WHERE edges.h0 < edges.h1) r
     WHERE r.f < r.t
), parts AS (
    SELECT x.*
      FROM cal
     CROSS JOIN LATERAL (
           SELECT mo.location_id, 1 AS lvl, mo.month_start AS k, mo.snapshot_count, mo.total_production_hours, mo.total_downtime_hours, mo.total_failures, mo.uptime_weighted_hours, mo.uptime_exposure_hours, mo.oee_productive_hours, mo.oee_planned_hours, mo.efficiency_weighted_hours, mo.efficiency_exposure_hours, mo.energy_kwh, mo.energy_exposure_hours, mo.failure_exposure_hours, mo.repair_hours, mo.repaired_failures, mo.component_planned_hours, mo.component_run_hours, mo.component_ideal_hours, mo.component_total_count, mo.component_good_count, mo.seed_uptime_sum, mo.seed_uptime_count, mo.seed_efficiency_sum, mo.seed_efficiency_count, mo.seed_energy_sum, mo.seed_energy_count, mo.seed_oee_sum, mo.seed_oee_count, mo.seed_mtbf_sum, mo.seed_mtbf_count, mo.seed_mttr_sum, mo.seed_mttr_count
             FROM ${schema}.fleet_metrics_monthly mo
            WHERE mo.organization_id = p_organization_id AND mo.location_id = cal.location_id
              AND mo.month >= cal.lm0 AND mo.month < cal.lm1
           OFFSET 0) x
     WHERE cal.whole_days AND cal.lm0 < cal.lm1
    UNION ALL
    SELECT x.*
      FROM gaps
     CROSS JOIN LATERAL (
           SELECT wk.location_id, 2, wk.week_start, wk.snapshot_count, wk.total_production_hours, wk.total_downtime_hours, wk.total_failures, wk.uptime_weighted_hours, wk.uptime_exposure_hours, wk.oee_productive_hours, wk.oee_planned_hours, wk.efficiency_weighted_hours, wk.efficiency_exposure_hours, wk.energy_kwh, wk.energy_exposure_hours, wk.failure_exposure_hours, wk.repair_hours, wk.repaired_failures, wk.component_planned_hours, wk.component_run_hours, wk.component_ideal_hours, wk.component_total_count, wk.component_good_count, wk.seed_uptime_sum, wk.seed_uptime_count, wk.seed_efficiency_sum, wk.seed_efficiency_count, wk.seed_energy_sum, wk.seed_energy_count, wk.seed_oee_sum, wk.seed_oee_count, wk.seed_mtbf_sum, wk.seed_mtbf_count, wk.seed_mttr_sum, wk.seed_mttr_count
             FROM ${schema}.fleet_metrics_weekly wk
            WHERE wk.organization_id = p_organization_id AND wk.location_id = gaps.location_id
              AND wk.week >= gaps.w0 AND wk.week < gaps.w1
           OFFSET 0) x
     WHERE gaps.w0 < gaps.w1
    UNION ALL
    SELECT x.*
      FROM days
     CROSS JOIN LATERAL (
           SELECT d.location_id, 3, d.day, d.snapshot_count, d.total_production_hours, d.total_downtime_hours, d.total_failures, d.uptime_weighted_hours, d.uptime_exposure_hours, d.oee_productive_hours, d.oee_planned_hours, d.efficiency_weighted_hours, d.efficiency_exposure_hours, d.energy_kwh, d.energy_exposure_hours, d.failure_exposure_hours, d.repair_hours, d.repaired_failures, d.component_planned_hours, d.component_run_hours, d.component_ideal_hours, d.component_total_count, d.component_good_count, d.seed_uptime_sum, d.seed_uptime_count, d.seed_efficiency_sum, d.seed_efficiency_count, d.seed_energy_sum, d.seed_energy_count, d.seed_oee_sum, d.seed_oee_count, d.seed_mtbf_sum, d.seed_mtbf_count, d.seed_mttr_sum, d.seed_mttr_count
             FROM ${schema}.fleet_metrics_daily d
            WHERE d.organization_id = p_organization_id AND d.location_id = days.location_id
              AND d.local_date >= days.f AND d.local_date < days.t
           OFFSET 0) x
    UNION ALL
    SELECT x.*
      FROM edges
     CROSS JOIN LATERAL (
           SELECT h.location_id, 4, h.hour, h.snapshot_count, h.total_production_hours, h.total_downtime_hours, h.total_failures, h.uptime_weighted_hours, h.uptime_exposure_hours, h.oee_productive_hours, h.oee_planned_hours, h.efficiency_weighted_hours, h.efficiency_exposure_hours, h.energy_kwh, h.energy_exposure_hours, h.failure_exposure_hours, h.repair_hours, h.repaired_failures, h.component_planned_hours, h.component_run_hours, h.component_ideal_hours, h.component_total_count, h.component_good_count, h.seed_uptime_sum, h.seed_uptime_count, h.seed_efficiency_sum, h.seed_efficiency_count, h.seed_energy_sum, h.seed_energy_count, h.seed_oee_sum, h.seed_oee_count, h.seed_mtbf_sum, h.seed_mtbf_count, h.seed_mttr_sum, h.seed_mttr_count
             FROM ${schema}.fleet_metrics_hourly h
            WHERE h.organization_id = p_organization_id AND h.location_id = edges.location_id
              AND h.hour >= edges.h0 AND h.hour < edges.h1
           OFFSET 0) x
     WHERE edges.h0 < edges.h1
    UNION ALL
    -- raw pieces lie within 27 hours of either end of the window (a partial local day, 25 hours
    -- at most, at each end; a window without a whole local day spans less than 54 hours): bounds
    -- the executor evaluates once, so that TimescaleDB reads only the chunks at the two ends
    -- instead of every chunk of the window for every piece
    SELECT x.*
      FROM raws r
     CROSS JOIN LATERAL (
           SELECT c.location_id, 5, c."timestamp", 1::bigint, c.production_hours, c.downtime_hours, c.failures::bigint, c.uptime_weighted_hours, c.uptime_exposure_hours, c.oee_productive_hours, c.oee_planned_hours, c.efficiency_weighted_hours, c.efficiency_exposure_hours, c.energy_kwh, c.energy_exposure_hours, c.failure_exposure_hours, c.repair_hours, c.repaired_failures::bigint, c.component_planned_hours, c.component_run_hours, c.component_ideal_hours, c.component_total_count, c.component_good_count, c.avg_uptime, (c.avg_uptime IS NOT NULL)::int::bigint, c.avg_efficiency, (c.avg_efficiency IS NOT NULL)::int::bigint, c.avg_energy_consumption, (c.avg_energy_consumption IS NOT NULL)::int::bigint, c.oee, (c.oee IS NOT NULL)::int::bigint, c.mtbf, (c.mtbf IS NOT NULL)::int::bigint, c.mttr, (c.mttr IS NOT NULL)::int::bigint
             FROM ${schema}.fleet_metrics_components c
            WHERE c.organization_id = p_organization_id AND c.location_id = r.location_id
              AND c."timestamp" >= r.f AND c."timestamp" < r.t
              AND c."timestamp" >= p_from AND c."timestamp" < p_from + interval '27 hours'
           OFFSET 0) x
    UNION ALL
    SELECT x.*
      FROM raws r
     CROSS JOIN LATERAL (
           SELECT c.location_id, 5, c."timestamp", 1::bigint, c.production_hours, c.downtime_hours, c.failures::bigint, c.uptime_weighted_hours, c.uptime_exposure_hours, c.oee_productive_hours, c.oee_planned_hours, c.efficiency_weighted_hours, c.efficiency_exposure_hours, c.energy_kwh, c.energy_exposure_hours, c.failure_exposure_hours, c.repair_hours, c.repaired_failures::bigint, c.component_planned_hours, c.component_run_hours, c.component_ideal_hours, c.component_total_count, c.component_good_count, c.avg_uptime, (c.avg_uptime IS NOT NULL)::int::bigint, c.avg_efficiency, (c.avg_efficiency IS NOT NULL)::int::bigint, c.avg_energy_consumption, (c.avg_energy_consumption IS NOT NULL)::int::bigint, c.oee, (c.oee IS NOT NULL)::int::bigint, c.mtbf, (c.mtbf IS NOT NULL)::int::bigint, c.mttr, (c.mttr IS NOT NULL)::int::bigint
             FROM ${schema}.fleet_metrics_components c
            WHERE c.organization_id = p_organization_id AND c.location_id = r.location_id
              AND c."timestamp" >= r.f AND c."timestamp" < r.t
              AND c."timestamp" >= greatest(p_to - interval '27 hours', p_from + interval '27 hours')
              AND c."timestamp" < p_to
           OFFSET 0) x
), sums AS (
    SELECT p.location_id, sum(p.snapshot_count) AS snapshot_count, sum(p.total_production_hours) AS total_production_hours, sum(p.total_downtime_hours) AS total_downtime_hours, sum(p.total_failures) AS total_failures, sum(p.uptime_weighted_hours) AS uptime_weighted_hours, sum(p.uptime_exposure_hours) AS uptime_exposure_hours, sum(p.oee_productive_hours) AS oee_productive_hours, sum(p.oee_planned_hours) AS oee_planned_hours, sum(p.efficiency_weighted_hours) AS efficiency_weighted_hours, sum(p.efficiency_exposure_hours) AS efficiency_exposure_hours, sum(p.energy_kwh) AS energy_kwh, sum(p.energy_exposure_hours) AS energy_exposure_hours, sum(p.failure_exposure_hours) AS failure_exposure_hours, sum(p.repair_hours) AS repair_hours, sum(p.repaired_failures) AS repaired_failures, sum(p.component_planned_hours) AS component_planned_hours, sum(p.component_run_hours) AS component_run_hours, sum(p.component_ideal_hours) AS component_ideal_hours, sum(p.component_total_count) AS component_total_count, sum(p.component_good_count) AS component_good_count, sum(p.seed_uptime_sum) AS seed_uptime_sum, sum(p.seed_uptime_count) AS seed_uptime_count, sum(p.seed_efficiency_sum) AS seed_efficiency_sum, sum(p.seed_efficiency_count) AS seed_efficiency_count, sum(p.seed_energy_sum) AS seed_energy_sum, sum(p.seed_energy_count) AS seed_energy_count, sum(p.seed_oee_sum) AS seed_oee_sum, sum(p.seed_oee_count) AS seed_oee_count, sum(p.seed_mtbf_sum) AS seed_mtbf_sum, sum(p.seed_mtbf_count) AS seed_mtbf_count, sum(p.seed_mttr_sum) AS seed_mttr_sum, sum(p.seed_mttr_count) AS seed_mttr_count
      FROM (SELECT * FROM parts ORDER BY parts.location_id, parts.lvl, parts.k) p
     GROUP BY p.location_id
)
SELECT loc.location_id,
       coalesce(s.snapshot_count, 0)::bigint,
       coalesce(s.total_production_hours, 0)::double precision,
       coalesce(s.total_downtime_hours, 0)::double precision,
       coalesce(s.total_failures, 0)::bigint,
       coalesce(s.uptime_weighted_hours, 0)::double precision,
       coalesce(s.uptime_exposure_hours, 0)::double precision,
       coalesce(s.oee_productive_hours, 0)::double precision,
       coalesce(s.oee_planned_hours, 0)::double precision,
       coalesce(s.efficiency_weighted_hours, 0)::double precision,
       coalesce(s.efficiency_exposure_hours, 0)::double precision,
       coalesce(s.energy_kwh, 0)::double precision,
       coalesce(s.energy_exposure_hours, 0)::double precision,
       coalesce(s.failure_exposure_hours, 0)::double precision,
       coalesce(s.repair_hours, 0)::double precision,
       coalesce(s.repaired_failures, 0)::bigint,
       coalesce(s.component_planned_hours, 0)::double precision,
       coalesce(s.component_run_hours, 0)::double precision,
       coalesce(s.component_ideal_hours, 0)::double precision,
       coalesce(s.component_total_count, 0)::bigint,
       coalesce(s.component_good_count, 0)::bigint,
       coalesce(s.seed_uptime_sum, 0)::double precision,
       coalesce(s.seed_uptime_count, 0)::bigint,
       coalesce(s.seed_efficiency_sum, 0)::double precision,
       coalesce(s.seed_efficiency_count, 0)::bigint,
       coalesce(s.seed_energy_sum, 0)::double precision,
       coalesce(s.seed_energy_count, 0)::bigint,
       coalesce(s.seed_oee_sum, 0)::double precision,
       coalesce(s.seed_oee_count, 0)::bigint,
       coalesce(s.seed_mtbf_sum, 0)::double precision,
       coalesce(s.seed_mtbf_count, 0)::bigint,
       coalesce(s.seed_mttr_sum, 0)::double precision,
       coalesce(s.seed_mttr_count, 0)::bigint
  FROM loc
  LEFT JOIN sums s ON s.location_id = loc.location_id
$fn$;
