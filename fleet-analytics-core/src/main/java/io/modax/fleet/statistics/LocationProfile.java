package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.Map;
import java.util.Set;
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
   * Copies the collections into immutable ones. Grouping never depends on their iteration order.
   *
   * @throws InvalidRequestException for a blank id, missing collections or a negative device count
   */
  public LocationProfile {
    if (locationId == null || locationId.isBlank()) {
      throw new InvalidRequestException("locationId must not be blank");
    }
    if (deviceTypeCounts == null || tags == null) {
      throw new InvalidRequestException(
          "deviceTypeCounts and tags of location '" + locationId + "' must not be null (use empty)");
    }
    for (Map.Entry<String, Integer> e : deviceTypeCounts.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new InvalidRequestException(
            "device count of type '" + e.getKey() + "' at location '" + locationId + "' is "
                + e.getValue() + ": must be 0 or more");
      }
    }
    deviceTypeCounts = Map.copyOf(deviceTypeCounts);
    tags = Set.copyOf(tags);
  }
}
