package io.modax.fleet.cli;

import io.modax.fleet.analytics.FleetHealth;
import picocli.CommandLine.Option;

/** The fleet health gauge's bands ({@code dashboard}, {@code grafana}). */
final class GaugeOptions {

  @Option(names = "--critical", defaultValue = "" + 0.6, paramLabel = "FRACTION",
      description = "Gauge: OEE below this is critical (default: ${DEFAULT-VALUE}).")
  double critical;

  @Option(names = "--warning", defaultValue = "" + 0.75, paramLabel = "FRACTION",
      description = "Gauge: OEE below this is a warning (default: ${DEFAULT-VALUE}).")
  double warning;

  @Option(names = "--good", defaultValue = "" + 0.85, paramLabel = "FRACTION",
      description = "Gauge: OEE at or above this is good (default: ${DEFAULT-VALUE}).")
  double good;

  /** The bands; throws {@link UsageException} naming the option when one is out of range or out of order. */
  FleetHealth.Thresholds thresholds() {
    Checks.fraction("--critical", critical);
    Checks.fraction("--warning", warning);
    Checks.fraction("--good", good);
    if (!(critical <= warning && warning <= good)) {
      throw new UsageException("--critical " + critical + ", --warning " + warning + ", --good " + good
          + " are not in order: critical <= warning <= good");
    }
    return new FleetHealth.Thresholds(critical, warning, good);
  }
}
