package io.modax.fleet.schema;

/**
 * Whether {@code fleet_metrics} becomes a TimescaleDB hypertable when the schema is created. The
 * relations and columns queries use are the same either way; only storage differs.
 */
public enum TimescaleMode {
  /**
   * Use TimescaleDB when the extension is installed in the database, or can be created there (it
   * is available and preloaded); otherwise use plain PostgreSQL. The default.
   */
  AUTO,
  /** Use TimescaleDB; fail with {@link SchemaException} when it is not installed and cannot be. */
  REQUIRED,
  /** Never create a hypertable, even where TimescaleDB is installed. */
  DISABLED
}
