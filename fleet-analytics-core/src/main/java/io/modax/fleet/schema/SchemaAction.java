package io.modax.fleet.schema;

/** What {@link io.modax.fleet.FleetAnalytics} does with the schema when it is built. */
public enum SchemaAction {
  /**
   * Apply every pending migration (idempotent, safe when several instances start at once), then
   * validate. The default.
   */
  MIGRATE,
  /** Apply nothing; fail fast with {@link SchemaException} unless the schema is current. */
  VALIDATE,
  /** Touch nothing (the host runs its own migration tool with {@link FleetSchema#sql(String)}). */
  NONE
}
