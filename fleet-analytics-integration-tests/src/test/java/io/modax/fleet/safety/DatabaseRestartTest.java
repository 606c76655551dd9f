package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.ingest.IngestFixture;
import io.modax.fleet.testkit.FleetDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database restarted under load. This test runs its own embedded PostgreSQL on a fixed data
 * directory and port (never the shared test database, which may be someone else's server), and
 * stops and starts it several times while writers and readers for two organizations run (the
 * first outage longer than the pool's connection timeout). Writes retried over the outage land
 * exactly once or fail as a whole with a clear exception; reads fail with a clear exception while
 * the server is down and answer again once it is back; the pool recovers and nothing is left open.
 */
class DatabaseRestartTest {

  static final Duration LOAD = Duration.ofSeconds(Long.getLong("fleet.restart.seconds", 10));
  static final int RESTARTS = Integer.getInteger("fleet.restart.count", 3);
  static final String SCHEMA = "fleet_restart";
  static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1_500);

  @Test
  void theDatabaseRestartedUnderLoadLosesNothingAndTheLibraryAnswersAgain(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres.Builder server = EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("pgdata"))
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off");
    AtomicReference<EmbeddedPostgres> pg = new AtomicReference<>(server.start());
    AtomicInteger restarts = new AtomicInteger();
    AtomicLong downMillis = new AtomicLong();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres");
    config.setUsername("postgres");
    config.setPassword("postgres");
    config.setMaximumPoolSize(5);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setPoolName("fa-safety-restart");
    try (HikariDataSource pool = new HikariDataSource(config);
        FleetAnalytics fleet = FleetAnalytics.builder(pool).schema(SCHEMA).clock(Analyses.clock())
            .writeChunkSize(3_000).writeAttempts(8).build()) {
      Workload load = new Workload(List.of("restart-a", "restart-b"));
      load.register(fleet);
      long start = System.nanoTime();
      load.run(fleet, LOAD, 23, () -> {
        try {
          for (int i = 0; i < RESTARTS && !load.stop.get(); i++) {
            // stops spread over the run; the first outage outlasts the pool's connection timeout
            long stopAt = start + LOAD.toNanos() * (i + 1) / (RESTARTS + 2);
            Thread.sleep(Math.max(0, (stopAt - System.nanoTime()) / 1_000_000));
            long down = System.nanoTime();
            pg.get().close(); // pg_ctl stop -m fast: every session is terminated, open transactions roll back
            Thread.sleep(i == 0 ? CONNECTION_TIMEOUT.toMillis() + 1_000 : 300);
            pg.set(server.start());
            downMillis.addAndGet((System.nanoTime() - down) / 1_000_000);
            restarts.incrementAndGet();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });

      FleetDatabase restarted = database(pool, port);
      int committedAnyway = load.verifyStored(pool, SCHEMA);
      int buckets = IngestFixture.assertRollupsEqualRecomputation(restarted);
      int figures = load.verifyAnswers(fleet);
      assertThat(restarts.get()).isEqualTo(RESTARTS);
      // reads during an outage failed with the library's exception (Workload checked the message
      // names what failed), and answer again now
      assertThat(load.readOutcomes().keySet()).as("read outcomes")
          .anyMatch(k -> k.startsWith("WarehouseException")).contains("answered");
      FaultInjectionTest.answerEverything(fleet, "restart-a");
      assertThat(load.crossTenantAnswers.get()).isZero();
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("active connections").isZero();
      assertThat(FaultInjectionTest.sessionsInTransaction(pool, "postgres")).as("sessions left in a transaction")
          .isZero();
      System.out.printf("restarts under load: %d restarts of the database in %d s (%d ms down in all, the first"
              + " outage longer than the pool's %d ms connection timeout); %d write calls, %d acknowledged"
              + " snapshots all stored once, %d failed calls all or nothing (%d had committed); %d hourly"
              + " rollup buckets equal to recomputation; %d figures equal to the writers' books; %d reads: %s;"
              + " active connections afterwards 0%n",
          restarts.get(), LOAD.toSeconds(), downMillis.get(), CONNECTION_TIMEOUT.toMillis(),
          load.writeCalls.get(), load.acknowledgedRows(), load.failedCalls.size(), committedAnyway, buckets,
          figures, load.reads.get(), load.readOutcomes());
    } finally {
      pg.get().close();
    }
  }

  /** The restarted server as a {@link FleetDatabase}, for the rollup recomputation check. */
  static FleetDatabase database(DataSource ds, int port) {
    return new FleetDatabase() {
      @Override
      public DataSource dataSource() {
        return ds;
      }

      @Override
      public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
      }

      @Override
      public String user() {
        return "postgres";
      }

      @Override
      public String password() {
        return "postgres";
      }

      @Override
      public String schema() {
        return SCHEMA;
      }

      @Override
      public Kind kind() {
        return Kind.EMBEDDED;
      }

      @Override
      public boolean isTimescale() {
        return false;
      }

      @Override
      public void reset() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
