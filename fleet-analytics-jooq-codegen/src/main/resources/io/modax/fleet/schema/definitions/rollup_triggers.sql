-- Definitions (re-applied whole whenever one changes; see docs/schema.md): the triggers that keep
-- the rollups (definitions/rollups.sql) equal to the raw rows.

-- The library's writer sets fleet_analytics.rollups_maintained = 'on' for its own transactions
-- (it refreshes exactly the buckets it touched); every other change is marked.
CREATE OR REPLACE TRIGGER fleet_metrics_mark_rollups_dirty
    AFTER INSERT OR UPDATE OR DELETE ON ${schema}.fleet_metrics
    FOR EACH ROW
    WHEN (current_setting('fleet_analytics.rollups_maintained', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ${schema}.mark_fleet_rollups_dirty();

CREATE OR REPLACE TRIGGER locations_rebuild_daily_rollups
    AFTER UPDATE OF timezone ON ${schema}.locations
    FOR EACH ROW
    WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION ${schema}.rebuild_daily_rollups_on_zone_change();
