package io.modax.fleet.reporting;

import io.modax.fleet.analytics.TrendPeriod;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The length of a report's period, a calendar period of the organization's time zone: a day from
 * local midnight to local midnight (23 or 25 hours on DST days), an ISO week from Monday, a month
 * from the first.
 *
 * <p>Each period also fixes the history its trend charts show: a day report the last 30 local
 * days by day (the design's "Failure Trends (30 days)"), a week report its last 8 weeks by day, a
 * month report its last 6 months by ISO week.
 */
public enum ReportPeriod {
  /** One local calendar day: the daily report. */
  DAY,
  /** One ISO week, Monday to Sunday: the weekly report. */
  WEEK,
  /** One calendar month: the monthly report. */
  MONTH;

  /** The first day of the period containing the date. */
  public LocalDate startOf(LocalDate date) {
    return switch (this) {
      case DAY -> date;
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
    };
  }

  /** The first day of the period after the one starting at {@code periodStart}. */
  public LocalDate next(LocalDate periodStart) {
    return switch (this) {
      case DAY -> periodStart.plusDays(1);
      case WEEK -> periodStart.plusWeeks(1);
      case MONTH -> periodStart.plusMonths(1);
    };
  }

  /** The first day of the period before the one starting at {@code periodStart}. */
  public LocalDate previous(LocalDate periodStart) {
    return switch (this) {
      case DAY -> periodStart.minusDays(1);
      case WEEK -> periodStart.minusWeeks(1);
      case MONTH -> periodStart.minusMonths(1);
    };
  }

  /** The buckets of the report's trend charts: days for day and week reports, weeks for months. */
  public TrendPeriod trendPeriod() {
    return this == MONTH ? TrendPeriod.WEEK : TrendPeriod.DAY;
  }

  /** The first local day of the trend charts' history for a period starting at {@code start}. */
  LocalDate historyStart(LocalDate start) {
    return switch (this) {
      case DAY -> start.minusDays(29);
      case WEEK -> start.minusWeeks(7);
      case MONTH -> start.minusMonths(5).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    };
  }

  /** "daily", "weekly" or "monthly". */
  public String adjective() {
    return switch (this) {
      case DAY -> "daily";
      case WEEK -> "weekly";
      case MONTH -> "monthly";
    };
  }

  /** "day", "week" or "month". */
  public String noun() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
