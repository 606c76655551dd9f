package io.modax.fleet.statistics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Not a test: a timing harness for the two statistics hot spots, run by hand after {@code
 * ./mvnw -pl fleet-analytics-core test-compile} with {@code java -cp
 * fleet-analytics-core/target/classes:fleet-analytics-core/target/test-classes:<commons-math3 jar>
 * io.modax.fleet.statistics.StatisticsTiming [rounds]}. Prints thread CPU time per round, so a busy
 * machine inflates it less than wall time; the first rounds include JIT warm-up.
 */
public final class StatisticsTiming {

  private StatisticsTiming() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    SplittableRandom r = new SplittableRandom(42);
    // 101 locations, a year of daily failure counts each: a third over-dispersed, a quarter rising
    int[][] series = new int[101][];
    for (int s = 0; s < series.length; s++) {
      double level = 0.2 + 4 * r.nextDouble();
      double logChange = s % 4 == 0 ? Math.log(2) : 0;
      series[s] = CountForecastsTest.simulate(r, 365, level, logChange, s % 3 == 0 ? 0.5 : 0);
    }
    // a location's year against a 100-location reference, as measured and as stored to 0.01
    double[][] location = new double[2][365];
    double[][] reference = new double[2][36_000];
    for (int i = 0; i < 365; i++) {
      location[0][i] = 0.7 + 0.1 * SignificanceTest.gaussian(r);
      location[1][i] = Math.round(location[0][i] * 100) / 100.0;
    }
    for (int i = 0; i < 36_000; i++) {
      reference[0][i] = 0.72 + 0.12 * SignificanceTest.gaussian(r);
      reference[1][i] = Math.round(reference[0][i] * 100) / 100.0;
    }
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    LocalDate first = LocalDate.of(2024, 1, 1);
    for (int round = 0; round < rounds; round++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      double check = 0;
      for (int[] y : series) {
        ForecastOptions options = ForecastOptions.defaults();
        check += CountForecasts.forecast(y, null, first, 30, 30, options).expected();
      }
      long t1 = cpu.getCurrentThreadCpuTime();
      for (int v = 0; v < 2; v++) {
        check += Significance.mannWhitney(location[v], reference[v], 0.95).estimate();
      }
      long t2 = cpu.getCurrentThreadCpuTime();
      System.out.printf(
          "round %d: 101 forecasts %.0f ms, 2 Mann-Whitney (365 vs 36,000) %.1f ms  [%.6f]%n",
          round, (t1 - t0) / 1e6, (t2 - t1) / 1e6, check);
    }
  }
}
