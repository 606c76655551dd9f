/**
 * What locations send into the warehouse, and the writer that takes it: {@link
 * io.modax.fleet.ingest.FleetWriter}.
 *
 * <p>This is the "data aggregation layer" of the design: a location (or a gateway for it) sends
 * {@link io.modax.fleet.ingest.FleetMetrics} snapshots, {@link
 * io.modax.fleet.ingest.MaintenanceEvent}s and registry changes ({@link
 * io.modax.fleet.ingest.Organization}, {@link io.modax.fleet.ingest.Location}, {@link
 * io.modax.fleet.ingest.Device}). Records are plain carriers: they accept any value, so that a bad
 * one can reach the writer, be quarantined with its reason and be reported, rather than be lost
 * to an exception half-way through a batch.
 *
 * <p>What could not be stored lands in the quarantine table with a {@link
 * io.modax.fleet.ingest.QuarantineReason}; every write returns a {@link
 * io.modax.fleet.ingest.WriteReport}. {@link io.modax.fleet.ingest.DataQuality} reports, per
 * location, how complete and timely its data is.
 */
@NullMarked
package io.modax.fleet.ingest;

import org.jspecify.annotations.NullMarked;
