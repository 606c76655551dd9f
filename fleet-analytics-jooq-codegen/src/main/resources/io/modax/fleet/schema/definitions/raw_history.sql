-- Definitions (re-applied whole whenever one changes; see docs/schema.md): keeping raw history
-- cheaply (docs/scaling.md). FleetMaintenance records where raw rows were dropped and, on plain
-- PostgreSQL, creates the monthly partitions of fleet_metrics (baseline/02_raw_metrics.sql).

-- Records a warehouse-wide drop: raw rows before p_dropped_before, or older than
-- p_retention_drop_after (a retention policy), may be gone. Keeps the latest cutoff and the
-- shortest age ever recorded. NULL leaves a value as it is.
CREATE OR REPLACE FUNCTION ${schema}.fleet_record_raw_drop(p_dropped_before TIMESTAMPTZ, p_retention_drop_after INTERVAL)
RETURNS VOID LANGUAGE plpgsql AS $fn$
DECLARE
    v_before TIMESTAMPTZ := greatest(${schema}.fleet_raw_dropped_before(), p_dropped_before);
    v_after INTERVAL := least(${schema}.fleet_raw_retention_drop_after(), p_retention_drop_after);
BEGIN
    EXECUTE format('CREATE OR REPLACE FUNCTION %s.fleet_raw_dropped_before() RETURNS TIMESTAMPTZ'
                   ' LANGUAGE sql STABLE AS %L', '${schema}', format('SELECT %L::timestamptz', v_before));
    EXECUTE format('CREATE OR REPLACE FUNCTION %s.fleet_raw_retention_drop_after() RETURNS INTERVAL'
                   ' LANGUAGE sql STABLE AS %L', '${schema}', format('SELECT %L::interval', v_after));
END
$fn$;

-- The partition of fleet_metrics for the UTC month holding p_month, with the rows of that month
-- moved out of the default partition; NULL when it exists already, else its name. Needs the
-- owner's privileges (DDL).
CREATE OR REPLACE FUNCTION ${schema}.fleet_create_raw_partition(p_month DATE)
RETURNS TEXT LANGUAGE plpgsql AS $fn$
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

-- On plain PostgreSQL: the partitions of this month and the next three (a no-op for those that
-- exist; FleetMaintenance.prepareRawPartitions creates more ahead).
SELECT ${schema}.fleet_create_raw_partition((date_trunc('month', now() AT TIME ZONE 'UTC') + k * interval '1 month')::date)
  FROM generate_series(0, 3) k
 WHERE (SELECT c.relkind FROM pg_class c WHERE c.oid = '${schema}.fleet_metrics'::regclass) = 'p';
