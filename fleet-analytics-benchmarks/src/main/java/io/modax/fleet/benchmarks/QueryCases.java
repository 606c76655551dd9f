package io.modax.fleet.benchmarks;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.FailureTrend;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.LocationRanking;
import io.modax.fleet.analytics.MaintenanceForecast;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.analytics.Window;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the query benchmark runs: each of the design's analyses and dashboard panels, through the
 * library and as the design's SQL, over a window, and how a {@code SEED_COMPATIBLE} answer is
 * compared with the design's rows.
 */
final class QueryCases {

  /** Whom the library's calls are made for. */
  static final CallerContext READER = CallerContext.of("bench-reader", FleetDataset.ORG, Role.READ_ONLY);

  /** The location the benchmark analysis benchmarks: B, the sample fleet's underperformer. */
  static final String BENCHMARKED = "B";

  /** The underperformers' OEE threshold: above the design's 0.7 so that the list is not empty. */
  static final double UNDER_THRESHOLD = 0.8;

  /** Relative tolerance of the SEED_COMPATIBLE check (sums in another order differ in the last bits). */
  static final double TOLERANCE = 1e-9;

  /** Runs one statement set of the design and returns its rows. */
  @FunctionalInterface
  interface DesignCall {
    List<Map<String, Object>> run(DesignSql.Session s) throws SQLException;
  }

  /** Compares a SEED_COMPATIBLE answer with the design's rows; null when they are equal. */
  @FunctionalInterface
  interface Check {
    String mismatch(Object seedAnswer, List<Map<String, Object>> designRows);
  }

  /** A call through the library. */
  @FunctionalInterface
  interface LibraryCall {
    Object run(FleetAnalytics fleet);
  }

  /**
   * One line of the table.
   *
   * @param group "analysis" or "panel"
   * @param name what it is
   * @param window the window, as printed
   * @param baseline how the design side was written: "design SQL", "design-style SQL" (the design
   *     has none), "design's daily aggregate", or null (nothing comparable)
   * @param library the call through the library
   * @param design the design's statements, or null
   * @param check the SEED_COMPATIBLE check, or null
   */
  record Case(String group, String name, String window, String baseline, LibraryCall library,
      DesignCall design, Check check) {}

  /** The windows of the analyses, days (365 stands for one calendar year). */
  static final int[] ANALYSIS_WINDOWS = {30, 90, 365};

  /** The windows of the panels (1 stands for the gauge's 24 hours). */
  static final int[] PANEL_WINDOWS = {1, 30, 90, 365};

  private QueryCases() {}

  static String label(int days) {
    return switch (days) {
      case 1 -> "24 h";
      case 365 -> "1 year";
      default -> days + " days";
    };
  }

  /** The window as the design writes it, for its INTERVAL literal. */
  static String interval(int days) {
    return switch (days) {
      case 1 -> "24 hours";
      case 365 -> "1 year";
      default -> days + " days";
    };
  }

  /** The same window for the library: the last 24 hours, N days or one calendar year. */
  static Window window(int days) {
    return switch (days) {
      case 1 -> Window.last(Duration.ofHours(24));
      case 365 -> Window.last(Period.ofYears(1));
      default -> Window.lastDays(days);
    };
  }

  static Instant start(int days) {
    return days == 365 ? FleetDataset.NOW.atZone(ZoneOffset.UTC).minusYears(1).toInstant()
        : FleetDataset.NOW.minus(Duration.ofDays(days));
  }

