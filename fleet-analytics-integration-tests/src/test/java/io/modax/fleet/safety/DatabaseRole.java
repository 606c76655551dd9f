package io.modax.fleet.safety;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A login role for tests that is not the superuser the testkit connects as (superusers bypass
 * row-level security even when it is forced): created under a name unique to the run ({@code
 * fa_safety_<purpose>_<random>}), given its privileges by one of {@link FleetSchema}'s grant
 * helpers, reached through its own small pool, and revoked and dropped on {@link #close()}.
 */
final class DatabaseRole implements AutoCloseable {

  private final FleetDatabase db;
  private final String name;
  private final HikariDataSource pool;

  private DatabaseRole(FleetDatabase db, String name, HikariDataSource pool) {
    this.db = db;
    this.name = name;
    this.pool = pool;
  }

  /** The library's runtime role: {@link FleetSchema#grantRuntimeRole}. */
  static DatabaseRole runtime(FleetDatabase db, int poolSize) {
    return create(db, "rt", poolSize, "", r -> FleetSchema.of(db.dataSource(), db.schema()).grantRuntimeRole(r));
  }

  /** A reader pinned to one organization: {@link FleetSchema#grantOrganizationReader}. */
  static DatabaseRole organizationReader(FleetDatabase db, String organizationId) {
    return create(db, "org", 2, "",
        r -> FleetSchema.of(db.dataSource(), db.schema()).grantOrganizationReader(r, organizationId));
  }

  /** The cross-organization reader: {@link FleetSchema#grantFleetReader}. */
  static DatabaseRole fleetReader(FleetDatabase db) {
    return create(db, "fleet", 2, "", r -> FleetSchema.of(db.dataSource(), db.schema()).grantFleetReader(r));
  }

  /** A role with the given attributes (e.g. "SUPERUSER", "BYPASSRLS") and no privileges. */
  static DatabaseRole bare(FleetDatabase db, String attributes) {
    return create(db, "bare", 1, attributes, r -> {});
  }

  static DatabaseRole create(
      FleetDatabase db, String purpose, int poolSize, String attributes, Consumer<String> grant) {
    String name = "fa_safety_" + purpose + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + name + " LOGIN PASSWORD 'fa-safety' " + attributes);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create role " + name, e);
    }
    try {
      grant.accept(name);
    } catch (RuntimeException e) {
      drop(db, name);
      throw e;
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(withoutCredentials(db.jdbcUrl()));
    config.setUsername(name);
    config.setPassword("fa-safety");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(0);
    config.setPoolName("fa-safety-" + purpose);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    config.setConnectionInitSql("SET TIME ZONE '" + FleetDatabases.SESSION_TIME_ZONE.replace("'", "") + "'");
    return new DatabaseRole(db, name, new HikariDataSource(config));
  }

  /** The JDBC URL without a user or password parameter (the embedded database's URL has one). */
  static String withoutCredentials(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return url;
    }
    StringBuilder kept = new StringBuilder();
    for (String param : url.substring(q + 1).split("&")) {
      if (!param.startsWith("user=") && !param.startsWith("password=") && !param.isEmpty()) {
        kept.append(kept.length() == 0 ? "?" : "&").append(param);
      }
    }
    return url.substring(0, q) + kept;
  }

  String name() {
    return name;
  }

  HikariDataSource pool() {
    return pool;
  }

  /** A connection of this role outside the pool (HikariCP closes a connection on some SQLStates). */
  java.sql.Connection plainConnection() throws SQLException {
    return java.sql.DriverManager.getConnection(withoutCredentials(db.jdbcUrl()), name, "fa-safety");
  }

  /** The library over this role's pool (the schema is current, so MIGRATE runs no DDL). */
  FleetAnalytics.Builder analyticsBuilder() {
    return FleetAnalytics.builder(pool).schema(db.schema()).schemaAction(SchemaAction.MIGRATE);
  }

  @Override
  public void close() {
    pool.close();
    drop(db, name);
  }

  private static void drop(FleetDatabase db, String name) {
    try (Connection c = db.dataSource().getConnection()) {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?")) {
        p.setString(1, name);
        p.execute();
      }
      try (Statement s = c.createStatement()) {
        // revokes its privileges and default privileges and drops the policies naming it
        s.execute("DROP OWNED BY " + name);
        s.execute("DROP ROLE IF EXISTS " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop role " + name, e);
    }
  }
}
