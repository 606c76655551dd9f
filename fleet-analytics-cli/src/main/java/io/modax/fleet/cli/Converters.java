package io.modax.fleet.cli;

import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters: the design's names as well as the enums', and numbers in the one grammar of
 * {@link PlainNumbers} (registered for every int and double option in {@link FleetCli}).
 */
final class Converters {
  private Converters() {}

  /** A metric by its design field name ({@code avg_uptime}) or enum name ({@code UPTIME}). */
  static final class MetricConverter implements ITypeConverter<Metric> {
    @Override
    public Metric convert(String value) {
      for (Metric m : Metric.values()) {
        if (m.fieldName().equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) {
          return m;
        }
      }
      throw new TypeConversionException("unknown metric '" + value + "': expected oee, avg_uptime,"
          + " avg_efficiency, avg_energy_consumption, mtbf, mttr or total_failures");
    }
  }

  /** A period by its design name ({@code monthly}) or enum name ({@code MONTH}). */
  static final class PeriodConverter implements ITypeConverter<TrendPeriod> {
    @Override
    public TrendPeriod convert(String value) {
      for (TrendPeriod p : TrendPeriod.values()) {
        if (p.designName().equalsIgnoreCase(value) || p.name().equalsIgnoreCase(value)) {
          return p;
        }
      }
      throw new TypeConversionException(
          "unknown period '" + value.toLowerCase(Locale.ROOT) + "': expected daily, weekly or monthly");
    }
  }

  /** A double option: a plain decimal only ({@code 0x1p-1}, {@code 0.5d}, {@code NaN} refused). */
  static final class PlainDecimalConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      Double d = PlainNumbers.decimal(value);
      if (d == null) {
        throw new TypeConversionException("'" + value + "' is " + PlainNumbers.decimalProblem(value) + " ("
            + PlainNumbers.DECIMAL_RULE + ")");
      }
      return d;
    }
  }

  /** An int option: a plain whole number only ({@code 0x10}, {@code 010} as octal, {@code 1e3} refused). */
  static final class PlainIntegerConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      Integer i = PlainNumbers.integer(value);
      if (i == null) {
        throw new TypeConversionException("'" + value + "' is not a plain whole number (digits with an optional"
            + " sign, within " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ")");
      }
      return i;
    }
  }
}