  /** Every case, for a fleet with these location ids. */
  static List<Case> all(DesignSql design, String[] locationIds, String aggregateShim) {
    String org = FleetDataset.ORG;
    List<Case> out = new ArrayList<>();
    String compareSql = design.method("compare_locations");
    for (int d : ANALYSIS_WINDOWS) {
      Window w = window(d);
      Instant from = start(d);
      out.add(new Case("analysis", "location comparison (all locations)", label(d), "design SQL",
          f -> f.fleetAnalyzer().compareLocations(READER, org, List.of(locationIds), from, FleetDataset.NOW),
          s -> s.run(compareSql, Map.of(1, org, 2, locationIds, 3, from, 4, FleetDataset.NOW)),
          QueryCases::checkComparison));
    }
    if (aggregateShim != null) {
      out.add(new Case("analysis", "location comparison (all locations)", label(365),
          "design's daily aggregate",
          f -> f.fleetAnalyzer().compareLocations(READER, org, List.of(locationIds), start(365), FleetDataset.NOW),
          s -> s.run(compareSql.replace("FROM fleet_metrics fm", "FROM \"" + aggregateShim + "\".design_daily fm")
                  .replace("fm.timestamp BETWEEN", "fm.day BETWEEN"),
              Map.of(1, org, 2, locationIds, 3, start(365), 4, FleetDataset.NOW)),
          null));
    }
    String best = design.method("identify_best_performers").replace("{metric}", "oee");
    for (int d : ANALYSIS_WINDOWS) {
      Window w = window(d);
      out.add(new Case("analysis", "best performers (OEE, top 5)", label(d), "design SQL",
          f -> f.fleetAnalyzer().bestPerformers(READER, org, Metric.OEE, 5, w),
          s -> s.run(DesignSql.withWindow(best, interval(d)), Map.of(1, org, 2, 5)),
          QueryCases::checkBest));
    }
    String under = design.method("identify_underperformers");
    for (int d : ANALYSIS_WINDOWS) {
      Window w = window(d);
      out.add(new Case("analysis", "underperformers (OEE < " + UNDER_THRESHOLD + ")", label(d), "design SQL",
          f -> f.fleetAnalyzer().underperformers(READER, org, UNDER_THRESHOLD, w),
          s -> s.run(DesignSql.withWindow(under, interval(d)), Map.of(1, org, 2, UNDER_THRESHOLD)),
          QueryCases::checkUnder));
    }
    String trends = design.method("analyze_failure_trends");
    for (TrendPeriod p : List.of(TrendPeriod.MONTH, TrendPeriod.WEEK)) {
      String sql = trends.replace("{interval}", p == TrendPeriod.MONTH ? "1 month" : "1 week");
      for (int d : ANALYSIS_WINDOWS) {
        Window w = window(d);
        out.add(new Case("analysis", "failure trends, " + p.designName(), label(d), "design SQL",
            f -> f.trendAnalyzer().failureTrends(READER, org, p, w),
            s -> s.run(DesignSql.withWindow(sql, interval(d)), Map.of(1, org)),
            QueryCases::checkTrends));
      }
      if (aggregateShim != null && p == TrendPeriod.MONTH) {
        out.add(new Case("analysis", "failure trends, monthly", label(365), "design's daily aggregate",
            f -> f.trendAnalyzer().failureTrends(READER, org, p, window(365)),
            s -> s.run(sql.replace("time_bucket('1 month', timestamp)", "time_bucket('1 month', day)")
                .replace("FROM fleet_metrics fm", "FROM \"" + aggregateShim + "\".design_daily fm")
                .replace("fm.timestamp >", "fm.day >"), Map.of(1, org)),
            null));
      }
    }
    String bench = design.method("benchmark_location");
    for (int d : ANALYSIS_WINDOWS) {
      Window w = window(d);
      out.add(new Case("analysis", "location benchmark (" + BENCHMARKED + ")", label(d), "design SQL",
          f -> f.benchmarking().benchmarkLocation(READER, org, BENCHMARKED, w),
          s -> s.run(DesignSql.withWindow(bench, interval(d)), Map.of(1, org, 2, BENCHMARKED)),
          QueryCases::checkBenchmark));
    }
    String forecast = design.method("forecast_maintenance_demand");
    out.add(new Case("analysis", "maintenance forecast (30 days ahead)", "history", "design SQL",
        f -> f.trendAnalyzer().forecastMaintenanceDemand(READER, org, 30),
        s -> s.run(forecast, Map.of(1, org)),
        QueryCases::checkForecast));

    String gauge = design.gauge();
    String map = "SELECT l.id AS location_id, l.name AS location_name, l.latitude, l.longitude,"
        + " AVG(fm.oee) AS oee_score FROM fleet_metrics fm JOIN locations l ON fm.location_id = l.id"
        + " WHERE fm.organization_id = $1 AND fm.timestamp > NOW() - INTERVAL '24 hours'"
        + " GROUP BY l.id, l.name, l.latitude, l.longitude ORDER BY l.id";
    for (int d : PANEL_WINDOWS) {
      Window w = window(d);
      out.add(new Case("panel", "fleet health gauge", label(d), "design SQL",
          f -> f.dashboard().fleetHealth(READER, org, FleetHealth.Thresholds.DEFAULT, w),
          s -> s.run(DesignSql.withWindow(gauge, interval(d)), Map.of()),
          QueryCases::checkGauge));
    }
    for (int d : PANEL_WINDOWS) {
      Window w = window(d);
      out.add(new Case("panel", "location map", label(d), "design-style SQL",
          f -> f.dashboard().locationMap(READER, org, FleetHealth.Thresholds.DEFAULT, w),
          s -> s.run(DesignSql.withWindow(map, interval(d)), Map.of(1, org)),
          QueryCases::checkMap));
    }
    for (int d : PANEL_WINDOWS) {
      Window w = window(d);
      Instant from = d == 1 ? FleetDataset.NOW.minus(Duration.ofHours(24)) : start(d);
      out.add(new Case("panel", "OEE by location", label(d), "design SQL (location comparison)",
          f -> f.dashboard().oeeByLocation(READER, org, w),
          s -> s.run(compareSql, Map.of(1, org, 2, locationIds, 3, from, 4, FleetDataset.NOW)),
          QueryCases::checkComparison));
    }
    String daily = trends.replace("{interval}", "1 day");
    for (int d : ANALYSIS_WINDOWS) {
      Window w = window(d);
      out.add(new Case("panel", "failure trends, daily", label(d), "design SQL (daily buckets)",
          f -> f.trendAnalyzer().failureTrends(READER, org, TrendPeriod.DAY, w),
          s -> s.run(DesignSql.withWindow(daily, interval(d)), Map.of(1, org)),
          QueryCases::checkTrends));
    }
    for (int d : ANALYSIS_WINDOWS) {
      Window w = window(d);
      out.add(new Case("panel", "maintenance costs, daily", label(d), null,
          f -> f.dashboard().maintenanceCosts(READER, org, TrendPeriod.DAY, w), null, null));
    }
    out.add(new Case("panel", "whole dashboard (every panel, default windows)", "24 h + 30 days",
        "design SQL (gauge, comparison 24 h, daily trends 30 days)",
        f -> f.dashboard().dashboard(READER, org),
        s -> {
          List<Map<String, Object>> rows = new ArrayList<>(s.run(DesignSql.withWindow(gauge, "24 hours"), Map.of()));
          rows.addAll(s.run(compareSql, Map.of(1, org, 2, locationIds, 3,
              FleetDataset.NOW.minus(Duration.ofHours(24)), 4, FleetDataset.NOW)));
          rows.addAll(s.run(DesignSql.withWindow(daily, "30 days"), Map.of(1, org)));
          return rows;
        },
        null));
    return out;
  }

