package io.modax.fleet.reporting;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The design's executive dashboard ("Fleet Overview") as a Grafana dashboard JSON, ready for
 * file provisioning or import into Grafana 10.4 and 11 against the warehouse's PostgreSQL or
 * TimescaleDB: a fleet health gauge with the design's bands, a geomap of the locations (OEE, device
 * count, alert count), failure trends and MTBF by location, OEE by location sorted, and
 * maintenance cost by location as stacked areas.
 *
 * <p>The panels query the library's relations in the given schema: {@code fleet_window_sums} (exact
 * ratios of sums for the dashboard's time range), the daily rollup {@code fleet_metrics_daily}
 * (bucketed by each location's local calendar day: its {@code day} column is the instant the local
 * day starts), {@code locations}, {@code devices}, {@code maintenance_events} and {@code
 * organizations}. Two template variables choose the data source ({@code datasource}, any
 * PostgreSQL data source) and the organization ({@code org}); the organization travels into SQL
 * through Grafana's {@code ${org:sqlstring}} format, which quotes and escapes it.
 *
 * <p>The SQL is a template shipped with the library, filled in only with the validated schema name
 * and the thresholds' numbers; no caller string goes into it. Grafana runs it with its data
 * source's credentials: give that data source a <b>read-only</b> database user with {@code SELECT}
 * on the schema and {@code EXECUTE} on {@code fleet_window_sums}. Grafana does not check the
 * organization against its viewer: restrict who sees the dashboard (or use one data source per
 * tenant with row-level security) as you would any Grafana SQL panel.
 *
 * <p>Gauge, map and bars show the last 24 hours (a panel time override, as the design's gauge
 * query); trends and costs follow the dashboard's range (default: the last 30 days). The map's
 * alert count is the library's no-data and low-OEE alerts (OEE below the warning threshold); the
 * rising-failures alert needs the library's exact test and appears in its reports instead.
 *
 * <p>Thread safety: stateless.
 */
public final class GrafanaDashboard {

  /** The dashboard JSON's {@code schemaVersion}: 39, Grafana 10.4 and 11 (later ones migrate it). */
  public static final int SCHEMA_VERSION = 39;

  /** The dashboard's uid. */
  public static final String UID = "fleet-analytics-overview";

  /** The PostgreSQL data source plugin id of Grafana 10.4 and later. */
  public static final String DATASOURCE_PLUGIN = "grafana-postgresql-datasource";

  /** The dashboard's refresh interval: 60 s, as the design's {@code refresh_interval}. */
  public static final String REFRESH = "1m";

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Map<String, Object> DS = obj("type", DATASOURCE_PLUGIN, "uid", "${datasource}");

  private GrafanaDashboard() {}

  /** The dashboard for a warehouse in {@code schema}, with the design's gauge bands. */
  public static String json(String schema) {
    return json(schema, FleetHealth.Thresholds.DEFAULT);
  }

  /**
   * The dashboard for a warehouse in {@code schema}, indented JSON.
   *
   * @param schema the warehouse's schema, as given to {@code FleetAnalytics.builder().schema(...)}
   * @param thresholds the gauge's bands (also the map's low-OEE alert and the bars' colours)
   * @throws InvalidRequestException unless the schema is 1-63 lower-case ASCII letters, digits and
   *     underscores, not starting with a digit, or when thresholds is null
   */
  public static String json(String schema, FleetHealth.Thresholds thresholds) {
    Checks.requireNonNull("schema", schema);
    Checks.requireNonNull("thresholds", thresholds);
    if (!SCHEMA.matcher(schema).matches()) {
      throw new InvalidRequestException("schema '" + Checks.printable(schema) + "' is not a valid schema name:"
          + " use 1-63 lower-case ASCII letters, digits and underscores, not starting with a digit");
    }
    return Json.write(dashboard("\"" + schema + "\"", thresholds), Json.Style.REPORT_PRETTY);
  }

