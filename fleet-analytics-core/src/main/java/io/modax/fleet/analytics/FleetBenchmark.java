package io.modax.fleet.analytics;

import io.modax.fleet.statistics.PeerGrouping;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every location of an organization benchmarked at once: each against the rest of the fleet, or of
 * its peer group, over one window. Because all locations are tested together, each metric's
 * p-values are adjusted across the locations by Benjamini–Hochberg, and a location is
 * significantly better or worse only when its adjusted p-value is at most the false discovery rate
 * ({@link BenchmarkOptions#alpha()}): among the locations flagged for a metric, the expected share
 * of false alarms is at most that rate.
 *
 * @param organizationId the organization
 * @param start window start (see {@link Window})
 * @param end window end
 * @param mode how the figures were aggregated
 * @param options the options used
 * @param peerGrouping the peer groups under the options' rule, with the rule and its caveats; null
 *     for {@link BenchmarkOptions.PeerGroupRule#FLEET} and in seed-compatible mode
 * @param locations one benchmark per location, by location id
 */
public record FleetBenchmark(
    String organizationId,
    Instant start,
    Instant end,
    AggregationMode mode,
    BenchmarkOptions options,
    @Nullable PeerGrouping peerGrouping,
    List<LocationBenchmark> locations) {

  /** Copies the list. */
  public FleetBenchmark {
    locations = List.copyOf(locations);
  }

  /** The benchmark of one location, if it is one of the organization's. */
  public Optional<LocationBenchmark> location(String locationId) {
    return locations.stream().filter(l -> l.locationId().equals(locationId)).findFirst();
  }
}
