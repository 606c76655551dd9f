package io.modax.fleet.reporting;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.FailureTrend;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.MaintenanceCosts;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Json;
import io.modax.fleet.statistics.LocationDifference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A report as one self-contained HTML file: it opens offline in any current browser, prints well
 * on A4 (print CSS, charts resized for the page), and no request leaves the page. The design's
 * executive dashboard panels are drawn as charts with Apache ECharts (inlined, SVG renderer): the
 * fleet health gauge with its bands, a location map from coordinates (an inlined Natural Earth land
 * outline, no tiles), failure trends and MTBF by location, OEE by location sorted, maintenance cost
 * by location as a stacked area; the tables behind them, the findings and the recommendations
 * follow.
 *
 * <p>A Content-Security-Policy in the page forbids every fetch (scripts, styles, images, fonts,
 * connections) except the page's own inline code. Every string from the data (organization and
 * location names, messages) is HTML-escaped, and the chart data travels as JSON inside a {@code
 * <script type="application/json">} with {@code <}, {@code >} and {@code &} escaped.
 *
 * <p>The file is about 1.2 MB, most of it the ECharts library. Thread safety: stateless.
 */
public final class HtmlReport {

  private static final String RESOURCES = "/io/modax/fleet/reporting/";
  private static final String ECHARTS = RESOURCES + "vendor/echarts.min.js";
  private static final DateTimeFormatter GENERATED =
      DateTimeFormatter.ofPattern("d MMM uuuu HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter AXIS_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

  private HtmlReport() {}

  /**
   * Renders an executive summary.
   *
   * @throws InvalidRequestException when the summary is null
   * @throws IllegalStateException when the library's own resources are missing from the classpath
   */
  public static String render(ExecutiveSummary s) {
    Checks.requireNonNull("summary", s);
    String currency = s.currency();
    FleetHealth h = s.health();
    StringBuilder b = new StringBuilder(1_400_000);
    head(b, s.organizationName() + " \u2013 " + s.window().period().adjective() + " fleet report, " + s.window().label());
    masthead(b, "Fleet report \u00b7 " + s.window().period().adjective(), s.organizationName(), s.window(),
        s.complete(), s.generatedAt(), s.mode().name(), h.status());
    b.append("<main>\n");

    // row 1: gauge + key metrics
    b.append("<div class=\"grid g-1-2\">\n<section class=\"card\"><h2>Fleet health</h2>")
        .append("<p class=\"hint\">Fleet OEE over the period, planned-time weighted, against the gauge's bands.</p>")
        .append("<div class=\"chart short\" id=\"chart-gauge\" role=\"img\" aria-label=\"Fleet OEE gauge\"></div>");
    bands(b, h.thresholds());
    b.append("</section>\n<section class=\"card\"><h2>Key metrics</h2><p class=\"hint\">")
        .append(e(s.window().label())).append(" against the previous ").append(s.window().period().noun())
        .append(".</p>");
    kpis(b, s.keyMetrics(), currency);
    callouts(b, s.best(), s.worst(), h.thresholds());
    b.append("</section>\n</div>\n");

    // row 2: recommendations + findings
    b.append("<div class=\"grid g-1-1\">\n");
    recommendations(b, s.recommendations());
    findings(b, s.findings());
    b.append("</div>\n");

    // row 3: map + OEE bars
    b.append("<div class=\"grid g-2-1\">\n<section class=\"card\"><h2>Location performance map</h2>")
        .append("<p class=\"hint\">OEE band by colour, devices by size; a red ring marks locations with alerts.</p>")
        .append("<div class=\"chart tall\" id=\"chart-map\" role=\"img\" aria-label=\"Map of locations\"></div></section>\n")
        .append("<section class=\"card\"><h2>OEE by location</h2><p class=\"hint\">Best first; dashed lines at the warning")
        .append(" threshold and world class.</p><div class=\"chart tall\" id=\"chart-oee\" role=\"img\"")
        .append(" aria-label=\"OEE by location\"></div></section>\n</div>\n");

    // row 4: trends
    String bucket = s.window().period().trendPeriod().name().toLowerCase(Locale.ROOT);
    b.append("<section class=\"card\" style=\"margin-bottom:18px\"><h2>Failure trends</h2><p class=\"hint\">")
        .append("Failures per location and local ").append(bucket).append(" (left) and MTBF over the trailing ")
        .append(s.window().period().trendPeriod() == io.modax.fleet.analytics.TrendPeriod.DAY ? "7 days" : "4 weeks")
        .append(" (right), from ")
        .append(e(s.failureTrends().start().atZone(s.window().zone()).toLocalDate().toString())).append(" to the end of the period.")
        .append("</p><div class=\"grid g-1-1\" style=\"margin:0\"><div class=\"chart\" id=\"chart-failures\" role=\"img\"")
        .append(" aria-label=\"Failures per location\"></div><div class=\"chart\" id=\"chart-mtbf\" role=\"img\"")
        .append(" aria-label=\"MTBF per location\"></div></div>");
    details(b, "Data behind the trend charts", trendTable(s.failureTrends().trends(), true));
    b.append("</section>\n");

    // row 5: costs
    b.append("<div class=\"grid g-2-1\">\n<section class=\"card\"><h2>Maintenance cost by location</h2><p class=\"hint\">")
        .append("Planned + unplanned maintenance + downtime cost per local ").append(bucket).append(", stacked, in ")
        .append(e(currency)).append(".</p><div class=\"chart\" id=\"chart-cost\" role=\"img\" aria-label=\"Cost by location\"></div>");
    details(b, "Data behind the cost chart", costTable(s.costs().rows(), currency, true));
    b.append("</section>\n<section class=\"card\"><h2>Cost in the period</h2><p class=\"hint\">By kind, ")
        .append(e(currency)).append(".</p><div class=\"chart\" id=\"chart-cost-split\" role=\"img\" aria-label=\"Cost by kind\"></div>")
        .append("</section>\n</div>\n");

    // tables
    b.append("<section class=\"card\" style=\"margin-bottom:18px\"><h2>Locations in the period</h2>");
    locationTable(b, s.locations().locations(), s.map(), s.periodCosts(), currency, h.thresholds());
    b.append("</section>\n<section class=\"card\" style=\"margin-bottom:18px\"><h2>Benchmarks</h2><p class=\"hint\">")
        .append("Each location against the rest of the fleet over the period (ratios of sums); the status reads in each")
        .append(" metric's direction.</p>");
    benchmarkTable(b, s.benchmarks(), true);
    b.append("</section>\n");
    footer(b, s.mode().name());
    b.append("</main>\n");

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("thresholds", thresholds(h.thresholds()));
    List<Object> charts = new ArrayList<>();
    charts.add(obj("id", "chart-gauge", "type", "gauge", "label", "Fleet OEE", "value", h.oee()));
    charts.add(mapChart(s.map(), null));
    List<Object> bars = new ArrayList<>();
    for (LocationPerformance p : s.locations().locations()) {
      bars.add(obj("name", p.locationName(), "value", p.oee()));
    }
    charts.add(obj("id", "chart-oee", "type", "bars", "rows", bars));
    charts.add(trendChart("chart-failures", s.failureTrends().trends(), t -> (double) t.failures(), "failures", 0, true));
    charts.add(mtbfChart(s.failureTrends().trends(), s.window().period()));
    charts.add(costAreaByLocation(s.costs().rows(), currency));
    charts.add(costSplit(s.periodCosts(), currency));
    data.put("charts", charts);
    scripts(b, data);
    return b.toString();
  }

  /**
   * Renders a location report.
   *
   * @throws InvalidRequestException when the report is null
   * @throws IllegalStateException when the library's own resources are missing from the classpath
   */
  public static String render(LocationReport r) {
    Checks.requireNonNull("report", r);
    String currency = r.currency();
    LocationMarker loc = r.location();
    StringBuilder b = new StringBuilder(1_400_000);
    head(b, loc.locationName() + " \u2013 " + r.window().period().adjective() + " location report, " + r.window().label());
    masthead(b, "Location report \u00b7 " + r.organizationName() + " \u00b7 " + r.window().period().adjective(),
        loc.locationName(), r.window(), r.complete(), r.generatedAt(), r.mode().name(), r.status());
    b.append("<main>\n<div class=\"grid g-1-2\">\n<section class=\"card\"><h2>Location health</h2><p class=\"hint\">")
        .append("OEE over the period");
    if (r.oeeRank() > 0) {
      b.append(", rank ").append(r.oeeRank()).append(" of ").append(r.rankedLocations()).append(" by OEE");
    }
    b.append(".</p><div class=\"chart short\" id=\"chart-gauge\" role=\"img\" aria-label=\"Location OEE gauge\"></div>");
    bands(b, r.thresholds());
    b.append("<p class=\"hint\" style=\"margin-top:8px\">").append(loc.deviceCount()).append(" devices \u00b7 ")
        .append(e(r.timezone())).append(loc.alertCount() > 0 ? " \u00b7 " + loc.alertCount() + " alert(s)" : "")
        .append("</p></section>\n<section class=\"card\"><h2>Key metrics</h2><p class=\"hint\">")
        .append(e(r.window().label())).append(" against the previous ").append(r.window().period().noun()).append(".</p>");
    kpis(b, r.keyMetrics(), currency);
    b.append("</section>\n</div>\n<div class=\"grid g-1-1\">\n");
    recommendations(b, r.recommendations());
    findings(b, r.findings());
    b.append("</div>\n<div class=\"grid g-1-1\">\n<section class=\"card\"><h2>Against the rest of the fleet</h2><p class=\"hint\">")
        .append("Ratios of sums over the period; the status reads in each metric's direction.</p>");
    benchmarkTable(b, List.of(r.benchmark()), false);
    b.append("</section>\n<section class=\"card\"><h2>Where it is</h2><p class=\"hint\">All locations; this one ringed.</p>")
        .append("<div class=\"chart\" id=\"chart-map\" role=\"img\" aria-label=\"Map of locations\"></div></section>\n</div>\n");
    String bucket = r.window().period().trendPeriod().name().toLowerCase(Locale.ROOT);
    b.append("<section class=\"card\" style=\"margin-bottom:18px\"><h2>Failure trends</h2><p class=\"hint\">")
        .append("Failures per local ").append(bucket).append(" in ").append(e(r.timezone())).append(" (left) and MTBF over the trailing ")
        .append(r.window().period().trendPeriod() == io.modax.fleet.analytics.TrendPeriod.DAY ? "7 days" : "4 weeks").append(" (right)")
        .append(".</p><div class=\"grid g-1-1\" style=\"margin:0\"><div class=\"chart\" id=\"chart-failures\" role=\"img\"")
        .append(" aria-label=\"Failures\"></div><div class=\"chart\" id=\"chart-mtbf\" role=\"img\" aria-label=\"MTBF\"></div></div>");
    details(b, "Data behind the trend charts", trendTable(r.failureTrends(), false));
    b.append("</section>\n<section class=\"card\" style=\"margin-bottom:18px\"><h2>Maintenance cost</h2><p class=\"hint\">")
        .append("Planned, unplanned and downtime cost per local ").append(bucket).append(", stacked, in ").append(e(currency))
        .append(".</p><div class=\"chart\" id=\"chart-cost\" role=\"img\" aria-label=\"Cost by kind\"></div>");
    details(b, "Data behind the cost chart", costTable(r.costs(), currency, false));
    b.append("</section>\n");
    footer(b, r.mode().name());
    b.append("</main>\n");

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("thresholds", thresholds(r.thresholds()));
    List<Object> charts = new ArrayList<>();
    charts.add(obj("id", "chart-gauge", "type", "gauge", "label", "OEE", "value", loc.oee()));
    charts.add(mapChart(r.allLocations(), loc.locationId()));
    Map<String, Object> failures = trendChart("chart-failures", r.failureTrends(), t -> (double) t.failures(), "failures", 0, true);
    charts.add(failures);
    charts.add(mtbfChart(r.failureTrends(), r.window().period()));
    charts.add(costAreaByKind(r.costs(), currency));
    data.put("charts", charts);
    scripts(b, data);
    return b.toString();
  }

  /**
   * Renders the summary and writes it to a file (UTF-8), creating parent directories.
   *
   * @return the file
   * @throws UncheckedIOException when the file cannot be written
   */
  public static Path write(ExecutiveSummary summary, Path file) {
    return write(render(summary), Checks.requireNonNull("file", file));
  }

  /**
   * Renders the location report and writes it to a file (UTF-8), creating parent directories.
   *
   * @return the file
   * @throws UncheckedIOException when the file cannot be written
   */
  public static Path write(LocationReport report, Path file) {
    return write(render(report), Checks.requireNonNull("file", file));
  }

  private static Path write(String html, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.writeString(file, html, StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException("could not write the report to " + file, ex);
    }
  }

  // ------------------------------------------------------------------ page parts

  private static void head(StringBuilder b, String title) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline';")
        .append(" style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; form-action 'none';")
        .append(" base-uri 'none'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"fleet-analytics\">\n<title>").append(e(title)).append("</title>\n<style>\n")
        .append(resource(RESOURCES + "report.css")).append("</style>\n</head>\n<body>\n");
  }

