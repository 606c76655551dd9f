package io.modax.fleet.analytics;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * A distribution of counts (0, 1, 2, ...) with a given mean and variance: Poisson when the variance
 * does not exceed the mean, else the negative binomial with that mean and variance (size {@code r =
 * mean^2 / (variance - mean)}). Used for predicted failure counts and part demand, so that no
 * quantile can be negative.
 */
final class CountDistribution {

  private final double mean;
  private final double variance;
  private final boolean poisson;
  private final double size;
  private final double p;

  private CountDistribution(double mean, double variance) {
    this.mean = mean;
    this.variance = variance;
    this.poisson = variance <= mean * (1 + 1e-12);
    this.size = poisson ? Double.POSITIVE_INFINITY : mean * mean / (variance - mean);
    this.p = poisson ? 1 : mean / variance;
  }

  /**
   * @param mean at least 0
   * @param variance at least 0
   */
  static CountDistribution withMeanAndVariance(double mean, double variance) {
    if (!(mean >= 0) || !(variance >= 0) || Double.isInfinite(mean) || Double.isInfinite(variance)) {
      throw new IllegalArgumentException("mean " + mean + " and variance " + variance + " must be finite and >= 0");
    }
    return new CountDistribution(mean, variance);
  }

  boolean isPoisson() {
    return poisson;
  }

  double mean() {
    return mean;
  }

  double variance() {
    return variance;
  }

  /** P(X <= k). */
  double cdf(long k) {
    if (k < 0) {
      return 0;
    }
    if (mean == 0) {
      return 1;
    }
    if (poisson) {
      return Gamma.regularizedGammaQ(k + 1.0, mean);
    }
    return Beta.regularizedBeta(p, size, k + 1.0);
  }

  /** The smallest k with P(X <= k) >= q, for q in (0, 1). */
  long quantile(double q) {
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("quantile " + q + " is outside (0, 1)");
    }
    if (mean == 0) {
      return 0;
    }
    long lo = 0;
    long hi = (long) Math.ceil(mean + 12 * Math.sqrt(Math.max(variance, mean)) + 10);
    while (cdf(hi) < q) {
      lo = hi;
      hi *= 2;
    }
    // invariant: cdf(hi) >= q; the answer is in [lo, hi]
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (cdf(mid) >= q) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
