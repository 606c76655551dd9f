-- Closed at every door (issue 14): the tables behind the tables, the reader's pin on Citus, and
-- the writers' lock. See docs/security.md ("Attacks closed in V015").
--
-- 1. Chunks and partitions. Row-level security is checked on the table a statement names. A
--    TimescaleDB chunk (_timescaledb_internal._hyper_N_M_chunk), a compressed chunk, the compressed
--    hypertable, and a partition of fleet_metrics (V014) are tables of their own without policies:
--    a role with a privilege on one reads and writes every organization's rows there, around the
--    policies and the rollup triggers. TimescaleDB copies the hypertable's privileges to every chunk
--    it creates (and a GRANT on the hypertable to every chunk, the compressed ones included), but
--    not its policies (timescale/timescaledb#7830). Reads and writes through the hypertable need no
--    privilege on a chunk. So no role but the owner keeps a privilege on any of them:
--    fleet_seal_storage() revokes every privilege on every relation that stores the schema's rows
--    beneath one of its tables; it runs here, after every grant helper (FleetSchema.grant*), after
--    compression is turned on, and, on TimescaleDB, at the end of every statement that writes into
--    a hypertable of the schema (fleet_seal_new_chunks, a statement trigger), the statements that
--    create chunks. It is the one SECURITY DEFINER function of the schema: it takes no argument,
--    reads only the catalog, runs with a fixed search_path, and only ever revokes.
--    Citus shards keep their privileges (the coordinator reaches them as the session's role); they
--    carry the policies of their table (Citus copies them), which item 2 makes sufficient.
-- 2. Organization readers on Citus. Citus 13 copies a RESTRICTIVE policy to the workers' shell
--    tables and shards as PERMISSIVE, so there the reader's pin let any organization through once
--    the reader set the tenant setting. The general tenant policy now excludes the pinned readers
--    by name (their names as a literal list, rebuilt by fleet_pin_organization_readers() whenever
--    a reader is granted or revoked); a pinned reader is then let through by its own permissive
--    policy only, whose organization is a literal. Nothing restrictive is needed, on any node.
-- 3. The writers' lock. Writers and rollup refreshes of a location serialized on an advisory lock
--    whose key anyone can compute (and read from pg_locks), so any role that can log in could take
--    it and hold a location's writer. They now lock the location's row of fleet_location_locks
--    (SELECT ... FOR UPDATE, in location order): a row lock needs UPDATE on the table, which only
--    the runtime role has, and row-level security lets it lock only the rows of the organization
--    its transaction is set to.

CREATE FUNCTION ${schema}.fleet_seal_storage()
RETURNS INTEGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_schema OID := '${schema}'::regnamespace;
    v_relations OID[];
    v_compressed OID[] := '{}';
    r RECORD;
    n INTEGER := 0;
BEGIN
    -- partitions and chunks, at any depth, of the schema's tables
    WITH RECURSIVE below(oid) AS (
        SELECT i.inhrelid FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relnamespace = v_schema
        UNION
        SELECT i.inhrelid FROM pg_inherits i JOIN below b ON i.inhparent = b.oid)
    SELECT coalesce(array_agg(oid), '{}') INTO v_relations FROM below;
    IF to_regclass('_timescaledb_catalog.hypertable') IS NOT NULL THEN
        -- the compressed hypertables of the schema's hypertables and their chunks, which only
        -- TimescaleDB's catalog links to them
        EXECUTE 'SELECT coalesce(array_agg(x.oid), ''{}'') FROM ('
             || 'SELECT format(''%I.%I'', c.schema_name, c.table_name)::regclass::oid AS oid'
             || '  FROM _timescaledb_catalog.hypertable h'
             || '  JOIN _timescaledb_catalog.hypertable c ON c.id = h.compressed_hypertable_id'
             || ' WHERE h.schema_name = $1'
             || ' UNION '
             || 'SELECT format(''%I.%I'', k.schema_name, k.table_name)::regclass::oid'
             || '  FROM _timescaledb_catalog.hypertable h'
             || '  JOIN _timescaledb_catalog.chunk k ON k.hypertable_id = h.compressed_hypertable_id'
             || ' WHERE h.schema_name = $1) x'
            INTO v_compressed
            USING (SELECT nspname FROM pg_namespace WHERE oid = v_schema);
    END IF;
    FOR r IN SELECT DISTINCT c.oid::regclass::text AS relation,
                    CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END AS grantee
               FROM pg_class c, aclexplode(c.relacl) a
              WHERE c.oid = ANY (v_relations || v_compressed) AND c.relkind IN ('r', 'p')
                AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', r.relation, r.grantee);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$fn$;

-- After each statement that writes into a hypertable of the schema: chunks it created carry the
-- hypertable's privileges until then (no other transaction can see them before the commit).
CREATE FUNCTION ${schema}.fleet_seal_new_chunks()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r RECORD;
BEGIN
    -- only the direct chunks of this table, whose privileges are the only ones a write can add
    FOR r IN SELECT DISTINCT c.oid::regclass::text AS relation,
                    CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END AS grantee
               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid, aclexplode(c.relacl) a
              WHERE i.inhparent = TG_RELID AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', r.relation, r.grantee);
    END LOOP;
    RETURN NULL;
END
$fn$;

REVOKE ALL ON FUNCTION ${schema}.fleet_seal_storage() FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.fleet_seal_new_chunks() FROM PUBLIC;

DO $$
DECLARE
    v_hypertable RECORD;
BEGIN
    IF to_regclass('_timescaledb_catalog.hypertable') IS NULL THEN
        RETURN;
    END IF;
    FOR v_hypertable IN EXECUTE
        'SELECT format(''%I.%I'', schema_name, table_name) AS name FROM _timescaledb_catalog.hypertable'
     || ' WHERE schema_name = (SELECT nspname FROM pg_namespace WHERE oid = ''${schema}''::regnamespace)'
    LOOP
        EXECUTE format('CREATE TRIGGER fleet_seal_new_chunks AFTER INSERT OR UPDATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.fleet_seal_new_chunks()',
                       v_hypertable.name);
    END LOOP;
END
$$;

SELECT ${schema}.fleet_seal_storage();

-- 2. The general tenant policy of every tenant table, without the pinned organization readers.
-- Rebuilt from the readers' own policies (fleet_reader_<role>, FleetSchema.grantOrganizationReader);
-- with none, it is V008's policy exactly. Needs the owner's privileges (DDL).
CREATE FUNCTION ${schema}.fleet_pin_organization_readers()
RETURNS INTEGER
LANGUAGE plpgsql
AS $fn$
DECLARE
    t RECORD;
    v_readers TEXT;
    v_column TEXT;
    v_expr TEXT;
    n INTEGER := 0;
BEGIN
    FOR t IN SELECT c.oid, c.relname FROM pg_class c
              WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind IN ('r', 'p')
                AND c.relrowsecurity AND NOT c.relispartition
                AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'fleet_tenant_isolation')
              ORDER BY c.relname
    LOOP
        SELECT string_agg(DISTINCT quote_ident(r.rolname), ',' ORDER BY quote_ident(r.rolname)) INTO v_readers
          FROM pg_policy p, unnest(p.polroles) pr JOIN pg_roles r ON r.oid = pr
         WHERE p.polrelid = t.oid AND p.polname LIKE 'fleet\_reader\_%' AND p.polname NOT LIKE '%\_pin';
        v_column := CASE WHEN t.relname = 'organizations' THEN 'id' ELSE 'organization_id' END;
        v_expr := format('%I = nullif(current_setting(%L, true), %L)', v_column, 'fleet_analytics.organization_id', '');
        IF v_readers IS NOT NULL THEN
            v_expr := v_expr || format(' AND current_user <> ALL (%L::name[])', '{' || v_readers || '}');
        END IF;
        EXECUTE format('DROP POLICY fleet_tenant_isolation ON ${schema}.%I', t.relname);
        EXECUTE format('CREATE POLICY fleet_tenant_isolation ON ${schema}.%I USING (%s) WITH CHECK (%s)',
                       t.relname, v_expr, v_expr);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$fn$;

-- 3. The writers' lock: one row per location that was ever locked, made on first use.
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

-- Takes the locks of the given locations of one organization for the rest of the transaction, in
-- location order so that two lockers cannot deadlock: first makes the rows that are missing (in
-- the same order), then locks them. Re-entrant within a transaction. The wait is bounded by the
-- transaction's lock_timeout (the library sets it; SQLState 55P03 when it runs out). A transaction
-- held to row-level security locks only its own organization's locations: asked for another, it
-- makes and locks nothing (and whatever it goes on to do finds none of that organization's rows),
-- as before V015 when the advisory lock of another organization protected nothing it could see.
CREATE OR REPLACE FUNCTION ${schema}.lock_fleet_locations(p_organization_id VARCHAR, p_location_ids VARCHAR[])
RETURNS VOID
LANGUAGE plpgsql
AS $fn$
BEGIN
    INSERT INTO ${schema}.fleet_location_locks (organization_id, location_id)
    SELECT p_organization_id, u.l
      FROM (SELECT DISTINCT l FROM unnest(p_location_ids) AS x(l) WHERE l IS NOT NULL) u
     WHERE NOT row_security_active('${schema}.fleet_location_locks')
        OR p_organization_id = nullif(current_setting('fleet_analytics.organization_id', true), '')
     ORDER BY u.l
        ON CONFLICT ON CONSTRAINT fleet_location_locks_pk DO NOTHING;
    PERFORM 1 FROM ${schema}.fleet_location_locks k
      WHERE k.organization_id = p_organization_id AND k.location_id = ANY (p_location_ids)
      ORDER BY k.location_id
        FOR UPDATE;
END
$fn$;

DROP FUNCTION ${schema}.fleet_location_lock_key(VARCHAR, VARCHAR);

SELECT ${schema}.fleet_pin_organization_readers();
