package io.modax.fleet.ingest;

import io.modax.fleet.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One snapshot a location sends: the design's {@code FleetMetrics} record, for one location and the
 * interval {@code [timestamp, timestamp + intervalSeconds)}, summed over the devices that reported.
 *
 * <p>Units: ratios ({@code avgUptime}, {@code avgEfficiency}, {@code oee}) are fractions in [0, 1];
 * hours are device-hours over the interval; {@code avgEnergyConsumption} is kWh per production
 * hour; {@code mtbf} and {@code mttr} are hours. Null means "not reported". {@code
 * totalProductionHours} and {@code totalDowntimeHours} are required by the writer: they are the
 * weights of every fleet figure.
 *
 * <p>The record accepts any values (NaN included) so that a bad snapshot reaches the writer and is
 * quarantined with its reason; only the key fields must be non-null.
 *
 * @param timestamp start of the interval the snapshot covers
 * @param organizationId the organization
 * @param locationId the location (organization-level figures are derived, never sent)
 * @param intervalSeconds length of the interval, or null for the location's snapshot interval
 * @param deviceCount devices that reported, or null to use the registry's count of the location
 * @param avgUptime share of elapsed time the equipment ran
 * @param avgEfficiency performance: ideal output over actual run time
 * @param avgEnergyConsumption kWh per production hour
 * @param totalFailures failures in the interval
 * @param mtbf the location's own MTBF figure, hours (kept for the design's SQL; fleet MTBF is
 *     recomputed as production hours / failures)
 * @param mttr mean repair hours of the interval's failures
 * @param totalProductionHours device-hours producing (run time)
 * @param totalDowntimeHours device-hours down when production was planned
 * @param oee overall equipment effectiveness
 * @param components raw OEE components, or null
 */
