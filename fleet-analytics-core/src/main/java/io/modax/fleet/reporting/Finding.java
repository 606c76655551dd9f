package io.modax.fleet.reporting;

import io.modax.fleet.analytics.Metric;
import org.jspecify.annotations.Nullable;

/**
 * Something a report found in the analyses: a location far from the rest of the fleet, a failure
 * rate that rose, a fleet in a poor health band, a location without data. Each finding says the
 * numbers behind it and, where a test was made, its significance.
 *
 * @param kind where the finding comes from
 * @param severity how much it matters
 * @param locationId the location it is about, or null for the fleet
 * @param locationName that location's display name, or null for the fleet
 * @param metric the metric it is about, or null
 * @param message the finding with its numbers, for a person (plain text, not escaped)
 * @param value the value found (in the metric's unit), or null
 * @param reference what it was compared with (rest of the fleet, previous period, threshold), or
 *     null
 * @param significance the test behind it, or null when none was made (a threshold rule)
 */
public record Finding(
    Kind kind,
    Severity severity,
    @Nullable String locationId,
    @Nullable String locationName,
    @Nullable Metric metric,
    String message,
    @Nullable Double value,
    @Nullable Double reference,
    @Nullable Significance significance) {

  /** Where a finding comes from. */
  public enum Kind {
    /** The fleet's OEE lies in the gauge's critical or warning band. */
    FLEET_HEALTH,
    /** A location's metric differs from the rest of the fleet's (the benchmark). */
    BENCHMARK,
    /** A location's failure rate rose significantly against the preceding period. */
    FAILURES_RISING,
    /** A location sent no data in the period. */
    NO_DATA,
    /** A fleet key metric changed markedly against the previous period. */
    PERIOD_CHANGE
  }

  /** How much a finding matters, most first. */
  public enum Severity {
    /** Needs action now. */
    CRITICAL,
    /** Needs attention. */
    WARNING,
    /** Worth knowing. */
    INFO,
    /** Something that went well. */
    POSITIVE
  }

  /**
   * The statistical test behind a finding.
   *
   * @param test the test, e.g. "Mann-Whitney U on repair hours per failure"
   * @param pValue its p-value in [0, 1] (one- or two-sided as the test says)
   * @param significant whether p is below the level the report uses ({@link
   *     FleetReports#SIGNIFICANCE_LEVEL})
   */
  public record Significance(String test, double pValue, boolean significant) {}
}
