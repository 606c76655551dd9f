package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.FleetAnalyticsException;
import io.modax.fleet.Role;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.WriteReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * Writers and readers for several organizations at once, for a bounded time, keeping the books a
 * test needs afterwards: every snapshot whose write was acknowledged, every write call that failed
 * (with its rows, to check it was all or nothing), every read's outcome.
 *
 * <p>Each writer owns one organization with locations A and B and writes new snapshots in calls of
 * random size, 1 to 2,499 (small ones go by the array path, from 1,000 rows by COPY into a staging
 * table); every test's chunk size exceeds 2,499, so each call is one chunk, one transaction.
 * Readers run the analyses of their organization in a loop and note any answer that names another
 * organization. Loops stop by themselves at the deadline.
 */
final class Workload {

  static final Instant FIRST = Analyses.NOW.minus(Duration.ofDays(150));
  /** Snapshot i is at FIRST + 60 s * (i / 2), location A for even i, B for odd. */
  static final int LAST_INDEX = 2 * 149 * 1440;
  static final double PRODUCTION_HOURS = 0.04;
  static final double DOWNTIME_HOURS = 0.005;

  /** The failures snapshot i reports. */
  static int failures(long i) {
    return i % 97 == 0 ? 1 : 0;
  }

  /** The index of the snapshot with key "location@instant" (inverse of the write loop). */
  static long index(String key) {
    long minute = Duration.between(FIRST, Instant.parse(key.substring(2))).toSeconds() / 60;
    return 2 * minute + (key.startsWith("A@") ? 0 : 1);
  }

  final List<String> organizations;
  final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
  final Queue<List<String>> failedCalls = new ConcurrentLinkedQueue<>();
  final Map<String, AtomicLong> readOutcomes = new ConcurrentHashMap<>();
  final Queue<String> problems = new ConcurrentLinkedQueue<>();
  final AtomicLong writeCalls = new AtomicLong();
  final AtomicLong reads = new AtomicLong();
  final AtomicLong crossTenantAnswers = new AtomicLong();
  /** Per organization, what {@link #verifyStored} found should be stored (keys "location@instant"). */
  final Map<String, Set<String>> expectedStored = new ConcurrentHashMap<>();
  final AtomicBoolean stop = new AtomicBoolean();

  Workload(List<String> organizations) {
    this.organizations = List.copyOf(organizations);
    organizations.forEach(o -> acknowledged.put(o, ConcurrentHashMap.newKeySet()));
  }

  /** Registers the organizations and their locations A and B. */
  void register(FleetAnalytics fleet) {
    for (String org : organizations) {
      CallerContext admin = CallerContext.of("loader", org, Role.ADMIN);
      fleet.writer().writeOrganization(admin, Organization.of(org, org));
      fleet.writer().writeLocations(admin, org, List.of(Location.of(org, "A", "A", "Europe/Berlin"),
          Location.of(org, "B", "B", "Asia/Kolkata")));
    }
  }

