package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.TrendAnalyzer;
import io.modax.fleet.analytics.TrendPeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's failure-trends endpoint. */
@Command(name = "trends", mixinStandardHelpOptions = true,
    description = "Failures and MTBF per location and local calendar period over a window (default:"
        + " the last year), with the change against the previous period. Periods without data are not listed. Formats: table, json.")
final class TrendsCommand extends AnalysisCommand {

  @Option(names = "--period", defaultValue = "month", converter = Converters.PeriodConverter.class,
      paramLabel = "day|week|month",
      description = "Each location's local calendar day, week (Monday to Sunday) or month (default: ${DEFAULT-VALUE}).")
  TrendPeriod period;

  @Mixin WindowOptions window;

  @Override
  void check() {
    window.check();
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.trends(s.fleet().trendAnalyzer().failureTrends(caller, org, period,
        window.window(TrendAnalyzer.DEFAULT_TREND_WINDOW, 365, s.fleet().clock())), output.format);
  }
}
