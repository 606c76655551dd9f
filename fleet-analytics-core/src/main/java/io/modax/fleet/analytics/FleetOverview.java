package io.modax.fleet.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The design's fleet overview endpoint and {@code DeviceFleet} in one: the registry's counts and
 * the fleet's performance over the last 30 days.
 *
 * @param organizationId the organization
 * @param windowStart start of the 30-day window (from the library's clock)
 * @param windowEnd end of the window (the clock's now)
 * @param totalDevices registered devices not decommissioned
 * @param activeDevices devices with status active
 * @param devicesByType non-decommissioned devices per device type (sorted by type)
 * @param totalLocations registered locations
 * @param overallOee fleet OEE over the window (planned-time weighted), or null without data
 * @param overallUptime fleet uptime over the window (elapsed-time weighted), or null without data
 * @param totalFailuresLast30d failures over the window
 * @param locations the locations with their device counts, by id
 */
public record FleetOverview(
    String organizationId,
    Instant windowStart,
    Instant windowEnd,
    long totalDevices,
    long activeDevices,
    Map<String, Long> devicesByType,
    long totalLocations,
    @Nullable Double overallOee,
    @Nullable Double overallUptime,
    long totalFailuresLast30d,
    List<LocationSummary> locations) {

  /** Copies the collections. */
  public FleetOverview {
    devicesByType = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(devicesByType));
    locations = List.copyOf(locations);
  }
}
