package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Day and month buckets follow each location's own calendar across DST changes, far from UTC:
 *
 * <ul>
 *   <li>AKL, Pacific/Auckland (UTC+13 until 2026-04-05 03:00, then +12): the local day 2026-04-05
 *       has 25 hours; the month March ends at 2026-03-31T11:00Z.
 *   <li>ANC, America/Anchorage (UTC-9 until 2026-03-08 02:00, then -8): 2026-03-08 has 23 hours;
 *       March starts at 2026-03-01T09:00Z.
 * </ul>
 *
 * Each location sends one snapshot per hour with one failure, so a day's failure count is its
 * length in hours.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class LocalCalendarTest {

  static final String ORG = "dst-org";
  static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
  static final ZoneId ANCHORAGE = ZoneId.of("America/Anchorage");
  static final CallerContext CALLER = CallerContext.of("analyst", ORG, Role.READ_ONLY);
  static final Instant NOW = Instant.parse("2026-04-20T00:00:00Z");

  static final LocalDate AKL_FIRST = LocalDate.of(2026, 3, 29);
  static final LocalDate AKL_END = LocalDate.of(2026, 4, 8);
  static final LocalDate ANC_FIRST = LocalDate.of(2026, 2, 26);
  static final LocalDate ANC_END = LocalDate.of(2026, 3, 11);

  @BeforeAll
  static void load(FleetDatabase db) {
    CallerContext admin = CallerContext.of("loader", ORG, Role.ADMIN);
    List<FleetMetrics> rows = new ArrayList<>();
    hourly(rows, "AKL", AKL_FIRST.atStartOfDay(AUCKLAND).toInstant(), AKL_END.atStartOfDay(AUCKLAND).toInstant());
    hourly(rows, "ANC", ANC_FIRST.atStartOfDay(ANCHORAGE).toInstant(), ANC_END.atStartOfDay(ANCHORAGE).toInstant());
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      fleet.writer().writeOrganization(admin, new Organization(ORG, "DST Inc.", "UTC", "NZD"));
      fleet.writer().writeLocations(admin, ORG, List.of(
          Location.of(ORG, "AKL", "Auckland", AUCKLAND.getId()).withSnapshotIntervalSeconds(3600)
              .withDowntimeCostPerHour(new BigDecimal("100.00")),
          Location.of(ORG, "ANC", "Anchorage", ANCHORAGE.getId()).withSnapshotIntervalSeconds(3600)));
      assertThat(fleet.writer().writeMetrics(admin, ORG, rows).quarantined()).isZero();
      // 2026-04-01 00:30 in Auckland is still 2026-03-31 in UTC
      fleet.writer().writeEvents(admin, ORG, List.of(
          MaintenanceEvent.failure(ORG, "akl-1", "AKL", null, Instant.parse("2026-03-31T11:30:00Z"), 2.0,
              new BigDecimal("500.00"), List.of()),
          // 2026-04-05 02:30, the second time round (NZST): still 2026-04-05 locally
          MaintenanceEvent.failure(ORG, "akl-2", "AKL", null, Instant.parse("2026-04-04T14:30:00Z"), 1.0,
              new BigDecimal("70.00"), List.of())));
    }
  }

  static void hourly(List<FleetMetrics> rows, String location, Instant from, Instant to) {
    for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofHours(1))) {
      rows.add(FleetMetrics.builder(ORG, location, t).intervalSeconds(3600).deviceCount(1)
          .avgUptime(0.75).oee(0.6).totalProductionHours(0.75).totalDowntimeHours(0.25)
          .totalFailures(1).mttr(0.5).build());
    }
  }

  static FleetAnalytics analytics(FleetDatabase db, AggregationMode mode) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).aggregationMode(mode).build();
  }

  @Test
  void dailyBucketsAreLocalDaysOf23To25Hours(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      FailureTrends akl = fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.DAY, Window.between(
          AKL_FIRST.atStartOfDay(AUCKLAND).toInstant(), AKL_END.atStartOfDay(AUCKLAND).toInstant()));
      List<FailureTrend> days = akl.of("AKL");
      assertThat(days).extracting(FailureTrend::periodStart)
          .containsExactlyElementsOf(AKL_FIRST.datesUntil(AKL_END).toList());
      for (FailureTrend d : days) {
        long hours = d.periodStart().equals(LocalDate.of(2026, 4, 5)) ? 25 : 24;
        assertThat(d.failures()).as(d.periodStart().toString()).isEqualTo(hours);
        assertThat(d.snapshotCount()).isEqualTo(hours);
        assertThat(Duration.between(d.start(), d.end()).toHours()).isEqualTo(hours);
      }
      FailureTrend fallBack = days.get(7);
      assertThat(fallBack.periodStart()).isEqualTo(LocalDate.of(2026, 4, 5));
      assertThat(fallBack.start()).isEqualTo(Instant.parse("2026-04-04T11:00:00Z"));
      assertThat(fallBack.end()).isEqualTo(Instant.parse("2026-04-05T12:00:00Z"));
      // 25 failures against the previous day's 24
      assertThat(fallBack.changePercent()).isCloseTo(100.0 / 24, org.assertj.core.api.Assertions.within(1e-9));

      FailureTrends anc = fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.DAY, Window.between(
          ANC_FIRST.atStartOfDay(ANCHORAGE).toInstant(), ANC_END.atStartOfDay(ANCHORAGE).toInstant()));
      for (FailureTrend d : anc.of("ANC")) {
        long hours = d.periodStart().equals(LocalDate.of(2026, 3, 8)) ? 23 : 24;
        assertThat(d.failures()).as(d.periodStart().toString()).isEqualTo(hours);
      }
      assertThat(anc.of("ANC")).hasSize(13);
    }
  }

  @Test
  void monthlyBucketsAreLocalMonths(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      FailureTrends months = fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.MONTH,
          Window.between(Instant.parse("2026-02-27T00:00:00Z"), Instant.parse("2026-04-08T00:00:00Z")));
      // AKL: March = 29th to 31st local = 72 hours; April = 1st to 7th local, one 25-hour day = 169
      assertThat(months.of("AKL")).extracting(FailureTrend::periodStart, FailureTrend::failures)
          // February, before AKL's first snapshot, is not padded with an empty row (issue 16)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 3, 1), 72L),
              org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 4, 1), 169L));
      FailureTrend march = months.of("AKL").get(0);
      assertThat(march.start()).isEqualTo(Instant.parse("2026-02-28T11:00:00Z"));
      assertThat(march.end()).isEqualTo(Instant.parse("2026-03-31T11:00:00Z"));
      assertThat(march.change()).isEqualTo(FailureTrend.Change.NO_PREVIOUS_PERIOD);
      // ANC: February = 26th to 28th = 72 hours; March = 1st to 10th local, one 23-hour day = 239
      assertThat(months.of("ANC")).extracting(FailureTrend::periodStart, FailureTrend::failures)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 2, 1), 72L),
              org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 3, 1), 239L),
              org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 4, 1), 0L));
      assertThat(months.of("ANC").get(1).start()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    }
  }

  @Test
  void costBucketsAreLocalDaysToo(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db, AggregationMode.EXPOSURE_WEIGHTED)) {
      MaintenanceCosts costs = fleet.dashboard().maintenanceCosts(CALLER, ORG, TrendPeriod.DAY, Window.between(
          AKL_FIRST.atStartOfDay(AUCKLAND).toInstant(), AKL_END.atStartOfDay(AUCKLAND).toInstant()));
      List<MaintenanceCosts.LocationPeriod> akl = costs.rows().stream().filter(r -> r.locationId().equals("AKL")).toList();
      assertThat(akl).extracting(MaintenanceCosts.LocationPeriod::periodStart)
          .containsExactlyElementsOf(AKL_FIRST.datesUntil(AKL_END).toList());
      for (MaintenanceCosts.LocationPeriod d : akl) {
        BigDecimal expected = d.periodStart().equals(LocalDate.of(2026, 4, 1)) ? new BigDecimal("500.00")
            : d.periodStart().equals(LocalDate.of(2026, 4, 5)) ? new BigDecimal("70.00") : BigDecimal.ZERO;
        assertThat(d.unplannedMaintenanceCost()).as(d.periodStart().toString()).isEqualByComparingTo(expected);
        double downtime = (d.periodStart().equals(LocalDate.of(2026, 4, 5)) ? 25 : 24) * 0.25;
        assertThat(d.downtimeHours()).isEqualTo(downtime);
        assertThat(d.downtimeCost()).isEqualByComparingTo(BigDecimal.valueOf(downtime * 100));
      }
      assertThat(costs.currency()).isEqualTo("NZD");
    }
  }

  @Test
  void seedCompatibleModeKeepsTheDesignsUtcBuckets(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db, AggregationMode.SEED_COMPATIBLE)) {
      FailureTrends months = fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.MONTH,
          Window.between(Instant.parse("2026-02-27T00:00:00Z"), Instant.parse("2026-04-08T00:00:00Z")));
      // AKL's rows from 2026-03-28T11:00Z to 2026-03-31T23:00Z fall in the UTC March: 85 hours
      assertThat(months.of("AKL")).extracting(FailureTrend::periodStart, FailureTrend::failures)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 3, 1), 85L),
              org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 4, 1), 156L));
    }
  }
}
