package io.modax.fleet.schema;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.schema.MigrationScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The database roles a host gives the library and its readers: privileges and, for readers, the
 * row-level security policies that name them. Behind {@link FleetSchema#grantRuntimeRole}, {@link
 * FleetSchema#grantOrganizationReader}, {@link FleetSchema#grantFleetReader} and {@link
 * FleetSchema#revokeRole}; see docs/security.md.
 *
 * <p>Every statement is built by the server's {@code format()} from a constant template and bound
 * values ({@code %I} quotes identifiers, {@code %L} literals), so no role name or organization id
 * is ever pasted into SQL by this class.
 */
final class RoleGrants {

  /** Role names the helpers accept: short enough that every policy name derived fits in 63 bytes. */
  static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

  /** Prefix of a fleet reader's policies; the role name follows. */
  static final String FLEET_READER_POLICY = "fleet_admin_";
  /** Prefix of an organization reader's policies; the role name follows (and "_pin"). */
  static final String ORGANIZATION_READER_POLICY = "fleet_reader_";

  private final DataSource dataSource;
  private final String schema;

  RoleGrants(DataSource dataSource, String schema) {
    this.dataSource = dataSource;
    this.schema = schema;
  }

  /** A tenant table and the column that holds its organization. */
  private record TenantTable(String name, String organizationColumn) {}

  /** Privileges for the runtime role: DML on tenant tables, reads of the history, functions. */
  void grantRuntime(String role) {
    String r = requireRoleName(role);
    inTransaction("granting the runtime role '" + r + "'", c -> {
      requireOrdinary(c, r, "the library's runtime role");
      grantCommon(c, r);
      for (TenantTable t : tenantTables(c)) {
        ddl(c, "GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I", schema, t.name(), r);
      }
      ddl(c, "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I", schema, r);
      // tables and sequences a later migration adds (run by this same owner) follow
      ddl(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I", schema, r);
      ddl(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I", schema, r);
      ddl(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO %I", schema, r);
      sealStorage(c);
    });
  }

  /** SELECT on everything, with policies that pin every read to one organization. */
  void grantOrganizationReader(String role, String organizationId) {
    String r = requireRoleName(role);
    String org = Checks.requireId("organizationId", organizationId);
    inTransaction("granting the organization reader '" + r + "'", c -> {
      requireOrdinary(c, r, "an organization reader");
      grantCommon(c, r);
      String name = ORGANIZATION_READER_POLICY + r;
      for (TenantTable t : tenantTables(c)) {
        ddl(c, "GRANT SELECT ON %I.%I TO %I", schema, t.name(), r);
        dropPolicy(c, t, name);
        dropPolicy(c, t, name + "_pin");
        // permissive: the organization's rows whatever the tenant setting says ...
        ddl(c, "CREATE POLICY %I ON %I.%I AS PERMISSIVE FOR SELECT TO %I USING (%I = %L)",
            name, schema, t.name(), r, t.organizationColumn(), org);
        // ... restrictive: and never another's, whatever the role sets the tenant setting to
        ddl(c, "CREATE POLICY %I ON %I.%I AS RESTRICTIVE FOR SELECT TO %I USING (%I = %L)",
            name + "_pin", schema, t.name(), r, t.organizationColumn(), org);
      }
      // ... and, since Citus carries the restrictive one to its workers as permissive, the general
      // tenant policy no longer applies to the role at all (V015)
      pinOrganizationReaders(c);
      sealStorage(c);
    });
  }

  /** SELECT on everything, with a policy that shows the role every organization's rows. */
  void grantFleetReader(String role) {
    String r = requireRoleName(role);
    inTransaction("granting the fleet reader '" + r + "'", c -> {
      requireNotOwner(c, r, "a fleet reader");
      grantCommon(c, r);
      String name = FLEET_READER_POLICY + r;
      for (TenantTable t : tenantTables(c)) {
        ddl(c, "GRANT SELECT ON %I.%I TO %I", schema, t.name(), r);
        dropPolicy(c, t, name);
        ddl(c, "CREATE POLICY %I ON %I.%I AS PERMISSIVE FOR SELECT TO %I USING (true)",
            name, schema, t.name(), r);
      }
      sealStorage(c);
    });
  }

  /** Drops the policies the helpers made for the role and revokes what they granted. */
  void revoke(String role) {
    String r = requireRoleName(role);
    inTransaction("revoking the role '" + r + "'", c -> {
      requireExists(c, r);
      for (TenantTable t : tenantTables(c)) {
        dropPolicy(c, t, FLEET_READER_POLICY + r);
        dropPolicy(c, t, ORGANIZATION_READER_POLICY + r);
        dropPolicy(c, t, ORGANIZATION_READER_POLICY + r + "_pin");
      }
      ddl(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM %I", schema, r);
      ddl(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM %I", schema, r);
      ddl(c, "ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON FUNCTIONS FROM %I", schema, r);
      ddl(c, "REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I", schema, r);
      ddl(c, "REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I", schema, r);
      ddl(c, "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I", schema, r);
      ddl(c, "REVOKE ALL ON SCHEMA %I FROM %I", schema, r);
      pinOrganizationReaders(c);
    });
  }

  /**
   * Revokes every privilege on the tables beneath the schema's tables (TimescaleDB chunks,
   * compressed chunks, partitions): a GRANT on a hypertable is copied to all its chunks, and they
   * have no row-level security (V015). Skipped on a schema older than V015.
   */
  private void sealStorage(Connection c) throws SQLException {
    callIfPresent(c, "fleet_seal_storage");
  }

  /** Rebuilds the general tenant policies without the pinned organization readers (V015). */
  private void pinOrganizationReaders(Connection c) throws SQLException {
    callIfPresent(c, "fleet_pin_organization_readers");
  }

  private void callIfPresent(Connection c, String function) throws SQLException {
    String name = MigrationScripts.quoteSchema(schema) + "." + function;
    try (PreparedStatement p = c.prepareStatement("SELECT to_regprocedure(? || '()') IS NOT NULL")) {
      p.setString(1, name);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return;
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement("SELECT " + name + "()")) {
      p.execute();
    }
  }

  /** What every role of the library needs: the schema, its history, views and functions. */
  private void grantCommon(Connection c, String r) throws SQLException {
    ddl(c, "GRANT USAGE ON SCHEMA %I TO %I", schema, r);
    ddl(c, "GRANT SELECT ON %I.%I TO %I", schema, FleetSchema.HISTORY_TABLE, r);
    for (String view : views(c)) {
      ddl(c, "GRANT SELECT ON %I.%I TO %I", schema, view, r);
    }
    ddl(c, "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I", schema, r);
  }

  private void dropPolicy(Connection c, TenantTable t, String name) throws SQLException {
    ddl(c, "DROP POLICY IF EXISTS %I ON %I.%I", name, schema, t.name());
  }

  /** The schema's tables under row-level security (V008 puts every tenant table there). */
  private List<TenantTable> tenantTables(Connection c) throws SQLException {
    List<TenantTable> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relrowsecurity ORDER BY 1")) {
      p.setString(1, schema);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          out.add(new TenantTable(name, name.equals("organizations") ? "id" : "organization_id"));
        }
      }
    }
    if (out.isEmpty()) {
      throw new SchemaException("schema '" + schema + "' has no table under row-level security:"
          + " migrate it first (FleetSchema.migrate), then grant roles");
    }
    return out;
  }

  private List<String> views(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind = 'v' ORDER BY 1")) {
      p.setString(1, schema);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Refuses a superuser, a role with BYPASSRLS, or one that owns (or acts as owner of) the tables. */
  private void requireOrdinary(Connection c, String r, String what) throws SQLException {
    RoleFacts f = requireExists(c, r);
    if (f.superuser()) {
      throw new InvalidRequestException("role '" + r + "' is a superuser, which bypasses row-level"
          + " security: " + what + " must be an ordinary role (see docs/security.md)");
    }
    if (f.bypassRls()) {
      throw new InvalidRequestException("role '" + r + "' has BYPASSRLS, which bypasses row-level"
          + " security: " + what + " must not (ALTER ROLE " + r + " NOBYPASSRLS)");
    }
    requireNotOwner(c, r, what);
  }

  private void requireNotOwner(Connection c, String r, String what) throws SQLException {
    requireExists(c, r);
    try (PreparedStatement p = c.prepareStatement(
        "SELECT min(c.relname::text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v')"
            + " AND pg_has_role(?, c.relowner, 'USAGE')")) {
      p.setString(1, schema);
      p.setString(2, r);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        String owned = rs.getString(1);
        if (owned != null) {
          throw new InvalidRequestException("role '" + r + "' owns (or is a member of the owner of)"
              + " table '" + owned + "' in schema '" + schema + "', and an owner can turn row-level"
              + " security off: " + what + " must be a separate role (see docs/security.md)");
        }
      }
    }
  }

  private record RoleFacts(boolean superuser, boolean bypassRls) {}

  private static RoleFacts requireExists(Connection c, String r) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?")) {
      p.setString(1, r);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new InvalidRequestException("role '" + r + "' does not exist: create it first,"
              + " e.g. CREATE ROLE " + r + " LOGIN PASSWORD '...'");
        }
        return new RoleFacts(rs.getBoolean(1), rs.getBoolean(2));
      }
    }
  }

  static String requireRoleName(@Nullable String role) {
    if (role == null || !ROLE_NAME.matcher(role).matches()) {
      throw new InvalidRequestException("role name '" + Checks.printable(role) + "' is not accepted:"
          + " use 1-40 lower-case ASCII letters, digits or '_', not starting with a digit");
    }
    return role;
  }

  /** Builds one statement with the server's format() and runs it. */
  private static void ddl(Connection c, String template, String... args) throws SQLException {
    StringBuilder call = new StringBuilder("SELECT format(?");
    for (int i = 0; i < args.length; i++) {
      call.append(", ?::text");
    }
    String statement;
    try (PreparedStatement p = c.prepareStatement(call.append(')').toString())) {
      p.setString(1, template);
      for (int i = 0; i < args.length; i++) {
        p.setString(i + 2, args[i]);
      }
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        statement = rs.getString(1);
      }
    }
    try (PreparedStatement p = c.prepareStatement(statement)) {
      p.execute();
    }
  }

  @FunctionalInterface
  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void inTransaction(String what, Work work) {
    MigrationScripts.quoteSchema(schema);
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        // the migrators' lock: no migration runs half-way through these grants
        FleetSchema.lockMigrations(c, schema);
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new SchemaException(what + " in schema '" + schema + "' failed (SQLState "
          + e.getSQLState() + "): " + e.getMessage() + "; run it as the schema's owner", e);
    }
  }
}
