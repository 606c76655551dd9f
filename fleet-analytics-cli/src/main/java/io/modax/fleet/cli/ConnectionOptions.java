package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.SchemaException;
import io.modax.fleet.testkit.SampleFleet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** Where the warehouse is and who asks; shared by every command that reads or writes one. */
final class ConnectionOptions {

  /** The sample fleet's days of history: at least one day, at most ten years. */
  static final int MIN_SAMPLE_DAYS = 1;
  static final int MAX_SAMPLE_DAYS = 3660;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "A PostgreSQL or TimescaleDB, e.g. jdbc:postgresql://localhost:5432/fleet."
          + " Without it the command uses the demo database (see demo and --data-dir).")
  String jdbcUrl;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The demo database's directory, which demo creates and later commands reuse"
          + " (default: ~/.fleet-analytics/demo).")
  Path dataDir;

  @Option(names = "--user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--password", defaultValue = "${env:FLEET_ANALYTICS_PASSWORD:-postgres}",
      description = "Database password (default: $FLEET_ANALYTICS_PASSWORD, else postgres).")
  String password;

  @Option(names = "--schema", defaultValue = FleetAnalytics.DEFAULT_SCHEMA,
      description = "Schema of the warehouse (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(names = "--org", defaultValue = SampleFleet.ORGANIZATION_ID,
      description = "Organization to analyse (default: ${DEFAULT-VALUE}).")
  String organization;

  @Option(names = "--tenant",
      description = "The caller's own organization (default: the one analysed).")
  String tenant;

  @Option(names = "--role", defaultValue = "admin",
      description = "The caller's role: admin, operator, maintenance, read_only (default: ${DEFAULT-VALUE}).")
  String role;

  @Option(names = "--aggregation", defaultValue = "exposure_weighted",
      description = "exposure_weighted (correct ratios of sums) or seed_compatible (the design's plain"
          + " averages, to compare with its SQL) (default: ${DEFAULT-VALUE}).")
  AggregationMode aggregation;

  @Option(names = "--load-sample",
      description = "With --jdbc-url: first load the sample fleet (--sample-days ending now) into the"
          + " database's --schema, to try the commands on a real PostgreSQL or TimescaleDB.")
  boolean loadSample;

  @Option(names = "--sample-days", paramLabel = "DAYS",
      description = "Days of history of the sample fleet that demo (when it creates the demo database) and"
          + " --load-sample load, " + MIN_SAMPLE_DAYS + " to " + MAX_SAMPLE_DAYS + " (default: 90).")
  Integer sampleDays;

  /** The caller the command acts as; a bad --role or --tenant is a usage error. */
  CallerContext caller() {
    Role r;
    try {
      r = Role.fromWireName(role);
    } catch (InvalidRequestException e) {
      throw new UsageException("--role " + role + ": " + e.getMessage());
    }
    try {
      return CallerContext.of("fleet-cli", tenant != null ? tenant : organization, r);
    } catch (InvalidRequestException | IllegalArgumentException e) {
      throw new UsageException((tenant != null ? "--tenant " + tenant : "--org " + organization) + ": " + e.getMessage());
    }
  }

  /** The days of sample history asked for (default 90). */
  int sampleDays() {
    return sampleDays == null ? 90 : sampleDays;
  }

  /** The demo database's directory. */
  Path demoDirectory() {
    return dataDir != null ? dataDir : DemoDatabase.defaultDirectory();
  }

  /**
   * Checks the options before anything starts. {@code sampleDaysAllowed}: whether the command itself
   * loads a sample (demo) besides {@code --load-sample}.
   */
  void check(boolean sampleDaysAllowed) {
    caller();
    if (jdbcUrl != null && dataDir != null) {
      throw new UsageException("--data-dir " + dataDir + " is the demo database's directory: it does not go with"
          + " --jdbc-url");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new UsageException("--jdbc-url " + jdbcUrl + ": expected a PostgreSQL URL, jdbc:postgresql://HOST:PORT/DB");
    }
    if (loadSample && jdbcUrl == null) {
      throw new UsageException("--load-sample loads the sample fleet into a --jdbc-url database; the demo database"
          + " is loaded by demo");
    }
    if (sampleDays != null) {
      if (!loadSample && !sampleDaysAllowed) {
        throw new UsageException("--sample-days " + sampleDays + " applies only to demo (when it creates the demo"
            + " database) and to --load-sample");
      }
      if (sampleDays < MIN_SAMPLE_DAYS || sampleDays > MAX_SAMPLE_DAYS) {
        throw new UsageException("--sample-days " + sampleDays + " is outside [" + MIN_SAMPLE_DAYS + ", "
            + MAX_SAMPLE_DAYS + "]");
      }
    }
  }

  /** Where the rows of a command go or come from, for people: the URL without its parameters, or the demo. */
  String target(Session s) {
    if (s.demo() != null) {
      return "the demo database at " + s.demo().directory() + " (schema " + schema + ")";
    }
    int q = jdbcUrl.indexOf('?');
    return (q < 0 ? jdbcUrl : jdbcUrl.substring(0, q)) + " (schema " + schema + ")";
  }

  /** Opens the warehouse: {@code --jdbc-url}, else the demo database (progress goes to {@code log}). */
  Session open(PrintStream log) {
    caller();
    if (jdbcUrl != null) {
      FleetAnalytics fleet = FleetAnalytics.builder(jdbcUrl, user, password).schema(schema)
          .aggregationMode(aggregation).build();
      try {
        SampleFleet.LoadReport report = loadSample ? load(fleet, sample(sampleDays()), log) : null;
        return new Session(fleet, null, report);
      } catch (RuntimeException e) {
        fleet.close();
        throw e;
      }
    }
    return demoSession(DemoDatabase.open(demoDirectory(), log), log);
  }

  /** A session on an opened demo database; closes it when the session cannot be made. */
  Session demoSession(DemoDatabase demo, PrintStream log) {
    try {
      FleetAnalytics fleet;
      try {
        // demo installed the schema: checking that it is current is enough, and quicker than migrating
        fleet = FleetAnalytics.builder(demo.dataSource()).schema(schema).aggregationMode(aggregation)
            .schemaAction(SchemaAction.VALIDATE).build();
      } catch (SchemaException e) {
        // a newer fleet-analytics on an older demo database: bring its schema up to date
        fleet = FleetAnalytics.builder(demo.dataSource()).schema(schema).aggregationMode(aggregation).build();
      }
      demo.sampleEnd().filter(end -> end.isBefore(Instant.now().minus(Duration.ofDays(7)))).ifPresent(end ->
          log.println("Note: the demo's sample data ends at " + end + "; windows ending now see less of it."
              + " `fleet-analytics demo --reset` reloads it up to now."));
      return new Session(fleet, demo, null);
    } catch (RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  static SampleFleet sample(int days) {
    try {
      return SampleFleet.builder().end(Clock.systemUTC().instant()).days(days).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--sample-days " + days + ": " + e.getMessage());
    }
  }

  static SampleFleet.LoadReport load(FleetAnalytics fleet, SampleFleet sample, PrintStream log) {
    log.printf("Loading the sample fleet: %d locations, %d days of %d-minute snapshots ...%n",
        sample.locations().size(), Duration.between(sample.start(), sample.end()).toDays(),
        sample.intervalSeconds() / 60);
    long t0 = System.nanoTime();
    SampleFleet.LoadReport report = sample.load(fleet);
    log.printf("Loaded in %.1f s: metrics %s; events %s%n", (System.nanoTime() - t0) / 1e9,
        report.metrics(), report.events());
    return report;
  }

  /** An open warehouse; closing it stops the demo database's server, if one was started. */
  record Session(FleetAnalytics fleet, DemoDatabase demo, SampleFleet.LoadReport loaded)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        fleet.close();
      } finally {
        if (demo != null) {
          demo.close();
        }
      }
    }
  }
}
