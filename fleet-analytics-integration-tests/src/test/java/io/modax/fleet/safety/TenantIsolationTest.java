package io.modax.fleet.safety;

import static io.modax.fleet.safety.TenantSql.TENANT_TABLES;
import static io.modax.fleet.safety.TenantSql.inTenant;
import static io.modax.fleet.safety.TenantSql.organizationsIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Done-when of issue 8: several organizations interleaving over a pool smaller than their number
 * find zero cross-tenant rows, through the API and through direct SQL under the library's role.
 *
 * <p>Eight organizations share one runtime-role pool of three connections: six are read (every
 * analysis and report, compared with the answer computed alone beforehand), two are written to
 * all the while. Their ids differ only in case, spaces, quotes, SQL and Unicode, and every
 * organization has locations A and B, so a query that lost its organization would show. Between
 * the calls, each thread runs plain SQL on the same pool: a transaction set to its organization
 * scans every tenant table without a WHERE of its own (only its rows may come back) and one that
 * sets no organization at all (no row may come back).
 */
@ExtendWith(FleetDatabaseExtension.class)
class TenantIsolationTest {

  static final List<String> READ = List.of("iso-plain", "ISO-PLAIN", "iso-plain ",
      "iso-o'; DROP TABLE organizations; --", "iso-ünï 工厂 🏭", "iso-\"q\" %_\\");
  static final List<String> WRITTEN = List.of("iso-writer-1", "iso-writer-2");
  static final int POOL = 3;
  static final int ROUNDS = 3;

  @Test
  void organizationsInterleavingOverASmallPoolNeverSeeEachOthersRows(FleetDatabase db) throws Exception {
    try (DatabaseRole runtime = DatabaseRole.runtime(db, POOL);
        FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).build()) {
      for (int i = 0; i < READ.size(); i++) {
        Analyses.sample(READ.get(i), 100 + i, 7).load(fleet);
      }
      for (String org : WRITTEN) {
        CallerContext admin = CallerContext.of("loader", org, Role.ADMIN);
        fleet.writer().writeOrganization(admin, Organization.of(org, org));
        fleet.writer().writeLocations(admin, org, List.of(Location.of(org, "A", "A", "Europe/Berlin")));
      }
      // each answer computed alone first, through the superuser (row-level security not involved)
      Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
      try (FleetAnalytics alone = db.analyticsBuilder().clock(Analyses.clock()).build()) {
        for (String org : READ) {
          Map<String, Object> answers = new LinkedHashMap<>();
          Analyses.all(alone).forEach((name, call) -> answers.put(name, call.apply(reader(org), org)));
          expected.put(org, answers);
        }
      }
      Map<String, Map<String, Long>> rowsPerTable = new LinkedHashMap<>();
      for (String org : READ) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String[] t : TENANT_TABLES) {
          counts.put(t[0], inTenant(runtime.pool(), org, c -> (long) organizationsIn(c, db.schema(), t[0], t[1]).size()));
        }
        rowsPerTable.put(org, counts);
      }

      AtomicLong apiCalls = new AtomicLong();
      AtomicLong rowsSeen = new AtomicLong();
      AtomicLong crossTenantRows = new AtomicLong();
      AtomicLong unscopedTransactions = new AtomicLong();
      AtomicLong written = new AtomicLong();
      Map<String, BiFunction<CallerContext, String, Object>> analyses = Analyses.all(fleet);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(READ.size() + WRITTEN.size());
      List<Future<?>> done = new ArrayList<>();
      for (String org : READ) {
        done.add(threads.submit(() -> {
          start.await();
          for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, BiFunction<CallerContext, String, Object>> a : analyses.entrySet()) {
              Object answer = a.getValue().apply(reader(org), org);
              apiCalls.incrementAndGet();
              assertThat(answer).as(org + " " + a.getKey()).isEqualTo(expected.get(org).get(a.getKey()));
              scanAsTenant(runtime, db, org, rowsPerTable.get(org), rowsSeen, crossTenantRows);
            }
            scanWithoutTenant(runtime, db, crossTenantRows, unscopedTransactions);
          }
          return null;
        }));
      }
      for (String org : WRITTEN) {
        done.add(threads.submit(() -> {
          start.await();
          CallerContext gateway = CallerContext.of("gateway", org, Role.OPERATOR);
          for (int round = 0; round < ROUNDS * 6; round++) {
            List<FleetMetrics> rows = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
              Instant t = Analyses.NOW.minus(Duration.ofDays(2)).plusSeconds(300L * (round * 20 + k));
              rows.add(FleetMetrics.builder(org, "A", t).intervalSeconds(300).deviceCount(4)
                  .totalProductionHours(0.3).totalDowntimeHours(0.03).avgUptime(0.9).oee(0.7)
                  .totalFailures(k % 7 == 0 ? 1 : 0).build());
            }
            WriteReport r = fleet.writer().writeMetrics(gateway, org, rows);
            assertThat(r.inserted()).isEqualTo(20);
            written.addAndGet(r.inserted());
            scanAsTenant(runtime, db, org, null, rowsSeen, crossTenantRows);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      threads.shutdown();

      assertThat(crossTenantRows.get()).isZero();
      assertThat(runtime.pool().getHikariPoolMXBean().getActiveConnections()).isZero();
      assertThat(runtime.pool().getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(POOL);
      assertThat(written.get()).isEqualTo(WRITTEN.size() * ROUNDS * 6 * 20L);
      System.out.printf("tenant isolation: %d organizations over a pool of %d connections; %d API calls"
              + " equal to their answers computed alone; %d rows of %d tenant tables read as a tenant,"
              + " %d rows written meanwhile, %d transactions without a tenant saw 0 rows;"
              + " cross-tenant rows: %d%n",
          READ.size() + WRITTEN.size(), POOL, apiCalls.get(), rowsSeen.get(), TENANT_TABLES.size(),
          written.get(), unscopedTransactions.get(), crossTenantRows.get());
    }
  }

  static CallerContext reader(String org) {
    return CallerContext.of("reader", org, Role.READ_ONLY);
  }

  /** Every tenant table, no WHERE: only the organization's rows, as many as it has (when known). */
  static void scanAsTenant(DatabaseRole runtime, FleetDatabase db, String org, Map<String, Long> expectedRows,
      AtomicLong rowsSeen, AtomicLong crossTenantRows) {
    inTenant(runtime.pool(), org, c -> {
      for (String[] t : TENANT_TABLES) {
        List<String> orgs = organizationsIn(c, db.schema(), t[0], t[1]);
        rowsSeen.addAndGet(orgs.size());
        crossTenantRows.addAndGet(orgs.stream().filter(o -> !o.equals(org)).count());
        if (expectedRows != null) {
          assertThat((long) orgs.size()).as(org + " " + t[0]).isEqualTo(expectedRows.get(t[0]));
        }
      }
      return null;
    });
  }

  /** A transaction that sets no organization sees no row of any tenant table. */
  static void scanWithoutTenant(DatabaseRole runtime, FleetDatabase db, AtomicLong crossTenantRows,
      AtomicLong unscoped) {
    inTenant(runtime.pool(), null, c -> {
      for (String[] t : TENANT_TABLES) {
        crossTenantRows.addAndGet(organizationsIn(c, db.schema(), t[0], t[1]).size());
      }
      unscoped.incrementAndGet();
      return null;
    });
  }
}
