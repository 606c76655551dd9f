package io.modax.fleet.analytics;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.internal.Checks;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAmount;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The time span an analysis covers: either relative ("the last 30 days", ending at the library's
 * {@link Clock} when the analysis runs) or absolute (between two instants).
 *
 * <p>Semantics by {@link AggregationMode}:
 *
 * <ul>
 *   <li>{@link AggregationMode#EXPOSURE_WEIGHTED}: the half-open interval {@code [start, end)}; a
 *       relative window ends at the clock's now.
 *   <li>{@link AggregationMode#SEED_COMPATIBLE}: as the design's SQL wrote it. A relative window is
 *       {@code timestamp > now - amount} with no upper bound; an absolute one is {@code timestamp
 *       BETWEEN start AND end}, both ends included.
 * </ul>
 *
 * <p>A relative amount given as a {@link Period} (e.g. one year) is subtracted on the UTC calendar,
 * as a UTC database session computes {@code now() - interval '1 year'}. Instants are used at the
 * database's precision, microseconds.
 *
 * <p>Bucketed analyses (trends, costs) report each location's whole local calendar periods that
 * overlap the window; see {@link TrendAnalyzer}.
 *
 * <p>Thread safety: immutable.
 */
public final class Window {

  private final @Nullable TemporalAmount lookback;
  private final @Nullable Instant start;
  private final @Nullable Instant end;

  private Window(@Nullable TemporalAmount lookback, @Nullable Instant start, @Nullable Instant end) {
    this.lookback = lookback;
    this.start = start;
    this.end = end;
  }

  /**
   * The last {@code days} days (24-hour days) before the clock's now.
   *
   * @throws InvalidRequestException when days is below 1
   */
  public static Window lastDays(int days) {
    if (days < 1) {
      throw new InvalidRequestException("days " + days + " is below 1: a window covers at least one day");
    }
    return new Window(Duration.ofDays(days), null, null);
  }

  /**
   * The given duration before the clock's now, e.g. {@code Duration.ofHours(24)}.
   *
   * @throws InvalidRequestException when the duration is null, zero or negative
   */
  public static Window last(Duration duration) {
    Checks.requireNonNull("duration", duration);
    if (duration.isZero() || duration.isNegative()) {
      throw new InvalidRequestException(
          "duration " + duration + " is not positive: a window must have a length");
    }
    return new Window(duration, null, null);
  }

  /**
   * The given calendar period before the clock's now, counted on the UTC calendar, e.g. {@code
   * Period.ofYears(1)}.
   *
   * @throws InvalidRequestException when the period is null, zero or has a negative part
   */
  public static Window last(Period period) {
    Checks.requireNonNull("period", period);
    if (period.isZero() || period.isNegative()) {
      throw new InvalidRequestException(
          "period " + period + " is not positive: a window must have a length");
    }
    return new Window(period, null, null);
  }

  /**
   * From {@code start} (inclusive) to {@code end} (exclusive; inclusive in seed-compatible mode).
   *
   * @throws InvalidRequestException when either is null or start is not before end
   */
  public static Window between(Instant start, Instant end) {
    Checks.requireWindow(start, end, null);
    return new Window(null, start, end);
  }

  /** True for a window that ends at the clock's now ({@link #last}, {@link #lastDays}). */
  public boolean isRelative() {
    return lookback != null;
  }

  /** The amount a relative window looks back (a {@link Duration} or a {@link Period}), else null. */
  public @Nullable TemporalAmount lookback() {
    return lookback;
  }

  /** The start of an absolute window, else null. */
  public @Nullable Instant start() {
    return start;
  }

  /** The end of an absolute window, else null. */
  public @Nullable Instant end() {
    return end;
  }

  /**
   * The window's instants for this clock and mode, checked against the longest window allowed.
   *
   * @throws InvalidRequestException when the window is longer than {@code maxWindow}
   */
  Bounds resolve(Clock clock, AggregationMode mode, Duration maxWindow) {
    boolean seed = mode == AggregationMode.SEED_COMPATIBLE;
    if (lookback != null) {
      Instant now = micros(clock.instant());
      Instant from;
      try {
        from = micros(now.atZone(ZoneOffset.UTC).minus(lookback).toInstant());
      } catch (DateTimeException | ArithmeticException e) {
        throw new InvalidRequestException("window " + this + " before " + now
            + " starts before any supported instant: " + e.getMessage());
      }
      Checks.requireWindow(from, now, maxWindow);
      // seed: "timestamp > now - N" with no upper bound
      return new Bounds(from, now, seed ? from.plus(1, ChronoUnit.MICROS) : from,
          seed ? WindowSums.UNBOUNDED_END : now);
    }
    Instant from = micros(Objects.requireNonNull(start));
    Instant to = micros(Objects.requireNonNull(end));
    Checks.requireWindow(from, to, maxWindow);
    // seed: "timestamp BETWEEN start AND end"
    return new Bounds(from, to, from, seed ? to.plus(1, ChronoUnit.MICROS) : to);
  }

  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * A resolved window.
   *
   * @param start the start as reported
   * @param end the end as reported (the clock's now for a relative window)
   * @param readFrom the first instant read (inclusive)
   * @param readTo the instant reading stops at (exclusive)
   */
  record Bounds(Instant start, Instant end, Instant readFrom, Instant readTo) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof Window w
        && Objects.equals(lookback, w.lookback)
        && Objects.equals(start, w.start)
        && Objects.equals(end, w.end);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lookback, start, end);
  }

  @Override
  public String toString() {
    return lookback != null ? "last " + lookback : "[" + start + ", " + end + ")";
  }
}
