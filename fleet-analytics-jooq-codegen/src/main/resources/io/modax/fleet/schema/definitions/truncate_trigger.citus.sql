-- On Citus fleet_metrics has no TRUNCATE trigger: it would truncate other distributed tables from
-- inside a shard. Truncate the rollups together with fleet_metrics there.
DROP TRIGGER IF EXISTS fleet_metrics_truncate_rollups ON ${schema}.fleet_metrics;
