-- Definitions (re-applied whole whenever one changes; see docs/schema.md): exact component sums
-- for any window, per location, read from as few rows as possible: whole local months from
-- fleet_metrics_monthly, whole local ISO weeks in the rest from fleet_metrics_weekly, the remaining
-- whole local days from fleet_metrics_daily, whole UTC hours from fleet_metrics_hourly and raw
-- rows for the sub-hour rest. Every source stores additive components, so the pieces add up to
-- exactly what a scan of the raw rows over [p_from, p_to) would give.

-- The sums of raw pieces [p_from[i], p_to[i]) of locations p_location_ids[i], each piece's rows
-- added in timestamp order; one row per piece that has rows, in piece order. A piece lies near the
-- window's start (p_near_start[i]) inside [p_start_lo, p_start_hi), or near its end inside
-- [p_end_lo, p_end_hi): those bounds are what the planner sees as constants (the statement is
-- planned on each call), so that on TimescaleDB only the chunks at the window's two ends are
-- opened, once per call instead of once per piece. Each piece is summed where it is read (one
-- aggregate per piece over its index range, in timestamp order), so no sort of all the rows.
CREATE OR REPLACE FUNCTION ${schema}.fleet_window_raw_sums(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_from TIMESTAMPTZ[], p_to TIMESTAMPTZ[],
    p_near_start BOOLEAN[], p_start_lo TIMESTAMPTZ, p_start_hi TIMESTAMPTZ,
    p_end_lo TIMESTAMPTZ, p_end_hi TIMESTAMPTZ)
RETURNS TABLE (piece BIGINT, location_id VARCHAR, piece_start TIMESTAMPTZ,
    snapshot_count BIGINT, total_production_hours DOUBLE PRECISION, total_downtime_hours DOUBLE PRECISION, total_failures BIGINT, uptime_weighted_hours DOUBLE PRECISION,
    uptime_exposure_hours DOUBLE PRECISION, oee_productive_hours DOUBLE PRECISION, oee_planned_hours DOUBLE PRECISION, efficiency_weighted_hours DOUBLE PRECISION,
    efficiency_exposure_hours DOUBLE PRECISION, energy_kwh DOUBLE PRECISION, energy_exposure_hours DOUBLE PRECISION, failure_exposure_hours DOUBLE PRECISION, repair_hours DOUBLE PRECISION,
    repaired_failures BIGINT, component_planned_hours DOUBLE PRECISION, component_run_hours DOUBLE PRECISION, component_ideal_hours DOUBLE PRECISION, component_total_count BIGINT,
    component_good_count BIGINT, seed_uptime_sum DOUBLE PRECISION, seed_uptime_count BIGINT, seed_efficiency_sum DOUBLE PRECISION, seed_efficiency_count BIGINT,
    seed_energy_sum DOUBLE PRECISION, seed_energy_count BIGINT, seed_oee_sum DOUBLE PRECISION, seed_oee_count BIGINT, seed_mtbf_sum DOUBLE PRECISION, seed_mtbf_count BIGINT,
    seed_mttr_sum DOUBLE PRECISION, seed_mttr_count BIGINT)
LANGUAGE plpgsql STABLE
-- chunks are excluded when the statement is planned: no per-piece exclusion at run time. The
-- statement is kept parsed (static SQL) but planned on every call with the values as constants
-- (force_custom_plan), which is what lets the planner exclude the chunks; each piece is read by
-- its own index range (a LATERAL subquery per piece, so a parameterized index scan), not by
-- hashing every row near the ends. Seq scans are off because a chunk the writer has
-- just filled has no statistics yet: estimated at a row or two, a per-piece scan of the whole chunk
-- looked cheap and made a 100,000-row append quadratic (0.6 billion rows filtered, 189 s)
SET timescaledb.enable_chunk_append = off
SET plan_cache_mode = force_custom_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
-- a few hundred small index ranges: starting parallel workers costs more than reading them
SET max_parallel_workers_per_gather = 0
AS $fn$
#variable_conflict use_column
DECLARE
    -- on Citus, how a piece's raw rows are joined to it (a constant text; %1$s, %2$s: the
    -- parameters that bound the time range near the window's start or end). Citus refuses OFFSET in
    -- a LATERAL subquery over a table function, so there the plain join is used as before (its
    -- shards are read by index ranges per piece) and all the rows are sorted before they are summed.
    citus_piece_rows CONSTANT TEXT := $j$JOIN ${schema}.fleet_metrics_components c
                    ON c.organization_id = $1 AND c.location_id = u.location_id AND c."timestamp" >= u.f
                   AND c."timestamp" < u.t AND c."timestamp" >= %1$s AND c."timestamp" < %2$s$j$;
