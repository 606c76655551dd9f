package io.modax.fleet.statistics;

/**
 * Percentile bands of a fleet's values for one metric, with the quantile definition stated: type 7
 * of Hyndman and Fan (1996), linear interpolation between order statistics, the default of R and
 * of spreadsheet {@code PERCENTILE.INC}: for sorted values x(1..n), the p-quantile is at position
 * {@code h = (n - 1) p + 1}, interpolated between x(floor h) and x(ceil h).
 *
 * @param p10 10th percentile
 * @param p25 25th percentile (lower quartile)
 * @param p50 median
 * @param p75 75th percentile (upper quartile)
 * @param p90 90th percentile
 * @param mean the plain mean of the values given (if the values are per-location ratios this is an
 *     unweighted mean; the fleet's exposure-weighted figure comes from the analytics layer)
 * @param count how many values (locations) the bands describe
 * @param method the quantile definition and its caveats
 */
public record PercentileBands(
    double p10,
    double p25,
    double p50,
    double p75,
    double p90,
    double mean,
    int count,
    StatisticalMethod method) {}
