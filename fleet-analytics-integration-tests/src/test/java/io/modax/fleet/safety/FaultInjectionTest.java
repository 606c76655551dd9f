package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.IngestFixture;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults under the library's runtime role: backends killed mid-write and mid-query while writers
 * and readers run, the pool exhausted, statements timing out. Writes are all or nothing and
 * retried only when a retry is safe; reads fail with a clear exception and answer again once the
 * database is back; no connection leaks (the pool's active connections return to 0 and the role
 * has no session left in a transaction).
 */
@ExtendWith(FleetDatabaseExtension.class)
class FaultInjectionTest {

  static final Duration STORM = Duration.ofSeconds(Long.getLong("fleet.faults.seconds", 8));

  @Test
  void backendsKilledMidWriteAndMidQueryLoseNothingAndLeakNothing(FleetDatabase db) throws Exception {
    AtomicLong killed = new AtomicLong();
    try (DatabaseRole runtime = DatabaseRole.runtime(db, 6);
        FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).writeChunkSize(3_000)
            .writeAttempts(8).build()) {
      Workload load = new Workload(List.of("kill-a", "kill-b", "kill-c"));
      load.register(fleet);
      load.run(fleet, STORM, 17, () -> {
        // every 30-250 ms, terminate one of the role's backends that is running a statement or is
        // inside a transaction: writes mid-COPY, mid-upsert, before commit; reads mid-query
        try (Connection killer = db.dataSource().getConnection();
            PreparedStatement p = killer.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                + " FROM (SELECT pid FROM pg_stat_activity WHERE usename = ?"
                + " AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()"
                + " ORDER BY random() LIMIT 1) victim")) {
          p.setString(1, runtime.name());
          while (!load.stop.get()) {
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              killed.addAndGet(rs.getLong(1));
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(30, 250));
          }
        } catch (SQLException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });

