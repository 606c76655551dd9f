package io.modax.fleet.reporting;

import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The one place where findings and recommendations follow from the analyses. Pure: the numbers
 * go in, findings and recommendations come out, so each rule is tested without a database.
 *
 * <p>Every recommendation needs a clear gap (a ratio or band, see {@link FleetReports}'s
 * constants), enough events ({@link FleetReports#MIN_FAILURES}) and, where a test was possible,
 * significance at {@link FleetReports#SIGNIFICANCE_LEVEL}; a fleet whose locations are alike and
 * whose OEE is above the warning band gets none.
 */
final class Rules {

  private Rules() {}

  /**
   * What is known about one location for the rules.
   *
   * @param id location id
   * @param name display name
   * @param benchmark the location against the rest of the fleet over the period
   * @param failures failures in the period (from the snapshots)
   * @param productionHours production device-hours in the period
   * @param restFailures failures of the rest of the fleet
   * @param restProductionHours production hours of the rest of the fleet
   * @param repairTest Mann-Whitney test of its failures' repair hours against the rest's, or null
   *     when there were too few events to test
   * @param alerts the map's alerts of the location over the period
   */
  record LocationEvidence(
      String id,
      String name,
      LocationBenchmark benchmark,
      long failures,
      double productionHours,
      long restFailures,
      double restProductionHours,
      Finding.@Nullable Significance repairTest,
      List<LocationMarker.Alert> alerts) {}

  /** The findings and recommendations of one report. */
  record Outcome(List<Finding> findings, List<Recommendation> recommendations) {}

  /**
   * Evaluates every rule.
   *
   * @param health the fleet's gauge over the period
   * @param fleetMetrics the fleet's key metrics (for period-over-period findings), or empty
   * @param failuresChange test of the fleet's failure rate against the previous period, or null
   * @param locations the evidence per location
   */
  static Outcome evaluate(FleetHealth health, List<KeyMetric> fleetMetrics,
      Finding.@Nullable Significance failuresChange, List<LocationEvidence> locations) {
    List<Finding> findings = new ArrayList<>();
    List<Recommendation> recs = new ArrayList<>();
    fleetHealth(health, locations, findings, recs);
    periodChanges(fleetMetrics, failuresChange, findings);
    for (LocationEvidence l : locations) {
      noData(l, findings, recs);
      repairTime(l, findings, recs);
      reliability(l, findings, recs);
      rising(l, findings, recs);
      effectiveness(l, health.thresholds(), findings, recs);
      energy(l, findings, recs);
      strengths(l, findings);
    }
    findings.sort(Comparator.comparing(Finding::severity));
    recs.sort(Comparator.comparing(Recommendation::priority));
    return new Outcome(findings, recs);
  }

  private static void fleetHealth(FleetHealth health, List<LocationEvidence> locations,
      List<Finding> findings, List<Recommendation> recs) {
    Double oee = health.oee();
    FleetHealth.Thresholds t = health.thresholds();
    if (oee == null) {
      return;
    }
    if (health.status() == FleetHealth.Status.CRITICAL || health.status() == FleetHealth.Status.WARNING) {
      boolean critical = health.status() == FleetHealth.Status.CRITICAL;
      String band = critical
          ? String.format(Locale.ROOT, "critical band (below %s)", pct(t.critical()))
          : String.format(Locale.ROOT, "warning band (%s to %s)", pct(t.critical()), pct(t.warning()));
      String evidence = "Fleet OEE " + pct(oee) + " is in the " + band;
      findings.add(new Finding(Finding.Kind.FLEET_HEALTH, critical ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
          null, null, Metric.OEE, evidence, oee, critical ? t.critical() : t.warning(), null));
      List<String> low = new ArrayList<>();
      for (LocationEvidence l : locations) {
        Double v = l.benchmark().metric(Metric.OEE).locationValue();
        if (v != null && v < t.warning()) {
          low.add(l.name() + " (" + pct(v) + ")");
        }
      }
      String action = low.isEmpty()
          ? "no single location stands out, so look at the losses every location shares (planned stops, changeovers, speed)"
          : "start with the locations below " + pct(t.warning()) + ": " + String.join(", ", low);
      recs.add(new Recommendation(critical ? Recommendation.Priority.HIGH : Recommendation.Priority.MEDIUM,
          Recommendation.Topic.FLEET, null, null, Metric.OEE, evidence, action));
    } else if (health.status() == FleetHealth.Status.GOOD) {
      findings.add(new Finding(Finding.Kind.FLEET_HEALTH, Finding.Severity.POSITIVE, null, null, Metric.OEE,
          "Fleet OEE " + pct(oee) + " is at or above the world-class mark of " + pct(t.good()), oee, t.good(), null));
    }
  }

  private static void periodChanges(List<KeyMetric> metrics, Finding.@Nullable Significance failuresChange,
      List<Finding> findings) {
    for (KeyMetric k : metrics) {
      if (k.value() == null || k.previous() == null || k.change() == null) {
        continue;
      }
      if (k.kind() == KeyMetric.Kind.OEE && Math.abs(k.change()) >= FleetReports.OEE_CHANGE_POINTS) {
        boolean better = k.change() > 0;
        findings.add(new Finding(Finding.Kind.PERIOD_CHANGE, better ? Finding.Severity.POSITIVE : Finding.Severity.WARNING,
            null, null, Metric.OEE, String.format(Locale.ROOT, "Fleet OEE %s %s from %s in the previous period (%+.1f points)",
                better ? "rose to" : "fell to", pct(k.value()), pct(k.previous()), k.change() * 100),
            k.value(), k.previous(), null));
      }
      if (k.kind() == KeyMetric.Kind.FAILURES && failuresChange != null && failuresChange.significant()) {
        boolean better = k.change() < 0;
        findings.add(new Finding(Finding.Kind.PERIOD_CHANGE, better ? Finding.Severity.POSITIVE : Finding.Severity.WARNING,
            null, null, Metric.TOTAL_FAILURES, String.format(Locale.ROOT,
                "Fleet failures %s from %.0f to %.0f per period, a significant change of the failure rate per production hour (p = %s)",
                better ? "fell" : "rose", k.previous(), k.value(), p(failuresChange.pValue())),
            k.value(), k.previous(), failuresChange));
      }
    }
  }

  private static void noData(LocationEvidence l, List<Finding> findings, List<Recommendation> recs) {
    for (LocationMarker.Alert a : l.alerts()) {
      if (a.kind() == LocationMarker.Alert.Kind.NO_DATA) {
        String evidence = l.name() + " sent no snapshot in the period";
        findings.add(new Finding(Finding.Kind.NO_DATA, Finding.Severity.WARNING, l.id(), l.name(), null,
            evidence, null, null, null));
        recs.add(new Recommendation(Recommendation.Priority.HIGH, Recommendation.Topic.DATA, l.id(), l.name(), null,
            evidence, "check its gateway's connection and the ingestion quarantine before reading its figures"));
      }
    }
  }

  private static void repairTime(LocationEvidence l, List<Finding> findings, List<Recommendation> recs) {
    LocationBenchmark.MetricBenchmark m = l.benchmark().metric(Metric.MTTR);
    Double loc = m.locationValue();
    Double rest = m.fleetValue();
    if (loc == null || rest == null || rest <= 0 || m.status() != LocationBenchmark.Status.WORSE) {
      return;
    }
    double ratio = loc / rest;
    if (ratio < FleetReports.MTTR_RATIO || l.failures() < FleetReports.MIN_FAILURES) {
      return;
    }
    Finding.Significance test = l.repairTest();
    String evidence = String.format(Locale.ROOT, "%s's MTTR %.1f h is %.1fx the %s's %.1f h", l.name(), loc, ratio,
        fleetName(l), rest);
    boolean significant = test == null || test.significant();
    findings.add(new Finding(Finding.Kind.BENCHMARK, significant ? Finding.Severity.WARNING : Finding.Severity.INFO,
        l.id(), l.name(), Metric.MTTR, evidence + " over " + l.failures() + " failures"
            + (test == null ? "" : " (" + test.test() + ", p = " + p(test.pValue()) + (significant ? ")" : ", not significant)")),
        loc, rest, test));
    if (significant) {
      recs.add(new Recommendation(ratio >= 2 ? Recommendation.Priority.HIGH : Recommendation.Priority.MEDIUM,
          Recommendation.Topic.REPAIR_TIME, l.id(), l.name(), Metric.MTTR, evidence,
          "review spare-parts availability and repair procedures"));
    }
  }

  private static void reliability(LocationEvidence l, List<Finding> findings, List<Recommendation> recs) {
    LocationBenchmark.MetricBenchmark m = l.benchmark().metric(Metric.MTBF);
    Double loc = m.locationValue();
    Double rest = m.fleetValue();
    if (loc == null || rest == null || loc <= 0 || m.status() != LocationBenchmark.Status.WORSE) {
      return;
    }
    double ratio = rest / loc;
    if (ratio < FleetReports.MTBF_RATIO || l.failures() < FleetReports.MIN_FAILURES) {
      return;
    }
    Finding.Significance test = rateTest(l.failures(), l.productionHours(), l.restFailures(), l.restProductionHours(),
        "exact test of two Poisson rates, failures per production hour, one-sided");
    boolean significant = test == null || test.significant();
    String evidence = String.format(Locale.ROOT, "%s's MTBF %.1f h is %.0f%% of the %s's %.1f h", l.name(), loc,
        loc / rest * 100, fleetName(l), rest);
    findings.add(new Finding(Finding.Kind.BENCHMARK, significant ? Finding.Severity.WARNING : Finding.Severity.INFO,
        l.id(), l.name(), Metric.MTBF, evidence + " (" + l.failures() + " failures"
            + (test == null ? ")" : ", p = " + p(test.pValue()) + (significant ? ")" : ", not significant)")),
        loc, rest, test));
    if (significant) {
      recs.add(new Recommendation(ratio >= 2 ? Recommendation.Priority.HIGH : Recommendation.Priority.MEDIUM,
          Recommendation.Topic.RELIABILITY, l.id(), l.name(), Metric.MTBF, evidence,
          "review preventive maintenance intervals and the root causes of its most frequent failures"));
    }
  }

  private static void rising(LocationEvidence l, List<Finding> findings, List<Recommendation> recs) {
    for (LocationMarker.Alert a : l.alerts()) {
      if (a.kind() == LocationMarker.Alert.Kind.FAILURES_RISING) {
        String evidence = l.name() + ": " + a.message();
        Double p = alertPValue(a.message());
        findings.add(new Finding(Finding.Kind.FAILURES_RISING, Finding.Severity.WARNING, l.id(), l.name(),
            Metric.TOTAL_FAILURES, evidence, null, null, p == null ? null
                : new Finding.Significance("exact test of two Poisson rates, one-sided: the dashboard's rising-failures"
                    + " alert", p, p < FleetReports.SIGNIFICANCE_LEVEL)));
        recs.add(new Recommendation(Recommendation.Priority.MEDIUM, Recommendation.Topic.DETERIORATION, l.id(),
            l.name(), Metric.TOTAL_FAILURES, evidence,
            "inspect the equipment with the most recent failures and check what changed (operation, materials, maintenance)"));
      }
    }
  }

  private static void effectiveness(LocationEvidence l, FleetHealth.Thresholds t, List<Finding> findings,
      List<Recommendation> recs) {
    LocationBenchmark.MetricBenchmark oee = l.benchmark().metric(Metric.OEE);
    Double loc = oee.locationValue();
    Double rest = oee.fleetValue();
    if (loc == null || rest == null || loc >= t.warning() || rest - loc < FleetReports.OEE_GAP_POINTS) {
      return;
    }
    Finding.Significance test = significance(oee);
    if (test != null && !oee.significantlyWorse()) {
      // a gap that daily values do not bear out is reported, but no one is sent to act on it
      findings.add(new Finding(Finding.Kind.BENCHMARK, Finding.Severity.INFO, l.id(), l.name(), Metric.OEE,
          String.format(Locale.ROOT, "%s's OEE %s is %.1f points below the %s's %s (%s, p = %s, not significant)",
              l.name(), pct(loc), (rest - loc) * 100, fleetName(l), pct(rest), test.test(), p(test.pValue())),
          loc, rest, test));
      return;
    }
    boolean critical = loc < t.critical();
    String evidence = String.format(Locale.ROOT, "%s's OEE %s is %.1f points below the %s's %s", l.name(), pct(loc),
        (rest - loc) * 100, fleetName(l), pct(rest));
    LocationBenchmark.MetricBenchmark up = l.benchmark().metric(Metric.UPTIME);
    String action;
    if (up.locationValue() != null && up.fleetValue() != null && up.fleetValue() - up.locationValue() >= 0.02) {
      action = String.format(Locale.ROOT, "cut downtime first: its uptime %s against %s is the larger loss;"
          + " look at the longest stops and changeovers", pct(up.locationValue()), pct(up.fleetValue()));
    } else {
      action = "its uptime is on par, so look at speed and quality losses (slow cycles, minor stops, scrap)";
    }
    findings.add(new Finding(Finding.Kind.BENCHMARK, critical ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
        l.id(), l.name(), Metric.OEE, evidence + ", below the warning threshold " + pct(t.warning())
            + (test == null ? "" : " (" + test.test() + ", p = " + p(test.pValue()) + ")"), loc, rest, test));
    recs.add(new Recommendation(critical ? Recommendation.Priority.HIGH : Recommendation.Priority.MEDIUM,
        Recommendation.Topic.EFFECTIVENESS, l.id(), l.name(), Metric.OEE, evidence, action));
  }

  private static void energy(LocationEvidence l, List<Finding> findings, List<Recommendation> recs) {
    LocationBenchmark.MetricBenchmark m = l.benchmark().metric(Metric.ENERGY_CONSUMPTION);
    Double loc = m.locationValue();
    Double rest = m.fleetValue();
    if (loc == null || rest == null || rest <= 0 || loc / rest < FleetReports.ENERGY_RATIO) {
      return;
    }
    Finding.Significance test = significance(m);
    if (test != null && !m.significantlyWorse()) {
      return; // not borne out by the daily values
    }
    String evidence = String.format(Locale.ROOT, "%s uses %.1f kWh per production hour, %.2fx the %s's %.1f",
        l.name(), loc, loc / rest, fleetName(l), rest);
    findings.add(new Finding(Finding.Kind.BENCHMARK, Finding.Severity.INFO, l.id(), l.name(),
        Metric.ENERGY_CONSUMPTION, evidence, loc, rest, test));
    recs.add(new Recommendation(Recommendation.Priority.LOW, Recommendation.Topic.ENERGY, l.id(), l.name(),
        Metric.ENERGY_CONSUMPTION, evidence, "check idle running, compressed-air leaks and machine settings"));
  }

  /**
   * The benchmark's own test of a metric's daily values against the reference locations (issue 5),
   * with its Benjamini-Hochberg adjusted p-value when every location was tested at once; null when
   * the benchmark carries no test (too few days, or seed-compatible mode).
   */
  private static Finding.@Nullable Significance significance(LocationBenchmark.MetricBenchmark m) {
    var d = m.significance();
    if (d == null) {
      return null;
    }
    return new Finding.Significance(d.chosen().method().name(), d.decisivePValue(),
        d.verdict() != io.modax.fleet.statistics.DifferenceVerdict.NOT_SIGNIFICANT);
  }

  /** Marked strengths: a location clearly better than the rest on OEE or MTTR. */
  private static void strengths(LocationEvidence l, List<Finding> findings) {
    LocationBenchmark.MetricBenchmark oee = l.benchmark().metric(Metric.OEE);
    if (oee.locationValue() != null && oee.fleetValue() != null
        && oee.locationValue() - oee.fleetValue() >= FleetReports.OEE_GAP_POINTS) {
      findings.add(new Finding(Finding.Kind.BENCHMARK, Finding.Severity.POSITIVE, l.id(), l.name(), Metric.OEE,
          String.format(Locale.ROOT, "%s's OEE %s is %.1f points above the %s's %s: a model for the others",
              l.name(), pct(oee.locationValue()), (oee.locationValue() - oee.fleetValue()) * 100, fleetName(l),
              pct(oee.fleetValue())), oee.locationValue(), oee.fleetValue(), null));
    }
  }

  /**
   * One-sided exact conditional test that the first Poisson rate (k1 events in t1 hours) is
   * higher than the second: P(X >= k1) for X ~ Binomial(k1 + k2, t1 / (t1 + t2)); null when it
   * cannot be made (no exposure, no events).
   */
  static Finding.@Nullable Significance rateTest(long k1, double t1, long k2, double t2, String name) {
    if (k1 < 1 || t1 <= 0 || t2 <= 0) {
      return null;
    }
    long n = k1 + k2;
    double p0 = t1 / (t1 + t2);
    double p = org.apache.commons.math3.special.Beta.regularizedBeta(p0, k1, n - k1 + 1.0);
    return new Finding.Significance(name, p, p < FleetReports.SIGNIFICANCE_LEVEL);
  }

  private static final java.util.regex.Pattern ALERT_P =
      java.util.regex.Pattern.compile("p = ([0-9.]+(?:[eE][-+]?[0-9]+)?)\\s*$");

  /**
   * The p-value the dashboard's rising-failures alert states at the end of its message ("..., p =
   * 1.98e-06"), or null when the message has none (the alert only fires below the level anyway).
   */
  static @Nullable Double alertPValue(String message) {
    java.util.regex.Matcher m = ALERT_P.matcher(message);
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }

  private static String fleetName(LocationEvidence l) {
    return l.benchmark().fleetIncludesLocation() ? "fleet average" : "rest of the fleet";
  }

  static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  static String p(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }
}
