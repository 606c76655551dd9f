package io.modax.fleet.statistics;

import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;
import org.jspecify.annotations.Nullable;

/**
 * A log-linear count regression of daily counts: one level per weekday and, optionally, a
 * log-linear trend, {@code log μ_t = a[weekday(t)] + δ (t - center) / 365.25}. Fitted by penalized
 * iteratively reweighted least squares (IRLS): a weak normal prior pulls each weekday level towards
 * the log of the overall daily mean (so a weekday with no failures gets a small rate, not minus
 * infinity) and the trend towards 0. Poisson unless the Pearson dispersion test finds
 * over-dispersion; then negative binomial (NB2, variance μ + α μ²) with α by the
 * degrees-of-freedom-corrected moment estimator (Pearson X² equal to its residual degrees of
 * freedom), alternated with the mean fit. Without a trend the penalized likelihood splits by
 * weekday, and each level is solved on its own ({@link #fitByWeekday}): the same optimum, much
 * sooner.
 *
 * <p>A trend is extrapolated beyond the fitted window only when it is significant (|z| of the
 * trend at least {@value #TREND_Z}), and then damped and capped: the mean continues from the fitted
 * level at the window's last day with the trend shrunk by {@code 1 - (TREND_Z / z)²} and held within
 * ±{@link #MAX_LOG_TREND_PER_YEAR} per year (at most doubling or halving in a year).
 */
final class CountModel {

  /** Prior precision of each weekday level around the log overall mean (prior sd 2). */
  static final double WEEKDAY_PRECISION = 0.25;

  /** Prior precision of the trend per year (prior sd 10: only guards against singular fits). */
  static final double TREND_PRECISION = 0.01;

  /** Significance level of the Pearson over-dispersion test. */
  static final double DISPERSION_TEST_LEVEL = 0.05;

  static final double DAYS_PER_YEAR = 365.25;

  /**
   * The |z| a fitted trend needs before a forecast extrapolates it: 1.96, a two-sided test at 5%.
   */
  static final double TREND_Z = 1.96;