  private static void masthead(StringBuilder b, String kicker, String title, ReportWindow w, boolean complete,
      java.time.Instant generatedAt, String mode, FleetHealth.Status status) {
    b.append("<header class=\"masthead\"><div class=\"kicker\">").append(e(kicker)).append("</div><h1>").append(e(title))
        .append("</h1><div class=\"period\">").append(e(w.label())).append(" <span class=\"status s-").append(status.name())
        .append("\">").append(e(statusText(status))).append("</span>");
    if (!complete) {
      b.append("<span class=\"partial\">period not over: partial figures</span>");
    }
    b.append("</div><div class=\"meta\">").append(e(w.zone().getId())).append(" calendar \u00b7 ")
        .append(e(w.start().atZone(w.zone()).toLocalDateTime().toString().replace('T', ' '))).append(" to ")
        .append(e(w.end().atZone(w.zone()).toLocalDateTime().toString().replace('T', ' '))).append(" \u00b7 generated ")
        .append(e(GENERATED.format(generatedAt))).append(" \u00b7 ")
        .append("SEED_COMPATIBLE".equals(mode) ? "design-compatible plain averages" : "exposure-weighted figures")
        .append("</div></header>\n");
  }

  private static void bands(StringBuilder b, FleetHealth.Thresholds t) {
    b.append("<div class=\"bands\"><span style=\"--c:var(--critical)\">critical &lt; ").append(pct0(t.critical()))
        .append("</span><span style=\"--c:var(--warning)\">warning &lt; ").append(pct0(t.warning()))
        .append("</span><span style=\"--c:var(--fair)\">fair &lt; ").append(pct0(t.good()))
        .append("</span><span style=\"--c:var(--good)\">good \u2265 ").append(pct0(t.good())).append("</span></div>");
  }

