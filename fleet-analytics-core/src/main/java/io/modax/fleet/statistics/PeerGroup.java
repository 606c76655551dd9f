package io.modax.fleet.statistics;

import java.util.List;

/**
 * Locations that are alike under one grouping rule.
 *
 * @param key what the members share, e.g. {@code "shift:3x8"}, {@code "tag:region:eu"} or {@code
 *     "mix:1"} (device-mix groups are numbered in order of their first member)
 * @param locationIds the members, sorted
 */
public record PeerGroup(String key, List<String> locationIds) {

  /** Copies the list. */
  public PeerGroup {
    locationIds = List.copyOf(locationIds);
  }
}
