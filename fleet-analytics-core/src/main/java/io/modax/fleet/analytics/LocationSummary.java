package io.modax.fleet.analytics;

import org.jspecify.annotations.Nullable;

/**
 * A location in the fleet overview: the design's {@code Location} with its device count.
 *
 * @param locationId the location
 * @param name display name
 * @param timezone IANA zone
 * @param latitude degrees north, or null
 * @param longitude degrees east, or null
 * @param deviceCount registered devices not decommissioned
 * @param activeDevices devices with status active
 */
public record LocationSummary(
    String locationId,
    String name,
    String timezone,
    @Nullable Double latitude,
    @Nullable Double longitude,
    long deviceCount,
    long activeDevices) {}
