package io.modax.fleet.internal;

import io.modax.fleet.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by every public entry; each failure names the parameter, value and rule. */
public final class Checks {

  /** Longest id the schema stores (VARCHAR(64)). */
  public static final int MAX_ID_LENGTH = 64;

  /**
   * The earliest instant a window may start at. PostgreSQL stores far older ones, but no fleet
   * data is that old, and bounding windows keeps every instant the library sends well inside the
   * database's range (and Java's exact arithmetic in microseconds).
   */
  public static final Instant EARLIEST_INSTANT = Instant.parse("1900-01-01T00:00:00Z");

  /** The latest instant a window may end at (exclusive): the end of year 9999. */
  public static final Instant LATEST_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

  private Checks() {}

  /** Throws when the value is null. */
  public static <T> T requireNonNull(String parameter, @Nullable T value) {
    if (value == null) {
      throw new InvalidRequestException(parameter + " must not be null");
    }
    return value;
  }

  /**
   * An id of an organization, location, device, event or part: 1 to 64 characters, not blank, no
   * control characters. Any other Unicode, quotes included, is allowed: ids only ever travel as
   * bind values.
   */
  public static String requireId(String parameter, @Nullable String value) {
    String problem = idProblem(value);
    if (problem != null) {
      throw new InvalidRequestException(
          parameter + " '" + printable(value) + "' is not a valid id: " + problem);
    }
    return value;
  }

  /** Why the value is not a valid id, or null when it is. */
  public static @Nullable String idProblem(@Nullable String value) {
    if (value == null) {
      return "it is missing";
    }
    if (value.isBlank()) {
      return "it is blank";
    }
    if (value.codePointCount(0, value.length()) > MAX_ID_LENGTH) {
      return "it is longer than " + MAX_ID_LENGTH + " characters";
    }
    if (value.codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == 0)) {
      return "it contains a control character";
    }
    // an unpaired surrogate is not Unicode: encoded to UTF-8 it would become '?', and two
    // different ids could name the same stored one
    if (value.codePoints().anyMatch(cp -> Character.isSurrogate((char) cp) && cp <= Character.MAX_VALUE)) {
      return "it contains an unpaired UTF-16 surrogate (not valid Unicode)";
    }
    return null;
  }

  /**
   * Requires {@code start < end}, both within [{@link #EARLIEST_INSTANT}, {@link
   * #LATEST_INSTANT}], and, when {@code max} is given, a window no longer than max.
   */
  public static void requireWindow(Instant start, Instant end, @Nullable Duration max) {
    requireNonNull("start", start);
    requireNonNull("end", end);
    if (!start.isBefore(end)) {
      throw new InvalidRequestException(
          "window [" + start + ", " + end + ") is empty or inverted: start must be before end");
    }
    if (start.isBefore(EARLIEST_INSTANT) || end.isAfter(LATEST_INSTANT)) {
      throw new InvalidRequestException(
          "window [" + start + ", " + end + ") reaches outside the supported range ["
              + EARLIEST_INSTANT + ", " + LATEST_INSTANT + ")");
    }
    if (max != null && Duration.between(start, end).compareTo(max) > 0) {
      throw new InvalidRequestException(
          "window ["
              + start
              + ", "
              + end
              + ") is longer than the maximum of "
              + max.toDays()
              + " days");
    }
  }

  /** Requires a finite value in [0, 1]. */
  public static double requireFraction(String parameter, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new InvalidRequestException(
          parameter + " " + value + " is outside [0, 1]: give a fraction, e.g. 0.7 for 70%");
    }
    return value;
  }

  /** Requires {@code min <= value <= max}. */
  public static int requireBetween(String parameter, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidRequestException(
          parameter + " " + value + " is outside the allowed range [" + min + ", " + max + "]");
    }
    return value;
  }

  /** At most this many values are quoted in one message ({@link #listed}). */
  public static final int MAX_LISTED = 10;

  /**
   * Values for a message, kept short whatever their number: the first {@value #MAX_LISTED}, each
   * made {@link #printable}, then "and N more", e.g. {@code [x1, x2, ..., x10, ... and 99990 more]}.
   */
  public static String listed(java.util.Collection<String> values) {
    StringBuilder b = new StringBuilder("[");
    int n = 0;
    for (String v : values) {
      if (n == MAX_LISTED) {
        b.append(", ... and ").append(values.size() - MAX_LISTED).append(" more");
        break;
      }
      b.append(n == 0 ? "" : ", ").append(printable(v));
      n++;
    }
    return b.append(']').toString();
  }

  /** A value made safe to quote in a message: at most 64 code points, control characters escaped. */
  public static String printable(@Nullable String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    int[] cps = value.codePoints().limit(MAX_ID_LENGTH + 1L).toArray();
    for (int i = 0; i < Math.min(cps.length, MAX_ID_LENGTH); i++) {
      int cp = cps[i];
      if (Character.isISOControl(cp)) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    }
    if (cps.length > MAX_ID_LENGTH) {
      b.append("...");
    }
    return b.toString();
  }
}
