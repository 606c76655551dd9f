package io.modax.fleet.analytics;

import java.time.Instant;
import java.util.List;

/**
 * The design's cross-location comparison: each location's performance over one window, ordered by
 * OEE, best first (locations without an OEE last; in {@link AggregationMode#SEED_COMPATIBLE}, first,
 * as the design's {@code ORDER BY oee DESC} does).
 *
 * @param organizationId the organization
 * @param start window start (inclusive)
 * @param end window end (exclusive; inclusive in seed-compatible mode)
 * @param mode how the figures were aggregated
 * @param locations one row per location, ordered
 */
public record LocationComparison(
    String organizationId,
    Instant start,
    Instant end,
    AggregationMode mode,
    List<LocationPerformance> locations) {

  /** Copies the list. */
  public LocationComparison {
    locations = List.copyOf(locations);
  }
}
