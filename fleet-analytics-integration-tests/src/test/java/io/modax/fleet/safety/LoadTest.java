package io.modax.fleet.safety;

import static io.modax.fleet.safety.TenantSql.TENANT_TABLES;
import static io.modax.fleet.safety.TenantSql.inTenant;
import static io.modax.fleet.safety.TenantSql.organizationsIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.ingest.IngestFixture;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Load: one writer and one reader for each of eight organizations at once, over one pool of the
 * library's runtime role smaller than their number, for a bounded time (loopback only), while a
 * ninth thread scans every tenant table in plain SQL as one organization or as none. Then the
 * warehouse is checked: every acknowledged snapshot stored exactly once and nothing else, both
 * rollups equal to a GROUP BY over the raw rows (plain SQL, not the library's refresh function),
 * each organization's figures as read through the library equal to those computed in Java from
 * what its writer was told was stored, and no other tenant's row in any answer or scan.
 */
@ExtendWith(FleetDatabaseExtension.class)
class LoadTest {

  static final Duration LOAD = Duration.ofSeconds(Long.getLong("fleet.load.seconds", 6));
  static final int ORGANIZATIONS = 8;
  static final int POOL = 4;

  @Test
  void manyOrganizationsWritingAndReadingAtOnceLoseNothingAndSeeOnlyTheirOwnRows(FleetDatabase db)
      throws Exception {
    List<String> orgs = new ArrayList<>();
    for (int i = 1; i <= ORGANIZATIONS; i++) {
      orgs.add(String.format("load-%02d", i));
    }
    AtomicLong scans = new AtomicLong();
    AtomicLong rowsScanned = new AtomicLong();
    AtomicLong crossTenantRows = new AtomicLong();
    try (DatabaseRole runtime = DatabaseRole.runtime(db, POOL);
        FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).build()) {
      Workload load = new Workload(orgs);
      load.register(fleet);
      load.run(fleet, LOAD, 41, () -> {
        SplittableRandom r = new SplittableRandom(43);
        while (!load.stop.get()) {
          // a host's own SQL on the library's pool: as one organization (only its rows) or none (no rows)
          String org = r.nextInt(5) == 0 ? null : orgs.get(r.nextInt(orgs.size()));
          inTenant(runtime.pool(), org, c -> {
            for (String[] t : TENANT_TABLES) {
              List<String> seen = organizationsIn(c, db.schema(), t[0], t[1]);
              rowsScanned.addAndGet(seen.size());
              crossTenantRows.addAndGet(seen.stream().filter(o -> !o.equals(org)).count());
            }
            return null;
          });
          scans.incrementAndGet();
        }
      });

      int committedAnyway = load.verifyStored(db.dataSource(), db.schema());
      int buckets = IngestFixture.assertRollupsEqualRecomputation(db);
      int figures = load.verifyAnswers(fleet);
      assertThat(crossTenantRows.get()).as("rows of another tenant in plain-SQL scans").isZero();
      assertThat(load.crossTenantAnswers.get()).as("answers naming another tenant").isZero();
      assertThat(load.failedCalls).as("failed writes without any fault").isEmpty();
      assertThat(load.readOutcomes()).containsOnlyKeys("answered");
      assertThat(load.acknowledgedRows()).isPositive();
      FaultInjectionTest.assertNoLeak(runtime);
      System.out.printf("load: %d organizations, one writer and one reader each, over a pool of %d for %d s;"
              + " %d write calls, %d snapshots acknowledged and stored exactly once, nothing else stored;"
              + " %d hourly rollup buckets equal to recomputation from raw rows; %d figures read through the"
              + " library equal to the writers' books; %d reads answered; %d plain-SQL scans (%d rows) as a"
              + " tenant or none; cross-tenant rows: %d, cross-tenant answers: %d; failed calls: %d (%d"
              + " committed); active connections afterwards 0%n",
          ORGANIZATIONS, POOL, LOAD.toSeconds(), load.writeCalls.get(), load.acknowledgedRows(), buckets,
          figures, load.reads.get(), scans.get(), rowsScanned.get(), crossTenantRows.get(),
          load.crossTenantAnswers.get(), load.failedCalls.size(), committedAnyway);
    }
  }
}
