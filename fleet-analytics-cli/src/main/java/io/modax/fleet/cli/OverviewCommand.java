package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import picocli.CommandLine.Command;

/** The design's fleet overview endpoint. */
@Command(name = "overview", mixinStandardHelpOptions = true,
    description = "Devices, locations, overall OEE and uptime, failures in the last 30 days.")
final class OverviewCommand extends AnalysisCommand {

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.overview(s.fleet().fleetAnalyzer().overview(caller, org), s.fleet().aggregationMode(),
        output.format);
  }
}
