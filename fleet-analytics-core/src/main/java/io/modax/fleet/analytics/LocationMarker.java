package io.modax.fleet.analytics;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A marker of the dashboard's location map: where a location is, how it performs, and its alerts.
 *
 * <p><b>Alerts.</b> A location has an alert for each of these conditions that holds (see {@link
 * Alert.Kind}): no snapshot in the map's window ({@link Alert.Kind#NO_DATA}); OEE over the window
 * below the gauge's warning threshold ({@link Alert.Kind#LOW_OEE}, an underperforming location);
 * failures per production hour over the last {@value FleetDashboard#RISING_FAILURES_DAYS} days
 * (ending at the map window's end) significantly higher than over the {@value
 * FleetDashboard#RISING_FAILURES_DAYS} days before ({@link Alert.Kind#FAILURES_RISING}, a
 * deteriorating location): at least {@value FleetDashboard#RISING_FAILURES_MIN} recent failures, a
 * rise of at least {@value FleetDashboard#RISING_FAILURES_MIN_RATIO} times, and a one-sided p-value
 * below {@value FleetDashboard#RISING_FAILURES_P_VALUE} in the exact conditional test of two Poisson
 * rates (the recent share of both periods' failures against its share of their production hours).
 * Alerts use the exposure-weighted rates in every aggregation mode.
 *
 * @param locationId the location
 * @param locationName its display name
 * @param latitude degrees north, or null when unknown
 * @param longitude degrees east, or null when unknown
 * @param oee OEE over the map's window (fraction), or null without planned time there
 * @param deviceCount registered devices not decommissioned
 * @param alerts the location's alerts, in {@link Alert.Kind} order
 */
public record LocationMarker(
    String locationId,
    String locationName,
    @Nullable Double latitude,
    @Nullable Double longitude,
    @Nullable Double oee,
    long deviceCount,
    List<Alert> alerts) {

  /** Copies the list. */
  public LocationMarker {
    alerts = List.copyOf(alerts);
  }

  /** The number of alerts: the design's {@code alert_count}. */
  public int alertCount() {
    return alerts.size();
  }

  /**
   * One alert.
   *
   * @param kind what is wrong
   * @param message the numbers that raised it, for a person
   */
  public record Alert(Kind kind, String message) {

    /** What an alert is about. */
    public enum Kind {
      /** The location sent no snapshot in the map's window. */
      NO_DATA,
      /** Its OEE over the window is below the gauge's warning threshold: it underperforms. */
      LOW_OEE,
      /** Its failure rate rose markedly against the preceding period: it deteriorates. */
      FAILURES_RISING
    }
  }
}
