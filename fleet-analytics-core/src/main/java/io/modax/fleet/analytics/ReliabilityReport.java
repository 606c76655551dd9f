package io.modax.fleet.analytics;

import io.modax.fleet.statistics.LaplaceTrend;
import io.modax.fleet.statistics.PowerLawTrend;
import io.modax.fleet.statistics.StatisticalMethod;
import io.modax.fleet.statistics.TrendVerdict;
import io.modax.fleet.statistics.WeibullFit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reliability trends from the failure events of one window, per location and per device type: is
 * each failing more often (deteriorating), less often (improving) or at a steady rate (stable), and
 * how long do devices run between failures. See {@link TrendAnalyzer#reliability(
 * io.modax.fleet.CallerContext, String, Window)} for exactly which data each fit uses.
 *
 * <p><b>Clock.</b> Times are <b>production device-hours</b>, not calendar hours: a location is
 * observed over the whole local days inside the window, and its clock is its cumulative production
 * hours since the first of them (from the daily rollup, spread evenly over each local day), so that
 * a plant that adds a shift is not mistaken for one that deteriorates. A device type's clock is the production hours of the type's devices across the
 * fleet (each location's hours shared evenly among its devices); a device's clock is its
 * location's hours divided by the location's device count.
 *
 * @param organizationId the organization
 * @param start window start (inclusive)
 * @param end window end (exclusive)
 * @param level confidence level of every interval and verdict, e.g. 0.95
 * @param method the data behind every fit (clock, events, lives), its assumptions and caveats
 * @param locations one trend per location, by location id
 * @param deviceTypes one trend per device type with failures or devices, by type
 */
public record ReliabilityReport(
    String organizationId,
    Instant start,
    Instant end,
    double level,
    StatisticalMethod method,
    List<ReliabilityTrend> locations,
    List<ReliabilityTrend> deviceTypes) {

  /** Copies the lists. */
  public ReliabilityReport {
    locations = List.copyOf(locations);
    deviceTypes = List.copyOf(deviceTypes);
  }

  /** The trend of one location, if it is one of the organization's. */
  public Optional<ReliabilityTrend> location(String locationId) {
    return locations.stream().filter(t -> t.id().equals(locationId)).findFirst();
  }

  /** The trend of one device type, if the organization has it. */
  public Optional<ReliabilityTrend> deviceType(String deviceType) {
    return deviceTypes.stream().filter(t -> t.id().equals(deviceType)).findFirst();
  }

  /** What a trend is about. */
  public enum Subject {
    /** One location: all of its failure events. */
    LOCATION,
    /** One device type across the fleet: the failure events of devices of that type. */
    DEVICE_TYPE
  }

  /**
   * The reliability of one location or device type over the window.
   *
   * @param subject location or device type
   * @param id the location id or the device type
   * @param name the location's display name, or the device type
   * @param failures failure events used (those with positive production time before them)
   * @param operatingHours the clock at the end of observation: production device-hours observed (for a
   *     device type, its devices' share)
   * @param crowAmsaa the Crow-AMSAA (power-law NHPP) fit, time truncated at {@code operatingHours};
   *     null with fewer than {@value io.modax.fleet.statistics.Reliability#MIN_FAILURES} failures
   * @param laplace the Laplace trend test on the same times; null as {@code crowAmsaa}
   * @param verdict Crow-AMSAA's verdict: improving when β's interval lies below 1, deteriorating
   *     above 1, else stable; null without a fit
   * @param lives device lives used for the Weibull fit: times between consecutive failures of the
   *     same device, plus one censored life per failed device from its last failure to the end of
   *     its location's last whole day
   * @param censoredLives of those, the censored ones (still running at the end of observation)
   * @param weibull the Weibull fit of those lives with right censoring, in device production
   *     hours; null with fewer than {@value io.modax.fleet.statistics.Reliability#MIN_WEIBULL_FAILURES}
   *     failed lives
   * @param notes what was left out or not fitted and why, for a person; empty when nothing was
   */
  public record ReliabilityTrend(
      Subject subject,
      String id,
      String name,
      int failures,
      double operatingHours,
      @Nullable PowerLawTrend crowAmsaa,
      @Nullable LaplaceTrend laplace,
      @Nullable TrendVerdict verdict,
      int lives,
      int censoredLives,
      @Nullable WeibullFit weibull,
      List<String> notes) {

    /** Copies the list. */
    public ReliabilityTrend {
      notes = List.copyOf(notes);
    }
  }
}
