package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a manager acts on (issue 16): intervals that cover what they claim, no runaway trend, and no
 * forecast worse than repeating the last week in its own backtest. The full calibration table is
 * the benchmarks module's {@code ForecastCalibration}; these are its sharpest cases.
 */
class ForecastCalibrationTest {

  static final LocalDate MONDAY = CountForecastsTest.MONDAY;

  @Test
  void noForecastIsWorseThanTheSeasonalNaiveInItsOwnBacktest() {
    SplittableRandom r = new SplittableRandom(41);
    int checked = 0;
    for (int s = 0; s < 24; s++) {
      // flat, steeply rising (fourfold over the history, as the sample fleet's plant C), and
      // over-dispersed series, forecast 7 and 30 days ahead
      double logChange = s % 3 == 1 ? Math.log(4) : 0;
      double alpha = s % 3 == 2 ? 0.5 : 0;
      int[] y = CountForecastsTest.simulate(r, 90, 2.0, logChange, alpha);
      for (int h : new int[] {7, 30}) {
        CountForecast f = CountForecasts.forecast(y, MONDAY, h);
        Double mase = f.backtest().meanAbsoluteScaledError();
        if (mase != null) {
          checked++;
          assertThat(mase).as("series %d, %d days: %s", s, h, f.method().name()).isLessThanOrEqualTo(1 + 1e-9);
        }
      }
    }
    assertThat(checked).isGreaterThan(40);
  }

  @Test
  void noForecastAppliesMoreThanTheLargestYearlyTrend() {
    SplittableRandom r = new SplittableRandom(43);
    double weekly = Math.pow(2, 7 / 365.25); // at most doubling in a year
    for (int s = 0; s < 12; s++) {
      // tenfold in 90 days: a fitted trend of thousands of percent a year
      int[] y = CountForecastsTest.simulate(r, 90, 0.5, Math.log(10), 0);
      CountForecast f = CountForecasts.forecast(y, MONDAY, 30);
      // week on week (the same weekdays), over the horizon's whole weeks
      for (int w = 0; w + 14 <= f.dailyExpected().size(); w += 7) {
        double week = f.dailyExpected().subList(w, w + 7).stream().mapToDouble(d -> d).sum();
        double next = f.dailyExpected().subList(w + 7, w + 14).stream().mapToDouble(d -> d).sum();
        assertThat(next / week)
            .as("series %d week %d: %s", s, w / 7, f.method().describe())
            .isLessThanOrEqualTo(weekly * (1 + 1e-9));
      }
    }
  }

  @Test
  void thirtyDayIntervalsOnFlatOverDispersedSeriesCoverTheirLevel() {
    // 90 days of negative binomial counts (α 0.3, weekday rate 3, weekend 0.8) and the next 30:
    // the 95% interval must cover at least 93% of the totals. The Cameron–Trivedi estimator
    // without a degrees-of-freedom correction and the choice by backtest error covered about 91%.
    SplittableRandom r = new SplittableRandom(47);
    int reps = 400;
    int covered = 0;
    for (int k = 0; k < reps; k++) {
      int[] y = new int[120];
      for (int t = 0; t < y.length; t++) {
        double mu = (t % 7 < 5 ? 3 : 0.8) * CountForecastsTest.gamma(r, 1 / 0.3) * 0.3;
        y[t] = ReliabilityTest.poisson(r, mu);
      }
      CountForecast f = CountForecasts.forecast(Arrays.copyOf(y, 90), MONDAY, 30);
      covered += f.interval().contains(Arrays.stream(y, 90, 120).sum()) ? 1 : 0;
    }
    System.out.printf("Flat NB(α 0.3), 90 days, 30-day totals: coverage %d/%d%n", covered, reps);
    assertThat(covered / (double) reps).isBetween(0.93, 0.985);
  }
}
