package io.modax.fleet.schema;

import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.schema.MigrationScripts;
import io.modax.fleet.internal.schema.MigrationScripts.Definition;
import io.modax.fleet.internal.schema.MigrationScripts.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, upgrades and validates the warehouse schema in a host's PostgreSQL (15 or newer,
 * optionally with TimescaleDB).
 *
 * <p>A new schema gets the baseline (every table as of version 14); a schema gets the numbered
 * migrations after it that it lacks, in version order; and whenever either happened, or a function,
 * view or trigger definition differs from the one recorded, every definition is re-applied whole
 * (docs/schema.md). All of it runs inside one transaction, under a lock that no role granted by
 * this class can take (a table lock on the history table; an advisory lock before the schema
 * exists), and is recorded in {@value #HISTORY_TABLE} with checksums (a definition with no
 * version). Running {@link #migrate} again
 * changes nothing; several service instances may call it at once (the others wait for the first
 * and then find nothing to do). A migration whose recorded checksum differs from the shipped one,
 * or a database newer than this library, is refused with {@link SchemaException}.
 *
 * <p>The schema name is the host's choice (default {@value #DEFAULT_SCHEMA}): 1-63 lower-case ASCII
 * letters, digits and underscores.
 *
 * <p>Thread safety: immutable; safe to share.
 */
public final class FleetSchema {

  /** The schema used when the host names none. */
  public static final String DEFAULT_SCHEMA = MigrationScripts.GENERATED_SCHEMA;

  /** The table that records applied migrations, inside the schema. */
  public static final String HISTORY_TABLE = "fleet_schema_history";

  private static final Logger LOG = LoggerFactory.getLogger(FleetSchema.class);

  /** The oldest server {@link #migrate} accepts, as PostgreSQL's {@code server_version_num}. */
  static final int MINIMUM_SERVER_VERSION_NUM = 150_000;

  /**
   * The lock of migrators of a schema that does not exist yet (one for every schema of a database:
   * first installs are rare and short). Once the schema exists, migrators and the grant helpers
   * lock its history table instead ({@link #lockMigrations}): an advisory key is one any role that
   * can log in may take and hold, so that no migration could run (issue 14).
   */
  static final long MIGRATION_LOCK_KEY = 0x466c656574416e6cL; // "FleetAnl"

  /**
   * Serializes migrators and grant helpers of the schema for the rest of the transaction: {@code
   * SHARE ROW EXCLUSIVE} on the history table, a mode that conflicts with itself but not with the
   * {@code ACCESS SHARE} that is all a role with {@code SELECT} on it (every granted role) may take;
   * before the schema exists, the advisory lock {@link #MIGRATION_LOCK_KEY}.
   */
  static void lockMigrations(Connection c, String schema) throws SQLException {
    String history = MigrationScripts.quoteSchema(schema) + "." + HISTORY_TABLE;
    boolean exists;
    try (PreparedStatement p = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      p.setString(1, history);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        exists = rs.getBoolean(1);
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(exists ? "LOCK TABLE " + history + " IN SHARE ROW EXCLUSIVE MODE"
          : "SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")");
    }
  }

  private final DataSource dataSource;
  private final String schema;

  private FleetSchema(DataSource dataSource, String schema) {
    this.dataSource = Checks.requireNonNull("dataSource", dataSource);
    this.schema = schema;
    MigrationScripts.quoteSchema(schema);
  }

  /**
   * The schema installer for a data source and schema name.
   *
   * @throws IllegalArgumentException when the schema name breaks the naming rule
   */
  public static FleetSchema of(DataSource dataSource, String schema) {
    return new FleetSchema(dataSource, schema);
  }

  /** The newest schema version this library ships. */
  public static int latestVersion() {
    return MigrationScripts.latestVersion();
  }

  /**
   * The complete installation script for a schema, for hosts that run their own migration tool: it
   * creates the schema and history table and applies the baseline, every numbered migration and
   * every definition in one transaction, for a new schema. It does not create the TimescaleDB
   * extension; where it is installed, {@code fleet_metrics} becomes a hypertable. It holds the
   * single-node definitions: on a Citus coordinator use {@link #migrate(TimescaleMode,
   * Distribution)}, which applies the Citus ones.
   */
  public static String sql(String schema) {
    String q = MigrationScripts.quoteSchema(schema);
    StringBuilder b = new StringBuilder();
    b.append("-- fleet-analytics schema, version ").append(latestVersion()).append('\n');
    b.append("BEGIN;\n");
    b.append("CREATE SCHEMA IF NOT EXISTS ").append(q).append(";\n");
    b.append(historyDdl(q)).append(";\n");
    for (Migration m : MigrationScripts.all()) {
      b.append("\n-- V").append(m.version()).append(": ").append(m.description()).append('\n');
      b.append(m.render(schema)).append('\n');
      b.append(historyInsert(q, String.valueOf(m.version()), m.description(), m.script(), m.checksum()));
    }
    for (Definition d : MigrationScripts.definitions(false)) {
      b.append("\n-- ").append(d.script()).append('\n');
      b.append(d.render(schema)).append('\n');
      b.append(historyInsert(q, "NULL", d.name(), d.script(), d.checksum()));
    }
    b.append("COMMIT;\n");
    return b.toString();
  }

  private static String historyInsert(String q, String version, String description, String script, String checksum) {
    // every value is a constant of this library (versions, file names, hex checksums)
    return "INSERT INTO " + q + "." + HISTORY_TABLE
        + " (version, description, script, checksum, execution_ms) VALUES (" + version + ", '"
        + description + "', '" + script + "', '" + checksum + "', 0);\n";
  }

  /** The schema name. */
  public String schema() {
    return schema;
  }

  /**
   * Applies every pending migration.
   *
   * @param timescale whether {@code fleet_metrics} should become a hypertable
   * @return the resulting status, with the versions applied now
   * @throws SchemaException when the server is older than PostgreSQL 15 (the message names the
   *     version found and the one needed), a checksum differs, the database is newer than the
   *     library, a required TimescaleDB is missing, or a migration fails (nothing of it is left
   *     behind)
   */
  public SchemaStatus migrate(TimescaleMode timescale) {
    return migrate(timescale, Distribution.SINGLE_NODE);
  }

  /**
   * Applies every pending migration and then, for {@link Distribution#CITUS}, distributes every
   * table not distributed yet (see {@link Distribution#CITUS} and docs/scaling.md).
   *
   * @param timescale whether {@code fleet_metrics} should become a hypertable; must be {@link
   *     TimescaleMode#DISABLED} with {@link Distribution#CITUS}
   * @param distribution where the tables live
   * @return the resulting status, with the versions applied now
   * @throws SchemaException as {@link #migrate(TimescaleMode)}, and when Citus is asked for but the
   *     database is not a Citus coordinator, or together with TimescaleDB
   */
  public SchemaStatus migrate(TimescaleMode timescale, Distribution distribution) {
    Checks.requireNonNull("timescale", timescale);
    Checks.requireNonNull("distribution", distribution);
    if (distribution == Distribution.CITUS && timescale != TimescaleMode.DISABLED) {
      throw new SchemaException("Distribution.CITUS needs TimescaleMode.DISABLED: the warehouse"
          + " does not distribute hypertables");
    }
    SchemaStatus status = migrateTables(timescale, distribution == Distribution.CITUS);
    if (distribution == Distribution.CITUS) {
      distributeOnCitus();
    }
    return status;
  }

  private void distributeOnCitus() {
    CitusDistribution citus = new CitusDistribution(schema);
    try (Connection c = dataSource.getConnection()) {
      if (!citus.pending(c)) {
        return; // nothing to do, and no DDL for a role that may not run it
      }
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        lockMigrations(c, schema);
        try (Statement s = c.createStatement()) {
          s.execute("SET LOCAL statement_timeout = 0");
        }
        List<String> done = citus.apply(c);
        c.commit();
        if (!done.isEmpty()) {
          LOG.info("fleet-analytics schema '{}': on Citus: {}", schema, done);
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new SchemaException("distributing schema '" + schema + "' on Citus failed; nothing was"
          + " changed: " + e.getMessage(), e);
    }
  }

  private SchemaStatus migrateTables(TimescaleMode timescale, boolean citus) {
    String q = MigrationScripts.quoteSchema(schema);
    // Nothing to do when every shipped migration is installed: return without any DDL, so that a
    // role that may not change the schema (the runtime role of docs/security.md) can start too.
    SchemaStatus found = status(citus);
    if (found.isCurrent() && (timescale != TimescaleMode.REQUIRED || found.hypertable())) {
      return found;
    }
    try (Connection c = dataSource.getConnection()) {
      requireSupportedServer(c);
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        lockMigrations(c, schema);
        try (Statement s = c.createStatement()) {
          s.execute("SET LOCAL statement_timeout = 0");
        }
        if (CitusDistribution.citusInstalled(c)) {
          // a later migration may add a trigger to a table that is distributed already
          try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL citus.enable_unsafe_triggers = on");
          }
        }
        boolean timescaleAvailable = ensureTimescale(c, timescale);
        try (PreparedStatement p =
            c.prepareStatement("SELECT set_config('fleet_analytics.use_timescaledb', ?, true)")) {
          p.setString(1, timescale != TimescaleMode.DISABLED && timescaleAvailable ? "on" : "off");
          p.execute();
        }
        try (Statement s = c.createStatement()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + q);
          s.execute(historyDdl(q));
        }
        upgradeHistoryTable(c, q);
        History history = readHistory(c, q);
        checkHistory(history.versions());
        int installed = installedVersion(history.versions());
        if (installed == 0 && !history.versions().isEmpty()) {
          installed = -1; // some legacy rows, not all: reported below
        }
        if (installed != 0 && installed < MigrationScripts.BASELINE_VERSION) {
          throw new SchemaException("schema '" + schema + "' is at version " + Math.max(installed, 0)
              + ", older than the baseline (version " + MigrationScripts.BASELINE_VERSION + ") this"
              + " library installs from: migrate it to version " + MigrationScripts.BASELINE_VERSION
              + " with the library built before the baseline first, or install a new schema");
        }
        List<Integer> appliedNow = new ArrayList<>();
        for (Migration m : MigrationScripts.all()) {
          if (m.version() <= installed) {
            continue;
          }
          long millis = run(c, "migration V" + m.version() + " (" + m.script() + ")", m.render(schema));
          recordHistory(c, q, m.version(), m.description(), m.script(), m.checksum(), millis);
          appliedNow.add(m.version());
          LOG.info("fleet-analytics schema '{}': applied V{} {} in {} ms", schema, m.version(), m.description(), millis);
        }
        // the Citus definitions for a schema distributed now or before (a later migrate(AUTO) of a
        // distributed schema, e.g. at the start of FleetAnalytics, keeps them)
        boolean citusDefinitions = citus || CitusDistribution.distributed(c, q);
        List<Definition> definitions = MigrationScripts.definitions(citusDefinitions);
        if (!appliedNow.isEmpty() || !definitionsCurrent(history, citusDefinitions)) {
          for (Definition d : definitions) {
            long millis = run(c, "definition " + d.script(), d.render(schema));
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + q + "." + HISTORY_TABLE
                + " WHERE version IS NULL AND description = ?")) {
              p.setString(1, d.name());
              p.executeUpdate();
            }
            recordHistory(c, q, null, d.name(), d.script(), d.checksum(), millis);
          }
          LOG.info("fleet-analytics schema '{}': applied the {} definitions", schema, definitions.size());
        }
        c.commit();
        SchemaStatus status =
            new SchemaStatus(schema, latestVersion(), latestVersion(), appliedNow, isHypertable(c));
        c.commit();
        if (timescale == TimescaleMode.REQUIRED && !status.hypertable()) {
          throw new SchemaException(
              "TimescaleDB is required but fleet_metrics in schema '" + schema
                  + "' is not a hypertable (it was created before TimescaleDB was installed,"
                  + " or with TimescaleMode.DISABLED)");
        }
        return status;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new SchemaException("migrating schema '" + schema + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a server older than PostgreSQL 15 before any DDL: the migrations use its syntax (e.g.
   * a foreign key's {@code ON DELETE SET NULL (column)}), and an older server would otherwise fail
   * half-way with a bare syntax error.
   */
  private void requireSupportedServer(Connection c) throws SQLException {
    String version;
    int versionNum;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT current_setting('server_version'), current_setting('server_version_num')::int")) {
      rs.next();
      version = rs.getString(1);
      versionNum = rs.getInt(2);
    }
    if (versionNum < MINIMUM_SERVER_VERSION_NUM) {
      throw new SchemaException("cannot install schema '" + schema + "': the server is PostgreSQL "
          + version + " (server_version_num " + versionNum + ") but fleet-analytics needs"
          + " PostgreSQL 15 or newer (server_version_num >= " + MINIMUM_SERVER_VERSION_NUM
          + "); nothing was changed");
    }
  }

  /**
   * Checks, without changing anything, that every migration this library ships is installed with
   * the same checksum, and every function, view and trigger definition as shipped.
   *
   * @throws SchemaException saying what is missing or different and how to fix it
   */
  public SchemaStatus validate() {
    SchemaStatus status = status();
    if (!status.isCurrent()) {
      throw new SchemaException(
          "schema '" + schema + "' is at version " + status.installedVersion()
              + " but this library needs version " + status.latestVersion()
              + (status.definitionsCurrent() ? "" : " with its current function definitions")
              + ": run FleetSchema.migrate (SchemaAction.MIGRATE) or apply FleetSchema.sql");
    }
    return status;
  }

  /**
   * Reads the installed version without changing anything.
   *
   * @throws SchemaException when a recorded checksum differs from the shipped migration or the
   *     database is newer than this library
   */
  public SchemaStatus status() {
    return status(false);
  }

  /**
   * The status; its definitions are current when recorded as shipped for Citus (when {@code
   * citus}, or when the schema is distributed on Citus already), else for a single node.
   */
  private SchemaStatus status(boolean citus) {
    String q = MigrationScripts.quoteSchema(schema);
    try (Connection c = dataSource.getConnection()) {
      if (!historyExists(c)) {
        return new SchemaStatus(schema, 0, latestVersion(), List.of(), false);
      }
      History history = readHistory(c, q);
      checkHistory(history.versions());
      return new SchemaStatus(schema, installedVersion(history.versions()), latestVersion(), List.of(),
          isHypertable(c), definitionsCurrent(history, citus || CitusDistribution.distributed(c, q)));
    } catch (SQLException e) {
      throw new SchemaException("reading schema '" + schema + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Grants a database role what the library's runtime needs, and nothing more: {@code USAGE} on
   * the schema, {@code SELECT, INSERT, UPDATE, DELETE} on the tenant tables (those under
   * row-level security), {@code SELECT} on the history table and the views, the sequences, and
   * {@code EXECUTE} on the functions; also as default privileges for what later migrations (run by
   * the same owner) create. Run it as the schema's owner after {@link #migrate}; it is idempotent,
   * so run it again after an upgrade. The role then builds the library with any {@link
   * SchemaAction} (a current schema needs no DDL) and is held to row-level security; see
   * docs/security.md.
   *
   * @param role an existing role: 1-40 lower-case ASCII letters, digits or '_', not a superuser,
   *     without BYPASSRLS, and neither owning nor a member of the role owning the schema's tables
   * @throws io.modax.fleet.InvalidRequestException when the name breaks the rule, the role does
   *     not exist or is not an ordinary role as above
   * @throws SchemaException when the database refuses (e.g. the data source is not the owner)
   */
  public void grantRuntimeRole(String role) {
    new RoleGrants(dataSource, schema).grantRuntime(role);
  }

  /**
   * Grants a database role read access to one organization only, for SQL the library does not
   * write (e.g. a Grafana data source per tenant): {@code SELECT} on every table, and on every
   * tenant table a permissive policy showing the organization's rows and a restrictive one
   * refusing any other, whatever the role sets {@code fleet_analytics.organization_id} to. Run it
   * as the schema's owner; idempotent (a second call for the same role re-pins it).
   *
   * @param role an existing ordinary role (see {@link #grantRuntimeRole}), 1-40 characters
   * @param organizationId the organization it may read; travels to SQL only as a quoted literal
   *     built by the server
   * @throws io.modax.fleet.InvalidRequestException when the role name or organization id breaks
   *     its rule, or the role is missing, a superuser, has BYPASSRLS or owns the tables
   * @throws SchemaException when the database refuses
   */
  public void grantOrganizationReader(String role, String organizationId) {
    new RoleGrants(dataSource, schema).grantOrganizationReader(role, organizationId);
  }

  /**
   * The deliberate cross-organization path: grants a database role {@code SELECT} on every table
   * and, on every tenant table, a policy that shows it every organization's rows. For an
   * administrator's fleet-wide queries (and a fleet-wide Grafana); never give it to the library's
   * runtime role or make that role a member of it. Tenant isolation for every other role is
   * unchanged. Run it as the schema's owner; idempotent.
   *
   * @param role an existing role, 1-40 lower-case ASCII letters, digits or '_', not owning the
   *     tables
   * @throws io.modax.fleet.InvalidRequestException when the name breaks the rule or the role is
   *     missing or owns the tables
   * @throws SchemaException when the database refuses
   */
  public void grantFleetReader(String role) {
    new RoleGrants(dataSource, schema).grantFleetReader(role);
  }

  /**
   * Undoes the grants above for a role: drops the policies made for it and revokes its privileges
   * in this schema (and its default privileges), so that the role can be dropped. Run it as the
   * schema's owner.
   *
   * @throws io.modax.fleet.InvalidRequestException when the name breaks the rule or the role is
   *     missing
   * @throws SchemaException when the database refuses
   */
  public void revokeRole(String role) {
    new RoleGrants(dataSource, schema).revoke(role);
  }

  /** The history: numbered migrations by version, and definitions (no version) by name. */
  private record History(Map<Integer, String> versions, Map<String, String> definitions) {}

  private static String historyDdl(String quotedSchema) {
    return "CREATE TABLE IF NOT EXISTS " + quotedSchema + "." + HISTORY_TABLE + " ("
        + " version INTEGER CONSTRAINT fleet_schema_history_version_key UNIQUE," // NULL: a definition
        + " description TEXT NOT NULL,"
        + " script TEXT NOT NULL,"
        + " checksum CHAR(64) NOT NULL,"
        + " installed_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
        + " installed_by TEXT NOT NULL DEFAULT current_user,"
        + " execution_ms INTEGER NOT NULL)";
  }

  /** A history table made before the baseline keys on version: definitions have none. */
  private static void upgradeHistoryTable(Connection c, String q) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_constraint WHERE conrelid = '" + q + "." + HISTORY_TABLE
            + "'::regclass AND conname = 'fleet_schema_history_pkey'")) {
      if (!rs.next()) {
        return;
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + q + "." + HISTORY_TABLE + " DROP CONSTRAINT fleet_schema_history_pkey,"
          + " ALTER COLUMN version DROP NOT NULL,"
          + " ADD CONSTRAINT fleet_schema_history_version_key UNIQUE (version)");
    }
  }

  private long run(Connection c, String what, String sql) {
    long started = System.nanoTime();
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new SchemaException(what + " failed in schema '" + schema + "'; nothing was changed: "
          + e.getMessage(), e);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static void recordHistory(Connection c, String q, Integer version, String description,
      String script, String checksum, long millis) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + q + "." + HISTORY_TABLE
        + " (version, description, script, checksum, execution_ms) VALUES (?, ?, ?, ?, ?)")) {
      if (version == null) {
        p.setNull(1, java.sql.Types.INTEGER);
      } else {
        p.setInt(1, version);
      }
      p.setString(2, description);
      p.setString(3, script);
      p.setString(4, checksum);
      p.setInt(5, (int) millis);
      p.executeUpdate();
    }
  }

  private boolean historyExists(Connection c) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
      p.setString(1, schema);
      p.setString(2, HISTORY_TABLE);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static History readHistory(Connection c, String quotedSchema) throws SQLException {
    Map<Integer, String> versions = new TreeMap<>();
    Map<String, String> definitions = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT version, description, checksum FROM " + quotedSchema + "." + HISTORY_TABLE)) {
      while (rs.next()) {
        int version = rs.getInt(1);
        if (rs.wasNull()) {
          definitions.put(rs.getString(2), rs.getString(3).trim());
        } else {
          versions.put(version, rs.getString(3).trim());
        }
      }
    }
    return new History(versions, definitions);
  }

  /** The baseline's version if the baseline or all of V001-V014 are recorded, then on without gaps. */
  private static int installedVersion(Map<Integer, String> versions) {
    int base = MigrationScripts.BASELINE_VERSION;
    int installed = versions.containsKey(base)
        && (MigrationScripts.isBaseline(base, versions.get(base)) || versions.keySet().containsAll(
            java.util.stream.IntStream.rangeClosed(1, base).boxed().toList())) ? base : 0;
    if (installed == 0) {
      while (versions.containsKey(installed + 1) && installed + 1 < base) {
        installed++;
      }
      return installed;
    }
    while (versions.containsKey(installed + 1)) {
      installed++;
    }
    return installed;
  }

  private static boolean definitionsCurrent(History history, boolean citus) {
    for (Definition d : MigrationScripts.definitions(citus)) {
      if (!d.checksum().equals(history.definitions().get(d.name()))) {
        return false;
      }
    }
    return true;
  }

  private void checkHistory(Map<Integer, String> applied) {
    for (Map.Entry<Integer, String> e : applied.entrySet()) {
      int version = e.getKey();
      if (version > latestVersion()) {
        throw new SchemaException(
            "schema '" + schema + "' has migration V" + version
                + ", newer than this library (which ships up to V" + latestVersion()
                + "): upgrade the library, do not downgrade the schema");
      }
      if (!MigrationScripts.accepts(version, e.getValue())) {
        throw new SchemaException(
            "schema '" + schema + "' migration V" + version + " was applied with checksum "
                + e.getValue() + " but this library ships another: the migration was edited after"
                + " release or the schema was changed by hand");
      }
    }
  }

  /** Makes sure TimescaleDB is installed when wanted and possible; returns whether it is. */
  private boolean ensureTimescale(Connection c, TimescaleMode mode) throws SQLException {
    if (mode == TimescaleMode.DISABLED) {
      return false;
    }
    if (extensionInstalled(c)) {
      return true;
    }
    boolean available;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')"
                    + " AND current_setting('shared_preload_libraries') LIKE '%timescaledb%'")) {
      rs.next();
      available = rs.getBoolean(1);
    }
    if (available) {
      Savepoint sp = c.setSavepoint();
      try (Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        c.releaseSavepoint(sp);
        LOG.info("fleet-analytics: created the TimescaleDB extension");
        return true;
      } catch (SQLException e) {
        c.rollback(sp);
        LOG.warn("fleet-analytics: TimescaleDB is available but could not be created: {}", e.getMessage());
      }
    }
    if (mode == TimescaleMode.REQUIRED) {
      throw new SchemaException(
          "TimescaleDB is required but the extension is not installed in this database and"
              + " could not be created: install it (CREATE EXTENSION timescaledb) or use"
              + " TimescaleMode.AUTO");
    }
    return false;
  }

  private static boolean extensionInstalled(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")) {
      return rs.next();
    }
  }

  private boolean isHypertable(Connection c) throws SQLException {
    if (!extensionInstalled(c)) {
      return false;
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT 1 FROM timescaledb_information.hypertables"
                + " WHERE hypertable_schema = ? AND hypertable_name = 'fleet_metrics'")) {
      p.setString(1, schema);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }
}
