package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.TrendAnalyzer;
import io.modax.fleet.analytics.TrendPeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's failure-trends endpoint. */
@Command(name = "trends", mixinStandardHelpOptions = true,
    description = "Failures and MTBF per location and local calendar period over a window (default:"
        + " the last year), with the change against the previous period. A location's periods before its first"
        + " data are not listed unless --include-empty-periods. Formats: table, json.")
final class TrendsCommand extends AnalysisCommand {

  @Option(names = "--period", defaultValue = "month", converter = Converters.PeriodConverter.class,
      paramLabel = "day|week|month",
      description = "Each location's local calendar day, week (Monday to Sunday) or month (default: ${DEFAULT-VALUE}).")
  TrendPeriod period;

  @Mixin WindowOptions window;

  @Option(names = "--include-empty-periods",
      description = "Also list each location's periods before its first data (0 failures, no data), for a"
          + " regular grid; not with --aggregation seed_compatible (the design's query has no such rows).")
  boolean includeEmptyPeriods;

  @Override
  void check() {
    window.check();
    if (includeEmptyPeriods && connection.aggregation == AggregationMode.SEED_COMPATIBLE) {
      throw new UsageException("--include-empty-periods does not go with --aggregation seed_compatible: the"
          + " design's query has a row only where there are snapshots");
    }
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.trends(s.fleet().trendAnalyzer().failureTrends(caller, org, period,
        window.window(TrendAnalyzer.DEFAULT_TREND_WINDOW, 365, s.fleet().clock()), includeEmptyPeriods),
        output.format);
  }
}