  /**
   * Runs one writer and one reader per organization until the deadline (or {@link #stop}), and
   * waits for them.
   *
   * @param alongside work run on another thread meanwhile (e.g. a killer), stopped by the deadline too
   */
  void run(FleetAnalytics fleet, Duration duration, long seed, Runnable alongside) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService threads = Executors.newFixedThreadPool(organizations.size() * 2 + 1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < organizations.size(); i++) {
      String org = organizations.get(i);
      long s = seed + i;
      done.add(threads.submit(() -> write(fleet, org, deadline, new SplittableRandom(s))));
      done.add(threads.submit(() -> read(fleet, org, deadline, new SplittableRandom(~s))));
    }
    Future<?> side = threads.submit(alongside);
    for (Future<?> f : done) {
      f.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
    }
    stop.set(true);
    side.get(60, TimeUnit.SECONDS);
    threads.shutdown();
  }

  boolean running(long deadline) {
    return !stop.get() && System.nanoTime() < deadline;
  }

  private Void write(FleetAnalytics fleet, String org, long deadline, SplittableRandom r) {
    CallerContext gateway = CallerContext.of("gateway", org, Role.OPERATOR);
    int next = 0;
    while (running(deadline)) {
      int size = r.nextInt(10) == 0 ? r.nextInt(1_000, 2_500) : r.nextInt(1, 200);
      List<FleetMetrics> rows = new ArrayList<>(size);
      List<String> keys = new ArrayList<>(size);
      if (next + size >= LAST_INDEX) {
        break; // every snapshot stays inside [FIRST, NOW)
      }
      for (int k = 0; k < size; k++, next++) {
        String loc = next % 2 == 0 ? "A" : "B";
        Instant t = FIRST.plusSeconds(60L * (next / 2));
        rows.add(FleetMetrics.builder(org, loc, t).intervalSeconds(60).deviceCount(3)
            .totalProductionHours(PRODUCTION_HOURS).totalDowntimeHours(DOWNTIME_HOURS).avgUptime(0.9)
            .avgEfficiency(0.85).oee(0.7).totalFailures(failures(next)).mttr(failures(next) > 0 ? 1.5 : null)
            .build());
        keys.add(loc + "@" + t);
      }
      writeCalls.incrementAndGet();
      try {
        WriteReport report = fleet.writer().writeMetrics(gateway, org, rows);
        if (report.inserted() != size || report.submitted() != size) {
          problems.add("write of " + size + " new snapshots for " + org + " reported " + report);
        }
        acknowledged.get(org).addAll(keys);
      } catch (WarehouseException e) {
        List<String> failed = new ArrayList<>(keys);
        failed.add(0, org);
        failedCalls.add(failed);
      } catch (RuntimeException e) {
        problems.add("write for " + org + " threw " + e);
      }
    }
    return null;
  }

  private Void read(FleetAnalytics fleet, String org, long deadline, SplittableRandom r) {
    CallerContext reader = CallerContext.of("reader", org, Role.READ_ONLY);
    List<BiFunction<CallerContext, String, Object>> calls = new ArrayList<>(Analyses.all(fleet).values());
    while (running(deadline)) {
      reads.incrementAndGet();
      try {
        Object answer = calls.get(r.nextInt(calls.size())).apply(reader, org);
        String text = String.valueOf(answer);
        if (!text.contains(org)) {
          problems.add("an answer for " + org + " does not name it: " + answer);
        }
        for (String other : organizations) {
          if (!other.equals(org) && text.contains(other)) {
            crossTenantAnswers.incrementAndGet();
            problems.add("an answer for " + org + " names " + other + ": " + answer);
          }
        }
        outcome("answered");
      } catch (WarehouseException e) {
        outcome("WarehouseException SQLState " + e.sqlState());
        if (e.getMessage() == null || !e.getMessage().contains("failed")) {
          problems.add("unclear read failure: " + e.getMessage());
        }
      } catch (FleetAnalyticsException e) {
        outcome(e.getClass().getSimpleName());
      } catch (RuntimeException e) {
        problems.add("read for " + org + " threw " + e);
      }
    }
    return null;
  }

  private void outcome(String what) {
    readOutcomes.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  long acknowledgedRows() {
    return acknowledged.values().stream().mapToLong(Set::size).sum();
  }

  Map<String, Long> readOutcomes() {
    Map<String, Long> out = new TreeMap<>();
    readOutcomes.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Checks the warehouse against the books: every acknowledged snapshot stored exactly once, every
   * failed call's snapshots all present (its commit went through, the acknowledgement did not) or
   * all absent, nothing else stored. Read with the given data source (a superuser: every row).
   *
   * @return how many failed calls had committed anyway
   */
  int verifyStored(DataSource superuser, String schema) throws SQLException {
    assertThat(problems).as("problems seen by writers and readers").isEmpty();
    int committedAnyway = 0;
    for (String org : organizations) {
      List<String> rows = storedKeys(superuser, schema, org);
      Set<String> stored = new HashSet<>(rows);
      assertThat(rows.size()).as(org + ": snapshots stored more than once").isEqualTo(stored.size());
      Set<String> expected = new HashSet<>(acknowledged.get(org));
      // set differences by hand: AssertJ's containsAll is quadratic on sets of this size
      List<String> missing = expected.stream().filter(k -> !stored.contains(k)).limit(5).toList();
      assertThat(missing).as(org + ": acknowledged snapshots missing").isEmpty();
      for (List<String> call : failedCalls) {
        if (!call.get(0).equals(org)) {
          continue;
        }
        List<String> keys = call.subList(1, call.size());
        long present = keys.stream().filter(stored::contains).count();
        assertThat(present).as(org + ": a failed write is all or nothing").isIn(0L, (long) keys.size());
        if (present > 0) {
          committedAnyway++;
          expected.addAll(keys);
        }
      }
      List<String> extra = stored.stream().filter(k -> !expected.contains(k)).limit(5).toList();
      assertThat(extra).as(org + ": stored but never written").isEmpty();
      assertThat(stored.size()).isEqualTo(expected.size());
      expectedStored.put(org, expected);
    }
    return committedAnyway;
  }

  /**
   * Compares each organization's location comparison over the whole run, read through the
   * library (rollups and raw rows), with the figures computed here from the books alone: snapshot
   * counts, production and downtime hours and failures per location. A row of another tenant, a
   * lost or doubled row, or a stale rollup would each show. Call after {@link #verifyStored}.
   *
   * @return the number of figures compared
   */
  int verifyAnswers(FleetAnalytics fleet) {
    int compared = 0;
    for (String org : organizations) {
      Map<String, long[]> want = new TreeMap<>(); // location -> {snapshots, failures}
      for (String key : expectedStored.get(org)) {
        long[] w = want.computeIfAbsent(key.substring(0, 1), k -> new long[2]);
        w[0]++;
        w[1] += failures(index(key));
      }
      LocationComparison got = fleet.fleetAnalyzer().compareLocations(
          CallerContext.of("checker", org, Role.READ_ONLY), org, List.of("A", "B"), FIRST, Analyses.NOW);
      assertThat(got.organizationId()).isEqualTo(org);
      for (LocationPerformance p : got.locations()) {
        long[] w = want.getOrDefault(p.locationId(), new long[2]);
        assertThat(p.snapshotCount()).as(org + "/" + p.locationId() + " snapshots").isEqualTo(w[0]);
        assertThat(p.totalFailures()).as(org + "/" + p.locationId() + " failures").isEqualTo(w[1]);
        assertThat(p.productionHours()).as(org + "/" + p.locationId() + " production hours")
            .isCloseTo(w[0] * PRODUCTION_HOURS, within(1e-9 * Math.max(1, w[0])));
        assertThat(p.downtimeHours()).as(org + "/" + p.locationId() + " downtime hours")
            .isCloseTo(w[0] * DOWNTIME_HOURS, within(1e-9 * Math.max(1, w[0])));
        compared += 4;
      }
    }
    return compared;
  }

  /** The key of every stored snapshot of the organization, duplicates kept. */
  static List<String> storedKeys(DataSource ds, String schema, String org) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT location_id, (extract(epoch FROM \"timestamp\"))::bigint FROM \"" + schema
            + "\".fleet_metrics WHERE organization_id = ?")) {
      p.setString(1, org);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + "@" + Instant.ofEpochSecond(rs.getLong(2)));
        }
      }
    }
    return out;
  }
}
