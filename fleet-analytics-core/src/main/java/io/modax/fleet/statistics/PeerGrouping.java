package io.modax.fleet.statistics;

import java.util.List;
import java.util.Optional;

/**
 * A partition of locations into peer groups: every location given is in exactly one group.
 *
 * @param groups the groups, in a deterministic order (by key for labels; by first member for
 *     device-mix groups)
 * @param method the rule used and its caveats
 */
public record PeerGrouping(List<PeerGroup> groups, StatisticalMethod method) {

  /** Copies the list. */
  public PeerGrouping {
    groups = List.copyOf(groups);
  }

  /** The group holding a location, if the location was grouped. */
  public Optional<PeerGroup> groupOf(String locationId) {
    return groups.stream().filter(g -> g.locationIds().contains(locationId)).findFirst();
  }
}
