package io.modax.fleet.cli;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.reporting.GrafanaDashboard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The executive dashboard as Grafana dashboard JSON; needs no database. */
@Command(name = "grafana", mixinStandardHelpOptions = true,
    description = "Write the design's executive dashboard as a Grafana (10.4/11) dashboard JSON for provisioning"
        + " or import, querying the warehouse in --schema. Give its PostgreSQL data source a read-only user.")
final class GrafanaCommand implements Callable<Integer> {

  @Option(names = "--schema", defaultValue = FleetAnalytics.DEFAULT_SCHEMA,
      description = "Schema of the warehouse (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(names = "--out", description = "The JSON file to write (default: standard output).")
  Path out;

  @Option(names = "--critical", defaultValue = "0.6", description = "Gauge: OEE below this is critical (default: ${DEFAULT-VALUE}).")
  double critical;

  @Option(names = "--warning", defaultValue = "0.75", description = "Gauge: OEE below this is a warning (default: ${DEFAULT-VALUE}).")
  double warning;

  @Option(names = "--good", defaultValue = "0.85", description = "Gauge: OEE at or above this is good (default: ${DEFAULT-VALUE}).")
  double good;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    FleetHealth.Thresholds thresholds = new FleetHealth.Thresholds(critical, warning, good);
    PrintWriter w = spec.commandLine().getOut();
    if (out == null) {
      w.print(GrafanaDashboard.json(schema, thresholds));
    } else {
      Path file = GrafanaDashboard.write(schema, thresholds, out);
      w.println("Wrote the Grafana dashboard \"Fleet Overview\" (uid " + GrafanaDashboard.UID + ", schema " + schema
          + ") to " + file.toAbsolutePath().normalize());
    }
    w.flush();
    return 0;
  }
}
