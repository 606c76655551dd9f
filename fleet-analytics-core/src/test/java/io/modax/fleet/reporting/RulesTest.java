package io.modax.fleet.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recommendation rules on hand-made numbers: each fires on its gap, none on a healthy fleet. */
class RulesTest {

  static final Instant T0 = Instant.parse("2026-06-08T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-06-15T00:00:00Z");

  static FleetHealth health(double oee) {
    FleetHealth.Thresholds t = FleetHealth.Thresholds.DEFAULT;
    return new FleetHealth("org", T0, T1, AggregationMode.EXPOSURE_WEIGHTED, oee, t.classify(oee), t);
  }

  /** A benchmark with the given location and rest-of-fleet values (others equal). */
  static LocationBenchmark benchmark(String id, Map<Metric, double[]> values) {
    List<LocationBenchmark.MetricBenchmark> ms = new ArrayList<>();
    for (Metric m : LocationBenchmark.METRICS) {
      double[] v = values.getOrDefault(m, switch (m) {
        case UPTIME -> new double[] {0.93, 0.93};
        case OEE -> new double[] {0.86, 0.86};
        case MTBF -> new double[] {120, 120};
        case MTTR -> new double[] {2.0, 2.0};
        default -> new double[] {12, 12};
      });
      double diff = (v[0] - v[1]) / v[1] * 100;
      LocationBenchmark.Status st = Math.abs(diff) < 1 ? LocationBenchmark.Status.ON_PAR
          : (v[0] > v[1]) == m.higherIsBetter() ? LocationBenchmark.Status.BETTER : LocationBenchmark.Status.WORSE;
      ms.add(new LocationBenchmark.MetricBenchmark(m, v[0], v[1], diff, st, null, null, null, null, null,
          "no test in this unit test"));
    }
    return new LocationBenchmark("org", id, "Plant " + id, T0, T1, AggregationMode.EXPOSURE_WEIGHTED, false,
        "rest of the fleet", null, List.of(), ms);
  }

  static Rules.LocationEvidence evidence(String id, Map<Metric, double[]> values, long failures,
      Finding.Significance repairTest, List<LocationMarker.Alert> alerts) {
    return new Rules.LocationEvidence(id, "Plant " + id, benchmark(id, values), failures, failures * 120.0, 30,
        3600, repairTest, alerts);
  }

