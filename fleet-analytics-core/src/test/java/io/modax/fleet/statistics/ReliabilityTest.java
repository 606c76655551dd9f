package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.InvalidRequestException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.junit.jupiter.api.Test;

class ReliabilityTest {

  // ReliaSoft, "Crow-AMSAA Model Examples" (Reliability Growth and Repairable System Analysis
  // Reference, failure times model): a prototype tested with design changes during the test,
  // failure terminated at the 22nd failure (620 h). Published: sum ln T_i = 105.6355,
  // β̂ = 0.6142, λ̂ = 0.4239.
  static final double[] RGA_EXAMPLE = {
    2.7, 10.3, 12.5, 30.6, 57.0, 61.3, 80.0, 109.5, 125.0, 128.6, 143.8, 167.9, 229.2, 296.7,
    320.6, 328.2, 366.2, 396.7, 421.1, 438.2, 501.2, 620.0
  };

  // MatthewReid854/reliability, tests/test_Repairable_systems.py (test_ROCOF): 30 times between
  // failures of one system, failure terminated. Published there: Laplace U = 2.4094382960447107,
  // trend "worsening", Beta_hat = 1.5880533880966818, Lambda_hat = 3.702728848984535e-05.
  static final double[] ROCOF_GAPS = {
    104, 131, 1597, 59, 4, 503, 157, 6, 118, 173, 114, 62, 101, 216, 106, 140, 1, 102, 3, 393, 96,
    232, 89, 61, 37, 293, 7, 165, 87, 99
  };

  @Test
  void crowAmsaaMatchesThePublishedReliaSoftExample() {
    PowerLawTrend fit = Reliability.crowAmsaaFailureTruncated(RGA_EXAMPLE, 0.90);
    double sumLog = Arrays.stream(RGA_EXAMPLE).map(Math::log).sum();
    assertThat(sumLog).isCloseTo(105.6355, within(5e-5));
    assertThat(fit.beta()).isCloseTo(0.6142, within(5e-5));
    assertThat(fit.lambda()).isCloseTo(0.4239, within(5e-5));
    assertThat(fit.failures()).isEqualTo(22);
    assertThat(fit.observationEnd()).isEqualTo(620.0);
    assertThat(fit.betaUnbiased()).isCloseTo(fit.beta() * 20 / 22, within(1e-12));
    // β's interval, independently: given n, Σ_{i<n} ln(t_n/t_i) ~ Gamma(n-1, rate β), so the
    // bounds are the Gamma(n-1, scale 1) quantiles divided by that sum.
    double s = 0;
    for (double t : RGA_EXAMPLE) {
      s += Math.log(620.0 / t);
    }
    GammaDistribution g = new GammaDistribution(21, 1);
    assertThat(fit.betaInterval().lower())
        .isCloseTo(g.inverseCumulativeProbability(0.05) / s, within(1e-7));
    assertThat(fit.betaInterval().upper())
        .isCloseTo(g.inverseCumulativeProbability(0.95) / s, within(1e-7));
    assertThat(fit.verdict()).isEqualTo(TrendVerdict.IMPROVING);
    assertThat(fit.intensityAtEnd()).isCloseTo(fit.lambda() * fit.beta() * Math.pow(620, fit.beta() - 1), within(1e-12));
  }

  @Test
  void crowAmsaaAndLaplaceMatchTheReliabilityPackagesRocofExample() {
    double[] times = cumulative(ROCOF_GAPS);
    PowerLawTrend fit = Reliability.crowAmsaaFailureTruncated(times, 0.95);
    assertThat(fit.beta()).isCloseTo(1.5880533880966818, within(1e-9));
    assertThat(fit.lambda()).isCloseTo(3.702728848984535e-05, within(1e-14));
    LaplaceTrend laplace = Reliability.laplaceFailureTruncated(times, 0.05);
    assertThat(laplace.statistic()).isCloseTo(2.4094382960447107, within(1e-9));
    assertThat(laplace.verdict()).isEqualTo(TrendVerdict.DETERIORATING);
    assertThat(laplace.failures()).isEqualTo(29);
    assertThat(fit.verdict()).isEqualTo(TrendVerdict.DETERIORATING);
  }

