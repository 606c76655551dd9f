package io.modax.fleet.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database a benchmark runs on: an embedded PostgreSQL started here (in a data directory that
 * survives the run when one is given, so that a loaded dataset can be reused) or a server named by
 * a JDBC URL. Closing it stops the embedded server.
 */
final class BenchDatabase implements AutoCloseable {

  private final EmbeddedPostgres embedded;
  private final String url;
  private final String user;
  private final String password;

  private BenchDatabase(EmbeddedPostgres embedded, String url, String user, String password) {
    this.embedded = embedded;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * The server at {@code jdbcUrl}, or, when it is null, an embedded PostgreSQL: in {@code dataDir}
   * when given (kept after the run), else in a temporary directory. The embedded server gets the
   * TimescaleDB server's memory settings here (shared_buffers 1 GB), so that the design's SQL
   * scans from shared buffers as it would there.
   */
  static BenchDatabase open(String jdbcUrl, String user, String password, Path dataDir, int port)
      throws IOException {
    if (jdbcUrl != null) {
      return new BenchDatabase(null, jdbcUrl, user, password);
    }
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "1GB")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min");
    if (dataDir != null) {
      b.setDataDirectory(dataDir).setCleanDataDirectory(false);
    }
    if (port > 0) {
      b.setPort(port);
    }
    EmbeddedPostgres pg = b.start();
    return new BenchDatabase(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  boolean embedded() {
    return embedded != null;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** The server's version, TimescaleDB's if installed, and the settings that matter here. */
  String describe() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT version(), (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),"
            + " current_setting('shared_buffers'), current_setting('work_mem'),"
            + " current_setting('max_parallel_workers_per_gather'), current_setting('jit'),"
            + " current_setting('fsync'), current_setting('synchronous_commit')")) {
      rs.next();
      return (embedded() ? "embedded " : "") + rs.getString(1).replaceAll(" on x86_64.*", "")
          + (rs.getString(2) == null ? "" : ", TimescaleDB " + rs.getString(2))
          + "; shared_buffers=" + rs.getString(3) + " work_mem=" + rs.getString(4)
          + " max_parallel_workers_per_gather=" + rs.getString(5) + " jit=" + rs.getString(6)
          + " fsync=" + rs.getString(7) + " synchronous_commit=" + rs.getString(8);
    }
  }

  /** True when the timescaledb extension is installed in the database. */
  boolean timescale() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")) {
      return rs.next();
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
