package io.modax.fleet.analytics;

/** How figures over many snapshots are aggregated. */
public enum AggregationMode {
  /**
   * The correct one and the default: every ratio is a ratio of sums weighted by its exposure
   * (uptime by elapsed hours, OEE by planned production hours, efficiency and energy by production
   * hours, MTBF = production hours / failures, MTTR = repair hours / failures). Windows are
   * half-open {@code [start, end)}; every requested location is reported, with no data if it has
   * none.
   */
  EXPOSURE_WEIGHTED,

  /**
   * Reproduces the design's SQL exactly, defects included, for teams moving from it: plain {@code
   * AVG()} of each snapshot column over snapshot rows (an average of averages), {@code SUM} of
   * failures, windows as the design wrote them ({@code BETWEEN start AND end}, both ends included;
   * "last N days" as {@code timestamp > now - N days} with no upper bound), locations without
   * snapshots omitted, and the design's {@code ORDER BY ... DESC} (nulls first). Wrong whenever
   * locations differ in size or reporting rate: do not use for decisions.
   */
  SEED_COMPATIBLE
}
