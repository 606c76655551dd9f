package io.modax.fleet.benchmarks;

import java.util.Arrays;

/** Latency samples in nanoseconds, with the order statistics the tables print. */
final class Latency {

  private long[] samples = new long[64];
  private int n;

  void add(long nanos) {
    if (n == samples.length) {
      samples = Arrays.copyOf(samples, n * 2);
    }
    samples[n++] = nanos;
  }

  void addAll(Latency other) {
    for (int i = 0; i < other.n; i++) {
      add(other.samples[i]);
    }
  }

  int count() {
    return n;
  }

  /** The q-quantile in milliseconds (nearest rank), NaN without samples. */
  double millis(double q) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    int rank = (int) Math.ceil(q * n);
    return s[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
  }

  double median() {
    if (n == 0) {
      return Double.NaN;
    }
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    return (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0) / 1e6;
  }

  double p95() {
    return millis(0.95);
  }
}
