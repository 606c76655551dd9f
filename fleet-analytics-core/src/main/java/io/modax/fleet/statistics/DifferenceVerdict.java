package io.modax.fleet.statistics;

/**
 * Whether a location differs from its reference, read in the metric's own direction: for a
 * lower-is-better metric (MTTR, energy) a significantly lower value is {@link
 * #SIGNIFICANTLY_BETTER}.
 */
public enum DifferenceVerdict {
  /** Better than the reference, and the difference is significant. */
  SIGNIFICANTLY_BETTER,
  /** Worse than the reference, and the difference is significant. */
  SIGNIFICANTLY_WORSE,
  /** No significant difference: the data cannot tell the location from the reference. */
  NOT_SIGNIFICANT
}