  private static void kpis(StringBuilder b, List<KeyMetric> metrics, String currency) {
    b.append("<div class=\"kpis\">");
    KeyMetric failures = metrics.stream().filter(m -> m.kind() == KeyMetric.Kind.FAILURES).findFirst().orElse(null);
    boolean noFailures = failures != null && failures.value() != null && failures.value() == 0;
    for (KeyMetric k : metrics) {
      // MTBF and MTTR are undefined without failures: say why instead of "n/a"
      boolean undefined = k.value() == null && noFailures
          && (k.kind() == KeyMetric.Kind.MTBF || k.kind() == KeyMetric.Kind.MTTR);
      b.append("<div class=\"kpi\"").append(k.note() == null ? "" : " title=\"" + e(k.note()) + "\"")
          .append("><div class=\"label\">").append(e(k.kind().label())).append("</div><div class=\"value\">")
          .append(undefined ? "no failures" : e(format(k.kind(), k.value(), currency)))
          .append("</div><div class=\"delta t-").append(k.trend().name())
          .append("\">").append(e(delta(k, currency))).append("</div></div>");
    }
    b.append("</div>");
  }

  private static void callouts(StringBuilder b, @Nullable LocationPerformance best, @Nullable LocationPerformance worst,
      FleetHealth.Thresholds t) {
    if (best == null) {
      return;
    }
    b.append("<div class=\"callouts\">");
    callout(b, "Best location", best, t);
    // no "lowest" callout when the locations are level
    if (worst != null && worst.oee() != null && best.oee() != null && best.oee() - worst.oee() >= 0.005) {
      callout(b, "Lowest OEE", worst, t);
    }
    b.append("</div>");
  }

