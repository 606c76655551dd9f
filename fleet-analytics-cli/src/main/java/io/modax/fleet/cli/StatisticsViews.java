package io.modax.fleet.cli;

import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FleetBenchmark;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.MaintenanceForecast;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.ReliabilityReport;
import io.modax.fleet.json.FleetJson;
import io.modax.fleet.statistics.BenchmarkPosition;
import io.modax.fleet.statistics.CountForecast;
import io.modax.fleet.statistics.DifferenceTest;
import io.modax.fleet.statistics.ForecastBacktest;
import io.modax.fleet.statistics.Interval;
import io.modax.fleet.statistics.LaplaceTrend;
import io.modax.fleet.statistics.LocationDifference;
import io.modax.fleet.statistics.PercentileBands;
import io.modax.fleet.statistics.PowerLawTrend;
import io.modax.fleet.statistics.StatisticalMethod;
import io.modax.fleet.statistics.WeibullFit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the statistical analyses (forecast, benchmark, reliability) as tables or JSON. JSON keeps
 * the design's field names where the design has them ({@code forecast_period_days}, {@code
 * expected_failures}, {@code confidence_interval_95}, {@code recommended_spare_parts}, the
 * benchmark's {@code uptime}, {@code oee}, ... with {@code location}, {@code fleet_average}, {@code
 * difference_pct}, {@code status}) and adds the statistics beside them in snake case; every
 * statistical result carries its method ({@code name}, {@code parameters}, {@code assumptions},
 * {@code caveats}).
 */
final class StatisticsViews {
  private StatisticsViews() {}

