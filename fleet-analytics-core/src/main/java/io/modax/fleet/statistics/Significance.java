package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.moment.Kurtosis;
import org.apache.commons.math3.stat.descriptive.moment.Skewness;
import org.jspecify.annotations.Nullable;

/**
 * Is a location significantly different from its reference? Two-sample tests on daily values
 * (Welch's t-test, Mann–Whitney U), a rule that picks between them, and the Benjamini–Hochberg
 * correction for testing every location of a fleet at once.
 *
 * <p><b>Choice rule</b> ({@link #compare}): Welch's t-test, unless either sample is far from
 * normal, meaning its sample skewness is beyond ±{@value #SKEWNESS_LIMIT} (Bulmer's "highly
 * skewed") or its excess kurtosis above {@value #EXCESS_KURTOSIS_LIMIT}, or it has no spread at
 * all; then Mann–Whitney U. Both tests are always computed and returned.
 *
 * <p>All methods are static, pure and thread-safe. Samples are not modified.
 */
public final class Significance {

  /** Default significance level (and default false discovery rate): 0.05. */
  public static final double DEFAULT_ALPHA = 0.05;

  /** |skewness| above this makes a sample "far from normal" in the choice rule. */
  public static final double SKEWNESS_LIMIT = 1.0;

  /** Excess kurtosis above this makes a sample "far from normal" in the choice rule. */
  public static final double EXCESS_KURTOSIS_LIMIT = 3.0;

  /** Fewest values per sample: 2 (a variance needs two). Fewer than 10 earns a caveat. */
  public static final int MIN_SAMPLE_SIZE = 2;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private Significance() {}

  /**
   * Welch's unequal-variance t-test of the difference of means, location minus reference, with
   * its confidence interval on Welch–Satterthwaite degrees of freedom.
   *
   * @param location the location's daily values (at least 2, finite)
   * @param reference the reference's daily values (at least 2, finite)
   * @param level confidence level of the interval, in [0.5, 1)
   * @return the test; p-value two-sided
   * @throws InvalidRequestException for too few or non-finite values, or a bad level
   */
  public static DifferenceTest welch(double[] location, double[] reference, double level) {
    double[] x = Inputs.finiteCopy("location", location, MIN_SAMPLE_SIZE);
    double[] y = Inputs.finiteCopy("reference", reference, MIN_SAMPLE_SIZE);
    Inputs.level("level", level);
    int n1 = x.length;
    int n2 = y.length;
    double m1 = mean(x);
    double m2 = mean(y);
    double a = variance(x, m1) / n1;
    double b = variance(y, m2) / n2;
    double diff = m1 - m2;
    double se = Math.sqrt(a + b);
    Inputs.Method method =
        new Inputs.Method("Welch's t-test (two-sided)")
            .param("location mean", m1)
            .param("reference mean", m2)
            .assume("Daily values are independent of each other, within and between the samples.")
            .assume(
                "Each sample mean is close to normally distributed: the values are roughly normal,"
                    + " or there are enough of them (about 30 or more) for the central limit theorem.")
            .assume("Variances may differ between the samples (no equal-variance assumption).")
            .caveat(
                "Daily values are strongly autocorrelated (one bad week in a row): the effective"
                    + " sample is smaller than the day count and the p-value is too small.")
            .caveat("The values are very skewed or have outliers and samples are small.");
    sampleSizeCaveat(method, n1, n2);
    double t;
    double df;
    double p;
    double half;
    if (se == 0) {
      // Both samples constant: the difference is known exactly.
      t = diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
      df = n1 + n2 - 2.0;
      p = diff == 0 ? 1 : 0;
      half = 0;
      method.caveat("Both samples are constant: the test degenerates to comparing two numbers.");
    } else {
      df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
      t = diff / se;
      TDistribution dist = new TDistribution(null, df);
      p = Math.min(1, 2 * dist.cumulativeProbability(-Math.abs(t)));
      half = dist.inverseCumulativeProbability(0.5 + level / 2) * se;
    }
    method.param("t", t).param("degrees of freedom (Welch–Satterthwaite)", df);
    method.param("standard error", se).param("confidence level", level);
    return new DifferenceTest(
        method.build(), diff, new Interval(diff - half, diff + half, level), t, p, n1, n2);
  }