  /**
   * Writes {@link #json(String, FleetHealth.Thresholds)} to a file (UTF-8), creating parent
   * directories.
   *
   * @return the file
   * @throws UncheckedIOException when it cannot be written
   */
  public static Path write(String schema, FleetHealth.Thresholds thresholds, Path file) {
    String json = json(schema, thresholds);
    Checks.requireNonNull("file", file);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.writeString(file, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the dashboard to " + file, e);
    }
  }

  private static Map<String, Object> dashboard(String s, FleetHealth.Thresholds t) {
    List<Object> panels = new ArrayList<>();
    panels.add(gauge(s, t));
    panels.add(geomap(s, t));
    panels.add(oeeBars(s, t));
    panels.add(failureTrends(s));
    panels.add(costs(s));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("__requires", List.of(
        obj("type", "grafana", "id", "grafana", "name", "Grafana", "version", "10.4.0"),
        obj("type", "datasource", "id", DATASOURCE_PLUGIN, "name", "PostgreSQL", "version", "1.0.0"),
        obj("type", "panel", "id", "gauge", "name", "Gauge", "version", ""),
        obj("type", "panel", "id", "geomap", "name", "Geomap", "version", ""),
        obj("type", "panel", "id", "barchart", "name", "Bar chart", "version", ""),
        obj("type", "panel", "id", "timeseries", "name", "Time series", "version", "")));
    d.put("annotations", obj("list", List.of()));
    d.put("description", "MODAX fleet-analytics executive dashboard (the design's \"Fleet Overview\"), generated by"
        + " io.modax.fleet.reporting.GrafanaDashboard for schema " + s + ". Use a read-only database user.");
    d.put("editable", true);
    d.put("fiscalYearStartMonth", 0);
    d.put("graphTooltip", 1);
    d.put("id", null);
    d.put("links", List.of());
    d.put("panels", panels);
    d.put("refresh", REFRESH);
    d.put("schemaVersion", SCHEMA_VERSION);
    d.put("tags", List.of("fleet-analytics", "modax"));
    d.put("templating", obj("list", List.of(
        obj("name", "datasource", "label", "Data source", "type", "datasource", "query", DATASOURCE_PLUGIN,
            "hide", 0, "includeAll", false, "multi", false, "options", List.of(), "refresh", 1,
            "regex", "", "skipUrlSync", false),
        obj("name", "org", "label", "Organization", "type", "query", "datasource", DS,
            "query", "SELECT id AS __value, name AS __text FROM " + s + ".organizations ORDER BY name",
            "hide", 0, "includeAll", false, "multi", false, "options", List.of(), "refresh", 1,
            "regex", "", "skipUrlSync", false, "sort", 0))));
    d.put("time", obj("from", "now-30d", "to", "now"));
    d.put("timepicker", obj("refresh_intervals", List.of("30s", "1m", "5m", "15m", "1h")));
    d.put("timezone", "browser");
    d.put("title", "Fleet Overview");
    d.put("uid", UID);
    d.put("version", 1);
    d.put("weekStart", "monday");
    return d;
  }

  private static Map<String, Object> gauge(String s, FleetHealth.Thresholds t) {
    String sql = "SELECT sum(w.oee_productive_hours) / NULLIF(sum(w.oee_planned_hours), 0) AS \"Fleet OEE\"\n"
        + "FROM " + s + ".fleet_window_sums(${org:sqlstring}, NULL, $__timeFrom(), $__timeTo()) AS w";
    Map<String, Object> p = panel(1, "gauge", "Fleet Health Score", "Fleet OEE over the last 24 hours (planned-time"
        + " weighted ratio of sums), against the design's bands: critical below " + pct(t.critical()) + ", warning below "
        + pct(t.warning()) + ", good from " + pct(t.good()) + ".", 0, 0, 6, 8, List.of(target("A", sql, "table")));
    p.put("timeFrom", "24h");
    p.put("fieldConfig", obj("defaults", obj("unit", "percentunit", "min", 0, "max", 1, "decimals", 1,
        "color", obj("mode", "thresholds"), "thresholds", bands(t), "mappings", List.of()), "overrides", List.of()));
    p.put("options", obj("reduceOptions", obj("calcs", List.of("lastNotNull"), "fields", "", "values", false),
        "orientation", "auto", "showThresholdLabels", false, "showThresholdMarkers", true, "minVizHeight", 75,
        "minVizWidth", 75, "sizing", "auto"));
    return p;
  }

