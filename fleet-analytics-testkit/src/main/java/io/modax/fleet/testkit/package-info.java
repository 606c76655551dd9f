/**
 * Test support for fleet-analytics and for host applications that embed it.
 *
 * <ul>
 *   <li>{@link io.modax.fleet.testkit.FleetDatabase}: a migrated, empty fleet database; {@link
 *       io.modax.fleet.testkit.FleetDatabases#shared()} finds one per JVM (an external URL from
 *       {@code FLEET_ANALYTICS_TEST_JDBC_URL}, else TimescaleDB in Testcontainers when Docker
 *       answers, else an embedded PostgreSQL) and logs which.
 *   <li>{@link io.modax.fleet.testkit.FleetDatabaseExtension}: a JUnit 5 extension that resets the
 *       database before each test and injects it.
 *   <li>{@link io.modax.fleet.testkit.SampleFleet}: a deterministic sample fleet generator.
 * </ul>
 */
@NullMarked
package io.modax.fleet.testkit;

import org.jspecify.annotations.NullMarked;