  /**
   * Mann–Whitney U test (Wilcoxon rank-sum) with the normal approximation, corrected for ties and
   * for continuity; the shift in location is estimated by Hodges–Lehmann (the median of all
   * location-minus-reference differences) with a distribution-free confidence interval from order
   * statistics of those differences.
   *
   * @param location the location's daily values (at least 2, finite)
   * @param reference the reference's daily values (at least 2, finite)
   * @param level confidence level of the interval, in [0.5, 1)
   * @return the test; {@code statistic} is U of the location sample, p-value two-sided
   * @throws InvalidRequestException for too few or non-finite values, or a bad level
   */
  public static DifferenceTest mannWhitney(double[] location, double[] reference, double level) {
    double[] x = Inputs.finiteCopy("location", location, MIN_SAMPLE_SIZE);
    double[] y = Inputs.finiteCopy("reference", reference, MIN_SAMPLE_SIZE);
    Inputs.level("level", level);
    int n1 = x.length;
    int n2 = y.length;
    // x and y are our own copies: sorted once for the rank sums and the order statistics.
    Arrays.sort(x);
    Arrays.sort(y);
    RankSum rs = rankSum(x, y);
    double u = rs.locationRankSum - n1 * (n1 + 1) / 2.0;
    double mu = n1 * (double) n2 / 2.0;
    double n = n1 + n2;
    double var = n1 * (double) n2 / 12.0 * ((n + 1) - rs.tieSum / (n * (n - 1)));
    double sd = Math.sqrt(Math.max(var, 0));
    double z;
    double p;
    if (sd == 0) {
      z = 0;
      p = 1;
    } else {
      double dev = u - mu;
      double corrected = Math.signum(dev) * Math.max(Math.abs(dev) - 0.5, 0);
      z = corrected / sd;
      p = Math.min(1, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
    }
    long pairs = (long) n1 * n2;
    double hl =
        pairs % 2 == 1
            ? kthDifference(x, y, (pairs + 1) / 2)
            : (kthDifference(x, y, pairs / 2) + kthDifference(x, y, pairs / 2 + 1)) / 2;
    double zq = NORMAL.inverseCumulativeProbability(0.5 + level / 2);
    long k = (long) Math.floor(mu - zq * (sd == 0 ? 0 : sd));
    k = Math.max(1, Math.min(k, (pairs + 1) / 2));
    double lo = kthDifference(x, y, k);
    double hi = kthDifference(x, y, pairs + 1 - k);
    Inputs.Method method =
        new Inputs.Method("Mann–Whitney U test (two-sided, normal approximation)")
            .param("U (location)", u)
            .param("z (tie and continuity corrected)", z)
            .param("Hodges–Lehmann shift", hl)
            .param("interval order statistic k", k)
            .param("confidence level", level)
            .assume("Daily values are independent of each other, within and between the samples.")
            .assume(
                "The test asks whether values from the location tend to be larger or smaller than"
                    + " the reference's; the shift estimate assumes both distributions have the same"
                    + " shape and differ by a shift.")
            .caveat(
                "Daily values are strongly autocorrelated: the p-value is too small, as for any"
                    + " test that treats days as independent.")
            .caveat(
                "The shapes differ a lot (e.g. one sample much more spread out): a significant"
                    + " result may reflect spread, not a shift.")
            .caveat("Very small samples: the normal approximation is rough below about 8 per side.");
    sampleSizeCaveat(method, n1, n2);
    return new DifferenceTest(
        method.build(), hl, new Interval(lo, hi, level), u, p, n1, n2);
  }

  /**
   * Compares a location with its reference: both tests, the one chosen by the rule in the class
   * comment, and a verdict in the metric's direction at significance level {@code alpha}.
   *
   * @param location the location's daily values (at least 2)
   * @param reference the reference's daily values, e.g. the rest of the fleet or of its peer group
   *     (at least 2); should not include the location's own values
   * @param higherIsBetter true for OEE, uptime, MTBF; false for MTTR, energy, failures
   * @param alpha significance level in (0, 0.5]; intervals are at level {@code 1 - alpha}
   * @throws InvalidRequestException for too few or non-finite values, or a bad alpha
   */
  public static LocationDifference compare(
      double[] location, double[] reference, boolean higherIsBetter, double alpha) {
    Inputs.alpha("alpha", alpha);
    DifferenceTest welch = welch(location, reference, 1 - alpha);
    DifferenceTest mw = mannWhitney(location, reference, 1 - alpha);
    String farFromNormal = farFromNormal("location", location);
    if (farFromNormal == null) {
      farFromNormal = farFromNormal("reference", reference);
    }
    DifferenceTest chosen = farFromNormal == null ? welch : mw;
    String reason =
        farFromNormal == null
            ? "Welch's t-test: both samples are close enough to normal (|skewness| <= "
                + Inputs.fmt(SKEWNESS_LIMIT)
                + ", excess kurtosis <= "
                + Inputs.fmt(EXCESS_KURTOSIS_LIMIT)
                + ")"
            : "Mann–Whitney U: " + farFromNormal;
    return new LocationDifference(
        welch,
        mw,
        chosen,
        reason,
        higherIsBetter,
        alpha,
        null,
        verdict(chosen, location.length, reference.length, chosen.pValue(), alpha, higherIsBetter));
  }

  /**
   * Compares every location with the rest of the fleet (all other locations' daily values pooled)
   * and controls the false discovery rate across all of them with Benjamini–Hochberg: a location is
   * significantly better or worse only when its adjusted p-value is at most {@code
   * falseDiscoveryRate}. To compare like with like, pass only the locations of one peer group.
   *
   * @param dailyValuesByLocation each location's daily values (at least 2 locations, each with at
   *     least 2 values)
   * @param higherIsBetter the metric's direction
   * @param falseDiscoveryRate q in (0, 0.5], e.g. 0.05
   * @return per location id, in the map's iteration order, its difference with {@code
   *     adjustedPValue} set
   * @throws InvalidRequestException for fewer than 2 locations or any bad sample
   */
  public static Map<String, LocationDifference> compareEachWithRest(
      Map<String, double[]> dailyValuesByLocation,
      boolean higherIsBetter,
      double falseDiscoveryRate) {
    Inputs.alpha("falseDiscoveryRate", falseDiscoveryRate);
    if (dailyValuesByLocation == null || dailyValuesByLocation.size() < 2) {
      throw new InvalidRequestException(
          "dailyValuesByLocation needs at least 2 locations to compare each with the rest");
    }
    Map<String, List<String>> references = new LinkedHashMap<>();
    for (String id : dailyValuesByLocation.keySet()) {
      references.put(
          id, dailyValuesByLocation.keySet().stream().filter(o -> !o.equals(id)).toList());
    }
    return compareEachWithReference(
        dailyValuesByLocation, references, higherIsBetter, falseDiscoveryRate);
  }

  /**
   * Compares every location with its own reference (the pooled daily values of the locations
   * named for it, e.g. the rest of its peer group) and controls the false discovery rate across
   * all of the comparisons together with Benjamini–Hochberg. {@link #compareEachWithRest} is the
   * case where every location's reference is every other location.
   *
   * @param dailyValuesByLocation each location's daily values (each with at least 2 values)
   * @param referenceIds per location to test, the ids of its reference locations (keys of {@code
   *     dailyValuesByLocation}, never the location itself, together at least 2 values); locations
   *     not in this map are not tested but may serve as references
   * @param higherIsBetter the metric's direction
   * @param falseDiscoveryRate q in (0, 0.5], e.g. 0.05
   * @return per tested location, in the iteration order of {@code referenceIds}, its difference
   *     with {@code adjustedPValue} set (adjusted over all tested locations)
   * @throws InvalidRequestException for an empty map of tests, an unknown or self reference, or
   *     any bad sample
   */
  public static Map<String, LocationDifference> compareEachWithReference(
      Map<String, double[]> dailyValuesByLocation,
      Map<String, ? extends Collection<String>> referenceIds,
      boolean higherIsBetter,
      double falseDiscoveryRate) {
    Inputs.alpha("falseDiscoveryRate", falseDiscoveryRate);
    if (dailyValuesByLocation == null || referenceIds == null || referenceIds.isEmpty()) {
      throw new InvalidRequestException(
          "dailyValuesByLocation and referenceIds must name at least one location to test");
    }
    for (Map.Entry<String, double[]> e : dailyValuesByLocation.entrySet()) {
      if (e.getValue() == null) {
        throw new InvalidRequestException("daily values of location '" + e.getKey() + "' are null");
      }
    }
    Map<String, LocationDifference> raw = new LinkedHashMap<>();
    Map<String, Double> pValues = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Collection<String>> e : referenceIds.entrySet()) {
      String id = e.getKey();
      double[] own = dailyValuesByLocation.get(id);
      if (own == null) {
        throw new InvalidRequestException("location '" + id + "' has no daily values to test");
      }
      Collection<String> refs = e.getValue();
      if (refs == null || refs.isEmpty()) {
        throw new InvalidRequestException("location '" + id + "' has no reference locations");
      }
      int total = 0;
      for (String other : refs) {
        if (other.equals(id)) {
          throw new InvalidRequestException(
              "location '" + id + "' cannot be its own reference: compare it with the others");
        }
        double[] v = dailyValuesByLocation.get(other);
        if (v == null) {
          throw new InvalidRequestException(
              "reference location '" + other + "' of '" + id + "' has no daily values");
        }
        total += v.length;
      }
      double[] rest = new double[total];
      int at = 0;
      for (String other : refs) {
        double[] v = dailyValuesByLocation.get(other);
        System.arraycopy(v, 0, rest, at, v.length);
        at += v.length;
      }
      LocationDifference d = compare(own, rest, higherIsBetter, falseDiscoveryRate);
      raw.put(id, d);
      pValues.put(id, d.chosen().pValue());
    }
    FalseDiscoveries bh = benjaminiHochberg(pValues, falseDiscoveryRate);
    Map<String, LocationDifference> out = new LinkedHashMap<>();
    for (FalseDiscoveries.Entry e : bh.entries()) {
      LocationDifference d = raw.get(e.id());
      DifferenceTest c = d.chosen();
      out.put(
          e.id(),
          new LocationDifference(
              d.welch(),
              d.mannWhitney(),
              c,
              d.choiceReason(),
              higherIsBetter,
              falseDiscoveryRate,
              e.adjustedPValue(),
              verdict(
                  c,
                  c.locationSize(),
                  c.referenceSize(),
                  e.adjustedPValue(),
                  falseDiscoveryRate,
                  higherIsBetter)));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The Benjamini–Hochberg (1995) step-up procedure: sort the m p-values, find the largest rank i
   * with {@code p(i) <= i q / m} and declare the i smallest discoveries. Adjusted p-values are
   * {@code min over j >= i of (m p(j) / j)}, capped at 1, so that a discovery is exactly an adjusted
   * p-value at most q.
   *
   * @param pValues p-value per id (each in [0, 1]; at least one)
   * @param falseDiscoveryRate q in (0, 0.5]
   * @throws InvalidRequestException for an empty map, a p-value outside [0, 1], or a bad q
   */
  public static FalseDiscoveries benjaminiHochberg(
      Map<String, Double> pValues, double falseDiscoveryRate) {
    Inputs.alpha("falseDiscoveryRate", falseDiscoveryRate);
    if (pValues == null || pValues.isEmpty()) {
      throw new InvalidRequestException("pValues must contain at least one p-value");
    }
    List<Map.Entry<String, Double>> list = new ArrayList<>(pValues.entrySet());
    for (Map.Entry<String, Double> e : list) {
      Double p = e.getValue();
      if (p == null || !(p >= 0 && p <= 1)) {
        throw new InvalidRequestException(
            "p-value of '" + e.getKey() + "' is " + p + ": must be in [0, 1]");
      }
    }
    int m = list.size();
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> list.get(i).getValue()));
    double[] adjusted = new double[m];
    double running = 1;
    for (int r = m; r >= 1; r--) {
      int i = order[r - 1];
      running = Math.min(running, list.get(i).getValue() * m / r);
      adjusted[i] = Math.min(1, running);
    }
    List<FalseDiscoveries.Entry> entries = new ArrayList<>(m);
    int discoveries = 0;
    for (int i = 0; i < m; i++) {
      boolean found = adjusted[i] <= falseDiscoveryRate;
      discoveries += found ? 1 : 0;
      entries.add(
          new FalseDiscoveries.Entry(
              list.get(i).getKey(), list.get(i).getValue(), adjusted[i], found));
    }
    StatisticalMethod method =
        new Inputs.Method("Benjamini–Hochberg false discovery rate control")
            .param("hypotheses m", m)
            .param("false discovery rate q", falseDiscoveryRate)
            .param("discoveries", discoveries)
            .assume(
                "The p-values are valid each on its own and independent or positively dependent"
                    + " (PRDS); then the expected share of false discoveries among the discoveries"
                    + " is at most q.")
            .caveat(
                "The individual tests are not trustworthy (e.g. autocorrelated daily values): the"
                    + " correction cannot repair invalid p-values.")
            .caveat(
                "Read a discovery as 'probably different', not 'certainly different': up to a share"
                    + " q of the discoveries are expected to be false.")
            .build();
    return new FalseDiscoveries(falseDiscoveryRate, entries, method);
  }