  private static Map<String, Object> geomap(String s, FleetHealth.Thresholds t) {
    String oee = "w.oee_productive_hours / NULLIF(w.oee_planned_hours, 0)";
    String sql = "WITH w AS (\n  SELECT * FROM " + s + ".fleet_window_sums(${org:sqlstring}, NULL, $__timeFrom(), $__timeTo())\n"
        + "), dev AS (\n  SELECT location_id, count(*) AS device_count FROM " + s + ".devices\n"
        + "  WHERE organization_id = ${org:sqlstring} AND status <> 'decommissioned' GROUP BY location_id\n)\n"
        + "SELECT l.name AS location_name, l.latitude, l.longitude, " + oee + " AS oee_score,\n"
        + "       COALESCE(dev.device_count, 0) AS device_count,\n"
        + "       (CASE WHEN w.snapshot_count = 0 THEN 1 ELSE 0 END\n"
        + "        + CASE WHEN " + oee + " < " + num(t.warning()) + " THEN 1 ELSE 0 END) AS alert_count\n"
        + "FROM " + s + ".locations l\n"
        + "JOIN w ON w.location_id = l.id\n"
        + "LEFT JOIN dev ON dev.location_id = l.id\n"
        + "WHERE l.organization_id = ${org:sqlstring} AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL\n"
        + "ORDER BY l.name";
    Map<String, Object> p = panel(2, "geomap", "Location Performance Map", "Each location at its coordinates: colour by"
        + " OEE band over the last 24 hours, size by device count; alert_count = no data + OEE below the warning"
        + " threshold.", 6, 0, 12, 8, List.of(target("A", sql, "table")));
    p.put("timeFrom", "24h");
    p.put("fieldConfig", obj("defaults", obj("color", obj("mode", "thresholds"), "thresholds", bands(t),
        "custom", obj("hideFrom", obj("legend", false, "tooltip", false, "viz", false)), "mappings", List.of()),
        "overrides", List.of(override("oee_score", obj("id", "unit", "value", "percentunit"),
            obj("id", "decimals", "value", 1)))));
    p.put("options", obj(
        "basemap", obj("type", "default", "name", "Basemap", "config", obj()),
        "controls", obj("showZoom", true, "mouseWheelZoom", false, "showAttribution", true),
        "layers", List.of(obj("type", "markers", "name", "Locations", "tooltip", true,
            "location", obj("mode", "coords", "latitude", "latitude", "longitude", "longitude"),
            "config", obj("showLegend", true, "style", obj(
                "color", obj("field", "oee_score", "fixed", "dark-green"),
                "size", obj("field", "device_count", "fixed", 8, "min", 6, "max", 22),
                "opacity", 0.85, "symbol", obj("mode", "fixed", "fixed", "img/icons/marker/circle.svg"),
                "text", obj("mode", "field", "field", "location_name", "fixed", ""),
                "textConfig", obj("fontSize", 12, "offsetX", 14, "offsetY", 0, "textAlign", "left", "textBaseline", "middle"))))),
        "tooltip", obj("mode", "details"),
        "view", obj("id", "fit", "allLayers", true, "lat", 30, "lon", 0, "zoom", 2)));
    return p;
  }

