package io.modax.fleet.ingest;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A device in the registry: the device metadata the design's warehouse lists.
 *
 * @param organizationId owning organization
 * @param id device id, unique within the organization
 * @param locationId where it is installed
 * @param deviceType its type, e.g. {@code cnc-mill}; the basis of like-for-like comparison
 * @param status registry status
 * @param name display name, or null
 * @param commissionedAt when it entered service, or null
 */
public record Device(
    String organizationId,
    String id,
    String locationId,
    String deviceType,
    DeviceStatus status,
    @Nullable String name,
    @Nullable Instant commissionedAt) {

  /** An active device with no name or commissioning date. */
  public static Device of(String organizationId, String id, String locationId, String deviceType) {
    return new Device(organizationId, id, locationId, deviceType, DeviceStatus.ACTIVE, null, null);
  }
}
