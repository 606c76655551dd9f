-- Definitions (re-applied whole whenever one changes; see docs/schema.md): the raw rows as
-- additive components, and their sums over a range.

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
-- security_invoker: the view reads fleet_metrics with the caller's rights, so row-level security
-- applies (a view owned by a superuser would otherwise show every organization's rows).
CREATE OR REPLACE VIEW ${schema}.fleet_metrics_components WITH (security_invoker = true) AS
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

-- The one definition of a bucket's component sums, over one location's raw rows in [p_from, p_to).
-- PL/pgSQL rather than an inlined SQL function so that Citus plans it with the organization known;
-- elsewhere it keeps one generic plan per connection (plans.sql).
CREATE OR REPLACE FUNCTION ${schema}.fleet_metrics_component_sums(
    p_organization_id VARCHAR, p_location_id VARCHAR, p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (
    snapshot_count BIGINT, total_production_hours DOUBLE PRECISION, total_downtime_hours DOUBLE PRECISION, total_failures BIGINT, uptime_weighted_hours DOUBLE PRECISION,
    uptime_exposure_hours DOUBLE PRECISION, oee_productive_hours DOUBLE PRECISION, oee_planned_hours DOUBLE PRECISION, efficiency_weighted_hours DOUBLE PRECISION,
    efficiency_exposure_hours DOUBLE PRECISION, energy_kwh DOUBLE PRECISION, energy_exposure_hours DOUBLE PRECISION, failure_exposure_hours DOUBLE PRECISION, repair_hours DOUBLE PRECISION,
    repaired_failures BIGINT, component_planned_hours DOUBLE PRECISION, component_run_hours DOUBLE PRECISION, component_ideal_hours DOUBLE PRECISION, component_total_count BIGINT,
    component_good_count BIGINT, seed_uptime_sum DOUBLE PRECISION, seed_uptime_count BIGINT, seed_efficiency_sum DOUBLE PRECISION, seed_efficiency_count BIGINT,
    seed_energy_sum DOUBLE PRECISION, seed_energy_count BIGINT, seed_oee_sum DOUBLE PRECISION, seed_oee_count BIGINT, seed_mtbf_sum DOUBLE PRECISION, seed_mtbf_count BIGINT,
    seed_mttr_sum DOUBLE PRECISION, seed_mttr_count BIGINT)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT count(*), coalesce(sum(c.production_hours), 0), coalesce(sum(c.downtime_hours), 0), coalesce(sum(c.failures), 0),
           coalesce(sum(c.uptime_weighted_hours), 0), coalesce(sum(c.uptime_exposure_hours), 0), coalesce(sum(c.oee_productive_hours), 0),
           coalesce(sum(c.oee_planned_hours), 0), coalesce(sum(c.efficiency_weighted_hours), 0),
           coalesce(sum(c.efficiency_exposure_hours), 0), coalesce(sum(c.energy_kwh), 0), coalesce(sum(c.energy_exposure_hours), 0),
           coalesce(sum(c.failure_exposure_hours), 0), coalesce(sum(c.repair_hours), 0), coalesce(sum(c.repaired_failures), 0),
           coalesce(sum(c.component_planned_hours), 0), coalesce(sum(c.component_run_hours), 0), coalesce(sum(c.component_ideal_hours), 0),
           coalesce(sum(c.component_total_count), 0)::bigint, coalesce(sum(c.component_good_count), 0)::bigint,
           coalesce(sum(c.avg_uptime), 0), count(c.avg_uptime), coalesce(sum(c.avg_efficiency), 0), count(c.avg_efficiency),
           coalesce(sum(c.avg_energy_consumption), 0), count(c.avg_energy_consumption), coalesce(sum(c.oee), 0), count(c.oee),
           coalesce(sum(c.mtbf), 0), count(c.mtbf), coalesce(sum(c.mttr), 0), count(c.mttr)
      FROM ${schema}.fleet_metrics_components c
     WHERE c.organization_id = p_organization_id AND c.location_id = p_location_id
       AND c."timestamp" >= p_from AND c."timestamp" < p_to;
END
$fn$;