  private static boolean json(OutputOptions.Format format) {
    return format == OutputOptions.Format.JSON;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String words(Enum<?> e) {
    return lower(e).replace('_', ' ');
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String p(double v) {
    return v < 0.001 ? "< 0.001" : fmt(v, 3);
  }

  /** "model, MAE 3.1, coverage 96% (28 x 30-day)". */
  private static String backtestCell(ForecastBacktest b) {
    return "MAE " + fmt(b.meanAbsoluteError(), 1)
        + (b.meanAbsoluteScaledError() == null ? "" : ", MASE " + fmt(b.meanAbsoluteScaledError(), 2))
        + ", coverage " + Table.percent(b.intervalCoverage()) + " (" + b.origins() + " x " + b.horizonDays()
        + "-day)";
  }

  static String forecast(MaintenanceForecast f, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.maintenanceForecast(f)) + "\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("Maintenance forecast: ").append(f.organizationId()).append(", next ").append(f.horizonDays())
        .append(" days from ").append(f.issuedAt()).append(", ").append(f.mode()).append("\n\n");
    boolean seed = f.mode() == AggregationMode.SEED_COMPATIBLE;
    int decimals = seed ? 1 : 0; // counts by default
    Table t = new Table("", "expected failures", "95% interval", "model", "backtest");
    t.row("fleet", Table.number(f.expectedFailures(), 1), f.lower95() == null ? null
            : Table.number(f.lower95(), decimals) + " to " + Table.number(f.upper95(), decimals),
        f.fleetForecast() == null ? (seed ? "design: (mean -/+ 1.96 sd) x days" : null)
            : f.fleetForecast().backtest().model(),
        f.fleetForecast() == null ? null : backtestCell(f.fleetForecast().backtest()));
    for (MaintenanceForecast.LocationForecast l : f.locations()) {
      CountForecast c = l.forecast();
      t.row(l.locationId(), Table.number(l.expectedFailures(), 1),
          c == null ? null : l.lower95() + " to " + l.upper95(),
          c == null ? "no forecast" : c.backtest().model(), c == null ? null : backtestCell(c.backtest()));
    }
    b.append(t.render());
    if (f.pooledLocationBacktest() != null) {
      ForecastBacktest pooled = f.pooledLocationBacktest();
      b.append("\nPooled location backtest: ").append(backtestCell(pooled))
          .append(" (the coverage of the 95% interval should be near 95%)\n");
    }
    b.append("\nSpare parts at a ").append(Table.percent(f.serviceLevel()))
        .append(" service level (lead time = the horizon):\n\n");
    Table p = new Table("part", "expected units", "recommended stock", "service level (lower first)",
        "demand model", "backtest");
    for (MaintenanceForecast.SparePartNeed n : f.spareParts()) {
      p.row(n.partNumber(), Table.number(n.expectedUnits(), 1), n.recommendedStock(),
          serviceLevelCell(n),
          (n.stock().negativeBinomial() ? "NB, " : "Poisson, ") + n.demandForecast().backtest().model(),
          backtestCell(n.demandForecast().backtest()));
    }
    b.append(f.spareParts().isEmpty() ? "(no part forecasts)\n" : p.render());
    if (!f.notes().isEmpty()) {
      b.append("\nNotes:\n");
      f.notes().forEach(n -> b.append("  - ").append(n).append('\n'));
    }
    b.append("\nMethod: ").append(f.method()).append('\n');
    if (f.statisticalMethod() != null) {
      b.append("\nFleet figures: ").append(f.statisticalMethod().describe());
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ benchmark

  private static String value(Metric m, Double v) {
    boolean fraction = m.unit().equals("fraction");
    return fraction ? Table.percent(v) : Table.number(v, 2);
  }

  /** Both service levels, the lower one first, so that the model's promise never stands alone. */
  private static String serviceLevelCell(MaintenanceForecast.SparePartNeed n) {
    String model = Table.percent(n.stock().achievedServiceLevel()) + " by the model";
    if (n.backtestServiceLevel() == null) {
      return model + " (no backtest)";
    }
    String out = Table.percent(n.backtestServiceLevel()) + " out of sample (" + n.backtestOrigins() + " origins)";
    return n.backtestServiceLevel() < n.stock().achievedServiceLevel() ? out + ", " + model : model + ", " + out;
  }

  private static String significanceCell(LocationBenchmark.MetricBenchmark m) {
    LocationDifference d = m.significance();
    if (d == null) {
      return "not tested";
    }
    String test = d.chosen().method().name().startsWith("Welch") ? "Welch" : "Mann-Whitney";
    String q = d.adjustedPValue() == null ? "p " + p(d.chosen().pValue()) : "q " + p(d.adjustedPValue());
    return words(d.verdict()) + " (" + test + ", " + q + ")";
  }

  private static String bandsCell(LocationBenchmark.MetricBenchmark m) {
    PercentileBands b = m.bands();
    if (b == null) {
      return null;
    }
    return value(m.metric(), b.p10()) + " / " + value(m.metric(), b.p50()) + " / " + value(m.metric(), b.p90());
  }

  private static String benchmarkTable(LocationBenchmark b) {
    boolean seed = b.mode() == AggregationMode.SEED_COMPATIBLE;
    Table t = seed
        ? new Table("metric", "location", "fleet", "difference", "status")
        : new Table("metric", "location", "fleet", "difference", "status", "significance",
            "group P10 / P50 / P90", "reference");
    for (LocationBenchmark.MetricBenchmark m : b.metrics()) {
      boolean fraction = m.metric().unit().equals("fraction");
      String name = FleetJson.benchmarkKey(m.metric()) + (fraction ? "" : " (" + m.metric().unit() + ")");
      String diff = m.differencePercent() == null ? null : String.format(Locale.ROOT, "%+.1f%%", m.differencePercent());
      if (seed) {
        t.row(name, value(m.metric(), m.locationValue()), value(m.metric(), m.fleetValue()), diff, words(m.status()));
      } else {
        t.row(name, value(m.metric(), m.locationValue()), value(m.metric(), m.fleetValue()), diff, words(m.status()),
            m.significance() == null ? "not tested" : significanceCell(m), bandsCell(m),
            m.calibration() == null ? null : words(m.calibration().referenceClass()));
      }
    }
    return "Benchmark: " + b.locationId() + " (" + b.locationName() + ") against " + b.comparedWith() + ", ["
        + b.start() + ", " + b.end() + "), " + b.mode() + "\n\n" + t.render();
  }

  private static String benchmarkFooter(boolean allAtOnce) {
    return "\nStatus is the significance test's verdict: better or worse only when significant, on par"
        + " when not, not comparable when untested. The test compares the daily values of whole local"
        + " days" + (allAtOnce ? ", every location at once (q = Benjamini-Hochberg adjusted p-value)" : "")
        + "; the difference compares the window figures.\n";
  }

  static String benchmark(LocationBenchmark b, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.benchmark(b)) + "\n";
    }
    String footer = b.mode() == AggregationMode.SEED_COMPATIBLE ? "" : benchmarkFooter(false);
    return benchmarkTable(b) + footer;
  }

  static String fleetBenchmark(FleetBenchmark f, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.fleetBenchmark(f)) + "\n";
    }
    StringBuilder b = new StringBuilder();
    if (f.peerGrouping() != null) {
      b.append("Peer groups (").append(f.peerGrouping().method().name()).append("):\n");
      f.peerGrouping().groups().forEach(g -> b.append("  ").append(g.key()).append(": ")
          .append(String.join(", ", g.locationIds())).append('\n'));
      b.append('\n');
    }
    for (LocationBenchmark l : f.locations()) {
      b.append(benchmarkTable(l)).append('\n');
    }
    if (f.mode() != AggregationMode.SEED_COMPATIBLE) {
      b.append(benchmarkFooter(true));
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ reliability

  private static String trendTable(String first, List<ReliabilityReport.ReliabilityTrend> rows) {
    Table t = new Table(first, "failures", "production h", "beta", "beta 95% interval", "verdict", "Laplace U (p)",
        "Weibull shape (95%)", "scale h", "lives (censored)");
    for (ReliabilityReport.ReliabilityTrend r : rows) {
      PowerLawTrend c = r.crowAmsaa();
      LaplaceTrend l = r.laplace();
      WeibullFit w = r.weibull();
      t.row(r.id(), r.failures(), Table.number(r.operatingHours(), 0),
          c == null ? null : fmt(c.beta(), 2),
          c == null ? null : fmt(c.betaInterval().lower(), 2) + " to " + fmt(c.betaInterval().upper(), 2),
          r.verdict() == null ? "not fitted" : words(r.verdict()),
          l == null ? null : fmt(l.statistic(), 2) + " (" + p(l.pValue()) + ")",
          w == null ? null : fmt(w.shape(), 2) + " (" + fmt(w.shapeInterval().lower(), 2) + " to "
              + fmt(w.shapeInterval().upper(), 2) + ")",
          w == null ? null : Table.number(w.scale(), 0),
          r.lives() + " (" + r.censoredLives() + ")");
    }
    return t.render();
  }

  static String reliability(ReliabilityReport r, OutputOptions.Format format) {
    if (json(format)) {
      return FleetJson.write(FleetJson.reliability(r)) + "\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("Reliability trends: ").append(r.organizationId()).append(", [").append(r.start()).append(", ")
        .append(r.end()).append("), times in production device-hours\n\n");
    b.append(trendTable("location", r.locations())).append('\n');
    b.append(trendTable("device type", r.deviceTypes()));
    b.append("\nbeta < 1 improving, > 1 deteriorating; the verdict needs the whole ")
        .append(fmt(r.level() * 100, 0)).append("% interval on one side of 1. Weibull shape < 1 early failures,")
        .append(" about 1 random, > 1 wear-out.\n");
    List<String> notes = new ArrayList<>();
    for (ReliabilityReport.ReliabilityTrend t : r.locations()) {
      t.notes().forEach(n -> notes.add(t.id() + ": " + n));
    }
    for (ReliabilityReport.ReliabilityTrend t : r.deviceTypes()) {
      t.notes().forEach(n -> notes.add(t.id() + ": " + n));
    }
    if (!notes.isEmpty()) {
      b.append("\nNotes:\n");
      notes.forEach(n -> b.append("  - ").append(n).append('\n'));
    }
    return b.append('\n').append(r.method().describe()).toString();
  }
}
