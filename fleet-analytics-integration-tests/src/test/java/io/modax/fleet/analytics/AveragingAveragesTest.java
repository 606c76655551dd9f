package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet where averaging averages gives the wrong OEE, MTBF and MTTR, and the library the right
 * ones. Every expected number is worked out by hand in the comments.
 *
 * <p>The fleet (time zone UTC, so local days are UTC days), on day 1:
 *
 * <ul>
 *   <li>BIG: 100 devices, 24 hourly snapshots, each 95 production + 5 downtime device-hours, OEE
 *       0.85, 2 failures repaired in 1.0 h each, its own MTBF figure 47.5 h.
 *   <li>SMALL: 2 devices, 288 five-minute snapshots (a 12 times higher reporting rate), each 1/12
 *       production + 1/12 downtime device-hours, OEE 0.30; one snapshot has the day's only failure,
 *       repaired in 20 h; its own MTBF figure 2.0 h.
 *   <li>X: 10 devices, 24 hourly snapshots, 9 + 1 device-hours, OEE 0.70, no failures.
 * </ul>
 *
 * On day 2 only BIG reports: 24 hourly snapshots like day 1 but a single failure (repaired in 10 h).
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class AveragingAveragesTest {

  static final String ORG = "avg-org";
  static final Instant DAY1 = Instant.parse("2026-03-10T00:00:00Z");
  static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));
  static final Instant NOW = DAY1.plus(Duration.ofDays(3));
  static final CallerContext CALLER = CallerContext.of("analyst", ORG, Role.READ_ONLY);
  // day 1 without the next day's first snapshot: the same rows in both modes
  static final Window DAY1_WINDOW = Window.between(DAY1, DAY2.minus(Duration.ofMinutes(1)));

  @BeforeAll
  static void load(FleetDatabase db) {
    CallerContext admin = CallerContext.of("loader", ORG, Role.ADMIN);
    List<FleetMetrics> rows = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      rows.add(row("BIG", DAY1.plus(Duration.ofHours(h)), 3600, 100, 95, 5, 0.85, 2, 1.0, 47.5));
      rows.add(row("X", DAY1.plus(Duration.ofHours(h)), 3600, 10, 9, 1, 0.70, 0, null, null));
      rows.add(row("BIG", DAY2.plus(Duration.ofHours(h)), 3600, 100, 95, 5, 0.85, h == 12 ? 1 : 0,
          h == 12 ? 10.0 : null, 95.0));
    }
    for (int i = 0; i < 288; i++) {
      rows.add(row("SMALL", DAY1.plus(Duration.ofMinutes(5L * i)), 300, 2, 1 / 12.0, 1 / 12.0, 0.30,
          i == 100 ? 1 : 0, i == 100 ? 20.0 : null, 2.0));
    }
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      fleet.writer().writeOrganization(admin, new Organization(ORG, "Averages Inc.", "UTC", "EUR"));
      fleet.writer().writeLocations(admin, ORG, List.of(
          Location.of(ORG, "BIG", "Big plant", "UTC").withSnapshotIntervalSeconds(3600),
          Location.of(ORG, "SMALL", "Small plant", "UTC"),
          Location.of(ORG, "X", "Plant X", "UTC").withSnapshotIntervalSeconds(3600)));
      WriteReport report = fleet.writer().writeMetrics(admin, ORG, rows);
      assertThat(report.quarantined()).isZero();
      assertThat(report.inserted()).isEqualTo(24 * 3 + 288);
    }
  }

  static FleetMetrics row(String location, Instant t, int seconds, int devices, double production,
      double downtime, double oee, int failures, Double mttr, Double mtbf) {
    return FleetMetrics.builder(ORG, location, t).intervalSeconds(seconds).deviceCount(devices)
        .avgUptime(production / (production + downtime)).avgEfficiency(0.9).avgEnergyConsumption(10.0)
        .totalProductionHours(production).totalDowntimeHours(downtime).oee(oee)
        .totalFailures(failures).mttr(mttr).mtbf(mtbf).build();
  }

  static FleetAnalytics analytics(FleetDatabase db, AggregationMode mode) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).aggregationMode(mode).build();
  }

  @Test
  void fleetOeeMtbfAndMttrAreRatiosOfSumsNotAveragesOfAverages(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      // X against the rest of the fleet, BIG + SMALL, on day 1
      LocationBenchmark b = fleet.benchmarking().benchmarkLocation(CALLER, ORG, "X", DAY1_WINDOW);
      // OEE: fully productive / planned hours = (0.85 x 2400 + 0.30 x 48) / (2400 + 48) = 2054.4 / 2448
      double oee = 2054.4 / 2448;
      // MTBF: production hours / failures = (95 x 24 + 288 / 12) / (2 x 24 + 1) = 2304 / 49
      double mtbf = 2304.0 / 49;
      // MTTR: repair hours / failures = (48 x 1.0 + 1 x 20) / 49 = 68 / 49
      double mttr = 68.0 / 49;
      assertThat(b.metric(Metric.OEE).fleetValue()).isCloseTo(oee, within(1e-12)); // 0.8392
      assertThat(b.metric(Metric.MTBF).fleetValue()).isCloseTo(mtbf, within(1e-9)); // 47.02 h
      assertThat(b.metric(Metric.MTTR).fleetValue()).isCloseTo(mttr, within(1e-12)); // 1.388 h

      // averaging the two plants' averages: OEE (0.85 + 0.30) / 2, MTBF (47.5 + 2.0) / 2 (their own
      // figures) or (47.5 + 24) / 2 (recomputed per plant), MTTR (1.0 + 20) / 2
      assertThat(b.metric(Metric.OEE).fleetValue()).isNotCloseTo(0.575, within(0.2));
      assertThat(b.metric(Metric.MTBF).fleetValue()).isNotCloseTo(24.75, within(20.0)).isNotCloseTo(35.75, within(10.0));
      assertThat(b.metric(Metric.MTTR).fleetValue()).isNotCloseTo(10.5, within(8.0));

      // the overview's fleet OEE over everything: (2054.4 + 0.85 x 2400 + 0.70 x 240) / (2448 + 2400 + 240)
      assertThat(fleet.fleetAnalyzer().overview(CALLER, ORG).overallOee())
          .isCloseTo((2054.4 + 2040 + 168) / 5088, within(1e-12));
      assertThat(fleet.dashboard().fleetHealth(CALLER, ORG, FleetHealth.Thresholds.DEFAULT, Window.lastDays(3)).oee())
          .isCloseTo((2054.4 + 2040 + 168) / 5088, within(1e-12));
    }
  }

  @Test
  void theDesignsSqlAveragesRowsAndGetsThemWrong(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db, AggregationMode.SEED_COMPATIBLE)) {
      LocationBenchmark b = fleet.benchmarking().benchmarkLocation(CALLER, ORG, "X", DAY1_WINDOW);
      // the design's AVG over all 336 rows of day 1 (X included): every SMALL row weighs as much
      // as a BIG one although it covers 1/600 of the planned time
      assertThat(b.metric(Metric.OEE).fleetValue()).isCloseTo((0.85 * 24 + 0.30 * 288 + 0.70 * 24) / 336, within(1e-12)); // 0.368
      assertThat(b.metric(Metric.MTBF).fleetValue()).isCloseTo((47.5 * 24 + 2.0 * 288) / 312, within(1e-12)); // 5.5 h
      assertThat(b.metric(Metric.MTTR).fleetValue()).isCloseTo((1.0 * 24 + 20) / 25, within(1e-12)); // 1.76 h
    }
  }

  @Test
  void aLocationsFiguresOverSeveralPeriodsAreRatiosOfSumsToo(FleetDatabase db) {
    Window twoDays = Window.between(DAY1, DAY2.plus(Duration.ofDays(1)));
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      // BIG: day 1 MTBF 2280 / 48 = 47.5 h, day 2 MTBF 2280 / 1 = 2280 h
      FailureTrends daily = fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.DAY, twoDays);
      assertThat(daily.of("BIG")).extracting(FailureTrend::mtbf).containsExactly(47.5, 2280.0);
      // the month: 4560 / 49 = 93.06 h, not the average of the days' MTBFs, 1163.75 h
      FailureTrends monthly = fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.MONTH, twoDays);
      assertThat(monthly.of("BIG").get(0).mtbf()).isCloseTo(4560.0 / 49, within(1e-9));
      // the two days' MTTR: (48 x 1.0 + 1 x 10) / 49 = 1.18 h, not (1.0 + 10) / 2 = 5.5 h
      LocationComparison cmp = fleet.fleetAnalyzer().compareLocations(CALLER, ORG, List.of("BIG"),
          DAY1, DAY2.plus(Duration.ofDays(1)));
      assertThat(cmp.locations().get(0).mttr()).isCloseTo(58.0 / 49, within(1e-12));
      assertThat(cmp.locations().get(0).mtbf()).isCloseTo(4560.0 / 49, within(1e-9));
    }
  }
}
