package io.modax.fleet.statistics;

/**
 * A Crow-AMSAA fit: the power-law non-homogeneous Poisson process, expected failures by time t
 * {@code N(t) = λ t^β}, failure intensity {@code ρ(t) = λ β t^(β-1)}.
 *
 * @param failures number of failures n
 * @param observationEnd end of observation T, in the unit of the failure times (for failure
 *     truncated data the last failure time)
 * @param failureTruncated true when observation ended at the last failure
 * @param beta maximum-likelihood β̂ (shape; below 1 improving, above 1 deteriorating)
 * @param betaUnbiased the bias-corrected β: {@code (n-1)/n β̂} time truncated, {@code (n-2)/n β̂}
 *     failure truncated (MIL-HDBK-189)
 * @param lambda maximum-likelihood λ̂ = n / T^β̂, in failures per (time unit)^β
 * @param betaInterval exact conditional confidence interval for β (chi-square method)
 * @param pValue two-sided p-value of "β = 1" (constant failure rate)
 * @param verdict improving when the interval lies below 1, deteriorating above 1, else stable
 * @param intensityAtEnd ρ(T): failures per time unit at the end of observation
 * @param method the method, parameters, assumptions and caveats
 */
public record PowerLawTrend(
    int failures,
    double observationEnd,
    boolean failureTruncated,
    double beta,
    double betaUnbiased,
    double lambda,
    Interval betaInterval,
    double pValue,
    TrendVerdict verdict,
    double intensityAtEnd,
    StatisticalMethod method) {

  /** Instantaneous MTBF at the end of observation, {@code 1 / ρ(T)}, in the time unit. */
  public double instantaneousMtbf() {
    return 1 / intensityAtEnd;
  }

  /** Expected failures in {@code [T, T + duration)} if the process goes on as fitted. */
  public double expectedFailures(double duration) {
    return lambda * (Math.pow(observationEnd + duration, beta) - Math.pow(observationEnd, beta));
  }
}
