package io.modax.fleet.statistics;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * A distribution of a count (failures or parts over a horizon): Poisson when the variance does not
 * exceed the mean, else the negative binomial with the same mean and variance (size {@code r =
 * mean² / (variance - mean)}), i.e. a Poisson whose mean is gamma-distributed.
 */
final class CountDistribution {

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  /** Beyond this size the negative binomial is indistinguishable from the Poisson. */
  private static final double POISSON_SIZE = 1e8;

  final double mean;
  final double variance;
  /** Negative-binomial size r; infinite for the Poisson. */
  final double size;

  private CountDistribution(double mean, double variance, double size) {
    this.mean = mean;
    this.variance = variance;
    this.size = size;
  }

  /** Poisson or moment-matched negative binomial; variance below the mean is raised to it. */
  static CountDistribution of(double mean, double variance) {
    if (!(mean > 0)) {
      return new CountDistribution(0, 0, Double.POSITIVE_INFINITY);
    }
    double extra = variance - mean;
    double size = extra > 0 ? mean * mean / extra : Double.POSITIVE_INFINITY;
    if (size > POISSON_SIZE) {
      return new CountDistribution(mean, mean, Double.POSITIVE_INFINITY);
    }
    return new CountDistribution(mean, variance, size);
  }

  /** A negative binomial with explicit size r (the Jeffreys predictive uses r = 0.5). */
  static CountDistribution negativeBinomial(double mean, double size) {
    return new CountDistribution(mean, mean + mean * mean / size, size);
  }

  boolean isPoisson() {
    return Double.isInfinite(size);
  }

  String describe() {
    return isPoisson()
        ? "Poisson(mean " + Inputs.fmt(mean) + ")"
        : "negative binomial(mean " + Inputs.fmt(mean) + ", size " + Inputs.fmt(size) + ")";
  }

