package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;

/**
 * Settings of a count forecast; {@link #defaults()} suits daily failure counts.
 *
 * @param level the prediction interval's level in [0.5, 1); default {@value #DEFAULT_LEVEL}
 * @param backtestOrigins how many rolling origins (one per day, the most recent ones) the backtest
 *     uses at most, from {@value #MIN_BACKTEST_ORIGINS} to {@value #MAX_BACKTEST_ORIGINS}; default
 *     {@value #DEFAULT_BACKTEST_ORIGINS} (the last four weeks)
 */
public record ForecastOptions(double level, int backtestOrigins) {

  /** Default interval level: 0.95. */
  public static final double DEFAULT_LEVEL = 0.95;

  /** Default number of backtest origins: 28. */
  public static final int DEFAULT_BACKTEST_ORIGINS = 28;

  /** Fewest backtest origins: 7. */
  public static final int MIN_BACKTEST_ORIGINS = 7;

  /** Most backtest origins: 366. */
  public static final int MAX_BACKTEST_ORIGINS = 366;

  /**
   * Checks the settings.
   *
   * @throws InvalidRequestException for a level outside [0.5, 1) or origins out of range
   */
  public ForecastOptions {
    Inputs.level("level", level);
    if (backtestOrigins < MIN_BACKTEST_ORIGINS || backtestOrigins > MAX_BACKTEST_ORIGINS) {
      throw new InvalidRequestException(
          "backtestOrigins "
              + backtestOrigins
              + " is outside ["
              + MIN_BACKTEST_ORIGINS
              + ", "
              + MAX_BACKTEST_ORIGINS
              + "]");
    }
  }

  /** Level 0.95, 28 backtest origins. */
  public static ForecastOptions defaults() {
    return new ForecastOptions(DEFAULT_LEVEL, DEFAULT_BACKTEST_ORIGINS);
  }
}
