package io.modax.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.RequiresCitus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs only on a Citus coordinator (set FLEET_ANALYTICS_TEST_CITUS_URL): the installer's {@link
 * Distribution#CITUS} distributes every tenant table, found from the catalog, co-located by
 * organization, and keeps row-level security and the triggers on the shards.
 */
@RequiresCitus
@ExtendWith(FleetDatabaseExtension.class)
class CitusSchemaTest {

  @Test
  void everyTenantTableIsDistributedByOrganizationAndCoLocated(FleetDatabase db) throws SQLException {
    Map<String, String> tenantTables = tenantTables(db); // table -> its organization column
    assertThat(tenantTables).containsKeys("organizations", "locations", "fleet_metrics",
        "fleet_metrics_hourly", "fleet_metrics_daily", "ingest_quarantine", "ingest_batches");
    Map<String, String[]> citus = citusTables(db); // table -> type, column, colocation
    String colocation = citus.get("organizations")[2];
    for (Map.Entry<String, String> t : tenantTables.entrySet()) {
      assertThat(citus).as("%s is managed by Citus", t.getKey()).containsKey(t.getKey());
      assertThat(citus.get(t.getKey())).as("distribution of %s", t.getKey())
          .containsExactly("distributed", t.getValue(), colocation);
    }
    for (Map.Entry<String, String[]> t : citus.entrySet()) {
      if (!tenantTables.containsKey(t.getKey())) {
        assertThat(t.getValue()[0]).as("%s has no organization: a reference table", t.getKey())
            .isEqualTo("reference");
      }
    }
    assertThat(citus).doesNotContainKey(FleetSchema.HISTORY_TABLE);
  }

  @Test
  void rowLevelSecurityIsForcedOnEveryShardAndTheTriggersAreThere(FleetDatabase db) throws SQLException {
    for (String table : tenantTables(db).keySet()) {
      List<String> forced = onShards(db, table,
          "SELECT relforcerowsecurity AND relrowsecurity FROM pg_class WHERE oid = '%s'::regclass");
      assertThat(forced).as("FORCE ROW LEVEL SECURITY on the shards of " + table).isNotEmpty().containsOnly("t");
      List<String> policies = onShards(db, table,
          "SELECT count(*) FROM pg_policy WHERE polrelid = '%s'::regclass AND polname = 'fleet_tenant_isolation'");
      assertThat(policies).as("the tenant policy on the shards of " + table).containsOnly("1");
    }
    assertThat(onShards(db, "fleet_metrics",
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = '%s'::regclass AND tgname LIKE 'fleet_metrics_mark_rollups_dirty%%'"))
        .as("the dirty-hour trigger on the shards of fleet_metrics").containsOnly("1");
  }

  @Test
  void aTableALaterMigrationAddsIsDistributedByTheNextMigrate(FleetDatabase db) throws SQLException {
    String table = "\"" + db.schema() + "\".citus_probe_weekly";
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (organization_id VARCHAR(64) NOT NULL,"
          + " location_id VARCHAR(64) NOT NULL, week DATE NOT NULL,"
          + " PRIMARY KEY (organization_id, location_id, week))");
    }
    try {
      FleetSchema.of(db.dataSource(), db.schema()).migrate(TimescaleMode.DISABLED, Distribution.CITUS);
      assertThat(citusTables(db).get("citus_probe_weekly"))
          .containsExactly("distributed", "organization_id", citusTables(db).get("organizations")[2]);
      // and a second call finds nothing to do
      FleetSchema.of(db.dataSource(), db.schema()).migrate(TimescaleMode.DISABLED, Distribution.CITUS);
    } finally {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  @Test
  void citusIsRefusedTogetherWithTimescale(FleetDatabase db) {
    FleetSchema schema = FleetSchema.of(db.dataSource(), db.schema());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> schema.migrate(TimescaleMode.AUTO, Distribution.CITUS))
        .isInstanceOf(SchemaException.class).hasMessageContaining("TimescaleMode.DISABLED");
  }

  /** Every table of the schema with an organization column (organizations: its id), from the catalog. */
  static Map<String, String> tenantTables(FleetDatabase db) throws SQLException {
    Map<String, String> tables = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT t.relname, CASE WHEN t.relname = 'organizations' THEN 'id' ELSE 'organization_id' END"
                + " FROM pg_class t WHERE t.relnamespace = ?::regnamespace AND t.relkind IN ('r', 'p')"
                + " AND t.relname <> ? AND (t.relname = 'organizations' OR EXISTS (SELECT 1 FROM pg_attribute a"
                + " WHERE a.attrelid = t.oid AND a.attname = 'organization_id' AND NOT a.attisdropped))")) {
      p.setString(1, "\"" + db.schema() + "\"");
      p.setString(2, FleetSchema.HISTORY_TABLE);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          tables.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return tables;
  }

  private static Map<String, String[]> citusTables(FleetDatabase db) throws SQLException {
    Map<String, String[]> tables = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT t.relname, ct.citus_table_type, ct.distribution_column, ct.colocation_id::text"
                + " FROM citus_tables ct JOIN pg_class t ON t.oid = ct.table_name"
                + " WHERE t.relnamespace = ?::regnamespace")) {
      p.setString(1, "\"" + db.schema() + "\"");
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          tables.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
        }
      }
    }
    return tables;
  }

  /** The result of a command (with %s for the shard) on every shard of a table. */
  private static List<String> onShards(FleetDatabase db, String table, String command) throws SQLException {
    List<String> results = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT success, result FROM run_command_on_shards(?::regclass, ?)")) {
      p.setString(1, "\"" + db.schema() + "\"." + table);
      p.setString(2, command);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          assertThat(rs.getBoolean(1)).as("%s on a shard of %s: %s", command, table, rs.getString(2)).isTrue();
          results.add(rs.getString(2));
        }
      }
    }
    return results;
  }
}
