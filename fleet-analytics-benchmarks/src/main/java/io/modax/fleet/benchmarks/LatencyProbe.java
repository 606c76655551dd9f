package io.modax.fleet.benchmarks;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.reporting.ReportPeriod;
import io.modax.fleet.schema.Distribution;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.SchemaStatus;
import io.modax.fleet.schema.TimescaleMode;
import io.modax.fleet.testkit.SampleFleet;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The latency probe: the median and p95 latency of each analysis of the public API (the calls of
 * the integration tests' {@code safety/Analyses.all}: overview, compareLocations, bestPerformers,
 * underperformers, failureTrends, the maintenance forecast, benchmarkLocation, dashboard,
 * dataQuality, executiveSummary) on a small tenant, on a single node and on another database (a
 * Citus cluster, say) in one run, side by side. It replaces the former opt-in timing test
 * {@code AnalysisLatencyTest}; its numbers are those of docs/scaling.md ("Citus", "Measured").
 *
 * <p>The single node is always an embedded PostgreSQL started here ({@link BenchDatabase}, as the
 * other harnesses do). With {@code --jdbc-url URL [--user U --password P]} the probe also measures
 * that database; with {@code --citus} it is a Citus coordinator and the warehouse is installed
 * there with {@code FleetSchema.migrate(TimescaleMode.DISABLED, Distribution.CITUS)} (elsewhere
 * with {@code TimescaleMode.AUTO}). The connecting role is not changed: the library's own
 * transactions set {@code citus.allow_nested_distributed_execution} themselves, and the probe runs
 * no SQL of its own next to the library's functions.
 *
 * <p>On each database: the warehouse in a fresh schema ({@code --schema}, default {@code
 * fleet_probe}; dropped first if present, and dropped at the end unless {@code --keep}); the data
 * of the former test loaded through the library's writer: the testkit's {@link SampleFleet} for
 * organization {@code latency-org}, seed 4242, 2 locations, 30 days of 15-minute snapshots ending
 * at {@link #NOW}, the library's clock fixed there; then {@code ANALYZE} of the schema's tables,
 * so that the plans do not depend on when autovacuum last ran. Then, per analysis, one warm-up
 * call on each database and {@code --runs} timed calls (default 15), alternating between the
 * databases call by call so that a slow spell of a shared machine hits both. A call that answers
 * null fails the run. It prints the machine (Java, CPUs, load average at start, server versions)
 * and a Markdown table: analysis, single-node median and p95 ms, the other database's median and
 * p95 ms, and the ratio of the medians (other / single). p95 is the nearest rank: with 15 runs,
 * the slowest.
 *
 * <p>Never a test: run it by hand. For single node vs Citus (docs/scaling.md):
 *
 * <pre>
 * ./mvnw -q -B -pl fleet-analytics-benchmarks -am package -DskipTests &amp;&amp; java -cp fleet-analytics-benchmarks/target/fleet-analytics-benchmarks.jar io.modax.fleet.benchmarks.LatencyProbe --jdbc-url jdbc:postgresql://127.0.0.1:5440/fleet_test --user postgres --password postgres --citus
 * </pre>
 *
 * <p>Without {@code --jdbc-url} it measures the embedded single node alone.
 */
public final class LatencyProbe {

  /** The organization of the probe's data. */
  static final String ORG = "latency-org";

  /** The sample fleet's seed. */
  static final long SEED = 4242;

  /** Days of data. */
  static final int DAYS = 30;

  /** The instant the data ends at and the library's clock stands at (as in the integration tests). */
  static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");

  private static final String USAGE = "usage: LatencyProbe [--jdbc-url URL [--user U] [--password P] [--citus]]"
      + " [--schema S] [--runs N] [--keep]\n"
      + "  measures each analysis on an embedded PostgreSQL (single node) and, with --jdbc-url, on that\n"
      + "  database too (--citus: a Citus coordinator, the warehouse distributed there); --schema (default\n"
      + "  fleet_probe) is dropped and re-created on each, and dropped at the end unless --keep; --runs timed\n"
      + "  calls per analysis and database after one warm-up (default 15); --user and --password default to\n"
      + "  postgres";

  private String jdbcUrl;
  private String user = "postgres";
  private String password = "postgres";
  private boolean citus;
  private String schema = "fleet_probe";
  private int runs = 15;
  private boolean keep;

  private LatencyProbe() {}

  /** Runs the probe; see the class comment and {@code --help}. */
  public static void main(String[] args) throws Exception {
    LatencyProbe p = new LatencyProbe();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--jdbc-url" -> p.jdbcUrl = args[++i];
          case "--user" -> p.user = args[++i];
          case "--password" -> p.password = args[++i];
          case "--citus" -> p.citus = true;
          case "--schema" -> p.schema = args[++i];
          case "--runs" -> p.runs = Integer.parseInt(args[++i]);
          case "--keep" -> p.keep = true;
          case "--help", "-h" -> {
            System.out.println(USAGE);
            return;
          }
          default -> usage("unknown option " + args[i]);
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      usage("option " + args[args.length - 1] + " needs a value");
    } catch (NumberFormatException e) {
      usage("--runs needs a whole number (" + e.getMessage() + ")");
    }
    if (p.runs < 1) {
      usage("--runs must be at least 1");
    }
    if (p.citus && p.jdbcUrl == null) {
      usage("--citus needs --jdbc-url (the Citus coordinator)");
    }
    if (!p.schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      usage("--schema must be a plain lower-case identifier");
    }
    p.run();
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(USAGE);
    System.exit(2);
  }

  /** One database the probe measures: the warehouse installed and loaded, the library over it. */
  private record Target(String label, BenchDatabase db, FleetAnalytics fleet) {}

  private void run() throws Exception {
    double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
        + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + " " + System.getProperty("os.arch") + "; load average at start "
        + String.format(Locale.ROOT, "%.2f", loadAverage));
    String otherLabel = citus ? "Citus" : "other database";
    try (BenchDatabase single = BenchDatabase.open(null, null, null, null, 0);
        BenchDatabase other = jdbcUrl == null ? null : BenchDatabase.open(jdbcUrl, user, password, null, 0)) {
      System.out.println("single node: " + single.describe());
      if (other != null) {
        System.out.println(otherLabel + ": " + other.describe() + citusFacts(other) + " (" + jdbcUrl + ")");
      }
      System.out.println("data: organization " + ORG + ", seed " + SEED + ", 2 locations x " + DAYS
          + " days of 15-minute snapshots ending " + NOW + "; schema " + schema + "; " + runs
          + " timed calls per analysis and database after one warm-up");
      List<Target> targets = new ArrayList<>();
      try {
        targets.add(install("single node", single, false));
        if (other != null) {
          targets.add(install(otherLabel, other, citus));
        }
        measure(targets);
      } finally {
        for (Target t : targets) {
          t.fleet().close();
        }
        if (!keep) {
          FleetDataset.drop(single, schema);
          if (other != null) {
            FleetDataset.drop(other, schema);
          }
        } else if (other != null) {
          System.out.println("kept schema " + schema + " at " + jdbcUrl);
        }
      }
    }
  }

  /** Citus' version and its active workers, when the database has the extension. */
  private static String citusFacts(BenchDatabase db) {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'citus'")) {
      if (!rs.next()) {
        return "; no citus extension";
      }
      String version = rs.getString(1);
      try (ResultSet w = s.executeQuery("SELECT count(*) FROM citus_get_active_worker_nodes()")) {
        w.next();
        return "; Citus " + version + " with " + w.getInt(1) + " active workers";
      }
    } catch (SQLException e) {
      return "; Citus facts unavailable (" + e.getMessage().trim() + ")";
    }
  }

  /** The warehouse in a fresh schema, the sample loaded, the tables analyzed, the library over it. */
  private Target install(String label, BenchDatabase db, boolean distributed) throws SQLException {
    FleetDataset.drop(db, schema);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(db.url());
    ds.setUser(db.user());
    ds.setPassword(db.password());
    long t0 = System.nanoTime();
    SchemaStatus status = distributed
        ? FleetSchema.of(ds, schema).migrate(TimescaleMode.DISABLED, Distribution.CITUS)
        : FleetSchema.of(ds, schema).migrate(TimescaleMode.AUTO);
    double installSeconds = (System.nanoTime() - t0) / 1e9;
    FleetAnalytics fleet = FleetAnalytics.builder(db.url(), db.user(), db.password()).schema(schema)
        .schemaAction(SchemaAction.VALIDATE).clock(Clock.fixed(NOW, ZoneOffset.UTC)).poolSize(4).build();
    try {
      long t1 = System.nanoTime();
      SampleFleet.LoadReport load = sample().load(fleet);
      double loadSeconds = (System.nanoTime() - t1) / 1e9;
      analyze(db);
      System.out.printf(Locale.ROOT, "%s: schema %s at version %d%s installed in %.1f s; sample loaded in %.1f s"
              + " (snapshots: %s; events: %s); %,d fleet_metrics rows%n",
          label, schema, status.installedVersion(), distributed ? ", distributed on Citus"
              : status.hypertable() ? ", fleet_metrics a hypertable" : "",
          installSeconds, loadSeconds, load.metrics(), load.events(), QueryBenchmark.rows(db, schema));
      return new Target(label, db, fleet);
    } catch (RuntimeException | SQLException e) {
      fleet.close();
      throw e;
    }
  }

  /**
   * The former test's sample: the testkit's sample fleet for {@link #ORG}, seed {@link #SEED}, 2
   * locations (A and B), {@link #DAYS} days of 15-minute snapshots ending at {@link #NOW}.
   */
  static SampleFleet sample() {
    return SampleFleet.builder().organizationId(ORG).seed(SEED).end(NOW).days(DAYS).locations(2)
        .intervalSeconds(900).build();
  }

  private void analyze(BenchDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT quote_ident(table_name) FROM information_schema.tables"
          + " WHERE table_schema = '" + schema + "' AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add("\"" + schema + "\"." + rs.getString(1));
        }
      }
      for (String t : tables) {
        s.execute("ANALYZE " + t);
      }
    }
  }

  /**
   * Every analysis of the public API, by name, as the integration tests' {@code Analyses.all}
   * calls them (windows ending at {@link #NOW}).
   */
  static Map<String, BiFunction<FleetAnalytics, CallerContext, Object>> analyses() {
    Map<String, BiFunction<FleetAnalytics, CallerContext, Object>> calls = new LinkedHashMap<>();
    Instant from = NOW.minus(Duration.ofDays(3));
    calls.put("overview", (f, c) -> f.fleetAnalyzer().overview(c, ORG));
    calls.put("compareLocations", (f, c) -> f.fleetAnalyzer().compareLocations(c, ORG, List.of("A", "B"), from, NOW));
    calls.put("bestPerformers", (f, c) -> f.fleetAnalyzer().bestPerformers(c, ORG, Metric.OEE, 3));
    calls.put("underperformers", (f, c) -> f.fleetAnalyzer().underperformers(c, ORG, 0.9));
    calls.put("failureTrends", (f, c) -> f.trendAnalyzer().failureTrends(c, ORG, TrendPeriod.DAY, Window.lastDays(7)));
    calls.put("forecast (maintenance demand)", (f, c) -> f.trendAnalyzer().forecastMaintenanceDemand(c, ORG, 14));
    calls.put("benchmarkLocation", (f, c) -> f.benchmarking().benchmarkLocation(c, ORG, "A"));
    calls.put("dashboard", (f, c) -> f.dashboard().dashboard(c, ORG));
    calls.put("dataQuality", (f, c) -> f.dataQuality().reportAll(c, ORG, from, NOW));
    calls.put("executiveSummary", (f, c) -> f.reports().executiveSummary(c, ORG, ReportPeriod.WEEK));
    return calls;
  }

  private void measure(List<Target> targets) {
    CallerContext reader = CallerContext.of("analyst", ORG, Role.READ_ONLY);
    Map<String, BiFunction<FleetAnalytics, CallerContext, Object>> calls = analyses();
    Map<String, Latency[]> results = new LinkedHashMap<>();
    System.out.printf(Locale.ROOT, "measuring (load average %.2f)%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (Map.Entry<String, BiFunction<FleetAnalytics, CallerContext, Object>> a : calls.entrySet()) {
      Latency[] l = new Latency[targets.size()];
      for (int k = 0; k < targets.size(); k++) {
        l[k] = new Latency();
        if (a.getValue().apply(targets.get(k).fleet(), reader) == null) { // the warm-up
          throw new IllegalStateException(a.getKey() + " answered null on " + targets.get(k).label());
        }
      }
      for (int i = 0; i < runs; i++) {
        for (int j = 0; j < targets.size(); j++) {
          int k = (i + j) % targets.size(); // alternate which database goes first
          long t0 = System.nanoTime();
          a.getValue().apply(targets.get(k).fleet(), reader);
          l[k].add(System.nanoTime() - t0);
        }
      }
      results.put(a.getKey(), l);
      System.out.printf(Locale.ROOT, "  %-30s single node %8.2f ms%s%n", a.getKey(), l[0].median(),
          l.length > 1 ? String.format(Locale.ROOT, "   %s %8.2f ms", targets.get(1).label(), l[1].median()) : "");
    }
    String other = targets.size() > 1 ? targets.get(1).label() : "other database";
    System.out.println();
    System.out.printf(Locale.ROOT, "analysis latency, %d timed calls each after a warm-up (load average now %.2f)%n%n",
        runs, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("| analysis | single node median ms | single node p95 ms | " + other + " median ms | "
        + other + " p95 ms | ratio " + other + " / single node |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    results.forEach((name, l) -> {
      Latency o = l.length > 1 ? l[1] : null;
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", name, QueryBenchmark.ms(l[0].median()),
          QueryBenchmark.ms(l[0].p95()), o == null ? "-" : QueryBenchmark.ms(o.median()),
          o == null ? "-" : QueryBenchmark.ms(o.p95()),
          o == null ? "-" : String.format(Locale.ROOT, "%.2fx", o.median() / l[0].median()));
    });
    System.out.println();
  }
}
