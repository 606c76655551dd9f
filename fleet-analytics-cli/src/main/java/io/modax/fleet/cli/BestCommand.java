package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's best-performers endpoint. */
@Command(name = "best", mixinStandardHelpOptions = true,
    description = "The top N locations by a metric over a window (default: the last 30 days), best"
        + " first in the metric's own direction.")
final class BestCommand extends AnalysisCommand {

  @Option(names = "--metric", defaultValue = "oee", converter = Converters.MetricConverter.class,
      description = "oee, avg_uptime, avg_efficiency, avg_energy_consumption, mtbf, mttr or"
          + " total_failures (default: ${DEFAULT-VALUE}).")
  Metric metric;

  @Option(names = "--top", defaultValue = "" + FleetAnalyzer.DEFAULT_TOP_N,
      description = "How many locations (default: ${DEFAULT-VALUE}).")
  int top;

  @Mixin WindowOptions window;

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.ranking(s.fleet().fleetAnalyzer().bestPerformers(caller, org, metric, top,
        window.window(FleetAnalyzer.DEFAULT_WINDOW, 30, s.fleet().clock())), output.format, false, top, 0);
  }
}
