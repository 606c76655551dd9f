-- Exactly-once bookkeeping for the writer, and what the data-quality report reads.
--
-- Every chunk the writer stores is one transaction with a random batch id. It records the batch
-- and its counts here in that same transaction, so when the connection is lost after the commit
-- but before the acknowledgement arrived, the retry finds the batch, changes nothing and returns
-- the counts of the attempt that did commit: no row, quarantined ones included, is stored twice.
-- Rows older than a day are purged by the writer (a retry comes within seconds).

CREATE TABLE ${schema}.ingest_batches (
    organization_id  VARCHAR(64)  NOT NULL,
    batch_id         UUID         NOT NULL,
    committed_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    record_type      VARCHAR(32)  NOT NULL,
    submitted        BIGINT       NOT NULL,
    inserted         BIGINT       NOT NULL,
    updated          BIGINT       NOT NULL,
    unchanged        BIGINT       NOT NULL,
    -- {"REASON_CODE": count, ...}
    quarantined      JSONB        NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT ingest_batches_pk PRIMARY KEY (organization_id, batch_id)
);

CREATE INDEX ingest_batches_committed_idx ON ${schema}.ingest_batches (organization_id, committed_at);

-- Which write put a row into quarantine.
ALTER TABLE ${schema}.ingest_quarantine ADD COLUMN batch_id UUID;

-- The data-quality report counts a location's quarantined rows by reason over a window.
CREATE INDEX ingest_quarantine_location_idx
    ON ${schema}.ingest_quarantine (organization_id, location_id, received_at);

-- Adds rows that were just appended to the rollups, without re-reading what the buckets already
-- hold: the fast path for the common case of new snapshots after (or before) everything stored.
-- For location p_location_ids[i], the rows with p_from[i] <= timestamp <= p_to[i] must all be new
-- since the last refresh of their buckets (the writer guarantees it: they lie outside the range
-- the location had stored, and it holds the location's lock). Their component sums (the same
-- aggregates as fleet_metrics_component_sums, over the same fleet_metrics_components view) are
-- added to the hourly and daily buckets, creating the buckets that do not exist yet. Sums and
-- counts add, so a bucket equals a recomputation from the raw rows (up to the order in which
-- doubles were summed).
--
-- One pass over the rows: they are grouped by (location, UTC hour, local date), pieces that each
-- lie in exactly one hourly and one daily bucket whatever the zone's offset, and the pieces are
-- summed into both. Each range is read by its own index range scan (LATERAL, kept from being
-- flattened into a hash join by OFFSET 0), so the cost follows the rows appended, never the size
-- of the table. Returns the number of hourly buckets touched.
CREATE FUNCTION ${schema}.add_appended_to_fleet_rollups(
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
    )
    SELECT (SELECT count(*) FROM hourly) + 0 * (SELECT count(*) FROM daily) INTO touched;

    RETURN touched;
END
$fn$;
