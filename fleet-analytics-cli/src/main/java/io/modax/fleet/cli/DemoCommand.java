package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

/** The README's main command: the whole library on the sample fleet, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start an embedded PostgreSQL, install the schema, load the sample fleet"
        + " (locations A, B, C), and print the fleet overview and location comparison.")
final class DemoCommand extends AnalysisCommand {

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    FleetAnalyzer analyzer = s.fleet().fleetAnalyzer();
    FleetOverview overview = analyzer.overview(caller, org);
    Instant end = s.fleet().clock().instant();
    List<String> ids = overview.locations().stream().map(LocationSummary::locationId).toList();
    LocationComparison cmp = analyzer.compareLocations(caller, org, ids, end.minus(Duration.ofDays(30)), end);
    return Views.overview(overview, output.format) + "\n" + Views.comparison(cmp, output.format);
  }
}
