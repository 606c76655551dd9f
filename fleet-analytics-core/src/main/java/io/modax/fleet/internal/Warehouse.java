package io.modax.fleet.internal;

import io.modax.fleet.WarehouseException;
import io.modax.fleet.internal.schema.MigrationScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every database round trip of the library goes through here: one transaction per unit of work,
 * scoped to one organization, with exceptions translated to {@link WarehouseException}.
 *
 * <p>At the start of each transaction the organization is set as the transaction-local setting
 * {@value #TENANT_SETTING} (what row-level security policies read) and, when configured, a
 * transaction-local statement timeout. Connections come from the host's {@link DataSource} and go
 * back to it with their auto-commit mode restored.
 *
 * <p>Reads may go to a read replica: {@link #inReadTransaction} uses the read data source when one is
 * configured (and this instance does not route reads to the primary, see {@link #withPrimaryReads});
 * everything else, writes and the reads a write depends on, uses the primary. A replica
 * transaction is marked read-only, so a write attempted there fails instead of landing on it.
 *
 * <p>Thread safety: immutable and safe for concurrent use; each call uses its own connection.
 */
public final class Warehouse {

  /** The transaction-local setting that names the organization a transaction works for. */
  public static final String TENANT_SETTING = "fleet_analytics.organization_id";

  /** Set to 'on' by the writer: it maintains the rollups of the rows it writes itself. */
  public static final String ROLLUPS_MAINTAINED_SETTING = "fleet_analytics.rollups_maintained";

  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

  static {
    // jOOQ prints a banner and tips on first use; a library should not.
    if (System.getProperty("org.jooq.no-logo") == null) {
      System.setProperty("org.jooq.no-logo", "true");
    }
    if (System.getProperty("org.jooq.no-tips") == null) {
      System.setProperty("org.jooq.no-tips", "true");
    }
  }

  private final DataSource dataSource;
  private final @Nullable DataSource readDataSource;
  private final boolean primaryReads;
  private final String schema;
  private final Settings settings;
  private final @Nullable Duration statementTimeout;
  private final @Nullable Duration readTimeout;
  private volatile @Nullable Boolean citus;

  /**
   * @param dataSource the host's pool
   * @param schema the (validated) schema the warehouse lives in
   * @param statementTimeout per-statement limit, or null for the server's default
   */
  public Warehouse(DataSource dataSource, String schema, @Nullable Duration statementTimeout) {
    this(dataSource, null, false, schema, statementTimeout);
  }

  /**
   * @param dataSource the primary: every write, and reads that must see the latest writes
   * @param readDataSource a read replica for analyses, or null to read from the primary
   * @param primaryReads route {@link #inReadTransaction} to the primary even with a replica
   * @param schema the (validated) schema the warehouse lives in
   * @param statementTimeout per-statement limit, or null for the server's default
   */
  public Warehouse(
      DataSource dataSource,
      @Nullable DataSource readDataSource,
      boolean primaryReads,
      String schema,
      @Nullable Duration statementTimeout) {
    this(dataSource, readDataSource, primaryReads, schema, statementTimeout, null);
  }

  private Warehouse(
      DataSource dataSource,
      @Nullable DataSource readDataSource,
      boolean primaryReads,
      String schema,
      @Nullable Duration statementTimeout,
      @Nullable Duration readTimeout) {
    MigrationScripts.quoteSchema(schema);
    this.readTimeout = readTimeout;
    this.dataSource = dataSource;
    this.readDataSource = readDataSource;
    this.primaryReads = primaryReads;
    this.schema = schema;
    this.statementTimeout = statementTimeout;
    this.settings =
        new Settings()
            .withExecuteLogging(false)
            .withRenderMapping(
                new RenderMapping()
                    .withSchemata(
                        new MappedSchema()
                            .withInput(MigrationScripts.GENERATED_SCHEMA)
                            .withOutput(schema)));
  }

  /**
   * This warehouse with reads ({@link #inReadTransaction}) bounded: each statement of a read gets
   * at most this statement timeout (the shorter of it and the configured statement timeout), and
   * the read's connection a network (socket) timeout a little longer, so that a database or
   * replica that stops answering altogether also ends the read.
   */
  public Warehouse withReadTimeout(@Nullable Duration timeout) {
    return new Warehouse(dataSource, readDataSource, primaryReads, schema, statementTimeout, timeout);
  }

  /** The bound on each statement of a read, or null for none. */
  public @Nullable Duration readTimeout() {
    return readTimeout;
  }

  /** The schema the warehouse lives in (unquoted). */
  public String schema() {
    return schema;
  }

  /** The host's data source: the primary. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The read replica, or null when none is configured. */
  public @Nullable DataSource readDataSource() {
    return readDataSource;
  }

  /** True when {@link #inReadTransaction} reads from a replica. */
  public boolean readsFromReplica() {
    return readDataSource != null && !primaryReads;
  }

  /** This warehouse with {@link #inReadTransaction} routed to the primary (itself when it already is). */
  public Warehouse withPrimaryReads() {
    if (!readsFromReplica()) {
      return this;
    }
    return new Warehouse(dataSource, readDataSource, true, schema, statementTimeout, readTimeout);
  }

  /**
   * True when the transaction of this connection runs on a read replica (read-only): work that
   * would write (folding in dirty rollup hours) must be skipped there.
   */
  public static boolean onReplica(Connection connection) throws SQLException {
    return connection.isReadOnly();
  }

  /** A unit of work in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work on the transaction's connection; jOOQ's context is bound to it. */
    T run(Connection connection, DSLContext dsl) throws SQLException;
  }

  /**
   * Runs the work in one transaction for one organization; commits when it returns, rolls back when
   * it throws.
   *
   * @param what a few words for error messages, e.g. "comparing locations"
   * @throws WarehouseException when the database fails
   */
  public <T> T inTransaction(String organizationId, String what, Work<T> work) {
    return run(dataSource, organizationId, what, false, work);
  }

  /**
   * Like {@link #inTransaction} on the primary for administrative work that acts for no single
   * organization (the tenant setting is empty, so row-level security shows it no tenant row): DDL
   * such as dropping or compressing TimescaleDB chunks.
   */
  public <T> T inAdminTransaction(String what, Work<T> work) {
    return run(dataSource, null, what, false, work);
  }

  /**
   * Like {@link #inTransaction} for work that only reads (the analyses): on the read replica when
   * one is configured and reads are not routed to the primary, there in a read-only transaction
   * (the connection's read-only flag is restored afterwards); on the primary otherwise, exactly as
   * {@link #inTransaction}. What it reads may lag the primary by the replica's replay lag.
   */
  public <T> T inReadTransaction(String organizationId, String what, Work<T> work) {
    if (readsFromReplica()) {
      return run(readDataSource, organizationId, what + " (on the read replica)", false, true, true, work);
    }
    return run(dataSource, organizationId, what, false, false, true, work);
  }

  /**
   * Like {@link #inTransaction} in a read-only {@code REPEATABLE READ} transaction: every statement
   * sees the same snapshot (for an export that must be consistent across tables). The connection's
   * isolation level and read-only flag are restored afterwards.
   */
  public <T> T inReadOnlySnapshot(String organizationId, String what, Work<T> work) {
    return run(dataSource, organizationId, what, true, work);
  }

  /**
   * Like {@link #inTransaction} but retries the whole transaction, with exponential backoff, when it
   * fails with a transient error ({@link WarehouseException#isTransientSqlState}). Only for work
   * that is idempotent: a retry after a commit whose acknowledgement was lost must change nothing.
   */
  public <T> T inRetryingTransaction(
      String organizationId, String what, int maxAttempts, Duration firstBackoff, Work<T> work) {
    long backoffMillis = Math.max(1, firstBackoff.toMillis());
    for (int attempt = 1; ; attempt++) {
      try {
        return run(dataSource, organizationId, what, false, work);
      } catch (WarehouseException e) {
        if (!e.isTransient() || attempt >= maxAttempts) {
          throw e;
        }
        LOG.warn(
            "{} failed with SQLState {} (attempt {} of {}), retrying in {} ms",
            what,
            e.sqlState(),
            attempt,
            maxAttempts,
            backoffMillis);
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 10_000);
      }
    }
  }

  /** A jOOQ context bound to the given connection, rendering the configured schema. */
  public DSLContext dsl(Connection connection) {
    return DSL.using(connection, SQLDialect.POSTGRES, settings);
  }

  private <T> T run(
      DataSource source, @Nullable String organizationId, String what, boolean snapshot, Work<T> work) {
    return run(source, organizationId, what, snapshot, false, false, work);
  }

  private <T> T run(
      DataSource source,
      @Nullable String organizationId,
      String what,
      boolean snapshot,
      boolean replica,
      boolean read,
      Work<T> work) {
    Duration bound = read ? readTimeout : null;
    try (Connection c = source.getConnection()) {
      int networkTimeout = -1;
      if (bound != null) {
        // a socket timeout a little past the statement timeout: the server cancels a slow
        // statement first (SQLState 57014); only a server that answers nothing hits this one
        networkTimeout = c.getNetworkTimeout();
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, bound.toMillis() + 2_000));
      }
      try {
        return runOn(c, organizationId, snapshot, replica, bound, work);
      } finally {
        if (networkTimeout >= 0 && !c.isClosed()) {
          try {
            c.setNetworkTimeout(Runnable::run, networkTimeout);
          } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it
          }
        }
      }
    } catch (SQLException e) {
      throw translate(what, e);
    } catch (org.jooq.exception.DataAccessException e) {
      SQLException sql = e.getCause(SQLException.class);
      throw sql != null ? translate(what, sql) : new WarehouseException(what + " failed: " + e.getMessage(), null, e);
    }
  }

  private <T> T runOn(Connection c, @Nullable String organizationId, boolean snapshot,
      boolean replica, @Nullable Duration readBound, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    if (autoCommit) {
      c.setAutoCommit(false);
    }
    int isolation = snapshot ? c.getTransactionIsolation() : Connection.TRANSACTION_NONE;
    boolean restoreReadOnly = snapshot || replica;
    boolean readOnly = restoreReadOnly && c.isReadOnly();
    if (snapshot) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }
    if (restoreReadOnly) {
      c.setReadOnly(true);
    }
    try {
      scope(c, organizationId, readBound);
      T result = work.run(c, dsl(c));
      c.commit();
      return result;
    } catch (Throwable t) {
      rollbackQuietly(c, t);
      throw t;
    } finally {
      if (restoreReadOnly && !c.isClosed()) {
        try {
          if (snapshot) {
            c.setTransactionIsolation(isolation);
          }
          c.setReadOnly(readOnly);
        } catch (SQLException ignored) {
          // the connection is broken; the pool will discard it
        }
      }
      if (autoCommit && !c.isClosed()) {
        try {
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // the connection is broken; the pool will discard it
        }
      }
    }
  }

  private void scope(Connection c, @Nullable String organizationId, @Nullable Duration readBound)
      throws SQLException {
    boolean citus = onCitus(c);
    if (citus) {
      // Citus sends SET LOCAL commands (not set_config calls) on to the workers that the
      // transaction uses, so that the tenant setting reaches the row-level security policies,
      // triggers and functions that run there. The library's functions call other functions in
      // statements that run on a shard; every such nested statement filters by the same
      // organization, whose shards are co-located on that worker, so it runs locally and correctly
      // (see docs/scaling.md, "Citus").
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL citus.propagate_set_commands = 'local'");
        s.execute("SET LOCAL citus.allow_nested_distributed_execution = on");
      }
    }
    // Without a configured timeout the server's (or the host role's) own default stays in force;
    // a read is bounded by the shorter of the statement and the read timeout.
    Duration timeout = statementTimeout;
    if (readBound != null && (timeout == null || readBound.compareTo(timeout) < 0)) {
      timeout = readBound;
    }
    String sql = "SELECT set_config(?, ?, true)"
        + (timeout == null ? "" : ", set_config('statement_timeout', ?, true)");
    String org = organizationId == null ? "" : organizationId;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, TENANT_SETTING);
      s.setString(2, org);
      if (timeout != null) {
        s.setString(3, Long.toString(timeout.toMillis()));
      }
      s.execute();
    }
    if (citus) {
      // SET takes no parameter: the organization travels as a Unicode-escape literal, every
      // character written as its code point in hex, so the statement text holds none of them.
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL " + TENANT_SETTING + " = " + unicodeLiteral(org));
      }
    }
  }

  /**
   * A string constant in PostgreSQL's Unicode-escape form, {@code U&'\+00006F...'}: nothing of the
   * string but hexadecimal digits reaches the SQL text (needs standard_conforming_strings, on by
   * default). Organization ids are validated before, so they hold no NUL.
   */
  static String unicodeLiteral(String value) {
    StringBuilder out = new StringBuilder("U&'");
    value.codePoints().forEach(cp -> out.append(String.format(java.util.Locale.ROOT, "\\+%06X", cp)));
    return out.append('\'').toString();
  }

  /** Whether the database is a Citus coordinator; asked once per warehouse. */
  private boolean onCitus(Connection c) throws SQLException {
    Boolean known = citus;
    if (known == null) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'citus'")) {
        known = rs.next();
      }
      citus = known;
    }
    return known;
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Turns a driver exception into the library's, keeping the SQLState. */
  public static WarehouseException translate(String what, SQLException e) {
    String state = e.getSQLState();
    return new WarehouseException(
        what + " failed" + (state == null ? "" : " (SQLState " + state + ")") + ": " + e.getMessage(),
        state,
        e);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarehouseException("interrupted while waiting to retry", null, e);
    }
  }
}
