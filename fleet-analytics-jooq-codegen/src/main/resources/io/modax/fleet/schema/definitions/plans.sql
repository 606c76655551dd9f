-- Functions that keep one generic plan per connection: nothing in their statements depends on the
-- values for planning, and planning them on every call would cost more than running them
-- (fleet_metrics_component_sums is called once per rollup bucket a refresh recomputes). On Citus see
-- plans.citus.sql.
ALTER FUNCTION ${schema}.fleet_window_sums(VARCHAR, VARCHAR[], TIMESTAMPTZ, TIMESTAMPTZ)
    SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ${schema}.fleet_metrics_component_sums(VARCHAR, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ)
    SET plan_cache_mode = force_generic_plan;
