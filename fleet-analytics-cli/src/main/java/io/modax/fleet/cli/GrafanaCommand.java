package io.modax.fleet.cli;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.reporting.GrafanaDashboard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The executive dashboard as Grafana dashboard JSON; needs no database. */
@Command(name = "grafana", mixinStandardHelpOptions = true,
    description = "Write the design's executive dashboard as a Grafana (10.4/11) dashboard JSON for provisioning"
        + " or import, querying the warehouse in --schema. Give its PostgreSQL data source a read-only user."
        + " Needs no database. Formats: json.")
final class GrafanaCommand implements Callable<Integer> {

  @Option(names = "--schema", defaultValue = FleetAnalytics.DEFAULT_SCHEMA,
      description = "Schema of the warehouse (default: ${DEFAULT-VALUE}).")
  String schema;

  @Mixin OutputOptions output;
  @Mixin GaugeOptions gauge;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    output.check("grafana", List.of(OutputOptions.Format.JSON));
    FleetHealth.Thresholds thresholds = gauge.thresholds();
    PrintWriter w = spec.commandLine().getOut();
    String json;
    try {
      json = GrafanaDashboard.json(schema, thresholds);
    } catch (InvalidRequestException e) {
      throw new UsageException("--schema " + schema + ": " + e.getMessage());
    }
    if (output.out == null) {
      w.print(json);
    } else {
      Path file = GrafanaDashboard.write(schema, thresholds, output.out);
      w.println("Wrote the Grafana dashboard \"Fleet Overview\" (uid " + GrafanaDashboard.UID + ", schema " + schema
          + ") to " + file.toAbsolutePath().normalize());
    }
    w.flush();
    return 0;
  }
}
