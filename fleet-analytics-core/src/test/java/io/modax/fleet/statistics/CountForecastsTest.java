package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.InvalidRequestException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountForecastsTest {

  // Monday first: weekdays busy, Saturday light, Sunday nearly closed (shifts and weekends).
  static final double[] WEEKLY = {1.3, 1.2, 1.2, 1.1, 1.0, 0.4, 0.1};
  static final LocalDate MONDAY = LocalDate.of(2025, 1, 6);

  @Test
  void backtestCoverageOfTheNinetyFivePercentIntervalIsNominalOnSeasonalPoissonAndNbSeries() {
    SplittableRandom r = new SplittableRandom(17);
    for (double nbAlpha : new double[] {0, 0.4}) {
      double coverage = 0;
      double outOfSample = 0;
      int series = 24;
      int negativeBinomial = 0;
      int naive = 0;
      for (int s = 0; s < series; s++) {
        int[] y = simulate(r, 280 + 7, 2.5, 0, nbAlpha);
        int[] history = Arrays.copyOf(y, 280);
        CountForecast f = CountForecasts.forecast(history, MONDAY, 7);
        coverage += f.backtest().intervalCoverage();
        int actual = Arrays.stream(y, 280, 287).sum();
        outOfSample += f.interval().contains(actual) ? 1 : 0;
        // The seasonal naive fallback names no family: count it as Poisson (against the test)
        negativeBinomial += f.method().name().startsWith("negative binomial") ? 1 : 0;
        naive += f.method().name().startsWith("Seasonal naive") ? 1 : 0;
        assertThat(f.interval().lower()).isGreaterThanOrEqualTo(0);
      }
      coverage /= series;
      System.out.printf(
          "Forecast simulation (%s): mean backtest coverage of the 95%% interval %.3f, out of"
              + " sample %d/%d, negative binomial chosen %d/%d%n",
          nbAlpha == 0 ? "Poisson" : "NB alpha " + nbAlpha,
          coverage,
          (int) outOfSample,
          series,
          negativeBinomial,
          series);
      assertThat(coverage).isBetween(0.90, 0.98);
      if (nbAlpha > 0) {
        assertThat(negativeBinomial).isGreaterThan((series - naive) * 3 / 4);
      } else {
        assertThat(negativeBinomial).isLessThan(series / 4);
      }
    }
  }

  @Test
  void aStrongTrendIsFollowedAndAFlatSeriesMostlyGetsNoTrend() {
    SplittableRandom r = new SplittableRandom(23);
    int adapted = 0;
    int trendModel = 0;
    int flatChosen = 0;
    for (int s = 0; s < 6; s++) {
      int[] rising = simulate(r, 365, 1.0, Math.log(4), 0); // x4 over a year
      int[] flat = simulate(r, 365, 2.0, 0, 0);
      CountForecast fr = CountForecasts.forecast(rising, MONDAY, 14);
      CountForecast ff = CountForecasts.forecast(flat, MONDAY, 14);
      // The full-history weekday model lags a rising series; the trend or the recent-window
      // model should win, and the forecast should be near the current (highest) level.
      adapted += fr.backtest().model().equals("weekday levels") ? 0 : 1;
      trendModel += fr.backtest().model().contains("trend") ? 1 : 0;
      double currentWeek = 4.0 * Arrays.stream(WEEKLY).sum() * 2;
      assertThat(fr.expected()).isCloseTo(currentWeek, within(currentWeek * 0.3));
      // A flat series gets no trend extrapolated, and its forecast stays near its level.
      String applied = ff.method().parameters().entrySet().stream()
          .filter(e -> e.getKey().startsWith("trend per year applied"))
          .map(java.util.Map.Entry::getValue).findFirst().orElse("0%");
      flatChosen += applied.equals("0%") ? 1 : 0;
      double flatWeeks = 2.0 * Arrays.stream(WEEKLY).sum() * 2;
      assertThat(ff.expected()).isCloseTo(flatWeeks, within(flatWeeks * 0.3));
      assertThat(fr.candidates()).hasSize(4); // three models and the seasonal naive fallback
    }
    System.out.printf(
        "Model choice: rising series adapted %d/6 (trend model %d/6), flat series without an"
            + " extrapolated trend %d/6%n",
        adapted, trendModel, flatChosen);
    assertThat(adapted).isGreaterThanOrEqualTo(5);
    assertThat(flatChosen).isGreaterThanOrEqualTo(4);
  }

  @Test
  void weekdayPatternIsRecoveredAndDailyExpectationsFollowIt() {
    int[] y = simulate(new SplittableRandom(3), 364, 4.0, 0, 0);
    CountForecast f = CountForecasts.forecast(y, MONDAY, 7);
    // History starts on a Monday and has 52 whole weeks, so the forecast starts on a Monday.
    assertThat(f.firstDay().getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
    // The levels come from the last 13 weeks: a Monday's level has a standard error of about
    // sqrt(5.2 / 13) = 0.63, so allow two of them.
    assertThat(f.dailyExpected().get(0)).isCloseTo(4.0 * 1.3, within(1.3));
    assertThat(f.dailyExpected().get(6)).isCloseTo(4.0 * 0.1, within(0.2));
    assertThat(f.expected()).isCloseTo(4.0 * Arrays.stream(WEEKLY).sum(), within(2.0));
    assertThat(f.method().parameters().keySet()).anyMatch(k -> k.startsWith("expected per Monday"));
    assertThat(f.method().assumptions()).isNotEmpty();
    assertThat(f.method().caveats()).isNotEmpty();
    assertThat(f.backtest().meanAbsoluteScaledError()).isNotNull().isLessThan(1.0);
  }

  @Test
  void rareEventsGiveIntervalsThatStartAtZeroAndAnEmptyHistoryIsNotCertainZero() {
    int[] rare = new int[120];
    rare[10] = 1;
    rare[70] = 1;
    rare[100] = 1;
    CountForecast f = CountForecasts.forecast(rare, MONDAY, 30);
    assertThat(f.interval().lower()).isEqualTo(0);
    assertThat(f.expected()).isBetween(0.2, 2.5);
    assertThat(f.interval().upper()).isGreaterThanOrEqualTo(1);
    int[] none = new int[120];
    CountForecast z = CountForecasts.forecast(none, MONDAY, 30);
    // Jeffreys predictive over the trend model's window (the whole 120 days here)
    assertThat(z.expected()).isCloseTo(0.5 * 30 / 120, within(1e-12));
    assertThat(z.interval().lower()).isEqualTo(0);
    assertThat(z.method().name()).startsWith("No events");
  }

  @Test
  void tooShortHistoriesAndBadHorizonsAreRefusedWithClearMessages() {
    assertThatThrownBy(() -> CountForecasts.forecast(new int[60], MONDAY, 30))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("history of 60 days is too short for a 30-day forecast")
        .hasMessageContaining("at least 64 days");
    assertThatThrownBy(() -> CountForecasts.forecast(new int[500], MONDAY, 0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("horizonDays 0 is outside the allowed range [1, 365]");
    assertThatThrownBy(() -> CountForecasts.forecast(new int[500], MONDAY, 366))
        .isInstanceOf(InvalidRequestException.class);
    int[] negative = new int[100];
    negative[5] = -1;
    assertThatThrownBy(() -> CountForecasts.forecast(negative, MONDAY, 7))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("dailyCounts[5] is -1");
  }

  @Test
  void ninetyDaysOfHistorySupportAThirtyDayForecast() {
    int[] y = simulate(new SplittableRandom(8), 90, 1.5, 0, 0);
    CountForecast f = CountForecasts.forecast(y, MONDAY, 30);
    assertThat(f.backtest().origins()).isEqualTo(28);
    assertThat(f.horizonDays()).isEqualTo(30);
    assertThat(f.dailyExpected()).hasSize(30);
    assertThat(f.interval().contains(f.expected())).isTrue();
  }

  @Test
  void unobservedDaysAreLeftOutNotCountedAsZeros() {
    int[] y = simulate(new SplittableRandom(41), 120, 3, 0, 0);
    CountForecast clean = CountForecasts.forecast(y, MONDAY, 14);
    // a week of outage: the counts there are unknown (here: zeros, and once garbage)
    boolean[] observed = new boolean[y.length];
    Arrays.fill(observed, true);
    int[] zeros = y.clone();
    int[] garbage = y.clone();
    for (int t = 60; t < 67; t++) {
      observed[t] = false;
      zeros[t] = 0;
      garbage[t] = 1000;
    }
    CountForecast gaps = CountForecasts.forecast(zeros, observed, MONDAY, 14, 14, ForecastOptions.defaults());
    CountForecast ignored = CountForecasts.forecast(garbage, observed, MONDAY, 14, 14, ForecastOptions.defaults());
    assertThat(ignored.expected()).isEqualTo(gaps.expected());
    assertThat(ignored.interval()).isEqualTo(gaps.interval());
    assertThat(gaps.expected()).isCloseTo(clean.expected(), within(0.1 * clean.expected()));
    assertThat(gaps.method().parameters()).containsEntry("unobserved days (left out)", "7");
    assertThat(gaps.method().caveats()).anyMatch(c -> c.contains("7 days without data"));
    // counted as zeros instead, the same week would pull the level down
    CountForecast asZeros = CountForecasts.forecast(zeros, MONDAY, 14);
    assertThat(asZeros.backtest().meanAbsoluteError()).isNotEqualTo(gaps.backtest().meanAbsoluteError());
    // recent origins whose next days were all unobserved are skipped, not scored
    boolean[] lastWeekMissing = new boolean[y.length];
    Arrays.fill(lastWeekMissing, true);
    for (int t = y.length - 7; t < y.length; t++) {
      lastWeekMissing[t] = false;
    }
    CountForecast skipped = CountForecasts.forecast(y, lastWeekMissing, MONDAY, 7, 7, ForecastOptions.defaults());
    assertThat(skipped.backtest().origins()).isEqualTo(28 - 7 + 6);
    boolean[] mostlyMissing = new boolean[y.length];
    Arrays.fill(mostlyMissing, 0, 20, true);
    assertThatThrownBy(() -> CountForecasts.forecast(y, mostlyMissing, MONDAY, 7, 7, ForecastOptions.defaults()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("only 20 of 120 days were observed");
  }

  @Test
  void aHorizonLongerThanTheHistoryCanCheckIsCheckedOnShorterTotalsAndSaysSo() {
    int[] y = simulate(new SplittableRandom(43), 65, 2, 0, 0);
    assertThatThrownBy(() -> CountForecasts.forecast(y, MONDAY, 365))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("too short for a 365-day forecast");
    CountForecast f = CountForecasts.forecast(y, null, MONDAY, 365, 31, ForecastOptions.defaults());
    assertThat(f.horizonDays()).isEqualTo(365);
    assertThat(f.dailyExpected()).hasSize(365);
    assertThat(f.backtest().horizonDays()).isEqualTo(31);
    assertThat(f.backtest().origins()).isEqualTo(65 - 28 - 31 + 1);
    assertThat(f.method().caveats()).anyMatch(c -> c.contains("365-day interval is unchecked"));
    assertThat(f.interval().lower()).isGreaterThanOrEqualTo(0);
    assertThatThrownBy(() -> CountForecasts.forecast(y, null, MONDAY, 365, 32, ForecastOptions.defaults()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("checked on 32-day totals")
        .hasMessageContaining("at least 66 days");
    assertThatThrownBy(() -> CountForecasts.forecast(y, null, MONDAY, 7, 8, ForecastOptions.defaults()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("backtestHorizonDays 8 is outside the allowed range [1, horizonDays 7]");
    assertThatThrownBy(() -> CountForecasts.forecast(y, new boolean[3], MONDAY, 7, 7, ForecastOptions.defaults()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("observed has 3 flags for 65 days");
  }

  @Test
  void backtestsPoolAcrossLocationsWeightedByOrigins() {
    SplittableRandom r = new SplittableRandom(12);
    CountForecast a = CountForecasts.forecast(simulate(r, 120, 2, 0, 0), MONDAY, 7);
    CountForecast b = CountForecasts.forecast(simulate(r, 60, 2, 0, 0), MONDAY, 7);
    ForecastBacktest pooled = CountForecasts.pooledBacktest(java.util.List.of(a, b));
    assertThat(pooled.origins()).isEqualTo(a.backtest().origins() + b.backtest().origins());
    assertThat(b.backtest().origins()).isEqualTo(60 - 28 - 7 + 1);
    double coverage =
        (a.backtest().intervalCoverage() * a.backtest().origins()
                + b.backtest().intervalCoverage() * b.backtest().origins())
            / pooled.origins();
    assertThat(pooled.intervalCoverage()).isCloseTo(coverage, within(1e-12));
    CountForecast other = CountForecasts.forecast(simulate(r, 120, 2, 0, 0), MONDAY, 14);
    assertThatThrownBy(() -> CountForecasts.pooledBacktest(java.util.List.of(a, other)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("one horizon");
  }

  @Test
  void aWeekdayWithoutEventsDoesNotMakeCountsLookUnderDispersed() {
    // Poisson counts Monday to Friday, plant closed at weekends: the Pearson dispersion must be
    // near 1, not 5/7, because the closed days carry no information about dispersion.
    SplittableRandom r = new SplittableRandom(31);
    int[] y = new int[364];
    for (int t = 0; t < y.length; t++) {
      y[t] = t % 7 >= 5 ? 0 : ReliabilityTest.poisson(r, 3.0);
    }
    CountForecast f = CountForecasts.forecast(y, MONDAY, 7);
    double dispersion = Double.parseDouble(f.method().parameters().get("Pearson dispersion (X²/df)"));
    assertThat(dispersion).isBetween(0.85, 1.15);
    // 13 closed Saturdays (the levels' window) against the prior: a small rate, not zero.
    assertThat(f.dailyExpected().get(5)).isLessThan(0.1);
  }

  /**
   * Daily counts with the weekly pattern, a log-linear trend (total log change over the series)
   * and, when {@code nbAlpha > 0}, gamma-distributed daily rates (negative binomial counts with
   * variance μ + α μ²).
   */
  @Test
  void aSumOfForecastsIsTheSumOfItsPartsAndItsBacktestChecksTheSum() {
    // Fleets of three locations (different rates, one over-dispersed, one starting a day later in
    // its own calendar), 90 days of history and the next 30.
    SplittableRandom r = new SplittableRandom(83);
    int fleets = 40;
    int coveredOutOfSample = 0;
    int backtestOrigins = 0;
    int backtestCovered = 0;
    for (int k = 0; k < fleets; k++) {
      int[][] y = {simulate(r, 120, 2.0, 0, 0), simulate(r, 120, 4.0, Math.log(1.5), 0.3),
          simulate(r, 120, 1.0, 0, 0)};
      LocalDate[] first = {MONDAY, MONDAY, MONDAY.plusDays(1)};
      java.util.List<CountForecast> parts = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // the third location's history starts a day later and ends a day later (its calendar)
        parts.add(CountForecasts.forecast(Arrays.copyOf(y[i], 90), first[i], 30));
      }
      CountForecast sum = CountForecasts.sumOf(parts);
      assertThat(sum.expected()).isCloseTo(parts.stream().mapToDouble(CountForecast::expected).sum(),
          within(1e-9));
      assertThat(sum.variance()).isCloseTo(parts.stream().mapToDouble(CountForecast::variance).sum(),
          within(1e-9));
      assertThat(sum.firstDay()).isEqualTo(MONDAY.plusDays(90));
      for (int d = 0; d < 30; d++) {
        int day = d;
        assertThat(sum.dailyExpected().get(d)).isCloseTo(
            parts.stream().mapToDouble(p -> p.dailyExpected().get(day)).sum(), within(1e-9));
      }
      assertThat(sum.interval().lower()).isLessThanOrEqualTo((long) sum.expected());
      assertThat(sum.interval().upper()).isGreaterThanOrEqualTo((long) Math.ceil(sum.expected()));
      // Its backtest: the dates every part has an origin for; the actual total recomputed here
      // from the simulated days (each part's origin date minus its own first day).
      ForecastBacktest b = sum.backtest();
      assertThat(b.origins()).isEqualTo(b.perOrigin().size()).isGreaterThan(20);
      for (ForecastBacktest.Origin o : b.perOrigin()) {
        long actual = 0;
        double expected = 0;
        for (int i = 0; i < 3; i++) {
          int start = (int) java.time.temporal.ChronoUnit.DAYS.between(first[i], o.firstDay());
          actual += Arrays.stream(y[i], start, start + 30).sum();
          expected += parts.get(i).backtest().perOrigin().stream()
              .filter(p -> p.firstDay().equals(o.firstDay())).findFirst().orElseThrow().expected();
        }
        assertThat(o.actual()).isEqualTo(actual);
        assertThat(o.expected()).isCloseTo(expected, within(1e-9));
      }
      backtestOrigins += b.origins();
      backtestCovered += (int) Math.round(b.intervalCoverage() * b.origins());
      long future = 0;
      for (int i = 0; i < 3; i++) {
        future += Arrays.stream(y[i], 90, 120).sum(); // each location's next 30 of its own days
      }
      coveredOutOfSample += sum.interval().contains(future) ? 1 : 0;
    }
    double backtestCoverage = backtestCovered / (double) backtestOrigins;
    System.out.printf("Sum of 3 forecasts: backtest coverage %.3f over %d origins, out of sample %d/%d%n",
        backtestCoverage, backtestOrigins, coveredOutOfSample, fleets);
    assertThat(backtestCoverage).isBetween(0.88, 0.99);
    assertThat(coveredOutOfSample).isGreaterThanOrEqualTo(35);
    assertThatThrownBy(() -> CountForecasts.sumOf(java.util.List.of()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at least one");
  }

  static int[] simulate(SplittableRandom r, int days, double base, double logChange, double nbAlpha) {
    int[] y = new int[days];
    for (int t = 0; t < days; t++) {
      double mu = base * WEEKLY[t % 7] * Math.exp(logChange * t / days);
      if (nbAlpha > 0) {
        mu *= gamma(r, 1 / nbAlpha) * nbAlpha;
      }
      y[t] = ReliabilityTest.poisson(r, mu);
    }
    return y;
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang (shape >= 1 here). */
  static double gamma(SplittableRandom r, double shape) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = SignificanceTest.gaussian(r);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = r.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  @Test
  void theLongestPrefixIsItsOwnForecastAndPrefixesEndingAtItsOriginsAgreeToRounding() {
    // As the spare parts use it: the whole history first, then the 28 past origins of the stock
    // backtest. The whole history's forecast is made as on its own (equal, bit for bit); each
    // shorter prefix ends at one of its backtest origins and takes the fits made there, whose
    // trend fits started from the neighbouring origin instead of the prior: the same optimum.
    SplittableRandom r = new SplittableRandom(29);
    for (int s = 0; s < 6; s++) {
      int n = 200 + 60 * s;
      int h = s % 2 == 0 ? 30 : 14;
      int[] y = simulate(r, n, 2 + 20 * s, s % 3 == 0 ? Math.log(1.5) : 0, s % 2 == 0 ? 0.3 : 0);
      int[] lengths = new int[29];
      int[] backtests = new int[29];
      lengths[0] = n;
      for (int j = 1; j < lengths.length; j++) {
        lengths[j] = n - h - (j - 1);
      }
      Arrays.fill(backtests, h);
      java.util.List<CountForecast> shared =
          CountForecasts.forecastPrefixes(y, MONDAY, h, lengths, backtests, ForecastOptions.defaults());
      assertThat(shared.get(0)).isEqualTo(CountForecasts.forecast(y, MONDAY, h, ForecastOptions.defaults()));
      for (int j = 1; j < lengths.length; j++) {
        CountForecast alone =
            CountForecasts.forecast(Arrays.copyOf(y, lengths[j]), MONDAY, h, ForecastOptions.defaults());
        CountForecast f = shared.get(j);
        assertThat(f.interval()).isEqualTo(alone.interval());
        assertThat(f.method().name()).isEqualTo(alone.method().name());
        assertThat(f.expected()).isCloseTo(alone.expected(), within(1e-12 * alone.expected()));
        assertThat(f.variance()).isCloseTo(alone.variance(), within(1e-12 * alone.variance()));
        for (int d = 0; d < h; d++) {
          assertThat(f.dailyExpected().get(d))
              .isCloseTo(alone.dailyExpected().get(d), within(1e-12 * alone.dailyExpected().get(d)));
        }
      }
    }
  }

  @Test
  void forecastsFromPrefixesAgreeWithSeparateForecastsOfEachPrefix() {
    // Shared backtest fits start the trend fits from another origin's: the same optimum, so every
    // figure agrees with a forecast of the prefix alone to the fits' convergence, integers exactly.
    SplittableRandom r = new SplittableRandom(23);
    for (int s = 0; s < 6; s++) {
      int n = 150 + 40 * s;
      int h = s % 2 == 0 ? 30 : 7;
      int[] y = simulate(r, n, 0.5 + 3 * s, s % 3 == 0 ? Math.log(2) : 0, s % 2 == 0 ? 0.5 : 0);
      int[] lengths = new int[28];
      int[] backtests = new int[28];
      for (int j = 0; j < lengths.length; j++) {
        lengths[j] = n - h - (j * 5) % 28; // not in order, some twice
        backtests[j] = h;
      }
      java.util.List<CountForecast> shared =
          CountForecasts.forecastPrefixes(y, MONDAY, h, lengths, backtests, ForecastOptions.defaults());
      for (int j = 0; j < lengths.length; j++) {
        CountForecast alone =
            CountForecasts.forecast(Arrays.copyOf(y, lengths[j]), MONDAY, h, ForecastOptions.defaults());
        CountForecast f = shared.get(j);
        assertThat(f.interval()).isEqualTo(alone.interval());
        assertThat(f.expected()).isCloseTo(alone.expected(), within(1e-9 * alone.expected()));
        assertThat(f.variance()).isCloseTo(alone.variance(), within(1e-9 * alone.variance()));
        assertThat(f.method().name()).isEqualTo(alone.method().name());
        ForecastBacktest a = alone.backtest();
        ForecastBacktest b = f.backtest();
        assertThat(b.origins()).isEqualTo(a.origins());
        assertThat(b.intervalCoverage()).isEqualTo(a.intervalCoverage());
        assertThat(b.meanAbsoluteError())
            .isCloseTo(a.meanAbsoluteError(), within(1e-9 * (1 + a.meanAbsoluteError())));
        assertThat(b.meanIntervalScore())
            .isCloseTo(a.meanIntervalScore(), within(1e-9 * (1 + a.meanIntervalScore())));
        for (int c = 0; c < alone.candidates().size(); c++) {
          assertThat(f.candidates().get(c).intervalCoverage())
              .isEqualTo(alone.candidates().get(c).intervalCoverage());
          assertThat(f.candidates().get(c).meanAbsoluteError())
              .isCloseTo(
                  alone.candidates().get(c).meanAbsoluteError(),
                  within(1e-9 * (1 + alone.candidates().get(c).meanAbsoluteError())));
        }
      }
    }
    assertThatThrownBy(
            () ->
                CountForecasts.forecastPrefixes(
                    new int[40], MONDAY, 1, new int[] {41}, new int[] {1}, ForecastOptions.defaults()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("prefix length 41");
  }
}
