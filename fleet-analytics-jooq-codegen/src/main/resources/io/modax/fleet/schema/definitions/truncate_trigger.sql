-- TRUNCATE fleet_metrics clears the rollups too (clear_fleet_rollups, rollup_triggers.sql).
-- On Citus see truncate_trigger.citus.sql.
CREATE OR REPLACE TRIGGER fleet_metrics_truncate_rollups
    AFTER TRUNCATE ON ${schema}.fleet_metrics
    FOR EACH STATEMENT
    EXECUTE FUNCTION ${schema}.clear_fleet_rollups();
