package io.modax.fleet.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reports on the sample fleet and on two small synthetic fleets: one with a known problem (a
 * location whose repairs take twice as long as the rest's) and one healthy (alike locations, OEE
 * in the good band), which must get no recommendation at all.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class FleetReportsTest {

  /** A Wednesday (UTC): last week is Monday 8 to Sunday 14 June 2026 in Berlin. */
  static final Instant NOW = Instant.parse("2026-06-17T10:35:00Z");
  static final String ACME = SampleFleet.ORGANIZATION_ID;

  static final List<ReportFixtures.Plant> HEALTHY = List.of(
      new ReportFixtures.Plant("H1", "Plant North", 53.55, 9.99, 20, 0.94, 0.935, 0.004, 2.0),
      new ReportFixtures.Plant("H2", "Plant South", 48.14, 11.58, 20, 0.94, 0.935, 0.004, 2.0),
      new ReportFixtures.Plant("H3", "Plant West", 50.94, 6.96, 20, 0.94, 0.935, 0.004, 2.0));
  static final List<ReportFixtures.Plant> PROBLEM = List.of(
      new ReportFixtures.Plant("P1", "Plant Lyon", 45.76, 4.84, 20, 0.94, 0.935, 0.004, 2.2),
      new ReportFixtures.Plant("P2", "Plant Porto", 41.15, -8.61, 20, 0.94, 0.935, 0.004, 4.6),
      new ReportFixtures.Plant("P3", "Plant Turin", 45.07, 7.69, 20, 0.94, 0.935, 0.004, 2.2));

  @BeforeAll
  static void load(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      SampleFleet.builder().seed(11).end(NOW).days(28).build().load(fleet);
      ReportFixtures.load(fleet, "healthy", "Europe/Berlin", HEALTHY, NOW, 50, 7);
      ReportFixtures.load(fleet, "problem", "Europe/Paris", PROBLEM, NOW, 21, 7);
    }
  }

  static FleetAnalytics analytics(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  static CallerContext reader(String org) {
    return CallerContext.of("reader", org, Role.READ_ONLY);
  }

  @Test
  void aFleetWithSlowRepairsAtOneLocationGetsTheRecommendationThatNamesIt(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      ExecutiveSummary s = fleet.reports().executiveSummary(reader("problem"), "problem", ReportPeriod.WEEK);
      assertThat(s.recommendations()).hasSize(1);
      Recommendation r = s.recommendations().get(0);
      assertThat(r.topic()).isEqualTo(Recommendation.Topic.REPAIR_TIME);
      assertThat(r.locationId()).isEqualTo("P2");
      assertThat(r.metric()).isEqualTo(Metric.MTTR);
      // "Plant Porto's MTTR 4.6 h is 2.1x the rest of the fleet's 2.2 h: review spare-parts ..."
      assertThat(r.text()).matches("Plant Porto's MTTR 4\\.\\d h is 2\\.\\dx the rest of the fleet's 2\\.\\d h:"
          + " review spare-parts availability and repair procedures");
      double ratio = s.benchmarks().stream().filter(b -> b.locationId().equals("P2")).findFirst().orElseThrow()
          .metric(Metric.MTTR).locationValue()
          / s.benchmarks().stream().filter(b -> b.locationId().equals("P2")).findFirst().orElseThrow()
          .metric(Metric.MTTR).fleetValue();
      assertThat(r.evidence()).contains(String.format(java.util.Locale.ROOT, "%.1fx", ratio));
      Finding f = s.findings().stream().filter(x -> x.metric() == Metric.MTTR).findFirst().orElseThrow();
      assertThat(f.significance()).isNotNull();
      assertThat(f.significance().significant()).isTrue();
      assertThat(f.locationName()).isEqualTo("Plant Porto");
      // the location's own report says the same
      LocationReport l = fleet.reports().locationReport(reader("problem"), "problem", "P2", ReportPeriod.WEEK);
      assertThat(l.recommendations()).extracting(Recommendation::text).containsExactly(r.text());
      assertThat(fleet.reports().locationReport(reader("problem"), "problem", "P1", ReportPeriod.WEEK)
          .recommendations()).isEmpty();
    }
  }

  @Test
  void aHealthyFleetGetsNoRecommendationAndNoWarning(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      for (ReportPeriod period : ReportPeriod.values()) {
        ExecutiveSummary s = fleet.reports().executiveSummary(reader("healthy"), "healthy", period);
        assertThat(s.recommendations()).as(period + " recommendations").isEmpty();
        assertThat(s.findings()).as(period + " findings")
            .allSatisfy(f -> assertThat(f.severity()).isIn(Finding.Severity.INFO, Finding.Severity.POSITIVE));
        for (ReportFixtures.Plant p : HEALTHY) {
          assertThat(fleet.reports().locationReport(reader("healthy"), "healthy", p.id(), period).recommendations())
              .isEmpty();
        }
      }
      ExecutiveSummary week = fleet.reports().executiveSummary(reader("healthy"), "healthy", ReportPeriod.WEEK);
      assertThat(week.health().status()).isEqualTo(FleetHealth.Status.GOOD);
    }
  }

  @Test
  void theSampleFleetsWeeklySummary(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      ExecutiveSummary s = fleet.reports().executiveSummary(reader(ACME), ACME, ReportPeriod.WEEK);
      ZoneId berlin = ZoneId.of("Europe/Berlin");
      assertThat(s.window()).isEqualTo(new ReportWindow(ReportPeriod.WEEK, berlin, LocalDate.of(2026, 6, 8)));
      assertThat(s.window().start()).isEqualTo(Instant.parse("2026-06-07T22:00:00Z"));
      assertThat(s.complete()).isTrue();
      assertThat(s.organizationName()).isEqualTo("ACME Industrial");
      assertThat(s.keyMetrics()).extracting(KeyMetric::kind).containsExactly(KeyMetric.Kind.values());
      assertThat(s.keyMetric(KeyMetric.Kind.OEE).value()).isBetween(0.6, 0.95);
      assertThat(s.keyMetric(KeyMetric.Kind.OEE).previous()).isNotNull();
      assertThat(s.keyMetric(KeyMetric.Kind.MAINTENANCE_COST).value()).isPositive();
      // the design fleet: A best, B (slow repairs, low OEE) worst
      assertThat(s.best().locationId()).isEqualTo("A");
      assertThat(s.worst().locationId()).isEqualTo("B");
      assertThat(s.recommendations()).anySatisfy(r -> {
        assertThat(r.topic()).isEqualTo(Recommendation.Topic.REPAIR_TIME);
        assertThat(r.text()).startsWith("Plant B - Chicago's MTTR ");
      });
      assertThat(s.recommendations()).anySatisfy(r -> {
        assertThat(r.topic()).isEqualTo(Recommendation.Topic.EFFECTIVENESS);
        assertThat(r.locationId()).isEqualTo("B");
      });
      // every recommendation says the number behind it; none is about the best location A
      assertThat(s.recommendations()).allSatisfy(r -> assertThat(r.evidence()).containsPattern("\\d"));
      assertThat(s.recommendations()).noneSatisfy(r -> assertThat(r.locationId()).isEqualTo("A"));
      assertThat(s.findings()).isSortedAccordingTo(java.util.Comparator.comparing(Finding::severity));
      assertThat(s.recommendations()).isSortedAccordingTo(java.util.Comparator.comparing(Recommendation::priority));
      assertThat(s.map()).hasSize(3);
      assertThat(s.periodCosts()).hasSize(3);
      assertThat(s.failureTrends().start()).isEqualTo(s.window().historyStart());
      assertThat(s.keyMetrics()).allSatisfy(k -> assertThat(k.note()).isNull());
      assertThat(s.keyMetric(KeyMetric.Kind.FAILURES).trend()).isNotEqualTo(KeyMetric.Trend.NOT_COMPARABLE);
    }
  }

  @Test
  void totalsAreNotComparedWithAPreviousPeriodThatHasMuchLessData(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      // the data start on Wednesday 20 May: the week of 18 May has about 4.5 of its 7 days
      ExecutiveSummary s = fleet.reports().executiveSummary(reader(ACME), ACME,
          new ReportWindow(ReportPeriod.WEEK, ZoneId.of("Europe/Berlin"), LocalDate.of(2026, 5, 25)),
          FleetHealth.Thresholds.DEFAULT);
      for (KeyMetric.Kind k : List.of(KeyMetric.Kind.FAILURES, KeyMetric.Kind.DOWNTIME_HOURS, KeyMetric.Kind.MAINTENANCE_COST)) {
        KeyMetric m = s.keyMetric(k);
        assertThat(m.previous()).isPositive();
        assertThat(m.trend()).isEqualTo(KeyMetric.Trend.NOT_COMPARABLE);
        assertThat(m.change()).isNull();
        assertThat(m.note()).startsWith("the previous week has 6").endsWith("of this one's snapshots per hour: totals not compared");
      }
      // ratios compare whatever the amount of data
      assertThat(s.keyMetric(KeyMetric.Kind.OEE).note()).isNull();
      assertThat(s.keyMetric(KeyMetric.Kind.OEE).change()).isNotNull();
    }
  }

  @Test
  void theCadenceUsesTheOrganizationsZoneAndTheLibrarysClock(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      ReportWindow day = fleet.reports().lastCompleted(reader(ACME), ACME, ReportPeriod.DAY);
      assertThat(day).isEqualTo(ReportCadence.yesterday(ZoneId.of("Europe/Berlin"), NOW));
      assertThat(day.firstDay()).isEqualTo(LocalDate.of(2026, 6, 16));
      ReportWindow month = fleet.reports().lastCompleted(reader(ACME), ACME, ReportPeriod.MONTH);
      assertThat(month.firstDay()).isEqualTo(LocalDate.of(2026, 5, 1));
      assertThat(fleet.reports().executiveSummary(reader(ACME), ACME,
          ReportWindow.containing(ReportPeriod.DAY, ZoneId.of("Europe/Berlin"), NOW), FleetHealth.Thresholds.DEFAULT)
          .complete()).isFalse();
    }
  }

  @Test
  void callersOfOtherTenantsUnknownLocationsAndBadArgumentsAreRefused(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      FleetReports reports = fleet.reports();
      assertThatThrownBy(() -> reports.executiveSummary(reader("healthy"), ACME, ReportPeriod.WEEK))
          .isInstanceOf(AccessDeniedException.class).hasMessageContaining("may not read organization 'acme'");
      assertThat(reports.executiveSummary(CallerContext.of("root", "healthy", Role.ADMIN), ACME, ReportPeriod.DAY)
          .organizationId()).isEqualTo(ACME);
      assertThatThrownBy(() -> reports.locationReport(reader(ACME), ACME, "Z", ReportPeriod.WEEK))
          .isInstanceOf(NotFoundException.class).hasMessageContaining("'Z'");
      assertThatThrownBy(() -> reports.executiveSummary(reader("nobody"), "nobody", ReportPeriod.WEEK))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> reports.executiveSummary(reader(ACME), ACME, (ReportPeriod) null))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("period");
      assertThatThrownBy(() -> new ReportWindow(ReportPeriod.WEEK, ZoneId.of("UTC"), LocalDate.of(2026, 6, 10)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("2026-06-10").hasMessageContaining("Monday");
    }
  }
}
