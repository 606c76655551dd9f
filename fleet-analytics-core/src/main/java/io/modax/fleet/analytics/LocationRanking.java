package io.modax.fleet.analytics;

import java.time.Instant;
import java.util.List;

/**
 * Locations ranked by one metric over one window: the design's best performers (best first) and
 * underperformers (lowest OEE first).
 *
 * <p>Each row is a full {@link LocationPerformance}; {@link LocationPerformance#value(Metric)}
 * gives the ranked value (the design's {@code metric_value}).
 *
 * @param organizationId the organization
 * @param metric the metric the rows are ranked by
 * @param start window start (inclusive; for a relative window in seed-compatible mode, exclusive)
 * @param end window end (exclusive; the clock's now for a relative window, which seed-compatible
 *     mode reads past, as the design's {@code timestamp > now - N days} does)
 * @param mode how the figures were aggregated
 * @param locations the ranked rows
 */
public record LocationRanking(
    String organizationId,
    Metric metric,
    Instant start,
    Instant end,
    AggregationMode mode,
    List<LocationPerformance> locations) {

  /** Copies the list. */
  public LocationRanking {
    locations = List.copyOf(locations);
  }
}
