package io.modax.fleet.analytics;

import io.modax.fleet.statistics.CountForecast;
import io.modax.fleet.statistics.ForecastBacktest;
import io.modax.fleet.statistics.SpareStock;
import io.modax.fleet.statistics.StatisticalMethod;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The design's maintenance demand forecast: failures expected over the next {@code horizonDays}
 * days with a 95% interval, per location and for the fleet, and the spare parts to stock.
 *
 * <p>By default every figure comes from a count forecast ({@link
 * io.modax.fleet.statistics.CountForecasts}: weekly seasonality, trend and over-dispersion, the
 * model chosen on held-out history) of daily counts; see {@link
 * TrendAnalyzer#forecastMaintenanceDemand(io.modax.fleet.CallerContext, String, int, double)}.
 * {@code lower95} and {@code upper95} are then whole numbers, never below zero, and every forecast
 * reports its method, its backtest error and the empirical coverage of its interval. In {@link
 * AggregationMode#SEED_COMPATIBLE} the fleet figures are the design's {@code mean x days} and
 * {@code (mean -/+ 1.96 sd) x days} over UTC daily totals, which may be fractional or negative, and
 * there are no per-location forecasts.
 *
 * @param organizationId the organization
 * @param issuedAt the clock's now when the forecast was made
 * @param horizonDays days ahead the forecast covers: whole local days, starting with each
 *     location's current local day (for the fleet, the earliest of them)
 * @param serviceLevel the probability that a part's recommended stock covers its demand
 * @param mode how the history was read and the forecast made
 * @param historyDays days of history read at most ({@link TrendAnalyzer#HISTORY_DAYS}; the design's
 *     {@link TrendAnalyzer#DESIGN_HISTORY_DAYS} in seed-compatible mode)
 * @param method the approach in one line, for a person
 * @param expectedFailures failures expected over the horizon for the whole fleet; null when there
 *     is too little history (see {@code notes})
 * @param lower95 lower end of the fleet's 95% interval (never below 0 by default); null as {@code
 *     expectedFailures}, or in seed-compatible mode with fewer than two days of history
 * @param upper95 upper end of the fleet's 95% interval; null as {@code lower95}
 * @param statisticalMethod how the fleet figures were obtained: model, parameters, backtest,
 *     assumptions and when not to trust them; null only when there are no fleet figures
 * @param fleetForecast the count forecast of the fleet's daily failure totals (each location's
 *     local days, summed by date); null in seed-compatible mode or with too little history. Its
 *     expected value is not the sum of the locations' (each series gets its own model)
 * @param pooledLocationBacktest the locations' backtests pooled (origins added up, coverage
 *     weighted by origins): the figure to check the 95% interval's coverage against, since one
 *     location's backtest rests on few overlapping windows; over the locations whose backtest
 *     checked the longest horizon any location's did. Null without location forecasts
 * @param locations per-location forecasts, by location id (empty in seed-compatible mode)
 * @param spareParts per part, the stock recommended for the horizon, by part number
 * @param notes what could not be forecast and why, for a person (e.g. a location with too short a
 *     history); empty when everything was
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
    @Nullable StatisticalMethod statisticalMethod,
    @Nullable CountForecast fleetForecast,
    @Nullable ForecastBacktest pooledLocationBacktest,
    List<LocationForecast> locations,
    List<SparePartNeed> spareParts,
    List<String> notes) {

  /** Copies the lists. */
  public MaintenanceForecast {
    locations = List.copyOf(locations);
    spareParts = List.copyOf(spareParts);
    notes = List.copyOf(notes);
  }

  /**
   * One location's failure forecast, from the failure counts of its local calendar days in the
   * daily rollup.
   *
   * @param locationId the location
   * @param locationName its display name
   * @param historyStart the first local day of the history (its first day with snapshots within
   *     {@link #historyDays()}); null when the location has no snapshots there
   * @param historyDays calendar days from {@code historyStart} to yesterday (local)
   * @param observedDays days of the history with snapshots; the others are left out of the fit
   * @param historyFailures failures over the observed days
   * @param dailyMean mean failures per observed day (0 without observed days)
   * @param expectedFailures failures expected over the horizon; null when there is no forecast
   * @param lower95 lower end of the 95% interval (at least 0); null when there is no forecast
   * @param upper95 upper end of the 95% interval; null when there is no forecast
   * @param forecast the count forecast with its model, backtest, coverage and assumptions; null
   *     when the history is too short ({@code note} says why)
   * @param note why there is no forecast; null when there is one
   */
  public record LocationForecast(
      String locationId,
      String locationName,
      @Nullable LocalDate historyStart,
      int historyDays,
      int observedDays,
      long historyFailures,
      double dailyMean,
      @Nullable Double expectedFailures,
      @Nullable Long lower95,
      @Nullable Long upper95,
      @Nullable CountForecast forecast,
      @Nullable String note) {}

  /**
   * A spare part's expected demand over the horizon (which is taken as the replenishment lead
   * time) and the stock that covers it at the service level: {@link
   * io.modax.fleet.statistics.SpareParts#stock} on the mean and variance of a count forecast of
   * the part's daily usage across the fleet (the organization's calendar).
   *
   * @param partNumber the part
   * @param eventsInHistory maintenance and failure events of the history that used the part
   * @param unitsInHistory units those events used
   * @param expectedUnits units expected over the horizon
   * @param recommendedStock the smallest stock that covers the horizon's demand with probability
   *     at least the service level
   * @param demandForecast the forecast of the part's usage over the horizon, with its model,
   *     backtest and assumptions
   * @param stock the stock calculation: distribution, the service level the model promises
   *     ({@link SpareStock#achievedServiceLevel()}), assumptions
   * @param backtestServiceLevel the service level achieved out of sample: at each of up to 28
   *     earlier origins the whole calculation (forecast and stock) was made from the usage before
   *     the origin, and this is the share of origins whose stock covered the usage of the next
   *     horizon days; null when the history allows no origin. Adjacent origins overlap: a rough
   *     figure
   * @param backtestOrigins how many origins {@code backtestServiceLevel} rests on (0 when null)
   */
  public record SparePartNeed(
      String partNumber,
      long eventsInHistory,
      long unitsInHistory,
      double expectedUnits,
      long recommendedStock,
      CountForecast demandForecast,
      SpareStock stock,
      @Nullable Double backtestServiceLevel,
      int backtestOrigins) {

    /**
     * The service level to state: the lower of the one achieved out of sample and the model's
     * (the model's alone when there is no backtest).
     */
    public double statedServiceLevel() {
      return backtestServiceLevel == null
          ? stock.achievedServiceLevel()
          : Math.min(backtestServiceLevel, stock.achievedServiceLevel());
    }
  }
}
