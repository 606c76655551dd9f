package io.modax.fleet.ingest;

import java.util.Locale;

/** A device's status in the registry. Only {@link #ACTIVE} devices count as active. */
public enum DeviceStatus {
  /** In service. */
  ACTIVE,
  /** Installed but not running. */
  INACTIVE,
  /** Out of service for maintenance. */
  MAINTENANCE,
  /** Removed from service for good. */
  DECOMMISSIONED;

  /** The value stored in the database, e.g. {@code active}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored value, case-insensitively; null when unknown. */
  public static @org.jspecify.annotations.Nullable DeviceStatus fromWireName(String value) {
    for (DeviceStatus s : values()) {
      if (s.wireName().equalsIgnoreCase(value)) {
        return s;
      }
    }
    return null;
  }
}
