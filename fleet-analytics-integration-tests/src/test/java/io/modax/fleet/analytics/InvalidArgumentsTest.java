package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.statistics.BenchmarkReference;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad arguments get an {@link InvalidRequestException} that names the value and the rule. */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class InvalidArgumentsTest {

  static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");
  static final String ORG = "args-org";
  static final CallerContext CALLER = CallerContext.of("analyst", ORG, Role.ADMIN);

  @BeforeAll
  static void load(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      fleet.writer().writeOrganization(CALLER, new Organization(ORG, ORG, "UTC", "EUR"));
      fleet.writer().writeLocations(CALLER, ORG, List.of(Location.of(ORG, "L1", "Plant 1", "UTC")));
    }
  }

  static FleetAnalytics analytics(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).maxWindow(Duration.ofDays(400)).build();
  }

  @Test
  void topNBelowOne(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      assertThatThrownBy(() -> fleet.fleetAnalyzer().bestPerformers(CALLER, ORG, Metric.OEE, 0))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("topN 0 is below 1: ask for at least one location");
      assertThatThrownBy(() -> fleet.fleetAnalyzer().bestPerformers(CALLER, ORG, null, 3))
          .isInstanceOf(InvalidRequestException.class).hasMessage("metric must not be null");
    }
  }

  @Test
  void thresholdsOutsideZeroToOne(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      for (double t : new double[] {-0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
        assertThatThrownBy(() -> fleet.fleetAnalyzer().underperformers(CALLER, ORG, t))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessage("oeeThreshold " + t + " is outside [0, 1]: give a fraction, e.g. 0.7 for 70%");
      }
      assertThatThrownBy(() -> new FleetHealth.Thresholds(0.6, 1.2, 0.85))
          .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("warning 1.2 is outside [0, 1]");
      assertThatThrownBy(() -> new FleetHealth.Thresholds(0.8, 0.7, 0.9))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("thresholds critical 0.8, warning 0.7, good 0.9 are not ordered: need critical <= warning <= good");
    }
  }

  @Test
  void invertedEmptyAndTooLongWindows(FleetDatabase db) {
    Instant a = Instant.parse("2026-05-01T00:00:00Z");
    Instant b = Instant.parse("2026-05-02T00:00:00Z");
    assertThatThrownBy(() -> Window.between(b, a))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("window [2026-05-02T00:00:00Z, 2026-05-01T00:00:00Z) is empty or inverted: start must be before end");
    assertThatThrownBy(() -> Window.between(a, a)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is empty or inverted");
    assertThatThrownBy(() -> Window.lastDays(0)).isInstanceOf(InvalidRequestException.class)
        .hasMessage("days 0 is below 1: a window covers at least one day");
    assertThatThrownBy(() -> Window.last(Duration.ofHours(-1))).isInstanceOf(InvalidRequestException.class)
        .hasMessage("duration PT-1H is not positive: a window must have a length");
    assertThatThrownBy(() -> Window.last(Period.ZERO)).isInstanceOf(InvalidRequestException.class)
        .hasMessage("period P0D is not positive: a window must have a length");
    try (FleetAnalytics fleet = analytics(db)) {
      assertThatThrownBy(() -> fleet.fleetAnalyzer().compareLocations(CALLER, ORG, List.of("L1"), b, a))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is empty or inverted");
      String tooLong = "window [2024-05-06T12:00:00Z, 2026-05-06T12:00:00Z) is longer than the maximum of 400 days";
      assertThatThrownBy(() -> fleet.trendAnalyzer().failureTrends(CALLER, ORG, TrendPeriod.MONTH, Window.last(Period.ofYears(2))))
          .isInstanceOf(InvalidRequestException.class).hasMessage(tooLong);
      assertThatThrownBy(() -> fleet.benchmarking().benchmarkLocation(CALLER, ORG, "L1", Window.lastDays(731)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is longer than the maximum of 400 days");
      assertThatThrownBy(() -> fleet.fleetAnalyzer().bestPerformers(CALLER, ORG, Metric.OEE, 3, Window.lastDays(401)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is longer than the maximum of 400 days");
      assertThatThrownBy(() -> fleet.trendAnalyzer().failureTrends(CALLER, ORG, null))
          .isInstanceOf(InvalidRequestException.class).hasMessage("period must not be null");
    }
  }

  @Test
  void horizonsAndServiceLevelsOutsideTheirRanges(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      for (int h : new int[] {0, -3, 366}) {
        assertThatThrownBy(() -> fleet.trendAnalyzer().forecastMaintenanceDemand(CALLER, ORG, h))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessage("horizonDays " + h + " is outside the allowed range [1, 365]");
      }
      for (double s : new double[] {0.3, 1.0, Double.NaN}) {
        assertThatThrownBy(() -> fleet.trendAnalyzer().forecastMaintenanceDemand(CALLER, ORG, 30, s))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessage("serviceLevel " + s + " is outside the allowed range [0.5, 0.999]: give a probability such as 0.95");
      }
    }
  }

  @Test
  void benchmarkOptionsAndReliabilityWindows(FleetDatabase db) {
    BenchmarkOptions d = BenchmarkOptions.defaults();
    assertThatThrownBy(() -> d.withAlpha(0.7))
        .isInstanceOf(InvalidRequestException.class).hasMessage("alpha 0.7 is outside (0, 0.5]: give e.g. 0.05 for 5%");
    assertThatThrownBy(() -> d.withMinDeviceMixCosine(0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("minDeviceMixCosine 0.0 is outside (0, 1]: e.g. 0.9 for similar mixes");
    assertThatThrownBy(() -> d.withReference(Metric.MTTR, BenchmarkReference.oee()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("the reference for mttr reads higher as better, but for mttr lower is better");
    assertThatThrownBy(() -> d.withPeerGroups(null))
        .isInstanceOf(InvalidRequestException.class).hasMessage("peerGroups must not be null");
    try (FleetAnalytics fleet = analytics(db)) {
      assertThatThrownBy(() -> fleet.benchmarking().benchmarkAllLocations(CALLER, ORG, Window.lastDays(30), null))
          .isInstanceOf(InvalidRequestException.class).hasMessage("options must not be null");
      assertThatThrownBy(() -> fleet.trendAnalyzer().reliability(CALLER, ORG, Window.last(Period.ofYears(2))))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is longer than the maximum of 400 days");
      assertThatThrownBy(() -> fleet.trendAnalyzer().reliability(CALLER, ORG, null))
          .isInstanceOf(InvalidRequestException.class).hasMessage("window must not be null");
      // a location without data: no statistics, and each says why instead of failing
      LocationBenchmark b = fleet.benchmarking().benchmarkLocation(CALLER, ORG, "L1");
      assertThat(b.metrics()).allMatch(m -> m.significance() == null && m.notTested().startsWith("not tested: 0 daily")
          && m.status() == LocationBenchmark.Status.NOT_COMPARABLE);
      MaintenanceForecast f = fleet.trendAnalyzer().forecastMaintenanceDemand(CALLER, ORG, 30);
      assertThat(f.expectedFailures()).isNull();
      assertThat(f.notes()).contains("location L1: no snapshots in the last 365 days");
      ReliabilityReport r = fleet.trendAnalyzer().reliability(CALLER, ORG);
      assertThat(r.locations()).singleElement().satisfies(t -> assertThat(t.crowAmsaa()).isNull());
    }
  }

  @Test
  void unknownOrganizationsAndLocationsAndMalformedIds(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      assertThatThrownBy(() -> fleet.benchmarking().benchmarkLocation(CALLER, ORG, "nowhere"))
          .isInstanceOf(NotFoundException.class).hasMessage("not locations of organization 'args-org': [nowhere]");
      assertThatThrownBy(() -> fleet.dashboard().dashboard(CALLER, "no-such-org"))
          .isInstanceOf(NotFoundException.class).hasMessage("organization 'no-such-org' does not exist");
      assertThatThrownBy(() -> fleet.trendAnalyzer().forecastMaintenanceDemand(CALLER, " "))
          .isInstanceOf(InvalidRequestException.class).hasMessage("organizationId ' ' is not a valid id: it is blank");
      assertThatThrownBy(() -> fleet.benchmarking().benchmarkLocation(CALLER, ORG, "x".repeat(65)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is longer than 64 characters");
    }
  }
}
