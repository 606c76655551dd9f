-- Definitions (re-applied whole whenever one changes; see docs/schema.md): the triggers that keep
-- the rollups (definitions/rollups.sql) equal to the raw rows, each after its function. The
-- TRUNCATE trigger is in truncate_trigger.sql (not on Citus).

-- Trigger: marks the hours of rows changed by SQL other than the library's writer.
CREATE OR REPLACE FUNCTION ${schema}.mark_fleet_rollups_dirty()
RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
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

-- The library's writer sets fleet_analytics.rollups_maintained = 'on' for its own transactions
-- (it refreshes exactly the buckets it touched); every other change is marked.
CREATE OR REPLACE TRIGGER fleet_metrics_mark_rollups_dirty
    AFTER INSERT OR UPDATE OR DELETE ON ${schema}.fleet_metrics
    FOR EACH ROW
    WHEN (current_setting('fleet_analytics.rollups_maintained', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ${schema}.mark_fleet_rollups_dirty();

-- Trigger: a location's days, weeks and months follow its zone; when the zone changes, they are
-- rebuilt.
CREATE OR REPLACE FUNCTION ${schema}.rebuild_daily_rollups_on_zone_change()
RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
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
CREATE OR REPLACE TRIGGER locations_rebuild_daily_rollups
    AFTER UPDATE OF timezone ON ${schema}.locations
    FOR EACH ROW
    WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION ${schema}.rebuild_daily_rollups_on_zone_change();

-- Trigger: TRUNCATE fleet_metrics clears the rollups. TRUNCATE, because the DELETEs would be held
-- to row-level security (clearing only the rows of the organization the transaction is set to);
-- a rollup that is part of the same TRUNCATE statement (already empty, and "in use" by it) or that
-- the role may not truncate is cleared with DELETE.
CREATE OR REPLACE FUNCTION ${schema}.clear_fleet_rollups()
RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
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
