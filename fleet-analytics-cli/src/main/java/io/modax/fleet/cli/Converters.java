package io.modax.fleet.cli;

import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters accepting the design's names as well as the enums'. */
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
}