  /** log P(X = k); negative infinity where the probability is 0. */
  double logProbability(long k) {
    if (k < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (mean == 0) {
      return k == 0 ? 0 : Double.NEGATIVE_INFINITY;
    }
    if (isPoisson()) {
      return k * Math.log(mean) - mean - Gamma.logGamma(k + 1.0);
    }
    return Gamma.logGamma(k + size)
        - Gamma.logGamma(size)
        - Gamma.logGamma(k + 1.0)
        + size * Math.log(size / (size + mean))
        + k * Math.log(mean / (size + mean));
  }

  /** P(X ≤ k). */
  double cdf(long k) {
    if (k < 0) {
      return 0;
    }
    if (mean == 0) {
      return 1;
    }
    if (isPoisson()) {
      return Gamma.regularizedGammaQ(k + 1.0, mean);
    }
    return Beta.regularizedBeta(size / (size + mean), size, k + 1.0);
  }

  /** Below this log P(X = 0) (or above this mean) {@link #quantiles} bisects instead of summing. */
  private static final double SUM_FROM_ZERO_MIN_LOG = -700;

  private static final double SUM_FROM_ZERO_MAX_MEAN = 20_000;

  /**
   * Two quantiles at once, {@code {quantile(p), quantile(q)}} for {@code 0 < p <= q < 1}: the
   * interval ends of a forecast. Where the probabilities can be summed from 0 without underflow
   * (log P(X = 0) ≥ -700 and mean ≤ 20,000) they are, by the recurrence P(k+1) = P(k) μ / (k+1)
   * (Poisson) or P(k) (k + r) / (k + 1) · μ / (r + μ) (negative binomial): one pass of about
   * mean + 3 sd multiplications instead of two bisections of incomplete beta or gamma functions
   * (the backtests evaluate thousands of intervals per forecast). Elsewhere, or should the sum fall
   * short by rounding, {@link #quantile} bisects. The two agree except where P(X ≤ k) lies within
   * about 1e-13 of p (CountDistributionTest compares them).
   */
  long[] quantiles(double p, double q) {
    if (mean == 0) {
      return new long[] {0, 0};
    }
    double log0 = isPoisson() ? -mean : size * Math.log(size / (size + mean));
    if (log0 >= SUM_FROM_ZERO_MIN_LOG && mean <= SUM_FROM_ZERO_MAX_MEAN) {
      double ratio = isPoisson() ? 0 : mean / (size + mean);
      double pk = Math.exp(log0);
      double cum = pk;
      long lower = -1;
      long limit = (long) (mean + 40 * Math.sqrt(variance) + 100);
      for (long k = 0; k <= limit; k++) {
        if (lower < 0 && cum >= p) {
          lower = k;
        }
        if (cum >= q) {
          return new long[] {lower, k};
        }
        pk *= isPoisson() ? mean / (k + 1) : (k + size) / (k + 1) * ratio;
        cum += pk;
      }
    }
    return new long[] {quantile(p), quantile(q)};
  }

  /** The smallest k with P(X ≤ k) ≥ p, for p in (0, 1). */
  long quantile(double p) {
    if (mean == 0) {
      return 0;
    }
    double sd = Math.sqrt(variance);
    long guess = Math.max(0, (long) Math.floor(mean + NORMAL.inverseCumulativeProbability(p) * sd));
    long near = crossingNear(p, guess);
    if (near >= 0) {
      return near;
    }
    long lo;
    long hi;
    if (cdf(guess) >= p) {
      hi = guess;
      lo = -1;
    } else {
      lo = guess;
      long step = Math.max(1, (long) Math.ceil(sd));
      hi = guess + step;
      while (cdf(hi) < p) {
        lo = hi;
        step *= 2;
        hi += step;
      }
    }
    // Invariant: cdf(lo) < p <= cdf(hi) (cdf(-1) = 0).
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (cdf(mid) >= p) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** Largest absolute error assumed of a computed {@link #cdf} (commons-math's are below 1e-12). */
  private static final double CDF_ERROR = 1e-9;

  /**
   * The k with cdf(k - 1) &lt; p ≤ cdf(k) (computed values), found from {@code guess} by adding or
   * taking off probabilities (the recurrence) and confirmed by evaluating {@link #cdf} at k - 1 and
   * k; -1 when not confirmed. Where the probabilities of k - 1 and k + 1 both exceed twice the
   * largest error of a computed cdf, no other k has that property (every cdf below k - 1 computes
   * below p, every one above k computes at least p), so the bisection of {@link #quantile} would
   * end on the same k: this gives its answer with one to three evaluations instead of a dozen
   * (one when the walked sums are clear of p by more than their error).
   */
  private long crossingNear(double p, long guess) {
    if (!(mean <= 1e6)) {
      return -1;
    }
    double ratio = isPoisson() ? 0 : mean / (size + mean);
    double atGuess = cdf(guess);
    double c = atGuess;
    double pk = Math.exp(logProbability(guess));
    double walked = 0;
    long k = guess;
    int steps = 0;
    if (c >= p) {
      // down while cdf(k - 1) = cdf(k) - P(k) is still at least p
      while (k > 0 && c - pk >= p) {
        if (++steps > 512) {
          return -1;
        }
        c -= pk;
        walked += pk;
        pk *= isPoisson() ? k / mean : k / ((k - 1 + size) * ratio);
        k--;
      }
    } else {
      while (c < p) {
        if (++steps > 512) {
          return -1;
        }
        pk *= isPoisson() ? mean / (k + 1) : (k + size) / (k + 1) * ratio;
        c += pk;
        walked += pk;
        k++;
      }
    }
    double before = k == 0 ? 1 : pk * (isPoisson() ? k / mean : k / ((k - 1 + size) * ratio));
    double after = pk * (isPoisson() ? mean / (k + 1) : (k + size) / (k + 1) * ratio);
    if (!(Math.min(before, after) > 4 * CDF_ERROR)) {
      return -1;
    }
    // c approximates cdf(k), c - pk cdf(k - 1): within CDF_ERROR (the evaluation at the guess) plus
    // the rounding of the walked probabilities and of pk. Clear of p by more than both errors, a computed cdf
    // falls on the same side of p; closer, it is evaluated.
    // The relative error of exp(logProbability): the log-gamma terms, of magnitude about
    // x log x, each rounded to a few units in the last place; then a few more per step walked.
    double x = guess + (isPoisson() ? 0 : size) + mean + 2;
    double relative = 64 * 0x1p-53 * (x * (Math.log(x) + 1) + steps);
    double slack = 2 * CDF_ERROR + 4 * relative * (walked + pk);
    boolean atK =
        c >= p + slack || (k == guess ? atGuess : cdf(k)) >= p;
    boolean belowBefore =
        k == 0 || c - pk < p - slack || (k - 1 == guess ? atGuess : cdf(k - 1)) < p;
    return atK && belowBefore ? k : -1;
  }
}
