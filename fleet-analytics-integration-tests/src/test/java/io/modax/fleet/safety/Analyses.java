package io.modax.fleet.safety;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.reporting.ReportPeriod;
import io.modax.fleet.testkit.SampleFleet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Every read of the public API, as a call for a caller and an organization; and sample tenants. */
final class Analyses {

  /** The instant every sample fleet ends at and every library instance's clock stands at. */
  static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");

  private Analyses() {}

  static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  /** A small sample fleet for an organization: its locations are A and B in every organization. */
  static SampleFleet sample(String organizationId, long seed, int days) {
    return SampleFleet.builder().organizationId(organizationId).seed(seed).end(NOW).days(days)
        .locations(2).intervalSeconds(900).build();
  }

  /** Every analysis (and report) of the organization, by name. */
  static Map<String, BiFunction<CallerContext, String, Object>> all(FleetAnalytics fleet) {
    Map<String, BiFunction<CallerContext, String, Object>> calls = new LinkedHashMap<>();
    Instant from = NOW.minus(Duration.ofDays(3));
    calls.put("overview", (c, o) -> fleet.fleetAnalyzer().overview(c, o));
    calls.put("compareLocations", (c, o) -> fleet.fleetAnalyzer().compareLocations(c, o, List.of("A", "B"), from, NOW));
    calls.put("bestPerformers", (c, o) -> fleet.fleetAnalyzer().bestPerformers(c, o, Metric.OEE, 3));
    calls.put("underperformers", (c, o) -> fleet.fleetAnalyzer().underperformers(c, o, 0.9));
    calls.put("failureTrends", (c, o) -> fleet.trendAnalyzer().failureTrends(c, o, TrendPeriod.DAY, Window.lastDays(7)));
    calls.put("forecast", (c, o) -> fleet.trendAnalyzer().forecastMaintenanceDemand(c, o, 14));
    calls.put("benchmarkLocation", (c, o) -> fleet.benchmarking().benchmarkLocation(c, o, "A"));
    calls.put("dashboard", (c, o) -> fleet.dashboard().dashboard(c, o));
    calls.put("dataQuality", (c, o) -> fleet.dataQuality().reportAll(c, o, from, NOW));
    calls.put("executiveSummary", (c, o) -> fleet.reports().executiveSummary(c, o, ReportPeriod.WEEK));
    return calls;
  }
}
