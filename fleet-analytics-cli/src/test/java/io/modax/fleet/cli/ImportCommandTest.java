package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import} end to end on an embedded PostgreSQL: every table's CSV goes through the writer;
 * bad records are quarantined with their reason, unreadable lines as MALFORMED_RECORD with their
 * original text; nothing is dropped and the printed report adds up.
 */
class ImportCommandTest {

  static EmbeddedPostgres pg;
  static String url;

  @BeforeAll
  static void start() throws IOException {
    pg = EmbeddedPostgres.builder().start();
    url = pg.getJdbcUrl("postgres", "postgres");
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  static void write(Path dir, String name, String... lines) throws IOException {
    Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(FleetCli.execute(args)).isZero();
    } finally {
      System.setOut(out);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  static List<String> query(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void importsEveryTableThroughTheWriterAndQuarantinesWhatItCannotRead(@TempDir Path dir) throws Exception {
    write(dir, "organizations.csv",
        "id,name,timezone,currency",
        "acme-csv,\"ACME, CSV Inc.\",Europe/Berlin,EUR");
    write(dir, "locations.csv",
        "organization_id,id,name,timezone,snapshot_interval_seconds,tags",
        "acme-csv,plant-1,Plant 1,Europe/Berlin,300,\"{emea,3x8}\"",
        "acme-csv,plant-2,\"Plant \"\"Two\"\"\",Asia/Kolkata,,",
        "acme-csv,plant-3,Plant 3,Mars/Olympus,300,",
        "acme-csv,plant-4,too,few");
    write(dir, "devices.csv",
        "organization_id,id,location_id,device_type,status,commissioned_at",
        "acme-csv,d1,plant-1,cnc-mill,active,2025-01-01 08:00:00+00",
        "acme-csv,d2,plant-1,lathe,broken,");
    write(dir, "my-parts.csv",
        "organization_id,event_id,part_number,quantity",
        "acme-csv,e1,bearing,2",
        "acme-csv,e1,belt,x",
        "acme-csv,e9,belt,1");
    write(dir, "maintenance_events.csv",
        "organization_id,id,location_id,device_id,occurred_at,event_type,planned,repair_hours,cost,description",
        "acme-csv,e1,plant-1,d1,2026-03-01T10:00:00Z,failure,false,2.5,120.00,\"spindle, jammed",
        "second line\"",
        "acme-csv,e2,plant-1,,2026-03-02T10:00:00Z,maintenance,true,4,,weekly");
    write(dir, "fleet_metrics.csv",
        "timestamp,organization_id,location_id,interval_seconds,device_count,avg_uptime,total_failures,"
            + "total_production_hours,total_downtime_hours,oee",
        "2026-03-01T10:00:00Z,acme-csv,plant-1,300,10,0.9,0,0.75,0.08,0.7",
        "2026-03-01 10:05:00+00,acme-csv,plant-1,300,10,0.9,1,0.75,0.08,0.7",
        "",
        "2026-03-01T10:10:00Z,acme-csv,plant-2,300,10,0.9,0,0.75,0.08,0.7",
        "2026-03-01T10:15:00Z,acme-csv,plant-2,300,10,NaN,0,0.75,0.08,0.7",
        "2026-03-01T10:20:00Z,acme-csv,plant-2,300,10,abc,0,0.75,0.08,0.7",
        "2026-03-01T10:25:00Z,acme-csv,plant-2,300,10,0.9,0,0.75,0.08,\"0.7");

    String[] base = {"import", "--jdbc-url", url, "--schema", "csv_import", "--org", "acme-csv"};
    List<String> args = new ArrayList<>(List.of(base));
    // given in any order; parts named explicitly
    args.addAll(List.of(dir.resolve("fleet_metrics.csv").toString(), "parts=" + dir.resolve("my-parts.csv"),
        dir.resolve("maintenance_events.csv").toString(), dir.resolve("devices.csv").toString(),
        dir.resolve("locations.csv").toString(), dir.resolve("organizations.csv").toString()));

    String table = run(args.toArray(String[]::new));

    assertThat(table).contains("submitted = inserted + updated + unchanged + quarantined");
    assertThat(lineOf(table, "organizations.csv")).containsSubsequence("1", "1", "0", "0", "0");
    assertThat(lineOf(table, "locations.csv")).containsSubsequence("4", "2", "0", "0", "2")
        .contains("INVALID_TIME_ZONE=1").contains("MALFORMED_RECORD=1");
    assertThat(lineOf(table, "devices.csv")).containsSubsequence("2", "1", "0", "0", "1").contains("MALFORMED_RECORD=1");
    assertThat(lineOf(table, "my-parts.csv")).contains("MALFORMED_RECORD=2");
    assertThat(lineOf(table, "maintenance_events.csv")).containsSubsequence("2", "2", "0", "0", "0");
    assertThat(lineOf(table, "fleet_metrics.csv")).containsSubsequence("6", "3", "0", "0", "3")
        .contains("MALFORMED_RECORD=3"); // NaN is not a plain decimal: unreadable, not NON_FINITE
    assertThat(lineOf(table, "total")).containsSubsequence("17", "9", "0", "0", "8");

    assertThat(query("SELECT count(*) FROM csv_import.fleet_metrics")).containsExactly("3");
    assertThat(query("SELECT name FROM csv_import.locations ORDER BY id")).containsExactly("Plant 1", "Plant \"Two\"");
    assertThat(query("SELECT array_to_string(tags, '|') FROM csv_import.locations WHERE id = 'plant-1'"))
        .containsExactly("emea|3x8");
    assertThat(query("SELECT description FROM csv_import.maintenance_events WHERE id = 'e1'"))
        .containsExactly("spindle, jammed\nsecond line");
    assertThat(query("SELECT part_number || ':' || quantity FROM csv_import.maintenance_event_parts"))
        .containsExactly("bearing:2");
    // the unreadable lines are kept with their original text and a reason naming the problem
    assertThat(query("SELECT original->>'text' FROM csv_import.ingest_quarantine"
        + " WHERE reason_code = 'MALFORMED_RECORD' ORDER BY id")).containsExactlyInAnyOrder(
            "acme-csv,plant-4,too,few",
            "acme-csv,d2,plant-1,lathe,broken,",
            "acme-csv,e1,belt,x",
            "acme-csv,e9,belt,1",
            "2026-03-01T10:15:00Z,acme-csv,plant-2,300,10,NaN,0,0.75,0.08,0.7",
            "2026-03-01T10:20:00Z,acme-csv,plant-2,300,10,abc,0,0.75,0.08,0.7",
            // the unclosed quote: its own line only
            "2026-03-01T10:25:00Z,acme-csv,plant-2,300,10,0.9,0,0.75,0.08,\"0.7");
    assertThat(query("SELECT reason FROM csv_import.ingest_quarantine WHERE original->>'text' LIKE '%abc%'"))
        .containsExactly("avg_uptime 'abc' is not a plain decimal number");
    assertThat(query("SELECT reason FROM csv_import.ingest_quarantine WHERE original->>'text' LIKE '%\"0.7'"))
        .containsExactly("a quoted field opened on line 8 is not closed before the end of the file");
    assertThat(query("SELECT original->>'source' FROM csv_import.ingest_quarantine WHERE original->>'text' LIKE '%abc%'"))
        .containsExactly("fleet_metrics.csv:7");

    // imported again, as JSON: every readable good record is unchanged
    args.add(1, "--format");
    args.add(2, "json");
    String json = run(args.toArray(String[]::new));
    assertThat(json).contains("\"organization_id\":\"acme-csv\"")
        .contains("\"total\":{\"submitted\":17,\"inserted\":0,\"updated\":0,\"unchanged\":9,\"quarantined\":8");
    // and the quarantine holds each refused record once
    assertThat(query("SELECT count(*) FROM csv_import.ingest_quarantine")).containsExactly("8");
  }

  private static String lineOf(String table, String start) {
    return table.lines().filter(l -> l.contains(start)).findFirst().orElseThrow(
        () -> new AssertionError("no line for " + start + " in\n" + table));
  }
}
