package io.modax.fleet.reporting;

import io.modax.fleet.internal.Checks;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The report windows of a daily, weekly and monthly cadence, in a time zone's calendar (for
 * reports, the organization's {@code organizations.timezone}): a host's scheduler runs at any time
 * after a period ended and asks for "yesterday", "last week" or "last month".
 *
 * <p>"Yesterday" is the local calendar day before the one containing {@code now}; on the day after
 * a DST change it is 23 or 25 hours long. "Last week" is the ISO week (Monday to Sunday) before
 * the one containing now, "last month" the calendar month before. Each is the most recent period
 * that is complete at {@code now}. {@link #nextDue(ReportPeriod, ZoneId, Instant)} says when the
 * next one becomes complete, for schedulers that sleep until then.
 *
 * <p>{@link FleetReports#lastCompleted(io.modax.fleet.CallerContext, String, ReportPeriod)} does
 * the same for an organization with the library's clock and the organization's zone.
 *
 * <p>Thread safety: stateless.
 */
public final class ReportCadence {

  private ReportCadence() {}

  /**
   * The most recent complete period at {@code now}: the period before the one containing now.
   *
   * @throws io.modax.fleet.InvalidRequestException when an argument is null
   */
  public static ReportWindow lastCompleted(ReportPeriod period, ZoneId zone, Instant now) {
    Checks.requireNonNull("period", period);
    return ReportWindow.containing(period, zone, now).previous();
  }

  /** Yesterday in the zone: the local calendar day before the one containing {@code now}. */
  public static ReportWindow yesterday(ZoneId zone, Instant now) {
    return lastCompleted(ReportPeriod.DAY, zone, now);
  }

  /** Last week in the zone: the ISO week (Monday to Sunday) before the one containing {@code now}. */
  public static ReportWindow lastWeek(ZoneId zone, Instant now) {
    return lastCompleted(ReportPeriod.WEEK, zone, now);
  }

  /** Last month in the zone: the calendar month before the one containing {@code now}. */
  public static ReportWindow lastMonth(ZoneId zone, Instant now) {
    return lastCompleted(ReportPeriod.MONTH, zone, now);
  }

  /**
   * The instant the period containing {@code now} ends, when the next report of this cadence
   * becomes due (local midnight after the day, the week's Sunday or the month's last day).
   */
  public static Instant nextDue(ReportPeriod period, ZoneId zone, Instant now) {
    return ReportWindow.containing(period, zone, now).end();
  }
}
