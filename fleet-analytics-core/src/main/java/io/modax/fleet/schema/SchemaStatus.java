package io.modax.fleet.schema;

import java.util.List;

/**
 * The state of the warehouse schema after a migration or validation.
 *
 * @param schema the schema name
 * @param installedVersion the newest migration recorded in the history table (0 when none)
 * @param latestVersion the newest migration this library ships
 * @param appliedNow the versions this call applied, in order (empty for validation)
 * @param hypertable true when {@code fleet_metrics} is a TimescaleDB hypertable
 */
public record SchemaStatus(
    String schema,
    int installedVersion,
    int latestVersion,
    List<Integer> appliedNow,
    boolean hypertable) {

  /** Copies the list. */
  public SchemaStatus {
    appliedNow = List.copyOf(appliedNow);
  }

  /** True when every migration this library ships is installed. */
  public boolean isCurrent() {
    return installedVersion == latestVersion;
  }
}
