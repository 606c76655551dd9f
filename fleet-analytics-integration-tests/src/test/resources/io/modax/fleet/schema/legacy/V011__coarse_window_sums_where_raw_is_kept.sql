-- Window sums read the coarse rollups again at locations whose local midnight is not on a UTC hour.
--
-- V010 read such a location's whole window (Asia/Kolkata, Asia/Kathmandu, America/St_Johns,
-- Australia/Adelaide ...) from whole UTC hours so that no window of whole hours needs raw rows,
-- which may have been dropped past their retention: exact, but a year is 8,760 hourly rows per
-- location instead of about a dozen months and a few weeks, days and hours (the one-year location
-- comparison of the benchmark's 100 locations, 25 of them in such zones, went from a few hundred
-- milliseconds to 1.3 s). Now such a location reads days, weeks and months as every other one does
-- whenever the raw rows of the sub-hour piece at the window's first local midnight are kept, and
-- falls back to whole hours only when raw history was dropped there: the UTC hour holding that
-- midnight has an hourly bucket but no raw row left. FleetMaintenance drops raw history as a
-- prefix before a whole UTC hour (or whole chunks), so when that hour's rows are kept, every later
-- junction's are too. Two primary-key probes per such location decide it. Same sums either way.

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
    -- whole days (and so weeks and months) where both junctions with the edges are whole UTC hours,
    -- or, at a location whose local midnight is not (Asia/Kolkata, Asia/Kathmandu, ...), where the
    -- raw rows of the sub-hour piece at the first local midnight are still kept (raw history is
    -- dropped as a prefix, so the later junctions' are then kept too); otherwise the window is
    -- read from whole UTC hours (V010), which needs no raw row for whole-hour edges
    SELECT loc.location_id, loc.ld0, loc.ld1,
           (loc.ld0 < loc.ld1
            AND CASE
                WHEN date_bin('1 hour', (loc.ld0::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00')
                     = (loc.ld0::timestamp AT TIME ZONE loc.tz)
                 AND date_bin('1 hour', (loc.ld1::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00')
                     = (loc.ld1::timestamp AT TIME ZONE loc.tz)
                THEN true
                -- J, the UTC hour holding the first local midnight: its raw rows were dropped when
                -- its hourly bucket has snapshots but no raw row is left in it
                ELSE NOT (EXISTS (SELECT 1 FROM ${schema}.fleet_metrics_hourly hb
                                   WHERE hb.organization_id = p_organization_id AND hb.location_id = loc.location_id
                                     AND hb.hour = date_bin('1 hour', (loc.ld0::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00'))
                          AND NOT EXISTS (SELECT 1 FROM ${schema}.fleet_metrics f
                                           WHERE f.organization_id = p_organization_id AND f.location_id = loc.location_id
                                             AND f."timestamp" >= date_bin('1 hour', (loc.ld0::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00')
                                             AND f."timestamp" < date_bin('1 hour', (loc.ld0::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00') + interval '1 hour'))
                END) AS whole_days,
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
    -- at most, at each end; a window without a whole local day spans less than 54 hours, or, at a
    -- location read from whole hours, its raw pieces lie within an hour of the ends): bounds
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
