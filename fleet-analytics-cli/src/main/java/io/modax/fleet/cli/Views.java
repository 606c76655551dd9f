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
import io.modax.fleet.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders results as tables for a person or as JSON with the design's field names ({@code
 * location_id}, {@code location_name}, {@code avg_uptime}, {@code oee}, {@code total_failures},
 * {@code mtbf}, {@code mttr}, ...) for MODAX clients. Ratios are fractions in JSON and percentages
 * in tables; JSON has {@code null} where a value is undefined.
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

  static String overview(FleetOverview o, OutputOptions.Format format) {
    if (json(format)) {
      List<Map<String, Object>> locations = new ArrayList<>();
      for (LocationSummary l : o.locations()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.locationId());
        m.put("name", l.name());
        m.put("timezone", l.timezone());
        m.put("latitude", l.latitude());
        m.put("longitude", l.longitude());
        m.put("device_count", l.deviceCount());
        m.put("active_devices", l.activeDevices());
        locations.add(m);
      }
      return Json.object()
          .put("organization_id", o.organizationId())
          .put("window_start", o.windowStart())
          .put("window_end", o.windowEnd())
          .put("total_devices", o.totalDevices())
          .put("active_devices", o.activeDevices())
          .put("device_types", o.devicesByType())
          .put("total_locations", o.totalLocations())
          .put("overall_oee", o.overallOee())
          .put("overall_uptime", o.overallUptime())
          .put("total_failures_last_30d", o.totalFailuresLast30d())
          .put("locations", locations)
          .toJson() + "\n";
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

  private static Map<String, Object> performance(LocationPerformance p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("location_id", p.locationId());
    m.put("location_name", p.locationName());
    m.put("avg_uptime", p.avgUptime());
    m.put("avg_efficiency", p.avgEfficiency());
    m.put("oee", p.oee());
    m.put("total_failures", p.totalFailures());
    m.put("mtbf", p.mtbf());
    m.put("mttr", p.mttr());
    m.put("avg_energy_consumption", p.avgEnergyConsumption());
    m.put("total_production_hours", p.productionHours());
    m.put("total_downtime_hours", p.downtimeHours());
    m.put("snapshot_count", p.snapshotCount());
    return m;
  }

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
      return Json.toJson(c.locations().stream().map(Views::performance).toList()) + "\n";
    }
    return "Location comparison: " + c.organizationId() + ", [" + c.start() + ", " + c.end() + "), "
        + c.mode() + ", best OEE first\n\n" + performanceTable(c.locations()).render();
  }

  static String ranking(LocationRanking r, OutputOptions.Format format, boolean underperformers) {
    if (json(format)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (LocationPerformance p : r.locations()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("location_id", p.locationId());
        m.put("location_name", p.locationName());
        if (underperformers) {
          // the design's identify_underperformers columns
          m.put("avg_oee", p.oee());
          m.put("avg_uptime", p.avgUptime());
          m.put("total_failures", p.totalFailures());
        } else {
          // the design's identify_best_performers columns, and which metric
          m.put("metric", r.metric().fieldName());
          m.put("metric_value", p.value(r.metric()));
          if (r.metric() == Metric.MTBF && p.mtbf() == null && p.totalFailures() == 0) {
            m.put("no_failures", true);
          }
        }
        rows.add(m);
      }
      return Json.toJson(rows) + "\n";
    }
    String title = underperformers
        ? "Underperformers: " + r.organizationId() + ", OEE below the threshold, lowest first"
        : "Best performers: " + r.organizationId() + ", by " + r.metric().fieldName() + " ("
            + (r.metric().higherIsBetter() ? "higher" : "lower") + " is better)";
    String body = r.locations().isEmpty() ? "(no location)\n" : performanceTable(r.locations()).render();
    return title + ", [" + r.start() + ", " + r.end() + "), " + r.mode() + "\n\n" + body;
  }

  // ------------------------------------------------------------------ trends

  private static Map<String, Object> trend(FailureTrend t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("period", t.start());
    m.put("period_start_date", t.periodStart());
    m.put("period_end_date", t.periodEnd());
    m.put("location_id", t.locationId());
    m.put("location_name", t.locationName());
    m.put("failures", t.failures());
    m.put("avg_mtbf", t.mtbf());
    // the design's pct_change, a fraction; null where it gave NaN or infinity
    m.put("trend", t.changePercent() == null ? null : t.changePercent() / 100);
    m.put("trend_status", lower(t.change()));
    m.put("previous_failures", t.previousFailures());
    m.put("complete", t.complete());
    m.put("total_production_hours", t.productionHours());
    m.put("snapshot_count", t.snapshotCount());
    return m;
  }

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
      return Json.toJson(t.trends().stream().map(Views::trend).toList()) + "\n";
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
      Map<String, Object> thresholds = new LinkedHashMap<>();
      thresholds.put("critical", h.thresholds().critical());
      thresholds.put("warning", h.thresholds().warning());
      thresholds.put("good", h.thresholds().good());
      Map<String, Object> health = new LinkedHashMap<>();
      health.put("oee", h.oee());
      health.put("status", lower(h.status()));
      health.put("thresholds", thresholds);
      health.put("window_start", h.start());
      health.put("window_end", h.end());
      List<Map<String, Object>> markers = new ArrayList<>();
      for (LocationMarker m : d.locationMap()) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("location_id", m.locationId());
        v.put("location_name", m.locationName());
        v.put("latitude", m.latitude());
        v.put("longitude", m.longitude());
        v.put("oee_score", m.oee());
        v.put("device_count", m.deviceCount());
        v.put("alert_count", m.alertCount());
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (LocationMarker.Alert a : m.alerts()) {
          Map<String, Object> av = new LinkedHashMap<>();
          av.put("kind", lower(a.kind()));
          av.put("message", a.message());
          alerts.add(av);
        }
        v.put("alerts", alerts);
        markers.add(v);
      }
      List<Map<String, Object>> trends = new ArrayList<>();
      for (FailureTrend t : d.failureTrends().trends()) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("period", t.start());
        v.put("period_start_date", t.periodStart());
        v.put("location_id", t.locationId());
        v.put("location_name", t.locationName());
        v.put("total_failures", t.failures());
        v.put("mtbf", t.mtbf());
        trends.add(v);
      }
      List<Map<String, Object>> bars = new ArrayList<>();
      for (LocationPerformance p : d.oeeComparison().locations()) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("location_id", p.locationId());
        v.put("location_name", p.locationName());
        v.put("oee", p.oee());
        bars.add(v);
      }
      List<Map<String, Object>> costs = new ArrayList<>();
      for (MaintenanceCosts.LocationPeriod c : d.costAnalysis().rows()) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("period_start_date", c.periodStart());
        v.put("location_id", c.locationId());
        v.put("location_name", c.locationName());
        v.put("planned_maintenance_cost", c.plannedMaintenanceCost());
        v.put("unplanned_maintenance_cost", c.unplannedMaintenanceCost());
        v.put("downtime_cost", c.downtimeCost());
        v.put("downtime_hours", c.downtimeHours());
        costs.add(v);
      }
      Map<String, Object> cost = new LinkedHashMap<>();
      cost.put("currency", d.costAnalysis().currency());
      cost.put("rows", costs);
      return Json.object()
          .put("title", "Fleet Overview")
          .put("organization_id", d.organizationId())
          .put("generated_at", d.generatedAt())
          .put("aggregation_mode", lower(d.mode()))
          .put("fleet_health", health)
          .put("location_map", markers)
          .put("failure_trends", trends)
          .put("oee_comparison", bars)
          .put("cost_analysis", cost)
          .toJson() + "\n";
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