      int committedAnyway = load.verifyStored(db.dataSource(), db.schema());
      int buckets = IngestFixture.assertRollupsEqualRecomputation(db);
      int figures = load.verifyAnswers(fleet);
      assertThat(killed.get()).as("backends killed").isGreaterThan(10);
      assertThat(load.readOutcomes()).containsKey("answered");
      assertThat(load.crossTenantAnswers.get()).isZero();
      // reads answer again, and nothing is left open
      answerEverything(fleet, "kill-a");
      assertNoLeak(runtime);
      System.out.printf("kill storm: %d s, %d backends killed (pg_terminate_backend) mid-write and mid-query;"
              + " %d write calls, %d acknowledged snapshots all stored once, %d failed calls all or nothing"
              + " (%d had committed before their acknowledgement was lost); %d hourly rollup buckets equal to"
              + " recomputation from raw rows; %d figures equal to the writers' books; %d reads: %s;"
              + " active connections afterwards 0%n",
          STORM.toSeconds(), killed.get(), load.writeCalls.get(), load.acknowledgedRows(),
          load.failedCalls.size(), committedAnyway, buckets, figures, load.reads.get(), load.readOutcomes());
    }
  }

  @Test
  void anExhaustedPoolFailsClearlyAfterItsTimeoutAndAOneConnectionPoolNeverDeadlocks(FleetDatabase db,
      @TempDir Path tmp) throws Exception {
    try (DatabaseRole runtime = DatabaseRole.runtime(db, 1)) {
      // one connection is enough for every call: none holds a connection while asking for another
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(runtime.pool().getJdbcUrl());
      config.setUsername(runtime.name());
      config.setPassword("fa-safety");
      config.setMaximumPoolSize(1);
      config.setConnectionTimeout(1_000);
      try (HikariDataSource one = new HikariDataSource(config);
          FleetAnalytics fleet = FleetAnalytics.builder(one).schema(db.schema()).clock(Analyses.clock()).build()) {
        Analyses.sample("pool-org", 5, 3).load(fleet);
        answerEverything(fleet, "pool-org");
        fleet.backup().export(CallerContext.of("admin", "pool-org", Role.ADMIN), "pool-org", tmp.resolve("b"));

        // the host holds the only connection: the library waits for the pool's timeout, then says so
        try (Connection held = one.getConnection()) {
          long t0 = System.nanoTime();
          assertThatThrownBy(() -> fleet.fleetAnalyzer().overview(reader("pool-org"), "pool-org"))
              .isInstanceOf(WarehouseException.class)
              .hasMessageContaining("reading the fleet overview failed")
              .hasMessageContaining("Connection is not available, request timed out after");
          // it waited for the pool's timeout (a lower bound: what the pool promises)
          assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(950L);
          // a write waits too, and is not retried: the pool's own timeout is the host's policy,
          // and the failure carries no SQLState a retry could cure
          assertThatThrownBy(() -> fleet.writer().writeMetrics(CallerContext.of("g", "pool-org", Role.OPERATOR),
              "pool-org", List.of(FleetMetrics.builder("pool-org", "A", Analyses.NOW.minusSeconds(30))
                  .totalProductionHours(0.1).totalDowntimeHours(0.0).build())))
              .isInstanceOf(WarehouseException.class)
              .hasMessageContaining("Connection is not available")
              .satisfies(e -> assertThat(((WarehouseException) e).isTransient()).isFalse());
          assertThat(held.isValid(1)).isTrue();
        }
        // released: everything answers again, nothing leaked
        answerEverything(fleet, "pool-org");
        assertThat(one.getHikariPoolMXBean().getActiveConnections()).isZero();
        System.out.println("pool exhaustion: a 1-connection pool answered every analysis, report and export;"
            + " with its connection held, calls failed after the 1 s pool timeout with a clear message");
      }
    }
  }

  @Test
  void statementTimeoutsFailReadsAndWritesWithoutRetryingOrLeavingAnything(FleetDatabase db) throws Exception {
    String s = "\"" + db.schema() + "\"";
    try (DatabaseRole runtime = DatabaseRole.runtime(db, 3)) {
      ChunkAttempts chunks = new ChunkAttempts(runtime.pool());
      // 300 ms; on Citus, whose coordinator and two workers share this machine's cores with the
      // tests, 3 s, so that loading and answering (not held up by a lock) stay well inside it
      Duration timeout = Duration.ofMillis(db.isCitus() ? 3_000 : 300);
      try (FleetAnalytics fleet = FleetAnalytics.builder(chunks.dataSource()).schema(db.schema())
          .clock(Analyses.clock()).statementTimeout(timeout).build()) {
        Analyses.sample("slow-org", 6, 3).load(fleet);
        long before = IngestFixture.count(db, "SELECT count(*) FROM " + s + ".fleet_metrics");
        try (Connection host = db.dataSource().getConnection()) {
          host.setAutoCommit(false);
          try (Statement st = host.createStatement()) {
            // a long maintenance job: reads of the daily rollup and writes of location A must wait
            st.execute("LOCK TABLE " + s + ".fleet_metrics_daily IN ACCESS EXCLUSIVE MODE");
            st.execute("SELECT " + s + ".lock_fleet_locations('slow-org', ARRAY['A'])");
          }
          assertThatThrownBy(() -> fleet.fleetAnalyzer().compareLocations(reader("slow-org"), "slow-org",
              List.of("A", "B"), Analyses.NOW.minus(Duration.ofDays(2)), Analyses.NOW))
              .isInstanceOf(WarehouseException.class)
              .hasMessageContaining("comparing locations failed (SQLState 57014)")
              .hasMessageContaining("statement timeout")
              .satisfies(e -> assertThat(((WarehouseException) e).isTransient()).isFalse());
          int attemptsBefore = chunks.attempts();
          List<FleetMetrics> rows = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            rows.add(FleetMetrics.builder("slow-org", "A", Analyses.NOW.plusSeconds(i)).intervalSeconds(1)
                .totalProductionHours(0.0001).totalDowntimeHours(0.0).build());
          }
          assertThatThrownBy(() -> fleet.writer().writeMetrics(CallerContext.of("g", "slow-org", Role.OPERATOR),
              "slow-org", rows))
              .isInstanceOf(WarehouseException.class)
              .hasMessageContaining("SQLState 57014")
              .hasMessageContaining("the 50 records of the failed chunk were not stored");
          // a timeout is not retried: one attempt, not writeAttempts (4) of them
          assertThat(chunks.attempts() - attemptsBefore).as("chunk attempts").isEqualTo(1);
          host.rollback();
        }
        assertThat(IngestFixture.count(db, "SELECT count(*) FROM " + s + ".fleet_metrics")).isEqualTo(before);
        answerEverything(fleet, "slow-org");
        System.out.println("statement timeouts: a read and a write held up by a host's locks failed with SQLState"
            + " 57014 after the " + timeout.toMillis() + " ms statement timeout; the write was tried once and stored"
            + " none of its 50 rows");
      }
      assertNoLeak(runtime);
    }
  }

  /**
   * The retry policy by SQLState, through the public API: a chunk whose commit fails with a state
   * a retry can cure (lost connection, terminated backend, serialization failure, deadlock) is
   * tried again and stored exactly once; any other state (statement timeout, unique violation,
   * server shutting down or not up, too many connections) fails the call after one attempt with
   * nothing stored.
   */
  @ParameterizedTest(name = "SQLState {0}")
  @ValueSource(strings = {"08006", "57P01", "40001", "40P01", "57014", "23505", "57P02", "57P03", "53300"})
  void aWriteIsRetriedOnlyWhenItsFailureIsOneARetryCanCure(String sqlState, FleetDatabase db) throws Exception {
    boolean retried = WarehouseException.isTransientSqlState(sqlState);
    String org = "retry-" + sqlState.toLowerCase(Locale.ROOT);
    try (DatabaseRole runtime = DatabaseRole.runtime(db, 2)) {
      ChunkAttempts chunks = new ChunkAttempts(runtime.pool());
      try (FleetAnalytics fleet = FleetAnalytics.builder(chunks.dataSource()).schema(db.schema())
          .clock(Analyses.clock()).writeAttempts(4).build()) {
        new Workload(List.of(org)).register(fleet);
        List<FleetMetrics> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
          rows.add(FleetMetrics.builder(org, i % 2 == 0 ? "A" : "B", Analyses.NOW.minusSeconds(60L * (i / 2 + 1)))
              .intervalSeconds(60).totalProductionHours(0.01).totalDowntimeHours(0.001).totalFailures(1).build());
        }
        CallerContext gateway = CallerContext.of("g", org, Role.OPERATOR);
        int before = chunks.attempts();
        chunks.failNextCommits(1, sqlState);
        if (retried) {
          assertThat(fleet.writer().writeMetrics(gateway, org, rows).inserted()).isEqualTo(120);
          assertThat(chunks.attempts() - before).as("chunk attempts").isEqualTo(2);
        } else {
          assertThatThrownBy(() -> fleet.writer().writeMetrics(gateway, org, rows))
              .isInstanceOf(WarehouseException.class)
              .hasMessageContaining("SQLState " + sqlState)
              .hasMessageContaining("were not stored")
              .satisfies(e -> assertThat(((WarehouseException) e).sqlState()).isEqualTo(sqlState));
          assertThat(chunks.attempts() - before).as("chunk attempts").isEqualTo(1);
        }
        long stored = IngestFixture.count(db,
            "SELECT count(*) FROM ${s}.fleet_metrics WHERE organization_id = '" + org + "'");
        assertThat(stored).isEqualTo(retried ? 120 : 0);
        // what the rollups say agrees with the raw rows, and the same rows written again change nothing
        IngestFixture.assertRollupsEqualRecomputation(db);
        assertThat(fleet.writer().writeMetrics(gateway, org, rows).inserted()).isEqualTo(retried ? 0 : 120);
      }
      assertNoLeak(runtime);
    }
  }

  /**
   * A real deadlock: a host transaction holds the row of an hourly rollup bucket the writer must
   * rewrite, and then asks for the location lock the writer holds. The server aborts the writer
   * (SQLState 40P01: its deadlock check runs first); the writer rolls back,
   * waits, tries again once the host is done, and stores its chunk exactly once.
   */
  @Test
  void aWriteChosenAsADeadlockVictimIsRetriedAndStoredOnce(FleetDatabase db) throws Exception {
    String org = "deadlock-org";
    String s = "\"" + db.schema() + "\"";
    Instant hour = Analyses.NOW.minus(Duration.ofHours(5));
    try (DatabaseRole runtime = DatabaseRole.runtime(db, 3)) {
      // the writer's sessions check for deadlocks after 2 s of waiting, the host's after 30 s: the
      // host closes the cycle well within the writer's 2 s, and the writer is the one aborted
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("ALTER ROLE " + runtime.name() + " SET deadlock_timeout = '2s'");
      }
      ChunkAttempts chunks = new ChunkAttempts(runtime.pool());
      try (FleetAnalytics fleet = FleetAnalytics.builder(chunks.dataSource()).schema(db.schema())
          .clock(Analyses.clock()).build()) {
        new Workload(List.of(org)).register(fleet);
        CallerContext gateway = CallerContext.of("g", org, Role.OPERATOR);
        fleet.writer().writeMetrics(gateway, org, List.of(FleetMetrics.builder(org, "A", hour)
            .intervalSeconds(60).totalProductionHours(0.01).totalDowntimeHours(0.0).build()));
        List<FleetMetrics> rows = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
          rows.add(FleetMetrics.builder(org, "A", hour.plusSeconds(60L * i)).intervalSeconds(60)
              .totalProductionHours(0.01).totalDowntimeHours(0.0).build());
        }
        int attemptsBefore = chunks.attempts();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Connection host = db.dataSource().getConnection()) {
          host.setAutoCommit(false);
          try (Statement st = host.createStatement()) {
            if (db.isCitus()) {
              // the row lock is waited for on a worker: the host's setting must reach it there
              st.execute("SET LOCAL citus.propagate_set_commands = 'local'");
            }
            st.execute("SET LOCAL deadlock_timeout = '30s'");
          }
          try (PreparedStatement p = host.prepareStatement("SELECT 1 FROM " + s + ".fleet_metrics_hourly"
              + " WHERE organization_id = ? AND location_id = 'A' AND hour = ? FOR UPDATE")) {
            p.setString(1, org);
            p.setObject(2, OffsetDateTime.ofInstant(hour, ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
              assertThat(rs.next()).as("the bucket's row is locked").isTrue();
            }
          }
          Future<WriteReport> written = writer.submit(() -> fleet.writer().writeMetrics(gateway, org, rows));
          awaitWaitingOnALock(runtime, db.isCitus());
          // the writer holds the location lock and waits for the bucket's row: asking for the
          // location lock closes the cycle
          try (PreparedStatement p = host.prepareStatement("SELECT " + s + ".lock_fleet_locations(?, ARRAY['A'])")) {
            p.setString(1, org);
            p.execute();
          }
          host.rollback();
          assertThat(written.get(60, TimeUnit.SECONDS).inserted()).isEqualTo(30);
        } finally {
          writer.shutdownNow();
        }
        assertThat(chunks.attempts() - attemptsBefore).as("chunk attempts: the deadlock victim and its retry")
            .isEqualTo(2);
        assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics WHERE organization_id = '"
            + org + "'")).isEqualTo(31);
        IngestFixture.assertRollupsEqualRecomputation(db);
        System.out.println("deadlock: the writer, chosen as the victim of a real deadlock (SQLState 40P01), was"
            + " retried once and stored its 30 rows exactly once");
      }
      assertNoLeak(runtime);
    }
  }

  /** Waits until a backend of the role waits for a lock (a row or transaction lock). */
  static void awaitWaitingOnALock(DatabaseRole role, boolean citus) throws Exception {
    // on Citus the row lock is waited for on a worker: citus_stat_activity shows every node's
    String view = citus ? "citus_stat_activity" : "pg_stat_activity";
    for (int i = 0; i < 3_000; i++) {
      try (Connection c = role.pool().getConnection(); PreparedStatement p = c.prepareStatement(
          "SELECT count(*) FROM " + view + " WHERE usename = ? AND wait_event_type = 'Lock'"
              + " AND wait_event IN ('transactionid', 'tuple')")) {
        p.setString(1, role.name());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the writer never waited for the locked row");
  }

  static CallerContext reader(String org) {
    return CallerContext.of("reader", org, Role.READ_ONLY);
  }

  /** Every analysis answers (no exception). */
  static void answerEverything(FleetAnalytics fleet, String org) {
    for (Map.Entry<String, BiFunction<CallerContext, String, Object>> a : Analyses.all(fleet).entrySet()) {
      assertThat(a.getValue().apply(reader(org), org)).as(a.getKey()).isNotNull();
    }
  }

  /** The pool has no connection out, and the role no session inside a transaction. */
  static void assertNoLeak(DatabaseRole role) throws SQLException {
    assertThat(role.pool().getHikariPoolMXBean().getActiveConnections()).as("active connections").isZero();
    assertThat(sessionsInTransaction(role.pool(), role.name())).as("sessions left in a transaction").isZero();
  }

  static long sessionsInTransaction(DataSource ds, String role) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()"
            + " AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')")) {
      p.setString(1, role);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
