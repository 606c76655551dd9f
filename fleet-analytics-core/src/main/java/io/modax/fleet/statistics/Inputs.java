package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Argument checks and formatting shared by this package; every failure names parameter and rule. */
final class Inputs {

  private Inputs() {}

  static double[] finiteCopy(String parameter, double @Nullable [] values, int minLength) {
    if (values == null) {
      throw new InvalidRequestException(parameter + " must not be null");
    }
    if (values.length < minLength) {
      throw new InvalidRequestException(
          parameter + " has " + values.length + " values; at least " + minLength + " are needed");
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new InvalidRequestException(
            parameter + "[" + i + "] is " + values[i] + ": only finite numbers are allowed");
      }
    }
    return values.clone();
  }

  static int[] countsCopy(String parameter, int @Nullable [] counts, int minLength) {
    if (counts == null) {
      throw new InvalidRequestException(parameter + " must not be null");
    }
    if (counts.length < minLength) {
      throw new InvalidRequestException(
          parameter + " has " + counts.length + " days; at least " + minLength + " are needed");
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new InvalidRequestException(
            parameter + "[" + i + "] is " + counts[i] + ": counts cannot be negative");
      }
    }
    return counts.clone();
  }

  static double level(String parameter, double level) {
    if (!(level >= 0.5 && level < 1)) {
      throw new InvalidRequestException(
          parameter + " " + level + " is outside [0.5, 1): give e.g. 0.95 for 95%");
    }
    return level;
  }

  static double alpha(String parameter, double alpha) {
    if (!(alpha > 0 && alpha <= 0.5)) {
      throw new InvalidRequestException(
          parameter + " " + alpha + " is outside (0, 0.5]: give e.g. 0.05 for 5%");
    }
    return alpha;
  }

  static String fmt(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.6g", value);
  }

  /** A small builder for {@link StatisticalMethod}: parameters in insertion order. */
  static final class Method {
    private final String name;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<String> assumptions = new ArrayList<>();
    private final List<String> caveats = new ArrayList<>();

    Method(String name) {
      this.name = name;
    }

    Method param(String key, double value) {
      parameters.put(key, fmt(value));
      return this;
    }

    Method param(String key, String value) {
      parameters.put(key, value);
      return this;
    }

    Method assume(String sentence) {
      assumptions.add(sentence);
      return this;
    }

    Method caveat(String sentence) {
      caveats.add(sentence);
      return this;
    }

    StatisticalMethod build() {
      return new StatisticalMethod(name, parameters, assumptions, caveats);
    }
  }
}
