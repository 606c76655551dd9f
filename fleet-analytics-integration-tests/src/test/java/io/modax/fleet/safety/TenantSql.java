package io.modax.fleet.safety;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Plain SQL as a host writes it: one transaction, the tenant set first with {@code set_config(...,
 * true)}, and on Citus also with {@code SET LOCAL} (or not at all, to see that the policies fail
 * closed).
 */
final class TenantSql {

  /** Every table row-level security guards, with the column holding the organization. */
  static final List<String[]> TENANT_TABLES = List.of(
      new String[] {"organizations", "id"},
      new String[] {"locations", "organization_id"},
      new String[] {"devices", "organization_id"},
      new String[] {"fleet_metrics", "organization_id"},
      new String[] {"maintenance_events", "organization_id"},
      new String[] {"maintenance_event_parts", "organization_id"},
      new String[] {"fleet_metrics_hourly", "organization_id"},
      new String[] {"fleet_metrics_daily", "organization_id"},
      new String[] {"fleet_metrics_weekly", "organization_id"},
      new String[] {"fleet_metrics_monthly", "organization_id"},
      new String[] {"fleet_rollup_dirty", "organization_id"},
      new String[] {"ingest_quarantine", "organization_id"},
      new String[] {"ingest_batches", "organization_id"},
      new String[] {"fleet_location_locks", "organization_id"});

  private TenantSql() {}

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs the work in one transaction with the tenant set (null: not set at all). */
  static <T> T inTenant(DataSource ds, @Nullable String organizationId, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      return inTenant(c, organizationId, work);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getSQLState() + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #inTenant(DataSource, String, Work)} on a connection the caller keeps. */
  static <T> T inTenant(Connection c, @Nullable String organizationId, Work<T> work) {
    try {
      c.setAutoCommit(false);
      try {
        if (organizationId != null) {
          try (PreparedStatement p = c.prepareStatement(
              "SELECT set_config('fleet_analytics.organization_id', ?, true), quote_literal(?::text),"
                  + " EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")) {
            p.setString(1, organizationId);
            p.setString(2, organizationId);
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              if (rs.getBoolean(3)) {
                // on Citus only SET commands reach the workers, where the policies read the setting
                // (docs/scaling.md: host SQL on Citus); the test's own ids, quoted by the server
                try (Statement st = c.createStatement()) {
                  st.execute("SET LOCAL citus.propagate_set_commands = 'local'");
                  st.execute("SET LOCAL fleet_analytics.organization_id = " + rs.getString(2));
                }
              }
            }
          }
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r); // a closed connection must not hide why the work failed
        }
        throw e;
      } finally {
        if (!c.isClosed()) {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getSQLState() + ": " + e.getMessage(), e);
    }
  }

  /** The organization column of every row of a table, with no WHERE of ours: what the policy lets through. */
  static List<String> organizationsIn(Connection c, String schema, String table, String column)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + column + " FROM \"" + schema + "\"." + table)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The SQLState a statement fails with, or null when it succeeds (run in a savepoint). */
  static @Nullable String stateOf(Connection c, String sql, String... params) throws SQLException {
    var sp = c.setSavepoint();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setString(i + 1, params[i]);
      }
      p.execute();
      c.releaseSavepoint(sp);
      return null;
    } catch (SQLException e) {
      c.rollback(sp);
      return e.getSQLState();
    }
  }

  /** The update count of a statement. */
  static int update(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setString(i + 1, params[i]);
      }
      return p.executeUpdate();
    }
  }

  /** One long from a query. */
  static long count(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setString(i + 1, params[i]);
      }
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