  private static Map<String, Object> oeeBars(String s, FleetHealth.Thresholds t) {
    String sql = "SELECT l.name AS location_name, w.oee_productive_hours / NULLIF(w.oee_planned_hours, 0) AS oee\n"
        + "FROM " + s + ".fleet_window_sums(${org:sqlstring}, NULL, $__timeFrom(), $__timeTo()) AS w\n"
        + "JOIN " + s + ".locations l ON l.organization_id = ${org:sqlstring} AND l.id = w.location_id\n"
        + "ORDER BY oee DESC NULLS LAST, l.name";
    Map<String, Object> p = panel(3, "barchart", "OEE by Location", "OEE per location over the last 24 hours,"
        + " best first, coloured by the gauge's bands.", 18, 0, 6, 8, List.of(target("A", sql, "table")));
    p.put("timeFrom", "24h");
    p.put("fieldConfig", obj("defaults", obj("unit", "percentunit", "min", 0, "max", 1, "decimals", 1,
        "color", obj("mode", "thresholds"), "thresholds", bands(t), "mappings", List.of(),
        "custom", obj("fillOpacity", 85, "lineWidth", 0, "gradientMode", "none", "axisPlacement", "auto",
            "hideFrom", obj("legend", false, "tooltip", false, "viz", false))), "overrides", List.of()));
    p.put("options", obj("orientation", "horizontal", "xField", "location_name", "showValue", "always",
        "groupWidth", 0.7, "barWidth", 0.8, "colorByField", "oee", "stacking", "none", "xTickLabelRotation", 0,
        "xTickLabelSpacing", 0, "legend", obj("showLegend", false, "displayMode", "list", "placement", "bottom", "calcs", List.of()),
        "tooltip", obj("mode", "single", "sort", "none")));
    return p;
  }

  private static Map<String, Object> failureTrends(String s) {
    String from = "FROM " + s + ".fleet_metrics_daily d\n"
        + "JOIN " + s + ".locations l ON l.organization_id = d.organization_id AND l.id = d.location_id\n"
        + "WHERE d.organization_id = ${org:sqlstring} AND $__timeFilter(d.day)\n"
        + "ORDER BY 1, 2";
    String failures = "SELECT d.day AS \"time\", l.name AS metric, d.total_failures::float8 AS value\n" + from;
    String mtbf = "SELECT d.day AS \"time\", l.name || ' MTBF' AS metric, d.mtbf AS value\n" + from;
    Map<String, Object> p = panel(4, "timeseries", "Failure Trends (30 days)", "Failures (bars, left) and MTBF in"
        + " production hours per failure (lines, right) per location and local calendar day: each point is the"
        + " location's own day (fleet_metrics_daily.day), not a UTC bucket.", 0, 8, 24, 9,
        List.of(target("A", failures, "time_series"), target("B", mtbf, "time_series")));
    p.put("fieldConfig", obj("defaults", obj("unit", "short", "decimals", 0, "min", 0, "color", obj("mode", "palette-classic"),
        "custom", obj("drawStyle", "bars", "fillOpacity", 70, "lineWidth", 1, "barAlignment", 0, "stacking", obj("mode", "none", "group", "A"),
            "spanNulls", false, "showPoints", "never", "axisPlacement", "left", "axisLabel", "failures per day")),
        "overrides", List.of(obj("matcher", obj("id", "byRegexp", "options", ".* MTBF$"), "properties", List.of(
            obj("id", "custom.drawStyle", "value", "line"), obj("id", "custom.axisPlacement", "value", "right"),
            obj("id", "custom.axisLabel", "value", "MTBF (h)"), obj("id", "custom.fillOpacity", "value", 0),
            obj("id", "custom.lineWidth", "value", 2), obj("id", "custom.showPoints", "value", "auto"),
            obj("id", "unit", "value", "h"), obj("id", "decimals", "value", 1))))));
    p.put("options", obj("legend", obj("showLegend", true, "displayMode", "table", "placement", "right",
        "calcs", List.of("sum", "mean")), "tooltip", obj("mode", "multi", "sort", "desc")));
    return p;
  }

