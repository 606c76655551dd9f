package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.FleetOracle;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The location comparison against an independent computation over the rows that were sent. */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class CompareLocationsTest {

  static final Instant END = Instant.parse("2026-06-15T10:35:00Z");
  static SampleFleet sample;
  static FleetOracle oracle;

  @BeforeAll
  static void load(FleetDatabase db) {
    sample = SampleFleet.builder().seed(7).end(END).days(40).build();
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(END, ZoneOffset.UTC)).build()) {
      sample.load(fleet);
    }
    oracle = FleetOracle.of(sample.metrics());
  }

  static final CallerContext ADMIN = CallerContext.of("test", SampleFleet.ORGANIZATION_ID, Role.ADMIN);

  @Test
  void exposureWeightedFiguresEqualTheIndependentComputationOnAnUnalignedWindow(FleetDatabase db) {
    // starts and ends mid-hour, so the window is read from days, hours and raw rows together
    Instant start = END.minus(Duration.ofDays(17)).minus(Duration.ofMinutes(313));
    Instant end = END.minus(Duration.ofDays(2)).minus(Duration.ofMinutes(187));
    try (FleetAnalytics fleet = db.analyticsBuilder().build()) {
      LocationComparison cmp = fleet.fleetAnalyzer()
          .compareLocations(ADMIN, SampleFleet.ORGANIZATION_ID, List.of("A", "B", "C"), start, end);

      assertThat(cmp.locations()).extracting(LocationPerformance::locationId).containsExactly("A", "C", "B");
      for (LocationPerformance p : cmp.locations()) {
        FleetOracle.Figures f = oracle.figures(List.of(p.locationId()), start, end);
        assertThat(p.snapshotCount()).isEqualTo(f.rows);
        assertThat(p.totalFailures()).isEqualTo(f.failures);
        assertThat(p.oee()).isCloseTo(f.oee(), within(1e-9));
        assertThat(p.avgUptime()).isCloseTo(f.uptime(), within(1e-9));
        assertThat(p.avgEfficiency()).isCloseTo(f.efficiency(), within(1e-9));
        assertThat(p.avgEnergyConsumption()).isCloseTo(f.energy(), within(1e-9));
        assertThat(p.mtbf()).isCloseTo(f.mtbf(), within(1e-6));
        assertThat(p.mttr()).isCloseTo(f.mttr(), within(1e-9));
      }
    }
  }

  @Test
  void seedCompatibleModeIsThePlainAverageOverRowsWithBothEndsIncluded(FleetDatabase db) {
    Instant start = END.minus(Duration.ofDays(10));
    Instant end = END.minus(Duration.ofDays(3));
    try (FleetAnalytics fleet = db.analyticsBuilder().aggregationMode(AggregationMode.SEED_COMPATIBLE).build()) {
      LocationComparison cmp = fleet.fleetAnalyzer()
          .compareLocations(ADMIN, SampleFleet.ORGANIZATION_ID, List.of("A", "B", "C"), start, end);
      for (LocationPerformance p : cmp.locations()) {
        FleetOracle.Figures f = oracle.figures(List.of(p.locationId()), start, end.plusNanos(1_000));
        assertThat(p.snapshotCount()).isEqualTo(f.rows);
        assertThat(p.oee()).isCloseTo(f.seedOee(), within(1e-9));
        assertThat(p.avgUptime()).isCloseTo(f.seedUptime(), within(1e-9));
        assertThat(p.mtbf()).isCloseTo(f.seedMtbf(), within(1e-6));
        assertThat(p.mttr()).isCloseTo(f.seedMttr(), within(1e-9));
        assertThat(p.totalFailures()).isEqualTo(f.failures);
      }
    }
  }
}