  private static void callout(StringBuilder b, String label, LocationPerformance p, FleetHealth.Thresholds t) {
    b.append("<div class=\"callout\" style=\"--c:").append(bandColor(t.classify(p.oee()))).append("\"><div class=\"label\">")
        .append(e(label)).append("</div><div class=\"name\">").append(e(p.locationName())).append("</div><div class=\"num\">OEE ")
        .append(e(pct(p.oee()))).append(" \u00b7 uptime ").append(e(pct(p.avgUptime()))).append(" \u00b7 MTTR ")
        .append(e(hours(p.mttr()))).append("</div></div>");
  }

  private static void recommendations(StringBuilder b, List<Recommendation> recs) {
    b.append("<section class=\"card\"><h2>Recommendations</h2><p class=\"hint\">Each follows from the number")
        .append(" before the colon.</p>");
    if (recs.isEmpty()) {
      b.append("<p class=\"none\">No action needed: no location stands out from the rest of the fleet and fleet OEE is")
          .append(" outside the warning bands.</p>");
    } else {
      b.append("<ol class=\"recs\">");
      for (Recommendation r : recs) {
        b.append("<li class=\"rec\"><div><span class=\"evidence\">").append(e(r.evidence())).append(":</span> <span class=\"action\">")
            .append(e(r.action())).append("</span></div><span class=\"badge p-").append(r.priority().name()).append("\">")
            .append(e(r.priority().name().toLowerCase(Locale.ROOT))).append("</span></li>");
      }
      b.append("</ol>");
    }
    b.append("</section>\n");
  }

  private static void findings(StringBuilder b, List<Finding> findings) {
    b.append("<section class=\"card\"><h2>Findings</h2><p class=\"hint\">Most severe first; tests at the 5% level where")
        .append(" one was made.</p>");
    if (findings.isEmpty()) {
      b.append("<p class=\"none\">Nothing stands out in this period.</p>");
    } else {
      b.append("<ul class=\"findings\">");
      for (Finding f : findings) {
        b.append("<li class=\"f-").append(f.severity().name()).append("\">").append(e(f.message()));
        if (f.significance() != null && f.kind() != Finding.Kind.BENCHMARK) {
          b.append(" <span class=\"test\">(").append(e(f.significance().test())).append(")</span>");
        }
        b.append("</li>");
      }
      b.append("</ul>");
    }
    b.append("</section>\n");
  }

