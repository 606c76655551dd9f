package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-style: malformed CSV through {@code import}. Seeded random files of snapshots mix good
 * lines with lines of the wrong width, unparseable and non-finite numbers, bad timestamps, ids
 * with quotes, SQL and Unicode, quoted fields spanning lines, CRLF, a byte-order mark, blank lines
 * and an unclosed quote; some files have a header naming an unknown column, or are empty. Every
 * run either imports and reports every record (submitted = inserted + updated + unchanged +
 * quarantined, the raw table and the quarantine grown by exactly that, the unreadable lines kept
 * as MALFORMED_RECORD), or stops before writing anything with a message naming the file and the
 * problem. Seed {@code -Dfleet.fuzz.seed=N}, files {@code -Dfleet.fuzz.files=N} (default 40).
 */
class ImportFuzzTest {

  static final long SEED = Long.getLong("fleet.fuzz.seed", 20261125L);
  static final int FILES = Integer.getInteger("fleet.fuzz.files", 40);
  static final String ORG = "csv-fuzz";
  static final String SCHEMA = "csv_fuzz";

  static EmbeddedPostgres pg;
  static String url;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    pg = EmbeddedPostgres.builder().start();
    url = pg.getJdbcUrl("postgres", "postgres");
    Files.writeString(dir.resolve("organizations.csv"), "id,name,timezone,currency\n" + ORG + ",CSV Fuzz,Europe/Berlin,EUR\n");
    Files.writeString(dir.resolve("locations.csv"), "id,name,timezone,snapshot_interval_seconds\n"
        + "p1,Plant 1,Europe/Berlin,300\np2,Plant 2,Asia/Kolkata,300\n");
    Result r = run(dir.resolve("organizations.csv").toString(), dir.resolve("locations.csv").toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  record Result(int exit, String out, String err) {}

  static Result run(String... files) {
    List<String> args = new ArrayList<>(List.of("import", "--jdbc-url", url, "--schema", SCHEMA, "--org", ORG,
        "--format", "json"));
    args.addAll(List.of(files));
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)); // progress lines
    try {
      int exit = FleetCli.execute(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true),
          new PrintWriter(err, true), args.toArray(String[]::new));
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  static long count(String table) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SCHEMA + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static final List<String> OPTIONAL = List.of("interval_seconds", "device_count", "avg_uptime", "avg_efficiency",
      "avg_energy_consumption", "total_failures", "mtbf", "mttr", "oee");

