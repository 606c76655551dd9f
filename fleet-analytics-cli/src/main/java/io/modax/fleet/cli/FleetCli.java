package io.modax.fleet.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fleet-analytics} command line. {@code demo} needs nothing installed: it starts an
 * embedded PostgreSQL, installs the schema, loads the sample fleet and prints the overview and the
 * location comparison. Every other command is one analysis ({@code overview}, {@code compare},
 * {@code best}, {@code under}, {@code trends}, {@code forecast}, {@code benchmark}, {@code
 * dashboard}, {@code reliability}) and runs on the same embedded demo, or on a real PostgreSQL or TimescaleDB given with
 * {@code --jdbc-url}; each prints a table or, with {@code --format json}, JSON with the design's
 * field names. {@code import} loads CSV files through the library's writer and prints what
 * happened to every record. {@code report} writes an executive (or location) report as one HTML
 * file, {@code grafana} the executive dashboard as Grafana dashboard JSON.
 */
@Command(
    name = "fleet-analytics",
    mixinStandardHelpOptions = true,
    version = "fleet-analytics 0.1.0",
    description = "Fleet-wide analytics for MODAX installations.",
    subcommands = {DemoCommand.class, OverviewCommand.class, CompareCommand.class, BestCommand.class,
        UnderCommand.class, TrendsCommand.class, ForecastCommand.class, BenchmarkCommand.class,
        DashboardCommand.class, ReliabilityCommand.class, ReportCommand.class, GrafanaCommand.class,
        ImportCommand.class})
public final class FleetCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the command line with its output and errors going to the given writers (for tests). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  private static CommandLine commandLine() {
    return new CommandLine(new FleetCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        // numbers are plain decimals only, not Java's 0x1p-1, 0.5d or 010 (octal)
        .registerConverter(double.class, new Converters.PlainDecimalConverter())
        .registerConverter(Double.class, new Converters.PlainDecimalConverter())
        .registerConverter(int.class, new Converters.PlainIntegerConverter())
        .registerConverter(Integer.class, new Converters.PlainIntegerConverter())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + TerminalText.escape(String.valueOf(e.getMessage()), true));
          return 1;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
