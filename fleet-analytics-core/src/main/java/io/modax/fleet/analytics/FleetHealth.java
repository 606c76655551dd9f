package io.modax.fleet.analytics;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's fleet health gauge: the fleet's OEE over a window (by default the last 24 hours)
 * and the band it falls in.
 *
 * <p>By default the OEE is the fleet's planned-time weighted OEE (Σ fully productive hours / Σ
 * planned hours over every location); in {@link AggregationMode#SEED_COMPATIBLE} it is the design's
 * {@code AVG(oee)} over the organization's snapshot rows.
 *
 * @param organizationId the organization
 * @param start window start
 * @param end window end
 * @param mode how the OEE was aggregated
 * @param oee the fleet's OEE as a fraction, or null when no location had planned time in the window
 * @param status the band the OEE falls in
 * @param thresholds the bands' limits
 */
public record FleetHealth(
    String organizationId,
    Instant start,
    Instant end,
    AggregationMode mode,
    @Nullable Double oee,
    Status status,
    Thresholds thresholds) {

  /** The gauge's bands, worst first. */
  public enum Status {
    /** OEE below the critical threshold. */
    CRITICAL,
    /** OEE at or above critical, below the warning threshold. */
    WARNING,
    /** OEE at or above warning, below the good threshold. */
    FAIR,
    /** OEE at or above the good threshold (world class at the default 0.85). */
    GOOD,
    /** No OEE in the window. */
    NO_DATA
  }

  /**
   * The gauge's thresholds, OEE fractions with {@code 0 <= critical <= warning <= good <= 1}.
   *
   * @param critical below it the fleet is critical (default 0.6)
   * @param warning below it (and at or above critical) a warning (default 0.75)
   * @param good at or above it the fleet is good (default 0.85, world-class OEE)
   */
  public record Thresholds(double critical, double warning, double good) {

    /** The design's thresholds: critical 0.6, warning 0.75, good 0.85. */
    public static final Thresholds DEFAULT = new Thresholds(0.6, 0.75, 0.85);

    /**
     * Checks the thresholds.
     *
     * @throws InvalidRequestException when one is outside [0, 1] or NaN, or they are not ordered
     *     critical &lt;= warning &lt;= good
     */
    public Thresholds {
      Checks.requireFraction("critical", critical);
      Checks.requireFraction("warning", warning);
      Checks.requireFraction("good", good);
      if (!(critical <= warning && warning <= good)) {
        throw new InvalidRequestException("thresholds critical " + critical + ", warning " + warning
            + ", good " + good + " are not ordered: need critical <= warning <= good");
      }
    }

    /** The band an OEE falls in. */
    public Status classify(@Nullable Double oee) {
      if (oee == null) {
        return Status.NO_DATA;
      }
      if (oee < critical) {
        return Status.CRITICAL;
      }
      if (oee < warning) {
        return Status.WARNING;
      }
      return oee < good ? Status.FAIR : Status.GOOD;
    }
  }
}
