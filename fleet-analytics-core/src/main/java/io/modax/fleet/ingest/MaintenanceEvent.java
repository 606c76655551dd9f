package io.modax.fleet.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A maintenance or failure event at a location. Sending the same event id again changes nothing;
 * sending it with other values replaces the stored event (parts included).
 *
 * @param organizationId the organization
 * @param id the event id the location assigns, unique within the organization
 * @param locationId where it happened
 * @param deviceId the device, or null for location-wide work
 * @param occurredAt when it happened (the failure, or the start of the work)
 * @param type failure or maintenance
 * @param planned true for planned (preventive) maintenance; failures are never planned
 * @param repairHours hours until the equipment was back in service, or null when unknown
 * @param cost cost in the organization's currency, or null when unknown
 * @param description free text, or null
 * @param parts spare parts used (copied)
 */
public record MaintenanceEvent(
    String organizationId,
    String id,
    String locationId,
    @Nullable String deviceId,
    Instant occurredAt,
    EventType type,
    boolean planned,
    @Nullable Double repairHours,
    @Nullable BigDecimal cost,
    @Nullable String description,
    List<PartUsage> parts) {

  /**
   * Copies the parts. Like every field, they are taken as given so that the writer can quarantine
   * a bad event with its reason: a null element stays (and is quarantined as a missing part); a
   * null list is no parts.
   */
  public MaintenanceEvent {
    parts = parts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(parts));
  }

  /** An unplanned failure of a device. */
  public static MaintenanceEvent failure(
      String organizationId,
      String id,
      String locationId,
      @Nullable String deviceId,
      Instant occurredAt,
      @Nullable Double repairHours,
      @Nullable BigDecimal cost,
      List<PartUsage> parts) {
    return new MaintenanceEvent(
        organizationId, id, locationId, deviceId, occurredAt, EventType.FAILURE, false,
        repairHours, cost, null, parts);
  }
}
