package io.modax.fleet.testkit;

import io.modax.fleet.FleetAnalytics;
import javax.sql.DataSource;

/**
 * A migrated fleet database for tests: the schema is installed, {@link #reset()} empties it.
 *
 * <p>Connections from {@link #dataSource()} use a non-UTC session time zone on purpose ({@link
 * FleetDatabases#SESSION_TIME_ZONE}) so that code which leans on the session's zone fails its tests.
 *
 * <p>Thread safety: safe for concurrent use; {@link #reset()} must not run while a test uses it.
 */
public interface FleetDatabase {

  /** How the database was obtained. */
  enum Kind {
    /** {@code FLEET_ANALYTICS_TEST_JDBC_URL} named it. */
    EXTERNAL,
    /** A TimescaleDB container started by Testcontainers. */
    TESTCONTAINERS,
    /** An embedded PostgreSQL started in this JVM. */
    EMBEDDED,
    /**
     * A Citus coordinator named by {@code FLEET_ANALYTICS_TEST_CITUS_URL}; the warehouse is
     * distributed there ({@link io.modax.fleet.schema.Distribution#CITUS}).
     */
    CITUS
  }

  /** A pooled data source over the database (session time zone set, see the class comment). */
  DataSource dataSource();

  /** The JDBC URL (without credentials). */
  String jdbcUrl();

  /** The user name. */
  String user();

  /** The password. */
  String password();

  /** The schema the warehouse is installed in. */
  String schema();

  /** How the database was obtained. */
  Kind kind();

  /** True when the warehouse is distributed on a Citus cluster here. */
  default boolean isCitus() {
    return kind() == Kind.CITUS;
  }

  /** True when fleet_metrics is a TimescaleDB hypertable here. */
  boolean isTimescale();

  /** Deletes every row of every warehouse table (organizations, metrics, rollups, quarantine...). */
  void reset();

  /**
   * A builder for the library over this database and schema, with schema action {@code VALIDATE}
   * (the schema is already installed). Tests add their clock and settings and build.
   */
  default FleetAnalytics.Builder analyticsBuilder() {
    return FleetAnalytics.builder(dataSource())
        .schema(schema())
        .schemaAction(io.modax.fleet.schema.SchemaAction.VALIDATE);
  }
}
