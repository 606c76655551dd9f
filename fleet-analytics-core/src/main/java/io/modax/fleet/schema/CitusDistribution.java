package io.modax.fleet.schema;

import io.modax.fleet.internal.schema.MigrationScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributes an installed schema on a Citus coordinator: {@link Distribution#CITUS}.
 *
 * <p>What it does, in one transaction, and again harmlessly on every later call (it only handles
 * what is not distributed yet):
 *
 * <ol>
 *   <li>Adapts the few things Citus cannot distribute as they are (each documented in
 *       docs/scaling.md): an organization column of type {@code text} becomes {@code varchar} (the
 *       same values; co-location needs one type); a foreign key with {@code ON DELETE SET NULL} of a
 *       column list becomes a plain one (the library never deletes a device that events name);
 *       statement triggers on {@code TRUNCATE} are dropped (on Citus they would truncate other
 *       distributed tables from inside a shard: truncate the rollups with the raw table); SQL
 *       functions that return rows become PL/pgSQL functions with the same query, because Citus
 *       cannot plan a SQL function inlined into a statement with parameters; functions that keep
 *       one generic plan plan each call instead.
 *   <li>Distributes {@code organizations} by {@code id} and every other table with an {@code
 *       organization_id} column by it, co-located with {@code organizations}, in foreign-key order.
 *       The list comes from the catalog, so tables of later migrations are included.
 *   <li>Makes every other table (except the migration history, which stays on the coordinator) a
 *       reference table.
 * </ol>
 */
final class CitusDistribution {

  private static final Logger LOG = LoggerFactory.getLogger(CitusDistribution.class);

  /** The tenant root: distributed by its id; every other tenant table is co-located with it. */
  static final String ROOT_TABLE = "organizations";

  /** The distribution column of every tenant table but the root. */
  static final String TENANT_COLUMN = "organization_id";

  /**
   * A rollup refresh's {@code INSERT ... SELECT} over {@code fleet_metrics_component_sums} not
   * sorted yet (see {@link #sortRollupInsertSelects}); group 1 the statement up to its WHERE, group 2
   * its {@code ON CONFLICT} clause, if any. A POSIX regular expression for PostgreSQL.
   */
  private static final String UNSORTED_ROLLUP_INSERT =
      "(CROSS JOIN LATERAL [^;]*[.]fleet_metrics_component_sums[(][^;]*WHERE s[.]snapshot_count > 0)"
          + "(\\s+ON CONFLICT [^;]*)?;";

  private final String schema;
  private final String quoted;

  CitusDistribution(String schema) {
    this.schema = schema;
    this.quoted = MigrationScripts.quoteSchema(schema);
  }

  /** Whether the citus extension is installed in the connection's database. */
  static boolean citusInstalled(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'citus'")) {
      return rs.next();
    }
  }

  /**
   * Whether some table of the schema (but the history) is not managed by Citus yet, or a function
   * a migration (re)created still needs its Citus adaptation (a SQL function returning rows, a
   * function that keeps a generic plan).
   */
  boolean pending(Connection c) throws SQLException {
    if (!citusInstalled(c)) {
      return true;
    }
    Set<String> done = distributedTables(c);
    if (!done.containsAll(tables(c).keySet())) {
      return true;
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            + " WHERE p.pronamespace = ?::regnamespace AND ((l.lanname = 'sql' AND p.proretset)"
            + " OR EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'plan_cache_mode=%')"
            + " OR (l.lanname = 'plpgsql' AND p.prosrc ~ '" + UNSORTED_ROLLUP_INSERT + "')))")) {
      p.setString(1, quoted);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Applies the distribution in the connection's current transaction; returns the tables done. */
  List<String> apply(Connection c) throws SQLException {
    if (!citusInstalled(c)) {
      throw new SchemaException("Distribution.CITUS needs the citus extension in this database"
          + " (connect to the Citus coordinator; CREATE EXTENSION citus there and on the workers)");
    }
    try (Statement s = c.createStatement()) {
      // Triggers on distributed tables: the library's only touch the same organization's
      // co-located shards (the rollup bookkeeping of the row's own location).
      s.execute("SET LOCAL citus.enable_unsafe_triggers = on");
      s.execute("SET LOCAL citus.multi_shard_modify_mode = 'sequential'");
    }
    Set<String> distributed = distributedTables(c);
    List<String> done = new ArrayList<>();
    Map<String, Boolean> tables = tables(c); // name -> has organization_id
    adaptTextTenantColumns(c, distributed);
    adaptSetNullForeignKeys(c);
    dropTruncateTriggers(c);
    wrapSqlFunctions(c);
    sortRollupInsertSelects(c);
    planWindowSumsPerCall(c);
    if (!tables.containsKey(ROOT_TABLE)) {
      throw new SchemaException("schema '" + schema + "' has no table " + ROOT_TABLE
          + ": migrate before distributing");
    }
    if (!distributed.contains(ROOT_TABLE)) {
      distribute(c, ROOT_TABLE, "id", "none");
      distributed.add(ROOT_TABLE);
      done.add(ROOT_TABLE);
    }
    // tenant tables in foreign-key order: a table after every table it references
    Map<String, Set<String>> refs = references(c);
    List<String> pending = new ArrayList<>();
    for (Map.Entry<String, Boolean> t : tables.entrySet()) {
      if (!t.getKey().equals(ROOT_TABLE) && !distributed.contains(t.getKey())) {
        pending.add(t.getKey());
      }
    }
    // reference tables first: tenant tables may reference them
    for (String t : List.copyOf(pending)) {
      if (!tables.get(t)) {
        try (PreparedStatement p = c.prepareStatement("SELECT create_reference_table(?::regclass)")) {
          p.setString(1, quoted + "." + quoteIdent(t));
          p.execute();
        }
        LOG.info("fleet-analytics schema '{}': {} is a Citus reference table", schema, t);
        distributed.add(t);
        pending.remove(t);
        done.add(t);
      }
    }
    while (!pending.isEmpty()) {
      String next = null;
      for (String t : pending) {
        if (distributed.containsAll(refs.getOrDefault(t, Set.of()))) {
          next = t;
          break;
        }
      }
      if (next == null) {
        throw new SchemaException("cannot order the tenant tables " + pending + " of schema '"
            + schema + "' by their foreign keys for distribution");
      }
      distribute(c, next, TENANT_COLUMN, quoted + "." + quoteIdent(ROOT_TABLE));
      distributed.add(next);
      pending.remove(next);
      done.add(next);
    }
    return done;
  }

  private void distribute(Connection c, String table, String column, String colocateWith)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT create_distributed_table(?::regclass, ?, colocate_with => ?)")) {
      p.setString(1, quoted + "." + quoteIdent(table));
      p.setString(2, column);
      p.setString(3, colocateWith);
      p.execute();
    }
    LOG.info("fleet-analytics schema '{}': distributed {} by {} on Citus", schema, table, column);
  }

  /** The schema's tables (not the history), each with whether it has an organization_id column. */
  private Map<String, Boolean> tables(Connection c) throws SQLException {
    Map<String, Boolean> tables = new LinkedHashMap<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT t.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid"
            + " AND a.attname = ? AND NOT a.attisdropped)"
            + " FROM pg_class t WHERE t.relnamespace = ?::regnamespace AND t.relkind IN ('r', 'p')"
            + " AND NOT t.relispartition AND t.relname <> ? ORDER BY t.relname")) {
      p.setString(1, TENANT_COLUMN);
      p.setString(2, quoted);
      p.setString(3, FleetSchema.HISTORY_TABLE);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          tables.put(rs.getString(1), rs.getBoolean(2) || rs.getString(1).equals(ROOT_TABLE));
        }
      }
    }
    return tables;
  }

  /** The tables of the schema that Citus already manages (distributed or reference). */
  private Set<String> distributedTables(Connection c) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT t.relname FROM pg_dist_partition d JOIN pg_class t ON t.oid = d.logicalrelid"
            + " WHERE t.relnamespace = ?::regnamespace")) {
      p.setString(1, quoted);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  /** For each table, the other tables of the schema its foreign keys reference. */
  private Map<String, Set<String>> references(Connection c) throws SQLException {
    Map<String, Set<String>> refs = new LinkedHashMap<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT f.relname, r.relname FROM pg_constraint k"
            + " JOIN pg_class f ON f.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid"
            + " WHERE k.contype = 'f' AND f.relnamespace = ?::regnamespace"
            + " AND r.relnamespace = f.relnamespace AND r.oid <> f.oid")) {
      p.setString(1, quoted);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          refs.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
        }
      }
    }
    return refs;
  }

  /**
   * Citus co-locates only tables whose distribution columns have one type: a {@code text}
   * organization column (the quarantine's, which keeps ids of any length) becomes {@code varchar}
   * without a length, which holds the same values. Policies on the column are re-created as they
   * were (PostgreSQL does not let a column under a policy change type).
   */
  private void adaptTextTenantColumns(Connection c, Set<String> distributed) throws SQLException {
    List<String> textTables = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT t.relname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
            + " WHERE t.relnamespace = ?::regnamespace AND t.relkind = 'r' AND a.attname = ?"
            + " AND a.atttypid = 'text'::regtype AND NOT a.attisdropped")) {
      p.setString(1, quoted);
      p.setString(2, TENANT_COLUMN);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          textTables.add(rs.getString(1));
        }
      }
    }
    for (String t : textTables) {
      if (distributed.contains(t)) {
        continue;
      }
      String table = quoted + "." + quoteIdent(t);
      List<String[]> policies = new ArrayList<>(); // name, create statement
      try (PreparedStatement p = c.prepareStatement(
          "SELECT pol.polname, 'CREATE POLICY ' || quote_ident(pol.polname) || ' ON ' || ?"
              + " || CASE WHEN pol.polpermissive THEN '' ELSE ' AS RESTRICTIVE' END"
              + " || ' FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'"
              + " WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END"
              + " || ' TO ' || CASE WHEN pol.polroles = '{0}' THEN 'PUBLIC' ELSE"
              + " (SELECT string_agg(quote_ident(r.rolname), ', ') FROM pg_roles r"
              + " WHERE r.oid = ANY (pol.polroles)) END"
              + " || coalesce(' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', '')"
              + " || coalesce(' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid)"
              + " || ')', '')"
              + " FROM pg_policy pol WHERE pol.polrelid = ?::regclass")) {
        p.setString(1, table);
        p.setString(2, table);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            policies.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      try (Statement s = c.createStatement()) {
        for (String[] pol : policies) {
          s.execute("DROP POLICY " + quoteIdent(pol[0]) + " ON " + table);
        }
        s.execute("ALTER TABLE " + table + " ALTER COLUMN " + TENANT_COLUMN + " TYPE varchar");
        for (String[] pol : policies) {
          s.execute(pol[1]); // built by the server from the catalog
        }
      }
      LOG.info("fleet-analytics schema '{}': {}.{} is varchar for Citus co-location",
          schema, t, TENANT_COLUMN);
    }
  }

  /**
   * Citus refuses {@code ON DELETE SET NULL} on a foreign key that includes the distribution
   * column, even when only another column is set to NULL: such keys become plain ones.
   */
  private void adaptSetNullForeignKeys(Connection c) throws SQLException {
    List<String[]> keys = new ArrayList<>(); // table, name, definition without the action
    try (PreparedStatement p = c.prepareStatement(
        "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
            + " JOIN pg_class t ON t.oid = k.conrelid WHERE k.contype = 'f'"
            + " AND t.relnamespace = ?::regnamespace AND k.confdeltype IN ('n', 'd')")) {
      p.setString(1, quoted);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String def = rs.getString(3).replaceAll("\\s+ON DELETE SET (NULL|DEFAULT)(\\s*\\([^)]*\\))?", "");
          keys.add(new String[] {rs.getString(1), rs.getString(2), def});
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (String[] k : keys) {
        String table = quoted + "." + quoteIdent(k[0]);
        s.execute("ALTER TABLE " + table + " DROP CONSTRAINT " + quoteIdent(k[1]));
        s.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + quoteIdent(k[1]) + " " + k[2]);
        LOG.info("fleet-analytics schema '{}': foreign key {} has no ON DELETE SET NULL on Citus",
            schema, k[1]);
      }
    }
  }

  /** Drops the schema's TRUNCATE triggers (see the class comment). */
  private void dropTruncateTriggers(Connection c) throws SQLException {
    List<String[]> triggers = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT t.relname, g.tgname FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid"
            + " WHERE t.relnamespace = ?::regnamespace AND NOT g.tgisinternal"
            + " AND (g.tgtype & 32) <> 0")) {
      p.setString(1, quoted);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          triggers.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (String[] t : triggers) {
        s.execute("DROP TRIGGER " + quoteIdent(t[1]) + " ON " + quoted + "." + quoteIdent(t[0]));
        LOG.info("fleet-analytics schema '{}': dropped TRUNCATE trigger {} (not on Citus)",
            schema, t[1]);
      }
    }
  }

  /**
   * Re-creates each SQL function of the schema that returns rows as a PL/pgSQL function returning
   * the same query: Citus plans each statement of a PL/pgSQL function on its own, with the
   * organization known, where an inlined SQL function would leave a parameter it cannot route.
   * Column names win over the function's output names, as they do in SQL functions.
   */
  private void wrapSqlFunctions(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "DO $$ DECLARE f record; def text; BEGIN"
            + " FOR f IN SELECT p.oid, p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            + " WHERE p.pronamespace = " + "'" + quoted.replace("'", "''") + "'::regnamespace"
            + " AND l.lanname = 'sql' AND p.proretset LOOP"
            + "   def := regexp_replace(pg_get_functiondef(f.oid), '\\mLANGUAGE sql\\M', 'LANGUAGE plpgsql');"
            + "   def := replace(def, f.prosrc, E'\\n#variable_conflict use_column\\nBEGIN\\nRETURN QUERY '"
            + "          || regexp_replace(f.prosrc, ';\\s*$', '') || E';\\nEND\\n');"
            + "   EXECUTE def;"
            + " END LOOP; END $$")) {
      p.execute();
    }
  }

  /**
   * Citus runs an {@code INSERT ... SELECT} whose rows it cannot compute on a worker by streaming
   * them into a COPY to the target shard as they are produced; when the SELECT calls {@code
   * fleet_metrics_component_sums}, which reads the same worker, that read would need the
   * connection the COPY holds. Sorting the rows makes every call finish before the first row is
   * sent: the rollup refreshes' inserts get {@code ORDER BY 1, 2, 3} (their bucket key, before
   * any {@code ON CONFLICT} clause), which changes nothing else.
   */
  private void sortRollupInsertSelects(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "DO $$ DECLARE f record; def text; changed text; BEGIN"
            + " FOR f IN SELECT p.oid FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            + " WHERE p.pronamespace = " + "'" + quoted.replace("'", "''") + "'::regnamespace"
            + " AND l.lanname = 'plpgsql' AND p.prosrc LIKE '%INSERT INTO%'"
            + " AND p.prosrc LIKE '%fleet_metrics_component_sums(%' LOOP"
            + "   def := pg_get_functiondef(f.oid);"
            + "   changed := regexp_replace(def, '" + UNSORTED_ROLLUP_INSERT + "', '\\1 ORDER BY 1, 2, 3\\2;', 'g');"
            + "   IF changed <> def THEN EXECUTE changed; END IF;"
            + " END LOOP; END $$")) {
      p.execute();
    }
  }

  /**
   * Functions that keep one generic plan ({@code SET plan_cache_mode = force_generic_plan}, e.g.
   * {@code fleet_window_sums}, V012) plan every call on Citus instead: Citus routes a statement to
   * the one worker that holds the organization only once it knows the organization's value, which
   * a generic plan leaves as a parameter ("could not create distributed plan").
   */
  private void planWindowSumsPerCall(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "DO $$ DECLARE f record; BEGIN"
            + " FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p"
            + " WHERE p.pronamespace = " + "'" + quoted.replace("'", "''") + "'::regnamespace"
            + " AND EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'plan_cache_mode=%') LOOP"
            + "   EXECUTE format('ALTER FUNCTION %s RESET plan_cache_mode', f.sig);"
            + " END LOOP; END $$")) {
      p.execute();
    }
  }

  private static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
