package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a location is like, for like-for-like comparison: its device-type mix, shift pattern and
 * the tags a host assigns.
 *
 * @param locationId the location
 * @param deviceTypeCounts devices per device type (counts at least 0; may be empty)
 * @param shiftPattern the location's shift pattern label, e.g. {@code "3x8"}, or null when unknown
 * @param tags host-assigned tags, e.g. {@code "region:eu"}; may be empty
 */
public record LocationProfile(
    String locationId,
    Map<String, Integer> deviceTypeCounts,
    @Nullable String shiftPattern,
    Set<String> tags) {

  /**
   * Copies the collections (sorted, so that results never depend on map order).
   *
   * @throws InvalidRequestException for a blank id or a negative device count
   */
  public LocationProfile {
    if (locationId == null || locationId.isBlank()) {
      throw new InvalidRequestException("locationId must not be blank");
    }
    for (Map.Entry<String, Integer> e : deviceTypeCounts.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new InvalidRequestException(
            "device count of type '" + e.getKey() + "' at location '" + locationId + "' is "
                + e.getValue() + ": must be 0 or more");
      }
    }
    deviceTypeCounts = Map.copyOf(new TreeMap<>(deviceTypeCounts));
    tags = Set.copyOf(new TreeSet<>(tags));
  }
}
