package io.modax.fleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fleet-analytics} command line. {@code demo} needs nothing installed: it creates the
 * demo database once (an embedded PostgreSQL whose data directory persists, by default in {@code
 * ~/.fleet-analytics/demo}), loads the sample fleet and prints the overview and the location
 * comparison. Every other command is one analysis ({@code overview}, {@code compare}, {@code best},
 * {@code under}, {@code trends}, {@code forecast}, {@code benchmark}, {@code dashboard}, {@code
 * reliability}) and runs on that demo database, or on a real PostgreSQL or TimescaleDB given with
 * {@code --jdbc-url}; each prints a table or, with {@code --format json}, JSON with the design's
 * field names. {@code import} loads CSV files through the library's writer into {@code --jdbc-url}
 * (or, with {@code --demo}, the demo database) and prints what happened to every record. {@code
 * report} writes an executive (or location) report as one HTML file, {@code grafana} the executive
 * dashboard as Grafana dashboard JSON.
 *
 * <p>Options are checked before any database starts; a bad one ends the command with status 2 and
 * a message naming it. A failure while running ends it with status 1.
 */
@Command(
    name = "fleet-analytics",
    mixinStandardHelpOptions = true,
    versionProvider = FleetCli.Version.class,
    description = "Fleet-wide analytics for MODAX installations.",
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, OverviewCommand.class, CompareCommand.class,
        BestCommand.class, UnderCommand.class, TrendsCommand.class, ForecastCommand.class, BenchmarkCommand.class,
        DashboardCommand.class, ReliabilityCommand.class, ReportCommand.class, GrafanaCommand.class,
        ImportCommand.class},
    footer = {"",
        "The same words on every command:",
        "  --period day|week|month   a local calendar day, week or month",
        "  --format table|json|html  what to write; a command refuses what it cannot",
        "                            write (analyses: table, json; report: html;",
        "                            grafana: json)",
        "  --out FILE                write into FILE, not standard output (report,",
        "                            demo: the HTML report's file)",
        "  --days, --from, --to      the window: the last DAYS days, or [FROM, TO)",
        "  --jdbc-url URL            your PostgreSQL or TimescaleDB; without it:",
        "  --data-dir DIR            the demo database (default ~/.fleet-analytics/demo),",
        "                            created by demo and reused by every command",
        "",
        "Start with `fleet-analytics demo`; `fleet-analytics help COMMAND` shows a",
        "command's options. Exit status: 0 done, 1 failed, 2 an option refused."})
public final class FleetCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int status = execute(args);
    if (Boolean.getBoolean(TRAINING_PROPERTY)) {
      loadClassesForTheArchive();
    }
    System.exit(status);
  }

  /**
   * Set by the launcher ({@code fleet-analytics-cli/fleet-analytics}) on the one run that records
   * the class-data archive: the classes every command may need are then loaded too, so that the
   * archive serves all commands, not only the one that happened to record it.
   */
  static final String TRAINING_PROPERTY = "fleet.cli.cds-training";

  private static final List<String> ARCHIVED_PACKAGES = List.of("io/modax/fleet/", "org/jooq/", "org/postgresql/",
      "picocli/", "io/zonky/", "org/apache/commons/math3/", "com/zaxxer/hikari/", "org/slf4j/");

  private static void loadClassesForTheArchive() {
    try {
      java.net.URL jar = FleetCli.class.getProtectionDomain().getCodeSource().getLocation();
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(new java.io.File(jar.toURI()))) {
        ClassLoader loader = FleetCli.class.getClassLoader();
        zip.stream().map(java.util.zip.ZipEntry::getName)
            .filter(n -> n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF/"))
            .filter(n -> ARCHIVED_PACKAGES.stream().anyMatch(n::startsWith))
            .forEach(n -> {
              try {
                Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
              } catch (Throwable ignored) {
                // a class that needs something absent (an optional dependency) is simply not archived
              }
            });
      }
    } catch (Exception ignored) {
      // the archive is an optimization: without these classes it only helps less
    }
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the command line with its output and errors going to the given writers (for tests). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  /** The artifact's version, e.g. 0.1.0-SNAPSHOT (filtered from the pom into version.properties). */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = FleetCli.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  /** {@code --version}: the artifact's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"fleet-analytics " + version()};
    }
  }

  private static CommandLine commandLine() {
    return new CommandLine(new FleetCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        // numbers are plain decimals only, not Java's 0x1p-1, 0.5d or 010 (octal)
        .registerConverter(double.class, new Converters.PlainDecimalConverter())
        .registerConverter(Double.class, new Converters.PlainDecimalConverter())
        .registerConverter(int.class, new Converters.PlainIntegerConverter())
        .registerConverter(Integer.class, new Converters.PlainIntegerConverter())
        .setParameterExceptionHandler((e, args) -> usageError(e.getCommandLine(), e.getMessage()))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (e instanceof UsageException) {
            return usageError(cmd, e.getMessage());
          }
          cmd.getErr().println("error: " + TerminalText.escape(String.valueOf(e.getMessage()), true));
          return 1;
        });
  }

  /** A refused option: its message and where the options are described; status 2. */
  private static int usageError(CommandLine cmd, String message) {
    String name = cmd.getCommandSpec().qualifiedName(" ");
    String sub = cmd.getParent() == null ? "" : " " + cmd.getCommandName();
    cmd.getErr().println("error: " + TerminalText.escape(String.valueOf(message), true));
    cmd.getErr().println("(`fleet-analytics help" + sub + "` lists the options of " + name + ")");
    cmd.getErr().flush();
    return 2;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
