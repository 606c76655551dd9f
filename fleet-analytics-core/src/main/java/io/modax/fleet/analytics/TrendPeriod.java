package io.modax.fleet.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * The length of a trend bucket. Buckets are each location's local calendar periods in its own time
 * zone: a day from local midnight to local midnight (23 or 25 hours on DST days), an ISO week from
 * Monday, a month from the first.
 *
 * <p>In {@link AggregationMode#SEED_COMPATIBLE} buckets are the design's {@code time_bucket} ones
 * instead: UTC days, weeks from Monday 00:00 UTC, UTC months.
 */
public enum TrendPeriod {
  /** A local calendar day. Not in the design; the dashboard's 30-day failure trend uses it. */
  DAY("day"),
  /** An ISO week (Monday to Sunday) of the local calendar: the design's {@code weekly}. */
  WEEK("week"),
  /** A local calendar month: the design's {@code monthly}. */
  MONTH("month");

  private final String sqlUnit;

  TrendPeriod(String sqlUnit) {
    this.sqlUnit = sqlUnit;
  }

  /** The unit's name for {@code date_trunc}. */
  String sqlUnit() {
    return sqlUnit;
  }

  /** The first day of the period containing the date. */
  LocalDate startOf(LocalDate date) {
    return switch (this) {
      case DAY -> date;
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
    };
  }

  /** The first day of the next period. */
  LocalDate next(LocalDate periodStart) {
    return switch (this) {
      case DAY -> periodStart.plusDays(1);
      case WEEK -> periodStart.plusWeeks(1);
      case MONTH -> periodStart.plusMonths(1);
    };
  }

  /**
   * The start of the UTC bucket containing the instant, as TimescaleDB's {@code time_bucket} with
   * no time zone computes it (weeks start on Monday, months on the first, at 00:00 UTC).
   */
  Instant utcBucketStart(Instant t) {
    ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
    return startOf(utc.toLocalDate()).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The start of the UTC bucket after the one starting at {@code bucketStart}. */
  Instant utcBucketEnd(Instant bucketStart) {
    return next(bucketStart.atZone(ZoneOffset.UTC).toLocalDate()).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The design's name of the period ({@code daily}, {@code weekly}, {@code monthly}). */
  public String designName() {
    return switch (this) {
      case DAY -> "daily";
      case WEEK -> "weekly";
      case MONTH -> "monthly";
    };
  }
}