BEGIN
    IF coalesce(cardinality(p_location_ids), 0) = 0 THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        -- a constant statement text; every value travels as a parameter
        RETURN QUERY EXECUTE format($q$
        SELECT q.piece, min(q.location_id)::varchar, min(q.f), sum(r0)::bigint AS snapshot_count, sum(r1) AS total_production_hours, sum(r2) AS total_downtime_hours, sum(r3)::bigint AS total_failures, sum(r4) AS uptime_weighted_hours, sum(r5) AS uptime_exposure_hours, sum(r6) AS oee_productive_hours, sum(r7) AS oee_planned_hours, sum(r8) AS efficiency_weighted_hours, sum(r9) AS efficiency_exposure_hours, sum(r10) AS energy_kwh, sum(r11) AS energy_exposure_hours, sum(r12) AS failure_exposure_hours, sum(r13) AS repair_hours, sum(r14)::bigint AS repaired_failures, sum(r15) AS component_planned_hours, sum(r16) AS component_run_hours, sum(r17) AS component_ideal_hours, sum(r18)::bigint AS component_total_count, sum(r19)::bigint AS component_good_count, sum(r20) AS seed_uptime_sum, sum(r21)::bigint AS seed_uptime_count, sum(r22) AS seed_efficiency_sum, sum(r23)::bigint AS seed_efficiency_count, sum(r24) AS seed_energy_sum, sum(r25)::bigint AS seed_energy_count, sum(r26) AS seed_oee_sum, sum(r27)::bigint AS seed_oee_count, sum(r28) AS seed_mtbf_sum, sum(r29)::bigint AS seed_mtbf_count, sum(r30) AS seed_mttr_sum, sum(r31)::bigint AS seed_mttr_count
          FROM (SELECT u.piece, u.location_id, u.f, c."timestamp" AS ts, 1::bigint AS r0, c.production_hours AS r1, c.downtime_hours AS r2, c.failures::bigint AS r3, c.uptime_weighted_hours AS r4, c.uptime_exposure_hours AS r5, c.oee_productive_hours AS r6, c.oee_planned_hours AS r7, c.efficiency_weighted_hours AS r8, c.efficiency_exposure_hours AS r9, c.energy_kwh AS r10, c.energy_exposure_hours AS r11, c.failure_exposure_hours AS r12, c.repair_hours AS r13, c.repaired_failures::bigint AS r14, c.component_planned_hours AS r15, c.component_run_hours AS r16, c.component_ideal_hours AS r17, c.component_total_count AS r18, c.component_good_count AS r19, c.avg_uptime AS r20, (c.avg_uptime IS NOT NULL)::int::bigint AS r21, c.avg_efficiency AS r22, (c.avg_efficiency IS NOT NULL)::int::bigint AS r23, c.avg_energy_consumption AS r24, (c.avg_energy_consumption IS NOT NULL)::int::bigint AS r25, c.oee AS r26, (c.oee IS NOT NULL)::int::bigint AS r27, c.mtbf AS r28, (c.mtbf IS NOT NULL)::int::bigint AS r29, c.mttr AS r30, (c.mttr IS NOT NULL)::int::bigint AS r31
                  FROM unnest($2, $3, $4, $5) WITH ORDINALITY AS u(location_id, f, t, near_start, piece)
                 %1$s
                 WHERE u.near_start
                UNION ALL
                SELECT u.piece, u.location_id, u.f, c."timestamp" AS ts, 1::bigint AS r0, c.production_hours AS r1, c.downtime_hours AS r2, c.failures::bigint AS r3, c.uptime_weighted_hours AS r4, c.uptime_exposure_hours AS r5, c.oee_productive_hours AS r6, c.oee_planned_hours AS r7, c.efficiency_weighted_hours AS r8, c.efficiency_exposure_hours AS r9, c.energy_kwh AS r10, c.energy_exposure_hours AS r11, c.failure_exposure_hours AS r12, c.repair_hours AS r13, c.repaired_failures::bigint AS r14, c.component_planned_hours AS r15, c.component_run_hours AS r16, c.component_ideal_hours AS r17, c.component_total_count AS r18, c.component_good_count AS r19, c.avg_uptime AS r20, (c.avg_uptime IS NOT NULL)::int::bigint AS r21, c.avg_efficiency AS r22, (c.avg_efficiency IS NOT NULL)::int::bigint AS r23, c.avg_energy_consumption AS r24, (c.avg_energy_consumption IS NOT NULL)::int::bigint AS r25, c.oee AS r26, (c.oee IS NOT NULL)::int::bigint AS r27, c.mtbf AS r28, (c.mtbf IS NOT NULL)::int::bigint AS r29, c.mttr AS r30, (c.mttr IS NOT NULL)::int::bigint AS r31
                  FROM unnest($2, $3, $4, $5) WITH ORDINALITY AS u(location_id, f, t, near_start, piece)
                 %2$s
                 WHERE NOT u.near_start
                 ORDER BY 1, 4) q
         GROUP BY q.piece
         ORDER BY q.piece
    $q$, format(citus_piece_rows, '$6', '$7'), format(citus_piece_rows, '$8', '$9')) USING p_organization_id, p_location_ids, p_from, p_to, p_near_start,
              p_start_lo, p_start_hi, p_end_lo, p_end_hi;
    ELSE
        -- PostgreSQL and TimescaleDB: each piece's rows summed in its LATERAL subquery, in the
        -- index's timestamp order (the chunks of a piece that spans two merged in order)
        RETURN QUERY
        SELECT q.piece::bigint, q.location_id::varchar, q.f, q.snapshot_count, q.total_production_hours, q.total_downtime_hours, q.total_failures, q.uptime_weighted_hours, q.uptime_exposure_hours, q.oee_productive_hours, q.oee_planned_hours, q.efficiency_weighted_hours, q.efficiency_exposure_hours, q.energy_kwh, q.energy_exposure_hours, q.failure_exposure_hours, q.repair_hours, q.repaired_failures, q.component_planned_hours, q.component_run_hours, q.component_ideal_hours, q.component_total_count, q.component_good_count, q.seed_uptime_sum, q.seed_uptime_count, q.seed_efficiency_sum, q.seed_efficiency_count, q.seed_energy_sum, q.seed_energy_count, q.seed_oee_sum, q.seed_oee_count, q.seed_mtbf_sum, q.seed_mtbf_count, q.seed_mttr_sum, q.seed_mttr_count
          FROM (SELECT u.piece, u.location_id, u.f, x.*
              FROM unnest(p_location_ids, p_from, p_to, p_near_start) WITH ORDINALITY AS u(location_id, f, t, near_start, piece)
             CROSS JOIN LATERAL (
                   SELECT sum(r0)::bigint AS snapshot_count, sum(r1) AS total_production_hours, sum(r2) AS total_downtime_hours, sum(r3)::bigint AS total_failures, sum(r4) AS uptime_weighted_hours, sum(r5) AS uptime_exposure_hours, sum(r6) AS oee_productive_hours, sum(r7) AS oee_planned_hours, sum(r8) AS efficiency_weighted_hours, sum(r9) AS efficiency_exposure_hours, sum(r10) AS energy_kwh, sum(r11) AS energy_exposure_hours, sum(r12) AS failure_exposure_hours, sum(r13) AS repair_hours, sum(r14)::bigint AS repaired_failures, sum(r15) AS component_planned_hours, sum(r16) AS component_run_hours, sum(r17) AS component_ideal_hours, sum(r18)::bigint AS component_total_count, sum(r19)::bigint AS component_good_count, sum(r20) AS seed_uptime_sum, sum(r21)::bigint AS seed_uptime_count, sum(r22) AS seed_efficiency_sum, sum(r23)::bigint AS seed_efficiency_count, sum(r24) AS seed_energy_sum, sum(r25)::bigint AS seed_energy_count, sum(r26) AS seed_oee_sum, sum(r27)::bigint AS seed_oee_count, sum(r28) AS seed_mtbf_sum, sum(r29)::bigint AS seed_mtbf_count, sum(r30) AS seed_mttr_sum, sum(r31)::bigint AS seed_mttr_count
                     FROM (SELECT 1::bigint AS r0, c.production_hours AS r1, c.downtime_hours AS r2, c.failures::bigint AS r3, c.uptime_weighted_hours AS r4, c.uptime_exposure_hours AS r5, c.oee_productive_hours AS r6, c.oee_planned_hours AS r7, c.efficiency_weighted_hours AS r8, c.efficiency_exposure_hours AS r9, c.energy_kwh AS r10, c.energy_exposure_hours AS r11, c.failure_exposure_hours AS r12, c.repair_hours AS r13, c.repaired_failures::bigint AS r14, c.component_planned_hours AS r15, c.component_run_hours AS r16, c.component_ideal_hours AS r17, c.component_total_count AS r18, c.component_good_count AS r19, c.avg_uptime AS r20, (c.avg_uptime IS NOT NULL)::int::bigint AS r21, c.avg_efficiency AS r22, (c.avg_efficiency IS NOT NULL)::int::bigint AS r23, c.avg_energy_consumption AS r24, (c.avg_energy_consumption IS NOT NULL)::int::bigint AS r25, c.oee AS r26, (c.oee IS NOT NULL)::int::bigint AS r27, c.mtbf AS r28, (c.mtbf IS NOT NULL)::int::bigint AS r29, c.mttr AS r30, (c.mttr IS NOT NULL)::int::bigint AS r31
                             FROM ${schema}.fleet_metrics_components c
                            WHERE c.organization_id = p_organization_id AND c.location_id = u.location_id
                              AND c."timestamp" >= u.f AND c."timestamp" < u.t AND c."timestamp" >= p_start_lo AND c."timestamp" < p_start_hi
                            ORDER BY c."timestamp") c) x
             WHERE u.near_start AND x.snapshot_count > 0
            UNION ALL
            SELECT u.piece, u.location_id, u.f, x.*
              FROM unnest(p_location_ids, p_from, p_to, p_near_start) WITH ORDINALITY AS u(location_id, f, t, near_start, piece)
             CROSS JOIN LATERAL (
                   SELECT sum(r0)::bigint AS snapshot_count, sum(r1) AS total_production_hours, sum(r2) AS total_downtime_hours, sum(r3)::bigint AS total_failures, sum(r4) AS uptime_weighted_hours, sum(r5) AS uptime_exposure_hours, sum(r6) AS oee_productive_hours, sum(r7) AS oee_planned_hours, sum(r8) AS efficiency_weighted_hours, sum(r9) AS efficiency_exposure_hours, sum(r10) AS energy_kwh, sum(r11) AS energy_exposure_hours, sum(r12) AS failure_exposure_hours, sum(r13) AS repair_hours, sum(r14)::bigint AS repaired_failures, sum(r15) AS component_planned_hours, sum(r16) AS component_run_hours, sum(r17) AS component_ideal_hours, sum(r18)::bigint AS component_total_count, sum(r19)::bigint AS component_good_count, sum(r20) AS seed_uptime_sum, sum(r21)::bigint AS seed_uptime_count, sum(r22) AS seed_efficiency_sum, sum(r23)::bigint AS seed_efficiency_count, sum(r24) AS seed_energy_sum, sum(r25)::bigint AS seed_energy_count, sum(r26) AS seed_oee_sum, sum(r27)::bigint AS seed_oee_count, sum(r28) AS seed_mtbf_sum, sum(r29)::bigint AS seed_mtbf_count, sum(r30) AS seed_mttr_sum, sum(r31)::bigint AS seed_mttr_count
                     FROM (SELECT 1::bigint AS r0, c.production_hours AS r1, c.downtime_hours AS r2, c.failures::bigint AS r3, c.uptime_weighted_hours AS r4, c.uptime_exposure_hours AS r5, c.oee_productive_hours AS r6, c.oee_planned_hours AS r7, c.efficiency_weighted_hours AS r8, c.efficiency_exposure_hours AS r9, c.energy_kwh AS r10, c.energy_exposure_hours AS r11, c.failure_exposure_hours AS r12, c.repair_hours AS r13, c.repaired_failures::bigint AS r14, c.component_planned_hours AS r15, c.component_run_hours AS r16, c.component_ideal_hours AS r17, c.component_total_count AS r18, c.component_good_count AS r19, c.avg_uptime AS r20, (c.avg_uptime IS NOT NULL)::int::bigint AS r21, c.avg_efficiency AS r22, (c.avg_efficiency IS NOT NULL)::int::bigint AS r23, c.avg_energy_consumption AS r24, (c.avg_energy_consumption IS NOT NULL)::int::bigint AS r25, c.oee AS r26, (c.oee IS NOT NULL)::int::bigint AS r27, c.mtbf AS r28, (c.mtbf IS NOT NULL)::int::bigint AS r29, c.mttr AS r30, (c.mttr IS NOT NULL)::int::bigint AS r31
                             FROM ${schema}.fleet_metrics_components c
                            WHERE c.organization_id = p_organization_id AND c.location_id = u.location_id
                              AND c."timestamp" >= u.f AND c."timestamp" < u.t AND c."timestamp" >= p_end_lo AND c."timestamp" < p_end_hi
                            ORDER BY c."timestamp") c) x
             WHERE NOT u.near_start AND x.snapshot_count > 0) q
         ORDER BY q.piece;
    END IF;
