package io.modax.fleet.scaling;

import static io.modax.fleet.scaling.RawHistoryRetentionTest.ADMIN;
import static io.modax.fleet.scaling.RawHistoryRetentionTest.END;
import static io.modax.fleet.scaling.RawHistoryRetentionTest.ORG;
import static io.modax.fleet.scaling.RawHistoryRetentionTest.assertSame;
import static io.modax.fleet.scaling.RawHistoryRetentionTest.rawRowsBefore;
import static io.modax.fleet.scaling.RawHistoryRetentionTest.rollupFingerprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.maintenance.RawHistoryDrop;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On plain PostgreSQL the raw snapshots live in monthly partitions of fleet_metrics (V014): written
 * through the table, reached only through it, created ahead by maintenance (moving snapshots that
 * waited in the default partition), and detached or dropped whole while the rollups keep
 * everything, so that year-long analyses answer exactly as before.
 */
@ExtendWith(FleetDatabaseExtension.class)
class RawPartitionsTest {

  static final String SKIP = "raw time partitions are plain PostgreSQL's; TimescaleDB has chunks, Citus"
      + " keeps an unpartitioned distributed table (docs/scaling.md)";

  @Test
  void snapshotsWaitInTheDefaultPartitionUntilTheirMonthIsPreparedAndAnswersDoNotChange(FleetDatabase db)
      throws SQLException {
    assumeFalse(db.isTimescale() || db.isCitus(), SKIP);
    SampleFleet sample = SampleFleet.builder().seed(31).end(END).days(100).intervalSeconds(1800).build();
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    List<String> ids = sample.locations().stream().map(l -> l.id()).toList();
    ZoneId orgZone = ZoneId.of(sample.organization().timezone());
    assertThat(relkind(db, "fleet_metrics")).isEqualTo("p");
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).build()) {
      sample.load(fleet);
      long stored = count(db, "fleet_metrics");
      // the migration prepared the months around the day it ran, not the sample's: all its
      // snapshots wait in the default partition, and every answer is already right
      assertThat(count(db, "fleet_metrics_default")).isEqualTo(stored).isPositive();
      RawHistoryRetentionTest.Analyses before = RawHistoryRetentionTest.analyses(fleet, ids, orgZone);
      String rollups = rollupFingerprint(db);

      List<String> created = fleet.maintenance().prepareRawPartitions(ADMIN, 2);
      List<String> expected = new ArrayList<>();
      for (YearMonth m = YearMonth.from(END.minus(Duration.ofDays(100)).atZone(ZoneOffset.UTC));
          !m.isAfter(YearMonth.from(END.atZone(ZoneOffset.UTC)).plusMonths(2)); m = m.plusMonths(1)) {
        expected.add(String.format("fleet_metrics_y%04dm%02d", m.getYear(), m.getMonthValue()));
      }
      assertThat(created).containsAll(expected);
      assertThat(count(db, "fleet_metrics_default")).as("rows left in the default partition").isZero();
      assertThat(count(db, "fleet_metrics")).isEqualTo(stored);
      for (String p : expected) {
        assertThat(relkind(db, p)).isEqualTo("r");
        assertThat(grantees(db, p)).as("roles with privileges on " + p).isEmpty();
      }
      assertThat(rollupFingerprint(db)).as("moving rows between partitions marks nothing").isEqualTo(rollups);
      assertThat(count(db, "fleet_rollup_dirty")).isZero();
      assertSame(RawHistoryRetentionTest.analyses(fleet, ids, orgZone), before);
      // a second call finds every month there
      assertThat(fleet.maintenance().prepareRawPartitions(ADMIN, 2)).isEmpty();
    }
  }

  @Test
  void droppingOrDetachingWholeOldPartitionsKeepsYearLongAnswersEqual(FleetDatabase db) throws SQLException {
    assumeFalse(db.isTimescale() || db.isCitus(), SKIP);
    SampleFleet sample = SampleFleet.builder().seed(23).end(END).days(370).intervalSeconds(1800).build();
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    List<String> ids = sample.locations().stream().map(l -> l.id()).toList();
    ZoneId orgZone = ZoneId.of(sample.organization().timezone());
    Instant cutoff = END.minus(Duration.ofDays(120)).truncatedTo(ChronoUnit.HOURS);
    RawHistoryRetentionTest.Analyses before;
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).build()) {
      sample.load(fleet);
      fleet.maintenance().prepareRawPartitions(ADMIN, 1);
      before = RawHistoryRetentionTest.analyses(fleet, ids, orgZone);
    }
    String rollups = rollupFingerprint(db);
    // whole months ending at or before the cutoff go; the month holding it stays
    Instant kept = YearMonth.from(cutoff.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    long rawKept = count(db, "fleet_metrics") - rawRowsBefore(db, kept);
    String detached = String.format("fleet_metrics_y%04dm%02d", YearMonth.from(kept.atZone(ZoneOffset.UTC)).minusMonths(1).getYear(),
        YearMonth.from(kept.atZone(ZoneOffset.UTC)).minusMonths(1).getMonthValue());
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).retentionHorizon(Duration.ofDays(90)).build()) {
      assertThatThrownBy(() -> fleet.maintenance().dropRawPartitionsBefore(
              CallerContext.of("ops", ORG, Role.OPERATOR), cutoff, false))
          .isInstanceOf(io.modax.fleet.AccessDeniedException.class);
      assertThatThrownBy(() -> fleet.maintenance().dropRawPartitionsBefore(ADMIN, cutoff.plusSeconds(60), false))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("whole UTC hour");

      // the months before the one before the cutoff's are dropped; that one is detached only
      Instant previous = YearMonth.from(kept.atZone(ZoneOffset.UTC)).minusMonths(1).atDay(1)
          .atStartOfDay(ZoneOffset.UTC).toInstant();
      RawHistoryDrop dropped = fleet.maintenance().dropRawPartitionsBefore(ADMIN, previous, false);
      assertThat(dropped.chunksDropped()).isGreaterThan(3);
      assertThat(dropped.organizationId()).isNull();
      RawHistoryDrop detach = fleet.maintenance().dropRawPartitionsBefore(ADMIN, kept, true);
      assertThat(detach.chunksDropped()).isEqualTo(1);
      assertThat(relkind(db, detached)).as("a detached partition stays as a table").isEqualTo("r");
      assertThat(isPartition(db, detached)).isFalse();
      assertThat(grantees(db, detached)).isEmpty();
      RawHistoryDrop drop = fleet.maintenance().dropRawPartitionsBefore(ADMIN, cutoff, false);
      assertThat(drop.chunksDropped()).as("nothing left to detach before the cutoff's month").isZero();

      assertThat(rawRowsBefore(db, kept)).isZero();
      assertThat(count(db, "fleet_metrics")).isEqualTo(rawKept).isPositive();
      assertThat(rollupFingerprint(db)).as("the rollups keep every row").isEqualTo(rollups);
      assertSame(RawHistoryRetentionTest.analyses(fleet, ids, orgZone), before);
    } finally {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS \"" + db.schema() + "\"." + detached);
      }
    }
  }

  @Test
  void thePartitionCallsSayWhereTheyDoNotApply(FleetDatabase db) {
    org.junit.jupiter.api.Assumptions.assumeTrue(db.isTimescale() || db.isCitus(),
        "only on TimescaleDB or Citus, where fleet_metrics is not partitioned by time");
    try (FleetAnalytics fleet = db.analyticsBuilder().build()) {
      assertThatThrownBy(() -> fleet.maintenance().prepareRawPartitions(ADMIN, 1))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not partitioned by time");
    }
  }

  static long count(FleetDatabase db, String table) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + db.schema() + "\"." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String relkind(FleetDatabase db, String table) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT relkind FROM pg_class WHERE oid = to_regclass('\"" + db.schema()
            + "\"." + table + "')")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static boolean isPartition(FleetDatabase db, String table) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT relispartition FROM pg_class WHERE oid = '\"" + db.schema()
            + "\"." + table + "'::regclass")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** Roles other than the owner with any privilege on the table. */
  static List<String> grantees(FleetDatabase db, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT a.grantee::regrole::text FROM pg_class t, aclexplode(t.relacl) a"
            + " WHERE t.oid = '\"" + db.schema() + "\"." + table + "'::regclass AND a.grantee <> t.relowner")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
