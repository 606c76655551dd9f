package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.Arrays;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Reliability trends from event histories: Crow-AMSAA (power-law NHPP) with β's confidence
 * interval and a verdict, the Laplace trend test, and Weibull fits with right-censored data.
 *
 * <p>Times are in any one unit (operating hours since the start of observation are best; calendar
 * hours work when the equipment runs at a steady duty). For a location or device type, pass the
 * failure times of one system measured on one clock; for several systems observed together, their
 * failures on a common clock describe the group as one process.
 *
 * <p>Static, pure and thread-safe.
 */
public final class Reliability {

  /** Fewest failures for Crow-AMSAA and Laplace: 3. */
  public static final int MIN_FAILURES = 3;

  /** Fewest failures for a Weibull fit: 2 (plus any number of censored units). */
  public static final int MIN_WEIBULL_FAILURES = 2;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private Reliability() {}

  /**
   * Crow-AMSAA for time-truncated data: observation ran from 0 to {@code observationEnd}, whatever
   * the failures. MLE {@code β̂ = n / Σ ln(T / t_i)}, {@code λ̂ = n / T^β̂}; given n, {@code 2nβ/β̂}
   * is chi-square with 2n degrees of freedom, which gives β's exact interval (MIL-HDBK-189, IEC
   * 61164) and the test of β = 1.
   *
   * @param failureTimes failure times in (0, observationEnd], any order (at least {@value
   *     #MIN_FAILURES})
   * @param observationEnd end of observation T, positive
   * @param level confidence level of β's interval and of the verdict, in [0.5, 1)
   * @throws InvalidRequestException for too few failures, times outside (0, T], or a bad level
   */
  public static PowerLawTrend crowAmsaaTimeTruncated(
      double[] failureTimes, double observationEnd, double level) {
    double[] t = times(failureTimes, MIN_FAILURES);
    checkEnd(t, observationEnd);
    return crowAmsaa(t, observationEnd, false, Inputs.level("level", level));
  }

  /**
   * Crow-AMSAA for failure-truncated data: observation ended at the last failure. As the
   * time-truncated form with T = the last failure time, the sum over the first n-1 failures and
   * 2(n-1) degrees of freedom.
   *
   * @param failureTimes failure times, positive, any order (at least {@value #MIN_FAILURES})
   * @param level confidence level in [0.5, 1)
   * @throws InvalidRequestException for too few failures, non-positive times, or a bad level
   */
  public static PowerLawTrend crowAmsaaFailureTruncated(double[] failureTimes, double level) {
    double[] t = times(failureTimes, MIN_FAILURES);
    return crowAmsaa(t, t[t.length - 1], true, Inputs.level("level", level));
  }

  /**
   * The Laplace trend test, time truncated at {@code observationEnd}: {@code U = (mean(t_i) - T/2)
   * / (T sqrt(1/(12 n)))}, standard normal without a trend.
   *
   * @param failureTimes failure times in (0, observationEnd] (at least {@value #MIN_FAILURES})
   * @param observationEnd end of observation T
   * @param alpha significance level of the verdict, in (0, 0.5]
   * @throws InvalidRequestException for too few failures, times outside (0, T], or a bad alpha
   */
  public static LaplaceTrend laplaceTimeTruncated(
      double[] failureTimes, double observationEnd, double alpha) {
    double[] t = times(failureTimes, MIN_FAILURES);
    checkEnd(t, observationEnd);
    return laplace(t, t.length, observationEnd, false, Inputs.alpha("alpha", alpha));
  }

  /**
   * The Laplace trend test, failure truncated: the first n-1 failure times against T = the last.
   *
   * @param failureTimes failure times, positive (at least {@value #MIN_FAILURES})
   * @param alpha significance level of the verdict, in (0, 0.5]
   * @throws InvalidRequestException for too few failures, non-positive times, or a bad alpha
   */
  public static LaplaceTrend laplaceFailureTruncated(double[] failureTimes, double alpha) {
    double[] t = times(failureTimes, MIN_FAILURES);
    return laplace(t, t.length - 1, t[t.length - 1], true, Inputs.alpha("alpha", alpha));
  }