  // ------------------------------------------------------------------ SEED_COMPATIBLE checks

  static String checkComparison(Object answer, List<Map<String, Object>> rows) {
    List<LocationPerformance> got = ((LocationComparison) answer).locations();
    if (got.size() != rows.size()) {
      return "rows: " + got.size() + " vs " + rows.size();
    }
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      LocationPerformance p = got.get(i);
      String m = firstOf(
          same("location_id", p.locationId(), r.get("location_id")),
          same("location_name", p.locationName(), r.get("location_name")),
          close("avg_uptime", p.avgUptime(), r.get("avg_uptime")),
          close("avg_efficiency", p.avgEfficiency(), r.get("avg_efficiency")),
          close("oee", p.oee(), r.get("oee")),
          same("total_failures", p.totalFailures(), ((Number) r.get("total_failures")).longValue()),
          close("mtbf", p.mtbf(), r.get("mtbf")),
          close("mttr", p.mttr(), r.get("mttr")));
      if (m != null) {
        return "row " + i + ": " + m;
      }
    }
    return null;
  }

  static String checkBest(Object answer, List<Map<String, Object>> rows) {
    List<LocationPerformance> got = ((LocationRanking) answer).locations();
    if (got.size() != rows.size()) {
      return "rows: " + got.size() + " vs " + rows.size();
    }
    for (int i = 0; i < rows.size(); i++) {
      String m = firstOf(same("location_id", got.get(i).locationId(), rows.get(i).get("location_id")),
          close("metric_value", got.get(i).oee(), rows.get(i).get("metric_value")));
      if (m != null) {
        return "row " + i + ": " + m;
      }
    }
    return null;
  }

  static String checkUnder(Object answer, List<Map<String, Object>> rows) {
    List<LocationPerformance> got = ((LocationRanking) answer).locations();
    if (got.size() != rows.size()) {
      return "rows: " + got.size() + " vs " + rows.size();
    }
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      LocationPerformance p = got.get(i);
      String m = firstOf(same("location_id", p.locationId(), r.get("location_id")),
          close("avg_oee", p.oee(), r.get("avg_oee")),
          close("avg_uptime", p.avgUptime(), r.get("avg_uptime")),
          same("total_failures", p.totalFailures(), ((Number) r.get("total_failures")).longValue()));
      if (m != null) {
        return "row " + i + ": " + m;
      }
    }
    return rows.isEmpty() ? "(both empty)" : null;
  }

  static String checkTrends(Object answer, List<Map<String, Object>> rows) {
    List<FailureTrend> got = ((FailureTrends) answer).trends();
    if (got.size() != rows.size()) {
      return "rows: " + got.size() + " vs " + rows.size();
    }
    Map<String, Long> previous = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      FailureTrend t = got.get(i);
      long failures = ((Number) r.get("failures")).longValue();
      Long prev = previous.put((String) r.get("location_id"), failures);
      String change = null;
      if (prev == null && t.change() != FailureTrend.Change.NO_PREVIOUS_PERIOD
          || prev != null && prev == 0 && t.change() != FailureTrend.Change.NO_PREVIOUS_FAILURES
          || prev != null && prev != 0 && (t.changePercent() == null
              || Math.abs(t.changePercent() - (failures - prev) * 100.0 / prev) > 1e-9)) {
        change = "pct_change differs: " + t.change() + " " + t.changePercent();
      }
      String m = firstOf(
          same("period", t.start(), ((OffsetDateTime) r.get("period")).toInstant()),
          same("location_id", t.locationId(), r.get("location_id")),
          same("location_name", t.locationName(), r.get("location_name")),
          same("failures", t.failures(), failures),
          close("avg_mtbf", t.mtbf(), r.get("avg_mtbf")),
          change);
      if (m != null) {
        return "row " + i + ": " + m;
      }
    }
    return null;
  }

  static String checkBenchmark(Object answer, List<Map<String, Object>> rows) {
    if (rows.size() != 1) {
      return "design rows: " + rows.size();
    }
    LocationBenchmark b = (LocationBenchmark) answer;
    Map<String, Object> r = rows.get(0);
    Map<Metric, String> names = new LinkedHashMap<>();
    names.put(Metric.UPTIME, "uptime");
    names.put(Metric.OEE, "oee");
    names.put(Metric.MTBF, "mtbf");
    names.put(Metric.MTTR, "mttr");
    names.put(Metric.ENERGY_CONSUMPTION, "energy");
    for (Map.Entry<Metric, String> e : names.entrySet()) {
      LocationBenchmark.MetricBenchmark m = b.metric(e.getKey());
      String n = e.getValue();
      String x = firstOf(close("location_" + n, m.locationValue(), r.get("location_" + n)),
          close("fleet_avg_" + n, m.fleetValue(), r.get("fleet_avg_" + n)),
          closeAbs(n + "_diff_pct", m.differencePercent(), r.get(n + "_diff_pct"), 1e-6));
      if (x != null) {
        return x;
      }
    }
    return null;
  }

  static String checkForecast(Object answer, List<Map<String, Object>> rows) {
    double sum = 0;
    for (Map<String, Object> r : rows) {
      sum += ((Number) r.get("daily_failures")).doubleValue();
    }
    double mean = sum / rows.size();
    double ss = 0;
    for (Map<String, Object> r : rows) {
      double x = ((Number) r.get("daily_failures")).doubleValue();
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(ss / (rows.size() - 1));
    MaintenanceForecast f = (MaintenanceForecast) answer;
    int h = f.horizonDays();
    return firstOf(close("expected", f.expectedFailures(), mean * h),
        close("lower", f.lower95(), (mean - 1.96 * sd) * h),
        close("upper", f.upper95(), (mean + 1.96 * sd) * h));
  }

  static String checkGauge(Object answer, List<Map<String, Object>> rows) {
    return close("avg", ((FleetHealth) answer).oee(), rows.get(0).get("avg"));
  }

  static String checkMap(Object answer, List<Map<String, Object>> rows) {
    @SuppressWarnings("unchecked")
    List<LocationMarker> markers = (List<LocationMarker>) answer;
    Map<String, LocationMarker> byId = new HashMap<>();
    markers.forEach(m -> byId.put(m.locationId(), m));
    for (Map<String, Object> r : rows) {
      LocationMarker m = byId.get((String) r.get("location_id"));
      if (m == null) {
        return "no marker for " + r.get("location_id");
      }
      String x = close("oee_score " + m.locationId(), m.oee(), r.get("oee_score"));
      if (x != null) {
        return x;
      }
    }
    long withOee = markers.stream().filter(m -> m.oee() != null).count();
    return withOee == rows.size() ? null : "markers with OEE: " + withOee + " vs " + rows.size();
  }

  // ------------------------------------------------------------------ helpers

  private static String firstOf(String... mismatches) {
    for (String m : mismatches) {
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  private static String same(String what, Object got, Object expected) {
    return Objects.equals(got, expected) ? null : what + ": " + got + " vs " + expected;
  }

  private static String close(String what, Double got, Object expected) {
    if (expected == null) {
      return got == null ? null : what + ": " + got + " vs null";
    }
    double e = ((Number) expected).doubleValue();
    return closeAbs(what, got, expected, TOLERANCE * Math.max(1, Math.abs(e)));
  }

  private static String closeAbs(String what, Double got, Object expected, double tolerance) {
    if (expected == null) {
      return got == null ? null : what + ": " + got + " vs null";
    }
    double e = ((Number) expected).doubleValue();
    return got != null && Math.abs(got - e) <= tolerance ? null
        : what + ": " + got + " vs " + String.format(Locale.ROOT, "%.17g", e);
  }
}