  @Test
  void malformedCsvIsReportedLineByLineOrRefusedWithAClearErrorNeverDropped(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Map<String, Integer> outcomes = new TreeMap<>();
    long lines = 0;
    for (int f = 0; f < FILES; f++) {
      List<String> header = new ArrayList<>(List.of("timestamp", "location_id", "total_production_hours",
          "total_downtime_hours"));
      for (String col : OPTIONAL) {
        if (random.nextBoolean()) {
          header.add(col);
        }
      }
      Collections.shuffle(header, new java.util.Random(random.nextLong()));
      boolean badHeader = random.nextInt(10) == 0;
      boolean empty = random.nextInt(25) == 0;
      if (badHeader) {
        header.add(random.nextBoolean() ? "drop_table" : "\"; DROP TABLE x; --");
      }
      StringBuilder csv = new StringBuilder(random.nextInt(8) == 0 ? "\ufeff" : "");
      String eol = random.nextInt(4) == 0 ? "\r\n" : "\n";
      csv.append(String.join(",", header)).append(eol);
      int records = 0;
      int n = random.nextInt(5, 40);
      boolean unclosedAtEnd = random.nextInt(6) == 0;
      for (int i = 0; i < n; i++) {
        if (random.nextInt(15) == 0) {
          csv.append(eol); // blank lines are skipped, not records
          continue;
        }
        csv.append(line(random, header, now.minusSeconds(300L * random.nextInt(1, 5000)), false)).append(eol);
        records++;
      }
      if (unclosedAtEnd) {
        csv.append(line(random, header, now.minusSeconds(60), true).replaceFirst(",", ",\"")).append(eol);
        records++;
      }
      Path file = dir.resolve("fleet_metrics-" + f + ".csv");
      Files.writeString(file, empty ? "" : csv.toString(), StandardCharsets.UTF_8);
      lines += records;

      long rawBefore = count("fleet_metrics");
      long quarantineBefore = count("ingest_quarantine");
      Result r = run(file.toString());
      if (badHeader || empty) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).as("the error names the file").contains(file.getFileName().toString())
            .contains(empty ? "is empty" : "is not a column of fleet_metrics");
        assertThat(count("fleet_metrics")).isEqualTo(rawBefore);
        assertThat(count("ingest_quarantine")).isEqualTo(quarantineBefore);
        outcomes.merge(empty ? "empty file refused" : "bad header refused", 1, Integer::sum);
        continue;
      }
      assertThat(r.exit()).as(r.err() + "\n" + csv).isZero();
      @SuppressWarnings("unchecked")
      Map<String, Object> total = (Map<String, Object>) ((Map<String, Object>) JsonReader.parse(r.out())).get("total");
      long submitted = ((Number) total.get("submitted")).longValue();
      long inserted = ((Number) total.get("inserted")).longValue();
      long quarantined = ((Number) total.get("quarantined")).longValue();
      long accounted = inserted + ((Number) total.get("updated")).longValue()
          + ((Number) total.get("unchanged")).longValue() + quarantined;
      assertThat(submitted).as("records of file " + f + "\n" + csv).isEqualTo(records).isEqualTo(accounted);
      assertThat(count("fleet_metrics") - rawBefore).isEqualTo(inserted);
      assertThat(count("ingest_quarantine") - quarantineBefore).isEqualTo(quarantined);
      @SuppressWarnings("unchecked")
      Map<String, Object> reasons = (Map<String, Object>) total.get("quarantined_by_reason");
      reasons.forEach((k, v) -> outcomes.merge(k, ((Number) v).intValue(), Integer::sum));
      outcomes.merge("stored", (int) inserted, Integer::sum);
    }
    System.out.printf("CSV import fuzz (seed %d): %d files, %d records; outcomes %s%n", SEED, FILES, lines, outcomes);
    assertThat(outcomes).containsKeys("MALFORMED_RECORD", "stored");
  }

  /** One record: mostly good values, some fields replaced by bad ones, sometimes the wrong width. */
  static String line(SplittableRandom r, List<String> header, Instant t, boolean clean) {
    List<String> fields = new ArrayList<>();
    for (String col : header) {
      String good = switch (col) {
        case "timestamp" -> r.nextBoolean() ? t.toString() : t.toString().replace('T', ' ').replace("Z", "+00");
        case "location_id" -> r.nextBoolean() ? "p1" : "p2";
        case "total_production_hours" -> "0.12";
        case "total_downtime_hours" -> "0.02";
        case "interval_seconds" -> "300";
        case "device_count" -> String.valueOf(r.nextInt(2, 5));
        case "total_failures" -> String.valueOf(r.nextInt(0, 3));
        case "avg_uptime", "avg_efficiency", "oee" -> "0.8";
        default -> "1.5";
      };
      fields.add(!clean && r.nextInt(8) == 0 ? bad(r) : good);
    }
    int width = clean ? 99 : r.nextInt(12);
    if (width == 0) {
      fields.remove(fields.size() - 1);
    } else if (width == 1) {
      fields.add("extra");
    }
    return String.join(",", fields);
  }

  static String bad(SplittableRandom r) {
    String[] values = {"", "abc", "1,5", "\"1,5\"", "0x10", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "-0",
        "1.5.5", "١٢", "\"\"", "\"multi\nline\"", "\"a \"\"quoted\"\" b\"", "2026-13-45T99:00:00Z", "yesterday",
        "\"x'; DROP TABLE fleet_metrics; --\"", "'); SELECT pg_sleep(10); --", "\"🏭 Zürich\"", "null", "NULL",
        "99999999999999999999", "-2147483649", "2147483648", " 0.5", "0.5 ", "\u0000", "\"\u0000\""};
    return values[r.nextInt(values.length)];
  }
}
