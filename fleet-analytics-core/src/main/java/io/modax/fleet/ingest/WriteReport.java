package io.modax.fleet.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
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
 * <p>{@code refused} lists which records were quarantined: the first {@value #MAX_LISTED_REFUSALS}
 * of the call, in input order, each with its position in the call's input, reason and message;
 * the counts always cover all of them. The list is empty in the rare report of a chunk whose
 * commit was acknowledged only to a retry (the counts are then read back from the database; the
 * records themselves are in {@code ingest_quarantine}). Immutable and thread-safe; no component
 * is null.
 *
 * @param submitted records given to the call
 * @param inserted records stored as new rows
 * @param updated records that replaced different values
 * @param unchanged records identical to what was stored
 * @param quarantinedByReason quarantined records per reason (copied; reasons with 0 omitted)
 * @param refused the first refused records, in input order (copied; at most {@value
 *     #MAX_LISTED_REFUSALS}, and never more than {@code quarantined()})
 */
public record WriteReport(
    long submitted,
    long inserted,
    long updated,
    long unchanged,
    Map<QuarantineReason, Long> quarantinedByReason,
    List<RefusedRecord> refused) {

  /** How many refused records a report lists at most (the counts cover all). */
  public static final int MAX_LISTED_REFUSALS = 100;

  /** An empty report. */
  public static final WriteReport EMPTY = new WriteReport(0, 0, 0, 0, Map.of());

  /**
   * A report that lists no refused record (only counts them).
   *
   * @throws IllegalArgumentException when a count is negative or they do not add up
   */
  public WriteReport(
      long submitted, long inserted, long updated, long unchanged, Map<QuarantineReason, Long> quarantinedByReason) {
    this(submitted, inserted, updated, unchanged, quarantinedByReason, List.of());
  }

  /**
   * Copies the map and the list and checks the counts.
   *
   * @throws IllegalArgumentException when a count is negative, they do not add up, or more records
   *     are listed as refused than were quarantined or than {@value #MAX_LISTED_REFUSALS}
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
    refused = List.copyOf(refused);
    if (refused.size() > Math.min(q, MAX_LISTED_REFUSALS)) {
      throw new IllegalArgumentException("write report lists " + refused.size() + " refused records, more than the "
          + q + " quarantined or the " + MAX_LISTED_REFUSALS + " a report lists");
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

  /**
   * Both reports' counts added, as for one call that was given this report's records and then the
   * other's: the other's refused records move {@code submitted()} positions on, and the first
   * {@value #MAX_LISTED_REFUSALS} of both stay listed.
   */
  public WriteReport plus(WriteReport other) {
    EnumMap<QuarantineReason, Long> q = new EnumMap<>(QuarantineReason.class);
    q.putAll(quarantinedByReason);
    other.quarantinedByReason.forEach((k, v) -> q.merge(k, v, Long::sum));
    List<RefusedRecord> listed = new ArrayList<>(refused);
    for (RefusedRecord r : other.refused) {
      if (listed.size() >= MAX_LISTED_REFUSALS) {
        break;
      }
      listed.add(r.shifted(submitted));
    }
    return new WriteReport(
        submitted + other.submitted,
        inserted + other.inserted,
        updated + other.updated,
        unchanged + other.unchanged,
        q,
        listed);
  }

  @Override
  public String toString() {
    return "submitted=" + submitted + " inserted=" + inserted + " updated=" + updated
        + " unchanged=" + unchanged + " quarantined=" + quarantined()
        + (quarantinedByReason.isEmpty() ? "" : " " + quarantinedByReason);
  }
}