  @Test
  void laplaceTimeTruncatedMatchesTheClosedForm() {
    // Time truncated at 700 h on the ReliaSoft data: U by the textbook formula, computed here.
    double end = 700;
    double mean = Arrays.stream(RGA_EXAMPLE).average().orElseThrow();
    double u = (mean - end / 2) / (end * Math.sqrt(1.0 / (12 * RGA_EXAMPLE.length)));
    LaplaceTrend l = Reliability.laplaceTimeTruncated(RGA_EXAMPLE, end, 0.05);
    assertThat(l.statistic()).isCloseTo(u, within(1e-12));
    assertThat(l.verdict()).isEqualTo(TrendVerdict.IMPROVING);
  }

  @Test
  void weibullWithCensoringMatchesTheNistHandbookExample() {
    // NIST/SEMATECH e-Handbook of Statistical Methods, 8.4.1.3 "Reliability analysis using Weibull
    // data": failures at 54, 187, 216, 240, 244, 335, 361, 373, 375, 386 h and 10 units removed
    // unfailed at 500 h. Published: η̂ = 606.5280, β̂ = 1.7208, mean life 540.737 h, log-likelihood
  // 75.135 in magnitude and AIC 154.27 (= 2·2 - 2·loglik).
    double[] times = new double[20];
    boolean[] failed = new boolean[20];
    double[] failures = {54, 187, 216, 240, 244, 335, 361, 373, 375, 386};
    for (int i = 0; i < 20; i++) {
      times[i] = i < 10 ? failures[i] : 500;
      failed[i] = i < 10;
    }
    WeibullFit fit = Reliability.weibull(times, failed, 0.95);
    assertThat(fit.scale()).isCloseTo(606.5280, within(5e-4));
    assertThat(fit.shape()).isCloseTo(1.7208, within(5e-5));
    assertThat(fit.meanLife()).isCloseTo(540.737, within(5e-3));
    assertThat(fit.logLikelihood()).isCloseTo(-75.135, within(5e-4));
    assertThat(2 * 2 - 2 * fit.logLikelihood()).isCloseTo(154.27, within(5e-3));
    assertThat(fit.failures()).isEqualTo(10);
    assertThat(fit.censored()).isEqualTo(10);
    assertThat(fit.shapeInterval().contains(fit.shape())).isTrue();
    assertThat(fit.scaleInterval().contains(fit.scale())).isTrue();
    // The log-likelihood is maximal: nudging either parameter lowers it.
    double best = logLik(times, failed, fit.shape(), fit.scale());
    assertThat(best).isCloseTo(fit.logLikelihood(), within(1e-9));
    assertThat(logLik(times, failed, fit.shape() * 1.01, fit.scale())).isLessThan(best);
    assertThat(logLik(times, failed, fit.shape(), fit.scale() * 0.99)).isLessThan(best);
    assertThat(fit.reliability(fit.scale())).isCloseTo(Math.exp(-1), within(1e-12));
  }

  @Test
  void weibullIntervalsCoverTheTrueParametersInMostReplicates() {
    SplittableRandom r = new SplittableRandom(5);
    int reps = 400;
    int shapeHits = 0;
    int scaleHits = 0;
    for (int rep = 0; rep < reps; rep++) {
      double[] t = new double[60];
      boolean[] failed = new boolean[60];
      for (int i = 0; i < t.length; i++) {
        double life = 1000 * Math.pow(-Math.log(1 - r.nextDouble()), 1 / 2.0);
        double seen = 1500 * r.nextDouble() + 300; // random censoring
        t[i] = Math.min(life, seen);
        failed[i] = life <= seen;
      }
      WeibullFit fit = Reliability.weibull(t, failed, 0.95);
      shapeHits += fit.shapeInterval().contains(2.0) ? 1 : 0;
      scaleHits += fit.scaleInterval().contains(1000) ? 1 : 0;
    }
    System.out.printf(
        "Weibull simulation: 95%% interval coverage shape %.3f, scale %.3f (%d replicates)%n",
        shapeHits / (double) reps, scaleHits / (double) reps, reps);
    assertThat(shapeHits / (double) reps).isBetween(0.91, 0.98);
    assertThat(scaleHits / (double) reps).isBetween(0.91, 0.98);
  }

