package io.modax.fleet.cli;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The one grammar for numbers the command line reads, in CSV files and in options: plain decimals
 * in ASCII. A number is an optional sign, digits with an optional decimal point (digits on at least
 * one side of it) and an optional exponent ({@code e} or {@code E}, an optional sign, digits):
 * {@code 12}, {@code -0.5}, {@code .5}, {@code 3.}, {@code 1e-3}, {@code +2.5E2}. Java's other
 * spellings are refused: hexadecimal ({@code 0x1p-1}), type suffixes ({@code 0.5d}, {@code 2f},
 * {@code 3L}), {@code NaN}, {@code Infinity}, digits of other scripts ({@code ١٢}), and a value
 * beyond the range of a double ({@code 1e400}). A whole number is an optional sign and digits.
 * Each method returns null for text that does not follow the grammar; the caller names the value
 * in its own message.
 *
 * <p>Stateless and thread-safe.
 */
final class PlainNumbers {
  private PlainNumbers() {}

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");

  /** What {@link #decimal} accepts, for messages. */
  static final String DECIMAL_RULE = "a plain decimal number: digits with an optional sign, decimal point and"
      + " exponent, e.g. -12.5 or 1e-3";

  /** The finite double the text spells, or null when it is not a plain decimal within range. */
  static Double decimal(String text) {
    if (!DECIMAL.matcher(text).matches()) {
      return null;
    }
    double d = Double.parseDouble(text);
    return Double.isFinite(d) ? d : null;
  }

  /** Why {@link #decimal} refused the text, for a message after the value. */
  static String decimalProblem(String text) {
    return DECIMAL.matcher(text).matches() ? "beyond the range of a number (about 1.8e308)"
        : "not a plain decimal number";
  }

  /** The exact value the text spells, or null when it is not a plain decimal. */
  static BigDecimal exactDecimal(String text) {
    if (!DECIMAL.matcher(text).matches()) {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null; // an exponent beyond an int
    }
  }

  /** The int the text spells, or null when it is not a plain whole number within range. */
  static Integer integer(String text) {
    if (!WHOLE.matcher(text).matches()) {
      return null;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The long the text spells, or null when it is not a plain whole number within range. */
  static Long whole(String text) {
    if (!WHOLE.matcher(text).matches()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
