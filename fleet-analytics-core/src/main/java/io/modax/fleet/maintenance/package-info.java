/**
 * Keeping history cheaply: {@link io.modax.fleet.maintenance.FleetMaintenance} drops raw rows past
 * their retention while the rollups keep every period, and on TimescaleDB compresses old raw
 * chunks. See {@code docs/scaling.md}.
 */
@NullMarked
package io.modax.fleet.maintenance;

import org.jspecify.annotations.NullMarked;
