package io.modax.fleet.ingest;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The kind of a {@link MaintenanceEvent}. */
public enum EventType {
  /** Equipment failed; always unplanned. */
  FAILURE,
  /** Maintenance work, planned (preventive) or unplanned (corrective). */
  MAINTENANCE;

  /** The value stored in the database, e.g. {@code failure}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored value, case-insensitively; null when unknown. */
  public static @Nullable EventType fromWireName(String value) {
    for (EventType t : values()) {
      if (t.wireName().equalsIgnoreCase(value)) {
        return t;
      }
    }
    return null;
  }
}
