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
 */
public record FailureTrends(
    String organizationId,
    TrendPeriod period,
    Instant start,
    Instant end,
    AggregationMode mode,
    List<FailureTrend> trends) {

  /** Copies the list. */
  public FailureTrends {
    trends = List.copyOf(trends);
  }

  /** The rows of one location, in period order. */
  public List<FailureTrend> of(String locationId) {
    return trends.stream().filter(t -> t.locationId().equals(locationId)).toList();
  }
}
