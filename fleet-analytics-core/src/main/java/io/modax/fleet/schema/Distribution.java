package io.modax.fleet.schema;

/**
 * Where the warehouse's tables live: on one PostgreSQL server, or spread over the workers of a
 * Citus cluster by organization. See docs/scaling.md.
 */
public enum Distribution {
  /** Ordinary tables on one server (plain PostgreSQL or TimescaleDB). The default. */
  SINGLE_NODE,
  /**
   * Citus (13 or newer; the database is its coordinator): every tenant table is distributed by its
   * organization, all co-located with {@code organizations}, so one organization's rows, and every
   * query the library sends for it, stay on one worker; a table without an organization becomes a
   * reference table. Applied after the migrations, and again to tables a later migration adds.
   * Needs {@link TimescaleMode#DISABLED} (hypertables are not distributed).
   */
  CITUS
}
