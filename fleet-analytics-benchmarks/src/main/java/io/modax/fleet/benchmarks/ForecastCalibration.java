package io.modax.fleet.benchmarks;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.statistics.CountForecast;
import io.modax.fleet.statistics.CountForecasts;
import io.modax.fleet.statistics.ForecastOptions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Calibration of {@link CountForecasts} on simulated failure counts: for each scenario (count
 * family, yearly trend, days of history, horizon) it simulates many histories with a weekday rate
 * of 3 and a weekend rate of 0.8 a day, forecasts the next h days as the analytics do (backtest on
 * totals of min(h, history - 34) days) and compares with the simulated future: the coverage of the
 * 95% interval, the bias of the expected total, and the MASE against the seasonal naive forecast
 * (repeat the last week) over the same replications. Prints a Markdown table; never a test.
 *
 * <p>Arguments: {@code --reps N} (default 1000), {@code --threads N} (default 1), {@code --seed S},
 * {@code --only TEXT} (run only scenarios whose label contains it).
 */
public final class ForecastCalibration {

  static final double WEEKDAY_RATE = 3;
  static final double WEEKEND_RATE = 0.8;
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 5); // a Monday

  record Scenario(String family, double alpha, String trendLabel, double yearlyChange, int history) {
    String label() {
      return family + " | " + trendLabel + " | " + history + " d";
    }
  }

  /** Sums over the replications of one scenario and horizon. */
  static final class Tally {
    int reps;
    int refused;
    String refusal = "";
    int covered;
    double expected;
    double actual;
    double absError;
    double naiveAbsError;
    double width;
    int trendChosen;
    int fallback;

    synchronized void add(Tally t) {
      reps += t.reps;
      refused += t.refused;
      if (refusal.isEmpty()) {
        refusal = t.refusal;
      }
      covered += t.covered;
      expected += t.expected;
      actual += t.actual;
      absError += t.absError;
      naiveAbsError += t.naiveAbsError;
      width += t.width;
      trendChosen += t.trendChosen;
      fallback += t.fallback;
    }
  }

  static final int[] HORIZONS = {1, 7, 30};

  public static void main(String[] args) throws Exception {
    int reps = 1000;
    int threads = 1;
    long seed = 20261207L;
    String only = "";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<Scenario> scenarios = new ArrayList<>();
    String[][] families = {{"Poisson", "0"}, {"NB α 0.3", "0.3"}, {"NB α 0.6", "0.6"}};
    String[][] trends = {{"flat", "0"}, {"+50%/yr", "0.5"}, {"-30%/yr", "-0.3"}};
    int[] histories = {28, 35, 90, 365};
    for (int history : histories) {
      for (String[] f : families) {
        for (String[] t : trends) {
          Scenario s =
              new Scenario(
                  f[0], Double.parseDouble(f[1]), t[0], Double.parseDouble(t[1]), history);
          if (s.label().contains(only)) {
            scenarios.add(s);
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Forecast calibration: %d replications per scenario, weekday rate %.1f, weekend rate %.1f,"
            + " 95%% intervals, seed %d%n%n",
        reps,
        WEEKDAY_RATE,
        WEEKEND_RATE,
        seed);
    System.out.println(
        "| family | trend | history | horizon | coverage | bias | MASE | mean width | trend applied |"
            + " naive fallback |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    try {
      for (Scenario s : scenarios) {
        Tally[] tallies = new Tally[HORIZONS.length];
        for (int k = 0; k < tallies.length; k++) {
          tallies[k] = new Tally();
        }
        int chunks = threads * 4;
        List<Future<?>> jobs = new ArrayList<>();
        final int total = reps;
        final long base = seed * 31 + s.label().hashCode();
        for (int c = 0; c < chunks; c++) {
          final int chunk = c;
          jobs.add(
              pool.submit(
                  () -> {
                    Tally[] local = new Tally[HORIZONS.length];
                    for (int k = 0; k < local.length; k++) {
                      local[k] = new Tally();
                    }
                    for (int r = chunk; r < total; r += chunks) {
                      replicate(s, new SplittableRandom(base + r), local);
                    }
                    for (int k = 0; k < local.length; k++) {
                      tallies[k].add(local[k]);
                    }
                  }));
        }
        for (Future<?> j : jobs) {
          j.get();
        }
        for (int k = 0; k < HORIZONS.length; k++) {
          print(s, HORIZONS[k], tallies[k]);
        }
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf(
        Locale.ROOT, "%nran in %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  static void print(Scenario s, int h, Tally t) {
    if (t.reps == 0) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %d d | %d d | refused: %s | | | | | |%n",
          s.family(),
          s.trendLabel(),
          s.history(),
          h,
          t.refusal);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d d | %d d | %.3f | %+.1f%% | %.2f | %.1f | %.1f%% | %.1f%% |%n",
        s.family(),
        s.trendLabel(),
        s.history(),
        h,
        t.covered / (double) t.reps,
        100 * (t.expected - t.actual) / t.actual,
        t.naiveAbsError > 0 ? t.absError / t.naiveAbsError : Double.NaN,
        t.width / t.reps,
        100.0 * t.trendChosen / t.reps,
        100.0 * t.fallback / t.reps);
  }

  /** One simulated history and future; one forecast per horizon. */
  static void replicate(Scenario s, SplittableRandom rnd, Tally[] tallies) {
    int n = s.history();
    int maxH = HORIZONS[HORIZONS.length - 1];
    int[] y = new int[n + maxH];
    double slope = Math.log1p(s.yearlyChange()) / 365.25;
    int shift = rnd.nextInt(7);
    for (int t = 0; t < y.length; t++) {
      int weekday = FIRST_DAY.plusDays(t + shift).getDayOfWeek().getValue();
      double rate = (weekday <= 5 ? WEEKDAY_RATE : WEEKEND_RATE) * Math.exp(slope * (t - n));
      y[t] = s.alpha() > 0 ? negativeBinomial(rnd, rate, s.alpha()) : poisson(rnd, rate);
    }
    int[] history = java.util.Arrays.copyOf(y, n);
    for (int k = 0; k < HORIZONS.length; k++) {
      int h = HORIZONS[k];
      Tally t = tallies[k];
      long actual = 0;
      long naive = 0;
      for (int i = 0; i < h; i++) {
        actual += y[n + i];
        naive += y[n - 7 + (i % 7)];
      }
      CountForecast f;
      try {
        int backtest = Math.min(h, n - 34);
        if (backtest < 1) {
          throw new InvalidRequestException(
              "a history of " + n + " days is too short: at least 35 days are needed");
        }
        f = CountForecasts.forecast(history, null, FIRST_DAY.plusDays(shift), h, backtest, ForecastOptions.defaults());
      } catch (InvalidRequestException e) {
        t.refused++;
        t.refusal = e.getMessage().length() > 80 ? e.getMessage().substring(0, 80) : e.getMessage();
        continue;
      }
      t.reps++;
      t.expected += f.expected();
      t.actual += actual;
      t.absError += Math.abs(actual - f.expected());
      t.naiveAbsError += Math.abs(actual - naive);
      t.width += f.interval().upper() - f.interval().lower();
      if (actual >= f.interval().lower() && actual <= f.interval().upper()) {
        t.covered++;
      }
      String applied =
          f.method().parameters().entrySet().stream()
              .filter(e -> e.getKey().startsWith("trend per year applied"))
              .map(java.util.Map.Entry::getValue)
              .findFirst()
              .orElse("0%");
      if (!applied.equals("0%")) {
        t.trendChosen++;
      }
      if (f.method().name().startsWith("Seasonal naive")) {
        t.fallback++;
      }
    }
  }

  public static int poisson(SplittableRandom rnd, double mean) {
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rnd)));
    }
    double u = rnd.nextDouble();
    double p = Math.exp(-mean);
    double cdf = p;
    int k = 0;
    while (u > cdf && k < 1000) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

  public static int negativeBinomial(SplittableRandom rnd, double mean, double alpha) {
    double shape = 1 / alpha;
    return poisson(rnd, gamma(rnd, shape) * mean / shape);
  }

  /** Marsaglia and Tsang's gamma(shape, 1) sampler. */
  static double gamma(SplittableRandom rnd, double shape) {
    if (shape < 1) {
      return gamma(rnd, shape + 1) * Math.pow(rnd.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = gaussian(rnd);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rnd.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  private ForecastCalibration() {}
}
