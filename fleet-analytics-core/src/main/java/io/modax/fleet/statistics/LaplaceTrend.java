package io.modax.fleet.statistics;

/**
 * The Laplace trend test for a repairable system's failure times: is the failure rate constant?
 *
 * @param failures failures used in the statistic (n for time truncated, n-1 for failure truncated)
 * @param statistic U, approximately standard normal without a trend; positive when failures
 *     crowd towards the end (deteriorating), negative when they crowd towards the start
 * @param pValue two-sided p-value of "no trend"
 * @param verdict at the significance level given
 * @param method the method, parameters, assumptions and caveats
 */
public record LaplaceTrend(
    int failures, double statistic, double pValue, TrendVerdict verdict, StatisticalMethod method) {}
