package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import org.apache.commons.math3.special.Gamma;

/**
 * Spare-parts stock for a service level over a lead time: the service-level quantile of the demand
 * distribution, Poisson when demand varies as a Poisson would, negative binomial when it is
 * over-dispersed. "Service level" here is the cycle service level: the probability that demand
 * during the lead time does not exceed the stock. Static, pure and thread-safe.
 */
public final class SpareParts {

  /** Fewest days of usage history for {@link #stockFromHistory}: 28. */
  public static final int MIN_HISTORY_DAYS = 28;

  /** Longest lead time: 365 days. */
  public static final int MAX_LEAD_TIME_DAYS = 365;

  private SpareParts() {}

  /**
   * Stock for a demand forecast given by its mean and variance over the lead time (e.g. {@link
   * CountForecast#expected()} and {@link CountForecast#variance()} of a forecast whose horizon is
   * the lead time). Poisson when {@code variance <= mean}, else the negative binomial with that
   * mean and variance.
   *
   * @param expectedDemand mean demand over the lead time, at least 0
   * @param demandVariance its variance, at least 0
   * @param serviceLevel target probability in [0.5, 1), e.g. 0.95
   * @throws InvalidRequestException for negative or non-finite inputs or a bad service level
   */
  public static SpareStock stock(double expectedDemand, double demandVariance, double serviceLevel) {
    if (!(Double.isFinite(expectedDemand) && expectedDemand >= 0)) {
      throw new InvalidRequestException(
          "expectedDemand " + expectedDemand + " must be a finite number at least 0");
    }
    if (!(Double.isFinite(demandVariance) && demandVariance >= 0)) {
      throw new InvalidRequestException(
          "demandVariance " + demandVariance + " must be a finite number at least 0");
    }
    Inputs.level("serviceLevel", serviceLevel);
    CountDistribution d = CountDistribution.of(expectedDemand, demandVariance);
    Inputs.Method m =
        new Inputs.Method(
                d.isPoisson()
                    ? "Poisson quantile of lead-time demand"
                    : "Negative binomial quantile of lead-time demand (over-dispersed)")
            .param("demand distribution", d.describe());
    return result(d, serviceLevel, m, demandVariance < expectedDemand);
  }

  /**
   * Stock from a part's daily usage history: the mean daily usage scaled to the lead time;
   * negative binomial when the Pearson dispersion test ({@code X² = (n-1) s² / mean}, chi-square
   * with n-1 degrees of freedom) rejects the Poisson at 5%, which for independent days gives a
   * lead-time demand with mean {@code L·mean} and variance {@code L·s²}; else Poisson with mean
   * {@code L·mean}.
   *
   * @param dailyUsage units used per day, oldest first, no gaps (at least {@value
   *     #MIN_HISTORY_DAYS} days)
   * @param leadTimeDays 1 to {@value #MAX_LEAD_TIME_DAYS}
   * @param serviceLevel target probability in [0.5, 1)
   * @throws InvalidRequestException for a short history, negative usage, or bad arguments
   */
  public static SpareStock stockFromHistory(
      int[] dailyUsage, int leadTimeDays, double serviceLevel) {
    int[] y = Inputs.countsCopy("dailyUsage", dailyUsage, MIN_HISTORY_DAYS);
    if (leadTimeDays < 1 || leadTimeDays > MAX_LEAD_TIME_DAYS) {
      throw new InvalidRequestException(
          "leadTimeDays " + leadTimeDays + " is outside the allowed range [1, "
              + MAX_LEAD_TIME_DAYS + "]");
    }
    Inputs.level("serviceLevel", serviceLevel);
    int n = y.length;
    double mean = 0;
    for (int v : y) {
      mean += v;
    }
    mean /= n;
    double var = 0;
    for (int v : y) {
      var += (v - mean) * (v - mean);
    }
    var /= n - 1;
    double pValue = 1;
    boolean overDispersed = false;
    if (mean > 0) {
      double x2 = (n - 1) * var / mean;
      // Chi-square upper tail without a ChiSquaredDistribution, which seeds a random generator.
      pValue = Gamma.regularizedGammaQ((n - 1) / 2.0, x2 / 2.0);
      overDispersed = pValue < CountModel.DISPERSION_TEST_LEVEL && var > mean;
    }
    CountDistribution d =
        overDispersed
            ? CountDistribution.of(leadTimeDays * mean, leadTimeDays * var)
            : CountDistribution.of(leadTimeDays * mean, leadTimeDays * mean);
    Inputs.Method m =
        new Inputs.Method(
                d.isPoisson()
                    ? "Poisson quantile of lead-time demand from usage history"
                    : "Negative binomial quantile of lead-time demand from usage history"
                        + " (over-dispersed)")
            .param("history days", n)
            .param("mean daily usage", mean)
            .param("variance of daily usage", var)
            .param("over-dispersion test p-value", pValue)
            .param("lead time days", leadTimeDays)
            .param("demand distribution", d.describe())
            .assume("Days of usage are independent and the usage rate stays as in the history.");
    if (mean == 0) {
      m.caveat(
          "No usage in " + n + " days: the model sees no demand, so it advises no stock; a part"
              + " whose failure stops a line may still deserve one.");
    }
    return result(d, serviceLevel, m, false);
  }

  private static SpareStock result(
      CountDistribution d, double serviceLevel, Inputs.Method m, boolean underDispersed) {
    long s = d.quantile(serviceLevel);
    double achieved = d.cdf(s);
    m.param("target service level", serviceLevel)
        .param("stock", s)
        .param("achieved service level", achieved)
        .assume(
            "Service level means the probability that demand during the lead time does not"
                + " exceed the stock (cycle service level), not the share of demand filled.")
        .assume("Stock is replenished one lead time after it is ordered.")
        .caveat(
            "Demand comes in batches (one repair uses many units at once): model batches, or the"
                + " stock is too low.")
        .caveat("The lead time itself varies a lot: this stock ignores that and is too low.");
    if (underDispersed) {
      m.caveat("The variance given is below the mean: the Poisson was used, which is cautious.");
    }
    return new SpareStock(
        d.mean,
        d.variance,
        !d.isPoisson(),
        (int) Math.min(Integer.MAX_VALUE, s),
        serviceLevel,
        achieved,
        m.build());
  }
}
