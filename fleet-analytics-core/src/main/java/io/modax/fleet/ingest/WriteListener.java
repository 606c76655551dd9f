package io.modax.fleet.ingest;

/**
 * Hears what each public {@link FleetWriter} call stored, e.g. to count records in the host's
 * metrics. Set with {@link io.modax.fleet.FleetAnalytics.Builder#writeListener}.
 *
 * <p>It is called once per call that returns a {@link WriteReport}, after the call's last
 * transaction committed, on the calling thread, with the call's whole report (so {@code
 * submitted = inserted + updated + unchanged + quarantined} holds for each notification). A call
 * that throws is not reported. Implementations must be thread-safe and quick: writes from several
 * threads call it concurrently, and it delays the call's return. A {@link RuntimeException} it throws
 * is logged at WARN and does not fail the write, which is committed by then.
 */
@FunctionalInterface
public interface WriteListener {

  /** Hears nothing: the default. */
  WriteListener NONE = (kind, report) -> {};

  /**
   * One write call's report.
   *
   * @param kind what was written: {@code organizations}, {@code locations}, {@code devices}, {@code
   *     metrics}, {@code events} or {@code malformed} (records quarantined as unreadable)
   * @param report the call's counts, never null
   */
  void written(String kind, WriteReport report);
}
