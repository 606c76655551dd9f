package io.modax.fleet.statistics;

/** Whether failures are coming less often, as often, or more often over time. */
public enum TrendVerdict {
  /** Failures significantly less frequent over time (reliability growth; Crow-AMSAA β below 1). */
  IMPROVING,
  /** No significant trend: the data are consistent with a constant failure rate. */
  STABLE,
  /** Failures significantly more frequent over time (wear-out; Crow-AMSAA β above 1). */
  DETERIORATING
}
