package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Role;
import io.modax.fleet.backup.BackupException;
import io.modax.fleet.backup.BackupManifest;
import io.modax.fleet.backup.FleetBackup;
import io.modax.fleet.backup.RestoreReport;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.MalformedRecord;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.TimescaleMode;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Done-when of issue 8: an export/import round trip of the demo organization compares equal table
 * by table. The demo organization (the sample fleet's "acme", 30 days, with quarantined records)
 * is exported from the test warehouse and restored into another database (as a zip file) and into
 * another schema (as a directory, through the runtime role, under row-level security); every
 * table, rollups included, then holds the same rows, and every analysis answers the same.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class BackupRoundTripTest {

  static final String DEMO = SampleFleet.ORGANIZATION_ID;
  static final CallerContext ADMIN = CallerContext.of("backup-admin", DEMO, Role.ADMIN);
  static final List<String> COMPARED = List.of("organizations", "locations", "devices", "fleet_metrics",
      "maintenance_events", "maintenance_event_parts", "ingest_quarantine", "fleet_metrics_hourly",
      "fleet_metrics_daily", "fleet_metrics_weekly", "fleet_metrics_monthly");

  static FleetAnalytics source;

  @BeforeAll
  static void loadTheDemoOrganization(FleetDatabase db) {
    source = db.analyticsBuilder().clock(Analyses.clock()).build();
    SampleFleet demo = SampleFleet.builder().end(Analyses.NOW).days(30).build();
    demo.load(source);
    // quarantined records too, with quotes, Unicode and a NaN in their originals
    source.writer().writeMetrics(ADMIN, DEMO, List.of(
        FleetMetrics.builder(DEMO, "A", Analyses.NOW.minusSeconds(600)).avgUptime(Double.NaN).build(),
        FleetMetrics.builder(DEMO, "Zürich \"Nord\", Halle 3", Analyses.NOW.minusSeconds(900))
            .totalProductionHours(1.0).build()));
    source.writer().quarantineMalformed(ADMIN, DEMO, List.of(new MalformedRecord("fleet_metrics", "A",
        "metrics.csv:7", "2026-05-01,\"unterminated\n,x'y", "a quoted field is not closed")));
    // one more organization that must not travel with the demo's backup
    Analyses.sample("other-org", 7, 3).load(source);
  }

  @AfterAll
  static void close() {
    source.close();
  }

  @Test
  void theDemoOrganizationRestoredIntoAnotherDatabaseComparesEqualTableByTable(FleetDatabase db, @TempDir Path dir)
      throws Exception {
    Path zip = dir.resolve("acme-backup.zip");
    BackupManifest manifest = source.backup().export(ADMIN, DEMO, zip);
    assertThat(manifest.organizationId()).isEqualTo(DEMO);
    assertThat(manifest.schemaVersion()).isEqualTo(FleetSchema.latestVersion());
    assertThat(manifest.rowCounts().keySet()).containsExactlyElementsOf(FleetBackup.TABLES);
    assertThat(manifest.rowCounts().values()).allMatch(n -> n > 0);
    assertThat(FleetBackup.readManifest(zip)).isEqualTo(manifest);

    String database = "fa_safety_restore_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    execute(db.dataSource(), "CREATE DATABASE " + database);
    try {
      try (HikariDataSource other = pool(db, database)) {
        FleetSchema.of(other, db.schema()).migrate(TimescaleMode.AUTO);
        RestoreReport report;
        try (FleetAnalytics target = FleetAnalytics.builder(other).schema(db.schema())
            .schemaAction(SchemaAction.VALIDATE).clock(Analyses.clock()).build()) {
          report = target.backup().restore(ADMIN, zip);
          assertThat(report.rowsByTable()).isEqualTo(manifest.rowCounts());
          assertSameAnswers(source, target);
        }
        Map<String, Integer> compared = assertEqualTables(db.dataSource(), db.schema(), other, db.schema());
        System.out.printf("backup round trip into another database: %s; %d rows restored, %d hourly"
            + " buckets rebuilt; tables compared equal: %s%n", zip.getFileName(), report.totalRows(),
            report.hourlyBucketsBuilt(), compared);
      }
    } finally {
      terminateAndDrop(db, database);
    }
  }

  @Test
  void aDirectoryBackupRestoresIntoAnotherSchemaThroughTheRuntimeRole(FleetDatabase db, @TempDir Path dir)
      throws Exception {
    Path backup = dir.resolve("acme");
    BackupManifest manifest = source.backup().export(ADMIN, DEMO, backup);
    try (var files = Files.list(backup)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
          "devices.csv", "fleet_metrics.csv", "ingest_quarantine.csv", "locations.csv",
          "maintenance_event_parts.csv", "maintenance_events.csv", "manifest.json", "organizations.csv");
    }
    assertThat(Files.readAllLines(backup.resolve("organizations.csv"), StandardCharsets.UTF_8).get(0))
        .isEqualTo(String.join(",", manifest.table("organizations").orElseThrow().columns()));

    String schema = "fa_safety_restored";
    execute(db.dataSource(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.AUTO);
    try {
      try (DatabaseRole runtime = DatabaseRole.create(db, "rt", 2, "",
          r -> FleetSchema.of(db.dataSource(), schema).grantRuntimeRole(r));
          FleetAnalytics target = FleetAnalytics.builder(runtime.pool()).schema(schema)
              .clock(Analyses.clock()).build()) {
        RestoreReport report = target.backup().restore(ADMIN, backup);
        assertThat(report.rowsByTable()).isEqualTo(manifest.rowCounts());
        // a second restore of the same organization is refused, and changes nothing
        assertThatThrownBy(() -> target.backup().restore(ADMIN, backup))
            .isInstanceOf(BackupException.class).hasMessageContaining("already exists");
        assertSameAnswers(source, target);
      }
      assertEqualTables(db.dataSource(), db.schema(), db.dataSource(), schema);
    } finally {
      execute(db.dataSource(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void aBackupThatDoesNotMatchItsManifestIsRefusedAndNothingIsWritten(FleetDatabase db, @TempDir Path dir)
      throws Exception {
    Path backup = dir.resolve("acme");
    source.backup().export(ADMIN, DEMO, backup);
    Path metrics = backup.resolve("fleet_metrics.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(metrics, StandardCharsets.UTF_8));
    String changed = lines.get(5).replaceFirst(",0\\.", ",1.");
    assertThat(changed).isNotEqualTo(lines.get(5));
    lines.set(5, changed);
    Files.write(metrics, lines, StandardCharsets.UTF_8);

    String schema = "fa_safety_tampered";
    execute(db.dataSource(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.AUTO);
    try (FleetAnalytics target = FleetAnalytics.builder(db.dataSource()).schema(schema).build()) {
      // the message shows the tampered file's real hash (it once showed the empty input's)
      String actual = java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(metrics)));
      assertThatThrownBy(() -> target.backup().restore(ADMIN, backup))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("file 'fleet_metrics.csv' does not match the manifest")
          .hasMessageContaining("rows with SHA-256 " + actual + ", the manifest says")
          .hasMessageNotContaining("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      for (String table : COMPARED) {
        assertThat(rows(db.dataSource(), schema, table)).as(table).isEmpty();
      }
    } finally {
      execute(db.dataSource(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void exportAndRestoreCheckTheirCallerTheirOrganizationAndTheirPaths(@TempDir Path dir) throws IOException {
    FleetBackup backup = source.backup();
    assertThatThrownBy(() -> backup.export(CallerContext.of("op", DEMO, Role.OPERATOR), DEMO, dir.resolve("x")))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("lacks the 'admin' permission");
    assertThatThrownBy(() -> backup.export(CallerContext.of("admin", "other-org", Role.READ_ONLY), DEMO, dir.resolve("x")))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("only an admin may act for another tenant");
    assertThatThrownBy(() -> backup.export(ADMIN, "no-such-org", dir.resolve("x")))
        .isInstanceOf(NotFoundException.class);
    assertThat(dir.resolve("x")).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.toList()).as("no partial export left behind").isEmpty();
    }
    Files.createDirectory(dir.resolve("taken"));
    assertThatThrownBy(() -> backup.export(ADMIN, DEMO, dir.resolve("taken")))
        .isInstanceOf(BackupException.class).hasMessageContaining("exists");
    assertThatThrownBy(() -> backup.restore(ADMIN, dir.resolve("missing")))
        .isInstanceOf(BackupException.class).hasMessageContaining("does not exist");
    Files.writeString(dir.resolve("not-a-zip.zip"), "hello");
    assertThatThrownBy(() -> backup.restore(ADMIN, dir.resolve("not-a-zip.zip")))
        .isInstanceOf(BackupException.class);
    Path evil = dir.resolve("evil");
    Files.createDirectory(evil);
    Files.writeString(evil.resolve("manifest.json"), "{\"format\":\"fleet-analytics-backup\",\"format_version\":1,"
        + "\"schema_version\":1,\"organization_id\":\"acme\",\"exported_at\":\"2026-01-01T00:00:00Z\","
        + "\"source_schema\":\"x\",\"tables\":[{\"table\":\"organizations\",\"file\":\"../../etc/passwd\","
        + "\"columns\":[\"id\"],\"rows\":1,\"sha256\":\"00\"}]}");
    assertThatThrownBy(() -> backup.restore(ADMIN, evil))
        .isInstanceOf(BackupException.class).hasMessageContaining("each in <table>.csv");
  }

  /**
   * Every analysis of the demo organization answers the same on both warehouses: the same text,
   * and numbers equal up to one unit in their 10th significant digit (the answers print 10): the
   * rebuilt rollups summed the same doubles in another order, which can move a value across a
   * rounding boundary of the printed digits.
   */
  static void assertSameAnswers(FleetAnalytics a, FleetAnalytics b) {
    Map<String, BiFunction<CallerContext, String, Object>> left = Analyses.all(a);
    Map<String, BiFunction<CallerContext, String, Object>> right = Analyses.all(b);
    for (String name : left.keySet()) {
      String want = String.valueOf(left.get(name).apply(ADMIN, DEMO));
      String got = String.valueOf(right.get(name).apply(ADMIN, DEMO));
      assertThat(DECIMAL.matcher(got).replaceAll("#")).as(name).isEqualTo(DECIMAL.matcher(want).replaceAll("#"));
      List<BigDecimal> x = decimals(want);
      List<BigDecimal> y = decimals(got);
      for (int i = 0; i < x.size(); i++) {
        double dx = x.get(i).doubleValue();
        double dy = y.get(i).doubleValue();
        assertThat(Math.abs(dx - dy)).as("%s: number %d, %s vs %s", name, i, y.get(i), x.get(i))
            .isLessThanOrEqualTo(2e-9 * Math.max(Math.abs(dx), Math.abs(dy)));
      }
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?");

  private static List<BigDecimal> decimals(String text) {
    List<BigDecimal> out = new java.util.ArrayList<>();
    Matcher m = DECIMAL.matcher(text);
    while (m.find()) {
      out.add(new BigDecimal(m.group()));
    }
    return out;
  }

  /**
   * Every table's rows of the demo organization equal on both sides, value by value; returns the
   * counts. Raw tables must be identical; the rollups were summed in another order (one pass
   * instead of chunk by chunk), so their doubles may differ in the last bits (relative 1e-9).
   */
  static Map<String, Integer> assertEqualTables(DataSource a, String schemaA, DataSource b, String schemaB)
      throws SQLException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String table : COMPARED) {
      List<List<Object>> left = rows(a, schemaA, table);
      List<List<Object>> right = rows(b, schemaB, table);
      assertThat(left).as(table).isNotEmpty();
      assertThat(right).as(table).hasSameSizeAs(left);
      boolean rollup = table.startsWith("fleet_metrics_");
      for (int r = 0; r < left.size(); r++) {
        List<Object> x = left.get(r);
        List<Object> y = right.get(r);
        if (!rollup) {
          assertThat(y).as(table + " row " + r).isEqualTo(x);
          continue;
        }
        for (int i = 0; i < x.size(); i++) {
          if (x.get(i) instanceof Double dx && y.get(i) instanceof Double dy) {
            assertThat(Math.abs(dx - dy)).as(table + " row " + r + " " + x).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(dx)));
          } else {
            assertThat(y.get(i)).as(table + " row " + r + " column " + i).isEqualTo(x.get(i));
          }
        }
      }
      counts.put(table, left.size());
    }
    return counts;
  }

  /** The demo organization's rows of a table in key order (the quarantine's surrogate id left out). */
  static List<List<Object>> rows(DataSource ds, String schema, String table) throws SQLException {
    String key = table.equals("organizations") ? "id" : "organization_id";
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + schema + "\"." + table + " t WHERE " + key
          + " = '" + DEMO + "' ORDER BY t::text COLLATE \"C\"")) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            if (table.equals("ingest_quarantine") && md.getColumnName(i).equals("id")) {
              continue;
            }
            Object v = rs.getObject(i);
            row.add(v instanceof Double || v == null || v instanceof Number ? v : rs.getString(i));
          }
          out.add(row);
        }
      }
    }
    if (table.equals("ingest_quarantine")) {
      // ordered by the compared columns: the ids left out are the restoring database's own, and
      // so is the order of rows stored by one statement (Citus inserts a chunk's rows in any order)
      out.sort(java.util.Comparator.comparing(String::valueOf));
    }
    return out;
  }

  static HikariDataSource pool(FleetDatabase db, String database) {
    String base = DatabaseRole.withoutCredentials(db.jdbcUrl());
    int slash = base.indexOf('/', "jdbc:postgresql://".length());
    int query = base.indexOf('?', slash);
    String url = base.substring(0, slash + 1) + database + (query < 0 ? "" : base.substring(query));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(2);
    config.setPoolName("fa-safety-restore");
    return new HikariDataSource(config);
  }

  static void terminateAndDrop(FleetDatabase db, String database) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
      s.execute("DROP DATABASE IF EXISTS " + database);
    }
  }

  static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
