package io.modax.fleet.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How well one location reported over a window {@code [windowStart, windowEnd)}: what {@link
 * DataQuality#report} returns. All instants are UTC; durations are exact.
 *
 * <p>Immutable (lists and maps are copied).
 *
 * @param organizationId the organization
 * @param locationId the location
 * @param windowStart first instant of the window (inclusive)
 * @param windowEnd end of the window (exclusive)
 * @param snapshotIntervalSeconds the location's registered snapshot interval, the base of the
 *     expected count
 * @param expectedSnapshots whole snapshot intervals that fit in the window
 * @param receivedSnapshots snapshots stored with a timestamp in the window
 * @param completeness {@code receivedSnapshots / expectedSnapshots}, capped at 1; null when not
 *     even one interval fits in the window
 * @param gaps stretches of the window no stored snapshot covers (a snapshot covers {@code
 *     [timestamp, timestamp + interval_seconds)}), at least the gap threshold long, earliest
 *     first; at most {@link DataQuality#MAX_GAPS_LISTED}
 * @param gapCount all such gaps, also those beyond the listed ones
 * @param missingTime the gaps' total length
 * @param lastSeen the latest snapshot timestamp stored for the location at all (not only in the
 *     window), or null when it never sent one
 * @param lastIngestedAt when the latest stored snapshot arrived (library clock), or null
 * @param clockSkew signs that the location's clock runs ahead
 * @param quarantinedByReason the location's records quarantined in the window (by their arrival
 *     time), per reason; reasons with none are omitted
 */
public record LocationDataQuality(
    String organizationId,
    String locationId,
    Instant windowStart,
    Instant windowEnd,
    int snapshotIntervalSeconds,
    long expectedSnapshots,
    long receivedSnapshots,
    @Nullable Double completeness,
    List<Gap> gaps,
    long gapCount,
    Duration missingTime,
    @Nullable Instant lastSeen,
    @Nullable Instant lastIngestedAt,
    ClockSkew clockSkew,
    Map<QuarantineReason, Long> quarantinedByReason) {

  /** Copies the list and map. */
  public LocationDataQuality {
    gaps = List.copyOf(gaps);
    EnumMap<QuarantineReason, Long> q = new EnumMap<>(QuarantineReason.class);
    q.putAll(quarantinedByReason);
    quarantinedByReason = Collections.unmodifiableMap(q);
  }

  /** Records of the location quarantined in the window, all reasons together. */
  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * A stretch without data.
   *
   * @param from the end of the last snapshot before it (or the window start)
   * @param to the start of the next snapshot (or the window end)
   */
  public record Gap(Instant from, Instant to) {
    /** How long the gap is. */
    public Duration length() {
      return Duration.between(from, to);
    }
  }

  /**
   * Signs that a location's clock runs ahead of the library's. A snapshot's timestamp is the start
   * of its interval, so it can only arrive after that instant; one stored with {@code timestamp >
   * ingested_at} (within the clock-skew tolerance) or quarantined as {@link
   * QuarantineReason#FUTURE_TIMESTAMP} (beyond it) came from a clock that is ahead.
   *
   * @param suspected true when any of the counts is positive
   * @param futureTimestampsQuarantined records quarantined in the window as too far in the future
   * @param snapshotsAheadOfArrival stored snapshots in the window dated after they arrived
   * @param maxLead the largest {@code timestamp - ingested_at} of those, or null when none
   */
  public record ClockSkew(
      boolean suspected,
      long futureTimestampsQuarantined,
      long snapshotsAheadOfArrival,
      @Nullable Duration maxLead) {}
}
