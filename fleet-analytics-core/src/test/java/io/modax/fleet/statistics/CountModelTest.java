package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class CountModelTest {

  /** Relative agreement asked of two fits that reach the same optimum by different routes. */
  static final double SAME = 1e-9;

  @Test
  void dispersionPValueIsTheChiSquareUpperTailOfThePearsonStatistic() {
    SplittableRandom r = new SplittableRandom(101);
    for (double nbAlpha : new double[] {0, 0.05, 0.3}) {
      int[] y = CountForecastsTest.simulate(r, 140, 3.0, 0, nbAlpha);
      CountModel m = CountModel.fit(y, null, 0, y.length, 0, false);
      // Every weekday has events here, so df = rows - 7 weekday levels.
      int df = y.length - 7;
      double pearson = m.pearsonDispersion * df;
      double expected = 1 - new ChiSquaredDistribution(df).cumulativeProbability(pearson);
      assertThat(m.dispersionPValue).isCloseTo(expected, within(1e-12));
    }
    // Strong over-dispersion: the tail is far below 1e-16, where 1 - cdf would round to 0.
    int[] wild = CountForecastsTest.simulate(r, 364, 2.5, 0, 0.5);
    CountModel m = CountModel.fit(wild, null, 0, wild.length, 0, false);
    assertThat(m.negativeBinomial).isTrue();
    assertThat(m.dispersionPValue).isGreaterThan(0).isLessThan(1e-16);
  }

  @Test
  void fitByWeekdayEqualsThePlainReferenceFit() {
    SplittableRandom r = new SplittableRandom(7);
    int poisson = 0;
    int negativeBinomial = 0;
    for (int s = 0; s < 120; s++) {
      int days = new int[] {28, 35, 90, 365, 730}[s % 5];
      double base = new double[] {0.05, 0.4, 2.5, 20}[r.nextInt(4)];
      double nbAlpha = new double[] {0, 0, 0.3, 1.5}[r.nextInt(4)];
      int[] y = CountForecastsTest.simulate(r, days, base, 0, nbAlpha);
      if (s % 3 == 0) {
        for (int t = 6; t < days; t += 7) {
          y[t] = 0; // a weekday without a single event (closed on Sundays)
        }
      }
      boolean[] observed = null;
      if (s % 4 == 1) {
        observed = new boolean[days];
        for (int t = 0; t < days; t++) {
          observed[t] = r.nextInt(10) > 0;
        }
        Arrays.fill(observed, days / 2, Math.min(days, days / 2 + 7), false); // an outage week
      }
      int firstWeekday = r.nextInt(7);
      int start = r.nextInt(days / 4);
      CountModel fast = CountModel.fitByWeekday(y, observed, start, days, firstWeekday);
      assertSameFit(
          fast, Reference.fit(y, observed, start, days, firstWeekday, false), "series " + s);
      if (!fast.noEvents) {
        poisson += fast.negativeBinomial ? 0 : 1;
        negativeBinomial += fast.negativeBinomial ? 1 : 0;
      }
    }
    // both families were compared, not only one
    assertThat(poisson).isGreaterThan(20);
    assertThat(negativeBinomial).isGreaterThan(20);
  }

  @Test
  void fitByWeekdayEqualsThePlainReferenceFitOnEdgeCases() {
    SplittableRandom r = new SplittableRandom(11);
    // no events at all: the Jeffreys predictive
    int[] none = new int[60];
    assertSameFit(
        CountModel.fitByWeekday(none, null, 0, 60, 2),
        Reference.fit(none, null, 0, 60, 2, false),
        "no events");
    assertThat(CountModel.fitByWeekday(none, null, 0, 60, 2).noEvents).isTrue();
    // a single event, and events on one weekday only
    int[] one = new int[56];
    one[17] = 1;
    assertSameFit(
        CountModel.fitByWeekday(one, null, 0, 56, 0),
        Reference.fit(one, null, 0, 56, 0, false),
        "one event");
    int[] mondays = new int[84];
    for (int t = 0; t < 84; t += 7) {
      mondays[t] = 1 + r.nextInt(30);
    }
    assertSameFit(
        CountModel.fitByWeekday(mondays, null, 0, 84, 0),
        Reference.fit(mondays, null, 0, 84, 0, false),
        "Mondays only");
    // a weekday never observed in the window (only Monday to Friday were reported)
    int[] y = CountForecastsTest.simulate(r, 70, 3, 0, 0.5);
    boolean[] weekdaysOnly = new boolean[70];
    for (int t = 0; t < 70; t++) {
      weekdaysOnly[t] = t % 7 < 5;
    }
    CountModel fast = CountModel.fitByWeekday(y, weekdaysOnly, 0, 70, 0);
    assertThat(fast.coefficients()[5]).isEqualTo(fast.coefficients()[6]); // both at the prior
    assertSameFit(fast, Reference.fit(y, weekdaysOnly, 0, 70, 0, false), "weekends unobserved");
    assertThat(fast.days).isEqualTo(50);
    // large counts, strongly over-dispersed
    int[] big = CountForecastsTest.simulate(r, 365, 400, 0, 1.0);
    assertSameFit(
        CountModel.fitByWeekday(big, null, 0, 365, 3),
        Reference.fit(big, null, 0, 365, 3, false),
        "large counts");
  }

  @Test
  void fitWithoutTrendTakesTheWeekdayPathAndWithTrendTheGeneralOne() {
    int[] y = CountForecastsTest.simulate(new SplittableRandom(5), 120, 2, 0, 0);
    assertSameFit(
        CountModel.fit(y, null, 0, 120, 0, false),
        CountModel.fitByWeekday(y, null, 0, 120, 0),
        "no trend");
    assertSameFit(
        CountModel.fitByWeekday(y, null, 0, 120, 0),
        CountModel.fitIrls(y, null, 0, 120, 0, false),
        "no trend, by IRLS");
    CountModel trend = CountModel.fit(y, null, 0, 120, 0, true);
    assertThat(trend.coefficients()).hasSize(8);
    assertSameFit(trend, CountModel.fitIrls(y, null, 0, 120, 0, true), "trend");
  }

  @Test
  void irlsFitsWithAndWithoutTrendEqualThePlainReferenceFit() {
    SplittableRandom r = new SplittableRandom(13);
    int negativeBinomial = 0;
    for (int s = 0; s < 60; s++) {
      int days = new int[] {28, 90, 365, 730}[s % 4];
      double base = new double[] {0.1, 0.8, 3, 25}[r.nextInt(4)];
      double nbAlpha = new double[] {0, 0, 0.3, 1.5}[r.nextInt(4)];
      double logChange = new double[] {0, Math.log(3), -1}[r.nextInt(3)];
      int[] y = CountForecastsTest.simulate(r, days, base, logChange, nbAlpha);
      if (s % 3 == 0) {
        for (int t = 5; t < days; t += 7) {
          y[t] = 0;
        }
      }
      boolean[] observed = null;
      if (s % 4 == 2) {
        observed = new boolean[days];
        for (int t = 0; t < days; t++) {
          observed[t] = r.nextInt(8) > 0;
        }
      }
      int firstWeekday = r.nextInt(7);
      int start = r.nextInt(days / 4);
      for (boolean trend : new boolean[] {false, true}) {
        CountModel m = CountModel.fitIrls(y, observed, start, days, firstWeekday, trend);
        assertSameFit(m, Reference.fit(y, observed, start, days, firstWeekday, trend),
            "series " + s + (trend ? " with trend" : ""));
        negativeBinomial += m.negativeBinomial ? 1 : 0;
      }
    }
    assertThat(negativeBinomial).isGreaterThan(20);
    int[] none = new int[50];
    assertSameFit(
        CountModel.fitIrls(none, null, 0, 50, 0, true),
        Reference.fit(none, null, 0, 50, 0, true),
        "no events, with trend");
  }

  @Test
  void aTrendFitStartedFromTheNeighbouringOriginsFitEqualsOneFromThePrior() {
    SplittableRandom r = new SplittableRandom(17);
    for (int s = 0; s < 12; s++) {
      int days = s % 2 == 0 ? 365 : 800;
      double level = 0.5 + 4 * r.nextDouble();
      double logChange = Math.log(2) * (s % 3 - 1);
      int[] y = CountForecastsTest.simulate(r, days, level, logChange, s % 4 < 2 ? 0 : 0.6);
      boolean[] observed = null;
      if (s % 3 == 1) {
        observed = new boolean[days];
        Arrays.fill(observed, true);
        Arrays.fill(observed, days - 20, days - 12, false);
      }
      int firstWeekday = s % 7;
      // as a backtest runs: origins one day apart, each fit started from the previous one
      CountModel previous = null;
      for (int origin = days - 1; origin > days - 29; origin--) {
        int start = CountForecasts.windowStart(observed, origin, CountForecasts.MAX_TRAINING_DAYS);
        CountModel warm = CountModel.fit(y, observed, start, origin, firstWeekday, true, previous);
        CountModel cold = CountModel.fit(y, observed, start, origin, firstWeekday, true);
        assertSameFit(warm, cold, "series " + s + ", origin " + origin);
        previous = warm;
      }
    }
  }

  @Test
  void weekdayLevelSolvesItsPenalizedScoreEquation() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      int n = r.nextInt(120);
      long s = n == 0 || r.nextInt(4) == 0 ? 0 : r.nextLong(1 + 50L * n);
      double c = Math.log((r.nextInt(5000) + 0.5) / 365);
      double alpha = r.nextBoolean() ? 0 : Math.exp(-6 + 8 * r.nextDouble());
      double start = c + 20 * (r.nextDouble() - 0.5);
      double b = CountModel.weekdayLevel(n, s, c, alpha, start);
      double mu = Math.exp(b);
      double score = (s - n * mu) / (1 + alpha * mu) - CountModel.WEEKDAY_PRECISION * (b - c);
      // the score at b is zero up to rounding of its terms
      double scale =
          (s + n * mu) / (1 + alpha * mu)
              + CountModel.WEEKDAY_PRECISION * (Math.abs(b) + Math.abs(c));
      assertThat(Math.abs(score)).as("n %d, s %d, c %f, alpha %f", n, s, c, alpha)
          .isLessThanOrEqualTo(1e-12 * scale);
    }
  }

  /** Compares a fit with the reference: every figure a forecast uses, to {@link #SAME}. */
  static void assertSameFit(CountModel a, Reference b, String what) {
    assertThat(a.noEvents).as(what).isEqualTo(b.noEvents);
    assertThat(a.days).as(what).isEqualTo(b.days);
    assertThat(a.events).as(what).isEqualTo(b.events);
    if (a.noEvents) {
      return;
    }
    assertThat(a.negativeBinomial).as(what).isEqualTo(b.negativeBinomial);
    assertClose(a.alpha, b.alpha, what + ": alpha");
    assertClose(a.pearsonDispersion, b.pearson / b.df, what + ": Pearson dispersion");
    assertClose(a.dispersionPValue, b.pValue, what + ": p-value");
    double[] beta = a.coefficients();
    assertThat(beta).as(what).hasSize(b.beta.length);
    for (int j = 0; j < beta.length; j++) {
      // log scale: an absolute difference is the relative difference of the means
      assertThat(beta[j]).as("%s: coefficient %d", what, j).isCloseTo(b.beta[j], within(SAME));
    }
    double[][] cov = a.covariance();
    for (int i = 0; i < cov.length; i++) {
      for (int j = 0; j < cov.length; j++) {
        // off-diagonal entries may be exact zeros in one and rounding noise in the other
        double scale = Math.sqrt(b.cov[i][i] * b.cov[j][j]);
        assertThat(cov[i][j]).as("%s: covariance %d %d", what, i, j)
            .isCloseTo(b.cov[i][j], within(SAME * scale));
      }
    }
  }

  /** Two fits agree in every figure a forecast uses, to {@link #SAME}. */
  static void assertSameFit(CountModel a, CountModel b, String what) {
    assertThat(a.noEvents).as(what).isEqualTo(b.noEvents);
    assertThat(a.negativeBinomial).as(what).isEqualTo(b.negativeBinomial);
    assertThat(a.days).as(what).isEqualTo(b.days);
    assertClose(a.alpha, b.alpha, what + ": alpha");
    assertClose(a.dispersionPValue, b.dispersionPValue, what + ": p-value");
    double[] ca = a.coefficients();
    double[] cb = b.coefficients();
    for (int j = 0; j < ca.length; j++) {
      assertThat(ca[j]).as("%s: coefficient %d", what, j).isCloseTo(cb[j], within(SAME));
    }
    int end = a.start + a.days;
    for (int t = a.start; t < end + 30; t++) {
      assertClose(a.mean(t), b.mean(t), what + ": mean on day " + t);
    }
    CountDistribution da = a.predictTotal(end, 30);
    CountDistribution db = b.predictTotal(end, 30);
    assertClose(da.mean, db.mean, what + ": predicted total");
    assertClose(da.variance, db.variance, what + ": predicted variance");
  }

  static void assertClose(double actual, double expected, String what) {
    assertThat(actual).as(what)
        .isCloseTo(expected, within(SAME * Math.max(Math.abs(expected), 1e-300)));
  }

  /**
   * The model fitted the plain way, as its documentation describes it: a dense design matrix,
   * Fisher scoring (IRLS) from the prior without safeguards until no coefficient moves by 1e-13,
   * dense solves and inverse. Slow, but independent of both ways CountModel fits.
   */
  static final class Reference {
    boolean noEvents;
    int days;
    int events;
    boolean negativeBinomial;
    double alpha;
    double pearson;
    int df;
    double pValue;
    double[] beta;
    double[][] cov;

    static Reference fit(
        int[] y, boolean[] observed, int start, int end, int firstWeekday, boolean trend) {
      Reference f = new Reference();
      int p = trend ? 8 : 7;
      List<Integer> rows = new ArrayList<>();
      for (int t = start; t < end; t++) {
        if (observed == null || observed[t]) {
          rows.add(t);
          f.events += y[t];
        }
      }
      int n = rows.size();
      f.days = Math.max(n, 1);
      if (f.events == 0) {
        f.noEvents = true;
        return f;
      }
      double center = (start + end - 1) / 2.0;
      double[][] x = new double[n][p];
      double[] yy = new double[n];
      for (int i = 0; i < n; i++) {
        int t = rows.get(i);
        x[i][(firstWeekday + t) % 7] = 1;
        if (trend) {
          x[i][7] = (t - center) / CountModel.DAYS_PER_YEAR;
        }
        yy[i] = y[t];
      }
      double c = Math.log((f.events + 0.5) / n);
      double[] prior = new double[p];
      double[] precision = new double[p];
      for (int j = 0; j < 7; j++) {
        prior[j] = c;
        precision[j] = CountModel.WEEKDAY_PRECISION;
      }
      if (trend) {
        precision[7] = CountModel.TREND_PRECISION;
      }
      double[] b = scoring(x, yy, prior.clone(), prior, precision, 0);
      double[] mu = means(x, b);
      long[] perWeekday = new long[7];
      for (int i = 0; i < n; i++) {
        perWeekday[(firstWeekday + rows.get(i)) % 7] += (long) yy[i];
      }
      int used = 0;
      for (int i = 0; i < n; i++) {
        if (perWeekday[(firstWeekday + rows.get(i)) % 7] > 0) {
          f.pearson += (yy[i] - mu[i]) * (yy[i] - mu[i]) / mu[i];
          used++;
        }
      }
      int active = 0;
      for (long e : perWeekday) {
        active += e > 0 ? 1 : 0;
      }
      f.df = Math.max(1, used - active - (trend ? 1 : 0));
      f.pValue = Gamma.regularizedGammaQ(f.df / 2.0, f.pearson / 2.0);
      f.negativeBinomial = f.pValue < CountModel.DISPERSION_TEST_LEVEL;
      if (f.negativeBinomial) {
        for (int round = 0; round < 4; round++) {
          // The df-corrected moment estimate: Pearson's X² with the NB2 variance equals df
          // (Brent's root on the active weekdays' rows; 0 when the Poisson's X² is below df).
          final double[] m = mu;
          final long[] perDay = perWeekday;
          final int df = f.df;
          org.apache.commons.math3.analysis.UnivariateFunction excess =
              a -> {
                double x2 = 0;
                for (int i = 0; i < n; i++) {
                  if (perDay[(firstWeekday + rows.get(i)) % 7] > 0) {
                    x2 += (yy[i] - m[i]) * (yy[i] - m[i]) / (m[i] * (1 + a * m[i]));
                  }
                }
                return x2 - df;
              };
          f.alpha =
              excess.value(0) <= 0
                  ? 0
                  : new org.apache.commons.math3.analysis.solvers.BrentSolver(1e-13, 1e-12)
                      .solve(1000, excess, 0, 1e4);
          b = scoring(x, yy, b, prior, precision, f.alpha);
          mu = means(x, b);
        }
      }
      f.beta = b;
      f.cov = new LUDecomposition(information(x, mu, precision, f.alpha)).getSolver().getInverse()
          .getData();
      return f;
    }

    private static double[] means(double[][] x, double[] b) {
      double[] mu = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        mu[i] = Math.exp(new ArrayRealVector(x[i]).dotProduct(new ArrayRealVector(b)));
      }
      return mu;
    }

    /** X'WX + diag(precision). */
    private static RealMatrix information(
        double[][] x, double[] mu, double[] precision, double alpha) {
      RealMatrix a = MatrixUtils.createRealDiagonalMatrix(precision);
      for (int i = 0; i < x.length; i++) {
        double w = mu[i] / (1 + alpha * mu[i]);
        RealVector row = new ArrayRealVector(x[i]);
        a = a.add(row.outerProduct(row).scalarMultiply(w));
      }
      return a;
    }

    private static double[] scoring(
        double[][] x, double[] y, double[] b, double[] prior, double[] precision, double alpha) {
      for (int iter = 0; iter < 500; iter++) {
        double[] mu = means(x, b);
        RealVector rhs = new ArrayRealVector(prior).ebeMultiply(new ArrayRealVector(precision));
        for (int i = 0; i < x.length; i++) {
          double w = mu[i] / (1 + alpha * mu[i]);
          double z = Math.log(mu[i]) + (y[i] - mu[i]) / mu[i];
          rhs = rhs.add(new ArrayRealVector(x[i]).mapMultiply(w * z));
        }
        double[] next = new LUDecomposition(information(x, mu, precision, alpha)).getSolver()
            .solve(rhs).toArray();
        double change = 0;
        for (int j = 0; j < b.length; j++) {
          change = Math.max(change, Math.abs(next[j] - b[j]));
        }
        b = next;
        if (change < 1e-13) {
          break;
        }
      }
      return b;
    }
  }

  @Test
  void theDispersionEstimateOnThirteenWeeksIsNearlyUnbiased() {
    // NB2 counts with α 0.6 (weekday rate 3, weekend 0.8), 91 days, 400 series: the mean estimate
    // must be within 10% of 0.6. The Cameron–Trivedi regression without a degrees-of-freedom
    // correction averaged 0.506 here (0.236 for α 0.3, 0.106 on 28 days).
    SplittableRandom r = new SplittableRandom(5);
    double sum = 0;
    int reps = 400;
    for (int k = 0; k < reps; k++) {
      int[] y = new int[91];
      for (int t = 0; t < y.length; t++) {
        double mu = (t % 7 < 5 ? 3 : 0.8) * CountForecastsTest.gamma(r, 1 / 0.6) * 0.6;
        y[t] = ReliabilityTest.poisson(r, mu);
      }
      sum += CountModel.fitByWeekday(y, null, 0, y.length, 0).alpha;
    }
    System.out.printf("NB2 α 0.6 on 91 days: mean estimate %.3f%n", sum / reps);
    assertThat(sum / reps).isBetween(0.54, 0.66);
  }

  @Test
  void theRecentLevelIsTheLevelAtTheLastHistoryDayNotTheWindowsMiddle() {
    // A noise-free rise of 100% a year at 1,000 a day: the last history day's rate is 1,000, and
    // the four weeks' mean sits at their middle, 13.5 days earlier (2.5% lower). The recent
    // levels, moved along the fitted trend, forecast the last day's level held flat.
    int n = 180;
    double slope = Math.log(2) / CountModel.DAYS_PER_YEAR;
    int[] y = new int[n];
    for (int t = 0; t < n; t++) {
      y[t] = (int) Math.round(1000 * Math.exp(slope * (t - (n - 1))));
    }
    CountModel recent = CountForecasts.Candidate.RECENT.fit(y, null, n, 0, null);
    assertThat(recent.predictTotal(n, 30).mean / 30_000).isCloseTo(1, within(0.002));
  }

  @Test
  void theDampedTrendsPredictiveVarianceUsesTheDerivativeOfTheAppliedTrend() {
    // The delta-method term g'Cg of a significant, damped trend: g by central differences of the
    // total's mean in each coefficient, the applied trend recomputed from the coefficient as
    // δ (1 - (1.96 SE / δ)²), against the model's analytic variance.
    SplittableRandom r = new SplittableRandom(5);
    int[] y = CountForecastsTest.simulate(r, 365, 3.0, Math.log(1.7), 0);
    CountModel m = CountModel.fit(y, null, 0, 365, 0, true);
    assertThat(m.significantTrend()).isTrue();
    assertThat(Math.abs(m.appliedTrend)).isGreaterThan(0).isLessThan(CountModel.MAX_LOG_TREND_PER_YEAR);
    double[] b = m.coefficients();
    double[][] c = m.covariance();
    double se = Math.sqrt(c[7][7]);
    int h = 30;
    double[] g = new double[8];
    for (int j = 0; j < 8; j++) {
      double step = 1e-6;
      double[] up = b.clone();
      double[] down = b.clone();
      up[j] += step;
      down[j] -= step;
      g[j] = (dampedTotal(up, se, m.center, h) - dampedTotal(down, se, m.center, h)) / (2 * step);
    }
    double param = 0;
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        param += g[i] * c[i][j] * g[j];
      }
    }
    double mean = dampedTotal(b, se, m.center, h);
    CountDistribution total = m.predictTotal(365, h);
    assertThat(total.mean).isCloseTo(mean, within(1e-9 * mean));
    // Poisson here: variance = mean + g'Cg
    assertThat(m.alpha).isZero();
    assertThat(total.variance).isCloseTo(mean + param, within(1e-5 * (mean + param)));
  }

  /** The expected total of days 365 … 365 + h - 1 of a year-long fit (weekday 0 first). */
  private static double dampedTotal(double[] b, double se, double center, int h) {
    double z = b[7] / se;
    double applied = b[7] * (1 - (1.96 / z) * (1.96 / z));
    double total = 0;
    for (int t = 365; t < 365 + h; t++) {
      double eta = b[t % 7] + b[7] * (364 - center) / 365.25 + applied * (t - 364) / 365.25;
      total += Math.exp(eta);
    }
    return total;
  }
}
