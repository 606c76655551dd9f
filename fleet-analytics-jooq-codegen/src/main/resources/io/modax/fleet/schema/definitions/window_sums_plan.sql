-- fleet_window_sums keeps one generic plan per connection (see window_sums.sql): nothing in its
-- statement depends on the window's values for planning. On Citus see window_sums_plan.citus.sql.
ALTER FUNCTION ${schema}.fleet_window_sums(VARCHAR, VARCHAR[], TIMESTAMPTZ, TIMESTAMPTZ)
    SET plan_cache_mode = force_generic_plan;
