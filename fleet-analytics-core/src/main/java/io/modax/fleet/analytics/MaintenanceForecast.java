package io.modax.fleet.analytics;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The design's maintenance demand forecast: failures expected over the next {@code horizonDays}
 * days with a 95% interval, per location and for the fleet, and the spare parts to stock.
 *
 * <p>By default the failure counts follow a count model that cannot go below zero (see {@link
 * TrendAnalyzer#forecastMaintenanceDemand(io.modax.fleet.CallerContext, String, int, double)}):
 * {@code lower95} and {@code upper95} are whole numbers of failures, the 2.5% and 97.5% quantiles
 * of the predicted count. In {@link AggregationMode#SEED_COMPATIBLE} the fleet figures are the
 * design's {@code mean x days} and {@code (mean -/+ 1.96 sd) x days} over UTC daily totals, which
 * may be fractional or negative, and there are no per-location forecasts.
 *
 * @param organizationId the organization
 * @param issuedAt the clock's now when the forecast was made; the horizon starts here
 * @param horizonDays days ahead the forecast covers
 * @param serviceLevel the probability that a part's recommended stock covers its demand
 * @param mode how the history was read and the forecast made
 * @param historyDays days of history the model was fitted to ({@link
 *     TrendAnalyzer#HISTORY_DAYS})
 * @param method the model and its assumptions, for a person
 * @param expectedFailures failures expected over the horizon; null only in seed-compatible mode
 *     without history
 * @param lower95 lower end of the 95% interval (never below 0 by default); null only in
 *     seed-compatible mode with fewer than two days of history
 * @param upper95 upper end of the 95% interval; null as {@code lower95}
 * @param locations per-location forecasts, by location id (empty in seed-compatible mode)
 * @param spareParts per part, the stock recommended for the horizon, by part number
 */
public record MaintenanceForecast(
    String organizationId,
    Instant issuedAt,
    int horizonDays,
    double serviceLevel,
    AggregationMode mode,
    int historyDays,
    String method,
    @Nullable Double expectedFailures,
    @Nullable Double lower95,
    @Nullable Double upper95,
    List<LocationForecast> locations,
    List<SparePartNeed> spareParts) {

  /** Copies the lists. */
  public MaintenanceForecast {
    locations = List.copyOf(locations);
    spareParts = List.copyOf(spareParts);
  }

  /**
   * One location's failure forecast.
   *
   * @param locationId the location
   * @param locationName its display name
   * @param observedDays days of the history with snapshots from the location (the model's sample)
   * @param historyFailures failures over those days
   * @param dailyMean mean failures per observed day
   * @param dailyVariance sample variance of the daily failure counts (0 with fewer than two days)
   * @param expectedFailures failures expected over the horizon
   * @param lower95 2.5% quantile of the predicted count
   * @param upper95 97.5% quantile of the predicted count
   */
  public record LocationForecast(
      String locationId,
      String locationName,
      int observedDays,
      long historyFailures,
      double dailyMean,
      double dailyVariance,
      double expectedFailures,
      long lower95,
      long upper95) {}

  /**
   * A spare part's expected demand over the horizon and the stock that covers it at the service
   * level.
   *
   * @param partNumber the part
   * @param eventsInHistory maintenance and failure events of the history that used the part
   * @param unitsInHistory units those events used
   * @param expectedUnits units expected over the horizon
   * @param recommendedStock the smallest stock that covers the horizon's demand with probability
   *     at least the service level
   */
  public record SparePartNeed(
      String partNumber,
      long eventsInHistory,
      long unitsInHistory,
      double expectedUnits,
      long recommendedStock) {}
}