  /**
   * Two-parameter Weibull by maximum likelihood with right-censored units. The shape solves the
   * profile equation {@code Σ t^k ln t / Σ t^k - 1/k - (1/r) Σ_failures ln t = 0} (Brent's
   * method), the scale is {@code (Σ t^k / r)^(1/k)}; intervals come from the inverse of the
   * observed information matrix, on the log scale so that they stay positive.
   *
   * @param times each unit's time: its failure time, or the time it was last seen running
   * @param failed per unit, true for a failure, false for a censored (suspended) unit
   * @param level confidence level in [0.5, 1)
   * @throws InvalidRequestException for mismatched arrays, non-positive times, fewer than {@value
   *     #MIN_WEIBULL_FAILURES} failures, failure times all equal, or a bad level
   */
  public static WeibullFit weibull(double[] times, boolean[] failed, double level) {
    double[] t = Inputs.finiteCopy("times", times, MIN_WEIBULL_FAILURES);
    Inputs.level("level", level);
    if (failed == null || failed.length != t.length) {
      throw new InvalidRequestException(
          "failed must have one flag per time (" + t.length + " times)");
    }
    int r = 0;
    double tMax = 0;
    for (int i = 0; i < t.length; i++) {
      if (!(t[i] > 0)) {
        throw new InvalidRequestException("times[" + i + "] is " + t[i] + ": must be positive");
      }
      r += failed[i] ? 1 : 0;
      tMax = Math.max(tMax, t[i]);
    }
    if (r < MIN_WEIBULL_FAILURES) {
      throw new InvalidRequestException(
          "a Weibull fit needs at least " + MIN_WEIBULL_FAILURES + " failures; got " + r);
    }
    // Work with s = t / tMax: the shape equation is scale-free and t^k cannot overflow.
    double[] s = new double[t.length];
    double[] ls = new double[t.length];
    double meanLogFail = 0;
    double minFail = Double.POSITIVE_INFINITY;
    double maxFail = 0;
    for (int i = 0; i < t.length; i++) {
      s[i] = t[i] / tMax;
      ls[i] = Math.log(s[i]);
      if (failed[i]) {
        meanLogFail += ls[i] / r;
        minFail = Math.min(minFail, t[i]);
        maxFail = Math.max(maxFail, t[i]);
      }
    }
    if (minFail == maxFail) {
      throw new InvalidRequestException(
          "all failure times equal " + minFail + ": the Weibull shape cannot be estimated");
    }
    final double mlf = meanLogFail;
    org.apache.commons.math3.analysis.UnivariateFunction g =
        k -> {
          double a = 0;
          double b = 0;
          for (int i = 0; i < s.length; i++) {
            double p = Math.pow(s[i], k);
            a += p * ls[i];
            b += p;
          }
          return a / b - 1 / k - mlf;
        };
    double lo = 1e-3;
    double hi = 1;
    while (g.value(hi) < 0) {
      hi *= 2;
      if (hi > 1e4) {
        throw new InvalidRequestException(
            "the Weibull shape is beyond 10000: the failure times are nearly equal");
      }
    }
    double k = new BrentSolver(1e-14, 1e-12).solve(1000, g, lo, hi);
    double sumSk = 0;
    for (double si : s) {
      sumSk += Math.pow(si, k);
    }
    double lambda = tMax * Math.pow(sumSk / r, 1 / k);
    // Observed information at the MLE (where Σ z = r), parameters (k, λ).
    double sumZL = 0;
    double sumZL2 = 0;
    double logLik = 0;
    for (int i = 0; i < t.length; i++) {
      double l = Math.log(t[i] / lambda);
      double z = Math.exp(k * l);
      sumZL += z * l;
      sumZL2 += z * l * l;
      if (failed[i]) {
        logLik += Math.log(k / lambda) + (k - 1) * l;
      }
      logLik -= z;
    }
    double ikk = r / (k * k) + sumZL2;
    double ill = k * k * r / (lambda * lambda);
    double ikl = -(k / lambda) * sumZL;
    double det = ikk * ill - ikl * ikl;
    double varK = ill / det;
    double varL = ikk / det;
    double z = NORMAL.inverseCumulativeProbability(0.5 + level / 2);
    double fk = Math.exp(z * Math.sqrt(varK) / k);
    double fl = Math.exp(z * Math.sqrt(varL) / lambda);
    int censored = t.length - r;
    Inputs.Method method =
        new Inputs.Method("Weibull (2-parameter) maximum likelihood with right censoring")
            .param("shape k", k)
            .param("scale λ", lambda)
            .param("failures", r)
            .param("censored", censored)
            .param("standard error of k", Math.sqrt(varK))
            .param("standard error of λ", Math.sqrt(varL))
            .param("interval method", "Fisher matrix (observed information), log scale")
            .param("confidence level", level)
            .assume("Units are alike and fail independently of each other.")
            .assume(
                "Censoring is uninformative: a unit's removal says nothing about when it would have"
                    + " failed.")
            .assume(
                "Times are counted from the same origin for every unit (installation or last"
                    + " renewal) and one failure mode dominates.")
            .caveat(
                "Few failures (under about 10): the shape estimate is biased upwards and the"
                    + " Fisher-matrix intervals are too narrow.")
            .caveat("Several failure modes mix (e.g. infant mortality and wear-out): one Weibull"
                + " averages them and describes neither.")
            .caveat("Units are repaired rather than replaced: use the Crow-AMSAA trend instead.");
    if (r < 10) {
      method.caveat("Only " + r + " failures here.");
    }
    return new WeibullFit(
        k,
        lambda,
        new Interval(k / fk, k * fk, level),
        new Interval(lambda / fl, lambda * fl, level),
        r,
        censored,
        logLik,
        lambda * Gamma.gamma(1 + 1 / k),
        method.build());
  }

  // --- internals ---

