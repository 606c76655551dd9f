-- Exact component sums for any window, per location, read from the cheapest exact source:
-- whole local days from fleet_metrics_daily, whole UTC hours from fleet_metrics_hourly, and raw rows
-- for the rest. Because every source stores additive components, the pieces add up to exactly
-- what a scan of the raw rows over [p_from, p_to) would give.
--
-- For each location (all of the organization's when p_location_ids is NULL):
--   [d0, d1)  the whole local calendar days inside the window, in the location's zone
--   the edges [p_from, d0) and [d1, p_to) (or the whole window when no day fits) are tiled into
--   whole UTC hours (hourly rollup) and the sub-hour remainders (raw rows).
-- Every requested location gets a row, with snapshot_count = 0 when it has no data in the window.

CREATE FUNCTION ${schema}.fleet_window_sums(
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
WITH loc AS (
    SELECT l.id AS location_id,
           CASE WHEN ((p_from AT TIME ZONE l.timezone)::date::timestamp AT TIME ZONE l.timezone) = p_from
                THEN p_from
                ELSE (((p_from AT TIME ZONE l.timezone)::date + 1)::timestamp AT TIME ZONE l.timezone)
           END AS d0,
           ((p_to AT TIME ZONE l.timezone)::date::timestamp AT TIME ZONE l.timezone) AS d1
      FROM ${schema}.locations l
     WHERE l.organization_id = p_organization_id
       AND (p_location_ids IS NULL OR l.id = ANY (p_location_ids))
       AND p_from < p_to
), spans AS (
    SELECT loc.location_id, 'day'::text AS kind, loc.d0 AS f, loc.d1 AS t FROM loc WHERE loc.d0 < loc.d1
    UNION ALL
    SELECT loc.location_id, 'edge', p_from, loc.d0 FROM loc WHERE loc.d0 < loc.d1 AND p_from < loc.d0
    UNION ALL
    SELECT loc.location_id, 'edge', loc.d1, p_to FROM loc WHERE loc.d0 < loc.d1 AND loc.d1 < p_to
    UNION ALL
    SELECT loc.location_id, 'edge', p_from, p_to FROM loc WHERE NOT (loc.d0 < loc.d1)
), edges AS (
    SELECT s.location_id, s.f, s.t,
           CASE WHEN date_bin('1 hour', s.f, TIMESTAMPTZ '2000-01-01 00:00:00+00') = s.f THEN s.f
                ELSE date_bin('1 hour', s.f, TIMESTAMPTZ '2000-01-01 00:00:00+00') + interval '1 hour'
           END AS h0,
           date_bin('1 hour', s.t, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS h1
      FROM spans s
     WHERE s.kind = 'edge'
), tiles AS (
    SELECT location_id, 'day'::text AS kind, f, t FROM spans WHERE kind = 'day'
    UNION ALL
    SELECT location_id, 'hour', h0, h1 FROM edges WHERE h0 < h1
    UNION ALL
    SELECT location_id, 'raw', f, CASE WHEN h0 < h1 THEN h0 ELSE t END FROM edges
     WHERE f < CASE WHEN h0 < h1 THEN h0 ELSE t END
    UNION ALL
    SELECT location_id, 'raw', h1, t FROM edges WHERE h0 < h1 AND h1 < t
), parts AS (
    SELECT tl.location_id, d.snapshot_count, d.total_production_hours, d.total_downtime_hours, d.total_failures, d.uptime_weighted_hours, d.uptime_exposure_hours, d.oee_productive_hours, d.oee_planned_hours, d.efficiency_weighted_hours, d.efficiency_exposure_hours, d.energy_kwh, d.energy_exposure_hours, d.failure_exposure_hours, d.repair_hours, d.repaired_failures, d.component_planned_hours, d.component_run_hours, d.component_ideal_hours, d.component_total_count, d.component_good_count, d.seed_uptime_sum, d.seed_uptime_count, d.seed_efficiency_sum, d.seed_efficiency_count, d.seed_energy_sum, d.seed_energy_count, d.seed_oee_sum, d.seed_oee_count, d.seed_mtbf_sum, d.seed_mtbf_count, d.seed_mttr_sum, d.seed_mttr_count
      FROM tiles tl
      JOIN ${schema}.fleet_metrics_daily d
        ON d.organization_id = p_organization_id AND d.location_id = tl.location_id
       AND d.day >= tl.f AND d.day < tl.t
     WHERE tl.kind = 'day'
    UNION ALL
    SELECT tl.location_id, h.snapshot_count, h.total_production_hours, h.total_downtime_hours, h.total_failures, h.uptime_weighted_hours, h.uptime_exposure_hours, h.oee_productive_hours, h.oee_planned_hours, h.efficiency_weighted_hours, h.efficiency_exposure_hours, h.energy_kwh, h.energy_exposure_hours, h.failure_exposure_hours, h.repair_hours, h.repaired_failures, h.component_planned_hours, h.component_run_hours, h.component_ideal_hours, h.component_total_count, h.component_good_count, h.seed_uptime_sum, h.seed_uptime_count, h.seed_efficiency_sum, h.seed_efficiency_count, h.seed_energy_sum, h.seed_energy_count, h.seed_oee_sum, h.seed_oee_count, h.seed_mtbf_sum, h.seed_mtbf_count, h.seed_mttr_sum, h.seed_mttr_count
      FROM tiles tl
      JOIN ${schema}.fleet_metrics_hourly h
        ON h.organization_id = p_organization_id AND h.location_id = tl.location_id
       AND h.hour >= tl.f AND h.hour < tl.t
     WHERE tl.kind = 'hour'
    UNION ALL
    SELECT tl.location_id, r.snapshot_count, r.total_production_hours, r.total_downtime_hours, r.total_failures, r.uptime_weighted_hours, r.uptime_exposure_hours, r.oee_productive_hours, r.oee_planned_hours, r.efficiency_weighted_hours, r.efficiency_exposure_hours, r.energy_kwh, r.energy_exposure_hours, r.failure_exposure_hours, r.repair_hours, r.repaired_failures, r.component_planned_hours, r.component_run_hours, r.component_ideal_hours, r.component_total_count, r.component_good_count, r.seed_uptime_sum, r.seed_uptime_count, r.seed_efficiency_sum, r.seed_efficiency_count, r.seed_energy_sum, r.seed_energy_count, r.seed_oee_sum, r.seed_oee_count, r.seed_mtbf_sum, r.seed_mtbf_count, r.seed_mttr_sum, r.seed_mttr_count
      FROM tiles tl
     CROSS JOIN LATERAL ${schema}.fleet_metrics_component_sums(p_organization_id, tl.location_id, tl.f, tl.t) r
     WHERE tl.kind = 'raw'
)
SELECT loc.location_id,
           coalesce(sum(p.snapshot_count), 0)::bigint AS snapshot_count,
           coalesce(sum(p.total_production_hours), 0)::double precision AS total_production_hours,
           coalesce(sum(p.total_downtime_hours), 0)::double precision AS total_downtime_hours,
           coalesce(sum(p.total_failures), 0)::bigint AS total_failures,
           coalesce(sum(p.uptime_weighted_hours), 0)::double precision AS uptime_weighted_hours,
           coalesce(sum(p.uptime_exposure_hours), 0)::double precision AS uptime_exposure_hours,
           coalesce(sum(p.oee_productive_hours), 0)::double precision AS oee_productive_hours,
           coalesce(sum(p.oee_planned_hours), 0)::double precision AS oee_planned_hours,
           coalesce(sum(p.efficiency_weighted_hours), 0)::double precision AS efficiency_weighted_hours,
           coalesce(sum(p.efficiency_exposure_hours), 0)::double precision AS efficiency_exposure_hours,
           coalesce(sum(p.energy_kwh), 0)::double precision AS energy_kwh,
           coalesce(sum(p.energy_exposure_hours), 0)::double precision AS energy_exposure_hours,
           coalesce(sum(p.failure_exposure_hours), 0)::double precision AS failure_exposure_hours,
           coalesce(sum(p.repair_hours), 0)::double precision AS repair_hours,
           coalesce(sum(p.repaired_failures), 0)::bigint AS repaired_failures,
           coalesce(sum(p.component_planned_hours), 0)::double precision AS component_planned_hours,
           coalesce(sum(p.component_run_hours), 0)::double precision AS component_run_hours,
           coalesce(sum(p.component_ideal_hours), 0)::double precision AS component_ideal_hours,
           coalesce(sum(p.component_total_count), 0)::bigint AS component_total_count,
           coalesce(sum(p.component_good_count), 0)::bigint AS component_good_count,
           coalesce(sum(p.seed_uptime_sum), 0)::double precision AS seed_uptime_sum,
           coalesce(sum(p.seed_uptime_count), 0)::bigint AS seed_uptime_count,
           coalesce(sum(p.seed_efficiency_sum), 0)::double precision AS seed_efficiency_sum,
           coalesce(sum(p.seed_efficiency_count), 0)::bigint AS seed_efficiency_count,
           coalesce(sum(p.seed_energy_sum), 0)::double precision AS seed_energy_sum,
           coalesce(sum(p.seed_energy_count), 0)::bigint AS seed_energy_count,
           coalesce(sum(p.seed_oee_sum), 0)::double precision AS seed_oee_sum,
           coalesce(sum(p.seed_oee_count), 0)::bigint AS seed_oee_count,
           coalesce(sum(p.seed_mtbf_sum), 0)::double precision AS seed_mtbf_sum,
           coalesce(sum(p.seed_mtbf_count), 0)::bigint AS seed_mtbf_count,
           coalesce(sum(p.seed_mttr_sum), 0)::double precision AS seed_mttr_sum,
           coalesce(sum(p.seed_mttr_count), 0)::bigint AS seed_mttr_count
  FROM loc
  LEFT JOIN parts p ON p.location_id = loc.location_id
 GROUP BY loc.location_id
$fn$;
