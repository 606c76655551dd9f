package io.modax.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.internal.schema.MigrationScripts;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FleetDatabaseExtension.class)
class SchemaMigrationTest {

  /**
   * Wherever the timescaledb extension is installed, a schema migrated with {@link TimescaleMode#AUTO}
   * keeps fleet_metrics a hypertable after every migration (V014 partitions it on plain PostgreSQL
   * only), and one migrated with {@link TimescaleMode#DISABLED} gets V014's monthly partitions.
   * Runs on every database: the TimescaleDB-only tests skip when fleet_metrics is not a hypertable,
   * so they could not catch a migration that made it none.
   */
  @Test
  void theRawTableIsAHypertableWhereverTimescaleDbIsInstalledAndPartitionedElsewhere(FleetDatabase db)
      throws SQLException {
    boolean extension;
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE extname = 'timescaledb'),"
            + " count(*) FILTER (WHERE extname = 'citus') FROM pg_extension")) {
      rs.next();
      extension = rs.getInt(1) > 0;
      org.junit.jupiter.api.Assumptions.assumeTrue(rs.getInt(2) == 0,
          "on Citus fleet_metrics is neither a hypertable nor partitioned by time");
    }
    assertThat(db.isTimescale()).as("the shared test schema is a hypertable").isEqualTo(extension);
    for (TimescaleMode mode : List.of(TimescaleMode.AUTO, TimescaleMode.DISABLED)) {
      String schema = "fleet_kind_" + mode.name().toLowerCase(java.util.Locale.ROOT);
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
      try {
        SchemaStatus status = FleetSchema.of(db.dataSource(), schema).migrate(mode);
        boolean hypertable = extension && mode == TimescaleMode.AUTO;
        assertThat(status.hypertable()).as(mode + ": hypertable").isEqualTo(hypertable);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT relkind FROM pg_class WHERE oid = '" + schema
                + ".fleet_metrics'::regclass")) {
          rs.next();
          assertThat(rs.getString(1)).as(mode + ": relkind").isEqualTo(hypertable ? "r" : "p");
        }
      } finally {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
  }

  private final List<String> created = new ArrayList<>();

  @AfterEach
  void dropSchemas(FleetDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String schema : created) {
        s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
  }

  private String freshSchema(FleetDatabase db, String name) throws SQLException {
    created.add(name);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
    }
    return name;
  }

  @Test
  void migratingTwiceChangesNothing(FleetDatabase db) throws SQLException {
    String schema = freshSchema(db, "fleet_twice");
    FleetSchema installer = FleetSchema.of(db.dataSource(), schema);

    SchemaStatus first = installer.migrate(TimescaleMode.AUTO);
    String catalogAfterFirst = catalog(db.dataSource(), schema);
    SchemaStatus second = installer.migrate(TimescaleMode.AUTO);

    assertThat(first.appliedNow()).containsExactly(versions(FleetSchema.latestVersion()));
    assertThat(second.appliedNow()).isEmpty();
    assertThat(second.installedVersion()).isEqualTo(FleetSchema.latestVersion());
    assertThat(catalog(db.dataSource(), schema)).isEqualTo(catalogAfterFirst);
    assertThat(historyVersions(db.dataSource(), schema))
        .containsExactly(versions(FleetSchema.latestVersion()));
  }

  @Test
  void twoMigratorsStartedAtOnceBothSucceedAndLeaveOneSchema(FleetDatabase db) throws Exception {
    String schema = freshSchema(db, "fleet_concurrent");
    CountDownLatch go = new CountDownLatch(1);
    Callable<SchemaStatus> migrator = () -> {
      go.await();
      return FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.AUTO);
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<SchemaStatus> a = pool.submit(migrator);
      Future<SchemaStatus> b = pool.submit(migrator);
      go.countDown();
      SchemaStatus sa = a.get();
      SchemaStatus sb = b.get();

      assertThat(sa.isCurrent()).isTrue();
      assertThat(sb.isCurrent()).isTrue();
      // exactly one of them applied the migrations, the other found nothing to do
      assertThat(sa.appliedNow().size() + sb.appliedNow().size())
          .isEqualTo(versions(FleetSchema.latestVersion()).length);
      assertThat(historyVersions(db.dataSource(), schema))
          .containsExactly(versions(FleetSchema.latestVersion()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aHostChosenSchemaNameWorksEndToEnd(FleetDatabase db) throws SQLException {
    String schema = freshSchema(db, "plant_ops_2026");
    try (FleetAnalytics fleet = FleetAnalytics.builder(db.dataSource()).schema(schema).build()) {
      assertThat(fleet.schemaStatus().appliedNow()).isNotEmpty();
      CallerContext admin = CallerContext.of("test", "org-x", Role.ADMIN);
      fleet.writer().writeOrganization(admin, Organization.of("org-x", "Org X"));
      fleet.writer().writeLocations(admin, "org-x", List.of(Location.of("org-x", "L1", "Line 1", "Europe/Oslo")));
      Instant t = Instant.parse("2026-03-02T08:00:00Z");
      var report = fleet.writer().writeMetrics(admin, "org-x", List.of(
          FleetMetrics.builder("org-x", "L1", t).deviceCount(10).totalProductionHours(0.7)
              .totalDowntimeHours(0.1).avgUptime(0.875).oee(0.7).totalFailures(1).mttr(2.0).build()));
      assertThat(report.inserted()).isEqualTo(1);

      var cmp = fleet.fleetAnalyzer().compareLocations(admin, "org-x", List.of("L1"), t, t.plusSeconds(300));
      assertThat(cmp.locations()).singleElement()
          .satisfies(p -> assertThat(p.oee()).isEqualTo(0.7))
          .satisfies(p -> assertThat(p.totalFailures()).isEqualTo(1));
    }
    // the rows live in the chosen schema, and the default schema was not touched by this test
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".fleet_metrics")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void validateOnlyRefusesAMissingSchemaAndAcceptsACurrentOne(FleetDatabase db) throws SQLException {
    String schema = freshSchema(db, "fleet_validate");
    FleetAnalytics.Builder builder =
        FleetAnalytics.builder(db.dataSource()).schema(schema).schemaAction(SchemaAction.VALIDATE);

    assertThatThrownBy(builder::build)
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("'" + schema + "' is at version 0")
        .hasMessageContaining("needs version " + FleetSchema.latestVersion());

    FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.AUTO);
    try (FleetAnalytics fleet = builder.build()) {
      assertThat(fleet.schemaStatus().isCurrent()).isTrue();
    }
  }

  @Test
  void theSqlScriptForAHostsOwnMigrationToolInstallsTheSameSchema(FleetDatabase db) throws SQLException {
    String viaLibrary = freshSchema(db, "fleet_via_library");
    String viaScript = freshSchema(db, "fleet_via_script");
    // the script, like AUTO, makes fleet_metrics a hypertable where TimescaleDB is installed
    FleetSchema.of(db.dataSource(), viaLibrary).migrate(TimescaleMode.AUTO);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(FleetSchema.sql(viaScript));
    }

    assertThat(catalog(db.dataSource(), viaScript)).isEqualTo(catalog(db.dataSource(), viaLibrary));
    assertThat(FleetSchema.of(db.dataSource(), viaScript).validate().isCurrent()).isTrue();
  }

  @Test
  void aMigrationEditedAfterItWasAppliedIsRefused(FleetDatabase db) throws SQLException {
    String schema = freshSchema(db, "fleet_tampered");
    FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.AUTO);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE \"" + schema + "\".fleet_schema_history SET checksum = repeat('0', 64) WHERE version = "
          + MigrationScripts.BASELINE_VERSION);
    }

    assertThatThrownBy(() -> FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.AUTO))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("migration V" + MigrationScripts.BASELINE_VERSION)
        .hasMessageContaining("was applied with checksum 0000");
  }

  @Test
  void aChangedDefinitionIsReappliedWholeAndRecordedWithoutAVersion(FleetDatabase db) throws SQLException {
    String schema = freshSchema(db, "fleet_redefined");
    FleetSchema installer = FleetSchema.of(db.dataSource(), schema);
    installer.migrate(TimescaleMode.AUTO);
    String catalog = catalog(db.dataSource(), schema);
    // as if the shipped window_sums.sql had changed since it was applied: its function body differs
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE \"" + schema + "\".fleet_schema_history SET checksum = repeat('0', 64)"
          + " WHERE version IS NULL AND description = 'window_sums'");
      s.execute("DROP FUNCTION \"" + schema + "\".fleet_window_sums(varchar, varchar[], timestamptz, timestamptz)");
    }
    assertThat(installer.status().isCurrent()).isFalse();
    assertThatThrownBy(installer::validate).isInstanceOf(SchemaException.class);

    SchemaStatus again = installer.migrate(TimescaleMode.AUTO);

    assertThat(again.appliedNow()).isEmpty(); // no numbered migration: the definitions only
    assertThat(again.isCurrent()).isTrue();
    assertThat(catalog(db.dataSource(), schema)).isEqualTo(catalog);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT description), bool_and(checksum <> repeat('0', 64))"
            + " FROM \"" + schema + "\".fleet_schema_history WHERE version IS NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(MigrationScripts.definitions(false).size());
      assertThat(rs.getInt(2)).isEqualTo(rs.getInt(1));
      assertThat(rs.getBoolean(3)).isTrue();
    }
  }

  @Test
  void aSchemaNameThatIsNotASimpleIdentifierIsRefused(FleetDatabase db) {
    assertThatThrownBy(() -> FleetAnalytics.builder(db.dataSource()).schema("fleet\"; DROP TABLE x; --"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is not allowed");
  }

  /** Every table, column, index, function and trigger of the schema, as text. */
  static String catalog(DataSource ds, String schema) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      String[] queries = {
        "SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable"
            + " || ':' || coalesce(column_default, '') FROM information_schema.columns"
            + " WHERE table_schema = '" + schema + "' ORDER BY 1",
        "SELECT indexname || ':' || replace(indexdef, '" + schema + "', 'S') FROM pg_indexes"
            + " WHERE schemaname = '" + schema + "' ORDER BY 1",
        "SELECT p.proname || ':' || md5(replace(pg_get_functiondef(p.oid), '" + schema + "', 'S'))"
            + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            + " WHERE n.nspname = '" + schema + "' ORDER BY 1",
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid"
            + " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = '" + schema
            + "' AND NOT t.tgisinternal ORDER BY 1",
        "SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint"
            + " WHERE connamespace = '" + schema + "'::regnamespace ORDER BY 1"
      };
      for (String q : queries) {
        try (ResultSet rs = s.executeQuery(q)) {
          while (rs.next()) {
            b.append(rs.getString(1).replace(schema, "S")).append('\n');
          }
        }
      }
    }
    return b.toString();
  }

  static List<Integer> historyVersions(DataSource ds, String schema) throws SQLException {
    List<Integer> v = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM \"" + schema + "\".fleet_schema_history"
            + " WHERE version IS NOT NULL ORDER BY version")) {
      while (rs.next()) {
        v.add(rs.getInt(1));
      }
    }
    return v;
  }

  /** The versions a new schema records: the baseline's, then each numbered migration's. */
  static Integer[] versions(int latest) {
    Integer[] v = new Integer[latest - MigrationScripts.BASELINE_VERSION + 1];
    for (int i = 0; i < v.length; i++) {
      v[i] = MigrationScripts.BASELINE_VERSION + i;
    }
    return v;
  }
}
