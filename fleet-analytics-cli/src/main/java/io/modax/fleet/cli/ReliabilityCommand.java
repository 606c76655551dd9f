package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.TrendAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Reliability trends from the failure events: Crow-AMSAA, Laplace and Weibull lives. */
@Command(name = "reliability", mixinStandardHelpOptions = true,
    description = "Is each location and device type failing more often, less often or steadily? Crow-AMSAA"
        + " (beta with its 95%% interval and a verdict), the Laplace trend test, and a Weibull fit of the"
        + " times between a device's failures with right censoring, on production-hour clocks, over a"
        + " window (default: the last year). Formats: table, json.")
final class ReliabilityCommand extends AnalysisCommand {

  @Mixin WindowOptions window;

  @Override
  void check() {
    window.check();
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return StatisticsViews.reliability(s.fleet().trendAnalyzer().reliability(caller, org,
        window.window(TrendAnalyzer.DEFAULT_RELIABILITY_WINDOW, 365, s.fleet().clock())), output.format);
  }
}
