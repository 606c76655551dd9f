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
 *       column list becomes a plain one (the library never deletes a device that events name). No
 *       function or trigger is changed here: where Citus needs another definition, the installer applied the {@code
 *       .citus.sql} file beside the ordinary one (docs/schema.md).
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

  /** Whether some table of the schema (given quoted) is managed by Citus. */
  static boolean distributed(Connection c, String quotedSchema) throws SQLException {
    if (!citusInstalled(c)) {
      return false;
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM pg_dist_partition d JOIN pg_class t ON t.oid = d.logicalrelid"
            + " WHERE t.relnamespace = ?::regnamespace)")) {
      p.setString(1, quotedSchema);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Whether some table of the schema (but the history) is not managed by Citus yet. */
  boolean pending(Connection c) throws SQLException {
    if (!citusInstalled(c)) {
      return true;
    }
    return !distributedTables(c).containsAll(tables(c).keySet());
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

  private static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
