package io.modax.fleet.statistics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.special.Gamma;
import org.jspecify.annotations.Nullable;

/**
 * A log-linear count regression of daily counts: one level per weekday and, optionally, a
 * log-linear trend, {@code log μ_t = a[weekday(t)] + δ (t - center) / 365.25}. Fitted by penalized
 * iteratively reweighted least squares (IRLS): a weak normal prior pulls each weekday level towards
 * the log of the overall daily mean (so a weekday with no failures gets a small rate, not minus
 * infinity) and the trend towards 0. Poisson unless the Pearson dispersion test finds
 * over-dispersion; then negative binomial (NB2, variance μ + α μ²) with α by the Cameron–Trivedi
 * moment estimator, alternated with the mean fit.
 */
final class CountModel {

  /** Prior precision of each weekday level around the log overall mean (prior sd 2). */
  static final double WEEKDAY_PRECISION = 0.25;

  /** Prior precision of the trend per year (prior sd 10: only guards against singular fits). */
  static final double TREND_PRECISION = 0.01;

  /** Significance level of the Pearson over-dispersion test. */
  static final double DISPERSION_TEST_LEVEL = 0.05;

  static final double DAYS_PER_YEAR = 365.25;

  final boolean trend;
  final int firstWeekday;
  final int start;
  final int days;
  final int events;
  final double center;
  final boolean negativeBinomial;
  final double alpha;
  final double pearsonDispersion;
  final double dispersionPValue;
  /** No event in the window: the Jeffreys predictive is used instead of the regression. */
  final boolean noEvents;

  private final double[] beta;
  private final double[][] cov;

  private CountModel(
      boolean trend,
      int firstWeekday,
      int start,
      int days,
      int events,
      double center,
      boolean negativeBinomial,
      double alpha,
      double pearsonDispersion,
      double dispersionPValue,
      boolean noEvents,
      double[] beta,
      double[][] cov) {
    this.trend = trend;
    this.firstWeekday = firstWeekday;
    this.start = start;
    this.days = days;
    this.events = events;
    this.center = center;
    this.negativeBinomial = negativeBinomial;
    this.alpha = alpha;
    this.pearsonDispersion = pearsonDispersion;
    this.dispersionPValue = dispersionPValue;
    this.noEvents = noEvents;
    this.beta = beta;
    this.cov = cov;
  }

  /**
   * Fits the observed days of {@code [start, end)} of {@code y}; day index 0 falls on weekday
   * {@code firstWeekday} (0 = Monday). {@code observed} marks the days whose count is known (null:
   * every day); unobserved days are left out of the fit, so they neither count as zeros nor shift
   * the weekdays.
   */
  static CountModel fit(
      int[] y, boolean @Nullable [] observed, int start, int end, int firstWeekday, boolean trend) {
    return trend
        ? fitIrls(y, observed, start, end, firstWeekday, true)
        : fitByWeekday(y, observed, start, end, firstWeekday);
  }

