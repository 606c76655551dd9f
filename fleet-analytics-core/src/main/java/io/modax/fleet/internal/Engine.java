package io.modax.fleet.internal;

import io.modax.fleet.analytics.AggregationMode;
import java.time.Clock;
import java.time.Duration;

/**
 * What every part of the library shares once {@link io.modax.fleet.FleetAnalytics} is built: the
 * warehouse, the clock and the effective settings. Immutable.
 *
 * @param warehouse database access
 * @param clock the source of "now" for every relative window
 * @param aggregationMode how ratios are aggregated
 * @param clockSkewTolerance how far in the future a snapshot may be
 * @param retentionHorizon how old a snapshot may be
 * @param writeChunkSize records per write transaction
 * @param writeAttempts attempts per write transaction on transient failures
 * @param maxWindow the longest analysis window accepted
 * @param limits sizes one organization or call may reach
 * @param lockTimeout how long a write waits for a location's lock
 * @param writeListener hears each write call's report
 */
public record Engine(
    Warehouse warehouse,
    Clock clock,
    AggregationMode aggregationMode,
    Duration clockSkewTolerance,
    Duration retentionHorizon,
    int writeChunkSize,
    int writeAttempts,
    Duration maxWindow,
    Limits limits,
    Duration lockTimeout,
    io.modax.fleet.ingest.WriteListener writeListener) {

  /** The same settings over another warehouse (e.g. one that reads from the primary). */
  public Engine withWarehouse(Warehouse other) {
    return new Engine(other, clock, aggregationMode, clockSkewTolerance, retentionHorizon,
        writeChunkSize, writeAttempts, maxWindow, limits, lockTimeout, writeListener);
  }
}