  // --- internals ---

  private static DifferenceVerdict verdict(
      DifferenceTest test,
      int n1,
      int n2,
      double decisiveP,
      double alpha,
      boolean higherIsBetter) {
    if (decisiveP > alpha) {
      return DifferenceVerdict.NOT_SIGNIFICANT;
    }
    // Direction: for Mann–Whitney by U against its null mean (the HL shift can be 0 with ties).
    double direction =
        test.method().name().startsWith("Mann")
            ? test.statistic() - n1 * (double) n2 / 2.0
            : test.estimate();
    if (direction == 0) {
      return DifferenceVerdict.NOT_SIGNIFICANT;
    }
    boolean higher = direction > 0;
    return higher == higherIsBetter
        ? DifferenceVerdict.SIGNIFICANTLY_BETTER
        : DifferenceVerdict.SIGNIFICANTLY_WORSE;
  }

  /** Why the sample is far from normal under the choice rule, or null when it is not. */
  private static @Nullable String farFromNormal(String name, double[] values) {
    double m = mean(values);
    if (variance(values, m) == 0) {
      return "the " + name + " sample has no spread (all values equal)";
    }
    if (values.length >= 3) {
      double skew = new Skewness().evaluate(values);
      if (Math.abs(skew) > SKEWNESS_LIMIT) {
        return "the " + name + " sample is skewed (skewness " + Inputs.fmt(skew) + ")";
      }
    }
    if (values.length >= 4) {
      double kurt = new Kurtosis().evaluate(values);
      if (kurt > EXCESS_KURTOSIS_LIMIT) {
        return "the " + name + " sample is heavy-tailed (excess kurtosis " + Inputs.fmt(kurt) + ")";
      }
    }
    return null;
  }