  /** The general fit by penalized IRLS, for either model. */
  static CountModel fitIrls(
      int[] y, boolean @Nullable [] observed, int start, int end, int firstWeekday, boolean trend) {
    int p = trend ? 8 : 7;
    int n = 0;
    long total = 0;
    for (int t = start; t < end; t++) {
      if (observed == null || observed[t]) {
        n++;
        total += y[t];
      }
    }
    double center = (start + end - 1) / 2.0;
    if (total == 0) {
      return new CountModel(
          trend, firstWeekday, start, Math.max(n, 1), 0, center, false, 0, 0, 1, true,
          new double[p], new double[p][p]);
    }
    Design x = new Design(new int[n], trend ? new double[n] : null);
    double[] yy = new double[n];
    int i = 0;
    for (int t = start; t < end; t++) {
      if (observed != null && !observed[t]) {
        continue;
      }
      x.weekday[i] = (firstWeekday + t) % 7;
      if (x.trend != null) {
        x.trend[i] = (t - center) / DAYS_PER_YEAR;
      }
      yy[i] = y[t];
      i++;
    }
    double c = Math.log((total + 0.5) / n);
    double[] prior = new double[p];
    double[] precision = new double[p];
    for (int j = 0; j < 7; j++) {
      prior[j] = c;
      precision[j] = WEEKDAY_PRECISION;
    }
    if (trend) {
      precision[7] = TREND_PRECISION;
    }
    double[] b = prior.clone();
    b = irls(x, yy, b, prior, precision, 0);
    double[] mu = means(x, b);
    // Weekdays without a single event (a plant closed on Sundays) say nothing about dispersion:
    // they are left out of the Pearson statistic and of its degrees of freedom.
    long[] perWeekday = new long[7];
    for (int k = 0; k < n; k++) {
      perWeekday[x.weekday[k]] += (long) yy[k];
    }
    double pearson = 0;
    int rows = 0;
    int activeWeekdays = 0;
    for (long eventsOnWeekday : perWeekday) {
      activeWeekdays += eventsOnWeekday > 0 ? 1 : 0;
    }
    for (int k = 0; k < n; k++) {
      if (perWeekday[x.weekday[k]] > 0) {
        pearson += (yy[k] - mu[k]) * (yy[k] - mu[k]) / mu[k];
        rows++;
      }
    }
    int df = Math.max(1, rows - activeWeekdays - (trend ? 1 : 0));
    // The chi-square upper tail directly: a ChiSquaredDistribution would seed a random generator
    // on every fit, which cost more than the fit itself.
    double pValue = Gamma.regularizedGammaQ(df / 2.0, pearson / 2.0);
    double alpha = 0;
    boolean nb = pValue < DISPERSION_TEST_LEVEL;
    if (nb) {
      for (int round = 0; round < 4; round++) {
        alpha = momentAlpha(yy, mu, pearson, df);
        b = irls(x, yy, b, prior, precision, alpha);
        mu = means(x, b);
      }
    }
    double[][] cov = covariance(x, mu, precision, alpha);
    return new CountModel(
        trend, firstWeekday, start, n, (int) Math.min(Integer.MAX_VALUE, total), center, nb,
        alpha, pearson / df, pValue, false, b, cov);
  }

  /**
   * The fit without trend, exactly as {@link #fitIrls} but in O(days + 7 Newton solves): with one
   * level per weekday and a diagonal prior the penalized likelihood is a sum of one-dimensional
   * problems, one per weekday, each depending on the data only through the weekday's day count and
   * sum of counts. The Pearson statistic and the moment estimate of α need Σ (y - μ)² per weekday,
   * which is the weekday's sum of squares about its own mean plus n (ȳ - μ)²; the covariance, the
   * inverse of X'WX + diag(precision), is diagonal.
   */
  static CountModel fitByWeekday(
      int[] y, boolean @Nullable [] observed, int start, int end, int firstWeekday) {
    int[] days = new int[7];
    long[] sums = new long[7];
    int n = 0;
    long total = 0;
    for (int t = start; t < end; t++) {
      if (observed == null || observed[t]) {
        int d = (firstWeekday + t) % 7;
        days[d]++;
        sums[d] += y[t];
        n++;
        total += y[t];
      }
    }
    double center = (start + end - 1) / 2.0;
    if (total == 0) {
      return new CountModel(
          false, firstWeekday, start, Math.max(n, 1), 0, center, false, 0, 0, 1, true,
          new double[7], new double[7][7]);
    }
    // Sum of squares of each weekday's counts about the weekday's mean (a second pass, which keeps
    // it free of the cancellation in Σ y² - n ȳ²).
    double[] scatter = new double[7];
    for (int t = start; t < end; t++) {
      if (observed == null || observed[t]) {
        int d = (firstWeekday + t) % 7;
        double r = y[t] - sums[d] / (double) days[d];
        scatter[d] += r * r;
      }
    }
    double c = Math.log((total + 0.5) / n);
    double[] b = new double[7];
    double[] mu = new double[7];
    for (int d = 0; d < 7; d++) {
      b[d] = weekdayLevel(days[d], sums[d], c, 0, c);
      mu[d] = Math.exp(b[d]);
    }
    // As in fitIrls: weekdays without events are left out of the Pearson statistic and its df.
    double pearson = 0;
    int rows = 0;
    int activeWeekdays = 0;
    for (int d = 0; d < 7; d++) {
      if (sums[d] > 0) {
        pearson += squaredResiduals(days[d], sums[d], scatter[d], mu[d]) / mu[d];
        rows += days[d];
        activeWeekdays++;
      }
    }
    int df = Math.max(1, rows - activeWeekdays);
    double pValue = Gamma.regularizedGammaQ(df / 2.0, pearson / 2.0);
    double alpha = 0;
    boolean nb = pValue < DISPERSION_TEST_LEVEL;
    if (nb) {
      for (int round = 0; round < 4; round++) {
        double num = 0;
        double den = 0;
        double sumMu = 0;
        for (int d = 0; d < 7; d++) {
          num += squaredResiduals(days[d], sums[d], scatter[d], mu[d]) - sums[d];
          den += days[d] * mu[d] * mu[d];
          sumMu += days[d] * mu[d];
        }
        alpha = momentAlpha(num, den, sumMu, pearson, df);
        for (int d = 0; d < 7; d++) {
          b[d] = weekdayLevel(days[d], sums[d], c, alpha, b[d]);
          mu[d] = Math.exp(b[d]);
        }
      }
    }
    double[][] cov = new double[7][7];
    for (int d = 0; d < 7; d++) {
      cov[d][d] = 1 / (days[d] * mu[d] / (1 + alpha * mu[d]) + WEEKDAY_PRECISION);
    }
    return new CountModel(
        false, firstWeekday, start, n, (int) Math.min(Integer.MAX_VALUE, total), center, nb,
        alpha, pearson / df, pValue, false, b, cov);
  }

