-- On Citus these functions plan every call: Citus routes a statement to the one worker that holds
-- the organization only once it knows the organization's value, which a generic plan leaves as a
-- parameter ("could not create distributed plan").
ALTER FUNCTION ${schema}.fleet_window_sums(VARCHAR, VARCHAR[], TIMESTAMPTZ, TIMESTAMPTZ)
    RESET plan_cache_mode;
ALTER FUNCTION ${schema}.fleet_metrics_component_sums(VARCHAR, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ)
    RESET plan_cache_mode;