  private static Map<String, Object> costs(String s) {
    String sql = "WITH days AS (\n"
        + "  SELECT d.location_id, d.local_date, d.day, d.total_downtime_hours FROM " + s + ".fleet_metrics_daily d\n"
        + "  WHERE d.organization_id = ${org:sqlstring} AND $__timeFilter(d.day)\n"
        + "), ev AS (\n"
        + "  SELECT e.location_id, (e.occurred_at AT TIME ZONE l.timezone)::date AS local_date,\n"
        + "         sum(e.cost) FILTER (WHERE e.planned) AS planned, sum(e.cost) FILTER (WHERE NOT e.planned) AS unplanned\n"
        + "  FROM " + s + ".maintenance_events e\n"
        + "  JOIN " + s + ".locations l ON l.organization_id = e.organization_id AND l.id = e.location_id\n"
        + "  WHERE e.organization_id = ${org:sqlstring}\n"
        + "    AND e.occurred_at >= $__timeFrom()::timestamptz - interval '1 day'\n"
        + "    AND e.occurred_at < $__timeTo()::timestamptz + interval '1 day'\n"
        + "  GROUP BY 1, 2\n"
        + ")\n"
        + "SELECT days.day AS \"time\", l.name || ' - ' || k.kind AS metric, k.cost AS value\n"
        + "FROM days\n"
        + "JOIN " + s + ".locations l ON l.organization_id = ${org:sqlstring} AND l.id = days.location_id\n"
        + "LEFT JOIN ev ON ev.location_id = days.location_id AND ev.local_date = days.local_date\n"
        + "CROSS JOIN LATERAL (VALUES\n"
        + "  ('planned', COALESCE(ev.planned, 0)::float8),\n"
        + "  ('unplanned', COALESCE(ev.unplanned, 0)::float8),\n"
        + "  ('downtime', (days.total_downtime_hours * COALESCE(l.downtime_cost_per_hour, 0))::float8)\n"
        + ") AS k(kind, cost)\n"
        + "ORDER BY 1, 2";
    Map<String, Object> p = panel(5, "timeseries", "Maintenance Cost by Location", "Planned and unplanned"
        + " maintenance cost (events) and downtime cost (downtime hours x the location's rate) per location and local"
        + " day, stacked, in the organization's currency.", 0, 17, 24, 10, List.of(target("A", sql, "time_series")));
    p.put("fieldConfig", obj("defaults", obj("unit", "short", "decimals", 0, "min", 0, "color", obj("mode", "palette-classic"),
        "custom", obj("drawStyle", "line", "lineWidth", 1, "fillOpacity", 55, "gradientMode", "none", "showPoints", "never",
            "spanNulls", true, "lineInterpolation", "stepAfter", "stacking", obj("mode", "normal", "group", "cost"),
            "axisPlacement", "auto", "axisLabel", "cost per day")), "overrides", List.of()));
    p.put("options", obj("legend", obj("showLegend", true, "displayMode", "table", "placement", "right",
        "calcs", List.of("sum")), "tooltip", obj("mode", "multi", "sort", "desc")));
    return p;
  }

  private static Map<String, Object> panel(int id, String type, String title, String description, int x, int y, int w,
      int h, List<Object> targets) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", id);
    p.put("type", type);
    p.put("title", title);
    p.put("description", description);
    p.put("datasource", DS);
    p.put("gridPos", obj("h", h, "w", w, "x", x, "y", y));
    p.put("targets", targets);
    return p;
  }

  private static Map<String, Object> target(String refId, String sql, String format) {
    return obj("refId", refId, "datasource", DS, "editorMode", "code", "format", format, "rawQuery", true, "rawSql", sql);
  }

  private static Map<String, Object> override(String field, Object... properties) {
    return obj("matcher", obj("id", "byName", "options", field), "properties", List.of(properties));
  }

  private static Map<String, Object> bands(FleetHealth.Thresholds t) {
    return obj("mode", "absolute", "steps", List.of(
        obj("color", "red", "value", null),
        obj("color", "orange", "value", t.critical()),
        obj("color", "#8bbf4a", "value", t.warning()),
        obj("color", "green", "value", t.good())));
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.0f%%", v * 100);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }

  private static Map<String, Object> obj(@Nullable Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), kv[i + 1]);
    }
    return m;
  }
}
