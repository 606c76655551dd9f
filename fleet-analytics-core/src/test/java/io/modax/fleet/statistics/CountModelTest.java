package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class CountModelTest {

  @Test
  void dispersionPValueIsTheChiSquareUpperTailOfThePearsonStatistic() {
    SplittableRandom r = new SplittableRandom(101);
    for (double nbAlpha : new double[] {0, 0.05, 0.3}) {
      int[] y = CountForecastsTest.simulate(r, 140, 3.0, 0, nbAlpha);
      CountModel m = CountModel.fit(y, null, 0, y.length, 0, false);
      // Every weekday has events here, so df = rows - 7 weekday levels.
      int df = y.length - 7;
      double pearson = m.pearsonDispersion * df;
      double expected = 1 - new ChiSquaredDistribution(df).cumulativeProbability(pearson);
      assertThat(m.dispersionPValue).isCloseTo(expected, within(1e-12));
    }
    // Strong over-dispersion: the tail is far below 1e-16, where 1 - cdf would round to 0.
    int[] wild = CountForecastsTest.simulate(r, 364, 2.5, 0, 0.5);
    CountModel m = CountModel.fit(wild, null, 0, wild.length, 0, false);
    assertThat(m.negativeBinomial).isTrue();
    assertThat(m.dispersionPValue).isGreaterThan(0).isLessThan(1e-16);
  }
}
