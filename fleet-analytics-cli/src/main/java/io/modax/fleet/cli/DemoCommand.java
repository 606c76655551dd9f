package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationSummary;
import io.modax.fleet.reporting.ReportPeriod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's main command: the whole library on the sample fleet, nothing to install. The first
 * run creates the demo database (an embedded PostgreSQL in {@code --data-dir}) and loads the sample
 * fleet; later runs, and every other command without {@code --jdbc-url}, reuse it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Create the demo database once (an embedded PostgreSQL in --data-dir, default"
        + " ~/.fleet-analytics/demo, loaded with the sample fleet of locations A, B, C), or reuse it; print"
        + " the fleet overview and location comparison, and write last week's executive report into --out."
        + " Every other command without --jdbc-url then runs on this database. Formats: table, json.")
final class DemoCommand extends AnalysisCommand {

  @Option(names = "--reset", description = "Delete the demo database and create it again (fresh sample data up to now).")
  boolean reset;

  @Override
  public Integer call() {
    CallerContext caller = checkAll(true);
    if (connection.jdbcUrl != null && reset) {
      throw new UsageException("--reset recreates the demo database; it does not go with --jdbc-url");
    }
    if (connection.jdbcUrl == null && connection.sampleDays != null && !reset
        && DemoDatabase.exists(connection.demoDirectory().toAbsolutePath().normalize())) {
      throw new UsageException("--sample-days " + connection.sampleDays + " applies when the demo database is"
          + " created, and it exists at " + connection.demoDirectory().toAbsolutePath().normalize()
          + ": add --reset to create it again");
    }
    ConnectionOptions.Session session = connection.jdbcUrl != null ? connection.open(System.err)
        : connection.demoSession(DemoDatabase.openOrCreate(connection.demoDirectory(), reset, connection.sampleDays(),
            connection.aggregation, connection.schema, System.err), System.err);
    try (ConnectionOptions.Session s = session) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(TerminalText.escape(run(s, caller, connection.organization), true));
      out.flush();
    }
    return 0;
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    FleetAnalyzer analyzer = s.fleet().fleetAnalyzer();
    FleetOverview overview = analyzer.overview(caller, org);
    Instant end = s.fleet().clock().instant();
    List<String> ids = overview.locations().stream().map(LocationSummary::locationId).toList();
    LocationComparison cmp = analyzer.compareLocations(caller, org, ids, end.minus(Duration.ofDays(30)), end);
    Path file = output.out != null ? output.out : Path.of(ReportCommand.DEFAULT_FILE);
    String report = ReportCommand.write(s, caller, org, ReportPeriod.WEEK, null, null, file);
    if (output.format == OutputOptions.Format.JSON) {
      System.err.print(report); // standard output stays one JSON document per analysis
      return Views.overview(overview, s.fleet().aggregationMode(), output.format) + Views.comparison(cmp, output.format);
    }
    return Views.overview(overview, s.fleet().aggregationMode(), output.format) + "\n" + Views.comparison(cmp, output.format)
        + "\n" + report + (s.demo() == null ? "" : "\nThe demo database stays in " + s.demo().directory()
        + ": try `fleet-analytics under --threshold 0.8`, `trends --period week` or `help`.\n");
  }
}
