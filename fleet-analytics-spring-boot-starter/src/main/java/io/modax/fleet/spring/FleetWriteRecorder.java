package io.modax.fleet.spring;

import io.modax.fleet.ingest.WriteReport;

/**
 * Counts what the host's writer calls stored: wrap a call, {@code
 * writes.record("metrics", fleet.writer().writeMetrics(caller, org, rows))}. With Micrometer present
 * the counters are {@code fleet.analytics.writes} tagged {@code kind} (what was written) and {@code
 * outcome} ({@code inserted}, {@code updated}, {@code unchanged}, {@code quarantined}); otherwise
 * {@link #NONE} counts nothing. Thread-safe.
 */
@FunctionalInterface
public interface FleetWriteRecorder {

  /** Counts nothing. */
  FleetWriteRecorder NONE = (kind, report) -> report;

  /**
   * Counts the report's records and returns it unchanged.
   *
   * @param kind what was written, e.g. {@code metrics}, {@code events}, {@code locations}
   */
  WriteReport record(String kind, WriteReport report);
}
