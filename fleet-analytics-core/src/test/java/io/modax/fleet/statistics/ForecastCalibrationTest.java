package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
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

  @Test
  void thirtyDayForecastsFollowATrendTooWeakToTestOnNinetyDays() {
    // Poisson counts (weekday rate 3, weekend 0.8 at the end of the history) rising 50% or falling
    // 30% a year: on 90 days such a trend is not significant (z about 0.4), and a level fitted to
    // 13 weeks lags it by about 60 days. The bias (Σ expected − Σ actual) / Σ actual of the 30-day
    // totals was −4.2% and +4.5% with that level (the harness, 1,000 series); the forecast's level
    // must now be the current one: |bias| ≤ 4% each, and the two biases within 7 points of each
    // other (they were 8.7 apart).
    double[] bias = new double[2];
    double[] yearly = {0.5, -0.3};
    for (int k = 0; k < 2; k++) {
      SplittableRandom r = new SplittableRandom(61 + k);
      double slope = Math.log1p(yearly[k]) / 365.25;
      double expected = 0;
      double actual = 0;
      int covered = 0;
      int reps = 500;
      for (int rep = 0; rep < reps; rep++) {
        int[] y = new int[120];
        for (int t = 0; t < y.length; t++) {
          y[t] = ReliabilityTest.poisson(r, (t % 7 < 5 ? 3 : 0.8) * Math.exp(slope * (t - 90)));
        }
        CountForecast f = CountForecasts.forecast(Arrays.copyOf(y, 90), MONDAY, 30);
        int total = Arrays.stream(y, 90, 120).sum();
        expected += f.expected();
        actual += total;
        covered += f.interval().contains(total) ? 1 : 0;
      }
      bias[k] = (expected - actual) / actual;
      System.out.printf("Poisson %+.0f%%/yr, 90 days, 30-day totals: bias %+.1f%%, coverage %d/%d%n",
          100 * yearly[k], 100 * bias[k], covered, reps);
      assertThat(covered / (double) reps).isGreaterThanOrEqualTo(0.92);
    }
    assertThat(Math.abs(bias[0])).isLessThanOrEqualTo(0.04);
    assertThat(Math.abs(bias[1])).isLessThanOrEqualTo(0.04);
    assertThat(bias[1] - bias[0]).isLessThanOrEqualTo(0.07);
  }

  @Test
  void theSeasonalNaiveIntervalCarriesTheOverDispersionOfBusyDays() {
    // Flat negative binomial counts (α 0.6, weekday rate 3, weekend 0.8), 90 days: the variance
    // the seasonal naive forecast gives its last 30-day backtest total, against the true variance
    // of (actual − repeated week), Σ_d (k_d + k_d²)(μ_d + α μ_d²) for weekday d repeated k_d
    // times. One dispersion factor X²/df for all weekdays (the code before) gave 0.82 of it: the
    // busy days, repeated and squared, carry more over-dispersion than the average day.
    double alpha = 0.6;
    SplittableRandom r = new SplittableRandom(73);
    double predicted = 0;
    double truth = 0;
    for (int k = 0; k < 200; k++) {
      int[] y = new int[90];
      for (int t = 0; t < 90; t++) {
        double mu = (t % 7 < 5 ? 3 : 0.8) * CountForecastsTest.gamma(r, 1 / alpha) * alpha;
        y[t] = ReliabilityTest.poisson(r, mu);
      }
      CountForecast f = CountForecasts.forecast(y, MONDAY, 30);
      List<ForecastBacktest.Origin> origins =
          f.candidates().get(CountForecasts.Candidate.NAIVE.ordinal()).perOrigin();
      ForecastBacktest.Origin last = origins.get(origins.size() - 1);
      predicted += last.variance();
      int origin = (int) ChronoUnit.DAYS.between(MONDAY, last.firstDay());
      for (int i = 0; i < 7; i++) {
        int repeats = (30 - i + 6) / 7;
        double mu = (origin + i) % 7 < 5 ? 3 : 0.8;
        truth += (repeats + (double) repeats * repeats) * (mu + alpha * mu * mu);
      }
    }
    System.out.printf("Seasonal naive, NB(α 0.6): predicted / true variance %.3f%n", predicted / truth);
    assertThat(predicted / truth).isBetween(0.88, 1.12);
  }
}