  @Test
  void aHealthyFleetGetsNoRecommendation() {
    List<Rules.LocationEvidence> fleet = List.of(
        evidence("A", Map.of(Metric.MTTR, new double[] {2.1, 2.0}), 12, null, List.of()),
        evidence("B", Map.of(Metric.OEE, new double[] {0.85, 0.87}), 10, null, List.of()),
        evidence("C", Map.of(), 11, null, List.of()));
    Rules.Outcome o = Rules.evaluate(health(0.86), List.of(), null, fleet);
    assertThat(o.recommendations()).isEmpty();
    assertThat(o.findings()).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Finding.Severity.POSITIVE));
  }

  @Test
  void slowRepairsNeedEnoughFailuresAndSignificance() {
    Finding.Significance significant = new Finding.Significance("Mann-Whitney", 0.001, true);
    Finding.Significance notSignificant = new Finding.Significance("Mann-Whitney", 0.3, false);
    Map<Metric, double[]> slow = Map.of(Metric.MTTR, new double[] {4.6, 2.2});
    Rules.Outcome o = Rules.evaluate(health(0.86), List.of(), null,
        List.of(evidence("B", slow, 20, significant, List.of())));
    assertThat(o.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("Plant B's MTTR 4.6 h is 2.1x the rest of the fleet's 2.2 h: review spare-parts"
          + " availability and repair procedures");
      assertThat(r.priority()).isEqualTo(Recommendation.Priority.HIGH);
      assertThat(r.topic()).isEqualTo(Recommendation.Topic.REPAIR_TIME);
    });
    // too few failures: nothing; not significant: a finding, no recommendation
    assertThat(Rules.evaluate(health(0.86), List.of(), null, List.of(evidence("B", slow, 4, significant, List.of())))
        .recommendations()).isEmpty();
    Rules.Outcome weak = Rules.evaluate(health(0.86), List.of(), null,
        List.of(evidence("B", slow, 20, notSignificant, List.of())));
    assertThat(weak.recommendations()).isEmpty();
    assertThat(weak.findings()).anySatisfy(f -> {
      assertThat(f.severity()).isEqualTo(Finding.Severity.INFO);
      assertThat(f.message()).contains("not significant");
    });
    // 1.4x is below the 1.5x rule
    assertThat(Rules.evaluate(health(0.86), List.of(), null,
        List.of(evidence("B", Map.of(Metric.MTTR, new double[] {2.8, 2.0}), 20, significant, List.of())))
        .recommendations()).isEmpty();
  }

  @Test
  void frequentFailuresLowOeeEnergyRisingFailuresAndMissingData() {
    List<LocationMarker.Alert> rising = List.of(new LocationMarker.Alert(LocationMarker.Alert.Kind.FAILURES_RISING,
        "40 failures in the last 30 days against 20 in the 30 days before: x2.00, p = 0.004"));
    List<LocationMarker.Alert> noData = List.of(new LocationMarker.Alert(LocationMarker.Alert.Kind.NO_DATA, "none"));
    Rules.Outcome o = Rules.evaluate(health(0.72), List.of(), null, List.of(
        new Rules.LocationEvidence("M", "Plant M", benchmark("M", Map.of(Metric.MTBF, new double[] {40, 120})), 30,
            1200, 10, 1200, null, List.of()),
        evidence("O", Map.of(Metric.OEE, new double[] {0.55, 0.80}, Metric.UPTIME, new double[] {0.70, 0.92}), 3, null,
            List.of()),
        evidence("E", Map.of(Metric.ENERGY_CONSUMPTION, new double[] {16, 12}), 3, null, List.of()),
        evidence("R", Map.of(), 3, null, rising),
        evidence("N", Map.of(), 0, null, noData)));
    assertThat(o.recommendations()).extracting(Recommendation::topic).containsExactlyInAnyOrder(
        Recommendation.Topic.FLEET, Recommendation.Topic.RELIABILITY, Recommendation.Topic.EFFECTIVENESS,
        Recommendation.Topic.ENERGY, Recommendation.Topic.DETERIORATION, Recommendation.Topic.DATA);
    assertThat(o.recommendations()).isSortedAccordingTo(java.util.Comparator.comparing(Recommendation::priority));
    assertThat(o.recommendations()).filteredOn(r -> r.topic() == Recommendation.Topic.RELIABILITY).singleElement()
        .satisfies(r -> assertThat(r.evidence()).isEqualTo("Plant M's MTBF 40.0 h is 33% of the rest of the fleet's 120.0 h"));
    assertThat(o.recommendations()).filteredOn(r -> r.topic() == Recommendation.Topic.EFFECTIVENESS).singleElement()
        .satisfies(r -> {
          assertThat(r.priority()).isEqualTo(Recommendation.Priority.HIGH);
          assertThat(r.text()).startsWith("Plant O's OEE 55.0% is 25.0 points below the rest of the fleet's 80.0%:"
              + " cut downtime first: its uptime 70.0% against 92.0%");
        });
    assertThat(o.recommendations()).filteredOn(r -> r.topic() == Recommendation.Topic.FLEET).singleElement()
        .satisfies(r -> assertThat(r.text()).startsWith("Fleet OEE 72.0% is in the warning band (60.0% to 75.0%):"
            + " start with the locations below 75.0%: Plant O (55.0%)"));
    assertThat(o.findings()).extracting(Finding::severity).contains(Finding.Severity.CRITICAL);
  }

  @Test
  void risingFailuresCarryTheAlertsPValue() {
    List<LocationMarker.Alert> rising = List.of(new LocationMarker.Alert(LocationMarker.Alert.Kind.FAILURES_RISING,
        "211 failures in the last 30 days (0.00969 per production hour) against 132 in the 30 days before (0.00581):"
            + " x1.67, p = 1.98e-06"));
    Rules.Outcome o = Rules.evaluate(health(0.86), List.of(), null, List.of(evidence("C", Map.of(), 3, null, rising)));
    Finding f = o.findings().stream().filter(x -> x.kind() == Finding.Kind.FAILURES_RISING).findFirst().orElseThrow();
    assertThat(f.significance().pValue()).isEqualTo(1.98e-06);
    assertThat(f.significance().significant()).isTrue();
    assertThat(Rules.alertPValue("x1.20, p = 0.0312")).isEqualTo(0.0312);
    assertThat(Rules.alertPValue("no p here")).isNull();
  }

  @Test
  void theExactRateTestMatchesTheBinomialTail() {
    // 10 failures in 100 h against 10 in 300 h: P(X >= 10), X ~ Bin(20, 0.25) = 0.01386
    Finding.Significance s = Rules.rateTest(10, 100, 10, 300, "t");
    assertThat(s.pValue()).isCloseTo(0.013864, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(s.significant()).isTrue();
    assertThat(Rules.rateTest(0, 100, 10, 300, "t")).isNull();
  }

  @Test
  void keyMetricsReadInTheirDirection() {
    assertThat(KeyMetric.of(KeyMetric.Kind.MTTR, 3.0, 2.0).trend()).isEqualTo(KeyMetric.Trend.WORSENED);
    assertThat(KeyMetric.of(KeyMetric.Kind.OEE, 0.80, 0.75).trend()).isEqualTo(KeyMetric.Trend.IMPROVED);
    assertThat(KeyMetric.of(KeyMetric.Kind.FAILURES, 10.0, 0.0).changePercent()).isNull();
    assertThat(KeyMetric.of(KeyMetric.Kind.FAILURES, 10.0, 0.0).trend()).isEqualTo(KeyMetric.Trend.WORSENED);
    assertThat(KeyMetric.of(KeyMetric.Kind.OEE, 0.800, 0.801).trend()).isEqualTo(KeyMetric.Trend.STEADY);
    assertThat(KeyMetric.of(KeyMetric.Kind.MTBF, null, 5.0).trend()).isEqualTo(KeyMetric.Trend.NOT_COMPARABLE);
  }
}
