package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's underperformers endpoint. */
@Command(name = "under", mixinStandardHelpOptions = true,
    description = "Locations whose OEE over a window (default: the last 30 days) is below a"
        + " threshold, lowest first.")
final class UnderCommand extends AnalysisCommand {

  @Option(names = "--threshold", defaultValue = "" + FleetAnalyzer.DEFAULT_UNDERPERFORMANCE_THRESHOLD,
      description = "OEE as a fraction in [0, 1] (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Mixin WindowOptions window;

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.ranking(s.fleet().fleetAnalyzer().underperformers(caller, org, threshold,
        window.window(FleetAnalyzer.DEFAULT_WINDOW, 30, s.fleet().clock())), output.format, true, 0,
        threshold);
  }
}
