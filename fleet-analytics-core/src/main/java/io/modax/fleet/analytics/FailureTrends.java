package io.modax.fleet.analytics;

import java.time.Instant;
import java.util.List;

/**
 * The design's failure trends: failures and MTBF per location and period, with the change against
 * the previous period.
 *
 * @param organizationId the organization
 * @param period the length of each period
 * @param start the window's start; the first period of each location is the one containing it
 * @param end the window's end; the last period of each location is the one containing the instant
 *     before it
 * @param mode how the figures were aggregated
 * @param trends the rows, ordered by period start, then location id (the design's {@code ORDER BY
 *     period, location_id}); by default every location has a row for every period from its
 *     first period with snapshots on (periods before a location sent any data are not padded with
 *     empty rows; a later period without snapshots has a row saying so), in seed-compatible mode
 *     only periods with snapshots have one
 * @param includesEmptyPeriods whether periods before a location's first snapshot were asked for
 *     ({@link TrendAnalyzer#failureTrends(io.modax.fleet.CallerContext, String, TrendPeriod, Window,
 *     boolean)}): then every location has a row for every period overlapping the window
 */
public record FailureTrends(
    String organizationId,
    TrendPeriod period,
    Instant start,
    Instant end,
    AggregationMode mode,
    List<FailureTrend> trends,
    boolean includesEmptyPeriods) {

  /** Copies the list. */
  public FailureTrends {
    trends = List.copyOf(trends);
  }

  /** The default: no rows before a location's first period with snapshots. */
  public FailureTrends(
      String organizationId,
      TrendPeriod period,
      Instant start,
      Instant end,
      AggregationMode mode,
      List<FailureTrend> trends) {
    this(organizationId, period, start, end, mode, trends, false);
  }

  /** The rows of one location, in period order. */
  public List<FailureTrend> of(String locationId) {
    return trends.stream().filter(t -> t.locationId().equals(locationId)).toList();
  }
}
