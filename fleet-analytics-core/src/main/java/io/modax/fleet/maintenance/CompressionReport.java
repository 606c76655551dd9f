package io.modax.fleet.maintenance;

/**
 * What a compression run on TimescaleDB did, with {@code fleet_metrics}' size on disk around it
 * (table, indexes and TOAST of every chunk, as {@code hypertable_size} reports).
 *
 * @param chunksCompressed chunks compressed by this run
 * @param bytesBefore the hypertable's size before
 * @param bytesAfter the hypertable's size after
 */
public record CompressionReport(int chunksCompressed, long bytesBefore, long bytesAfter) {}