END
$fn$;


-- For each location (all of the organization's when p_location_ids is NULL) the component sums
-- over [p_from, p_to). Every requested location gets a row, with snapshot_count = 0 when it has no
-- data in the window.
--
-- A location whose local midnight is not on a UTC hour (Asia/Kolkata, ...) needs raw rows for the
-- sub-hour piece where a day meets an hour; where raw history may have been dropped there (as the
-- maintenance calls record: organizations.raw_dropped_before, fleet_raw_dropped_before(),
-- fleet_raw_retention_drop_after()) the window is read from whole hours instead of days, weeks and
-- months, so a window with whole-hour edges never needs dropped raw rows.
--
-- PL/pgSQL: its statement is planned once per connection and kept (plans.sql; it reads
-- only the rollups and ordinary tables, raw rows through fleet_window_raw_sums, which plans each
-- call). Each piece (a range of one location's months, weeks, days, hours or raw rows) is summed
-- where it is read, in bucket order, and the pieces are added per location in a fixed order
-- (level, start), so the same window gives the same doubles whatever the plan.
CREATE OR REPLACE FUNCTION ${schema}.fleet_window_sums(
    p_organization_id VARCHAR, p_location_ids VARCHAR[], p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS TABLE (location_id VARCHAR,
    snapshot_count BIGINT, total_production_hours DOUBLE PRECISION, total_downtime_hours DOUBLE PRECISION, total_failures BIGINT, uptime_weighted_hours DOUBLE PRECISION,
    uptime_exposure_hours DOUBLE PRECISION, oee_productive_hours DOUBLE PRECISION, oee_planned_hours DOUBLE PRECISION, efficiency_weighted_hours DOUBLE PRECISION,
    efficiency_exposure_hours DOUBLE PRECISION, energy_kwh DOUBLE PRECISION, energy_exposure_hours DOUBLE PRECISION, failure_exposure_hours DOUBLE PRECISION, repair_hours DOUBLE PRECISION,
    repaired_failures BIGINT, component_planned_hours DOUBLE PRECISION, component_run_hours DOUBLE PRECISION, component_ideal_hours DOUBLE PRECISION, component_total_count BIGINT,
    component_good_count BIGINT, seed_uptime_sum DOUBLE PRECISION, seed_uptime_count BIGINT, seed_efficiency_sum DOUBLE PRECISION, seed_efficiency_count BIGINT,
    seed_energy_sum DOUBLE PRECISION, seed_energy_count BIGINT, seed_oee_sum DOUBLE PRECISION, seed_oee_count BIGINT, seed_mtbf_sum DOUBLE PRECISION, seed_mtbf_count BIGINT,
    seed_mttr_sum DOUBLE PRECISION, seed_mttr_count BIGINT)
LANGUAGE plpgsql STABLE AS $fn$
#variable_conflict use_column
BEGIN
RETURN QUERY
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
), dropped AS MATERIALIZED (
    -- raw rows before this instant may have been dropped (NULL: none was)
    SELECT greatest(o.raw_dropped_before, ${schema}.fleet_raw_dropped_before(),
                    now() - ${schema}.fleet_raw_retention_drop_after()) AS before
      FROM ${schema}.organizations o
     WHERE o.id = p_organization_id
), cal AS MATERIALIZED (
    -- [lm0, lm1): the whole local months inside [ld0, ld1); d0, d1: the instants of ld0 and ld1.
    -- Whole days (and so weeks and months) where both junctions with the edges are whole UTC hours,
    -- or, at a location whose local midnight is not (Asia/Kolkata, Asia/Kathmandu, ...), where the
    -- raw rows of the sub-hour piece at the first local midnight are kept (raw history is dropped
    -- as a prefix, so the later junctions' are then kept too); otherwise the window is read from
    -- whole UTC hours (V010), which needs no raw row for whole-hour edges.
    SELECT loc.location_id, loc.ld0, loc.ld1,
           (loc.ld0 < loc.ld1
            AND CASE
                WHEN date_bin('1 hour', (loc.ld0::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00')
                     = (loc.ld0::timestamp AT TIME ZONE loc.tz)
                 AND date_bin('1 hour', (loc.ld1::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00')
                     = (loc.ld1::timestamp AT TIME ZONE loc.tz)
                THEN true
                ELSE coalesce(date_bin('1 hour', (loc.ld0::timestamp AT TIME ZONE loc.tz), TIMESTAMPTZ '2000-01-01 00:00:00+00')
                              >= (SELECT dropped.before FROM dropped), true)
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
), raws AS MATERIALIZED (
    -- sub-hour pieces; each lies within 27 hours of the window's start or of its end (a partial
    -- local day, 25 hours at most, at each end), so it is read with one of two constant bounds
    SELECT r.location_id, r.f, r.t, r.f < p_from + interval '27 hours' AS near_start
      FROM (SELECT edges.location_id, edges.f, CASE WHEN edges.h0 < edges.h1 THEN edges.h0 ELSE edges.t END AS t
              FROM edges
            UNION ALL
            SELECT edges.location_id, edges.h1, edges.t FROM edges WHERE edges.h0 < edges.h1) r
     WHERE r.f < r.t
), pieces AS (
    SELECT array_agg(raws.location_id ORDER BY raws.location_id, raws.f) AS ids,
           array_agg(raws.f ORDER BY raws.location_id, raws.f) AS f,
           array_agg(raws.t ORDER BY raws.location_id, raws.f) AS t,
           array_agg(raws.near_start ORDER BY raws.location_id, raws.f) AS near_start,
           min(raws.f) FILTER (WHERE raws.near_start) AS start_lo,
           max(raws.t) FILTER (WHERE raws.near_start) AS start_hi,
           min(raws.f) FILTER (WHERE NOT raws.near_start) AS end_lo,
           max(raws.t) FILTER (WHERE NOT raws.near_start) AS end_hi
      FROM raws
), parts AS (
    -- the monthly, weekly and daily rollups, each read by its own LATERAL subquery: one index range
    -- per period, summed in key order as the index returns it (no sort per period)
    SELECT cal.location_id, 1 AS lvl, cal.lm0 AS k, x.*
      FROM cal
     CROSS JOIN LATERAL (
           SELECT sum(p.snapshot_count)::bigint AS snapshot_count, sum(p.total_production_hours) AS total_production_hours, sum(p.total_downtime_hours) AS total_downtime_hours,
                  sum(p.total_failures)::bigint AS total_failures, sum(p.uptime_weighted_hours) AS uptime_weighted_hours, sum(p.uptime_exposure_hours) AS uptime_exposure_hours,
                  sum(p.oee_productive_hours) AS oee_productive_hours, sum(p.oee_planned_hours) AS oee_planned_hours, sum(p.efficiency_weighted_hours) AS efficiency_weighted_hours,
                  sum(p.efficiency_exposure_hours) AS efficiency_exposure_hours, sum(p.energy_kwh) AS energy_kwh, sum(p.energy_exposure_hours) AS energy_exposure_hours,
                  sum(p.failure_exposure_hours) AS failure_exposure_hours, sum(p.repair_hours) AS repair_hours, sum(p.repaired_failures)::bigint AS repaired_failures,
                  sum(p.component_planned_hours) AS component_planned_hours, sum(p.component_run_hours) AS component_run_hours, sum(p.component_ideal_hours) AS component_ideal_hours,
                  sum(p.component_total_count)::bigint AS component_total_count, sum(p.component_good_count)::bigint AS component_good_count, sum(p.seed_uptime_sum) AS seed_uptime_sum,
                  sum(p.seed_uptime_count)::bigint AS seed_uptime_count, sum(p.seed_efficiency_sum) AS seed_efficiency_sum, sum(p.seed_efficiency_count)::bigint AS seed_efficiency_count,
                  sum(p.seed_energy_sum) AS seed_energy_sum, sum(p.seed_energy_count)::bigint AS seed_energy_count, sum(p.seed_oee_sum) AS seed_oee_sum,
                  sum(p.seed_oee_count)::bigint AS seed_oee_count, sum(p.seed_mtbf_sum) AS seed_mtbf_sum, sum(p.seed_mtbf_count)::bigint AS seed_mtbf_count, sum(p.seed_mttr_sum) AS seed_mttr_sum,
                  sum(p.seed_mttr_count)::bigint AS seed_mttr_count
             FROM (SELECT mo.* FROM ${schema}.fleet_metrics_monthly mo
                    WHERE mo.organization_id = p_organization_id AND mo.location_id = cal.location_id
                      AND mo.month >= cal.lm0 AND mo.month < cal.lm1
                    ORDER BY mo.month) p) x
     WHERE cal.whole_days AND cal.lm0 < cal.lm1
    UNION ALL
    SELECT gaps.location_id, 2, gaps.w0, x.*
      FROM gaps
     CROSS JOIN LATERAL (
           SELECT sum(p.snapshot_count)::bigint AS snapshot_count, sum(p.total_production_hours) AS total_production_hours, sum(p.total_downtime_hours) AS total_downtime_hours,
                  sum(p.total_failures)::bigint AS total_failures, sum(p.uptime_weighted_hours) AS uptime_weighted_hours, sum(p.uptime_exposure_hours) AS uptime_exposure_hours,
                  sum(p.oee_productive_hours) AS oee_productive_hours, sum(p.oee_planned_hours) AS oee_planned_hours, sum(p.efficiency_weighted_hours) AS efficiency_weighted_hours,
                  sum(p.efficiency_exposure_hours) AS efficiency_exposure_hours, sum(p.energy_kwh) AS energy_kwh, sum(p.energy_exposure_hours) AS energy_exposure_hours,
                  sum(p.failure_exposure_hours) AS failure_exposure_hours, sum(p.repair_hours) AS repair_hours, sum(p.repaired_failures)::bigint AS repaired_failures,
                  sum(p.component_planned_hours) AS component_planned_hours, sum(p.component_run_hours) AS component_run_hours, sum(p.component_ideal_hours) AS component_ideal_hours,
                  sum(p.component_total_count)::bigint AS component_total_count, sum(p.component_good_count)::bigint AS component_good_count, sum(p.seed_uptime_sum) AS seed_uptime_sum,
                  sum(p.seed_uptime_count)::bigint AS seed_uptime_count, sum(p.seed_efficiency_sum) AS seed_efficiency_sum, sum(p.seed_efficiency_count)::bigint AS seed_efficiency_count,
                  sum(p.seed_energy_sum) AS seed_energy_sum, sum(p.seed_energy_count)::bigint AS seed_energy_count, sum(p.seed_oee_sum) AS seed_oee_sum,
                  sum(p.seed_oee_count)::bigint AS seed_oee_count, sum(p.seed_mtbf_sum) AS seed_mtbf_sum, sum(p.seed_mtbf_count)::bigint AS seed_mtbf_count, sum(p.seed_mttr_sum) AS seed_mttr_sum,
                  sum(p.seed_mttr_count)::bigint AS seed_mttr_count
             FROM (SELECT wk.* FROM ${schema}.fleet_metrics_weekly wk
                    WHERE wk.organization_id = p_organization_id AND wk.location_id = gaps.location_id
                      AND wk.week >= gaps.w0 AND wk.week < gaps.w1
                    ORDER BY wk.week) p) x
     WHERE gaps.w0 < gaps.w1
    UNION ALL
    SELECT days.location_id, 3, days.f, x.*
      FROM days
     CROSS JOIN LATERAL (
           SELECT sum(p.snapshot_count)::bigint AS snapshot_count, sum(p.total_production_hours) AS total_production_hours, sum(p.total_downtime_hours) AS total_downtime_hours,
                  sum(p.total_failures)::bigint AS total_failures, sum(p.uptime_weighted_hours) AS uptime_weighted_hours, sum(p.uptime_exposure_hours) AS uptime_exposure_hours,
                  sum(p.oee_productive_hours) AS oee_productive_hours, sum(p.oee_planned_hours) AS oee_planned_hours, sum(p.efficiency_weighted_hours) AS efficiency_weighted_hours,
                  sum(p.efficiency_exposure_hours) AS efficiency_exposure_hours, sum(p.energy_kwh) AS energy_kwh, sum(p.energy_exposure_hours) AS energy_exposure_hours,
                  sum(p.failure_exposure_hours) AS failure_exposure_hours, sum(p.repair_hours) AS repair_hours, sum(p.repaired_failures)::bigint AS repaired_failures,
                  sum(p.component_planned_hours) AS component_planned_hours, sum(p.component_run_hours) AS component_run_hours, sum(p.component_ideal_hours) AS component_ideal_hours,
                  sum(p.component_total_count)::bigint AS component_total_count, sum(p.component_good_count)::bigint AS component_good_count, sum(p.seed_uptime_sum) AS seed_uptime_sum,
                  sum(p.seed_uptime_count)::bigint AS seed_uptime_count, sum(p.seed_efficiency_sum) AS seed_efficiency_sum, sum(p.seed_efficiency_count)::bigint AS seed_efficiency_count,
                  sum(p.seed_energy_sum) AS seed_energy_sum, sum(p.seed_energy_count)::bigint AS seed_energy_count, sum(p.seed_oee_sum) AS seed_oee_sum,
                  sum(p.seed_oee_count)::bigint AS seed_oee_count, sum(p.seed_mtbf_sum) AS seed_mtbf_sum, sum(p.seed_mtbf_count)::bigint AS seed_mtbf_count, sum(p.seed_mttr_sum) AS seed_mttr_sum,
                  sum(p.seed_mttr_count)::bigint AS seed_mttr_count
             FROM (SELECT d.* FROM ${schema}.fleet_metrics_daily d
                    WHERE d.organization_id = p_organization_id AND d.location_id = days.location_id
                      AND d.local_date >= days.f AND d.local_date < days.t
                    ORDER BY d.local_date) p) x
    UNION ALL
    SELECT edges.location_id, 4, edges.h0, x.*
      FROM edges
     CROSS JOIN LATERAL (
           SELECT sum(h.snapshot_count)::bigint AS snapshot_count, sum(h.total_production_hours) AS total_production_hours, sum(h.total_downtime_hours) AS total_downtime_hours, sum(h.total_failures)::bigint AS total_failures, sum(h.uptime_weighted_hours) AS uptime_weighted_hours, sum(h.uptime_exposure_hours) AS uptime_exposure_hours, sum(h.oee_productive_hours) AS oee_productive_hours, sum(h.oee_planned_hours) AS oee_planned_hours, sum(h.efficiency_weighted_hours) AS efficiency_weighted_hours, sum(h.efficiency_exposure_hours) AS efficiency_exposure_hours, sum(h.energy_kwh) AS energy_kwh, sum(h.energy_exposure_hours) AS energy_exposure_hours, sum(h.failure_exposure_hours) AS failure_exposure_hours, sum(h.repair_hours) AS repair_hours, sum(h.repaired_failures)::bigint AS repaired_failures, sum(h.component_planned_hours) AS component_planned_hours, sum(h.component_run_hours) AS component_run_hours, sum(h.component_ideal_hours) AS component_ideal_hours, sum(h.component_total_count)::bigint AS component_total_count, sum(h.component_good_count)::bigint AS component_good_count, sum(h.seed_uptime_sum) AS seed_uptime_sum, sum(h.seed_uptime_count)::bigint AS seed_uptime_count, sum(h.seed_efficiency_sum) AS seed_efficiency_sum, sum(h.seed_efficiency_count)::bigint AS seed_efficiency_count, sum(h.seed_energy_sum) AS seed_energy_sum, sum(h.seed_energy_count)::bigint AS seed_energy_count, sum(h.seed_oee_sum) AS seed_oee_sum, sum(h.seed_oee_count)::bigint AS seed_oee_count, sum(h.seed_mtbf_sum) AS seed_mtbf_sum, sum(h.seed_mtbf_count)::bigint AS seed_mtbf_count, sum(h.seed_mttr_sum) AS seed_mttr_sum, sum(h.seed_mttr_count)::bigint AS seed_mttr_count
             FROM (SELECT h.* FROM ${schema}.fleet_metrics_hourly h
                    WHERE h.organization_id = p_organization_id AND h.location_id = edges.location_id
                      AND h.hour >= edges.h0 AND h.hour < edges.h1
                    ORDER BY h.hour) h) x
     WHERE edges.h0 < edges.h1
    UNION ALL
    SELECT x.location_id, 5, x.piece_start, x.snapshot_count, x.total_production_hours, x.total_downtime_hours, x.total_failures, x.uptime_weighted_hours, x.uptime_exposure_hours, x.oee_productive_hours, x.oee_planned_hours, x.efficiency_weighted_hours, x.efficiency_exposure_hours, x.energy_kwh, x.energy_exposure_hours, x.failure_exposure_hours, x.repair_hours, x.repaired_failures, x.component_planned_hours, x.component_run_hours, x.component_ideal_hours, x.component_total_count, x.component_good_count, x.seed_uptime_sum, x.seed_uptime_count, x.seed_efficiency_sum, x.seed_efficiency_count, x.seed_energy_sum, x.seed_energy_count, x.seed_oee_sum, x.seed_oee_count, x.seed_mtbf_sum, x.seed_mtbf_count, x.seed_mttr_sum, x.seed_mttr_count
      FROM pieces p
     CROSS JOIN LATERAL ${schema}.fleet_window_raw_sums(p_organization_id, p.ids, p.f, p.t, p.near_start,
                                                        p.start_lo, p.start_hi, p.end_lo, p.end_hi) x
), sums AS (
    SELECT p.location_id, sum(p.snapshot_count)::bigint AS snapshot_count, sum(p.total_production_hours) AS total_production_hours, sum(p.total_downtime_hours) AS total_downtime_hours, sum(p.total_failures)::bigint AS total_failures, sum(p.uptime_weighted_hours) AS uptime_weighted_hours, sum(p.uptime_exposure_hours) AS uptime_exposure_hours, sum(p.oee_productive_hours) AS oee_productive_hours, sum(p.oee_planned_hours) AS oee_planned_hours, sum(p.efficiency_weighted_hours) AS efficiency_weighted_hours, sum(p.efficiency_exposure_hours) AS efficiency_exposure_hours, sum(p.energy_kwh) AS energy_kwh, sum(p.energy_exposure_hours) AS energy_exposure_hours, sum(p.failure_exposure_hours) AS failure_exposure_hours, sum(p.repair_hours) AS repair_hours, sum(p.repaired_failures)::bigint AS repaired_failures, sum(p.component_planned_hours) AS component_planned_hours, sum(p.component_run_hours) AS component_run_hours, sum(p.component_ideal_hours) AS component_ideal_hours, sum(p.component_total_count)::bigint AS component_total_count, sum(p.component_good_count)::bigint AS component_good_count, sum(p.seed_uptime_sum) AS seed_uptime_sum, sum(p.seed_uptime_count)::bigint AS seed_uptime_count, sum(p.seed_efficiency_sum) AS seed_efficiency_sum, sum(p.seed_efficiency_count)::bigint AS seed_efficiency_count, sum(p.seed_energy_sum) AS seed_energy_sum, sum(p.seed_energy_count)::bigint AS seed_energy_count, sum(p.seed_oee_sum) AS seed_oee_sum, sum(p.seed_oee_count)::bigint AS seed_oee_count, sum(p.seed_mtbf_sum) AS seed_mtbf_sum, sum(p.seed_mtbf_count)::bigint AS seed_mtbf_count, sum(p.seed_mttr_sum) AS seed_mttr_sum, sum(p.seed_mttr_count)::bigint AS seed_mttr_count
      FROM (SELECT * FROM parts ORDER BY parts.location_id, parts.lvl, parts.k) p
     GROUP BY p.location_id
)
SELECT loc.location_id,
       coalesce(s.snapshot_count, 0)::bigint, coalesce(s.total_production_hours, 0), coalesce(s.total_downtime_hours, 0),
       coalesce(s.total_failures, 0)::bigint, coalesce(s.uptime_weighted_hours, 0), coalesce(s.uptime_exposure_hours, 0),
       coalesce(s.oee_productive_hours, 0), coalesce(s.oee_planned_hours, 0), coalesce(s.efficiency_weighted_hours, 0),
       coalesce(s.efficiency_exposure_hours, 0), coalesce(s.energy_kwh, 0), coalesce(s.energy_exposure_hours, 0),
       coalesce(s.failure_exposure_hours, 0), coalesce(s.repair_hours, 0), coalesce(s.repaired_failures, 0)::bigint,
       coalesce(s.component_planned_hours, 0), coalesce(s.component_run_hours, 0), coalesce(s.component_ideal_hours, 0),
       coalesce(s.component_total_count, 0)::bigint, coalesce(s.component_good_count, 0)::bigint, coalesce(s.seed_uptime_sum, 0),
       coalesce(s.seed_uptime_count, 0)::bigint, coalesce(s.seed_efficiency_sum, 0), coalesce(s.seed_efficiency_count, 0)::bigint,
       coalesce(s.seed_energy_sum, 0), coalesce(s.seed_energy_count, 0)::bigint, coalesce(s.seed_oee_sum, 0),
       coalesce(s.seed_oee_count, 0)::bigint, coalesce(s.seed_mtbf_sum, 0), coalesce(s.seed_mtbf_count, 0)::bigint,
       coalesce(s.seed_mttr_sum, 0), coalesce(s.seed_mttr_count, 0)::bigint
  FROM loc
  LEFT JOIN sums s ON s.location_id = loc.location_id;
END
$fn$;
