-- Baseline, part 5: row-level security on every tenant table: isolation in depth beneath the library's own checks
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
-- Every table of the schema holding an organization's rows (all but the migration history and the
-- raw partitions, which are reached through fleet_metrics) gets the same policy. A table added by
-- a later migration enables it itself, with the same statements.
DO $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT c.relname, CASE WHEN c.relname = 'organizations' THEN 'id' ELSE 'organization_id' END AS org
               FROM pg_class c
              WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind IN ('r', 'p')
                AND NOT c.relispartition AND c.relname <> 'fleet_schema_history' LOOP
        EXECUTE format('ALTER TABLE ${schema}.%I ENABLE ROW LEVEL SECURITY', t.relname);
        EXECUTE format('ALTER TABLE ${schema}.%I FORCE ROW LEVEL SECURITY', t.relname);
        EXECUTE format('CREATE POLICY fleet_tenant_isolation ON ${schema}.%I'
                       ' USING (%I = nullif(current_setting(%L, true), %L))'
                       ' WITH CHECK (%I = nullif(current_setting(%L, true), %L))',
                       t.relname, t.org, 'fleet_analytics.organization_id', '', t.org,
                       'fleet_analytics.organization_id', '');
    END LOOP;
END
$$;
