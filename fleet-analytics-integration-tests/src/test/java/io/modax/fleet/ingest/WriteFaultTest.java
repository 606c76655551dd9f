package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.NOW;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.PUNE;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults in the middle of a write: the writer's backend killed with pg_terminate_backend after the
 * chunk's rows are staged, a commit whose acknowledgement is lost, an error a retry cannot cure.
 * Nothing is ever stored partially or twice; a write that gives up says what was not stored.
 */
@ExtendWith(FleetDatabaseExtension.class)
class WriteFaultTest {

  static final Instant DAY = Instant.parse("2026-03-06T00:00:00Z");

  /** 300 snapshots over both locations with 3 bad ones. */
  static List<FleetMetrics> batch() {
    List<FleetMetrics> out = new ArrayList<>(IngestFixture.series(BERLIN, DAY, 150, 1));
    out.addAll(IngestFixture.series(PUNE, DAY, 147, 2));
    for (int i = 0; i < 3; i++) {
      out.add(100 * i, IngestFixture.good(PUNE, DAY.plusSeconds(300L * (147 + i)), i).toBuilder()
          .avgUptime(Double.NaN).build());
    }
    return out;
  }

  /** Kills the backend of the connection the hook runs on, from another connection, and waits. */
  static void terminate(FleetDatabase db, Connection victim) throws SQLException {
    int pid;
    try (PreparedStatement p = victim.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = p.executeQuery()) {
      rs.next();
      pid = rs.getInt(1);
    }
    try (Connection killer = db.dataSource().getConnection()) {
      try (PreparedStatement p = killer.prepareStatement("SELECT pg_terminate_backend(?)")) {
        p.setInt(1, pid);
        p.execute();
      }
      for (int i = 0; i < 200; i++) {
        try (PreparedStatement p = killer.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
          p.setInt(1, pid);
          try (ResultSet rs = p.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 0) {
              return;
            }
          }
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Kills the backend the first {@code kills} times the given phase is reached. */
  static FleetWriter.ChunkObserver killer(FleetDatabase db, boolean whenStaged, int kills, AtomicInteger reached) {
    return new FleetWriter.ChunkObserver() {
      @Override
      public void staged(Connection c) throws SQLException {
        if (whenStaged && reached.getAndIncrement() < kills) {
          terminate(db, c);
        }
      }

      @Override
      public void beforeCommit(Connection c) throws SQLException {
        if (!whenStaged && reached.getAndIncrement() < kills) {
          terminate(db, c);
        }
      }
    };
  }

  @ParameterizedTest(name = "copy={0}")
  @ValueSource(booleans = {true, false})
  void aBackendKilledMidBatchLeavesNothingAndTheRetryStoresEverythingOnce(boolean copy, FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      AtomicInteger reached = new AtomicInteger();
      FleetWriter w = fleet.writer().withInternals(copy ? 0 : Integer.MAX_VALUE, killer(db, true, 1, reached));

      WriteReport r = w.writeMetrics(WRITER, ORG, batch());

      assertThat(reached.get()).isGreaterThanOrEqualTo(2); // killed once, then retried
      assertThat(r).isEqualTo(new WriteReport(300, 297, 0, 0, Map.of(QuarantineReason.NON_FINITE, 3L), r.refused()));
      assertThat(r.refused()).extracting(RefusedRecord::position).containsExactly(0L, 100L, 200L);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isEqualTo(297);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_quarantine")).isEqualTo(3);
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @Test
  void withoutRetriesAKilledChunkLeavesNoPartialBatchAndTheExceptionSaysWhatWasNotStored(FleetDatabase db) {
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .writeChunkSize(100).writeAttempts(1).build()) {
      IngestFixture.register(fleet);
      AtomicInteger reached = new AtomicInteger();
      // let the first chunk through, kill the second just before it commits
      FleetWriter.ChunkObserver secondChunkKiller = new FleetWriter.ChunkObserver() {
        @Override
        public void beforeCommit(Connection c) throws SQLException {
          if (reached.incrementAndGet() == 2) {
            terminate(db, c);
          }
        }
      };
      FleetWriter w = fleet.writer().withInternals(0, secondChunkKiller);
      List<FleetMetrics> rows = batch();

      assertThatThrownBy(() -> w.writeMetrics(WRITER, ORG, rows))
          .isInstanceOf(WarehouseException.class)
          .hasMessageContaining("writing fleet metrics for organization 'org-ingest' stopped after 100 records")
          .hasMessageContaining("the 100 records of the failed chunk were not stored")
          .hasMessageContaining("nor any record after them")
          .satisfies(e -> assertThat(((WarehouseException) e).isTransient()).isTrue());

      // exactly the first chunk: its 99 good rows and its 1 bad one; nothing of the second
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isEqualTo(99);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_quarantine")).isEqualTo(1);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_batches WHERE record_type = 'fleet_metrics'")).isEqualTo(1);
      IngestFixture.assertRollupsEqualRecomputation(db);

      // sending everything again completes it: the first chunk is unchanged, the rest is new
      WriteReport again = fleet.writer().writeMetrics(WRITER, ORG, rows);
      assertThat(again.unchanged()).isEqualTo(99);
      assertThat(again.inserted()).isEqualTo(198);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isEqualTo(297);
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @Test
  void aCommitWhoseAcknowledgementIsLostIsNotAppliedTwice(FleetDatabase db) {
    AtomicBoolean loseNextAck = new AtomicBoolean(false);
    DataSource flaky = losingAcknowledgements(db.dataSource(), loseNextAck);
    try (FleetAnalytics fleet = FleetAnalytics.builder(flaky).schema(db.schema())
        .schemaAction(SchemaAction.VALIDATE).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      IngestFixture.register(fleet);
      loseNextAck.set(true);

      WriteReport r = fleet.writer().writeMetrics(WRITER, ORG, batch());

      assertThat(loseNextAck.get()).isFalse(); // the acknowledgement was lost once
      // the retry found the committed batch: the counts are the committed attempt's, read back; which
      // records were refused is not recorded with the batch (they are in the quarantine table)
      assertThat(r).isEqualTo(new WriteReport(300, 297, 0, 0, Map.of(QuarantineReason.NON_FINITE, 3L)));
      assertThat(r.refused()).isEmpty();
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isEqualTo(297);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_quarantine")).isEqualTo(3);
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @Test
  void anErrorARetryCannotCureIsNotRetried(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      AtomicInteger attempts = new AtomicInteger();
      FleetWriter w = fleet.writer().withInternals(0, new FleetWriter.ChunkObserver() {
        @Override
        public void staged(Connection c) throws SQLException {
          attempts.incrementAndGet();
          throw new SQLException("simulated check violation", "23514");
        }
      });
      assertThatThrownBy(() -> w.writeMetrics(WRITER, ORG, batch()))
          .isInstanceOf(WarehouseException.class)
          .hasMessageContaining("SQLState 23514")
          .hasMessageContaining("were not stored");
      assertThat(attempts.get()).isEqualTo(1);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isZero();
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_quarantine")).isZero();
    }
  }

  @Test
  void retriesAreBoundedByWriteAttempts(FleetDatabase db) {
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .writeAttempts(3).build()) {
      IngestFixture.register(fleet);
      AtomicInteger reached = new AtomicInteger();
      FleetWriter w = fleet.writer().withInternals(0, killer(db, true, 100, reached));
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> w.writeMetrics(WRITER, ORG, batch()))
          .isInstanceOf(WarehouseException.class)
          .hasMessageContaining("were not stored");
      assertThat(reached.get()).isEqualTo(3);
      // backoff 50 ms, then 100 ms
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(150);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isZero();
    }
  }

  /**
   * A data source whose connections lose the acknowledgement of one commit (after it happened): the
   * first commit of a transaction that recorded a write chunk's batch (not of the reads before it).
   */
  static DataSource losingAcknowledgements(DataSource real, AtomicBoolean loseNext) {
    return (DataSource) Proxy.newProxyInstance(WriteFaultTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          if (method.getName().equals("getConnection")) {
            Connection c = (Connection) result;
            AtomicBoolean recordsBatch = new AtomicBoolean();
            return Proxy.newProxyInstance(WriteFaultTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> {
                  Object r = invoke(c, m, a);
                  if (m.getName().equals("prepareStatement") && a != null && a[0] instanceof String sql
                      && sql.startsWith("INSERT INTO") && sql.contains(".ingest_batches")) {
                    recordsBatch.set(true);
                  }
                  if (m.getName().equals("rollback")) {
                    recordsBatch.set(false);
                  }
                  if (m.getName().equals("commit") && recordsBatch.getAndSet(false)
                      && loseNext.compareAndSet(true, false)) {
                    throw new SQLException("simulated: connection lost before the commit was acknowledged", "08006");
                  }
                  return r;
                });
          }
          return result;
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