  /**
   * The largest trend a forecast applies beyond its history, on the log scale per year: ln 2, so
   * the expected rate at most doubles (+100%) or halves (-50%) in a year.
   */
  static final double MAX_LOG_TREND_PER_YEAR = Math.log(2);

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
  /** The fitted window's end (exclusive): days from here on are extrapolated. */
  final int end;
  /**
   * The trend per year (log scale) applied beyond {@link #end}: the fitted one damped and capped
   * when significant, else 0; 0 without a trend.
   */
  final double appliedTrend;
  /** The fitted trend's z (coefficient over its standard error); 0 without a trend. */
  final double trendZ;
  /**
   * Without a trend of its own: the log change, along another fit's trend, from the middle of
   * this window to its last day, applied to every day beyond the window ({@link #movedToLastDay});
   * 0 otherwise.
   */
  final double levelShift;
  /** The variance of {@link #levelShift} (from the trend's variance). */
  final double levelShiftVariance;
  /** Per weekday, the covariance of its level with {@link #levelShift}; null when unshifted. */
  private final double @Nullable [] levelShiftCovariance;

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
      double[][] cov,
      int end) {
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
    this.end = end;
    this.levelShift = 0;
    this.levelShiftVariance = 0;
    this.levelShiftCovariance = null;
    if (trend && !noEvents && cov[7][7] > 0) {
      double z = beta[7] / Math.sqrt(cov[7][7]);
      this.trendZ = z;
      double damped =
          Math.abs(z) >= TREND_Z ? beta[7] * (1 - (TREND_Z / z) * (TREND_Z / z)) : 0;
      this.appliedTrend =
          Math.max(-MAX_LOG_TREND_PER_YEAR, Math.min(MAX_LOG_TREND_PER_YEAR, damped));
    } else {
      this.trendZ = 0;
      this.appliedTrend = 0;
    }
  }

  /** A copy of {@code m} with its level beyond the window shifted by {@code shift} (log). */
  private CountModel(
      CountModel m, double shift, double shiftVariance, double[] shiftCovariance) {
    this.trend = m.trend;
    this.firstWeekday = m.firstWeekday;
    this.start = m.start;
    this.days = m.days;
    this.events = m.events;
    this.center = m.center;
    this.negativeBinomial = m.negativeBinomial;
    this.alpha = m.alpha;
    this.pearsonDispersion = m.pearsonDispersion;
    this.dispersionPValue = m.dispersionPValue;
    this.noEvents = m.noEvents;
    this.beta = m.beta;
    this.cov = m.cov;
    this.end = m.end;
    this.trendZ = m.trendZ;
    this.appliedTrend = m.appliedTrend;
    this.levelShift = shift;
    this.levelShiftVariance = shiftVariance;
    this.levelShiftCovariance = shiftCovariance;
  }

  /**
   * This fit (without trend) with its level moved from the middle of its window to the window's
   * last day along the trend of {@code trendFit}, a trend fit of a longer window ending the same
   * day: a window's mean lags any drift by half the window (14 days for four weeks), and the
   * longer window's fitted trend, used inside the history only (not extrapolated), removes that
   * lag. The shift's variance, (days moved / 365.25)² Var(δ̂), and its covariance with this
   * window's levels enter the predictive variance: both fits read the same recent days, and a
   * high last few weeks raise both the level and the trend. That covariance is the one of the two
   * estimates' linearizations (the weekday level's influence of day t, Var_w w_t / (1 + α μ_t),
   * times the trend's, (C X' W)_t / w_t, times Var y_t = μ_t (1 + α μ_t), summed over the
   * window's observed days, each fit with its own means and α). Unchanged when either fit has no
   * events, {@code trendFit} has no trend or ends on another day.
   */
  CountModel movedToLastDay(CountModel trendFit, boolean @Nullable [] observed) {
    if (trend || noEvents || trendFit.noEvents || !trendFit.trend || trendFit.end != end) {
      return this;
    }
    double years = (end - 1 - center) / DAYS_PER_YEAR;
    double[] covariance = new double[7];
    double[][] c = trendFit.cov;
    for (int t = Math.max(start, trendFit.start); t < end; t++) {
      if (observed != null && !observed[t]) {
        continue;
      }
      int d = (firstWeekday + t) % 7;
      double own = Math.exp(beta[d]);
      double line = trendFit.mean(t);
      // ∂â_d/∂y_t = Var(â_d) / (1 + α μ_t); ∂δ̂/∂y_t = (C[7][d] + C[7][7] x_t) / (1 + α' μ'_t);
      // Var y_t taken from the trend fit
      double variance = line * (1 + trendFit.alpha * line);
      double x = (t - trendFit.center) / DAYS_PER_YEAR;
      covariance[d] +=
          cov[d][d] / (1 + alpha * own)
              * (c[7][d] + c[7][7] * x) / (1 + trendFit.alpha * line)
              * variance;
    }
    for (int d = 0; d < 7; d++) {
      covariance[d] *= years;
    }
    return new CountModel(
        this, trendFit.beta[7] * years, c[7][7] * years * years, covariance);
  }

  /** Whether the fitted trend is significant, so that a forecast extrapolates it. */
  boolean significantTrend() {
    return trend && !noEvents && Math.abs(trendZ) >= TREND_Z;
  }

  /**
   * Fits the observed days of {@code [start, end)} of {@code y}; day index 0 falls on weekday
   * {@code firstWeekday} (0 = Monday). {@code observed} marks the days whose count is known (null:
   * every day); unobserved days are left out of the fit, so they neither count as zeros nor shift
   * the weekdays.
   */
  static CountModel fit(
      int[] y, boolean @Nullable [] observed, int start, int end, int firstWeekday, boolean trend) {
    return fit(y, observed, start, end, firstWeekday, trend, null);
  }

  /**
   * As {@link #fit(int[], boolean[], int, int, int, boolean)}; a trend fit starts its iterations
   * from {@code near}, a fit of an overlapping window such as the neighbouring backtest origin's:
   * the optimum is the same, and fewer iterations reach it.
   */
  static CountModel fit(
      int[] y,
      boolean @Nullable [] observed,
      int start,
      int end,
      int firstWeekday,
      boolean trend,
      @Nullable CountModel near) {
    return trend
        ? fitIrls(y, observed, start, end, firstWeekday, true, near)
        : fitByWeekday(y, observed, start, end, firstWeekday);
  }

  /** The general fit by penalized IRLS, for either model, from the prior. */
  static CountModel fitIrls(
      int[] y, boolean @Nullable [] observed, int start, int end, int firstWeekday, boolean trend) {
    return fitIrls(y, observed, start, end, firstWeekday, trend, null);
  }

  /** The general fit by penalized IRLS, started from {@code near}'s coefficients if it has any. */
  static CountModel fitIrls(
      int[] y,
      boolean @Nullable [] observed,
      int start,
      int end,
      int firstWeekday,
      boolean trend,
      @Nullable CountModel near) {
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
          new double[p], new double[p][p], end);
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
    double @Nullable [] warm = near == null ? null : near.warmStart(trend, firstWeekday, center);
    double[] mu = new double[n];
    double[] b = irls(x, yy, warm == null ? prior : warm, prior, precision, 0, mu);
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
      boolean[] active = new boolean[n];
      for (int k = 0; k < n; k++) {
        active[k] = perWeekday[x.weekday[k]] > 0;
      }
      // Newton's search for α starts from the previous round's, or the neighbouring fit's
      double guess = near != null && near.negativeBinomial ? near.alpha : 0;
      for (int round = 0; round < 4; round++) {
        alpha = momentAlpha(yy, mu, active, df, guess);
        guess = alpha;
        b = irls(x, yy, b, prior, precision, alpha, mu);
      }
    }
    double[][] a = new double[p][p];
    normalEquations(x, yy, null, mu, alpha, precision, prior, a, null);
    double[][] cov = invertArrow(a);
    return new CountModel(
        trend, firstWeekday, start, n, (int) Math.min(Integer.MAX_VALUE, total), center, nb,
        alpha, pearson / df, pValue, false, b, cov, end);
  }

  /**
   * Coefficients for a fit centred at {@code center} to start from: these, with the weekday levels
   * moved along the trend to the new centre so that the means start where this fit ended; null
   * when this fit has none to give.
   */
  private double @Nullable [] warmStart(boolean trend, int firstWeekday, double center) {
    if (noEvents || this.trend != trend || this.firstWeekday != firstWeekday) {
      return null;
    }
    double[] b = beta.clone();
    if (trend) {
      double shift = beta[7] * (center - this.center) / DAYS_PER_YEAR;
      for (int d = 0; d < 7; d++) {
        b[d] += shift;
      }
    }
    return b;
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
    return fitByWeekday(y, observed, start, end, firstWeekday, null);
  }

  /**
   * As {@link #fitByWeekday(int[], boolean[], int, int, int)}, but with the dispersion (test and
   * α) taken from {@code dispersionFrom}, a fit of a longer window ending at the same day, when
   * given: four weeks are too few to detect or estimate over-dispersion (the test finds α 0.4
   * in only about half of them), while the weekday levels follow the recent weeks.
   */
  static CountModel fitByWeekday(
      int[] y,
      boolean @Nullable [] observed,
      int start,
      int end,
      int firstWeekday,
      @Nullable CountModel dispersionFrom) {
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
          new double[7], new double[7][7], end);
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
      // start from the weekday's own mean: the bracket end nearer the root unless days are few
      double from = sums[d] > 0 ? Math.log(sums[d] / (double) days[d]) : c;
      b[d] = weekdayLevel(days[d], sums[d], c, 0, from);
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
    if (dispersionFrom != null && !dispersionFrom.noEvents) {
      nb = dispersionFrom.negativeBinomial;
      pValue = dispersionFrom.dispersionPValue;
      pearson = dispersionFrom.pearsonDispersion * df;
      alpha = dispersionFrom.alpha;
      for (int d = 0; d < 7; d++) {
        b[d] = weekdayLevel(days[d], sums[d], c, alpha, b[d]);
        mu[d] = Math.exp(b[d]);
      }
    } else if (nb) {
      for (int round = 0; round < 4; round++) {
        double[] sq = new double[7];
        double[] weight = new double[7];
        double[] means = new double[7];
        for (int d = 0; d < 7; d++) {
          if (sums[d] > 0) {
            sq[d] = squaredResiduals(days[d], sums[d], scatter[d], mu[d]);
            weight[d] = 1;
            means[d] = mu[d];
          }
        }
        alpha = momentAlpha(sq, means, weight, df);
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
        alpha, pearson / df, pValue, false, b, cov, end);
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
      double step = g / slope;
      if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(b))) {
        return b - step; // Newton converges quadratically: b is already at the root
      }
      double next = b - step;
      if (!(next > lo && next < hi) || Math.abs(step) > 0.5 * Math.abs(beforePrevious)) {
        next = lo + (hi - lo) / 2;
        if (next == lo || next == hi) {
          return next; // the bracket is down to neighbouring doubles
        }
      }
      beforePrevious = previous;
      previous = next - b;
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
      eta += beta[7] * trendValue(t) / DAYS_PER_YEAR;
    }
    if (t >= end) {
      eta += levelShift;
    }
    return Math.exp(Math.min(eta, 30));
  }

  /**
   * The trend's regressor on day t in days, with the fitted trend's coefficient: inside the window
   * t - center; beyond it the fitted level at the last day, then the applied (damped, capped) trend
   * expressed in units of the fitted one.
   */
  private double trendValue(int t) {
    if (t < end) {
      return t - center;
    }
    double last = end - 1 - center;
    double ratio = beta[7] == 0 ? 0 : appliedTrend / beta[7];
    return last + ratio * (t - end + 1);
  }

  /**
   * The derivative of the log mean of day t with respect to the fitted trend, in days (the trend
   * is per year): inside the window t - center; beyond it the days from the centre to the last
   * day plus the applied trend's derivative, 1 + (1.96 / z)² for the damped trend δ (1 - (1.96 /
   * z)²) = δ - 1.96² SE² / δ (0 where it is capped or not significant), times the days beyond.
   */
  private double trendDerivative(int t) {
    if (t < end) {
      return t - center;
    }
    double last = end - 1 - center;
    boolean free =
        appliedTrend != 0
            && Math.abs(appliedTrend) < MAX_LOG_TREND_PER_YEAR
            && trendZ != 0;
    double slope = free ? 1 + (TREND_Z / trendZ) * (TREND_Z / trendZ) : 0;
    return last + slope * (t - end + 1);
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
        g[7] += m * trendDerivative(t) / DAYS_PER_YEAR;
      }
    }
    double param = total * total * levelShiftVariance;
    if (levelShiftCovariance != null) {
      for (int d = 0; d < 7; d++) {
        param += 2 * total * g[d] * levelShiftCovariance[d];
      }
    }
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

  /** Relative change per year of the fitted trend (e.g. 0.1 for +10% a year); 0 without one. */
  double annualChange() {
    return trend && !noEvents ? Math.expm1(beta[7]) : 0;
  }

  /** Relative change per year the forecast applies beyond the history (damped and capped). */
  double appliedAnnualChange() {
    return Math.expm1(appliedTrend);
  }

  // --- fitting ---
  // Each row of the design has one weekday indicator and, with a trend, one trend value: the
  // normal equations are built from those directly instead of from a dense matrix, and their
  // matrix is an arrowhead (diagonal plus the trend's row and column), solved directly.

  /**
   * Penalized log-likelihood (kernel) of Poisson (alpha = 0) or NB2 with fixed alpha at b. Fills
   * the linear predictor (capped at 30, as the means are) and the means, for the next iteration.
   */
  private static double evaluate(
      Design x,
      double[] y,
      double[] b,
      double[] prior,
      double[] precision,
      double alpha,
      double[] eta,
      double[] mu) {
    double size = alpha == 0 ? 0 : 1 / alpha;
    double ll = 0;
    for (int i = 0; i < y.length; i++) {
      double e = b[x.weekday[i]];
      if (x.trend != null) {
        e += b[7] * x.trend[i];
      }
      e = Math.min(e, 30);
      double m = Math.exp(e);
      eta[i] = e;
      mu[i] = m;
      ll += alpha == 0 ? y[i] * e - m : y[i] * e - (y[i] + size) * Log1p.of(alpha * m);
    }
    for (int j = 0; j < b.length; j++) {
      ll -= 0.5 * precision[j] * (b[j] - prior[j]) * (b[j] - prior[j]);
    }
    return ll;
  }

  /**
   * Fills {@code a} with X'WX + diag(precision) and, when given, {@code rhs} with X'Wz +
   * diag(precision) prior for the working response z = η + (y - μ) / μ (eta is needed only then).
   */
  private static void normalEquations(
      Design x,
      double[] y,
      double @Nullable [] eta,
      double[] mu,
      double alpha,
      double[] precision,
      double[] prior,
      double[][] a,
      double @Nullable [] rhs) {
    int p = precision.length;
    for (double[] row : a) {
      Arrays.fill(row, 0);
    }
    // Accumulated in locals (the same sums in the same order as into a and rhs, so the same
    // doubles), which the compiler keeps in registers.
    double[] diag = new double[7];
    double[] cross = new double[7];
    double[] right = new double[7];
    double trendSq = 0;
    double trendRight = 0;
    boolean withRhs = rhs != null && eta != null;
    double[] v = x.trend;
    int[] weekday = x.weekday;
    for (int i = 0; i < mu.length; i++) {
      double m = mu[i];
      double s = 1 + alpha * m;
      double w = m / s;
      int d = weekday[i];
      diag[d] += w;
      // w z = w η + (y - μ) / (1 + α μ)
      double wz = 0;
      if (withRhs) {
        wz = w * eta[i] + (y[i] - m) / s;
        right[d] += wz;
      }
      if (v != null) {
        double t = v[i];
        cross[d] += w * t;
        trendSq += w * t * t;
        if (withRhs) {
          trendRight += wz * t;
        }
      }
    }
    for (int d = 0; d < 7; d++) {
      a[d][d] = diag[d];
    }
    if (v != null) {
      for (int d = 0; d < 7; d++) {
        a[d][7] = cross[d];
      }
      a[7][7] = trendSq;
    }
    if (rhs != null) {
      Arrays.fill(rhs, 0);
      if (withRhs) {
        System.arraycopy(right, 0, rhs, 0, 7);
        if (v != null) {
          rhs[7] = trendRight;
        }
      }
    }
    for (int j = 0; j < p; j++) {
      if (v != null && j < 7) {
        a[7][j] = a[j][7];
      }
      a[j][j] += precision[j];
      if (rhs != null) {
        rhs[j] += precision[j] * prior[j];
      }
    }
  }

  /**
   * Penalized IRLS from {@code start}; returns the coefficients and leaves their means in {@code
   * muOut}.
   */
  private static double[] irls(
      Design x,
      double[] y,
      double[] start,
      double[] prior,
      double[] precision,
      double alpha,
      double[] muOut) {
    if (alpha == 0 && x.trend != null) {
      double @Nullable [] b = PoissonTrend.irls(x, y, start, prior, precision, muOut);
      if (b != null) {
        return b;
      }
    }
    int n = y.length;
    int p = start.length;
    double[] b = start.clone();
    double[] eta = new double[n];
    double[] mu = new double[n];
    double[] nextEta = new double[n];
    double[] nextMu = new double[n];
    double[][] a = new double[p][p];
    double[] rhs = new double[p];
    double current = evaluate(x, y, b, prior, precision, alpha, eta, mu);
    for (int iter = 0; iter < 100; iter++) {
      normalEquations(x, y, eta, mu, alpha, precision, prior, a, rhs);
      double[] next = solveArrow(a, rhs);
      // Step halving keeps every step an improvement of the penalized likelihood. "Improvement"
      // allows for the rounding of a sum of hundreds of terms: a stricter test halves steps that
      // only look worse and stops IRLS short of the optimum in weakly determined directions.
      double floor = current - 1e-12 * (1 + Math.abs(current));
      double value = evaluate(x, y, next, prior, precision, alpha, nextEta, nextMu);
      for (int half = 0; half < 30 && !(value >= floor); half++) {
        for (int j = 0; j < p; j++) {
          next[j] = (next[j] + b[j]) / 2;
        }
        value = evaluate(x, y, next, prior, precision, alpha, nextEta, nextMu);
      }
      double change = 0;
      for (int j = 0; j < p; j++) {
        change = Math.max(change, Math.abs(next[j] - b[j]));
      }
      b = next;
      current = value;
      double[] swap = eta;
      eta = nextEta;
      nextEta = swap;
      swap = mu;
      mu = nextMu;
      nextMu = swap;
      if (change < 1e-9) {
        break;
      }
    }
    System.arraycopy(mu, 0, muOut, 0, n);
    return b;
  }

  /**
   * Solves a b = r for a normal matrix: diagonal without trend; with one, eliminating the seven
   * weekdays leaves a single equation for the trend (its Schur complement, positive since the
   * matrix is positive definite).
   */
  private static double[] solveArrow(double[][] a, double[] r) {
    int p = r.length;
    double[] b = new double[p];
    if (p == 7) {
      for (int d = 0; d < 7; d++) {
        b[d] = r[d] / a[d][d];
      }
      return b;
    }
    double schur = a[7][7];
    double reduced = r[7];
    for (int d = 0; d < 7; d++) {
      schur -= a[d][7] * a[d][7] / a[d][d];
      reduced -= a[d][7] * r[d] / a[d][d];
    }
    b[7] = reduced / schur;
    for (int d = 0; d < 7; d++) {
      b[d] = (r[d] - a[d][7] * b[7]) / a[d][d];
    }
    return b;
  }

  /** The inverse of a normal matrix (as {@link #solveArrow}: by the trend's Schur complement). */
  private static double[][] invertArrow(double[][] a) {
    int p = a.length;
    double[][] inv = new double[p][p];
    if (p == 7) {
      for (int d = 0; d < 7; d++) {
        inv[d][d] = 1 / a[d][d];
      }
      return inv;
    }
    double schur = a[7][7];
    double[] v = new double[7];
    for (int d = 0; d < 7; d++) {
      v[d] = a[d][7] / a[d][d];
      schur -= a[d][7] * v[d];
    }
    inv[7][7] = 1 / schur;
    for (int d = 0; d < 7; d++) {
      inv[d][7] = -v[d] / schur;
      inv[7][d] = inv[d][7];
      for (int e = 0; e < 7; e++) {
        inv[d][e] = (d == e ? 1 / a[d][d] : 0) + v[d] * v[e] / schur;
      }
    }
    return inv;
  }

  /**
   * Penalized IRLS of the Poisson model with a trend from per-weekday sums. With μ_i = e^{a_d}
   * e^{δ x_i}, the log-likelihood and the normal equations need the data only through each
   * weekday's Σ y and the overall Σ y x, and the model only through each weekday's Σ e^{δ x},
   * Σ x e^{δ x} and Σ x² e^{δ x}: one pass of multiplications per iteration instead of an
   * exponential and the normal equations per row. e^{δ x} of consecutive days is the previous
   * one times e^{δ / 365.25}, recomputed directly every {@value #ANCHOR} rows and after a gap
   * (relative error below about 100 ulp). The same iterations, step halving and stopping rule as
   * the row-wise IRLS, so the same optimum to rounding.
   */
  private static final class PoissonTrend {
    static final int ANCHOR = 32;

    private final Design x;
    private final double[] s0 = new double[7];
    private final double[] s1 = new double[7];
    private final double[] s2 = new double[7];
    private final double[] ySum = new double[7];
    private double yx;
    private final double[] xMin = new double[7];
    private final double[] xMax = new double[7];

    private PoissonTrend(Design x, double[] y) {
      this.x = x;
      Arrays.fill(xMin, Double.POSITIVE_INFINITY);
      Arrays.fill(xMax, Double.NEGATIVE_INFINITY);
      double[] v = x.trend;
      for (int i = 0; i < y.length; i++) {
        int d = x.weekday[i];
        ySum[d] += y[i];
        yx += y[i] * v[i];
        xMin[d] = Math.min(xMin[d], v[i]);
        xMax[d] = Math.max(xMax[d], v[i]);
      }
    }

    /** Fills s0, s1, s2 at trend coefficient {@code delta}. */
    private void sums(double delta) {
      Arrays.fill(s0, 0);
      Arrays.fill(s1, 0);
      Arrays.fill(s2, 0);
      double[] v = x.trend;
      int[] weekday = x.weekday;
      double step = Math.exp(delta / DAYS_PER_YEAR);
      double e = 0;
      for (int i = 0; i < v.length; i++) {
        double t = v[i];
        if (i % ANCHOR == 0 || Math.abs((t - v[i - 1]) * DAYS_PER_YEAR - 1) > 1e-6) {
          e = Math.exp(delta * t);
        } else {
          e *= step;
        }
        int d = weekday[i];
        double te = t * e;
        s0[d] += e;
        s1[d] += te;
        s2[d] += t * te;
      }
    }

    /**
     * The penalized log-likelihood at b from the sums (filled here); NaN when a linear predictor
     * reaches the cap of 30, which the row-wise fit applies and these sums do not.
     */
    private double evaluate(double[] b, double[] prior, double[] precision) {
      for (int d = 0; d < 7; d++) {
        if (xMin[d] <= xMax[d]
            && Math.max(b[d] + b[7] * xMin[d], b[d] + b[7] * xMax[d]) >= 30) {
          return Double.NaN;
        }
      }
      sums(b[7]);
      double ll = b[7] * yx;
      for (int d = 0; d < 7; d++) {
        ll += b[d] * ySum[d] - Math.exp(b[d]) * s0[d];
      }
      for (int j = 0; j < b.length; j++) {
        ll -= 0.5 * precision[j] * (b[j] - prior[j]) * (b[j] - prior[j]);
      }
      return ll;
    }

    /** X'WX + P and X'Wz + P prior at b, from the sums evaluated at b. */
    private void normalEquations(
        double[] b, double[] prior, double[] precision, double[][] a, double[] rhs) {
      for (double[] row : a) {
        Arrays.fill(row, 0);
      }
      double trendSq = 0;
      double trendRight = yx;
      for (int d = 0; d < 7; d++) {
        double level = Math.exp(b[d]);
        a[d][d] = level * s0[d];
        a[d][7] = level * s1[d];
        a[7][d] = a[d][7];
        trendSq += level * s2[d];
        // Σ (μ η + y - μ) and Σ x (μ η + y - μ), with η = b_d + δ x
        rhs[d] = level * ((b[d] - 1) * s0[d] + b[7] * s1[d]) + ySum[d];
        trendRight += level * ((b[d] - 1) * s1[d] + b[7] * s2[d]);
      }
      a[7][7] = trendSq;
      rhs[7] = trendRight;
      for (int j = 0; j < 8; j++) {
        a[j][j] += precision[j];
        rhs[j] += precision[j] * prior[j];
      }
    }

    /** The fit, or null when a linear predictor reaches the cap (use the row-wise IRLS then). */
    static double @Nullable [] irls(
        Design x, double[] y, double[] start, double[] prior, double[] precision, double[] muOut) {
      PoissonTrend f = new PoissonTrend(x, y);
      double[] b = start.clone();
      double[][] a = new double[8][8];
      double[] rhs = new double[8];
      double current = f.evaluate(b, prior, precision);
      if (Double.isNaN(current)) {
        return null;
      }
      for (int iter = 0; iter < 100; iter++) {
        // the sums are at b: the last evaluation was of the step just taken
        f.normalEquations(b, prior, precision, a, rhs);
        double[] next = solveArrow(a, rhs);
        double floor = current - 1e-12 * (1 + Math.abs(current));
        double value = f.evaluate(next, prior, precision);
        for (int half = 0; half < 30 && !(value >= floor); half++) {
          for (int j = 0; j < 8; j++) {
            next[j] = (next[j] + b[j]) / 2;
          }
          value = f.evaluate(next, prior, precision);
        }
        if (Double.isNaN(value)) {
          return null;
        }
        double change = 0;
        for (int j = 0; j < 8; j++) {
          change = Math.max(change, Math.abs(next[j] - b[j]));
        }
        b = next;
        current = value;
        if (change < 1e-9) {
          break;
        }
      }
      for (int i = 0; i < y.length; i++) {
        muOut[i] = Math.exp(Math.min(b[x.weekday[i]] + b[7] * x.trend[i], 30));
      }
      return b;
    }
  }

  /** The design: weekday index per row and, with a trend, the trend value per row. */
  private record Design(int[] weekday, double @Nullable [] trend) {}

  /**
   * The degrees-of-freedom-corrected moment estimator of the NB2 dispersion (Breslow 1984; MASS's
   * {@code theta.md}): the α ≥ 0 at which the Pearson statistic Σ (y - μ)² / (μ (1 + α μ)) equals
   * its residual degrees of freedom; 0 when even the Poisson's is below them. Unlike the
   * Cameron–Trivedi regression Σ ((y - μ)² - y) / Σ μ², which takes the fitted means for the true
   * ones and so underestimates α in short histories (about a third of it on 28 days), dividing by
   * the degrees of freedom instead of the days allows for the weekday levels fitted to the same
   * data. Rows outside {@code active} (weekdays without events) are left out, as in the test.
   */
  private static double momentAlpha(double[] y, double[] mu, boolean[] active, int df, double guess) {
    int n = y.length;
    double[] sq = new double[n];
    double[] weight = new double[n];
    for (int i = 0; i < n; i++) {
      if (active[i]) {
        double r = y[i] - mu[i];
        sq[i] = r * r;
        weight[i] = 1;
      }
    }
    return momentAlpha(sq, mu, weight, df, guess);
  }

  /**
   * The estimator from groups of rows sharing a mean: {@code sq[i]} the sum of squared residuals of
   * group i, {@code mu[i]} its mean, {@code weight[i]} 0 to leave it out.
   */
  static double momentAlpha(double[] sq, double[] mu, double[] weight, int df) {
    return momentAlpha(sq, mu, weight, df, 0);
  }

  /**
   * As {@link #momentAlpha(double[], double[], double[], int)}, its Newton search (which only
   * tells the bisection where it need not evaluate) started from {@code guess}, e.g. a previous
   * estimate: the same α, bit for bit, from any guess.
   */
  static double momentAlpha(double[] sq, double[] mu, double[] weight, int df, double guess) {
    double lo = 0;
    double atZero = pearson(sq, mu, weight, 0);
    if (atZero <= df) {
      return 0;
    }
    Bracket known = Bracket.around(sq, mu, weight, df, atZero, guess);
    double hi = 1;
    while (known.above(sq, mu, weight, df, hi) && hi < 1e6) {
      lo = hi;
      hi *= 2;
    }
    // The statistic falls strictly in α: bisection to a relative precision well below the data's.
    for (int iter = 0; iter < 60 && hi - lo > 1e-9 * hi; iter++) {
      double mid = (lo + hi) / 2;
      if (known.above(sq, mu, weight, df, mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /**
   * Where the bisection of {@link #momentAlpha(double[], double[], double[], int)} already knows
   * its answer, so that it makes the same decisions as with {@code pearson(α) > df} at every step
   * (and so returns the same α, bit for bit) while evaluating the statistic only close to the root.
   * The statistic is a sum of positive terms, strictly falling in α; computed in doubles it is
   * within E = (n + 4) u X²(0) of its exact value for every α ≥ 0 (u the unit roundoff, n the
   * terms: each term has a relative error of a few u, the running sum adds (n - 1) u of the
   * total). So once a computed value at a is above df + 2E, every α ≤ a computes above df too
   * (computed(α) ≥ exact(α) - E ≥ exact(a) - E ≥ computed(a) - 2E), and symmetrically below df -
   * 2E for every α ≥ a. Newton's method (from a guess, else from 0) on 1 / X²(α) - 1 / df, nearly linear in α,
   * finds the root in a few steps; a lower and an upper point a relative 1e-11 or
   * more either side of it, confirmed by evaluation, bound the region where the bisection must
   * still evaluate. The margin used is 16 times 2E.
   */
  private static final class Bracket {
    double low = 0; // every α ≤ low computes above df (0: by the caller's check)
    double high = Double.POSITIVE_INFINITY; // every α ≥ high computes at most df

    boolean above(double[] sq, double[] mu, double[] weight, double df, double alpha) {
      if (alpha <= low) {
        return true;
      }
      if (alpha >= high) {
        return false;
      }
      return pearson(sq, mu, weight, alpha) > df;
    }

    static Bracket around(
        double[] sq, double[] mu, double[] weight, double df, double atZero, double guess) {
      Bracket k = new Bracket();
      double margin = 32 * (sq.length + 4) * 0x1p-53 * atZero;
      if (!(margin < 1e-6 * df)) {
        return k; // too close to call anywhere: evaluate every step
      }
      double root = guess > 0 && guess < 4e6 ? newton(sq, mu, weight, df, margin, guess, k) : Double.NaN;
      if (Double.isNaN(root)) {
        root = newton(sq, mu, weight, df, margin, 0, k);
      }
      if (Double.isNaN(root)) {
        return k;
      }
      for (double eps = 1e-11; eps < 1e-3; eps *= 10) {
        double lower = root * (1 - eps);
        double x2 = pearson(sq, mu, weight, lower);
        k.learn(lower, x2, df, margin);
        if (x2 > df + margin) {
          break;
        }
      }
      for (double eps = 1e-11; eps < 1e-3; eps *= 10) {
        double upper = root * (1 + eps);
        double x2 = pearson(sq, mu, weight, upper);
        k.learn(upper, x2, df, margin);
        if (x2 < df - margin) {
          break;
        }
      }
      return k;
    }

    /**
     * Newton's method from {@code a} on 1 / X²(α) - 1 / df, nearly linear in α (exactly so when
     * the means are equal), recording in {@code k} what each evaluation proves; the root, or NaN
     * when the iterations leave [0, 4e6] or do not settle.
     */
    private static double newton(
        double[] sq, double[] mu, double[] weight, double df, double margin, double a, Bracket k) {
      for (int iter = 0; iter < 50; iter++) {
        double x2 = 0;
        double slope = 0;
        for (int i = 0; i < sq.length; i++) {
          if (weight[i] > 0) {
            double s = 1 + a * mu[i];
            x2 += sq[i] / (mu[i] * s);
            slope -= sq[i] / (s * s);
          }
        }
        k.learn(a, x2, df, margin);
        if (!(slope < 0)) {
          return Double.NaN;
        }
        double next = a + x2 / slope * (1 - x2 / df);
        if (!(next >= 0) || next > 4e6) {
          return Double.NaN;
        }
        if (Math.abs(next - a) <= 1e-13 * next) {
          return next;
        }
        a = next;
      }
      return Double.NaN;
    }

    /** Records what a computed statistic x2 at a proves. */
    private void learn(double a, double x2, double df, double margin) {
      if (x2 > df + margin) {
        low = Math.max(low, a);
      } else if (x2 < df - margin) {
        high = Math.min(high, a);
      }
    }
  }

  private static double pearson(double[] sq, double[] mu, double[] weight, double alpha) {
    double x2 = 0;
    for (int i = 0; i < sq.length; i++) {
      if (weight[i] > 0) {
        x2 += sq[i] / (mu[i] * (1 + alpha * mu[i]));
      }
    }
    return x2;
  }
}
