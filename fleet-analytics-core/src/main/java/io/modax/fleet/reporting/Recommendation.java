package io.modax.fleet.reporting;

import io.modax.fleet.analytics.Metric;
import org.jspecify.annotations.Nullable;

/**
 * An action a report recommends, with the number that led to it, e.g. "Plant B's MTTR 4.6 h is
 * 2.1x the rest of the fleet's 2.2 h: review spare-parts availability and repair procedures".
 *
 * <p>Recommendations follow from {@link Finding}s by fixed rules (see {@code docs/reporting.md}):
 * each rule needs a clear gap and enough events, so that a healthy fleet gets none.
 *
 * @param priority how urgent, most urgent first
 * @param topic what the action is about
 * @param locationId the location to act at, or null for the fleet
 * @param locationName its display name, or null
 * @param metric the metric behind it, or null
 * @param evidence the numbers that led to it (plain text)
 * @param action what to do (plain text)
 */
public record Recommendation(
    Priority priority,
    Topic topic,
    @Nullable String locationId,
    @Nullable String locationName,
    @Nullable Metric metric,
    String evidence,
    String action) {

  /** The recommendation as one sentence: evidence, colon, action. */
  public String text() {
    return evidence + ": " + action;
  }

  /** How urgent. */
  public enum Priority {
    /** Act now. */
    HIGH,
    /** Plan it. */
    MEDIUM,
    /** When convenient. */
    LOW
  }

  /** What an action is about. */
  public enum Topic {
    /** Repairs take long: spare parts, repair procedures, skills. */
    REPAIR_TIME,
    /** Failures are frequent: preventive maintenance, root causes. */
    RELIABILITY,
    /** Failures are rising: inspection, recent changes. */
    DETERIORATION,
    /** OEE is low: the largest of its losses. */
    EFFECTIVENESS,
    /** Energy use per production hour is high. */
    ENERGY,
    /** A location sent no data. */
    DATA,
    /** The fleet as a whole. */
    FLEET
  }
}
