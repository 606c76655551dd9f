package io.modax.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stand-in replica that is provably the read path: a second database on the same server, with
 * the same schema and the same organization but other data (another seed), read-only for every
 * session once loaded (as a hot standby is). Analyses through the library return the stand-in's
 * answers, not the primary's; writes land on the primary only; {@link
 * FleetAnalytics#withPrimaryReads()} reads the primary.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class ReadReplicaTest {

  static final Instant END = Instant.parse("2026-06-17T10:35:00Z");
  static final String ORG = SampleFleet.ORGANIZATION_ID;
  static final CallerContext ADMIN = CallerContext.of("ops", ORG, Role.ADMIN);
  static final Clock CLOCK = Clock.fixed(END, ZoneOffset.UTC);
  static final Window WINDOW = Window.between(END.minus(Duration.ofDays(20)), END);
  static final List<String> IDS = List.of("A", "B", "C");

  static String replicaDb;
  static HikariDataSource replicaPool;
  static FleetDatabase primary;

  @BeforeAll
  static void setUp(FleetDatabase db) throws SQLException {
    primary = db;
    replicaDb = "fleet_replica_" + Long.toHexString(System.nanoTime());
    exec(db.dataSource(), "CREATE DATABASE " + replicaDb);
    // the same organization on both, other numbers: seed 1 on the primary, seed 2 on the replica
    SampleFleet onPrimary = SampleFleet.builder().seed(1).end(END).days(30).intervalSeconds(900).build();
    SampleFleet onReplica = SampleFleet.builder().seed(2).end(END).days(30).intervalSeconds(900).build();
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(CLOCK).build()) {
      onPrimary.load(fleet);
    }
    try (HikariDataSource loader = pool(replicaUrl(db), db, 2)) {
      try (FleetAnalytics fleet = FleetAnalytics.builder(loader).schema(db.schema()).clock(CLOCK).build()) {
        onReplica.load(fleet);
      }
    }
    // from now on every session on the stand-in is read-only, as on a hot standby
    exec(db.dataSource(), "ALTER DATABASE " + replicaDb + " SET default_transaction_read_only = on");
    replicaPool = pool(replicaUrl(db), db, 4);
  }

  @AfterAll
  static void tearDown() throws SQLException {
    if (replicaPool != null) {
      replicaPool.close();
    }
    if (replicaDb != null) {
      exec(primary.dataSource(), "DROP DATABASE IF EXISTS " + replicaDb);
    }
  }

  @Test
  void analysesReadTheReplicaAndWritesLandOnThePrimary(FleetDatabase db) throws SQLException {
    LocationComparison onPrimary;
    LocationComparison onReplica;
    try (FleetAnalytics p = db.analyticsBuilder().clock(CLOCK).build()) {
      onPrimary = p.fleetAnalyzer().compareLocations(ADMIN, ORG, IDS, WINDOW);
    }
    try (FleetAnalytics r = FleetAnalytics.builder(replicaPool).schema(db.schema())
        .schemaAction(SchemaAction.VALIDATE).clock(CLOCK).build()) {
      onReplica = r.fleetAnalyzer().compareLocations(ADMIN, ORG, IDS, WINDOW);
    }
    assertThat(onReplica.locations()).isNotEqualTo(onPrimary.locations());

    AtomicInteger replicaConnections = new AtomicInteger();
    DataSource countingReplica = counting(replicaPool, replicaConnections);
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(CLOCK).readReplica(countingReplica).build()) {
      assertThat(fleet.readsFromReplica()).isTrue();
      assertThat(fleet.withPrimaryReads().readsFromReplica()).isFalse();
      assertThat(fleet.withPrimaryReads().withPrimaryReads()).isSameAs(fleet.withPrimaryReads());

      assertThat(fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, IDS, WINDOW)).isEqualTo(onReplica);
      assertThat(replicaConnections.get()).isEqualTo(1);
      assertThat(fleet.withPrimaryReads().fleetAnalyzer().compareLocations(ADMIN, ORG, IDS, WINDOW))
          .isEqualTo(onPrimary);
      assertThat(replicaConnections.get()).as("the opt-out does not touch the replica").isEqualTo(1);
      // the other analyses go there too
      fleet.dashboard().dashboard(ADMIN, ORG);
      fleet.trendAnalyzer().reliability(ADMIN, ORG, WINDOW);
      fleet.dataQuality().reportAll(ADMIN, ORG, END.minus(Duration.ofDays(3)), END);
      assertThat(replicaConnections.get()).isGreaterThan(1);

      // a write lands on the primary only
      int before = replicaConnections.get();
      long primaryRows = rows(db.dataSource());
      long replicaRows = rows(replicaPool);
      FleetMetrics late = FleetMetrics.builder(ORG, "A", END.minus(Duration.ofMinutes(3)))
          .intervalSeconds(900).deviceCount(10).avgUptime(0.05).oee(0.05).totalFailures(5)
          .totalProductionHours(0.1).totalDowntimeHours(2.0).build();
      WriteReport w = fleet.writer().writeMetrics(ADMIN, ORG, List.of(late));
      assertThat(w.inserted()).as("%s", w).isEqualTo(1);
      assertThat(replicaConnections.get()).as("the writer never opens the replica").isEqualTo(before);
      assertThat(rows(db.dataSource())).isEqualTo(primaryRows + 1);
      assertThat(rows(replicaPool)).isEqualTo(replicaRows);
      // and the replica does not see it (it is not fed by replication here): read-your-writes
      // needs the primary
      assertThat(fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, IDS, WINDOW)).isEqualTo(onReplica);
      assertThat(fleet.withPrimaryReads().fleetAnalyzer().compareLocations(ADMIN, ORG, IDS, WINDOW))
          .isNotEqualTo(onPrimary);
    }
  }

  @Test
  void theReplicaMustNotBeThePrimaryItself(FleetDatabase db) {
    assertThatThrownBy(() -> db.analyticsBuilder().readReplica(db.dataSource()).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("readReplica");
  }

  @Test
  void withoutAReplicaEverythingReadsThePrimary(FleetDatabase db) {
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(CLOCK).build()) {
      assertThat(fleet.readsFromReplica()).isFalse();
      assertThat(fleet.withPrimaryReads()).isSameAs(fleet);
    }
  }

  static long rows(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + primary.schema() + "\".fleet_metrics")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static DataSource counting(DataSource real, AtomicInteger count) {
    return (DataSource) Proxy.newProxyInstance(ReadReplicaTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          if (m.getName().equals("getConnection")) {
            count.incrementAndGet();
          }
          try {
            return m.invoke(real, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  static String replicaUrl(FleetDatabase db) {
    String url = db.jdbcUrl();
    int hostStart = url.indexOf("//") + 2;
    int pathStart = url.indexOf('/', hostStart);
    int query = url.indexOf('?', pathStart);
    return url.substring(0, pathStart + 1) + replicaDb + (query < 0 ? "" : url.substring(query));
  }

  static HikariDataSource pool(String url, FleetDatabase db, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(size);
    config.setPoolName("replica-stand-in");
    return new HikariDataSource(config);
  }

  static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      s.execute(sql);
    }
  }
}