  /** Σ (y - μ)² over a weekday's n days, from their sum and their scatter about their mean. */
  private static double squaredResiduals(int n, long sum, double scatter, double mu) {
    if (n == 0) {
      return 0;
    }
    double offset = sum - n * mu;
    return scatter + offset * offset / n;
  }

  /**
   * The penalized maximum-likelihood log level of one weekday with n days and s events in all:
   * the root of (s - n μ) / (1 + α μ) - precision (b - c) with μ = e^b, which falls strictly in b.
   * Newton's method from {@code start}, kept inside a bracket of the root (it lies between c and
   * log(s / n)); a step that would leave the bracket or shrinks less than half as fast as the one
   * before last is replaced by bisection (with α > 0 the score flattens out, and plain Newton can
   * cycle between its two sides).
   */
  static double weekdayLevel(int n, long s, double c, double alpha, double start) {
    double tau = WEEKDAY_PRECISION;
    if (n == 0) {
      return c;
    }
    double lo;
    double hi;
    if (s > 0) {
      double unpenalized = Math.log(s / (double) n);
      lo = Math.min(c, unpenalized);
      hi = Math.max(c, unpenalized);
    } else {
      // the root has precision (c - b) = n μ / (1 + α μ) < n e^c
      lo = c - n * Math.exp(c) / tau;
      hi = c;
    }
    if (!(hi > lo)) {
      return lo;
    }
    double b = Math.min(Math.max(start, lo), hi);
    double previous = hi - lo;
    double beforePrevious = hi - lo;
    for (int iter = 0; iter < 200; iter++) {
      double mu = Math.exp(b);
      double g = (s - n * mu) / (1 + alpha * mu) - tau * (b - c);
      if (g == 0) {
        return b;
      }
      if (g > 0) {
        lo = b;
      } else {
        hi = b;
      }
      double slope = -mu * (n + alpha * s) / ((1 + alpha * mu) * (1 + alpha * mu)) - tau;
      double next = b - g / slope;
      if (!(next > lo && next < hi) || Math.abs(next - b) > 0.5 * Math.abs(beforePrevious)) {
        next = lo + (hi - lo) / 2;
      }
      beforePrevious = previous;
      previous = next - b;
      if (Math.abs(next - b) <= 1e-15 * Math.max(1, Math.abs(b)) || next == lo || next == hi) {
        return next;
      }
      b = next;
    }
    return b;
  }

