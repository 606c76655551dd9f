package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The design's executive dashboard: every panel's data. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "The executive dashboard's panels: fleet health gauge (OEE, last 24 hours),"
        + " location map, failure trends (30 days), OEE by location, maintenance cost by location."
        + " Formats: table, json.")
final class DashboardCommand extends AnalysisCommand {

  @Mixin GaugeOptions gauge;

  @Override
  void check() {
    gauge.thresholds();
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.dashboard(s.fleet().dashboard().dashboard(caller, org, gauge.thresholds()), output.format);
  }
}
