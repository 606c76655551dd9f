package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetBenchmarking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's benchmark endpoint. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "A location's uptime, OEE, MTBF, MTTR and energy against the rest of the fleet over"
        + " a window (default: the last 30 days).")
final class BenchmarkCommand extends AnalysisCommand {

  @Option(names = "--location", required = true, description = "The location to benchmark.")
  String location;

  @Mixin WindowOptions window;

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return Views.benchmark(s.fleet().benchmarking().benchmarkLocation(caller, org, location,
        window.window(FleetBenchmarking.DEFAULT_WINDOW, 30, s.fleet().clock())), output.format);
  }
}
