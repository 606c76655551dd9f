package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.testkit.SampleFleet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import picocli.CommandLine.Option;

/** Where the warehouse is and who asks; shared by every command. */
final class ConnectionOptions {

  @Option(names = "--jdbc-url",
      description = "A PostgreSQL or TimescaleDB, e.g. jdbc:postgresql://localhost:5432/fleet."
          + " Without it the command runs on an embedded PostgreSQL loaded with the sample fleet.")
  String jdbcUrl;

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
      description = "With --jdbc-url: first load the sample fleet (90 days ending now) into the"
          + " database's --schema, to try the commands on a real PostgreSQL or TimescaleDB.")
  boolean loadSample;

  @Option(names = "--sample-days", defaultValue = "90",
      description = "Days of history in the sample fleet the embedded demo and --load-sample load,"
          + " 1 to 3660 (default: ${DEFAULT-VALUE}).")
  int sampleDays;

  /** The caller the command acts as. */
  CallerContext caller() {
    return CallerContext.of("fleet-cli", tenant != null ? tenant : organization, Role.fromWireName(role));
  }

  /**
   * Opens the warehouse: the given database, or an embedded PostgreSQL with the sample fleet loaded
   * (progress goes to {@code log}).
   */
  Session open(PrintStream log) {
    caller(); // a bad --role or --tenant fails before any connection is made
    if (jdbcUrl != null) {
      FleetAnalytics fleet = FleetAnalytics.builder(jdbcUrl, user, password).schema(schema)
          .aggregationMode(aggregation).build();
      SampleFleet.LoadReport report = loadSample ? load(fleet, sampleDays, log) : null;
      return new Session(fleet, null, report);
    }
    EmbeddedPostgres pg;
    try {
      log.println("Starting an embedded PostgreSQL (no --jdbc-url given) ...");
      pg = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
    FleetAnalytics fleet;
    try {
      fleet = FleetAnalytics.builder(pg.getPostgresDatabase()).schema(schema).aggregationMode(aggregation).build();
    } catch (RuntimeException e) {
      closeQuietly(pg);
      throw e;
    }
    return new Session(fleet, pg, load(fleet, sampleDays, log));
  }

  private static SampleFleet.LoadReport load(FleetAnalytics fleet, int days, PrintStream log) {
    SampleFleet sample;
    try {
      sample = SampleFleet.builder().end(Clock.systemUTC().instant()).days(days).build();
    } catch (IllegalArgumentException e) {
      throw new io.modax.fleet.InvalidRequestException("--sample-days: " + e.getMessage());
    }
    log.printf("Loading the sample fleet: %d locations, %d days of %d-minute snapshots ...%n",
        sample.locations().size(), java.time.Duration.between(sample.start(), sample.end()).toDays(),
        sample.intervalSeconds() / 60);
    long t0 = System.nanoTime();
    SampleFleet.LoadReport report = sample.load(fleet);
    log.printf("Loaded in %.1f s: metrics %s; events %s%n", (System.nanoTime() - t0) / 1e9,
        report.metrics(), report.events());
    return report;
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException ignored) {
      // exiting anyway
    }
  }

  /** An open warehouse; closing it stops the embedded server, if one was started. */
  record Session(FleetAnalytics fleet, EmbeddedPostgres embedded, SampleFleet.LoadReport loaded)
      implements AutoCloseable {
    @Override
    public void close() {
      fleet.close();
      if (embedded != null) {
        closeQuietly(embedded);
      }
    }
  }
}
