package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The design's executive dashboard: every panel's data. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "The executive dashboard's panels: fleet health gauge (OEE, last 24 hours),"
        + " location map, failure trends (30 days), OEE by location, maintenance cost by location.")
final class DashboardCommand extends AnalysisCommand {

  @Option(names = "--critical", defaultValue = "0.6", description = "Gauge: OEE below this is critical (default: ${DEFAULT-VALUE}).")
  double critical;

  @Option(names = "--warning", defaultValue = "0.75", description = "Gauge: OEE below this is a warning (default: ${DEFAULT-VALUE}).")
  double warning;

  @Option(names = "--good", defaultValue = "0.85", description = "Gauge: OEE at or above this is good (default: ${DEFAULT-VALUE}).")
  double good;

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    FleetHealth.Thresholds thresholds = new FleetHealth.Thresholds(critical, warning, good);
    return Views.dashboard(s.fleet().dashboard().dashboard(caller, org, thresholds), output.format);
  }
}
