-- Closed at every door (issue 14; docs/security.md, "Attacks closed in V015"). The table part:
-- the writers' lock. Writers and rollup refreshes of a location serialized on an advisory lock
-- whose key anyone can compute (and read from pg_locks), so any role that can log in could take it
-- and hold a location's writer. They now lock the location's row of fleet_location_locks (SELECT
-- ... FOR UPDATE, in location order, lock_fleet_locations in definitions/rollups.sql): a row lock
-- needs UPDATE on the table, which only the runtime role has, and row-level security lets it lock
-- only the rows of the organization its transaction is set to. The functions of this release
-- (sealing chunks and partitions, the readers' pin on Citus) are definitions/security.sql.

-- One row per location that was ever locked, made on first use.
CREATE TABLE ${schema}.fleet_location_locks (
    organization_id  VARCHAR(64) NOT NULL,
    location_id      VARCHAR(64) NOT NULL,
    CONSTRAINT fleet_location_locks_pk PRIMARY KEY (organization_id, location_id)
);
ALTER TABLE ${schema}.fleet_location_locks ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.fleet_location_locks FORCE ROW LEVEL SECURITY;
CREATE POLICY fleet_tenant_isolation ON ${schema}.fleet_location_locks
    USING (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''))
    WITH CHECK (organization_id = nullif(current_setting('fleet_analytics.organization_id', true), ''));
-- the runtime role's privileges on it come with its default privileges (FleetSchema.grantRuntimeRole
-- run before this migration) or with grantRuntimeRole run again; readers get none
DO $$
DECLARE
    g RECORD;
BEGIN
    FOR g IN SELECT DISTINCT a.grantee::regrole::text AS grantee
               FROM pg_class c, aclexplode(c.relacl) a
              WHERE c.oid = '${schema}.fleet_location_locks'::regclass
                AND a.grantee <> c.relowner AND a.grantee <> 0
                AND NOT has_table_privilege(a.grantee, '${schema}.fleet_metrics', 'DELETE') LOOP
        EXECUTE format('REVOKE ALL ON ${schema}.fleet_location_locks FROM %I', g.grantee);
    END LOOP;
END
$$;

-- the advisory lock's key (a schema migrated before the baseline, or one whose definitions were
-- applied before this release, has it)
DROP FUNCTION IF EXISTS ${schema}.fleet_location_lock_key(VARCHAR, VARCHAR);