  private static void sampleSizeCaveat(Inputs.Method method, int n1, int n2) {
    if (Math.min(n1, n2) < 10) {
      method.caveat(
          "Only " + Math.min(n1, n2) + " values on one side: the test has little power, so 'not"
              + " significant' says little.");
    }
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double variance(double[] v, double mean) {
    double s = 0;
    for (double x : v) {
      s += (x - mean) * (x - mean);
    }
    return s / (v.length - 1);
  }

  private record RankSum(double locationRankSum, double tieSum) {}

  /**
   * Mid-ranks of the pooled sample, by merging the two samples (both sorted); returns the rank sum
   * of the location and the sum of (t^3 - t) over tie groups.
   */
  private static RankSum rankSum(double[] x, double[] y) {
    int i = 0;
    int j = 0;
    int rank = 0; // ranks used so far
    double rankSum = 0;
    double tieSum = 0;
    while (i < x.length || j < y.length) {
      double v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
      int fromX = 0;
      while (i < x.length && x[i] == v) {
        i++;
        fromX++;
      }
      int fromY = 0;
      while (j < y.length && y[j] == v) {
        j++;
        fromY++;
      }
      int t = fromX + fromY;
      double midRank = rank + (t + 1) / 2.0;
      rankSum += fromX * midRank;
      tieSum += (double) t * t * t - t;
      rank += t;
    }
    return new RankSum(rankSum, tieSum);
  }

  /**
   * Differences left between the search bounds at which {@link #kthDifference} stops bisecting and
   * selects among them instead: the dozen more O(n1 + n2) passes would cost more.
   */
  static final int COLLECT_LIMIT = 4096;

  /**
   * The k-th smallest (1-based) of the n1·n2 differences x[i] - y[j], both arrays sorted, without
   * forming them all: bisection on the value, each step an O(n1 + n2) pass that counts the
   * differences at most d and finds the nearest differences on either side of d, so the search
   * snaps to actual differences; once at most {@link #COLLECT_LIMIT} differences lie between the
   * bounds, they are collected and the k-th is selected among them. Many tied differences can keep
   * more than that between the bounds: the bisection then goes on until none lies between them.
   */
  static double kthDifference(double[] xs, double[] ys, long k) {
    return kthDifference(xs, ys, k, COLLECT_LIMIT);
  }

  /** As {@link #kthDifference(double[], double[], long)}; tests set the limit to try both ways. */
  static double kthDifference(double[] xs, double[] ys, long k, int collectLimit) {
    double lo = xs[0] - ys[ys.length - 1];
    Pass first = pass(xs, ys, lo);
    if (first.count >= k) {
      return lo;
    }
    double next = first.minAbove; // the smallest difference above lo
    double hi = xs[xs.length - 1] - ys[0];
    long countLo = first.count;
    long countHi = (long) xs.length * ys.length;
    boolean collect = true;
    // Invariant: count(lo) = countLo < k <= count(hi) = countHi; hi is a difference; next is the
    // first one above lo.
    for (int iter = 0; iter < 2000 && next < hi; iter++) {
      if (collect && countHi - countLo <= collectLimit) {
        double found = kthBetween(xs, ys, lo, hi, k - countLo, (int) (countHi - countLo));
        if (!Double.isNaN(found)) {
          return found;
        }
        collect = false; // not expected: the counts are exact; finish by bisection all the same
      }
      // Nothing lies in (lo, next): halving [next, hi] instead of [lo, hi] splits a cluster of
      // nearly equal differences (decimal values a few ulps apart) in a few passes.
      double mid = next + (hi - next) / 2;
      if (mid >= hi) {
        mid = next; // next and hi are neighbouring doubles
      }
      if (mid <= lo) {
        break;
      }
      Pass p = pass(xs, ys, mid);
      if (p.count >= k) {
        hi = p.maxAtMost;
        countHi = p.count;
      } else {
        lo = mid;
        countLo = p.count;
        next = p.minAbove;
      }
    }
    return hi;
  }

  /**
   * The rank-th smallest of the {@code expected} differences in (lo, hi], collected with two
   * pointers; NaN if a different number of them is found.
   */
  private static double kthBetween(
      double[] xs, double[] ys, double lo, double hi, long rank, int expected) {
    double[] between = new double[expected];
    int m = 0;
    int n2 = ys.length;
    int from = 0; // first y with x - y <= hi
    int to = 0; // first y with x - y <= lo
    for (double x : xs) {
      while (from < n2 && x - ys[from] > hi) {
        from++;
      }
      while (to < n2 && x - ys[to] > lo) {
        to++;
      }
      if (to - from > expected - m) {
        return Double.NaN;
      }
      for (int j = from; j < to; j++) {
        between[m++] = x - ys[j];
      }
    }
    if (m != expected || rank < 1 || rank > m) {
      return Double.NaN;
    }
    return select(between, m, (int) rank - 1);
  }

  /**
   * The k-th smallest (0-based) of a[0, m), by quickselect with a median-of-three pivot (a is
   * reordered): O(m) where sorting them would cost as much as several bisection passes. After
   * more rounds than a fair split needs, the rest is sorted, so the worst case stays O(m log m).
   */
  static double select(double[] a, int m, int k) {
    int left = 0;
    int right = m - 1;
    int rounds = 2 * (32 - Integer.numberOfLeadingZeros(m));
    while (right > left) {
      if (rounds-- == 0) {
        Arrays.sort(a, left, right + 1);
        return a[k];
      }
      int mid = (left + right) >>> 1;
      double pivot = medianOfThree(a[left], a[mid], a[right]);
      int i = left;
      int j = right;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = a[i];
          a[i++] = a[j];
          a[j--] = t;
        }
      }
      // Now a[left, j] <= pivot <= a[i, right], and whatever lies between equals the pivot.
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }

  private static double medianOfThree(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  private record Pass(long count, double maxAtMost, double minAbove) {}

  /**
   * Counts the differences x - y at most d, and finds the largest of them and the smallest one
   * above d. It compares the computed differences themselves (not y with x - d, which rounds
   * differently), so the counts and both neighbours agree with a sort of all differences.
   */
  private static Pass pass(double[] xs, double[] ys, double d) {
    long count = 0;
    double maxAtMost = Double.NEGATIVE_INFINITY;
    double minAbove = Double.POSITIVE_INFINITY;
    int j = 0;
    int n2 = ys.length;
    for (double x : xs) {
      // x - y falls as y grows, and rises with x: the differences at most d are those from the
      // first y with x - y <= d on, and that first y moves only forward as x grows.
      while (j < n2 && x - ys[j] > d) {
        j++;
      }
      count += n2 - j;
      if (j < n2) {
        maxAtMost = Math.max(maxAtMost, x - ys[j]);
      }
      if (j > 0) {
        minAbove = Math.min(minAbove, x - ys[j - 1]);
      }
    }
    return new Pass(count, maxAtMost, minAbove);
  }
}
