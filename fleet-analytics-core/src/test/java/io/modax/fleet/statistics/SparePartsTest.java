package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.InvalidRequestException;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparePartsTest {

  @Test
  void poissonStockIsTheServiceLevelQuantile() {
    // Poisson(2): P(X <= 4) = 0.9473, P(X <= 5) = 0.9834 (summed here from the pmf), so 95% needs 5.
    SpareStock s = SpareParts.stock(2.0, 2.0, 0.95);
    assertThat(s.negativeBinomial()).isFalse();
    assertThat(s.stock()).isEqualTo(5);
    assertThat(s.achievedServiceLevel()).isCloseTo(poissonCdf(2.0, 5), within(1e-12));
    assertThat(poissonCdf(2.0, 4)).isLessThan(0.95);
    assertThat(s.method().name()).startsWith("Poisson");
  }

  @Test
  void overDispersedDemandUsesTheNegativeBinomialAndNeedsMoreStock() {
    // Mean 4, variance 12: size r = 16 / 8 = 2, p = r / (r + mean) = 1/3; CDF summed from the pmf.
    SpareStock nb = SpareParts.stock(4.0, 12.0, 0.95);
    SpareStock poisson = SpareParts.stock(4.0, 4.0, 0.95);
    assertThat(nb.negativeBinomial()).isTrue();
    assertThat(nb.stock()).isGreaterThan(poisson.stock());
    double[] cdf = negativeBinomialCdf(2, 1.0 / 3, 60);
    int expected = 0;
    while (cdf[expected] < 0.95) {
      expected++;
    }
    assertThat(nb.stock()).isEqualTo(expected);
    assertThat(nb.achievedServiceLevel()).isCloseTo(cdf[expected], within(1e-10));
    assertThat(nb.method().name()).contains("Negative binomial");
  }

  @Test
  void historyWithBurstsIsTreatedAsOverDispersed() {
    SplittableRandom r = new SplittableRandom(4);
    int[] steady = new int[120];
    int[] bursty = new int[120];
    for (int d = 0; d < 120; d++) {
      steady[d] = ReliabilityTest.poisson(r, 0.5);
      bursty[d] = d % 20 == 0 ? 8 : ReliabilityTest.poisson(r, 0.1);
    }
    SpareStock a = SpareParts.stockFromHistory(steady, 14, 0.95);
    SpareStock b = SpareParts.stockFromHistory(bursty, 14, 0.95);
    assertThat(a.negativeBinomial()).isFalse();
    assertThat(b.negativeBinomial()).isTrue();
    assertThat(a.achievedServiceLevel()).isGreaterThanOrEqualTo(0.95);
    assertThat(b.achievedServiceLevel()).isGreaterThanOrEqualTo(0.95);
    assertThat(a.expectedDemand()).isCloseTo(14 * mean(steady), within(1e-9));
  }

  @Test
  void stockFromAForecastUsesItsPredictiveMeanAndVariance() {
    int[] y = CountForecastsTest.simulate(new SplittableRandom(1), 200, 1.0, 0, 0);
    CountForecast f = CountForecasts.forecast(y, LocalDate.of(2025, 1, 6), 21);
    SpareStock s = SpareParts.stock(f.expected(), f.variance(), 0.975);
    assertThat((double) s.stock()).isEqualTo(f.interval().upper());
  }

  @Test
  void noUsageMeansNoStockWithACaveat() {
    SpareStock s = SpareParts.stockFromHistory(new int[60], 30, 0.95);
    assertThat(s.stock()).isZero();
    assertThat(s.achievedServiceLevel()).isEqualTo(1.0);
    assertThat(s.method().caveats()).anyMatch(c -> c.startsWith("No usage in 60 days"));
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> SpareParts.stock(-1, 1, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("expectedDemand");
    assertThatThrownBy(() -> SpareParts.stock(1, 1, 1.0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("serviceLevel");
    assertThatThrownBy(() -> SpareParts.stockFromHistory(new int[10], 7, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at least 28");
    assertThatThrownBy(() -> SpareParts.stockFromHistory(new int[30], 0, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("leadTimeDays 0");
  }

  static double poissonCdf(double mean, int k) {
    double p = Math.exp(-mean);
    double cdf = p;
    for (int i = 1; i <= k; i++) {
      p *= mean / i;
      cdf += p;
    }
    return cdf;
  }

  /** CDF of the negative binomial (failures before the r-th success, success probability p). */
  static double[] negativeBinomialCdf(int r, double p, int max) {
    double[] cdf = new double[max + 1];
    double pmf = Math.pow(p, r);
    double sum = pmf;
    cdf[0] = sum;
    for (int k = 1; k <= max; k++) {
      pmf *= (k + r - 1.0) / k * (1 - p);
      sum += pmf;
      cdf[k] = sum;
    }
    return cdf;
  }

  private static double mean(int[] v) {
    double s = 0;
    for (int x : v) {
      s += x;
    }
    return s / v.length;
  }
}
