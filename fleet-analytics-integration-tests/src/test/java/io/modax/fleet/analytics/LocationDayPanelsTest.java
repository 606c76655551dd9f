package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The location-day panels (daily failure trends, the cost panel, and the dashboard, which reads
 * the daily rollup once for both) against an independent computation from the rows and events
 * written, grouped in Java by each location's local date ({@link LocalDate#ofInstant}).
 *
 * <p>Three locations whose local days are far from UTC days: KOL (Asia/Kolkata, UTC+5:30, half an
 * hour off every UTC hour), AKL (Pacific/Auckland, 25-hour day on 2026-04-05) and LON
 * (Europe/London, 23-hour day on 2026-03-29). Snapshots every 30 minutes with failures and downtime
 * that vary by the half hour, and events at 23:30 and 00:15 local time on every fifth day and on
 * the DST days (and, on those, one without a cost at 23:59): grouping by UTC day, by a fixed offset
 * or by a whole-hour offset puts some of them on the wrong day.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class LocationDayPanelsTest {

  static final String ORG = "day-org";
  static final Instant NOW = Instant.parse("2026-04-10T07:20:00Z");
  static final CallerContext CALLER = CallerContext.of("analyst", ORG, Role.READ_ONLY);
  static final Map<String, ZoneId> ZONES = Map.of(
      "KOL", ZoneId.of("Asia/Kolkata"), "AKL", ZoneId.of("Pacific/Auckland"), "LON", ZoneId.of("Europe/London"));
  static final BigDecimal RATE = new BigDecimal("80.00");

  record Row(String location, Instant t, long failures, double production, double downtime) {}

  record Event(String location, Instant at, boolean planned, @org.jspecify.annotations.Nullable BigDecimal cost) {}

  static final List<Row> ROWS = new ArrayList<>();
  static final List<Event> EVENTS = new ArrayList<>();

  @BeforeAll
  static void load(FleetDatabase db) {
    CallerContext admin = CallerContext.of("loader", ORG, Role.ADMIN);
    Instant from = NOW.minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    List<FleetMetrics> metrics = new ArrayList<>();
    List<MaintenanceEvent> events = new ArrayList<>();
    int n = 0;
    for (String id : List.of("AKL", "KOL", "LON")) {
      for (Instant t = from; t.isBefore(NOW); t = t.plus(Duration.ofMinutes(30))) {
        long k = t.getEpochSecond() / 1800;
        long failures = (k * 7 + id.charAt(0)) % 4;
        double production = 0.25 + (k % 5) * 0.05;
        double downtime = 0.5 - production;
        ROWS.add(new Row(id, t, failures, production, downtime));
        metrics.add(FleetMetrics.builder(ORG, id, t).intervalSeconds(1800).deviceCount(1).avgUptime(0.7)
            .oee(0.6).totalProductionHours(production).totalDowntimeHours(downtime).totalFailures((int) failures)
            .mttr(0.5).build());
      }
      ZoneId zone = ZONES.get(id);
      LocalDate last = LocalDate.ofInstant(NOW, zone);
      for (LocalDate d = LocalDate.ofInstant(from, zone).plusDays(1); d.isBefore(last); d = d.plusDays(1)) {
        boolean dst = d.equals(LocalDate.of(2026, 4, 5)) || d.equals(LocalDate.of(2026, 3, 29))
            || d.equals(LocalDate.of(2026, 4, 4)) || d.equals(LocalDate.of(2026, 3, 28));
        if (d.getDayOfMonth() % 5 != 0 && !dst) {
          continue;
        }
        // 23:30 and, the next local day, 00:15: an hour or less from local midnight
        Instant late = d.atTime(LocalTime.of(23, 30)).atZone(zone).toInstant();
        Instant early = d.plusDays(1).atTime(LocalTime.of(0, 15)).atZone(zone).toInstant();
        BigDecimal c1 = new BigDecimal(100 + d.getDayOfMonth() + ".25");
        BigDecimal c2 = new BigDecimal(10 + d.getDayOfMonth() + ".50");
        EVENTS.add(new Event(id, late, false, c1));
        EVENTS.add(new Event(id, early, true, c2));
        events.add(MaintenanceEvent.failure(ORG, "e" + n++, id, null, late, 1.0, c1, List.of()));
        events.add(new MaintenanceEvent(ORG, "e" + n++, id, null, early, EventType.MAINTENANCE, true, 0.5, c2, null,
            List.of()));
        if (dst) {
          // an event without a cost, a minute before local midnight: counted, not summed
          Instant uncosted = d.atTime(LocalTime.of(23, 59)).atZone(zone).toInstant();
          EVENTS.add(new Event(id, uncosted, false, null));
          events.add(new MaintenanceEvent(ORG, "e" + n++, id, null, uncosted, EventType.MAINTENANCE, false, 0.5, null,
              null, List.of()));
        }
      }
    }
    try (FleetAnalytics fleet = analytics(db)) {
      fleet.writer().writeOrganization(admin, new Organization(ORG, "Days Inc.", "UTC", "EUR"));
      List<Location> locations = new ArrayList<>();
      for (String id : List.of("AKL", "KOL", "LON")) {
        locations.add(Location.of(ORG, id, id, ZONES.get(id).getId()).withSnapshotIntervalSeconds(1800)
            .withDowntimeCostPerHour(RATE));
      }
      fleet.writer().writeLocations(admin, ORG, locations);
      assertThat(fleet.writer().writeMetrics(admin, ORG, metrics).quarantined()).isZero();
      assertThat(fleet.writer().writeEvents(admin, ORG, events).quarantined()).isZero();
    }
  }

  static FleetAnalytics analytics(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  /** One location's local day, summed from the rows and events in Java. */
  static final class Day {
    long snapshots;
    long failures;
    double production;
    double downtime;
    BigDecimal planned = BigDecimal.ZERO;
    BigDecimal unplanned = BigDecimal.ZERO;
    long withoutCost;
  }

  static Map<LocalDate, Day> days(String id) {
    ZoneId zone = ZONES.get(id);
    Map<LocalDate, Day> out = new TreeMap<>();
    for (Row r : ROWS) {
      if (r.location().equals(id)) {
        Day d = out.computeIfAbsent(LocalDate.ofInstant(r.t(), zone), k -> new Day());
        d.snapshots++;
        d.failures += r.failures();
        d.production += r.production();
        d.downtime += r.downtime();
      }
    }
    for (Event e : EVENTS) {
      if (e.location().equals(id)) {
        Day d = out.computeIfAbsent(LocalDate.ofInstant(e.at(), zone), k -> new Day());
        if (e.cost() == null) {
          d.withoutCost++;
        } else if (e.planned()) {
          d.planned = d.planned.add(e.cost());
        } else {
          d.unplanned = d.unplanned.add(e.cost());
        }
      }
    }
    return out;
  }

  @Test
  void dailyTrendsAndCostsAreEachLocationsLocalDaysInTheDashboardAndAlone(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      DashboardData all = fleet.dashboard().dashboard(CALLER, ORG);
      FailureTrends trends = all.failureTrends();
      MaintenanceCosts costs = all.costAnalysis();
      // the dashboard's shared read answers exactly as the panels read alone
      assertThat(trends).isEqualTo(fleet.dashboard().failureTrends(CALLER, ORG));
      assertThat(trends).isEqualTo(fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.DAY,
          FleetDashboard.TRENDS_WINDOW));
      assertThat(costs).isEqualTo(fleet.dashboard().maintenanceCosts(CALLER, ORG));
      assertThat(costs).isEqualTo(fleet.dashboard().maintenanceCosts(CALLER, ORG, TrendPeriod.DAY,
          FleetDashboard.TRENDS_WINDOW));
      assertTrends(trends);
      assertCosts(costs);
      // a year: every location's days since its first snapshot
      assertTrends(fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.DAY));
      assertCosts(fleet.dashboard().maintenanceCosts(CALLER, ORG, TrendPeriod.DAY, Window.lastDays(90)));
    }
  }

  static void assertTrends(FailureTrends trends) {
    List<FailureTrend> expected = new ArrayList<>();
    for (String id : ZONES.keySet()) {
      ZoneId zone = ZONES.get(id);
      Map<LocalDate, Day> days = days(id);
      LocalDate first = LocalDate.ofInstant(trends.start(), zone);
      LocalDate last = LocalDate.ofInstant(trends.end().minusNanos(1000), zone);
      Day previous = days.get(first.minusDays(1));
      boolean begun = previous != null && previous.snapshots > 0;
      for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
        Day day = days.get(d);
        boolean data = day != null && day.snapshots > 0;
        begun |= data;
        if (!begun) {
          continue;
        }
        Instant start = d.atStartOfDay(zone).toInstant();
        Instant end = d.plusDays(1).atStartOfDay(zone).toInstant();
        Long prev = previous != null && previous.snapshots > 0 ? previous.failures : null;
        expected.add(new FailureTrend(id, id, d, d.plusDays(1), start, end, !end.isAfter(NOW),
            data ? day.failures : 0, data && day.failures > 0 ? day.production / day.failures : null,
            data ? day.production : 0, data ? day.snapshots : 0, prev, null, FailureTrend.Change.NO_DATA));
        previous = day;
      }
    }
    expected.sort(Comparator.comparing(FailureTrend::periodStart).thenComparing(FailureTrend::locationId));
    assertThat(trends.trends()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      FailureTrend a = trends.trends().get(i);
      FailureTrend e = expected.get(i);
      String at = e.locationId() + " " + e.periodStart();
      assertThat(a.locationId()).as(at).isEqualTo(e.locationId());
      assertThat(a.periodStart()).as(at).isEqualTo(e.periodStart());
      assertThat(a.start()).as(at).isEqualTo(e.start());
      assertThat(a.end()).as(at).isEqualTo(e.end());
      assertThat(a.complete()).as(at).isEqualTo(e.complete());
      assertThat(a.failures()).as(at).isEqualTo(e.failures());
      assertThat(a.snapshotCount()).as(at).isEqualTo(e.snapshotCount());
      assertThat(a.productionHours()).as(at).isCloseTo(e.productionHours(), within(1e-9));
      if (e.mtbf() == null) {
        assertThat(a.mtbf()).as(at).isNull();
      } else {
        assertThat(a.mtbf()).as(at).isCloseTo(e.mtbf(), within(1e-9));
      }
      assertThat(a.previousFailures()).as(at).isEqualTo(e.previousFailures());
    }
  }

  static void assertCosts(MaintenanceCosts costs) {
    int rows = 0;
    List<MaintenanceCosts.LocationPeriod> sorted = new ArrayList<>(costs.rows());
    sorted.sort(Comparator.comparing(MaintenanceCosts.LocationPeriod::periodStart)
        .thenComparing(MaintenanceCosts.LocationPeriod::locationId));
    assertThat(costs.rows()).as("ordered by day, then location").isEqualTo(sorted);
    BigDecimal total = BigDecimal.ZERO;
    long withoutCost = 0;
    for (String id : ZONES.keySet()) {
      ZoneId zone = ZONES.get(id);
      Map<LocalDate, Day> days = days(id);
      LocalDate first = LocalDate.ofInstant(costs.start(), zone);
      LocalDate last = LocalDate.ofInstant(costs.end().minusNanos(1000), zone);
      List<MaintenanceCosts.LocationPeriod> mine = costs.rows().stream().filter(r -> r.locationId().equals(id)).toList();
      int i = 0;
      for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1), i++) {
        MaintenanceCosts.LocationPeriod r = mine.get(i);
        String at = id + " " + d;
        Day day = days.getOrDefault(d, new Day());
        assertThat(r.periodStart()).as(at).isEqualTo(d);
        assertThat(r.plannedMaintenanceCost()).as(at).isEqualTo(day.planned.setScale(2, RoundingMode.HALF_EVEN));
        assertThat(r.unplannedMaintenanceCost()).as(at).isEqualTo(day.unplanned.setScale(2, RoundingMode.HALF_EVEN));
        assertThat(r.downtimeHours()).as(at).isCloseTo(day.downtime, within(1e-9));
        assertThat(r.downtimeCost()).as(at).isEqualTo(
            RATE.multiply(BigDecimal.valueOf(r.downtimeHours())).setScale(2, RoundingMode.HALF_EVEN));
        assertThat(r.eventsWithoutCost()).as(at).isEqualTo(day.withoutCost);
        withoutCost += day.withoutCost;
        total = total.add(day.planned).add(day.unplanned);
      }
      assertThat(mine).hasSize(i);
      rows += i;
    }
    assertThat(costs.rows()).hasSize(rows);
    assertThat(total).as("events fall in the window").isPositive();
    assertThat(withoutCost).as("events without a cost fall in the window").isPositive();
  }
}