  private static PowerLawTrend crowAmsaa(
      double[] t, double end, boolean failureTruncated, double level) {
    int n = t.length;
    double sum = 0;
    for (double ti : t) {
      sum += Math.log(end / ti);
    }
    if (!(sum > 0)) {
      throw new InvalidRequestException(
          "all failure times equal the end of observation: β cannot be estimated");
    }
    double beta = n / sum;
    double lambda = n / Math.pow(end, beta);
    double df = failureTruncated ? 2.0 * (n - 1) : 2.0 * n;
    double unbiased = failureTruncated ? (n - 2.0) / n * beta : (n - 1.0) / n * beta;
    ChiSquaredDistribution chi = new ChiSquaredDistribution(null, df);
    double alpha = 1 - level;
    double lower = beta * chi.inverseCumulativeProbability(alpha / 2) / (2.0 * n);
    double upper = beta * chi.inverseCumulativeProbability(1 - alpha / 2) / (2.0 * n);
    // Under β = 1, 2 Σ ln(T/t_i) = 2n/β̂ is chi-square(df).
    double x = 2 * sum;
    double cdf = chi.cumulativeProbability(x);
    double p = Math.min(1, 2 * Math.min(cdf, 1 - cdf));
    TrendVerdict verdict =
        upper < 1 ? TrendVerdict.IMPROVING : lower > 1 ? TrendVerdict.DETERIORATING
            : TrendVerdict.STABLE;
    double intensity = lambda * beta * Math.pow(end, beta - 1);
    Inputs.Method method =
        new Inputs.Method(
                "Crow-AMSAA power-law NHPP, maximum likelihood ("
                    + (failureTruncated ? "failure" : "time")
                    + " truncated)")
            .param("failures n", n)
            .param("observation end T", end)
            .param("β̂", beta)
            .param("β (bias-corrected)", unbiased)
            .param("λ̂", lambda)
            .param("β interval", "chi-square, " + Inputs.fmt(df) + " degrees of freedom")
            .param("confidence level", level)
            .assume(
                "Failures follow a Poisson process whose rate changes as a power of time: N(t) ="
                    + " λ t^β (repairs restore the system to as-bad-as-old).")
            .assume("Failure times are measured on one clock from the start of observation.")
            .assume("Repairs take negligible time compared with the times between failures.")
            .caveat(
                "The rate changed abruptly (a new maintenance regime, a process change): fit"
                    + " each phase separately.")
            .caveat("Fewer than about 10 failures: β's interval is wide and the verdict is often"
                + " STABLE for lack of evidence.")
            .caveat(
                "The history mixes systems started at very different times on one calendar: their"
                    + " ages differ and the power law is about the calendar, not the age.");
    return new PowerLawTrend(
        n,
        end,
        failureTruncated,
        beta,
        unbiased,
        lambda,
        new Interval(lower, upper, level),
        p,
        verdict,
        intensity,
        method.build());
  }

  private static LaplaceTrend laplace(
      double[] t, int n, double end, boolean failureTruncated, double alpha) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += t[i];
    }
    double u = (sum / n - end / 2) / (end * Math.sqrt(1.0 / (12.0 * n)));
    double p = Math.min(1, 2 * NORMAL.cumulativeProbability(-Math.abs(u)));
    double crit = NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    TrendVerdict verdict =
        u > crit ? TrendVerdict.DETERIORATING : u < -crit ? TrendVerdict.IMPROVING
            : TrendVerdict.STABLE;
    StatisticalMethod method =
        new Inputs.Method(
                "Laplace trend test (" + (failureTruncated ? "failure" : "time") + " truncated)")
            .param("failures used", n)
            .param("observation end T", end)
            .param("U", u)
            .param("critical value", crit)
            .param("significance level", alpha)
            .assume(
                "Without a trend, failures form a homogeneous Poisson process: given their number,"
                    + " the failure times are uniform on [0, T].")
            .assume("U is close to standard normal, which holds from about 4 failures on.")
            .caveat(
                "The rate goes up and then down (or the reverse) within the window: the trends"
                    + " cancel and the test sees none.")
            .caveat("Very few failures: the test has little power; STABLE then means 'no evidence'.")
            .build();
    return new LaplaceTrend(n, u, p, verdict, method);
  }

  private static double[] times(double[] failureTimes, int min) {
    double[] t = Inputs.finiteCopy("failureTimes", failureTimes, min);
    for (int i = 0; i < t.length; i++) {
      if (!(t[i] > 0)) {
        throw new InvalidRequestException(
            "failureTimes[" + i + "] is " + t[i] + ": failure times must be positive");
      }
    }
    Arrays.sort(t);
    return t;
  }

  private static void checkEnd(double[] sorted, double end) {
    if (!(Double.isFinite(end) && end > 0)) {
      throw new InvalidRequestException("observationEnd " + end + " must be a positive number");
    }
    if (sorted[sorted.length - 1] > end) {
      throw new InvalidRequestException(
          "a failure at " + sorted[sorted.length - 1] + " lies after observationEnd " + end);
    }
  }
}
