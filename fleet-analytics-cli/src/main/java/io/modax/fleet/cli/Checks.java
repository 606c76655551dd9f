package io.modax.fleet.cli;

import java.util.Locale;

/** Option checks whose messages name the option as typed. */
final class Checks {
  private Checks() {}

  /** A fraction in [0, 1]: {@code --threshold 70 is outside [0, 1]: give a fraction, e.g. 0.7 for 70%}. */
  static double fraction(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new UsageException(option + " " + plain(value) + " is outside [0, 1]: give a fraction, e.g. 0.7 for 70%");
    }
    return value;
  }

  /** A whole number in [min, max]. */
  static int between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageException(option + " " + value + " is outside [" + min + ", " + max + "]");
    }
    return value;
  }

  /** 70 rather than 70.0, 0.5 as 0.5. */
  static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.0f", v) : Double.toString(v);
  }
}
