package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.BenchmarkOptions;
import io.modax.fleet.analytics.FleetBenchmarking;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.statistics.BenchmarkReference;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The design's benchmark endpoint, with significance, peer groups and calibration. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "A location's uptime, OEE, MTBF, MTTR and energy against the rest of the fleet (or of"
        + " its peer group) over a window (default: the last 30 days): difference, status, a significance"
        + " test on daily values, the group's percentile bands and the OEE reference class. With --all,"
        + " every location at once with a false-discovery correction. Formats: table, json.")
final class BenchmarkCommand extends AnalysisCommand {

  @Option(names = "--location", description = "The location to benchmark (or --all).")
  String location;

  @Option(names = "--all", description = "Benchmark every location at once (Benjamini-Hochberg across locations).")
  boolean all;

  @Option(names = "--peers", defaultValue = "fleet",
      description = "Compare with: fleet, shift_pattern, tags, device_mix or shift_pattern_and_device_mix"
          + " (default: ${DEFAULT-VALUE}).")
  BenchmarkOptions.PeerGroupRule peers;

  @Option(names = "--tag-prefix", defaultValue = "",
      description = "With --peers tags: only tags starting with this prefix group locations, e.g. region:.")
  String tagPrefix;

  @Option(names = "--alpha", defaultValue = "0.05",
      description = "Significance level, and false discovery rate with --all (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--world-class-oee", defaultValue = "" + BenchmarkReference.WORLD_CLASS_OEE,
      description = "World-class OEE, a fraction (default: ${DEFAULT-VALUE}).")
  double worldClassOee;

  @Option(names = "--typical-oee", split = ",", defaultValue = BenchmarkReference.TYPICAL_OEE_LOW + ","
      + BenchmarkReference.TYPICAL_OEE_HIGH,
      description = "Typical OEE range, LOW,HIGH fractions (default: ${DEFAULT-VALUE}).")
  List<Double> typicalOee;

  @Mixin WindowOptions window;

  /** The options, built and checked before any database starts. */
  private BenchmarkOptions options;

  @Override
  void check() {
    if (all == (location != null)) {
      throw new UsageException("give either --location or --all");
    }
    if (!(alpha > 0 && alpha <= 0.5)) {
      throw new UsageException("--alpha " + Checks.plain(alpha) + " is outside (0, 0.5]: give e.g. 0.05 for 5%");
    }
    Checks.fraction("--world-class-oee", worldClassOee);
    if (typicalOee.size() != 2) {
      throw new UsageException("--typical-oee needs two fractions, LOW,HIGH; got " + typicalOee);
    }
    Checks.fraction("--typical-oee", typicalOee.get(0));
    Checks.fraction("--typical-oee", typicalOee.get(1));
    if (!tagPrefix.isEmpty() && peers != BenchmarkOptions.PeerGroupRule.TAGS) {
      throw new UsageException("--tag-prefix " + tagPrefix + " applies only with --peers tags");
    }
    window.check();
    try {
      options = options();
    } catch (InvalidRequestException | IllegalArgumentException e) {
      throw new UsageException("--world-class-oee " + Checks.plain(worldClassOee) + ", --typical-oee "
          + Checks.plain(typicalOee.get(0)) + "," + Checks.plain(typicalOee.get(1)) + ": " + e.getMessage());
    }
  }

  private BenchmarkOptions options() {
    BenchmarkReference oee = new BenchmarkReference("OEE", worldClassOee, typicalOee.get(0), typicalOee.get(1),
        true, worldClassOee == BenchmarkReference.WORLD_CLASS_OEE
            && typicalOee.get(0) == BenchmarkReference.TYPICAL_OEE_LOW
            && typicalOee.get(1) == BenchmarkReference.TYPICAL_OEE_HIGH
            ? BenchmarkReference.oee().source() : "given on the command line");
    return new BenchmarkOptions(peers, tagPrefix, BenchmarkOptions.defaults().minDeviceMixCosine(),
        alpha, BenchmarkOptions.defaults().references()).withReference(Metric.OEE, oee);
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    Window w = window.window(FleetBenchmarking.DEFAULT_WINDOW, 30, s.fleet().clock());
    if (all) {
      return StatisticsViews.fleetBenchmark(s.fleet().benchmarking().benchmarkAllLocations(caller, org, w, options),
          output.format);
    }
    return StatisticsViews.benchmark(s.fleet().benchmarking().benchmarkLocation(caller, org, location, w, options),
        output.format);
  }
}
