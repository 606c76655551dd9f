package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class SignificanceTest {

  // R's built-in `sleep` data (Student 1908; Cushny & Peebles): extra hours of sleep, groups 1 and 2.
  static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

  @Test
  void welchMatchesRsDocumentedSleepExample() {
    // R: t.test(extra ~ group, data = sleep) prints "Welch Two Sample t-test
    // t = -1.8608, df = 17.776, p-value = 0.07939; 95 percent confidence interval:
    // -3.3654832 0.2054832; mean in group 1 0.75, mean in group 2 2.33".
    DifferenceTest w = Significance.welch(SLEEP_1, SLEEP_2, 0.95);
    assertThat(w.statistic()).isCloseTo(-1.8608, within(5e-5));
    assertThat(w.method().parameters().get("degrees of freedom (Welch–Satterthwaite)"))
        .startsWith("17.77");
    assertThat(w.pValue()).isCloseTo(0.07939, within(5e-6));
    assertThat(w.estimate()).isCloseTo(0.75 - 2.33, within(1e-12));
    assertThat(w.interval().lower()).isCloseTo(-3.3654832, within(1e-6));
    assertThat(w.interval().upper()).isCloseTo(0.2054832, within(1e-6));
  }

  @Test
  void mannWhitneyMatchesRsSleepExampleWithTies() {
    // R: wilcox.test(extra ~ group, data = sleep) warns about ties and prints
    // "W = 25.5, p-value = 0.06933" (normal approximation, tie and continuity corrected).
    DifferenceTest mw = Significance.mannWhitney(SLEEP_1, SLEEP_2, 0.95);
    assertThat(mw.statistic()).isEqualTo(25.5);
    assertThat(mw.pValue()).isCloseTo(0.06933, within(5e-6));
  }

  @Test
  void mannWhitneyMatchesIndependentNormalApproximationWithoutTies() {
    // R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69): W = 35. Without ties the normal
    // approximation is z = (35 - 25 - 0.5) / sqrt(10*5*16/12); computed here independently.
    double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
    DifferenceTest mw = Significance.mannWhitney(x, y, 0.95);
    assertThat(mw.statistic()).isEqualTo(35);
    double z = (35 - 25 - 0.5) / Math.sqrt(10 * 5 * 16 / 12.0);
    double p = 2 * (1 - new NormalDistribution().cumulativeProbability(z));
    assertThat(mw.pValue()).isCloseTo(p, within(1e-12));
    // Hodges–Lehmann: the median of all 50 differences, by brute force.
    List<Double> diffs = new ArrayList<>();
    for (double a : x) {
      for (double b : y) {
        diffs.add(a - b);
      }
    }
    diffs.sort(Double::compare);
    double median = (diffs.get(24) + diffs.get(25)) / 2;
    assertThat(mw.estimate()).isCloseTo(median, within(1e-12));
    // The interval ends are order statistics of the differences.
    assertThat(diffs).anySatisfy(d -> assertThat(d).isCloseTo(mw.interval().lower(), within(1e-12)));
    assertThat(diffs).anySatisfy(d -> assertThat(d).isCloseTo(mw.interval().upper(), within(1e-12)));
    assertThat(mw.interval().contains(mw.estimate())).isTrue();
  }

  @Test
  void kthDifferenceAgreesWithSortingAllDifferences() {
    SplittableRandom r = new SplittableRandom(5);
    for (int round = 0; round < 200; round++) {
      double[] x = new double[1 + r.nextInt(12)];
      double[] y = new double[1 + r.nextInt(12)];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(6) * 0.1; // many ties
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = round % 2 == 0 ? r.nextInt(6) * 0.1 : r.nextDouble();
      }
      Arrays.sort(x);
      Arrays.sort(y);
      double[] all = new double[x.length * y.length];
      int at = 0;
      for (double a : x) {
        for (double b : y) {
          all[at++] = a - b;
        }
      }
      Arrays.sort(all);
      for (int k = 1; k <= all.length; k++) {
        assertThat(Significance.kthDifference(x, y, k)).isCloseTo(all[k - 1], within(1e-12));
      }
    }
  }

  @Test
  void benjaminiHochbergGivesFourDiscoveriesInTheOriginalPapersExample() {
    // Benjamini & Hochberg (1995), JRSS B 57:289-300, section 4: 15 p-values from a study of
    // myocardial infarction treatment; at q = 0.05 the procedure rejects the four smallest.
    double[] p = {
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
      0.5719, 0.6528, 0.7590, 1.0000
    };
    Map<String, Double> byId = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i++) {
      byId.put("h" + (i + 1), p[i]);
    }
    FalseDiscoveries bh = Significance.benjaminiHochberg(byId, 0.05);
    assertThat(bh.discoveries()).containsExactly("h1", "h2", "h3", "h4");
    // Adjusted p-values, independently: min over j >= i of m p(j) / j.
    for (int i = 0; i < p.length; i++) {
      double adj = 1;
      for (int j = i; j < p.length; j++) {
        adj = Math.min(adj, p[j] * p.length / (j + 1));
      }
      assertThat(bh.entries().get(i).adjustedPValue()).isCloseTo(adj, within(1e-12));
    }
    assertThat(bh.entries().get(3).adjustedPValue()).isCloseTo(0.0095 * 15 / 4, within(1e-12));
  }

  @Test
  void verdictReadsInTheMetricsDirection() {
    double[] low = {1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 2, 3};
    double[] high = {5, 6, 7, 6, 5, 6, 7, 6, 5, 6, 6, 7};
    assertThat(Significance.compare(high, low, true, 0.05).verdict())
        .isEqualTo(DifferenceVerdict.SIGNIFICANTLY_BETTER);
    assertThat(Significance.compare(high, low, false, 0.05).verdict())
        .isEqualTo(DifferenceVerdict.SIGNIFICANTLY_WORSE);
    assertThat(Significance.compare(low, high, false, 0.05).verdict())
        .isEqualTo(DifferenceVerdict.SIGNIFICANTLY_BETTER);
    assertThat(Significance.compare(low, low.clone(), true, 0.05).verdict())
        .isEqualTo(DifferenceVerdict.NOT_SIGNIFICANT);
  }

  @Test
  void choiceRulePicksMannWhitneyForSkewedDataAndWelchForNormalData() {
    SplittableRandom r = new SplittableRandom(7);
    double[] normalA = new double[40];
    double[] normalB = new double[40];
    double[] skewed = new double[40];
    for (int i = 0; i < 40; i++) {
      normalA[i] = 0.6 + 0.05 * gaussian(r);
      normalB[i] = 0.6 + 0.05 * gaussian(r);
      skewed[i] = -Math.log(r.nextDouble()); // exponential: skewness 2
    }
    LocationDifference n = Significance.compare(normalA, normalB, true, 0.05);
    assertThat(n.chosen()).isSameAs(n.welch());
    assertThat(n.choiceReason()).startsWith("Welch");
    LocationDifference s = Significance.compare(skewed, normalB, true, 0.05);
    assertThat(s.chosen()).isSameAs(s.mannWhitney());
    assertThat(s.choiceReason()).contains("skewed");
    assertThat(s.chosen().method().assumptions()).isNotEmpty();
    assertThat(s.chosen().method().caveats()).isNotEmpty();
  }

  @Test
  void hodgesLehmannRecoversAKnownShift() {
    SplittableRandom r = new SplittableRandom(11);
    double[] a = new double[200];
    double[] b = new double[300];
    for (int i = 0; i < a.length; i++) {
      a[i] = -Math.log(r.nextDouble()) + 0.5;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = -Math.log(r.nextDouble());
    }
    DifferenceTest mw = Significance.mannWhitney(a, b, 0.95);
    assertThat(mw.interval().contains(0.5)).isTrue();
    assertThat(mw.pValue()).isLessThan(1e-6);
  }

  @Test
  void thirtyLocationsFromOneDistributionFlagNoMoreThanTheFalseDiscoveryRateAllows() {
    // All 30 locations are drawn from one distribution, so every discovery is false and the false
    // discovery proportion of a repetition is 1 if anything is flagged, else 0. Its average must
    // stay at or below q (tolerance: two binomial standard errors over the repetitions). Half the
    // repetitions use normal daily values (Welch path), half exponential ones (Mann–Whitney path).
    double q = 0.05;
    int reps = 120;
    int locations = 30;
    int days = 30;
    SplittableRandom r = new SplittableRandom(2024);
    double fdpSum = 0;
    int flaggedLocations = 0;
    for (int rep = 0; rep < reps; rep++) {
      boolean skewed = rep % 2 == 1;
      Map<String, double[]> data = new LinkedHashMap<>();
      for (int l = 0; l < locations; l++) {
        double[] v = new double[days];
        for (int d = 0; d < days; d++) {
          v[d] = skewed ? -Math.log(r.nextDouble()) : 0.6 + 0.08 * gaussian(r);
        }
        data.put("L" + l, v);
      }
      Map<String, LocationDifference> result = Significance.compareEachWithRest(data, true, q);
      long flagged =
          result.values().stream()
              .filter(d -> d.verdict() != DifferenceVerdict.NOT_SIGNIFICANT)
              .count();
      flaggedLocations += (int) flagged;
      fdpSum += flagged > 0 ? 1 : 0;
      assertThat(result.values()).allSatisfy(d -> assertThat(d.adjustedPValue()).isNotNull());
    }
    double averageFdp = fdpSum / reps;
    System.out.printf(
        "BH simulation: average false discovery proportion %.4f over %d repetitions (q = %.2f),"
            + " %d of %d location tests flagged%n",
        averageFdp, reps, q, flaggedLocations, reps * locations);
    assertThat(averageFdp).isLessThanOrEqualTo(q + 2 * Math.sqrt(q * (1 - q) / reps));
  }

  @Test
  void aClearlyWorseLocationIsFlaggedAmongThirty() {
    SplittableRandom r = new SplittableRandom(99);
    Map<String, double[]> data = new LinkedHashMap<>();
    for (int l = 0; l < 30; l++) {
      double[] v = new double[60];
      for (int d = 0; d < 60; d++) {
        v[d] = (l == 7 ? 0.50 : 0.62) + 0.05 * gaussian(r);
      }
      data.put("L" + l, v);
    }
    Map<String, LocationDifference> result = Significance.compareEachWithRest(data, true, 0.05);
    assertThat(result.get("L7").verdict()).isEqualTo(DifferenceVerdict.SIGNIFICANTLY_WORSE);
    assertThat(result.get("L7").chosen().interval().isBelow(0)).isTrue();
  }

  @Test
  void withinPeerGroupsAGroupThatIsDifferentAsAWholeIsNotFlaggedButItsOutlierIs() {
    // two peer groups of 8 locations: group "b" runs 10 points lower as a whole (another shift
    // pattern); b7 is 3 points below its own peers.
    SplittableRandom r = new SplittableRandom(4);
    Map<String, double[]> data = new LinkedHashMap<>();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String g : List.of("a", "b")) {
      List<String> members = new ArrayList<>();
      for (int l = 0; l < 8; l++) {
        String id = g + l;
        double level = (g.equals("a") ? 0.70 : 0.60) - (id.equals("b7") ? 0.03 : 0);
        double[] v = new double[40];
        for (int d = 0; d < v.length; d++) {
          v[d] = level + 0.03 * gaussian(r);
        }
        data.put(id, v);
        members.add(id);
      }
      groups.put(g, members);
    }
    Map<String, List<String>> peers = new LinkedHashMap<>();
    for (List<String> members : groups.values()) {
      for (String id : members) {
        peers.put(id, members.stream().filter(x -> !x.equals(id)).toList());
      }
    }
    Map<String, LocationDifference> within = Significance.compareEachWithReference(data, peers, true, 0.05);
    Map<String, LocationDifference> fleet = Significance.compareEachWithRest(data, true, 0.05);
    assertThat(within.keySet()).containsExactlyElementsOf(peers.keySet());
    assertThat(within.get("b7").verdict()).isEqualTo(DifferenceVerdict.SIGNIFICANTLY_WORSE);
    assertThat(within.entrySet().stream()
            .filter(e -> !e.getKey().equals("b7") && e.getValue().verdict() != DifferenceVerdict.NOT_SIGNIFICANT))
        .isEmpty();
    assertThat(within.values()).allMatch(d -> d.adjustedPValue() != null && d.adjustedPValue() >= d.chosen().pValue());
    // against the whole fleet, every location of group "b" looks worse: unlike is compared with unlike
    assertThat(groups.get("b")).allMatch(id -> fleet.get(id).verdict() == DifferenceVerdict.SIGNIFICANTLY_WORSE);
    // the rest of the fleet is the special case of every other location as the reference
    Map<String, List<String>> rest = new LinkedHashMap<>();
    data.keySet().forEach(id -> rest.put(id, data.keySet().stream().filter(x -> !x.equals(id)).toList()));
    Map<String, LocationDifference> same = Significance.compareEachWithReference(data, rest, true, 0.05);
    for (String id : data.keySet()) {
      assertThat(same.get(id).adjustedPValue()).isEqualTo(fleet.get(id).adjustedPValue());
      assertThat(same.get(id).verdict()).isEqualTo(fleet.get(id).verdict());
    }
    assertThatThrownBy(() -> Significance.compareEachWithReference(data, Map.of("a0", List.of("a0", "a1")), true, 0.05))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot be its own reference");
    assertThatThrownBy(() -> Significance.compareEachWithReference(data, Map.of("a0", List.of("zz")), true, 0.05))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("reference location 'zz' of 'a0' has no daily values");
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Significance.welch(new double[] {1}, new double[] {1, 2}, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("location has 1 values");
    assertThatThrownBy(
            () -> Significance.welch(new double[] {1, Double.NaN}, new double[] {1, 2}, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Significance.compare(new double[] {1, 2}, new double[] {1, 2}, true, 0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("alpha");
    assertThatThrownBy(() -> Significance.benjaminiHochberg(Map.of("a", 1.5), 0.05))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("[0, 1]");
  }

  @Test
  void constantSamplesDoNotBreakTheTests() {
    double[] a = new double[10];
    double[] b = new double[10];
    Arrays.fill(a, 0.5);
    Arrays.fill(b, 0.5);
    LocationDifference d = Significance.compare(a, b, true, 0.05);
    assertThat(d.verdict()).isEqualTo(DifferenceVerdict.NOT_SIGNIFICANT);
    assertThat(d.welch().pValue()).isEqualTo(1);
    assertThat(d.mannWhitney().pValue()).isEqualTo(1);
  }

  @Test
  void kthDifferenceEqualsTheSortedDifferenceExactlyBothByBisectionAndBySelection() {
    // Values on a decimal grid: their differences form clusters a few ulps wide (0.73 - 0.72 is
    // not 0.81 - 0.80), the case where the search must still land on exactly the k-th one.
    SplittableRandom r = new SplittableRandom(19);
    for (int round = 0; round < 24; round++) {
      int grid = new int[] {1, 10, 100, 1000, 0}[round % 5];
      double[] x = new double[1 + r.nextInt(60)];
      double[] y = new double[1 + r.nextInt(400)];
      for (int i = 0; i < x.length; i++) {
        x[i] = onGrid(0.7 + 0.1 * gaussian(r), grid);
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = onGrid(0.72 + 0.12 * gaussian(r), grid);
      }
      Arrays.sort(x);
      Arrays.sort(y);
      double[] all = allDifferences(x, y);
      for (int t = 0; t < 40; t++) {
        long k = t < 2 ? (t == 0 ? 1 : all.length) : 1 + r.nextInt(all.length);
        double expected = all[(int) k - 1];
        // 0: bisection to the end; default: bisection, then selection among the last few
        // thousand; MAX_VALUE: selection among all differences at once.
        for (int limit : new int[] {0, Significance.COLLECT_LIMIT, Integer.MAX_VALUE}) {
          assertThat(Significance.kthDifference(x, y, k, limit))
              .as("grid %d, %d x %d, k %d, limit %d", grid, x.length, y.length, k, limit)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void selectFindsTheKthSmallestAsSortingDoes() {
    SplittableRandom r = new SplittableRandom(23);
    for (int round = 0; round < 300; round++) {
      int m = 1 + r.nextInt(300);
      double[] a = new double[m];
      int kind = round % 5;
      for (int i = 0; i < m; i++) {
        a[i] =
            switch (kind) {
              case 0 -> r.nextDouble();
              case 1 -> r.nextInt(4); // heavy ties
              case 2 -> i; // sorted
              case 3 -> m - i; // reversed
              default -> 1.5; // all equal
            };
      }
      double[] sorted = a.clone();
      Arrays.sort(sorted);
      int k = r.nextInt(m);
      assertThat(Significance.select(a.clone(), m, k)).as("kind %d, m %d, k %d", kind, m, k)
          .isEqualTo(sorted[k]);
    }
  }

  private static double onGrid(double v, int grid) {
    return grid == 0 ? v : Math.round(v * grid) / (double) grid;
  }

  private static double[] allDifferences(double[] x, double[] y) {
    double[] all = new double[x.length * y.length];
    int at = 0;
    for (double a : x) {
      for (double b : y) {
        all[at++] = a - b;
      }
    }
    Arrays.sort(all);
    return all;
  }

  static double gaussian(SplittableRandom r) {
    // Box–Muller; enough for test data.
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
