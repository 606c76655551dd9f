-- Time partitions for the raw snapshots on plain PostgreSQL (issue 9: history kept cheaply).
--
-- On plain PostgreSQL fleet_metrics becomes a table partitioned by "timestamp", one partition per
-- UTC calendar month (fleet_metrics_yYYYYmMM) and a default partition (fleet_metrics_default) for
-- rows of months that have none yet, so that no write ever fails for want of a partition.
-- FleetMaintenance creates partitions ahead (prepareRawPartitions, which also moves rows of a new
-- partition's month out of the default one) and detaches or drops whole old partitions
-- (dropRawPartitionsBefore) while the rollups, ordinary tables, keep everything. Reading the raw
-- rows at a window's ends then opens only the partitions at the ends (the raw helper's statement
-- is planned with the bounds as constants).
--
-- Not on TimescaleDB, where fleet_metrics is a hypertable whose chunks do the same, and not on
-- Citus, whose distributed fleet_metrics is not re-created here (drop raw history there per
-- organization with dropRawHistoryBefore).
--
-- Partitions are reached through fleet_metrics only: its privileges, its row-level security
-- policies and its triggers apply to every row whatever partition holds it (triggers are cloned
-- onto each partition by PostgreSQL). A partition is created without privileges for any role but
-- its owner (fleet_create_raw_partition revokes what default privileges granted), so no role that
-- row-level security holds can read a partition directly, around the policies.
--
-- The conversion copies the rows once into the new partitions (a full rewrite of the raw table:
-- on a large existing installation, plan for it like any table rewrite), re-creates on the new
-- table the primary key, the foreign key, the checks, the privileges and the policies of the old
-- one (including those the role helpers added), its two triggers, and points the components view
-- at it; then drops the old table.

