package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.statistics.DifferenceVerdict;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The false-discovery guarantee through the whole path (writer, daily rollup, daily values, tests,
 * Benjamini–Hochberg): organizations whose 30 locations all draw their daily OEE from one
 * distribution. Any location flagged is a false discovery, so the share of organizations with any
 * flag estimates the false discovery rate and must stay near 5%.
 */
@ExtendWith(FleetDatabaseExtension.class)
class FalseDiscoveriesOnTheWarehouseTest {

  static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");

  @Test
  void thirtyLocationsFromOneDistributionFlagNoMoreThanTheFalseDiscoveryRateAllows(FleetDatabase db) {
    int organizations = 20;
    int locations = 30;
    int days = 30;
    SplittableRandom r = new SplittableRandom(2026);
    int withFlags = 0;
    int flagged = 0;
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      for (int o = 0; o < organizations; o++) {
        String org = "null-" + o;
        CallerContext admin = CallerContext.of("loader", org, Role.ADMIN);
        fleet.writer().writeOrganization(admin, new Organization(org, org, "UTC", "EUR"));
        List<Location> locs = new ArrayList<>();
        List<FleetMetrics> rows = new ArrayList<>();
        for (int l = 0; l < locations; l++) {
          String id = String.format("L%02d", l);
          locs.add(Location.of(org, id, "Plant " + l, "UTC").withSnapshotIntervalSeconds(86_400));
          for (int d = 1; d <= days; d++) {
            double oee = 0.70 + 0.05 * gaussian(r);
            rows.add(FleetMetrics.builder(org, id, NOW.minus(Duration.ofDays(d))).intervalSeconds(86_400)
                .avgUptime(0.9).oee(oee).totalProductionHours(20.0).totalDowntimeHours(2.0).totalFailures(0).build());
          }
        }
        fleet.writer().writeLocations(admin, org, locs);
        assertThat(fleet.writer().writeMetrics(admin, org, rows).quarantined()).isZero();
        FleetBenchmark b = fleet.benchmarking().benchmarkAllLocations(admin, org);
        assertThat(b.locations()).hasSize(locations);
        long flags = b.locations().stream()
            .filter(x -> x.metric(Metric.OEE).verdict() != DifferenceVerdict.NOT_SIGNIFICANT).count();
        assertThat(b.locations()).allMatch(x -> x.metric(Metric.OEE).significance().chosen().locationSize() == days);
        flagged += (int) flags;
        withFlags += flags > 0 ? 1 : 0;
      }
    }
    System.out.printf("False discoveries through the warehouse: %d of %d organizations (30 locations each, one"
        + " distribution) had any location flagged, %d flags in all (q = 0.05)%n", withFlags, organizations, flagged);
    // Under the complete null every flag is false: E[any flag] <= q = 0.05, i.e. 1 of 20 expected;
    // 4 or more would happen with probability 1.6% if the guarantee held. This seed gives 3 (seeds
    // 1 to 3 gave 1, 0 and 1: 5 of 80 organizations in all, 6%).
    assertThat(withFlags).isLessThanOrEqualTo(3);
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
