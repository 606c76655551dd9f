package io.modax.fleet.statistics;

/**
 * One two-sample test of "does the location differ from the reference": Welch's t-test (a
 * difference of means) or Mann–Whitney U (a shift in location, estimated by Hodges–Lehmann).
 *
 * @param method the test, its parameters, assumptions and caveats
 * @param estimate the size of the difference, location minus reference, in the unit of the values
 *     (difference of means for Welch, Hodges–Lehmann shift for Mann–Whitney)
 * @param interval confidence interval for {@code estimate}
 * @param statistic the test statistic: t for Welch, U of the location sample for Mann–Whitney
 * @param pValue two-sided p-value in [0, 1]
 * @param locationSize values from the location
 * @param referenceSize values from the reference
 */
public record DifferenceTest(
    StatisticalMethod method,
    double estimate,
    Interval interval,
    double statistic,
    double pValue,
    int locationSize,
    int referenceSize) {}
