package io.modax.fleet.ingest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a write call did with every record it was given. Always {@code submitted = inserted +
 * updated + unchanged + quarantined}: nothing is dropped silently.
 *
 * <ul>
 *   <li>inserted: a new row was stored;
 *   <li>updated: a row with the same key existed with other values and was replaced (also counted
 *       for an earlier record in the same call superseded by a later one with the same key);
 *   <li>unchanged: an identical row was already stored (a resend);
 *   <li>quarantined: refused, stored in the quarantine table with its reason (once: a record
 *       already quarantined for the same reason, e.g. a resend, is counted again but not stored
 *       again).
 * </ul>
 *
 * @param submitted records given to the call
 * @param inserted records stored as new rows
 * @param updated records that replaced different values
 * @param unchanged records identical to what was stored
 * @param quarantinedByReason quarantined records per reason (copied; reasons with 0 omitted)
 */
public record WriteReport(
    long submitted,
    long inserted,
    long updated,
    long unchanged,
    Map<QuarantineReason, Long> quarantinedByReason) {

  /** An empty report. */
  public static final WriteReport EMPTY = new WriteReport(0, 0, 0, 0, Map.of());

  /**
   * Copies the map and checks the counts.
   *
   * @throws IllegalArgumentException when a count is negative or they do not add up
   */
  public WriteReport {
    EnumMap<QuarantineReason, Long> copy = new EnumMap<>(QuarantineReason.class);
    quarantinedByReason.forEach(
        (k, v) -> {
          if (v != 0) {
            copy.put(k, v);
          }
        });
    quarantinedByReason = Collections.unmodifiableMap(copy);
    long q = copy.values().stream().mapToLong(Long::longValue).sum();
    if (submitted < 0 || inserted < 0 || updated < 0 || unchanged < 0 || q < 0) {
      throw new IllegalArgumentException("negative count in write report");
    }
    if (submitted != inserted + updated + unchanged + q) {
      throw new IllegalArgumentException(
          "write report does not add up: submitted " + submitted + " != inserted " + inserted
              + " + updated " + updated + " + unchanged " + unchanged + " + quarantined " + q);
    }
  }

  /** Records quarantined, all reasons together. */
  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Records quarantined for one reason. */
  public long quarantined(QuarantineReason reason) {
    return quarantinedByReason.getOrDefault(reason, 0L);
  }

  /** Records stored (inserted or updated). */
  public long stored() {
    return inserted + updated;
  }

  /** Both reports' counts added. */
  public WriteReport plus(WriteReport other) {
    EnumMap<QuarantineReason, Long> q = new EnumMap<>(QuarantineReason.class);
    q.putAll(quarantinedByReason);
    other.quarantinedByReason.forEach((k, v) -> q.merge(k, v, Long::sum));
    return new WriteReport(
        submitted + other.submitted,
        inserted + other.inserted,
        updated + other.updated,
        unchanged + other.unchanged,
        q);
  }

  @Override
  public String toString() {
    return "submitted=" + submitted + " inserted=" + inserted + " updated=" + updated
        + " unchanged=" + unchanged + " quarantined=" + quarantined()
        + (quarantinedByReason.isEmpty() ? "" : " " + quarantinedByReason);
  }
}
