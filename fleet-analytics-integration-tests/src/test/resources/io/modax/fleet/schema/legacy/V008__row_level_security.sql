-- Row-level security on every tenant table: isolation in depth beneath the library's own checks
-- (CallerContext, every query filtered by organization). See docs/security.md.
--
-- The library sets the organization a transaction works for as the transaction-local setting
-- fleet_analytics.organization_id (set_config(name, value, true)) before anything else. Each policy
-- lets a row be seen or written only when its organization equals that setting. It fails closed:
-- in a session that never set it, current_setting(name, true) is NULL; after a transaction that
-- set it ends, it is '' (not NULL), and nullif turns that into NULL too; a comparison with NULL
-- is never true, so such a transaction sees no tenant row and can write none.
--
-- FORCE: the table owner is held to the policies too. Superusers and roles with BYPASSRLS are
-- not (PostgreSQL's rule): the library's runtime role must be neither. The deliberate ways to
-- read across organizations (an administrator's fleet-wide query) are a separate role: one with
-- BYPASSRLS, or one given a policy of its own by FleetSchema.grantFleetReader; see
-- docs/security.md. Neither weakens these policies for anyone else.
--
-- The library's SQL functions are SECURITY INVOKER (PostgreSQL's default; none is SECURITY
-- DEFINER), so the policies apply inside them exactly as to the caller's own statements.

ALTER TABLE ${schema}.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.organizations
    USING (id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.locations FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.locations
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.devices FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.devices
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

-- On TimescaleDB fleet_metrics is a hypertable: the policy is checked on the hypertable, through
-- which every query of the library goes.
ALTER TABLE ${schema}.fleet_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_metrics FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_metrics
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.maintenance_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.maintenance_events FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.maintenance_events
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.maintenance_event_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.maintenance_event_parts FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.maintenance_event_parts
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.fleet_metrics_hourly ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_metrics_hourly FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_metrics_hourly
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.fleet_metrics_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_metrics_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_metrics_daily
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.fleet_rollup_dirty ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_rollup_dirty FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_rollup_dirty
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.ingest_quarantine ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.ingest_quarantine FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.ingest_quarantine
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

ALTER TABLE ${schema}.ingest_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.ingest_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.ingest_batches
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));

-- A view reads its tables with its owner's rights unless it is security_invoker (PostgreSQL 15):
-- without this, a view owned by a superuser (who bypasses row-level security even when FORCE is
-- set) would show every organization's raw rows to whoever may select from it.
ALTER VIEW ${schema}.fleet_metrics_components SET (security_invoker = true);

-- TRUNCATE is not subject to row-level security, but the DELETEs with which V004's trigger
-- cleared the rollups are: they would only clear the rows of the organization the transaction
-- is set to (none when it is set to none). The rollups are now truncated too; a rollup table that
-- is part of the same TRUNCATE statement (already empty, and "in use" by it) or that the role may
-- not truncate is cleared with DELETE as before.
CREATE OR REPLACE FUNCTION ${schema}.clear_fleet_rollups()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $fn$
BEGIN
    BEGIN
        TRUNCATE ${schema}.fleet_metrics_hourly;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_metrics_hourly;
    END;
    BEGIN
        TRUNCATE ${schema}.fleet_metrics_daily;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_metrics_daily;
    END;
    BEGIN
        TRUNCATE ${schema}.fleet_rollup_dirty;
    EXCEPTION WHEN object_in_use OR insufficient_privilege THEN
        DELETE FROM ${schema}.fleet_rollup_dirty;
    END;
    RETURN NULL;
END
$fn$;
