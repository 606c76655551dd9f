package io.modax.fleet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The design's fleet overview endpoint. */
@Command(name = "overview", mixinStandardHelpOptions = true,
    description = "Devices, locations, overall OEE and uptime, failures in the last 30 days.")
final class OverviewCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      System.out.print(Views.overview(
          s.fleet().fleetAnalyzer().overview(connection.caller(), connection.organization), output.format));
    }
    return 0;
  }
}
