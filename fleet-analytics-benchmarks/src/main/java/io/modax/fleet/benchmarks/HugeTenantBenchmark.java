package io.modax.fleet.benchmarks;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.BenchmarkOptions;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.ingest.Device;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.PartUsage;
import io.modax.fleet.reporting.HtmlReport;
import io.modax.fleet.reporting.ReportPeriod;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.TimescaleMode;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 14's huge tenant: organizations of 1,000, 10,000 and 100,000 locations, and every analysis
 * and report of the public API called once on each, in a heap as small as the JVM is given (the
 * issue asks for {@code -Xmx512m}). Each call answers or is refused by a documented limit ({@link
 * InvalidRequestException} naming it); an {@link OutOfMemoryError} is reported as such. It prints
 * a Markdown table: call, then per organization the time and the peak heap of the call (see {@link
 * #measure}), or the limit that refused it.
 *
 * <p>Data per organization, through the library's writer on an embedded PostgreSQL ({@link
 * BenchDatabase}): each location one device and hourly snapshots for {@code --hours} hours (default
 * 48) ending at {@link #NOW}, {@code --hours-large} (default 12) for organizations of more than
 * 10,000 locations; a failure with a spare part at every tenth location each day. The writer runs
 * with {@code maxLocationsPerOrganization} raised to the largest size (a host's choice). The calls
 * run with the library's default limits; on an organization past the default {@code
 * maxLocationsPerOrganization} (10,000) they run a second time with that limit raised to the
 * largest size, as a host that registered such an organization would run them.
 *
 * <p>Never a test: run it by hand (see docs/benchmarks.md, "Huge tenants"):
 *
 * <pre>
 * java -Xmx512m -cp fleet-analytics-benchmarks/target/fleet-analytics-benchmarks.jar io.modax.fleet.benchmarks.HugeTenantBenchmark
 * </pre>
 */
public final class HugeTenantBenchmark {

  /** The instant the data ends at and the library's clock stands at. */
  static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");

  private HugeTenantBenchmark() {}

  /** Runs the benchmark: {@code [--sizes 1000,10000,100000] [--hours 48] [--hours-large 12]}. */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(1_000, 10_000, 100_000);
    int hours = 48;
    int hoursLarge = 12;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--hours" -> hours = Integer.parseInt(args[++i]);
        case "--hours-large" -> hoursLarge = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
    System.out.printf(Locale.ROOT, "java %s, %d CPUs, max heap %d MiB, load average %.2f%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Map<String, Map<String, String>> table = new LinkedHashMap<>();
    List<String> columns = new ArrayList<>();
    try (BenchDatabase db = BenchDatabase.open(null, null, null, null, 0)) {
      System.out.println(db.describe());
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(db.url());
      ds.setUser(db.user());
      ds.setPassword(db.password());
      try (FleetAnalytics fleet = FleetAnalytics.builder(ds).schema("fleet_huge").timescale(TimescaleMode.DISABLED)
          .clock(Clock.fixed(NOW, ZoneOffset.UTC)).maxLocationsPerOrganization(largest).build();
          FleetAnalytics defaults = FleetAnalytics.builder(ds).schema("fleet_huge")
              .schemaAction(SchemaAction.VALIDATE).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
        for (int n : sizes) {
          String org = "huge-" + n;
          int h = n > 10_000 ? hoursLarge : hours;
          long t0 = System.nanoTime();
          load(fleet, org, n, h);
          try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
          }
          System.out.printf(Locale.ROOT, "loaded %s: %,d locations, %,d snapshots (%d h each), in %.0f s%n",
              org, n, (long) n * h, h, (System.nanoTime() - t0) / 1e9);
          // the library's default limits; past maxLocationsPerOrganization also with it raised to
          // the organization's size, as a host that registered it so would run
          List<String> configs = n > FleetAnalytics.DEFAULT_MAX_LOCATIONS_PER_ORGANIZATION
              ? List.of("defaults", "raised") : List.of("defaults");
          for (String config : configs) {
            String column = String.format(Locale.ROOT, "%,d locations%s", n,
                config.equals("raised") ? ", maxLocationsPerOrganization " + largest : "");
            columns.add(column);
            FleetAnalytics f = config.equals("raised") ? fleet : defaults;
            for (Map.Entry<String, Function<CallerContext, Object>> call : calls(f, org, n).entrySet()) {
              String cell = measure(call.getValue(), CallerContext.of("bench", org, Role.ADMIN));
              System.out.printf(Locale.ROOT, "  %s (%s): %s%n", call.getKey(), column, cell);
              table.computeIfAbsent(call.getKey(), k -> new LinkedHashMap<>()).put(column, cell);
            }
          }
        }
      }
    }
    StringBuilder md = new StringBuilder("| call |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (String column : columns) {
      md.append(' ').append(column).append(" |");
      rule.append(" --- |");
    }
    md.append('\n').append(rule).append('\n');
    table.forEach((call, cells) -> {
      md.append("| ").append(call).append(" |");
      cells.values().forEach(c -> md.append(' ').append(c).append(" |"));
      md.append('\n');
    });
    System.out.println();
    System.out.print(md);
  }

  /** Every analysis and report, as a host calls them on one organization. */
  static Map<String, Function<CallerContext, Object>> calls(FleetAnalytics f, String org, int n) {
    Instant from = NOW.minus(Duration.ofDays(7));
    List<String> all = IntStream.range(0, n).mapToObj(HugeTenantBenchmark::locationId).toList();
    Map<String, Function<CallerContext, Object>> calls = new LinkedHashMap<>();
    calls.put("overview", c -> f.fleetAnalyzer().overview(c, org));
    calls.put("compareLocations (every id)", c -> f.fleetAnalyzer().compareLocations(c, org, all, from, NOW));
    calls.put("compareLocations (10 ids)", c -> f.fleetAnalyzer().compareLocations(c, org, all.subList(0, 10), from, NOW));
    calls.put("bestPerformers", c -> f.fleetAnalyzer().bestPerformers(c, org, Metric.OEE, 5));
    calls.put("underperformers", c -> f.fleetAnalyzer().underperformers(c, org, 0.7));
    calls.put("failureTrends (days)", c -> f.trendAnalyzer().failureTrends(c, org, TrendPeriod.DAY, Window.lastDays(7)));
    calls.put("forecastMaintenanceDemand", c -> f.trendAnalyzer().forecastMaintenanceDemand(c, org, 14));
    calls.put("reliability", c -> f.trendAnalyzer().reliability(c, org));
    calls.put("benchmarkLocation", c -> f.benchmarking().benchmarkLocation(c, org, locationId(0)));
    calls.put("benchmarkAllLocations", c -> f.benchmarking().benchmarkAllLocations(c, org));
    calls.put("peerGroups (shift pattern)", c -> f.benchmarking().peerGroups(c, org,
        BenchmarkOptions.defaults().withPeerGroups(BenchmarkOptions.PeerGroupRule.SHIFT_PATTERN)));
    calls.put("dashboard", c -> f.dashboard().dashboard(c, org));
    calls.put("dataQuality (one location)", c -> f.dataQuality().report(c, org, locationId(0), from, NOW));
    calls.put("dataQuality (every location)", c -> f.dataQuality().reportAll(c, org, from, NOW));
    calls.put("executiveSummary + HTML", c -> HtmlReport.render(f.reports().executiveSummary(c, org, ReportPeriod.WEEK)));
    calls.put("locationReport + HTML", c -> HtmlReport.render(f.reports().locationReport(c, org, locationId(0), ReportPeriod.WEEK)));
    return calls;
  }

  /**
   * Time and peak heap of one call, "refused (limit)" or the error's class. The peak is the most
   * heap in use (live objects and garbage not yet collected) seen by a sampler every millisecond
   * during the call, after a GC before it: what the call made the JVM hold, at most the max heap.
   */
  static String measure(Function<CallerContext, Object> call, CallerContext caller) {
    System.gc();
    java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Runtime rt = Runtime.getRuntime();
    Thread sampler = new Thread(() -> {
      while (running.get()) {
        peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      return timed(call, caller, peak);
    } finally {
      running.set(false);
    }
  }

  private static String timed(Function<CallerContext, Object> call, CallerContext caller,
      java.util.concurrent.atomic.AtomicLong peak) {
    long t0 = System.nanoTime();
    try {
      Object result = call.apply(caller);
      if (result == null) {
        return "null answer";
      }
    } catch (InvalidRequestException e) {
      String m = e.getMessage();
      int at = m.indexOf("limit ");
      return "refused (" + (at >= 0 ? m.substring(at + 6, m.indexOf(' ', at + 6)) : m) + ")";
    } catch (OutOfMemoryError e) {
      return "**OutOfMemoryError**";
    } catch (RuntimeException e) {
      return "**" + e.getClass().getSimpleName() + "**: " + e.getMessage();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return String.format(Locale.ROOT, "%.2f s, %d MiB", seconds, peak.get() >> 20);
  }

  static String locationId(int i) {
    return String.format(Locale.ROOT, "L%06d", i);
  }

  /** Registers the organization and writes its data (see the class comment). */
  static void load(FleetAnalytics fleet, String org, int n, int hours) {
    CallerContext admin = CallerContext.of("loader", org, Role.ADMIN);
    fleet.writer().writeOrganization(admin, new Organization(org, org, "UTC", "EUR"));
    List<Location> locations = new ArrayList<>(n);
    List<Device> devices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = locationId(i);
      locations.add(Location.of(org, id, "Plant " + i, "UTC").withSnapshotIntervalSeconds(3600)
          .withCoordinates(-60 + (i % 120), -170 + (i % 340))
          .withShiftPatternAndTags(i % 3 == 0 ? "3x8-5d" : "2x8-5d", List.of("region:" + (i % 7))));
      devices.add(Device.of(org, "D" + id, id, i % 2 == 0 ? "press" : "lathe"));
    }
    require(fleet.writer().writeLocations(admin, org, locations).stored() == n, "locations");
    require(fleet.writer().writeDevices(admin, org, devices).stored() == n, "devices");
    Instant start = NOW.minus(Duration.ofHours(hours));
    Iterator<FleetMetrics> snapshots = new Iterator<>() {
      long k;

      @Override
      public boolean hasNext() {
        return k < (long) n * hours;
      }

      @Override
      public FleetMetrics next() {
        int loc = (int) (k % n);
        int hour = (int) (k / n);
        k++;
        double down = 0.02 + (loc * 31 + hour * 7) % 13 / 100.0;
        return FleetMetrics.builder(org, locationId(loc), start.plus(Duration.ofHours(hour)))
            .intervalSeconds(3600).deviceCount(1).avgUptime(1 - down).avgEfficiency(0.8 + loc % 17 / 100.0)
            .avgEnergyConsumption(10.0 + loc % 5).totalFailures((loc + hour) % 40 == 0 ? 1 : 0)
            .mttr((loc + hour) % 40 == 0 ? 1.5 : null).totalProductionHours(1 - down)
            .totalDowntimeHours(down).oee((1 - down) * 0.85).build();
      }
    };
    require(fleet.writer().writeMetrics(admin, org, snapshots).quarantined() == 0, "snapshots");
    int days = Math.max(1, hours / 24);
    List<MaintenanceEvent> events = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      for (int i = 0; i < n; i += 10) {
        events.add(MaintenanceEvent.failure(org, "E" + d + "-" + i, locationId(i), "D" + locationId(i),
            NOW.minus(Duration.ofHours(24L * d + 1 + i % 20)), 2.0, null, List.of(new PartUsage("P" + i % 50, 1 + i % 3))));
      }
    }
    require(fleet.writer().writeEvents(admin, org, events).quarantined() == 0, "events");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("loading " + what + " did not store every record");
    }
  }
}