  /** Expected count on absolute day index t. */
  double mean(int t) {
    if (noEvents) {
      return 0.5 / days;
    }
    double eta = beta[(firstWeekday + t) % 7];
    if (trend) {
      eta += beta[7] * (t - center) / DAYS_PER_YEAR;
    }
    return Math.exp(Math.min(eta, 30));
  }

  /**
   * Predictive distribution of the total over days {@code [from, from + h)}: mean Σ μ_t; variance
   * Σ μ_t + α Σ μ_t² (the daily noise) + g' Cov g (uncertainty of the fitted mean, delta method,
   * g = Σ μ_t x_t).
   */
  CountDistribution predictTotal(int from, int h) {
    return predictTotal(from, h, null);
  }

  /**
   * As {@link #predictTotal(int, int)}, over only the days t of {@code [from, from + h)} with
   * {@code include[t]} true (all of them when {@code include} is null).
   */
  CountDistribution predictTotal(int from, int h, boolean @Nullable [] include) {
    if (noEvents) {
      int used = 0;
      for (int t = from; t < from + h; t++) {
        used += include == null || include[t] ? 1 : 0;
      }
      // Jeffreys prior on the rate: posterior Gamma(0.5, days), predictive negative binomial.
      return CountDistribution.negativeBinomial(0.5 * used / days, 0.5);
    }
    int p = beta.length;
    double[] g = new double[p];
    double total = 0;
    double sq = 0;
    for (int t = from; t < from + h; t++) {
      if (include != null && !include[t]) {
        continue;
      }
      double m = mean(t);
      total += m;
      sq += m * m;
      g[(firstWeekday + t) % 7] += m;
      if (trend) {
        g[7] += m * (t - center) / DAYS_PER_YEAR;
      }
    }
    double param = 0;
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        param += g[i] * cov[i][j] * g[j];
      }
    }
    return CountDistribution.of(total, total + alpha * sq + Math.max(0, param));
  }

  /** The coefficients: seven weekday levels and, with a trend, the trend per year (a copy). */
  double[] coefficients() {
    return beta.clone();
  }

  /** The covariance of {@link #coefficients()} (a copy). */
  double[][] covariance() {
    double[][] copy = new double[cov.length][];
    for (int i = 0; i < cov.length; i++) {
      copy[i] = cov[i].clone();
    }
    return copy;
  }

  double weekdayFactor(int weekday) {
    return Math.exp(beta[weekday]);
  }

  /** Relative change per year of the trend (e.g. 0.1 for +10% a year); 0 without a trend. */
  double annualChange() {
    return trend && !noEvents ? Math.expm1(beta[7]) : 0;
  }

  // --- fitting ---
  // Each row of the design has one weekday indicator and, with a trend, one trend value: the
  // normal equations are built from those directly instead of from a dense matrix.

  private static double[] means(Design x, double[] b) {
    double[] mu = new double[x.weekday.length];
    for (int i = 0; i < mu.length; i++) {
      double eta = b[x.weekday[i]];
      if (x.trend != null) {
        eta += b[7] * x.trend[i];
      }
      mu[i] = Math.exp(Math.min(eta, 30));
    }
    return mu;
  }

  /** Penalized log-likelihood (kernel) of Poisson (alpha = 0) or NB2 with fixed alpha. */
  private static double objective(
      Design x, double[] y, double[] b, double[] prior, double[] precision, double alpha) {
    double[] mu = means(x, b);
    double ll = 0;
    for (int i = 0; i < y.length; i++) {
      if (alpha == 0) {
        ll += y[i] * Math.log(mu[i]) - mu[i];
      } else {
        ll += y[i] * Math.log(mu[i]) - (y[i] + 1 / alpha) * Math.log1p(alpha * mu[i]);
      }
    }
    for (int j = 0; j < b.length; j++) {
      ll -= 0.5 * precision[j] * (b[j] - prior[j]) * (b[j] - prior[j]);
    }
    return ll;
  }

  /** X'WX + diag(precision), and X'Wz when z is given. */
  private static double[][] normalMatrix(
      Design x, double[] mu, double alpha, double[] precision, double @Nullable [] z, double @Nullable [] rhs) {
    int p = precision.length;
    double[][] a = new double[p][p];
    for (int i = 0; i < mu.length; i++) {
      double w = mu[i] / (1 + alpha * mu[i]);
      int d = x.weekday[i];
      a[d][d] += w;
      if (z != null) {
        rhs[d] += w * z[i];
      }
      if (x.trend != null) {
        double v = x.trend[i];
        a[d][7] += w * v;
        a[7][d] += w * v;
        a[7][7] += w * v * v;
        if (z != null) {
          rhs[7] += w * v * z[i];
        }
      }
    }
    for (int j = 0; j < p; j++) {
      a[j][j] += precision[j];
    }
    return a;
  }

  private static double[] irls(
      Design x, double[] y, double[] start, double[] prior, double[] precision, double alpha) {
    int p = start.length;
    double[] b = start.clone();
    double current = objective(x, y, b, prior, precision, alpha);
    for (int iter = 0; iter < 100; iter++) {
      double[] mu = means(x, b);
      double[] z = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        z[i] = Math.log(mu[i]) + (y[i] - mu[i]) / mu[i];
      }
      double[] rhs = new double[p];
      double[][] a = normalMatrix(x, mu, alpha, precision, z, rhs);
      for (int j = 0; j < p; j++) {
        rhs[j] += precision[j] * prior[j];
      }
      double[] next = solver(a).solve(new ArrayRealVector(rhs)).toArray();
      // Step halving keeps every step an improvement of the penalized likelihood.
      double value = objective(x, y, next, prior, precision, alpha);
      for (int half = 0; half < 30 && !(value >= current - 1e-12); half++) {
        for (int j = 0; j < p; j++) {
          next[j] = (next[j] + b[j]) / 2;
        }
        value = objective(x, y, next, prior, precision, alpha);
      }
      double change = 0;
      for (int j = 0; j < p; j++) {
        change = Math.max(change, Math.abs(next[j] - b[j]));
      }
      b = next;
      current = value;
      if (change < 1e-9) {
        break;
      }
    }
    return b;
  }

  private static double[][] covariance(Design x, double[] mu, double[] precision, double alpha) {
    double[][] a = normalMatrix(x, mu, alpha, precision, null, null);
    return solver(a).getInverse().getData();
  }

  /** The design: weekday index per row and, with a trend, the trend value per row. */
  private record Design(int[] weekday, double @Nullable [] trend) {}

  private static DecompositionSolver solver(double[][] a) {
    RealMatrix m = new Array2DRowRealMatrix(a, false);
    return new CholeskyDecomposition(m, 1e-10, 1e-14).getSolver();
  }

  /**
   * Cameron & Trivedi (1990) moment estimator of the NB2 dispersion: least squares through the
   * origin of ((y - μ)² - y) / μ on μ, i.e. α = Σ ((y - μ)² - y) / Σ μ². When that is not positive
   * (possible in small samples), the Pearson form α = (X² - df) / Σ μ.
   */
  private static double momentAlpha(double[] y, double[] mu, double pearson, int df) {
    double num = 0;
    double den = 0;
    double sumMu = 0;
    for (int i = 0; i < y.length; i++) {
      double r = y[i] - mu[i];
      num += r * r - y[i];
      den += mu[i] * mu[i];
      sumMu += mu[i];
    }
    return momentAlpha(num, den, sumMu, pearson, df);
  }

  /** The estimator from its sums: num = Σ ((y - μ)² - y), den = Σ μ², sumMu = Σ μ. */
  private static double momentAlpha(double num, double den, double sumMu, double pearson, int df) {
    double a = num / den;
    if (!(a > 0)) {
      a = (pearson - df) / sumMu;
    }
    return Math.max(a, 1e-6);
  }
}
