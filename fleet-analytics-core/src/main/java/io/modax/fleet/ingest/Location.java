package io.modax.fleet.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A physical location (plant, facility) of an organization.
 *
 * @param organizationId owning organization
 * @param id location id, unique within the organization (1-64 characters)
 * @param name display name
 * @param address postal address, or null
 * @param timezone IANA zone, e.g. {@code America/Chicago}; the location's days, weeks and months
 *     are its local calendar ones in this zone
 * @param latitude degrees north in [-90, 90], or null
 * @param longitude degrees east in [-180, 180], or null
 * @param downtimeCostPerHour cost of one hour of downtime in the organization's currency, or null
 *     when unknown (downtime cost is then not reported)
 * @param snapshotIntervalSeconds how often the location sends a snapshot (1-86400); the default
 *     for snapshots that do not say, and the base of completeness checks
 * @param shiftPattern a label such as {@code 3x8-5d} for like-for-like comparison, or null
 * @param tags host-assigned tags (peer groups, regions); copied
 */
public record Location(
    String organizationId,
    String id,
    String name,
    @Nullable String address,
    String timezone,
    @Nullable Double latitude,
    @Nullable Double longitude,
    @Nullable BigDecimal downtimeCostPerHour,
    int snapshotIntervalSeconds,
    @Nullable String shiftPattern,
    List<String> tags) {

  /** The interval used when none is given: five minutes. */
  public static final int DEFAULT_SNAPSHOT_INTERVAL_SECONDS = 300;

  /**
   * Copies the tags. Like every field, they are taken as given so that the writer can quarantine a
   * bad location with its reason: a null tag stays (and is quarantined); a null list is no tags.
   */
  public Location {
    tags = tags == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tags));
  }

  /** A location with only the required fields; the rest empty and a five-minute interval. */
  public static Location of(String organizationId, String id, String name, String timezone) {
    return new Location(
        organizationId,
        id,
        name,
        null,
        timezone,
        null,
        null,
        null,
        DEFAULT_SNAPSHOT_INTERVAL_SECONDS,
        null,
        List.of());
  }

  /** This location at the given coordinates. */
  public Location withCoordinates(double latitude, double longitude) {
    return new Location(
        organizationId, id, name, address, timezone, latitude, longitude, downtimeCostPerHour,
        snapshotIntervalSeconds, shiftPattern, tags);
  }

  /** This location with a downtime cost rate (organization currency per hour). */
  public Location withDowntimeCostPerHour(BigDecimal costPerHour) {
    return new Location(
        organizationId, id, name, address, timezone, latitude, longitude, costPerHour,
        snapshotIntervalSeconds, shiftPattern, tags);
  }

  /** This location with a shift pattern label and tags. */
  public Location withShiftPatternAndTags(@Nullable String pattern, List<String> newTags) {
    return new Location(
        organizationId, id, name, address, timezone, latitude, longitude, downtimeCostPerHour,
        snapshotIntervalSeconds, pattern, newTags);
  }

  /** This location with another snapshot interval. */
  public Location withSnapshotIntervalSeconds(int seconds) {
    return new Location(
        organizationId, id, name, address, timezone, latitude, longitude, downtimeCostPerHour,
        seconds, shiftPattern, tags);
  }
}
