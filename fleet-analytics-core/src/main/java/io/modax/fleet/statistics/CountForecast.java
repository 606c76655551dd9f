package io.modax.fleet.statistics;

import java.time.LocalDate;
import java.util.List;

/**
 * A forecast of the total count (failures, maintenance jobs, parts) over the next days, with a
 * prediction interval that cannot go below zero and the backtest that chose the model.
 *
 * @param firstDay the first forecast day (the day after the history), in the location's calendar
 * @param horizonDays forecast days, 1 to {@value CountForecasts#MAX_HORIZON_DAYS}
 * @param expected expected total over the horizon
 * @param variance variance of the total's predictive distribution (daily noise, over-dispersion
 *     and the uncertainty of the fitted mean)
 * @param interval prediction interval for the total: equal-tailed quantiles of the predictive
 *     distribution, whole numbers, at least 0
 * @param dailyExpected expected count per forecast day, first day first
 * @param backtest the backtest to judge the forecast by: nested (at each origin the model chosen on
 *     the origins before it, as this forecast's was), named after the model this forecast uses;
 *     when the forecast is the seasonal naive fallback, that forecast's own backtest (MASE 1)
 * @param candidates each candidate's own backtest on the same origins: the three models and the
 *     seasonal naive forecast, in that order
 * @param method the chosen model, its parameters, assumptions and caveats
 */
public record CountForecast(
    LocalDate firstDay,
    int horizonDays,
    double expected,
    double variance,
    Interval interval,
    List<Double> dailyExpected,
    ForecastBacktest backtest,
    List<ForecastBacktest> candidates,
    StatisticalMethod method) {

  /** Copies the lists. */
  public CountForecast {
    dailyExpected = List.copyOf(dailyExpected);
    candidates = List.copyOf(candidates);
  }
}
