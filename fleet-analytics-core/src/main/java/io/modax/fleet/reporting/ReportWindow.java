package io.modax.fleet.reporting;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * One report period: a whole day, ISO week or month of a time zone's calendar (for reports, the
 * organization's), and the instants it starts and ends at there.
 *
 * <p>The window is half-open, {@code [start(), end())}. Its length follows the calendar: a day
 * with a DST change lasts 23 or 25 hours, and a week or month containing one is an hour shorter
 * or longer than its days times 24.
 *
 * <p>Thread safety: an immutable value.
 *
 * @param period day, week or month
 * @param zone the time zone whose calendar the period belongs to
 * @param firstDay the period's first local date (a Monday for a week, the 1st for a month)
 */
public record ReportWindow(ReportPeriod period, ZoneId zone, LocalDate firstDay) {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);
  private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
  private static final DateTimeFormatter SHORT_YEAR = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);

  /**
   * Checks the window.
   *
   * @throws InvalidRequestException when a component is null or {@code firstDay} does not start a
   *     period (a week must start on a Monday, a month on the 1st)
   */
  public ReportWindow {
    Checks.requireNonNull("period", period);
    Checks.requireNonNull("zone", zone);
    Checks.requireNonNull("firstDay", firstDay);
    if (!period.startOf(firstDay).equals(firstDay)) {
      throw new InvalidRequestException("firstDay " + firstDay + " does not start a " + period.noun()
          + ": a week starts on a Monday, a month on the 1st (the " + period.noun() + " containing it starts "
          + period.startOf(firstDay) + ")");
    }
  }

  /** The period of the zone's calendar that contains the local date. */
  public static ReportWindow containing(ReportPeriod period, ZoneId zone, LocalDate date) {
    Checks.requireNonNull("period", period);
    Checks.requireNonNull("date", date);
    return new ReportWindow(period, zone, period.startOf(date));
  }

  /** The period of the zone's calendar that contains the instant. */
  public static ReportWindow containing(ReportPeriod period, ZoneId zone, Instant instant) {
    Checks.requireNonNull("zone", zone);
    Checks.requireNonNull("instant", instant);
    return containing(period, zone, LocalDate.ofInstant(instant, zone));
  }

  /** The first local date after the period (exclusive end). */
  public LocalDate endDay() {
    return period.next(firstDay);
  }

  /** The last local date of the period (inclusive). */
  public LocalDate lastDay() {
    return endDay().minusDays(1);
  }

  /** The instant the period starts: local midnight of {@link #firstDay()} (or the first instant of that day). */
  public Instant start() {
    return firstDay.atStartOfDay(zone).toInstant();
  }

  /** The instant the period ends (exclusive): the start of the next period. */
  public Instant end() {
    return endDay().atStartOfDay(zone).toInstant();
  }

  /** The period's real length (a DST day: 23 or 25 hours). */
  public Duration length() {
    return Duration.between(start(), end());
  }

  /** The period before this one, of the same length and zone. */
  public ReportWindow previous() {
    return new ReportWindow(period, zone, period.previous(firstDay));
  }

  /** The period after this one. */
  public ReportWindow next() {
    return new ReportWindow(period, zone, endDay());
  }

  /** True once the period is over at {@code now} (its end is not after now). */
  public boolean isCompleteAt(Instant now) {
    return !end().isAfter(now);
  }

  /** The window as an analysis {@link Window}: {@code [start, end)}. */
  public Window toWindow() {
    return Window.between(start(), end());
  }

  /**
   * The first instant of the history the trend charts of a report for this period show (see
   * {@link ReportPeriod}); the history ends at {@link #end()}.
   */
  public Instant historyStart() {
    return period.historyStart(firstDay).atStartOfDay(zone).toInstant();
  }

  /**
   * The period for a person, in English: "Tuesday 17 November 2026", "Week 47 of 2026 (16 Nov - 22
   * Nov 2026)", "November 2026".
   */
  public String label() {
    return switch (period) {
      case DAY -> DAY.format(firstDay);
      case WEEK -> "Week " + firstDay.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) + " of "
          + firstDay.get(IsoFields.WEEK_BASED_YEAR) + " (" + SHORT.format(firstDay) + " \u2013 "
          + SHORT_YEAR.format(lastDay()) + ")";
      case MONTH -> MONTH.format(firstDay);
    };
  }

  @Override
  public String toString() {
    return period.noun() + " " + firstDay + " " + zone + " [" + start() + ", " + end() + ")";
  }
}