-- The partition of fleet_metrics for the UTC month holding p_month, with the rows of that month
-- moved out of the default partition; NULL when it exists already, else its name. Needs the
-- owner's privileges (DDL).
CREATE FUNCTION ${schema}.fleet_create_raw_partition(p_month DATE)
RETURNS TEXT
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_start DATE := date_trunc('month', p_month)::date;
    v_from TIMESTAMPTZ := v_start::timestamp AT TIME ZONE 'UTC';
    v_to TIMESTAMPTZ := (v_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    v_name TEXT := 'fleet_metrics_y' || to_char(v_start, 'YYYY') || 'm' || to_char(v_start, 'MM');
    v_maintained TEXT := current_setting('fleet_analytics.rollups_maintained', true);
    g RECORD;
BEGIN
    IF to_regclass(format('%s.%I', '${schema}', v_name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %s.%I (LIKE %s.fleet_metrics INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   '${schema}', v_name, '${schema}');
    -- the partition bound as a check, so that attaching it needs no scan of its rows
    EXECUTE format('ALTER TABLE %s.%I ADD CONSTRAINT %I CHECK ("timestamp" >= %L AND "timestamp" < %L)',
                   '${schema}', v_name, v_name || '_bound', v_from, v_to);
    -- moving rows between partitions changes no sum: the rollups are not marked
    PERFORM set_config('fleet_analytics.rollups_maintained', 'on', true);
    EXECUTE format('WITH moved AS (DELETE FROM %s.fleet_metrics_default WHERE "timestamp" >= $1 AND "timestamp" < $2 RETURNING *)'
                   ' INSERT INTO %s.%I SELECT * FROM moved', '${schema}', '${schema}', v_name)
        USING v_from, v_to;
    PERFORM set_config('fleet_analytics.rollups_maintained', coalesce(v_maintained, ''), true);
    EXECUTE format('ALTER TABLE %s.fleet_metrics ATTACH PARTITION %s.%I FOR VALUES FROM (%L) TO (%L)',
                   '${schema}', '${schema}', v_name, v_from, v_to);
    EXECUTE format('ALTER TABLE %s.%I DROP CONSTRAINT %I', '${schema}', v_name, v_name || '_bound');
    -- only through fleet_metrics: revoke what default privileges granted
    FOR g IN SELECT DISTINCT a.grantee::regrole::text AS grantee
               FROM pg_class c, aclexplode(c.relacl) a
              WHERE c.oid = format('%s.%I', '${schema}', v_name)::regclass
                AND a.grantee <> c.relowner AND a.grantee <> 0 LOOP
        EXECUTE format('REVOKE ALL ON %s.%I FROM %s', '${schema}', v_name, g.grantee);
    END LOOP;
    EXECUTE format('REVOKE ALL ON %s.%I FROM PUBLIC', '${schema}', v_name);
    RETURN v_name;
END
$fn$;

DO $$
DECLARE
    v_timescale BOOLEAN := false;
    v_ext_schema NAME;
    v_acl RECORD;
    v_policy RECORD;
    v_view TEXT;
    v_month DATE;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = '${schema}.fleet_metrics'::regclass) <> 'r' THEN
        RETURN; -- partitioned already
    END IF;
    SELECT n.nspname INTO v_ext_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'timescaledb';
    IF v_ext_schema IS NOT NULL THEN
        -- by the relation, not by name: the schema placeholder here is the quoted name
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.hypertables WHERE format(%L, hypertable_schema,'
                       ' hypertable_name)::regclass = %L::regclass)', 'timescaledb_information', '%I.%I',
                       '${schema}.fleet_metrics')
            INTO v_timescale;
        IF v_timescale THEN
            RETURN;
        END IF;
    END IF;

    ALTER TABLE ${schema}.fleet_metrics RENAME TO fleet_metrics_unpartitioned;
    ALTER TABLE ${schema}.fleet_metrics_unpartitioned RENAME CONSTRAINT fleet_metrics_pk TO fleet_metrics_unpartitioned_pk;

    CREATE TABLE ${schema}.fleet_metrics (
        LIKE ${schema}.fleet_metrics_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS
    ) PARTITION BY RANGE ("timestamp");
    ALTER TABLE ${schema}.fleet_metrics
        ADD CONSTRAINT fleet_metrics_pk PRIMARY KEY (organization_id, location_id, "timestamp");
    ALTER TABLE ${schema}.fleet_metrics
        ADD CONSTRAINT fleet_metrics_location_fk FOREIGN KEY (organization_id, location_id)
        REFERENCES ${schema}.locations (organization_id, id) ON DELETE CASCADE;

    CREATE TABLE ${schema}.fleet_metrics_default PARTITION OF ${schema}.fleet_metrics DEFAULT;
    FOR v_acl IN SELECT DISTINCT a.grantee::regrole::text AS grantee
                   FROM pg_class c, aclexplode(c.relacl) a
                  WHERE c.oid = '${schema}.fleet_metrics_default'::regclass
                    AND a.grantee <> c.relowner AND a.grantee <> 0 LOOP
        EXECUTE format('REVOKE ALL ON ${schema}.fleet_metrics_default FROM %s', v_acl.grantee);
    END LOOP;
    REVOKE ALL ON ${schema}.fleet_metrics_default FROM PUBLIC;

    -- a partition for every month that holds rows, and for this month and the next three
    FOR v_month IN
        SELECT DISTINCT date_trunc('month', m."timestamp" AT TIME ZONE 'UTC')::date
          FROM ${schema}.fleet_metrics_unpartitioned m
        UNION
        SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + k * interval '1 month')::date
          FROM generate_series(0, 3) k LOOP
        PERFORM ${schema}.fleet_create_raw_partition(v_month);
    END LOOP;

    -- the rows, before the triggers exist: the same rows, the same sums
    INSERT INTO ${schema}.fleet_metrics SELECT * FROM ${schema}.fleet_metrics_unpartitioned;

    CREATE TRIGGER fleet_metrics_mark_rollups_dirty
        AFTER INSERT OR UPDATE OR DELETE ON ${schema}.fleet_metrics
        FOR EACH ROW
        WHEN (current_setting('fleet_analytics.rollups_maintained', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION ${schema}.mark_fleet_rollups_dirty();
    CREATE TRIGGER fleet_metrics_truncate_rollups
        AFTER TRUNCATE ON ${schema}.fleet_metrics
        FOR EACH STATEMENT
        EXECUTE FUNCTION ${schema}.clear_fleet_rollups();

    -- privileges and policies as they were (V008's, and any the role helpers added)
    FOR v_acl IN SELECT a.grantee, a.privilege_type
                   FROM pg_class c, aclexplode(c.relacl) a
                  WHERE c.oid = '${schema}.fleet_metrics_unpartitioned'::regclass
                    AND a.grantee <> c.relowner LOOP
        EXECUTE format('GRANT %s ON ${schema}.fleet_metrics TO %s', v_acl.privilege_type,
                       CASE WHEN v_acl.grantee = 0 THEN 'PUBLIC' ELSE v_acl.grantee::regrole::text END);
    END LOOP;
    ALTER TABLE ${schema}.fleet_metrics ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${schema}.fleet_metrics FORCE ROW LEVEL SECURITY;
    FOR v_policy IN SELECT p.polname, p.polpermissive, p.polcmd,
                           pg_get_expr(p.polqual, p.polrelid) AS qual,
                           pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,
                           ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END
                                   FROM unnest(p.polroles) r) AS roles
                      FROM pg_policy p
                     WHERE p.polrelid = '${schema}.fleet_metrics_unpartitioned'::regclass LOOP
        EXECUTE format('CREATE POLICY %I ON ${schema}.fleet_metrics AS %s FOR %s TO %s%s%s',
                       v_policy.polname,
                       CASE WHEN v_policy.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                       CASE v_policy.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                            WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                       array_to_string(v_policy.roles, ', '),
                       CASE WHEN v_policy.qual IS NULL THEN '' ELSE ' USING (' || v_policy.qual || ')' END,
                       CASE WHEN v_policy.check_expr IS NULL THEN '' ELSE ' WITH CHECK (' || v_policy.check_expr || ')' END);
    END LOOP;

    -- the components view (V002, security_invoker since V008) reads the new table
    v_view := pg_get_viewdef('${schema}.fleet_metrics_components'::regclass);
    EXECUTE 'CREATE OR REPLACE VIEW ${schema}.fleet_metrics_components AS '
        || replace(v_view, 'fleet_metrics_unpartitioned', 'fleet_metrics');
    ALTER VIEW ${schema}.fleet_metrics_components SET (security_invoker = true);

    DROP TABLE ${schema}.fleet_metrics_unpartitioned;
END
$$;
