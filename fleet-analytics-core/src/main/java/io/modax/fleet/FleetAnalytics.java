package io.modax.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.FleetBenchmarking;
import io.modax.fleet.analytics.FleetDashboard;
import io.modax.fleet.analytics.TrendAnalyzer;
import io.modax.fleet.backup.FleetBackup;
import io.modax.fleet.ingest.DataQuality;
import io.modax.fleet.ingest.FleetWriter;
import io.modax.fleet.ingest.WriteListener;
import io.modax.fleet.maintenance.FleetMaintenance;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Limits;
import io.modax.fleet.internal.Services;
import io.modax.fleet.internal.Warehouse;
import io.modax.fleet.reporting.FleetReports;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.SchemaStatus;
import io.modax.fleet.schema.TimescaleMode;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's one entry point: built from the host's {@link DataSource} (or a JDBC URL, for
 * which it creates and owns a HikariCP pool), it installs or validates the schema and hands out
 * the writer and the analyzers.
 *
 * <pre>{@code
 * FleetAnalytics fleet = FleetAnalytics.builder(dataSource).build();   // migrates the schema
 * CallerContext caller = CallerContext.of("plant-gateway", "acme", Role.OPERATOR);
 * fleet.writer().writeMetrics(caller, "acme", snapshots);
 * LocationComparison cmp = fleet.fleetAnalyzer()
 *     .compareLocations(caller, "acme", List.of("A", "B"), start, end);
 * }</pre>
 *
 * <p><b>Read replicas.</b> With {@link Builder#readReplica(DataSource)} the analyses (the analyzers,
 * the dashboard, the reports and the data-quality reports) read from the replica; the writer, the
 * reads a write depends on, the schema installer, backups and {@link #maintenance()} use the
 * primary. A replica lags its primary by its replay lag, so an analysis may not yet see what was
 * just written; a caller that must read its own writes asks {@link #withPrimaryReads()} for that
 * call. See {@code docs/scaling.md}.
 *
 * <p>Thread safety: immutable once built and safe for concurrent use by any number of threads; the
 * writer and analyzers it returns are too. Close it when the host shuts down: that closes the pool
 * it created (a host's own {@code DataSource} is left open).
 */
public final class FleetAnalytics implements AutoCloseable {

  /** Default schema name. */
  public static final String DEFAULT_SCHEMA = FleetSchema.DEFAULT_SCHEMA;
  /** Default: how far ahead of the clock a snapshot may be before it is quarantined. */
  public static final Duration DEFAULT_CLOCK_SKEW_TOLERANCE = Duration.ofMinutes(5);
  /** Default: how old a snapshot may be before it is quarantined (ten years). */
  public static final Duration DEFAULT_RETENTION_HORIZON = Duration.ofDays(3653);
  /** Default: records per write transaction. */
  public static final int DEFAULT_WRITE_CHUNK_SIZE = 5_000;
  /** Default: attempts per write transaction on transient failures. */
  public static final int DEFAULT_WRITE_ATTEMPTS = 4;
  /** Default: the longest analysis window accepted (about five years). */
  public static final Duration DEFAULT_MAX_WINDOW = Duration.ofDays(1830);
  /**
   * Default: how long a write waits for the lock of a location that another write (or rollup
   * refresh) of the same location holds, before it fails with SQLState 55P03 (retried like the
   * other transient failures).
   */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
  /** Default pool size when the library creates the pool. */
  public static final int DEFAULT_POOL_SIZE = 10;

  // --- limits (issue 14): each bounds what one organization or call may cost the host
  /** Default: locations one organization may register (10,000). */
  public static final int DEFAULT_MAX_LOCATIONS_PER_ORGANIZATION =
      Limits.DEFAULTS.maxLocationsPerOrganization();
  /** Default: ids one analysis call may name, e.g. locations to compare (1,000). */
  public static final int DEFAULT_MAX_IDS_PER_REQUEST = Limits.DEFAULTS.maxIdsPerRequest();
  /** Default: devices one {@code writeDevices} call may send (100,000). */
  public static final int DEFAULT_MAX_DEVICES_PER_CALL = Limits.DEFAULTS.maxDevicesPerCall();
  /** Default: events one {@code writeEvents} call may send (100,000). */
  public static final int DEFAULT_MAX_EVENTS_PER_CALL = Limits.DEFAULTS.maxEventsPerCall();
  /** Default: spare-part lines one maintenance event may carry (1,000). */
  public static final int DEFAULT_MAX_PARTS_PER_EVENT = Limits.DEFAULTS.maxPartsPerEvent();
  /**
   * Default: how long one statement of an analysis (a read) may run, or wait on an unresponsive
   * database or read replica, before it fails (30 s). Writes keep {@link Builder#statementTimeout}.
   */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(FleetAnalytics.class);

  private final Engine engine;
  private final @Nullable HikariDataSource ownedPool;
  private final SchemaStatus schemaStatus;
  private final FleetWriter writer;
  private final DataQuality dataQuality;
  private final FleetAnalyzer fleetAnalyzer;
  private final TrendAnalyzer trendAnalyzer;
  private final FleetBenchmarking benchmarking;
  private final FleetDashboard dashboard;
  private final FleetReports reports;
  private final FleetBackup backup;
  private final FleetMaintenance maintenance;
  private final FleetAnalytics primaryReads;

  private FleetAnalytics(Engine engine, @Nullable HikariDataSource ownedPool, SchemaStatus status) {
    this(engine, ownedPool, status, null);
  }

  private FleetAnalytics(
      Engine engine,
      @Nullable HikariDataSource ownedPool,
      SchemaStatus status,
      @Nullable FleetAnalytics replicaReading) {
    this.engine = engine;
    this.ownedPool = ownedPool;
    this.schemaStatus = status;
    this.writer = Services.create(FleetWriter.class, engine);
    this.dataQuality = Services.create(DataQuality.class, engine);
    this.fleetAnalyzer = Services.create(FleetAnalyzer.class, engine);
    this.trendAnalyzer = Services.create(TrendAnalyzer.class, engine);
    this.benchmarking = Services.create(FleetBenchmarking.class, engine);
    this.dashboard = Services.create(FleetDashboard.class, engine);
    this.reports = Services.create(FleetReports.class, engine);
    this.backup = Services.create(FleetBackup.class, engine);
    this.maintenance = Services.create(FleetMaintenance.class, engine);
    if (replicaReading != null || !engine.warehouse().readsFromReplica()) {
      // the primary-reading view of a replica-reading instance, or no replica at all: itself
      this.primaryReads = this;
    } else {
      this.primaryReads = new FleetAnalytics(
          engine.withWarehouse(engine.warehouse().withPrimaryReads()), null, status, this);
    }
  }

  /** A builder over the host's data source (the host keeps owning it). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Checks.requireNonNull("dataSource", dataSource), null, null, null);
  }

  /**
   * A builder that will create (and on {@link #close()} close) a HikariCP pool for the URL.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL
   * @param user database user
   * @param password database password (may be empty)
   */
  public static Builder builder(String jdbcUrl, String user, String password) {
    Checks.requireNonNull("jdbcUrl", jdbcUrl);
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new InvalidRequestException(
          "jdbcUrl must start with jdbc:postgresql: (got '" + Checks.printable(jdbcUrl) + "')");
    }
    return new Builder(null, jdbcUrl, Checks.requireNonNull("user", user),
        Checks.requireNonNull("password", password));
  }

  /** Writes what locations send. */
  public FleetWriter writer() {
    return writer;
  }

  /** Per-location data-quality reports: completeness, gaps, last seen, clock skew, quarantine. */
  public DataQuality dataQuality() {
    return dataQuality;
  }

  /** Cross-location analyses: overview, comparison, best and under-performers. */
  public FleetAnalyzer fleetAnalyzer() {
    return fleetAnalyzer;
  }

  /** Failure trends and the maintenance demand forecast. */
  public TrendAnalyzer trendAnalyzer() {
    return trendAnalyzer;
  }

  /** A location against the rest of the fleet. */
  public FleetBenchmarking benchmarking() {
    return benchmarking;
  }

  /** The executive dashboard's panels as typed queries. */
  public FleetDashboard dashboard() {
    return dashboard;
  }

  /** Executive summaries and location reports for a day, week or month (see {@code docs/reporting.md}). */
  public FleetReports reports() {
    return reports;
  }

  /** Export of one organization to a portable backup, and its restore (see {@code docs/security.md}). */
  public FleetBackup backup() {
    return backup;
  }

  /**
   * Maintenance of the warehouse's history: dropping raw rows past their retention while the
   * rollups keep every period, and (on TimescaleDB) compressing old raw chunks. Runs on the primary.
   */
  public FleetMaintenance maintenance() {
    return maintenance;
  }

  /**
   * This instance with every analysis reading from the primary: the per-call opt-out from the read
   * replica for a caller that must see what it has just written (read-your-writes), e.g.
   * {@code fleet.withPrimaryReads().fleetAnalyzer().compareLocations(...)}. Without a replica it
   * is this instance. The view shares this instance's pools; closing it closes nothing.
   */
  public FleetAnalytics withPrimaryReads() {
    return primaryReads;
  }

  /** True when analyses read from a read replica (false without one and on {@link #withPrimaryReads()}). */
  public boolean readsFromReplica() {
    return engine.warehouse().readsFromReplica();
  }

  /** The schema state found or produced when this instance was built. */
  public SchemaStatus schemaStatus() {
    return schemaStatus;
  }

  /** The schema the warehouse lives in. */
  public String schema() {
    return engine.warehouse().schema();
  }

  /** The clock every relative window is measured against. */
  public Clock clock() {
    return engine.clock();
  }

  /** How ratios are aggregated. */
  public AggregationMode aggregationMode() {
    return engine.aggregationMode();
  }

  /** The primary data source in use (the host's, or the pool this instance created). */
  public DataSource dataSource() {
    return engine.warehouse().dataSource();
  }

  /** Closes the pool this instance created, if any; the host's data source is left open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /**
   * Configures a {@link FleetAnalytics}. Every setting has a default (the constants of {@link
   * FleetAnalytics}); arguments are checked when set. Not thread-safe; build once.
   */
  public static final class Builder {
    private final @Nullable DataSource dataSource;
    private final @Nullable String jdbcUrl;
    private final @Nullable String user;
    private final @Nullable String password;
    private @Nullable DataSource readReplica;
    private String schema = DEFAULT_SCHEMA;
    private SchemaAction schemaAction = SchemaAction.MIGRATE;
    private TimescaleMode timescale = TimescaleMode.AUTO;
    private Clock clock = Clock.systemUTC();
    private AggregationMode aggregationMode = AggregationMode.EXPOSURE_WEIGHTED;
    private Duration clockSkewTolerance = DEFAULT_CLOCK_SKEW_TOLERANCE;
    private Duration retentionHorizon = DEFAULT_RETENTION_HORIZON;
    private int writeChunkSize = DEFAULT_WRITE_CHUNK_SIZE;
    private int writeAttempts = DEFAULT_WRITE_ATTEMPTS;
    private Duration maxWindow = DEFAULT_MAX_WINDOW;
    private @Nullable Duration statementTimeout;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private int poolSize = DEFAULT_POOL_SIZE;
    private int maxLocationsPerOrganization = DEFAULT_MAX_LOCATIONS_PER_ORGANIZATION;
    private int maxIdsPerRequest = DEFAULT_MAX_IDS_PER_REQUEST;
    private int maxDevicesPerCall = DEFAULT_MAX_DEVICES_PER_CALL;
    private int maxEventsPerCall = DEFAULT_MAX_EVENTS_PER_CALL;
    private int maxPartsPerEvent = DEFAULT_MAX_PARTS_PER_EVENT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private WriteListener writeListener = WriteListener.NONE;

    private Builder(
        @Nullable DataSource dataSource,
        @Nullable String jdbcUrl,
        @Nullable String user,
        @Nullable String password) {
      this.dataSource = dataSource;
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
    }

    /**
     * The schema the warehouse lives in (default {@value FleetAnalytics#DEFAULT_SCHEMA}).
     *
     * @throws InvalidRequestException unless 1-63 lower-case ASCII letters, digits, underscores
     */
    public Builder schema(String schema) {
      try {
        io.modax.fleet.internal.schema.MigrationScripts.quoteSchema(schema);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(e.getMessage());
      }
      this.schema = schema;
      return this;
    }

    /** What to do with the schema when building (default {@link SchemaAction#MIGRATE}). */
    public Builder schemaAction(SchemaAction action) {
      this.schemaAction = Checks.requireNonNull("schemaAction", action);
      return this;
    }

    /** Whether fleet_metrics becomes a hypertable (default {@link TimescaleMode#AUTO}). */
    public Builder timescale(TimescaleMode mode) {
      this.timescale = Checks.requireNonNull("timescale", mode);
      return this;
    }

    /** The clock every "last N days" window ends at (default the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Checks.requireNonNull("clock", clock);
      return this;
    }

    /** How ratios are aggregated (default {@link AggregationMode#EXPOSURE_WEIGHTED}). */
    public Builder aggregationMode(AggregationMode mode) {
      this.aggregationMode = Checks.requireNonNull("aggregationMode", mode);
      return this;
    }

    /** How far in the future a snapshot may be (default 5 minutes; 0 to 1 day). */
    public Builder clockSkewTolerance(Duration tolerance) {
      requireDuration("clockSkewTolerance", tolerance, Duration.ZERO, Duration.ofDays(1));
      this.clockSkewTolerance = tolerance;
      return this;
    }

    /** How old a snapshot may be (default ten years; 1 day to 100 years). */
    public Builder retentionHorizon(Duration horizon) {
      requireDuration("retentionHorizon", horizon, Duration.ofDays(1), Duration.ofDays(36_525));
      this.retentionHorizon = horizon;
      return this;
    }

    /** Records per write transaction (default 5000; 1 to 1,000,000). */
    public Builder writeChunkSize(int size) {
      this.writeChunkSize = Checks.requireBetween("writeChunkSize", size, 1, 1_000_000);
      return this;
    }

    /** Attempts per write transaction on transient failures (default 4; 1 to 20). */
    public Builder writeAttempts(int attempts) {
      this.writeAttempts = Checks.requireBetween("writeAttempts", attempts, 1, 20);
      return this;
    }

    /** The longest analysis window accepted (default about five years; 1 day to 100 years). */
    public Builder maxWindow(Duration max) {
      requireDuration("maxWindow", max, Duration.ofDays(1), Duration.ofDays(36_525));
      this.maxWindow = max;
      return this;
    }

    /**
     * How long a write waits for a location's lock held by another write of the same location
     * (default {@link #DEFAULT_LOCK_TIMEOUT}; 1 ms to 1 hour). It bounds every lock wait of the
     * write's transaction ({@code SET LOCAL lock_timeout}); when it runs out the attempt fails with
     * SQLState 55P03, which the write retry policy retries ({@code writeAttempts}) and {@link
     * WarehouseException#isTransient()} reports as transient. No other role than the runtime role
     * can take these locks (docs/security.md).
     */
    public Builder lockTimeout(Duration timeout) {
      requireDuration("lockTimeout", timeout, Duration.ofMillis(1), Duration.ofHours(1));
      this.lockTimeout = timeout;
      return this;
    }

    /** A per-statement time limit for the library's queries (default: the server's). */
    public Builder statementTimeout(Duration timeout) {
      requireDuration("statementTimeout", timeout, Duration.ofMillis(1), Duration.ofHours(24));
      this.statementTimeout = timeout;
      return this;
    }

    /**
     * A read replica of the same database (a streaming-replication standby, or any data source
     * whose warehouse schema follows the primary's): the analyses read from it, in read-only
     * transactions; writes, schema installation, backups and maintenance stay on the primary.
     * The host owns it (it is never closed by the library) and configures it with the same schema
     * name. Analyses see what the replica has replayed; {@link FleetAnalytics#withPrimaryReads()}
     * opts a call out. Default: none, everything on the primary.
     */
    public Builder readReplica(DataSource replica) {
      this.readReplica = Checks.requireNonNull("readReplica", replica);
      return this;
    }

    /** Pool size when the library creates the pool from a JDBC URL (default 10; 1 to 1000). */
    public Builder poolSize(int size) {
      this.poolSize = Checks.requireBetween("poolSize", size, 1, 1000);
      return this;
    }

    // --- limits (issue 14)

    /**
     * Locations one organization may register (default 10,000; 1 to 10,000,000). A {@code
     * writeLocations} call that would take the organization past it throws {@link
     * InvalidRequestException} naming the limit and the count, and stores none of its chunk.
     */
    public Builder maxLocationsPerOrganization(int max) {
      this.maxLocationsPerOrganization =
          Checks.requireBetween("maxLocationsPerOrganization", max, 1, 10_000_000);
      return this;
    }

    /** Ids one analysis call may name, e.g. locations to compare (default 1,000; 1 to 10,000,000). */
    public Builder maxIdsPerRequest(int max) {
      this.maxIdsPerRequest = Checks.requireBetween("maxIdsPerRequest", max, 1, 10_000_000);
      return this;
    }

    /** Devices one {@code writeDevices} call may send (default 100,000; 1 to 100,000,000). */
    public Builder maxDevicesPerCall(int max) {
      this.maxDevicesPerCall = Checks.requireBetween("maxDevicesPerCall", max, 1, 100_000_000);
      return this;
    }

    /** Events one {@code writeEvents} call may send (default 100,000; 1 to 100,000,000). */
    public Builder maxEventsPerCall(int max) {
      this.maxEventsPerCall = Checks.requireBetween("maxEventsPerCall", max, 1, 100_000_000);
      return this;
    }

    /**
     * Spare-part lines one maintenance event may carry (default 1,000; 1 to 100,000); an event with
     * more is quarantined with the limit in its reason.
     */
    public Builder maxPartsPerEvent(int max) {
      this.maxPartsPerEvent = Checks.requireBetween("maxPartsPerEvent", max, 1, 100_000);
      return this;
    }

    /**
     * How long one statement of a read (every analysis, report and data-quality report) may run,
     * on the primary or the read replica, before it fails with a {@link WarehouseException}
     * (default 30 s; 1 ms to 24 h). It is the read's statement timeout (unless {@link
     * #statementTimeout} is shorter) and its socket timeout, so a frozen replica that answers
     * nothing also ends the call. Writes are not bound by it.
     */
    public Builder readTimeout(Duration timeout) {
      requireDuration("readTimeout", timeout, Duration.ofMillis(1), Duration.ofHours(24));
      this.readTimeout = timeout;
      return this;
    }

    /**
     * Hears each writer call's report once its last transaction committed (default: {@link
     * WriteListener#NONE}), e.g. to count inserted and quarantined records in the host's metrics.
     *
     * @throws InvalidRequestException when it is null
     */
    public Builder writeListener(WriteListener listener) {
      this.writeListener = Checks.requireNonNull("writeListener", listener);
      return this;
    }

    /**
     * Builds: creates the pool if needed, performs the schema action and logs the effective
     * configuration once at INFO.
     *
     * @throws io.modax.fleet.schema.SchemaException when the schema cannot be migrated or is not
     *     current under {@link SchemaAction#VALIDATE}
     * @throws WarehouseException when the library creates the pool and cannot connect
     */
    public FleetAnalytics build() {
      HikariDataSource pool = null;
      DataSource ds = dataSource;
      if (ds == null) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("fleet-analytics");
        try {
          pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
          throw new WarehouseException(
              "could not open a connection pool to " + Checks.printable(jdbcUrl) + ": " + e.getMessage(),
              null, e);
        }
        ds = pool;
      }
      try {
        FleetSchema fleetSchema = FleetSchema.of(ds, schema);
        SchemaStatus status = switch (schemaAction) {
          case MIGRATE -> fleetSchema.migrate(timescale);
          case VALIDATE -> fleetSchema.validate();
          case NONE -> new SchemaStatus(schema, -1, FleetSchema.latestVersion(), java.util.List.of(), false);
        };
        if (readReplica == ds) {
          throw new InvalidRequestException(
              "readReplica is the primary data source itself: pass a data source of the replica,"
                  + " or none");
        }
        Limits limits = new Limits(maxLocationsPerOrganization, maxIdsPerRequest, maxDevicesPerCall,
            maxEventsPerCall, maxPartsPerEvent);
        Engine engine = new Engine(
            new Warehouse(ds, readReplica, false, schema, statementTimeout).withReadTimeout(readTimeout),
            clock, aggregationMode, clockSkewTolerance, retentionHorizon, writeChunkSize, writeAttempts,
            maxWindow, limits, lockTimeout, writeListener);
        LOG.info(
            "fleet-analytics ready: schema={} version={} (applied now {}) hypertable={} action={}"
                + " aggregation={} clock={} clockSkewTolerance={} retentionHorizon={}"
                + " writeChunkSize={} writeAttempts={} maxWindow={} statementTimeout={} lockTimeout={} pool={}"
                + " readReplica={}",
            schema, status.installedVersion(), status.appliedNow(), status.hypertable(),
            schemaAction, aggregationMode, clock, clockSkewTolerance, retentionHorizon,
            writeChunkSize, writeAttempts, maxWindow, statementTimeout, lockTimeout,
            pool != null ? "owned HikariCP, max " + poolSize : "host data source",
            readReplica != null ? "host data source (analyses read there)" : "none");
        LOG.info("fleet-analytics limits: {} readTimeout={}", limits, readTimeout);
        return new FleetAnalytics(engine, pool, status);
      } catch (RuntimeException e) {
        if (pool != null) {
          pool.close();
        }
        throw e;
      }
    }

    private static void requireDuration(String name, Duration d, Duration min, Duration max) {
      Checks.requireNonNull(name, d);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new InvalidRequestException(
            name + " " + d + " is outside the allowed range [" + min + ", " + max + "]");
      }
    }
  }
}
