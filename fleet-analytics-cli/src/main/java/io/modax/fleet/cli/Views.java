package io.modax.fleet.cli;

import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.DashboardData;
import io.modax.fleet.analytics.FailureTrend;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.LocationRanking;
import io.modax.fleet.analytics.LocationSummary;
import io.modax.fleet.analytics.MaintenanceCosts;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.json.FleetJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders results as tables for a person, or as JSON for MODAX clients through {@link FleetJson}
 * (the design's field names, the same as the HTTP endpoints answer with). Ratios are fractions in
 * JSON and percentages in tables.
 */
final class Views {
  private Views() {}

  private static boolean json(OutputOptions.Format format) {
    return format == OutputOptions.Format.JSON;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ overview

  static String overview(FleetOverview o, AggregationMode mode, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.overview(o, mode)) + "\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("Fleet overview: ").append(o.organizationId()).append(", last 30 days [")
        .append(o.windowStart()).append(", ").append(o.windowEnd()).append(")\n\n");
    b.append(new Table("metric", "value")
        .row("locations", o.totalLocations())
        .row("devices (active / total)", o.activeDevices() + " / " + o.totalDevices())
        .row("device types", o.devicesByType().toString())
        .row("overall OEE", Table.percent(o.overallOee()))
        .row("overall uptime", Table.percent(o.overallUptime()))
        .row("failures, last 30 days", o.totalFailuresLast30d())
        .render());
    b.append('\n');
    Table t = new Table("location", "name", "time zone", "devices", "active");
    for (LocationSummary l : o.locations()) {
      t.row(l.locationId(), l.name(), l.timezone(), l.deviceCount(), l.activeDevices());
    }
    return b.append(t.render()).toString();
  }

  // ------------------------------------------------------------------ comparison and rankings

  private static Table performanceTable(List<LocationPerformance> rows) {
    Table t = new Table("location", "name", "OEE", "uptime", "efficiency", "failures", "MTBF h",
        "MTTR h", "kWh/h");
    for (LocationPerformance p : rows) {
      t.row(p.locationId(), p.locationName(), Table.percent(p.oee()), Table.percent(p.avgUptime()),
          Table.percent(p.avgEfficiency()), p.totalFailures(), mtbf(p.mtbf(), p.totalFailures(), p.productionHours()),
          Table.number(p.mttr(), 2), Table.number(p.avgEnergyConsumption(), 2));
    }
    return t;
  }

  private static String mtbf(Double mtbf, long failures, double productionHours) {
    return mtbf == null && failures == 0 && productionHours > 0 ? "no failures" : Table.number(mtbf, 1);
  }

  static String comparison(LocationComparison c, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.comparison(c)) + "\n";
    }
    return "Location comparison: " + c.organizationId() + ", [" + c.start() + ", " + c.end() + "), "
        + c.mode() + ", best OEE first\n\n" + performanceTable(c.locations()).render();
  }

  /** Best performers (given {@code topN}) or underperformers (given {@code threshold}). */
  static String ranking(LocationRanking r, OutputOptions.Format format, boolean underperformers, int topN,
      double threshold) {
    if (json(format)) {
      return FleetJson.write(underperformers ? FleetJson.underperformers(r, threshold)
          : FleetJson.bestPerformers(r, topN)) + "\n";
    }
    String title = underperformers
        ? "Underperformers: " + r.organizationId() + ", OEE below the threshold, lowest first"
        : "Best performers: " + r.organizationId() + ", by " + r.metric().fieldName() + " ("
            + (r.metric().higherIsBetter() ? "higher" : "lower") + " is better)";
    String body = r.locations().isEmpty() ? "(no location)\n" : performanceTable(r.locations()).render();
    return title + ", [" + r.start() + ", " + r.end() + "), " + r.mode() + "\n\n" + body;
  }

  // ------------------------------------------------------------------ trends

  private static Table trendTable(List<FailureTrend> rows) {
    Table t = new Table("period", "location", "failures", "MTBF h", "change", "period status");
    for (FailureTrend r : rows) {
      String change = switch (r.change()) {
        case COMPARED -> String.format(Locale.ROOT, "%+.1f%%", r.changePercent());
        case NO_PREVIOUS_FAILURES -> "no previous failures";
        case NO_PREVIOUS_PERIOD -> "no previous period";
        case NO_DATA -> "no data";
        case IN_PROGRESS -> "not compared (partial period)";
        case NO_FAILURES -> "none (was " + r.previousFailures() + ")";
      };
      t.row(r.periodStart(), r.locationId(), r.failures(), mtbf(r.mtbf(), r.failures(), r.productionHours()),
          change, r.complete() ? "complete" : "in progress");
    }
    return t;
  }

  static String trends(FailureTrends t, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.failureTrends(t)) + "\n";
    }
    return "Failure trends: " + t.organizationId() + ", " + t.period().designName() + ", [" + t.start()
        + ", " + t.end() + "), " + t.mode() + " (periods are each location's local calendar ones)\n\n"
        + trendTable(t.trends()).render();
  }

  // forecast and benchmark: see StatisticsViews

  // ------------------------------------------------------------------ dashboard

  static String dashboard(DashboardData d, OutputOptions.Format format) {
    FleetHealth h = d.fleetHealth();
    if (json(format)) {
      return FleetJson.write(FleetJson.dashboard(d)) + "\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("Fleet Overview: ").append(d.organizationId()).append(" at ").append(d.generatedAt())
        .append(", ").append(d.mode()).append("\n\n");
    b.append("Fleet health (OEE, [").append(h.start()).append(", ").append(h.end()).append(")): ")
        .append(h.oee() == null ? "-" : Table.percent(h.oee())).append(" ").append(h.status())
        .append(String.format(Locale.ROOT, " (critical < %.0f%%, warning < %.0f%%, good >= %.0f%%)%n%n",
            h.thresholds().critical() * 100, h.thresholds().warning() * 100, h.thresholds().good() * 100));
    Table map = new Table("location", "name", "lat", "lon", "OEE", "devices", "alerts", "alert kinds");
    for (LocationMarker m : d.locationMap()) {
      map.row(m.locationId(), m.locationName(), Table.number(m.latitude(), 4), Table.number(m.longitude(), 4),
          Table.percent(m.oee()), m.deviceCount(), m.alertCount(),
          String.join(" ", m.alerts().stream().map(a -> lower(a.kind())).toList()));
    }
    b.append("Location map:\n").append(map.render());
    for (LocationMarker m : d.locationMap()) {
      for (LocationMarker.Alert a : m.alerts()) {
        b.append("  ").append(m.locationId()).append(": ").append(a.message()).append('\n');
      }
    }
    b.append("\nOEE by location:\n");
    Table bars = new Table("location", "name", "OEE");
    for (LocationPerformance p : d.oeeComparison().locations()) {
      bars.row(p.locationId(), p.locationName(), Table.percent(p.oee()));
    }
    b.append(bars.render());
    b.append("\nFailure trends, last 30 days (local days):\n").append(trendTable(d.failureTrends().trends()).render());
    b.append("\nMaintenance cost by location (").append(d.costAnalysis().currency()).append(", local days):\n");
    Table costs = new Table("day", "location", "planned", "unplanned", "downtime", "total");
    for (MaintenanceCosts.LocationPeriod c : d.costAnalysis().rows()) {
      costs.row(c.periodStart(), c.locationId(), c.plannedMaintenanceCost().toPlainString(),
          c.unplannedMaintenanceCost().toPlainString(),
          c.downtimeCost() == null ? null : c.downtimeCost().toPlainString(), c.totalCost().toPlainString());
    }
    return b.append(costs.render()).toString();
  }
}
