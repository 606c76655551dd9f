package io.modax.fleet.cli;

import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.LocationComparison;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The README's main command: the whole library on the sample fleet, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start an embedded PostgreSQL, install the schema, load the sample fleet"
        + " (locations A, B, C), and print the fleet overview and location comparison.")
final class DemoCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      FleetAnalyzer analyzer = s.fleet().fleetAnalyzer();
      System.out.print(Views.overview(analyzer.overview(connection.caller(), connection.organization), output.format));
      System.out.println();
      Instant end = s.fleet().clock().instant();
      List<String> ids = analyzer.overview(connection.caller(), connection.organization).locations()
          .stream().map(l -> l.locationId()).toList();
      LocationComparison cmp = analyzer.compareLocations(
          connection.caller(), connection.organization, ids, end.minus(Duration.ofDays(30)), end);
      System.out.print(Views.comparison(cmp, output.format));
    }
    return 0;
  }
}
