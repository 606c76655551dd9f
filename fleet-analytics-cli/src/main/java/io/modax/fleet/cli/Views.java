package io.modax.fleet.cli;

import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.LocationSummary;
import io.modax.fleet.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders results as tables or as JSON with the design's field names. */
final class Views {
  private Views() {}

  static String overview(FleetOverview o, OutputOptions.Format format) {
    if (format == OutputOptions.Format.JSON) {
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

  static String comparison(LocationComparison c, OutputOptions.Format format) {
    if (format == OutputOptions.Format.JSON) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (LocationPerformance p : c.locations()) {
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
        rows.add(m);
      }
      return Json.toJson(rows) + "\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("Location comparison: ").append(c.organizationId()).append(", [").append(c.start())
        .append(", ").append(c.end()).append("), ").append(c.mode()).append(", best OEE first\n\n");
    Table t = new Table("location", "name", "OEE", "uptime", "efficiency", "failures", "MTBF h",
        "MTTR h", "kWh/h");
    for (LocationPerformance p : c.locations()) {
      t.row(p.locationId(), p.locationName(), Table.percent(p.oee()), Table.percent(p.avgUptime()),
          Table.percent(p.avgEfficiency()), p.totalFailures(), Table.number(p.mtbf(), 1),
          Table.number(p.mttr(), 2), Table.number(p.avgEnergyConsumption(), 2));
    }
    return b.append(t.render()).toString();
  }
}
