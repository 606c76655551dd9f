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
 * @param definitionsCurrent true when every function and view definition this library ships is
 *     installed as shipped (they are re-applied whole by a migration when one changed; see
 *     docs/schema.md)
 */
public record SchemaStatus(
    String schema,
    int installedVersion,
    int latestVersion,
    List<Integer> appliedNow,
    boolean hypertable,
    boolean definitionsCurrent) {

  /** Copies the list. */
  public SchemaStatus {
    appliedNow = List.copyOf(appliedNow);
  }

  /** A status whose function and view definitions are current. */
  public SchemaStatus(
      String schema, int installedVersion, int latestVersion, List<Integer> appliedNow, boolean hypertable) {
    this(schema, installedVersion, latestVersion, appliedNow, hypertable, true);
  }

  /**
   * True when every migration this library ships is installed, and every function and view
   * definition as shipped.
   */
  public boolean isCurrent() {
    return installedVersion == latestVersion && definitionsCurrent;
  }
}
