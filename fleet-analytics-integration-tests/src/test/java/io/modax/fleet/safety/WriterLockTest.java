package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lock abuse (issue 14): writers of a location serialize on a lock; no other role may take it or
 * make the writer wait on it. Every way of taking the lock that a role has is tried, by the pinned
 * organization reader, the fleet reader, a role with no grant at all, and the runtime role set to
 * another organization; each holds whatever it got in an open transaction while the writer writes
 * the location.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class WriterLockTest {

  private static final Logger LOG = LoggerFactory.getLogger(WriterLockTest.class);

  static final String ORG = "lock-a";
  static final String OTHER = "lock-b";
  static DatabaseRole runtime;

  @BeforeAll
  static void setUp(FleetDatabase db) {
    runtime = DatabaseRole.runtime(db, 3);
    try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).build()) {
      Analyses.sample(ORG, 7, 1).load(fleet);
      Analyses.sample(OTHER, 8, 1).load(fleet);
    }
  }

  @AfterAll
  static void dropRole() {
    runtime.close();
  }

  /** Sets the tenant for the open transaction; on Citus with SET LOCAL too, which reaches the workers. */
  private static void setTenant(Connection c, FleetDatabase db, String org) throws SQLException {
    // not in savepoints: Citus carries a SET LOCAL to the workers only from the transaction itself
    try (PreparedStatement p = c.prepareStatement("SELECT set_config('fleet_analytics.organization_id', ?, true)")) {
      p.setString(1, org);
      p.execute();
    }
    if (db.isCitus()) {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("SET LOCAL citus.propagate_set_commands = 'local'");
        st.execute("SET LOCAL fleet_analytics.organization_id = '" + org + "'"); // the test's own ids
      }
    }
  }

  /** True when the statement ran and returned a row (a lock taken), in a savepoint. */
  private static boolean tookALock(Connection c, String sql) throws SQLException {
    var sp = c.setSavepoint();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, ORG);
      try (ResultSet rs = p.executeQuery()) {
        boolean row = rs.next();
        c.releaseSavepoint(sp);
        return row;
      }
    } catch (SQLException e) {
      c.rollback(sp);
      return false;
    }
  }

  @Test
  void noOtherRoleCanMakeTheWriterOfALocationWait(FleetDatabase db) throws Exception {
    String s = "\"" + db.schema() + "\"";
    try (DatabaseRole reader = DatabaseRole.organizationReader(db, ORG);
        DatabaseRole admin = DatabaseRole.fleetReader(db);
        DatabaseRole bare = DatabaseRole.bare(db, "")) {
      List<Connection> held = new ArrayList<>();
      List<String> taken = new ArrayList<>();
      try {
        record Attacker(String label, DatabaseRole role, String tenant) {}
        for (Attacker a : List.of(new Attacker("organization reader", reader, ORG),
            new Attacker("fleet reader", admin, ORG), new Attacker("role without grants", bare, ORG),
            new Attacker("runtime role set to another organization", runtime, OTHER))) {
          Connection c = a.role().plainConnection();
          held.add(c);
          c.setAutoCommit(false);
          setTenant(c, db, a.tenant());
          // an attacker does not wait for another attacker: what is held already counts as held
          TenantSql.stateOf(c, "SET LOCAL lock_timeout = '300ms'");
          for (String loc : List.of("A", "B")) {
            // the old advisory key (V004), the lock function, and the lock table itself
            for (String sql : List.of(
                "SELECT 1 WHERE pg_try_advisory_xact_lock(hashtextextended('fleet-analytics/' || ? || '/" + loc + "', 0))",
                "SELECT " + s + ".lock_fleet_locations(?, ARRAY['" + loc + "'])",
                "SELECT 1 FROM " + s + ".fleet_location_locks WHERE organization_id = ? AND location_id = '" + loc + "' FOR UPDATE",
                "SELECT 1 FROM " + s + ".fleet_location_locks WHERE organization_id = ? AND location_id = '" + loc + "' FOR KEY SHARE",
                "SELECT 1 FROM " + s + ".locations WHERE organization_id = ? AND id = '" + loc + "' FOR UPDATE")) {
              if (tookALock(c, sql)) {
                taken.add(a.label() + ": " + sql);
              }
            }
          }
          if (a.role() != runtime) {
            // (the runtime role may lock its tables in any mode, as any role with UPDATE may: it is
            // the writers' own role, not another one)
            TenantSql.stateOf(c, "LOCK TABLE " + s + ".fleet_location_locks IN SHARE MODE");
          }
        }
        LOG.warn("measured: lock statements that ran without an error for roles other than the writer: {} (advisory locks no writer takes any more, and lock calls that found nothing to lock)", taken.size());
        // the writer rewrites both locations of the organization while all of that is held
        CompletableFuture<Long> write = CompletableFuture.supplyAsync(() -> {
          long t0 = System.nanoTime();
          try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).writeAttempts(1).build()) {
            Analyses.sample(ORG, 9, 1).load(fleet);
          }
          return (System.nanoTime() - t0) / 1_000_000;
        });
        long millis;
        try {
          millis = write.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError("the writer waited more than 30 s on a lock held by another role; taken: " + taken, e);
        }
        LOG.warn("measured: the writer finished in {} ms while the other roles held what they could", millis);
      } finally {
        for (Connection c : held) {
          try {
            c.rollback();
            c.close();
          } catch (SQLException ignored) {
            // the connection is being dropped anyway
          }
        }
      }
    }
  }

  @Test
  void aLockHeldLongerThanTheLockTimeoutEndsInATransientErrorNamingTheLocation(FleetDatabase db) throws Exception {
    String s = "\"" + db.schema() + "\"";
    // another write of the same location holds its lock (the runtime role, the organization set)
    try (Connection holder = runtime.plainConnection()) {
      holder.setAutoCommit(false);
      setTenant(holder, db, ORG);
      try (PreparedStatement p = holder.prepareStatement("SELECT " + s + ".lock_fleet_locations(?, ARRAY['A', 'B'])")) {
        p.setString(1, ORG);
        p.execute();
      }
      long t0 = System.nanoTime();
      Throwable thrown;
      try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock())
          .lockTimeout(Duration.ofSeconds(1)).writeAttempts(1).build()) {
        thrown = org.assertj.core.api.Assertions.catchThrowable(() -> fleet.writer().deleteMetrics(
            CallerContext.of("ops", ORG, Role.ADMIN), ORG, "A", Analyses.NOW.minus(Duration.ofDays(1)), Analyses.NOW));
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      holder.rollback();
      LOG.warn("measured: a write of a location whose lock was held failed after {} ms (lockTimeout 1 s): {}",
          millis, thrown == null ? null : thrown.getMessage());
      assertThat(thrown).isInstanceOf(WarehouseException.class)
          .hasMessageContaining("lockTimeout").hasMessageContaining("location 'A'").hasMessageContaining("try again");
      WarehouseException e = (WarehouseException) thrown;
      assertThat(e.sqlState()).isEqualTo("55P03");
      assertThat(e.isTransient()).isTrue();
      // 1 s of waiting, plus the work around it on a busy machine; never the statement timeout
      assertThat(millis).isBetween(1_000L, 15_000L);
    }
    // with the lock free again the same call goes through
    try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).lockTimeout(Duration.ofSeconds(1)).build()) {
      assertThat(fleet.writer().deleteMetrics(CallerContext.of("ops", ORG, Role.ADMIN), ORG, "A",
          Analyses.NOW.minus(Duration.ofDays(1)), Analyses.NOW)).isPositive();
    }
  }

  @Test
  void noGrantedRoleCanHoldTheMigratorsOrTheGrantHelpers(FleetDatabase db) throws Exception {
    try (DatabaseRole reader = DatabaseRole.organizationReader(db, ORG);
        DatabaseRole bare = DatabaseRole.bare(db, "");
        Connection c = reader.plainConnection()) {
      c.setAutoCommit(false);
      // the advisory key the migrators used (FleetSchema), and the history table it may read
      TenantSql.stateOf(c, "SELECT pg_advisory_lock(" + 0x466c656574416e6cL + ")");
      String stronger = TenantSql.stateOf(c, "LOCK TABLE \"" + db.schema() + "\".fleet_schema_history IN SHARE ROW EXCLUSIVE MODE");
      assertThat(stronger).isEqualTo("42501");
      TenantSql.stateOf(c, "SELECT count(*) FROM \"" + db.schema() + "\".fleet_schema_history");
      CompletableFuture<Void> grant = CompletableFuture.runAsync(() ->
          io.modax.fleet.schema.FleetSchema.of(db.dataSource(), db.schema()).grantFleetReader(bare.name()));
      try {
        grant.get(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("a grant helper waited more than 30 s on a lock the reader holds", e);
      } finally {
        c.rollback();
        TenantSql.stateOf(c, "SELECT pg_advisory_unlock_all()");
      }
    }
  }
}
