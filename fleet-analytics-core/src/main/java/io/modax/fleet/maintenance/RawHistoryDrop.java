package io.modax.fleet.maintenance;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a drop of raw history did.
 *
 * @param organizationId the organization whose raw rows were deleted, or null for a fleet-wide drop
 *     of whole TimescaleDB chunks or PostgreSQL partitions
 * @param cutoff raw rows before this instant were to go (a whole UTC hour)
 * @param rowsDeleted raw rows deleted row by row (0 for a chunk drop)
 * @param chunksDropped TimescaleDB chunks dropped, or monthly partitions of fleet_metrics dropped or
 *     detached, whole (0 for a row-by-row drop)
 */
public record RawHistoryDrop(
    @Nullable String organizationId, Instant cutoff, long rowsDeleted, int chunksDropped) {}
