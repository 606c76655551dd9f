package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persisted demo database, in a temporary directory (never the real home): {@code demo} creates
 * and loads it once, later commands reuse it without loading, {@code demo --reset} recreates it; a
 * missing, incomplete, locked or stale one is handled with a clear message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoCommandTest {

  @TempDir static Path home;
  static Path dataDir;
  static Duration defaultWait;

  record Run(int status, String out, String err) {}

  /** Runs the command line; standard error collects both picocli's messages and the progress lines. */
  static Run run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter errors = new StringWriter();
    int status;
    try {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      status = FleetCli.execute(new PrintWriter(out, true), new PrintWriter(errors, true), args);
    } finally {
      System.setErr(err);
    }
    return new Run(status, out.toString(), log.toString(StandardCharsets.UTF_8) + errors);
  }

  @BeforeAll
  static void createTheDemo() {
    dataDir = home.resolve("demo");
    defaultWait = DemoDatabase.lockWait;
    Run demo = run("demo", "--data-dir", dataDir.toString(), "--sample-days", "30", "--out",
        home.resolve("fleet-report.html").toString());
    assertThat(demo.status()).as(demo.err()).isZero();
    assertThat(demo.err()).contains("Creating the demo database at " + dataDir).contains("Loading the sample fleet");
    assertThat(demo.out()).contains("Fleet overview: acme").contains("overall OEE")
        .contains("Location comparison: acme").contains("Plant A - Stuttgart")
        .contains("Plant B - Chicago").contains("Plant C - Pune")
        .contains("Wrote the weekly report for Week ").contains(home.resolve("fleet-report.html").toString());
    // B is the sample fleet's underperformer: last in the comparison, ordered by OEE
    String comparison = demo.out().substring(demo.out().indexOf("Location comparison"));
    assertThat(comparison.indexOf("Plant B - Chicago")).isGreaterThan(comparison.indexOf("Plant A - Stuttgart"));
    assertThat(comparison.indexOf("Plant B - Chicago")).isGreaterThan(comparison.indexOf("Plant C - Pune"));
    assertThat(Files.exists(home.resolve("fleet-report.html"))).isTrue();
    assertThat(Files.exists(dataDir.resolve("pgdata/PG_VERSION"))).isTrue();
  }

  @AfterAll
  static void restoreTheWait() {
    DemoDatabase.lockWait = defaultWait;
  }

  @Test
  @Order(1)
  void laterCommandsReuseTheDemoDatabaseWithoutLoadingIt() {
    Run best = run("best", "--metric", "mtbf", "--format", "json", "--data-dir", dataDir.toString());
    assertThat(best.status()).as(best.err()).isZero();
    assertThat(best.err()).doesNotContain("Loading").doesNotContain("Creating");
    assertThat((List<?>) ((Map<?, ?>) JsonReader.parse(best.out())).get("locations")).hasSize(3);
    Run under = run("under", "--threshold", "0.8", "--data-dir", dataDir.toString());
    assertThat(under.status()).as(under.err()).isZero();
    assertThat(under.out()).contains("Plant B - Chicago").doesNotContain("Plant A - Stuttgart");
    // a year of months over the demo's 90 days: the months before the data only when asked for
    Run trends = run("trends", "--period", "month", "--format", "json", "--data-dir", dataDir.toString());
    Run grid = run("trends", "--period", "month", "--format", "json", "--include-empty-periods",
        "--data-dir", dataDir.toString());
    assertThat(trends.status()).as(trends.err()).isZero();
    assertThat(grid.status()).as(grid.err()).isZero();
    List<?> rows = (List<?>) ((Map<?, ?>) JsonReader.parse(trends.out())).get("trends");
    List<?> gridRows = (List<?>) ((Map<?, ?>) JsonReader.parse(grid.out())).get("trends");
    assertThat(rows).noneMatch(r -> "no_data".equals(((Map<?, ?>) r).get("trend_status")));
    assertThat(gridRows.size()).isGreaterThanOrEqualTo(3 * 12).isGreaterThan(rows.size() + 20);
    Run again = run("demo", "--data-dir", dataDir.toString(), "--out", home.resolve("again.html").toString());
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(again.err()).contains("Using the demo database at " + dataDir).doesNotContain("Loading");
    // the sample size is chosen when the database is created
    Run resized = run("demo", "--data-dir", dataDir.toString(), "--sample-days", "7");
    assertThat(resized.status()).isEqualTo(2);
    assertThat(resized.err()).contains("--sample-days 7 applies when the demo database is created").contains("--reset");
  }

  @Test
  @Order(2)
  void aMissingDemoDatabaseIsNamedWithTheCommandThatCreatesIt() {
    Path empty = home.resolve("nothing-here");
    Run r = run("overview", "--data-dir", empty.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("there is no demo database at " + empty)
        .contains("`fleet-analytics demo --data-dir " + empty + "`").contains("or give --jdbc-url");
    Run noTarget = run("import", "--data-dir", dataDir.toString(), "fleet_metrics.csv");
    assertThat(noTarget.status()).isEqualTo(2);
    assertThat(noTarget.err()).contains("import needs a target: --jdbc-url URL (your warehouse), or --demo");
  }

  @Test
  @Order(3)
  void aSecondCommandWaitsForTheFirstAndThenSaysWhoHoldsTheDatabase() throws IOException {
    DemoDatabase.lockWait = Duration.ofSeconds(1);
    try (FileChannel c = FileChannel.open(dataDir.resolve("demo.lock"), StandardOpenOption.WRITE);
        FileLock held = c.lock()) {
      Run r = run("overview", "--data-dir", dataDir.toString());
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).contains("Another fleet-analytics command").contains("waiting for it to end")
          .contains("the demo database at " + dataDir + " is in use by another fleet-analytics command");
    } finally {
      DemoDatabase.lockWait = defaultWait;
    }
    // once it is released, the next command runs
    Run after = run("overview", "--data-dir", dataDir.toString());
    assertThat(after.status()).as(after.err()).isZero();
  }

  @Test
  @Order(4)
  void aStalePidFileOfAServerThatIsGoneDoesNotStopTheDemo() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dataDir.resolve("pgdata/postmaster.pid"), gone.pid() + "\n" + dataDir.resolve("pgdata") + "\n");
    Run r = run("overview", "--data-dir", dataDir.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("Fleet overview: acme");
  }

  @Test
  @Order(5)
  void anInterruptedDemoIsRefusedByAnalysesAndRecreatedByDemo() {
    // a demo killed while loading leaves a data directory without its ready marker
    assertThat(dataDir.resolve("demo.properties").toFile().delete()).isTrue();
    Run r = run("overview", "--data-dir", dataDir.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("the demo database at " + dataDir + " is incomplete")
        .contains("fleet-analytics demo --reset --data-dir " + dataDir);
    Run demo = run("demo", "--data-dir", dataDir.toString(), "--sample-days", "7", "--format", "json",
        "--out", home.resolve("r.html").toString());
    assertThat(demo.status()).as(demo.err()).isZero();
    assertThat(demo.err()).contains("is incomplete (an interrupted demo): creating it again").contains("Loading");
    Run reset = run("demo", "--reset", "--data-dir", dataDir.toString(), "--sample-days", "7",
        "--out", home.resolve("r.html").toString());
    assertThat(reset.status()).as(reset.err()).isZero();
    assertThat(reset.err()).contains("Removing the demo database at " + dataDir).contains("Loading");
  }

  @Test
  void unknownRolesAreRefusedWithAClearMessage() {
    Run r = run("overview", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--role", "superuser");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("role 'superuser' is unknown: expected admin, operator, maintenance or read_only");
  }
}
