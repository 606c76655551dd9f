package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.LocationSummary;
import io.modax.fleet.analytics.Window;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's location comparison endpoint. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare locations over a window (default: the last 30 days), best OEE first. Formats: table, json.")
final class CompareCommand extends AnalysisCommand {

  @Option(names = "--location", split = ",",
      description = "Location ids to compare (default: all of the organization).")
  List<String> locations;

  @Mixin WindowOptions window;

  @Override
  void check() {
    window.check();
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    FleetAnalyzer analyzer = s.fleet().fleetAnalyzer();
    Window w = window.window(FleetAnalyzer.DEFAULT_WINDOW, 30, s.fleet().clock());
    List<String> ids = locations != null && !locations.isEmpty() ? locations
        : analyzer.overview(caller, org).locations().stream().map(LocationSummary::locationId).toList();
    return Views.comparison(analyzer.compareLocations(caller, org, ids, w), output.format);
  }
}
