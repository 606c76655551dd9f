package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Quantiles and CDFs of the one count distribution the forecasts and spare parts use, against
 * reference values from scipy.stats 1.17 ({@code poisson}, {@code nbinom}).
 */
class CountDistributionTest {

  static final double[] Q = {0.025, 0.5, 0.95, 0.975};

  @Test
  void poissonWhenTheVarianceDoesNotExceedTheMean() {
    check(0.3, 0.3, 0, 0, 1, 2);
    check(10, 10, 4, 10, 15, 17);
    check(1500, 1500, 1425, 1500, 1564, 1576);
    // an under-dispersed request is treated as Poisson
    assertThat(CountDistribution.of(10, 4).isPoisson()).isTrue();
    check(10, 4, 4, 10, 15, 17);
  }

  @Test
  void negativeBinomialWhenOverDispersed() {
    // scipy: nbinom(r = m^2 / (v - m), p = m / v)
    check(10, 20, 3, 9, 18, 20);
    check(3, 21, 0, 1, 12, 16);
    check(120, 6000, 18, 104, 269, 312);
    check(4500, 9000, 4315, 4500, 4657, 4687);
    assertThat(CountDistribution.of(10, 20).cdf(5)).isCloseTo(0.15087890625, within(1e-12));
    assertThat(CountDistribution.of(3, 21).cdf(5)).isCloseTo(0.8172832372951498, within(1e-12));
  }

  @Test
  void aZeroMeanIsAlwaysZero() {
    CountDistribution d = CountDistribution.of(0, 0);
    assertThat(d.quantile(0.999)).isZero();
    assertThat(d.cdf(0)).isEqualTo(1.0);
    assertThat(d.cdf(-1)).isZero();
  }

  private static void check(double mean, double variance, long... expected) {
    CountDistribution d = CountDistribution.of(mean, variance);
    for (int i = 0; i < Q.length; i++) {
      assertThat(d.quantile(Q[i])).as("mean %s variance %s q %s", mean, variance, Q[i]).isEqualTo(expected[i]);
      for (int j = i; j < Q.length; j++) {
        assertThat(d.quantiles(Q[i], Q[j])).as("mean %s variance %s q %s %s", mean, variance, Q[i], Q[j])
            .containsExactly(expected[i], expected[j]);
      }
    }
  }

  @Test
  void bothIntervalEndsInOnePassEqualTheBisectedQuantiles() {
    java.util.Random r = new java.util.Random(20261207);
    int compared = 0;
    for (int i = 0; i < 20_000; i++) {
      double mean = Math.exp(r.nextDouble() * Math.log(30_000) - 2); // 0.14 to 4,000 and beyond
      double variance = mean * (r.nextBoolean() ? 1 : 1 + Math.exp(r.nextDouble() * 8 - 4) * mean);
      double p = r.nextDouble() * 0.5;
      double q = 1 - r.nextDouble() * 0.5;
      CountDistribution d = CountDistribution.of(mean, variance);
      long[] both = d.quantiles(p, q);
      for (int e = 0; e < 2; e++) {
        double level = e == 0 ? p : q;
        long bisected = d.quantile(level);
        if (both[e] != bisected) {
          // only where P(X <= k) at the boundary is level itself, up to rounding of the two methods
          long k = Math.min(both[e], bisected);
          assertThat(d.cdf(k)).as("mean %s variance %s level %s", mean, variance, level).isCloseTo(level, within(1e-12));
        } else {
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(39_990);
  }
}
