package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationSummary;
import io.modax.fleet.reporting.ReportPeriod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The README's main command: the whole library on the sample fleet, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start an embedded PostgreSQL, install the schema, load the sample fleet"
        + " (locations A, B, C), print the fleet overview and location comparison, and write last"
        + " week's executive report as an HTML file.")
final class DemoCommand extends AnalysisCommand {

  @Option(names = "--report-out", defaultValue = "fleet-report.html",
      description = "Where to write the executive report (default: ${DEFAULT-VALUE}).")
  Path reportOut;

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    FleetAnalyzer analyzer = s.fleet().fleetAnalyzer();
    FleetOverview overview = analyzer.overview(caller, org);
    Instant end = s.fleet().clock().instant();
    List<String> ids = overview.locations().stream().map(LocationSummary::locationId).toList();
    LocationComparison cmp = analyzer.compareLocations(caller, org, ids, end.minus(Duration.ofDays(30)), end);
    String report = ReportCommand.write(s, caller, org, ReportPeriod.WEEK, null, null, reportOut);
    return Views.overview(overview, s.fleet().aggregationMode(), output.format) + "\n" + Views.comparison(cmp, output.format)
        + (output.format == OutputOptions.Format.JSON ? "" : "\n" + report);
  }
}