public record FleetMetrics(
    Instant timestamp,
    String organizationId,
    String locationId,
    @Nullable Integer intervalSeconds,
    @Nullable Integer deviceCount,
    @Nullable Double avgUptime,
    @Nullable Double avgEfficiency,
    @Nullable Double avgEnergyConsumption,
    @Nullable Integer totalFailures,
    @Nullable Double mtbf,
    @Nullable Double mttr,
    @Nullable Double totalProductionHours,
    @Nullable Double totalDowntimeHours,
    @Nullable Double oee,
    @Nullable OeeComponents components) {

  /**
   * The most parts (total_count, good_count) or failures (total_failures) a snapshot may count per
   * second of its interval: 100,000 (a location of 1,000 machines each making 100 parts a
   * second). A snapshot above it is quarantined ({@link QuarantineReason#VALUE_TOO_LARGE}).
   *
   * <p>Why this bound: the rollups and window sums add counts in bigint (at most 2^63 - 1, about
   * 9.22e18). Snapshots that tile a location's time at this rate add up, over the longest
   * retention horizon the library allows (100 years, 3.16e9 s), to at most 3.16e14: a factor of
   * about 29,000 below the bigint limit, which is the room left for overlapping or duplicated
   * intervals and for fleet-wide sums over many locations. One hour bucket of one location would
   * need over 10^9 snapshots of a full day each (8.64e9) to overflow; no accepted record can make a
   * later valid write of its location fail. See {@code docs/metrics.md}.
   */
  public static final long MAX_COUNT_PER_SECOND = 100_000;


  /**
   * Checks that the key fields are present (everything else is checked by the writer, which
   * quarantines a bad snapshot with its reason).
   *
   * @throws io.modax.fleet.InvalidRequestException when timestamp, organization id or location id
   *     is null
   */
  public FleetMetrics {
    Checks.requireNonNull("timestamp", timestamp);
    Checks.requireNonNull("organizationId", organizationId);
    Checks.requireNonNull("locationId", locationId);
  }

  /** A builder for a snapshot of one location at one instant. */
  public static Builder builder(String organizationId, String locationId, Instant timestamp) {
    return new Builder(organizationId, locationId, timestamp);
  }

  /** A builder pre-filled with this snapshot's values. */
  public Builder toBuilder() {
    Builder b = new Builder(organizationId, locationId, timestamp);
    b.intervalSeconds = intervalSeconds;
    b.deviceCount = deviceCount;
    b.avgUptime = avgUptime;
    b.avgEfficiency = avgEfficiency;
    b.avgEnergyConsumption = avgEnergyConsumption;
    b.totalFailures = totalFailures;
    b.mtbf = mtbf;
    b.mttr = mttr;
    b.totalProductionHours = totalProductionHours;
    b.totalDowntimeHours = totalDowntimeHours;
    b.oee = oee;
    b.components = components;
    return b;
  }

  /** Builds a {@link FleetMetrics}; every value not set stays null. Not thread-safe. */
  public static final class Builder {
    private final String organizationId;
    private final String locationId;
    private Instant timestamp;
    private @Nullable Integer intervalSeconds;
    private @Nullable Integer deviceCount;
    private @Nullable Double avgUptime;
    private @Nullable Double avgEfficiency;
    private @Nullable Double avgEnergyConsumption;
    private @Nullable Integer totalFailures;
    private @Nullable Double mtbf;
    private @Nullable Double mttr;
    private @Nullable Double totalProductionHours;
    private @Nullable Double totalDowntimeHours;
    private @Nullable Double oee;
    private @Nullable OeeComponents components;

    private Builder(String organizationId, String locationId, Instant timestamp) {
      this.organizationId = organizationId;
      this.locationId = locationId;
      this.timestamp = timestamp;
    }

    /** Start of the interval. */
    public Builder timestamp(Instant value) {
      this.timestamp = value;
      return this;
    }

    /** Interval length, seconds. */
    public Builder intervalSeconds(@Nullable Integer value) {
      this.intervalSeconds = value;
      return this;
    }

    /** Devices that reported. */
    public Builder deviceCount(@Nullable Integer value) {
      this.deviceCount = value;
      return this;
    }

    /** Uptime fraction. */
    public Builder avgUptime(@Nullable Double value) {
      this.avgUptime = value;
      return this;
    }

    /** Efficiency fraction. */
    public Builder avgEfficiency(@Nullable Double value) {
      this.avgEfficiency = value;
      return this;
    }

    /** kWh per production hour. */
    public Builder avgEnergyConsumption(@Nullable Double value) {
      this.avgEnergyConsumption = value;
      return this;
    }

    /** Failures in the interval. */
    public Builder totalFailures(@Nullable Integer value) {
      this.totalFailures = value;
      return this;
    }

    /** The location's MTBF, hours. */
    public Builder mtbf(@Nullable Double value) {
      this.mtbf = value;
      return this;
    }

    /** Mean repair hours. */
    public Builder mttr(@Nullable Double value) {
      this.mttr = value;
      return this;
    }

    /** Production device-hours. */
    public Builder totalProductionHours(@Nullable Double value) {
      this.totalProductionHours = value;
      return this;
    }

    /** Downtime device-hours. */
    public Builder totalDowntimeHours(@Nullable Double value) {
      this.totalDowntimeHours = value;
      return this;
    }

    /** OEE fraction. */
    public Builder oee(@Nullable Double value) {
      this.oee = value;
      return this;
    }

    /** Raw OEE components. */
    public Builder components(@Nullable OeeComponents value) {
      this.components = value;
      return this;
    }

    /** The snapshot. */
    public FleetMetrics build() {
      return new FleetMetrics(
          timestamp,
          organizationId,
          locationId,
          intervalSeconds,
          deviceCount,
          avgUptime,
          avgEfficiency,
          avgEnergyConsumption,
          totalFailures,
          mtbf,
          mttr,
          totalProductionHours,
          totalDowntimeHours,
          oee,
          components);
    }
  }
}