  @Test
  void crowAmsaaIntervalCoversTrueBetaNearNominally() {
    SplittableRandom r = new SplittableRandom(42);
    for (double trueBeta : new double[] {0.6, 1.0, 1.8}) {
      int reps = 1000;
      int hits = 0;
      int fitted = 0;
      for (int rep = 0; rep < reps; rep++) {
        double[] times = powerLawProcess(r, trueBeta, 1000, 30);
        if (times.length < Reliability.MIN_FAILURES) {
          continue;
        }
        fitted++;
        PowerLawTrend fit = Reliability.crowAmsaaTimeTruncated(times, 1000, 0.90);
        hits += fit.betaInterval().contains(trueBeta) ? 1 : 0;
      }
      double coverage = hits / (double) fitted;
      System.out.printf(
          "Crow-AMSAA simulation: β = %.1f, 90%% interval coverage %.3f over %d fits%n",
          trueBeta, coverage, fitted);
      assertThat(coverage).isBetween(0.87, 0.93);
    }
  }

  @Test
  void aDegradingProcessIsFlaggedAndAStableOneIsNot() {
    SplittableRandom r = new SplittableRandom(3);
    double[] degrading = powerLawProcess(r, 2.0, 8760, 40);
    double[] stable = powerLawProcess(r, 1.0, 8760, 40);
    assertThat(Reliability.crowAmsaaTimeTruncated(degrading, 8760, 0.95).verdict())
        .isEqualTo(TrendVerdict.DETERIORATING);
    assertThat(Reliability.laplaceTimeTruncated(degrading, 8760, 0.05).verdict())
        .isEqualTo(TrendVerdict.DETERIORATING);
    assertThat(Reliability.crowAmsaaTimeTruncated(stable, 8760, 0.95).verdict())
        .isEqualTo(TrendVerdict.STABLE);
    assertThat(Reliability.laplaceTimeTruncated(stable, 8760, 0.05).verdict())
        .isEqualTo(TrendVerdict.STABLE);
    // Over many locations: a stable process is flagged about 5% of the time, a degrading one
    // almost always.
    int falseAlarms = 0;
    int detections = 0;
    for (int i = 0; i < 500; i++) {
      double[] s = powerLawProcess(r, 1.0, 8760, 40);
      double[] d = powerLawProcess(r, 2.0, 8760, 40);
      falseAlarms +=
          Reliability.crowAmsaaTimeTruncated(s, 8760, 0.95).verdict() != TrendVerdict.STABLE ? 1 : 0;
      detections +=
          Reliability.crowAmsaaTimeTruncated(d, 8760, 0.95).verdict() == TrendVerdict.DETERIORATING
              ? 1
              : 0;
    }
    System.out.printf(
        "Crow-AMSAA verdicts: stable flagged %d/500, degrading (β = 2) detected %d/500%n",
        falseAlarms, detections);
    assertThat(falseAlarms).isBetween(10, 45);
    assertThat(detections).isGreaterThan(480);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Reliability.crowAmsaaTimeTruncated(new double[] {1, 2}, 10, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at least 3");
    assertThatThrownBy(() -> Reliability.crowAmsaaTimeTruncated(new double[] {1, 2, 30}, 10, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("after observationEnd");
    assertThatThrownBy(() -> Reliability.laplaceFailureTruncated(new double[] {0, 1, 2}, 0.05))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(
            () -> Reliability.weibull(new double[] {1, 2, 3}, new boolean[] {true, false, false}, 0.95))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at least 2 failures");
  }

  /**
   * A power-law NHPP on [0, T] with expected count {@code expected}: N ~ Poisson(expected), then
   * given N the times are T · U^(1/β) for independent uniforms U.
   */
  static double[] powerLawProcess(SplittableRandom r, double beta, double end, double expected) {
    int n = poisson(r, expected);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = end * Math.pow(1 - r.nextDouble(), 1 / beta);
    }
    Arrays.sort(t);
    return t;
  }

  static int poisson(SplittableRandom r, double mean) {
    // Inversion by sequential search; fine for the means used in tests.
    double u = r.nextDouble();
    double p = Math.exp(-mean);
    double cdf = p;
    int k = 0;
    while (u > cdf && k < 100_000) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

  private static double[] cumulative(double[] gaps) {
    double[] t = new double[gaps.length];
    double s = 0;
    for (int i = 0; i < gaps.length; i++) {
      s += gaps[i];
      t[i] = s;
    }
    return t;
  }

  private static double logLik(double[] t, boolean[] failed, double k, double lambda) {
    double ll = 0;
    for (int i = 0; i < t.length; i++) {
      double z = Math.pow(t[i] / lambda, k);
      if (failed[i]) {
        ll += Math.log(k / lambda) + (k - 1) * Math.log(t[i] / lambda);
      }
      ll -= z;
    }
    return ll;
  }
}
