package io.modax.fleet.analytics;

import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One location's failures in one period: a row of the design's failure trends, with the change
 * against the previous period stated explicitly instead of as an infinity or NaN.
 *
 * <p>By default the period is the location's local calendar day, ISO week or month ({@link
 * TrendPeriod}), built from whole local days of the daily rollup; {@code periodStart} and {@code
 * periodEnd} are local dates in the location's zone, {@code start} and {@code end} the instants
 * they begin at there (a DST day is 23 or 25 hours long). In {@link
 * AggregationMode#SEED_COMPATIBLE} the period is the design's UTC bucket and the dates are UTC
 * dates.
 *
 * @param locationId the location
 * @param locationName its display name
 * @param periodStart first local date of the period
 * @param periodEnd first local date after the period (exclusive)
 * @param start the instant the period begins
 * @param end the instant the period ends (exclusive)
 * @param complete false while the period is still in progress at the analysis' now (its end lies
 *     after it), or, in seed-compatible mode, when the window cuts the bucket
 * @param failures failures in the period
 * @param mtbf production hours / failures in the period, in hours (seed-compatible: the design's
 *     {@code AVG(mtbf)} over rows); null without failures (no finite MTBF) or without data
 * @param productionHours production device-hours in the period
 * @param snapshotCount snapshots in the period; 0 when the location sent none
 * @param previousFailures failures in the previous period, or null when there is none with data
 * @param changePercent {@code (failures - previousFailures) / previousFailures x 100}; null unless
 *     {@code change} is {@link Change#COMPARED}: never against a zero base, from a partial period
 *     or to a period without failures (by default; seed-compatible mode keeps the design's rule)
 * @param change whether and how the period compares with the previous one
 */
public record FailureTrend(
    String locationId,
    String locationName,
    LocalDate periodStart,
    LocalDate periodEnd,
    Instant start,
    Instant end,
    boolean complete,
    long failures,
    @Nullable Double mtbf,
    double productionHours,
    long snapshotCount,
    @Nullable Long previousFailures,
    @Nullable Double changePercent,
    Change change) {

  /** How a period's failures compare with the previous period's. */
  public enum Change {
    /** The period has no snapshots: there is nothing to compare. */
    NO_DATA,
    /**
     * There is no previous period with data (the location's first period, or the previous one had
     * no snapshots; in seed-compatible mode, the location's first row, as pandas' {@code
     * pct_change} gives NaN there).
     */
    NO_PREVIOUS_PERIOD,
    /**
     * The previous period had no failures, so a relative change is undefined (the design's {@code
     * pct_change} gives infinity or NaN); compare {@code failures} with 0 directly.
     */
    NO_PREVIOUS_FAILURES,
    /**
     * The period is still in progress (or, in seed-compatible mode, cut by the window): a partial
     * period is not compared with a whole one, which would read as a fall. Not used in
     * seed-compatible mode, which keeps the design's {@code pct_change}.
     */
    IN_PROGRESS,
    /**
     * The period had no failures: the relative change is -100% whatever the previous count, which
     * on short periods (days) is noise rather than news; compare {@code failures} with {@code
     * previousFailures} directly. Not used in seed-compatible mode.
     */
    NO_FAILURES,
    /** {@code changePercent} holds the relative change. */
    COMPARED
  }
}
