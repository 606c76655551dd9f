package io.modax.fleet.statistics;

import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one candidate model did on held-out history: a rolling-origin backtest. At each origin the
 * model is fitted to the days before it and forecasts the total of the next {@code horizonDays}
 * days, which are then compared with what happened.
 *
 * @param model the candidate's name
 * @param origins how many origins (consecutive days, the most recent ones possible)
 * @param horizonDays the horizon, as in the forecast
 * @param meanAbsoluteError mean |actual total - forecast total|, in events
 * @param seasonalNaiveMeanAbsoluteError the same for the seasonal naive forecast (repeat the last
 *     week), on the same origins
 * @param meanAbsoluteScaledError {@code meanAbsoluteError / seasonalNaiveMeanAbsoluteError}: below
 *     1 the model beats the naive forecast; null when the naive forecast was never wrong
 * @param meanIntervalScore mean interval score (Gneiting and Raftery 2007): the interval's width
 *     plus {@code 2 / (1 - level)} times the distance by which the actual total fell outside it;
 *     lower is better, and it rewards intervals that are both narrow and right
 * @param intervalCoverage share of origins whose actual total fell inside the forecast interval;
 *     compare with the level. Adjacent origins share most of their days, so this is a rough figure
 * @param level the interval's nominal level
 * @param perOrigin each origin's forecast and outcome, oldest first (what the figures above
 *     summarize; {@link CountForecasts#sumOf} adds several forecasts' up by date); empty for a
 *     pooled backtest
 */
public record ForecastBacktest(
    String model,
    int origins,
    int horizonDays,
    double meanAbsoluteError,
    double seasonalNaiveMeanAbsoluteError,
    @Nullable Double meanAbsoluteScaledError,
    double meanIntervalScore,
    double intervalCoverage,
    double level,
    List<Origin> perOrigin) {

  /** Copies the list. */
  public ForecastBacktest {
    perOrigin = List.copyOf(perOrigin);
  }

  /** A backtest without its per-origin detail. */
  public ForecastBacktest(
      String model,
      int origins,
      int horizonDays,
      double meanAbsoluteError,
      double seasonalNaiveMeanAbsoluteError,
      @Nullable Double meanAbsoluteScaledError,
      double meanIntervalScore,
      double intervalCoverage,
      double level) {
    this(
        model,
        origins,
        horizonDays,
        meanAbsoluteError,
        seasonalNaiveMeanAbsoluteError,
        meanAbsoluteScaledError,
        meanIntervalScore,
        intervalCoverage,
        level,
        List.of());
  }

  /**
   * One backtest origin: the forecast of the total of {@code horizonDays} days made from the days
   * before {@code firstDay}, and what happened.
   *
   * @param firstDay the first forecast day, in the series' own calendar
   * @param expected the expected total of the model used at this origin
   * @param variance the variance of its predictive distribution of the total
   * @param actual the observed total (over the observed days of the horizon)
   * @param seasonalNaive the seasonal naive forecast of the same total (repeat the last week)
   */
  public record Origin(
      LocalDate firstDay, double expected, double variance, long actual, long seasonalNaive) {}
}