  private static void locationTable(StringBuilder b, List<LocationPerformance> rows, List<LocationMarker> markers,
      List<PeriodCost> costs, String currency, FleetHealth.Thresholds t) {
    Map<String, LocationMarker> byId = new HashMap<>();
    markers.forEach(m -> byId.put(m.locationId(), m));
    Map<String, PeriodCost> costById = new HashMap<>();
    costs.forEach(c -> costById.put(c.locationId(), c));
    b.append("<div class=\"scroll\"><table><thead><tr><th>Location</th><th>Band</th><th class=\"n\">OEE</th>")
        .append("<th class=\"n\">Uptime</th><th class=\"n\">Efficiency</th><th class=\"n\">Failures</th><th class=\"n\">MTBF</th>")
        .append("<th class=\"n\">MTTR</th><th class=\"n\">Energy</th><th class=\"n\">Devices</th><th class=\"n\">Cost</th>")
        .append("<th>Alerts</th></tr></thead><tbody>");
    for (LocationPerformance p : rows) {
      LocationMarker m = byId.get(p.locationId());
      PeriodCost c = costById.get(p.locationId());
      FleetHealth.Status st = t.classify(p.oee());
      b.append("<tr><td>").append(e(p.locationName())).append("</td><td><span class=\"status s-").append(st.name()).append("\">")
          .append(e(statusText(st))).append("</span></td><td class=\"n\">").append(e(pct(p.oee()))).append("</td><td class=\"n\">")
          .append(e(pct(p.avgUptime()))).append("</td><td class=\"n\">").append(e(pct(p.avgEfficiency()))).append("</td><td class=\"n\">")
          .append(p.totalFailures()).append("</td><td class=\"n\">").append(e(hours(p.mtbf()))).append("</td><td class=\"n\">")
          .append(e(hours(p.mttr()))).append("</td><td class=\"n\">").append(e(kwh(p.avgEnergyConsumption())))
          .append("</td><td class=\"n\">").append(m == null ? "" : m.deviceCount()).append("</td><td class=\"n\">")
          .append(c == null ? "" : e(money(c.totalCost(), currency))).append("</td><td>");
      if (m != null) {
        List<String> alerts = m.alerts().stream().map(a -> a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList();
        b.append(e(alerts.isEmpty() ? "none" : String.join(", ", alerts)));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div>");
  }

  private static void benchmarkTable(StringBuilder b, List<LocationBenchmark> benchmarks, boolean withLocation) {
    b.append("<div class=\"scroll\"><table><thead><tr>").append(withLocation ? "<th>Location</th>" : "")
        .append("<th>Metric</th><th class=\"n\">Location</th><th class=\"n\">")
        .append(benchmarks.isEmpty() || !benchmarks.get(0).fleetIncludesLocation() ? "Rest of fleet" : "Fleet average")
        .append("</th><th class=\"n\">Difference</th><th>Status</th></tr></thead><tbody>");
    for (LocationBenchmark lb : benchmarks) {
      boolean first = true;
      for (LocationBenchmark.MetricBenchmark m : lb.metrics()) {
        b.append("<tr>").append(withLocation ? "<td>" + (first ? e(lb.locationName()) : "") + "</td>" : "")
            .append("<td>").append(e(metricLabel(m.metric())))
            .append("</td><td class=\"n\">").append(e(metricValue(m.metric(), m.locationValue()))).append("</td><td class=\"n\">")
            .append(e(metricValue(m.metric(), m.fleetValue()))).append("</td><td class=\"n\">")
            .append(m.differencePercent() == null ? "n/a" : e(String.format(Locale.ROOT, "%+.1f%%", m.differencePercent())))
            .append("</td><td class=\"b-").append(m.status().name()).append("\">")
            .append(e(status(m))).append("</td></tr>");
        first = false;
      }
    }
    b.append("</tbody></table></div>");
  }

  private static String trendTable(List<FailureTrend> rows, boolean withLocation) {
    StringBuilder b = new StringBuilder("<table><thead><tr>");
    if (withLocation) {
      b.append("<th>Location</th>");
    }
    b.append("<th>Period</th><th class=\"n\">Failures</th><th class=\"n\">MTBF</th><th class=\"n\">Production h</th>")
        .append("<th class=\"n\">Change</th></tr></thead><tbody>");
    for (FailureTrend t : rows) {
      b.append("<tr>");
      if (withLocation) {
        b.append("<td>").append(e(t.locationName())).append("</td>");
      }
      b.append("<td>").append(e(t.periodStart().toString())).append(t.complete() ? "" : " (in progress)")
          .append("</td><td class=\"n\">").append(t.failures()).append("</td><td class=\"n\">").append(e(hours(t.mtbf())))
          .append("</td><td class=\"n\">").append(e(String.format(Locale.ENGLISH, "%,.0f", t.productionHours())))
          .append("</td><td class=\"n\">").append(e(change(t))).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static String costTable(List<MaintenanceCosts.LocationPeriod> rows, String currency, boolean withLocation) {
    StringBuilder b = new StringBuilder("<table><thead><tr>");
    if (withLocation) {
      b.append("<th>Location</th>");
    }
    b.append("<th>Period</th><th class=\"n\">Planned</th><th class=\"n\">Unplanned</th><th class=\"n\">Downtime h</th>")
        .append("<th class=\"n\">Downtime cost</th><th class=\"n\">Total</th></tr></thead><tbody>");
    for (MaintenanceCosts.LocationPeriod r : rows) {
      b.append("<tr>");
      if (withLocation) {
        b.append("<td>").append(e(r.locationName())).append("</td>");
      }
      b.append("<td>").append(e(r.periodStart().toString())).append("</td><td class=\"n\">")
          .append(e(money(r.plannedMaintenanceCost(), currency))).append("</td><td class=\"n\">")
          .append(e(money(r.unplannedMaintenanceCost(), currency))).append("</td><td class=\"n\">")
          .append(e(String.format(Locale.ENGLISH, "%,.1f", r.downtimeHours()))).append("</td><td class=\"n\">")
          .append(r.downtimeCost() == null ? "n/a" : e(money(r.downtimeCost(), currency))).append("</td><td class=\"n\">")
          .append(e(money(r.totalCost(), currency))).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static void details(StringBuilder b, String summary, String table) {
    b.append("<details><summary>").append(e(summary)).append("</summary><div class=\"scroll\">").append(table)
        .append("</div></details>");
  }

  private static void footer(StringBuilder b, String mode) {
    b.append("<footer><p>OEE, uptime and efficiency are ratios of sums weighted by the exposure they describe")
        .append(" (planned, elapsed and production hours); MTBF = production hours / failures; MTTR = repair hours /")
        .append(" failures; a location's days, weeks and months are its own local calendar ones")
        .append("SEED_COMPATIBLE".equals(mode) ? "; this report uses the design's plain averages (SEED_COMPATIBLE)." : ".")
        .append("</p><p>Generated by fleet-analytics. Charts: Apache ECharts (Apache License 2.0), inlined;")
        .append(" map outline: Natural Earth (public domain) via world-atlas. This file makes no network request.</p></footer>\n");
  }

  private static void scripts(StringBuilder b, Map<String, Object> data) {
    b.append("<script type=\"application/json\" id=\"report-data\">").append(Json.write(data, Json.Style.REPORT)).append("</script>\n")
        .append("<script type=\"application/json\" id=\"world-land\">").append(resource(RESOURCES + "world-land-110m.geo.json"))
        .append("</script>\n<script>\n").append(resource(ECHARTS).replaceAll("(?i)</script", "<\\\\/script"))
        .append("\n</script>\n<script>\n").append(resource(RESOURCES + "report.js")).append("</script>\n</body>\n</html>\n");
  }

  // ------------------------------------------------------------------ chart data

  private static Map<String, Object> thresholds(FleetHealth.Thresholds t) {
    return obj("critical", t.critical(), "warning", t.warning(), "good", t.good());
  }

  private static Map<String, Object> mapChart(List<LocationMarker> markers, @Nullable String highlight) {
    List<Object> out = new ArrayList<>();
    for (LocationMarker m : markers) {
      out.add(obj("name", m.locationName(), "lat", m.latitude(), "lon", m.longitude(), "oee", m.oee(),
          "devices", m.deviceCount(), "alerts", m.alerts().stream().map(LocationMarker.Alert::message).toList(),
          "highlight", m.locationId().equals(highlight)));
    }
    return obj("id", "chart-map", "type", "map", "markers", out);
  }

  private static Map<String, Object> trendChart(String id, List<FailureTrend> rows,
      Function<FailureTrend, @Nullable Double> value, String unit, int decimals, boolean bars) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Map<LocalDate, FailureTrend>> byLocation = new java.util.TreeMap<>(); // by id: one colour per location in every chart
    for (FailureTrend t : rows) {
      dates.add(t.periodStart());
      names.put(t.locationId(), t.locationName());
      byLocation.computeIfAbsent(t.locationId(), k -> new HashMap<>()).put(t.periodStart(), t);
    }
    List<Object> series = new ArrayList<>();
    for (Map.Entry<String, Map<LocalDate, FailureTrend>> e : byLocation.entrySet()) {
      List<@Nullable Object> data = new ArrayList<>();
      for (LocalDate d : dates) {
        FailureTrend t = e.getValue().get(d);
        data.add(t == null || t.snapshotCount() == 0 ? null : round(value.apply(t), 2));
      }
      series.add(obj("name", names.get(e.getKey()), "data", data));
    }
    boolean single = byLocation.size() == 1;
    return obj("id", id, "type", "lines", "unit", unit, "decimals", decimals, "bars", bars && single, "title", unit,
        "x", dates.stream().map(AXIS_DAY::format).toList(), "series", series);
  }

  /**
   * MTBF per location over a trailing window of buckets (7 local days, or 4 weeks for monthly
   * reports): production hours / failures of those buckets, a ratio of sums. A single day's MTBF
   * swings with one failure more or less; the trailing value shows the trend. Null while the
   * trailing window has no failure (no finite MTBF).
   */
  private static Map<String, Object> mtbfChart(List<FailureTrend> rows, ReportPeriod period) {
    int span = period.trendPeriod() == io.modax.fleet.analytics.TrendPeriod.DAY ? 7 : 4;
    TreeSet<LocalDate> dates = new TreeSet<>();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Map<LocalDate, FailureTrend>> byLocation = new java.util.TreeMap<>(); // by id: one colour per location in every chart
    for (FailureTrend t : rows) {
      dates.add(t.periodStart());
      names.put(t.locationId(), t.locationName());
      byLocation.computeIfAbsent(t.locationId(), k -> new HashMap<>()).put(t.periodStart(), t);
    }
    List<LocalDate> axis = new ArrayList<>(dates);
    List<Object> series = new ArrayList<>();
    for (Map.Entry<String, Map<LocalDate, FailureTrend>> e : byLocation.entrySet()) {
      List<@Nullable Object> data = new ArrayList<>();
      for (int i = 0; i < axis.size(); i++) {
        double hours = 0;
        long failures = 0;
        for (int j = Math.max(0, i - span + 1); j <= i; j++) {
          FailureTrend t = e.getValue().get(axis.get(j));
          if (t != null) {
            hours += t.productionHours();
            failures += t.failures();
          }
        }
        data.add(failures == 0 || i < span - 1 ? null : round(hours / failures, 1));
      }
      series.add(obj("name", names.get(e.getKey()), "data", data));
    }
    return obj("id", "chart-mtbf", "type", "lines", "unit", "h", "decimals", 1, "bars", false,
        "title", "MTBF, trailing " + span + " " + (span == 7 ? "days" : "weeks"),
        "x", axis.stream().map(AXIS_DAY::format).toList(), "series", series);
  }

  private static Map<String, Object> costAreaByLocation(List<MaintenanceCosts.LocationPeriod> rows, String currency) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Map<LocalDate, BigDecimal>> totals = new java.util.TreeMap<>();
    for (MaintenanceCosts.LocationPeriod r : rows) {
      dates.add(r.periodStart());
      names.put(r.locationId(), r.locationName());
      totals.computeIfAbsent(r.locationId(), k -> new HashMap<>()).merge(r.periodStart(), r.totalCost(), BigDecimal::add);
    }
    List<Object> series = new ArrayList<>();
    for (Map.Entry<String, Map<LocalDate, BigDecimal>> e : totals.entrySet()) {
      List<Object> data = new ArrayList<>();
      for (LocalDate d : dates) {
        data.add(e.getValue().getOrDefault(d, BigDecimal.ZERO).doubleValue());
      }
      series.add(obj("name", names.get(e.getKey()), "data", data));
    }
    return obj("id", "chart-cost", "type", "area", "currency", currency,
        "x", dates.stream().map(AXIS_DAY::format).toList(), "series", series);
  }

  private static Map<String, Object> costAreaByKind(List<MaintenanceCosts.LocationPeriod> rows, String currency) {
    List<Object> x = new ArrayList<>();
    List<Object> planned = new ArrayList<>();
    List<Object> unplanned = new ArrayList<>();
    List<Object> downtime = new ArrayList<>();
    for (MaintenanceCosts.LocationPeriod r : rows) {
      x.add(AXIS_DAY.format(r.periodStart()));
      planned.add(r.plannedMaintenanceCost().doubleValue());
      unplanned.add(r.unplannedMaintenanceCost().doubleValue());
      downtime.add(r.downtimeCost() == null ? 0.0 : r.downtimeCost().doubleValue());
    }
    return obj("id", "chart-cost", "type", "area", "currency", currency, "x", x, "series", List.of(
        obj("name", "Planned maintenance", "data", planned, "color", "#4e79b7"),
        obj("name", "Unplanned maintenance", "data", unplanned, "color", "#e15759"),
        obj("name", "Downtime", "data", downtime, "color", "#f2a541")));
  }

  private static Map<String, Object> costSplit(List<PeriodCost> costs, String currency) {
    List<Object> names = new ArrayList<>();
    List<Object> planned = new ArrayList<>();
    List<Object> unplanned = new ArrayList<>();
    List<Object> downtime = new ArrayList<>();
    for (PeriodCost c : costs) {
      names.add(c.locationName());
      planned.add(c.plannedMaintenanceCost().doubleValue());
      unplanned.add(c.unplannedMaintenanceCost().doubleValue());
      downtime.add(c.downtimeCost() == null ? 0.0 : c.downtimeCost().doubleValue());
    }
    return obj("id", "chart-cost-split", "type", "split", "currency", currency, "categories", names, "series", List.of(
        obj("name", "Planned", "key", "planned", "data", planned),
        obj("name", "Unplanned", "key", "unplanned", "data", unplanned),
        obj("name", "Downtime", "key", "downtime", "data", downtime)));
  }

  // ------------------------------------------------------------------ formatting

  /** Escapes text for HTML element content and attribute values. */
  static String e(@Nullable String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String format(KeyMetric.Kind kind, @Nullable Double v, String currency) {
    if (v == null) {
      return "n/a";
    }
    return switch (kind.unit()) {
      case "fraction" -> pct(v);
      case "h" -> hours(v);
      case "kWh/h" -> kwh(v);
      case "count" -> String.format(Locale.ENGLISH, "%,.0f", v);
      default -> String.format(Locale.ENGLISH, "%,.0f %s", v, currency);
    };
  }

  private static String delta(KeyMetric k, String currency) {
    if (k.previous() == null) {
      return "no previous figure";
    }
    String prev = "prev. " + format(k.kind(), k.previous(), currency);
    if (k.note() != null) {
      return prev + " \u00b7 not compared: less data then";
    }
    if (k.change() == null) {
      return prev;
    }
    String arrow = k.change() > 0 ? "\u25B2 " : k.change() < 0 ? "\u25BC " : "";
    String change;
    if ("fraction".equals(k.kind().unit())) {
      change = String.format(Locale.ROOT, "%+.1f pts", k.change() * 100);
    } else if (k.changePercent() != null) {
      change = String.format(Locale.ROOT, "%+.1f%%", k.changePercent());
    } else {
      change = "from 0";
    }
    return arrow + change + " \u00b7 " + prev;
  }

  /** The status with the test it rests on, so that "worse" never stands without one. */
  private static String status(LocationBenchmark.MetricBenchmark m) {
    String words = m.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    LocationDifference d = m.significance();
    if (d == null) {
      return m.notTested() == null ? words : words + " (not tested)";
    }
    String test = d.chosen().method().name().startsWith("Welch") ? "Welch" : "Mann-Whitney";
    String p = d.adjustedPValue() == null
        ? String.format(Locale.ROOT, "p %.3g", d.chosen().pValue())
        : String.format(Locale.ROOT, "q %.3g", d.adjustedPValue());
    return words + " (" + test + ", " + p + ")";
  }

  private static String change(FailureTrend t) {
    return switch (t.change()) {
      case COMPARED -> String.format(Locale.ROOT, "%+.0f%%", t.changePercent());
      case NO_PREVIOUS_FAILURES -> "from 0";
      case NO_PREVIOUS_PERIOD -> "first period";
      case NO_DATA -> "no data";
      case IN_PROGRESS -> "in progress";
      case NO_FAILURES -> "none (was " + t.previousFailures() + ")";
    };
  }

  private static String metricLabel(Metric m) {
    return switch (m) {
      case OEE -> "OEE";
      case UPTIME -> "Uptime";
      case EFFICIENCY -> "Efficiency";
      case ENERGY_CONSUMPTION -> "Energy intensity";
      case MTBF -> "MTBF";
      case MTTR -> "MTTR";
      case TOTAL_FAILURES -> "Failures";
    };
  }

  private static String metricValue(Metric m, @Nullable Double v) {
    return switch (m) {
      case OEE, UPTIME, EFFICIENCY -> pct(v);
      case ENERGY_CONSUMPTION -> kwh(v);
      case MTBF, MTTR -> hours(v);
      case TOTAL_FAILURES -> v == null ? "n/a" : String.format(Locale.ENGLISH, "%,.0f", v);
    };
  }

  private static String statusText(FleetHealth.Status s) {
    return s == FleetHealth.Status.NO_DATA ? "no data" : s.name().toLowerCase(Locale.ROOT);
  }

  private static String bandColor(FleetHealth.Status s) {
    return switch (s) {
      case CRITICAL -> "var(--critical)";
      case WARNING -> "var(--warning)";
      case FAIR -> "var(--fair)";
      case GOOD -> "var(--good)";
      case NO_DATA -> "var(--nodata)";
    };
  }

  private static String pct(@Nullable Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  private static String pct0(double v) {
    return String.format(Locale.ROOT, "%.0f%%", v * 100);
  }

  private static String hours(@Nullable Double v) {
    if (v == null) {
      return "n/a";
    }
    return v >= 100 ? String.format(Locale.ENGLISH, "%,.0f h", v) : String.format(Locale.ROOT, "%.1f h", v);
  }

  private static String kwh(@Nullable Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f kWh/h", v);
  }

  private static String money(BigDecimal v, String currency) {
    return String.format(Locale.ENGLISH, "%,.0f %s", v, currency);
  }

  private static @Nullable Double round(@Nullable Double v, int digits) {
    if (v == null) {
      return null;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** An ordered map from alternating keys and values (values may be null). */
  private static Map<String, Object> obj(@Nullable Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), kv[i + 1]);
    }
    return m;
  }

  private static String resource(String path) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is missing from the classpath: the fleet-analytics-core"
            + " jar is incomplete (it is built with ECharts unpacked from its WebJar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException("could not read resource " + path, ex);
    }
  }
}
