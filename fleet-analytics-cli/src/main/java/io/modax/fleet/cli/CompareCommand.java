package io.modax.fleet.cli;

import io.modax.fleet.analytics.LocationSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's location comparison endpoint. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare locations over a window, best OEE first.")
final class CompareCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Option(names = "--location", split = ",",
      description = "Location ids to compare (default: all of the organization).")
  List<String> locations;

  @Option(names = "--from", description = "Window start, an ISO-8601 instant (default: --days before --to).")
  Instant from;

  @Option(names = "--to", description = "Window end, exclusive, an ISO-8601 instant (default: now).")
  Instant to;

  @Option(names = "--days", defaultValue = "30", description = "Window length when --from is not given (default: ${DEFAULT-VALUE}).")
  int days;

  @Override
  public Integer call() {
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      var analyzer = s.fleet().fleetAnalyzer();
      Instant end = to != null ? to : s.fleet().clock().instant();
      Instant start = from != null ? from : end.minus(Duration.ofDays(days));
      List<String> ids = locations != null && !locations.isEmpty() ? locations
          : analyzer.overview(connection.caller(), connection.organization).locations().stream()
              .map(LocationSummary::locationId).toList();
      System.out.print(Views.comparison(
          analyzer.compareLocations(connection.caller(), connection.organization, ids, start, end),
          output.format));
    }
    return 0;
  }
}
