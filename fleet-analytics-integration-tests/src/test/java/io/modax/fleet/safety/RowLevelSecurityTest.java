package io.modax.fleet.safety;

import static io.modax.fleet.safety.TenantSql.TENANT_TABLES;
import static io.modax.fleet.safety.TenantSql.count;
import static io.modax.fleet.safety.TenantSql.inTenant;
import static io.modax.fleet.safety.TenantSql.organizationsIn;
import static io.modax.fleet.safety.TenantSql.stateOf;
import static io.modax.fleet.safety.TenantSql.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.IngestFixture;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.QuarantineReason;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Row-level security as installed by V008: on every tenant table, forced, failing closed; the
 * library working unchanged (COPY path, rollup functions, window sums, reports) under a runtime
 * role that is neither superuser nor owner; the grant helpers and the reader roles.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class RowLevelSecurityTest {

  static final String ORG_A = "rls-a";
  static final String ORG_B = "rls-b";
  static DatabaseRole runtime;

  @BeforeAll
  static void setUp(FleetDatabase db) {
    runtime = DatabaseRole.runtime(db, 2);
    load();
  }

  static void load() {
    // both organizations go in through the runtime role: the writer's COPY path under RLS
    try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).writeChunkSize(2_000).build()) {
      for (String org : List.of(ORG_A, ORG_B)) {
        SampleFleet.LoadReport r = Analyses.sample(org, org.hashCode(), 10).load(fleet);
        assertThat(r.metrics().quarantined()).isZero();
        assertThat(r.metrics().inserted()).isGreaterThan(1_000);
        // one bad row each, so the quarantine has rows of both
        WriteReport bad = fleet.writer().writeEvents(CallerContext.of("t", org, Role.ADMIN), org, List.of(
            new MaintenanceEvent(org, "bad", "nowhere", null, Analyses.NOW.minusSeconds(60), EventType.FAILURE, false,
                null, null, null, List.of())));
        assertThat(bad.quarantinedByReason()).containsKey(QuarantineReason.UNKNOWN_LOCATION);
      }
    }
  }

  @AfterAll
  static void dropRole() {
    runtime.close();
  }

  @Test
  void everyTableButTheHistoryIsATenantTableUnderForcedFailClosedRowLevelSecurity(FleetDatabase db)
      throws SQLException {
    Map<String, String> policies = new LinkedHashMap<>();
    List<String> notForced = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,"
          + " (SELECT string_agg(p.polname || ':' || pg_get_expr(p.polqual, p.polrelid) || ':'"
          + "  || pg_get_expr(p.polwithcheck, p.polrelid), ';') FROM pg_policy p WHERE p.polrelid = c.oid)"
          + " FROM pg_class c WHERE c.relnamespace = '\"" + db.schema() + "\"'::regnamespace"
          + " AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'fleet_schema_history' ORDER BY 1")) {
        while (rs.next()) {
          if (!rs.getBoolean(2)) {
            notForced.add(rs.getString(1));
          }
          policies.put(rs.getString(1), rs.getString(3));
        }
      }
      assertThat(notForced).as("tables without ENABLE + FORCE ROW LEVEL SECURITY").isEmpty();
      // partitions of fleet_metrics (plain PostgreSQL, V014) are reached through fleet_metrics and its
      // policies only: no role but the owner has a privilege on one
      try (ResultSet rs = s.executeQuery("SELECT c.relname, a.grantee::regrole::text FROM pg_class c,"
          + " aclexplode(c.relacl) a WHERE c.relnamespace = '\"" + db.schema() + "\"'::regnamespace"
          + " AND c.relispartition AND a.grantee <> c.relowner")) {
        List<String> granted = new ArrayList<>();
        while (rs.next()) {
          granted.add(rs.getString(1) + " to " + rs.getString(2));
        }
        assertThat(granted).as("privileges on partitions").isEmpty();
      }
      // the list the other tests walk is every such table: a new table must be added there too
      assertThat(new TreeSet<>(policies.keySet()))
          .isEqualTo(new TreeSet<>(TENANT_TABLES.stream().map(t -> t[0]).toList()));
      for (String[] t : TENANT_TABLES) {
        // "<column> = nullif(current_setting(<setting>, true), '')" for both USING and WITH CHECK,
        // compared without the parentheses and spaces PostgreSQL adds when it prints it, and
        // without the cast it adds to a VARCHAR column (a TEXT one has none)
        // (V015: and, once organization readers were granted, "AND current_user <> ALL(<readers>)")
        String expr = t[1] + "=NULLIFcurrent_settingfleet_analytics.organization_id::text,true,::text";
        assertThat(policies.get(t[0]).replaceAll("[()\\s']", "").replace(t[1] + "::text=", t[1] + "=")
                .replaceAll("ANDCURRENT_USER<>ALL\\{[a-z0-9_,]*}::name\\[]", ""))
            .as(t[0])
            .isEqualTo("fleet_tenant_isolation:" + expr + ":" + expr);
      }
      // the SQL functions run as their caller, so the policies hold inside them; views too
      // but the two of V015 that revoke privileges on chunks and partitions (they take no argument)
      try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE prosecdef AND proname NOT IN"
          + " ('fleet_seal_storage', 'fleet_seal_new_chunks')), count(*) FROM pg_proc"
          + " WHERE pronamespace = '\"" + db.schema() + "\"'::regnamespace")) {
        rs.next();
        assertThat(rs.getInt(1)).as("SECURITY DEFINER functions").isZero();
        assertThat(rs.getInt(2)).isGreaterThan(5);
      }
      try (ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_class c WHERE c.relkind = 'v'"
          + " AND c.relnamespace = '\"" + db.schema() + "\"'::regnamespace"
          + " AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)")) {
        assertThat(rs.next()).as("views without security_invoker").isFalse();
      }
    }
  }

  @Test
  void thePoliciesFailClosedWhenTheTenantIsMissingOrEmpty(FleetDatabase db) throws SQLException {
    String s = "\"" + db.schema() + "\"";
    // one connection: never set in its session, set to '', then after a transaction that set it
    try (DatabaseRole fresh = DatabaseRole.runtime(db, 1)) {
      inTenant(fresh.pool(), null, c -> assertSeesNothingAndWritesNothing(c, db, "never set"));
      inTenant(fresh.pool(), "", c -> assertSeesNothingAndWritesNothing(c, db, "set to ''"));
      long rows = inTenant(fresh.pool(), ORG_A, c -> count(c, "SELECT count(*) FROM " + s + ".fleet_metrics"));
      assertThat(rows).as("the rows are there for whoever sets the tenant").isGreaterThan(1_000);
      inTenant(fresh.pool(), null, c -> {
        assertThat(count(c, "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE pid = pg_backend_pid()"))
            .isEqualTo(1);
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT current_setting('fleet_analytics.organization_id', true)")) {
          rs.next();
          assertThat(rs.getString(1)).as("after the commit the setting is empty, not NULL").isEmpty();
        }
        return assertSeesNothingAndWritesNothing(c, db, "after a committed transaction set it");
      });
    }
  }

  private static Void assertSeesNothingAndWritesNothing(Connection c, FleetDatabase db, String when)
      throws SQLException {
    for (String[] table : TENANT_TABLES) {
      assertThat(organizationsIn(c, db.schema(), table[0], table[1])).as(table[0] + ", tenant " + when).isEmpty();
    }
    assertThat(stateOf(c, "INSERT INTO \"" + db.schema() + "\".organizations (id, name) VALUES (?, 'x')", ORG_A))
        .as(when).isEqualTo("42501");
    assertThat(update(c, "DELETE FROM \"" + db.schema() + "\".fleet_metrics")).as(when).isZero();
    return null;
  }

  @Test
  void aTransactionForOneOrganizationCanNeitherReadNorChangeAnother(FleetDatabase db) {
    String s = "\"" + db.schema() + "\"";
    inTenant(runtime.pool(), ORG_A, c -> {
      for (String[] table : TENANT_TABLES) {
        assertThat(new TreeSet<>(organizationsIn(c, db.schema(), table[0], table[1])))
            .as(table[0]).isSubsetOf(ORG_A);
      }
      assertThat(count(c, "SELECT count(*) FROM " + s + ".fleet_metrics WHERE organization_id = ?", ORG_B)).isZero();
      // writes aimed at B: refused, or they find nothing to change
      assertThat(stateOf(c, "INSERT INTO " + s + ".locations (organization_id, id, name, timezone)"
          + " VALUES (?, 'X', 'x', 'UTC')", ORG_B)).isEqualTo("42501");
      assertThat(update(c, "UPDATE " + s + ".locations SET name = 'taken' WHERE organization_id = ?", ORG_B)).isZero();
      assertThat(update(c, "DELETE FROM " + s + ".maintenance_events WHERE organization_id = ?", ORG_B)).isZero();
      if (!db.isCitus()) {
        assertThat(stateOf(c, "UPDATE " + s + ".locations SET organization_id = ? WHERE organization_id = ?", ORG_B, ORG_A))
            .isEqualTo("42501");
      }
      // the SQL functions run as the caller: asked for B, they find nothing of B
      assertThat(count(c, "SELECT coalesce(sum(snapshot_count), 0) FROM " + s
          + ".fleet_window_sums(?, NULL, timestamptz '2026-04-01 00:00Z', timestamptz '2026-05-07 00:00Z')", ORG_B)).isZero();
      assertThat(count(c, "SELECT coalesce(sum(snapshot_count), 0) FROM " + s
          + ".fleet_window_sums(?, NULL, timestamptz '2026-04-01 00:00Z', timestamptz '2026-05-07 00:00Z')", ORG_A)).isPositive();
      assertThat(count(c, "SELECT " + s + ".refresh_fleet_rollups_range(?, 'A', timestamptz '2026-04-30 00:00Z', timestamptz '2026-05-06 00:00Z')", ORG_B))
          .isPositive(); // it walks the hours, but can neither see nor delete B's buckets:
      return null;
    });
    if (db.isCitus()) {
      // Citus refuses to change a distribution column at all (SQLState 0A000), before any policy;
      // HikariCP takes that state for a broken connection, so this runs outside the pool
      try (Connection c = runtime.plainConnection()) {
        String state = inTenant(c, ORG_A, t -> stateOf(t,
            "UPDATE " + s + ".locations SET organization_id = ? WHERE organization_id = ?", ORG_B, ORG_A));
        assertThat(state).isEqualTo("0A000");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    IngestFixture.assertRollupsEqualRecomputation(db);
  }

  @Test
  void theLibraryAnswersUnderTheRuntimeRoleExactlyAsUnderTheSuperuser(FleetDatabase db) {
    try (FleetAnalytics asRuntime = runtime.analyticsBuilder().clock(Analyses.clock()).build();
        FleetAnalytics asSuperuser = db.analyticsBuilder().clock(Analyses.clock()).build()) {
      CallerContext caller = CallerContext.of("reader", ORG_A, Role.READ_ONLY);
      Map<String, BiFunction<CallerContext, String, Object>> viaRuntime = Analyses.all(asRuntime);
      Map<String, BiFunction<CallerContext, String, Object>> viaSuperuser = Analyses.all(asSuperuser);
      for (String name : viaRuntime.keySet()) {
        Object expected = viaSuperuser.get(name).apply(caller, ORG_A);
        Analyses.assertSameAnswer(viaRuntime.get(name).apply(caller, ORG_A), expected, name);
      }
    }
  }

  @Test
  void anOrganizationReaderSeesItsOrganizationWhateverItSetsTheTenantTo(FleetDatabase db) {
    try (DatabaseRole reader = DatabaseRole.organizationReader(db, ORG_B)) {
      for (String tenant : new String[] {null, ORG_A, ORG_B, ""}) {
        inTenant(reader.pool(), tenant, c -> {
          for (String[] table : TENANT_TABLES) {
            List<String> orgs = organizationsIn(c, db.schema(), table[0], table[1]);
            assertThat(new TreeSet<>(orgs)).as(table[0] + " with tenant " + tenant).isSubsetOf(ORG_B);
          }
          assertThat(count(c, "SELECT count(*) FROM \"" + db.schema() + "\".fleet_metrics")).isPositive();
          // read-only: no privilege to write, whatever the tenant
          assertThat(stateOf(c, "DELETE FROM \"" + db.schema() + "\".fleet_metrics")).isEqualTo("42501");
          return null;
        });
      }
    }
  }

  @Test
  void theFleetReaderIsTheOneRoleThatSeesEveryOrganization(FleetDatabase db) {
    try (DatabaseRole admin = DatabaseRole.fleetReader(db)) {
      inTenant(admin.pool(), null, c -> {
        assertThat(new TreeSet<>(organizationsIn(c, db.schema(), "fleet_metrics", "organization_id")))
            .containsExactly(ORG_A, ORG_B);
        assertThat(new TreeSet<>(organizationsIn(c, db.schema(), "organizations", "id")))
            .containsExactly(ORG_A, ORG_B);
        assertThat(stateOf(c, "DELETE FROM \"" + db.schema() + "\".organizations")).isEqualTo("42501");
        return null;
      });
    }
    // and the runtime role, granted the same schema, still sees one organization at a time
    inTenant(runtime.pool(), ORG_A, c -> {
      assertThat(new TreeSet<>(organizationsIn(c, db.schema(), "organizations", "id"))).containsExactly(ORG_A);
      return null;
    });
  }

  @Test
  void theGrantHelpersRefuseRolesThatWouldBypassRowLevelSecurityAndNamesTheyCannotQuote(FleetDatabase db) {
    FleetSchema schema = FleetSchema.of(db.dataSource(), db.schema());
    try (DatabaseRole superuser = DatabaseRole.bare(db, "SUPERUSER");
        DatabaseRole bypass = DatabaseRole.bare(db, "BYPASSRLS")) {
      assertThatThrownBy(() -> schema.grantRuntimeRole(superuser.name()))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is a superuser");
      assertThatThrownBy(() -> schema.grantOrganizationReader(bypass.name(), ORG_A))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has BYPASSRLS");
    }
    // the superuser the testkit connects as owns the tables
    assertThatThrownBy(() -> schema.grantRuntimeRole(db.user()))
        .isInstanceOf(InvalidRequestException.class);
    for (String bad : new String[] {"", "Robert", "x\"; DROP ROLE postgres; --", "1abc", "a".repeat(41)}) {
      assertThatThrownBy(() -> schema.grantRuntimeRole(bad))
          .as(bad).isInstanceOf(InvalidRequestException.class).hasMessageContaining("is not accepted");
    }
    assertThatThrownBy(() -> schema.grantFleetReader("fa_safety_nobody"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> schema.grantOrganizationReader("fa_safety_nobody", "o'); DROP TABLE x; --\u0000"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("control character");
  }

  @Test
  void truncatingTheRawTableClearsEveryOrganizationsRollupsThoughDeletesWouldSeeNone(FleetDatabase db)
      throws SQLException {
    org.junit.jupiter.api.Assumptions.assumeFalse(db.isCitus(), "on Citus the TRUNCATE trigger that empties"
        + " the rollups is not installed (it would truncate other distributed tables from inside a shard):"
        + " there the rollups are truncated with the raw table (docs/scaling.md, Citus)");
    String s = "\"" + db.schema() + "\"";
    try (DatabaseRole maintainer = DatabaseRole.bare(db, "")) {
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("GRANT USAGE ON SCHEMA " + s + " TO " + maintainer.name());
        st.execute("GRANT TRUNCATE ON " + s + ".fleet_metrics, " + s + ".fleet_metrics_hourly, "
            + s + ".fleet_metrics_daily, " + s + ".fleet_metrics_weekly, " + s + ".fleet_metrics_monthly, "
            + s + ".fleet_rollup_dirty TO " + maintainer.name());
      }
      try (Connection c = maintainer.pool().getConnection(); Statement st = c.createStatement()) {
        st.execute("TRUNCATE " + s + ".fleet_metrics"); // no tenant set: a DELETE would see no row
      }
    }
    for (String table : List.of("fleet_metrics", "fleet_metrics_hourly", "fleet_metrics_daily",
        "fleet_metrics_weekly", "fleet_metrics_monthly")) {
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM " + s + "." + table)).as(table).isZero();
    }
    // put the data back for the other tests of the class (they run in any order)
    db.reset();
    load();
  }
}
