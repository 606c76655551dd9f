-- Baseline, part 3: the rollups, maintained by the library on every backend (definitions/rollups.sql),
-- so what CI tests is what TimescaleDB and Citus users run. They store only additive components
-- (sums and counts), so any coarser bucket, any set of locations and any period re-aggregates
-- exactly by summing them; the design's ratio columns (avg_uptime, oee, mtbf, ...) are kept under
-- their old names as generated ratio-of-sums columns, so existing SQL and Grafana panels keep
-- working, now with correct values. The component columns are declared once, below, and copied
-- into each level:
--
--   fleet_metrics_hourly   UTC hours [hour, hour + 1 h)
--   fleet_metrics_daily    the location's local calendar day [day, day_end): 23, 24 or 25 hours
--   fleet_metrics_weekly   its local ISO week (Monday to Sunday) [week_start, week_end)
--   fleet_metrics_monthly  its local calendar month [month_start, month_end)
-- (weekly and monthly have the daily rollup's columns, renamed).
--
-- The column names are those of fleet_metrics_components (definitions/raw_components.sql), summed:
-- see docs/schema.md for what each one weighs.
CREATE TEMPORARY TABLE fleet_rollup_components (
    snapshot_count BIGINT NOT NULL,
    total_production_hours DOUBLE PRECISION NOT NULL, total_downtime_hours DOUBLE PRECISION NOT NULL,
    total_failures BIGINT NOT NULL,
    uptime_weighted_hours DOUBLE PRECISION NOT NULL, uptime_exposure_hours DOUBLE PRECISION NOT NULL,
    oee_productive_hours DOUBLE PRECISION NOT NULL, oee_planned_hours DOUBLE PRECISION NOT NULL,
    efficiency_weighted_hours DOUBLE PRECISION NOT NULL, efficiency_exposure_hours DOUBLE PRECISION NOT NULL,
    energy_kwh DOUBLE PRECISION NOT NULL, energy_exposure_hours DOUBLE PRECISION NOT NULL,
    failure_exposure_hours DOUBLE PRECISION NOT NULL,
    repair_hours DOUBLE PRECISION NOT NULL, repaired_failures BIGINT NOT NULL,
    -- sums of the raw OEE components (availability, performance, quality)
    component_planned_hours DOUBLE PRECISION NOT NULL, component_run_hours DOUBLE PRECISION NOT NULL,
    component_ideal_hours DOUBLE PRECISION NOT NULL,
    component_total_count BIGINT NOT NULL, component_good_count BIGINT NOT NULL,
    -- plain sums and counts of the design's columns: its AVG(), for SEED_COMPATIBLE mode
    seed_uptime_sum DOUBLE PRECISION NOT NULL, seed_uptime_count BIGINT NOT NULL,
    seed_efficiency_sum DOUBLE PRECISION NOT NULL, seed_efficiency_count BIGINT NOT NULL,
    seed_energy_sum DOUBLE PRECISION NOT NULL, seed_energy_count BIGINT NOT NULL,
    seed_oee_sum DOUBLE PRECISION NOT NULL, seed_oee_count BIGINT NOT NULL,
    seed_mtbf_sum DOUBLE PRECISION NOT NULL, seed_mtbf_count BIGINT NOT NULL,
    seed_mttr_sum DOUBLE PRECISION NOT NULL, seed_mttr_count BIGINT NOT NULL,
    -- the design's names, as ratios of sums
    avg_uptime DOUBLE PRECISION GENERATED ALWAYS AS (uptime_weighted_hours / NULLIF(uptime_exposure_hours, 0)) STORED,
    avg_efficiency DOUBLE PRECISION GENERATED ALWAYS AS (efficiency_weighted_hours / NULLIF(efficiency_exposure_hours, 0)) STORED,
    avg_energy_consumption DOUBLE PRECISION GENERATED ALWAYS AS (energy_kwh / NULLIF(energy_exposure_hours, 0)) STORED,
    oee DOUBLE PRECISION GENERATED ALWAYS AS (oee_productive_hours / NULLIF(oee_planned_hours, 0)) STORED,
    mtbf DOUBLE PRECISION GENERATED ALWAYS AS (failure_exposure_hours / NULLIF(total_failures, 0)) STORED,
    mttr DOUBLE PRECISION GENERATED ALWAYS AS (repair_hours / NULLIF(repaired_failures, 0)) STORED
);

CREATE TABLE ${schema}.fleet_metrics_hourly (
    organization_id VARCHAR(64) NOT NULL,
    location_id     VARCHAR(64) NOT NULL,
    hour            TIMESTAMPTZ NOT NULL,
    LIKE pg_temp.fleet_rollup_components INCLUDING GENERATED,
    CONSTRAINT fleet_metrics_hourly_pk PRIMARY KEY (organization_id, location_id, hour),
    CONSTRAINT fleet_metrics_hourly_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_metrics_hourly_time_idx ON ${schema}.fleet_metrics_hourly (organization_id, hour);

CREATE TABLE ${schema}.fleet_metrics_daily (
    organization_id VARCHAR(64) NOT NULL,
    location_id     VARCHAR(64) NOT NULL,
    -- the local calendar date and the instants it starts and ends in the location's zone
    local_date      DATE        NOT NULL,
    day             TIMESTAMPTZ NOT NULL,
    day_end         TIMESTAMPTZ NOT NULL,
    time_zone       VARCHAR(64) NOT NULL,
    LIKE pg_temp.fleet_rollup_components INCLUDING GENERATED,
    CONSTRAINT fleet_metrics_daily_pk PRIMARY KEY (organization_id, location_id, local_date),
    CONSTRAINT fleet_metrics_daily_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_metrics_daily_time_idx ON ${schema}.fleet_metrics_daily (organization_id, day);

-- fleet_metrics_weekly and fleet_metrics_monthly: the daily rollup's columns, for each location's
-- local ISO weeks (Monday to Sunday) and local calendar months, the sums of their daily rows.
-- week / month is the period's first local date, week_start / month_start and week_end /
-- month_end the instants it starts and ends.
DO $$
DECLARE
    unit TEXT;
    t TEXT;
BEGIN
    FOREACH unit IN ARRAY ARRAY['week', 'month'] LOOP
        t := 'fleet_metrics_' || unit || 'ly';
        EXECUTE format('CREATE TABLE ${schema}.%I (LIKE ${schema}.fleet_metrics_daily INCLUDING GENERATED)', t);
        EXECUTE format('ALTER TABLE ${schema}.%I RENAME local_date TO %I', t, unit);
        EXECUTE format('ALTER TABLE ${schema}.%I RENAME day TO %I', t, unit || '_start');
        EXECUTE format('ALTER TABLE ${schema}.%I RENAME day_end TO %I', t, unit || '_end');
        EXECUTE format('ALTER TABLE ${schema}.%I ADD CONSTRAINT %I PRIMARY KEY (organization_id, location_id, %I),'
                       ' ADD CONSTRAINT %I FOREIGN KEY (organization_id, location_id)'
                       ' REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE',
                       t, t || '_pk', unit, t || '_location_fk');
    END LOOP;
END
$$;

DROP TABLE pg_temp.fleet_rollup_components;

-- Hours changed by SQL that did not maintain the rollups itself (marked by a trigger, folded in by
-- refresh_dirty_fleet_rollups before the library reads).
CREATE TABLE ${schema}.fleet_rollup_dirty (
    organization_id  VARCHAR(64) NOT NULL,
    location_id      VARCHAR(64) NOT NULL,
    hour             TIMESTAMPTZ NOT NULL,
    marked_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT fleet_rollup_dirty_pk PRIMARY KEY (organization_id, location_id, hour)
);
