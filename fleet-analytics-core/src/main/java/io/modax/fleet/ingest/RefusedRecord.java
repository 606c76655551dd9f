package io.modax.fleet.ingest;

import java.util.Objects;

/**
 * One record a write call refused and quarantined: where it was in what the call was given, why,
 * and the message naming the field, value and rule. A host maps {@code position} back to its own
 * source (the command line's {@code import} maps it to the CSV line number). Immutable and
 * thread-safe; no field is null; nothing in it is a time, so no time zone applies.
 *
 * @param position the record's 0-based position in the records given to the write call (the
 *     iterable or iterator, in iteration order; for {@link
 *     FleetWriter#writeOrganization(io.modax.fleet.CallerContext, Organization)} always 0)
 * @param reason the quarantine reason
 * @param message why, naming the field, the value and the rule (may quote what was sent)
 */
public record RefusedRecord(long position, QuarantineReason reason, String message) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException when the position is negative
   * @throws NullPointerException when the reason or message is null
   */
  public RefusedRecord {
    if (position < 0) {
      throw new IllegalArgumentException("position " + position + " is negative");
    }
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** This refusal, {@code offset} records further on (a later chunk of the same call). */
  RefusedRecord shifted(long offset) {
    return offset == 0 ? this : new RefusedRecord(position + offset, reason, message);
  }
}
