package io.modax.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.BenchmarkOptions;
import io.modax.fleet.analytics.FleetBenchmark;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.ReliabilityReport;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.maintenance.RawHistoryDrop;
import io.modax.fleet.reporting.ExecutiveSummary;
import io.modax.fleet.reporting.ReportPeriod;
import io.modax.fleet.reporting.ReportWindow;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drops raw history past its retention and checks that year-long analyses answer exactly as before
 * the drop, from the rollups, which keep every row; and that the rules guarding that are enforced.
 * Runs on plain PostgreSQL and on TimescaleDB (row-by-row drop per organization on both).
 */
@ExtendWith(FleetDatabaseExtension.class)
class RawHistoryRetentionTest {

  static final Instant END = Instant.parse("2026-06-17T10:35:00Z");
  static final String ORG = SampleFleet.ORGANIZATION_ID;
  static final CallerContext ADMIN = CallerContext.of("ops", ORG, Role.ADMIN);
  static final CallerContext OPERATOR = CallerContext.of("plant", ORG, Role.OPERATOR);
  static final Duration RAW_RETENTION = Duration.ofDays(120);
  static final java.util.Comparator<Double> CLOSE =
      (a, b) -> Math.abs(a - b) <= 1e-12 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))) ? 0 : Double.compare(a, b);

  /** The analyses compared before and after the drop: all over a year of whole days (UTC). */
  record Analyses(
      LocationComparison year,
      FleetBenchmark benchmark,
      FailureTrends trends,
      ReliabilityReport reliability,
      ExecutiveSummary oldMonth,
      LocationComparison subHourAfterWholeHour) {}

  static Analyses analyses(FleetAnalytics fleet, List<String> ids, ZoneId orgZone) {
    Instant yearEnd = END.truncatedTo(ChronoUnit.DAYS);
    Instant yearStart = yearEnd.minus(Duration.ofDays(365));
    Window year = Window.between(yearStart, yearEnd);
    Instant oldHour = yearStart.plus(Duration.ofDays(40)).plus(Duration.ofHours(7));
    return new Analyses(
        fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, ids, year),
        fleet.benchmarking().benchmarkAllLocations(ADMIN, ORG, year, BenchmarkOptions.defaults()),
        fleet.trendAnalyzer().failureTrends(ADMIN, ORG, TrendPeriod.MONTH, year),
        fleet.trendAnalyzer().reliability(ADMIN, ORG, year),
        fleet.reports().executiveSummary(ADMIN, ORG,
            ReportWindow.containing(ReportPeriod.MONTH, orgZone, yearStart.plus(Duration.ofDays(60))),
            FleetHealth.Thresholds.DEFAULT),
        // the reference for a window whose start lies inside a dropped hour: the next whole hour
        fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, ids, oldHour.plus(Duration.ofHours(1)), yearEnd));
  }

  @Test
  void yearLongAnalysesAnswerTheSameAfterTheRawHistoryIsDropped(FleetDatabase db) throws SQLException {
    SampleFleet sample = SampleFleet.builder().seed(23).end(END).days(370).intervalSeconds(1800).build();
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    List<String> ids = sample.locations().stream().map(l -> l.id()).toList();
    ZoneId orgZone = ZoneId.of(sample.organization().timezone());
    Instant cutoff = END.minus(RAW_RETENTION).truncatedTo(ChronoUnit.HOURS);
    Instant yearEnd = END.truncatedTo(ChronoUnit.DAYS);
    Instant oldHour = yearEnd.minus(Duration.ofDays(325)).plus(Duration.ofHours(7));

    Analyses before;
    LocationComparison subHourBefore;
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).build()) {
      sample.load(fleet);
      before = analyses(fleet, ids, orgZone);
      subHourBefore = fleet.fleetAnalyzer().compareLocations(
          ADMIN, ORG, ids, oldHour.plus(Duration.ofMinutes(10)), yearEnd);
    }
    String rollupsBefore = rollupFingerprint(db);
    long rawBefore = rawRowsBefore(db, cutoff);
    assertThat(rawBefore).as("raw rows before the cutoff").isGreaterThan(10_000);
    // the raw rows of the partial hour do count before the drop
    assertThat(performance(subHourBefore)).isNotEqualTo(performance(before.subHourAfterWholeHour()));

    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).retentionHorizon(Duration.ofDays(90)).build()) {
      RawHistoryDrop drop = fleet.maintenance().dropRawHistoryBefore(ADMIN, ORG, cutoff);
      assertThat(drop.rowsDeleted()).isEqualTo(rawBefore);
      assertThat(drop.organizationId()).isEqualTo(ORG);
      assertThat(rawRowsBefore(db, cutoff)).isZero();
      assertThat(rawRowsBefore(db, Instant.parse("9999-01-01T00:00:00Z"))).isPositive();
      assertThat(rollupFingerprint(db)).as("the rollups keep every row").isEqualTo(rollupsBefore);

      Analyses after = analyses(fleet, ids, orgZone);
      assertSame(after.year(), before.year());
      assertSame(after.benchmark(), before.benchmark());
      assertSame(after.trends(), before.trends());
      assertSame(after.reliability(), before.reliability());
      assertSame(after.oldMonth(), before.oldMonth());
      assertSame(after, before);

      // a window starting 10 minutes into a dropped hour is answered from the whole hours after it
      LocationComparison subHourAfter = fleet.fleetAnalyzer().compareLocations(
          ADMIN, ORG, ids, oldHour.plus(Duration.ofMinutes(10)), yearEnd);
      // (equal up to the last bits a different summation order may change)
      assertThat(subHourAfter.locations())
          .usingRecursiveFieldByFieldElementComparator(
              org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                  .withComparatorForType(CLOSE, Double.class).build())
          .isEqualTo(before.subHourAfterWholeHour().locations());

      // the writer refuses a late snapshot in the dropped range: the rollups stay as they were
      FleetMetrics late = sample.metrics().iterator().next();
      assertThat(late.timestamp()).isBefore(cutoff);
      WriteReport w = fleet.writer().writeMetrics(ADMIN, ORG, List.of(late));
      assertThat(w.quarantined()).isEqualTo(1);
      assertThat(rollupFingerprint(db)).isEqualTo(rollupsBefore);
      assertSame(analyses(fleet, ids, orgZone), before);

      // a second drop finds nothing left to delete
      assertThat(fleet.maintenance().dropRawHistoryBefore(ADMIN, ORG, cutoff).rowsDeleted()).isZero();
    }
  }

  @Test
  void theCutoffRulesAreEnforced(FleetDatabase db) {
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).retentionHorizon(Duration.ofDays(90)).build()) {
      Instant old = END.minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.HOURS);
      assertThatThrownBy(() -> fleet.maintenance().dropRawHistoryBefore(ADMIN, ORG, old.plusSeconds(60)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("is not a whole UTC hour")
          .hasMessageContaining(old.plusSeconds(60).toString());
      Instant tooRecent = END.minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.HOURS);
      assertThatThrownBy(() -> fleet.maintenance().dropRawHistoryBefore(ADMIN, ORG, tooRecent))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("retention horizon")
          .hasMessageContaining(tooRecent.toString());
      assertThatThrownBy(() -> fleet.maintenance().dropRawHistoryBefore(OPERATOR, ORG, old))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("admin");
      assertThatThrownBy(() -> fleet.maintenance().dropRawHistoryBefore(
              CallerContext.of("ops", "other", Role.MAINTENANCE), ORG, old))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> fleet.maintenance().dropRawChunksBefore(
              CallerContext.of("ops", ORG, Role.OPERATOR), old))
          .isInstanceOf(AccessDeniedException.class);
      if (!db.isTimescale()) {
        assertThatThrownBy(() -> fleet.maintenance().dropRawChunksBefore(ADMIN, old))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("not a TimescaleDB hypertable");
      }
    }
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(clock).build()) {
      Instant old = END.minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.HOURS);
      // the default horizon (ten years) keeps every raw row droppable only after ten years
      assertThatThrownBy(() -> fleet.maintenance().dropRawHistoryBefore(ADMIN, ORG, old))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("retentionHorizon");
    }
  }

  /**
   * Equal, every number up to the last bits that another summation order (another plan over the
   * same rollup rows) may change: relative 1e-12.
   */
  static void assertSame(Object actual, Object expected) {
    assertThat(actual).usingRecursiveComparison()
        .withComparatorForType(CLOSE, Double.class)
        .isEqualTo(expected);
  }

  static List<?> performance(LocationComparison c) {
    return c.locations();
  }

  /** Every rollup row, in key order, as text: equal text means equal rollups. */
  static String rollupFingerprint(FleetDatabase db) throws SQLException {
    return rollupFingerprint(db.dataSource(), db.schema());
  }

  static String rollupFingerprint(javax.sql.DataSource ds, String schema) throws SQLException {
    String s = "\"" + schema + "\"";
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
      StringBuilder out = new StringBuilder();
      for (String sql : List.of(
          "SELECT md5(string_agg(h::text, '|' ORDER BY h.organization_id, h.location_id, h.hour)), count(*)"
              + " FROM " + s + ".fleet_metrics_hourly h",
          "SELECT md5(string_agg(d::text, '|' ORDER BY d.organization_id, d.location_id, d.local_date)), count(*)"
              + " FROM " + s + ".fleet_metrics_daily d")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          rs.next();
          assertThat(rs.getLong(2)).isPositive();
          out.append(rs.getString(1)).append(':').append(rs.getLong(2)).append(' ');
        }
      }
      return out.toString();
    }
  }

  static long rawRowsBefore(FleetDatabase db, Instant t) throws SQLException {
    return rawRowsBefore(db.dataSource(), db.schema(), t);
  }

  static long rawRowsBefore(javax.sql.DataSource ds, String schema, Instant t) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT count(*) FROM \"" + schema + "\".fleet_metrics WHERE \"timestamp\" < ?")) {
      p.setTimestamp(1, Timestamp.from(t));
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
