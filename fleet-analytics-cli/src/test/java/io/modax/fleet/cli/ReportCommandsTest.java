package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code report} (fleet and location, each period) against {@code --jdbc-url}, and {@code grafana}. */
class ReportCommandsTest {

  static EmbeddedPostgres pg;
  static String url;
  static final Path OUT = Path.of("target", "report-commands");

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = FleetCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void startAndLoad() throws IOException {
    pg = EmbeddedPostgres.builder().start();
    url = pg.getJdbcUrl("postgres", "postgres");
    Run load = run("overview", "--jdbc-url", url, "--load-sample", "--sample-days", "21");
    assertThat(load.status()).as(load.err()).isZero();
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  @Test
  void reportWritesOneSelfContainedHtmlFilePerPeriod() throws IOException {
    for (String period : new String[] {"day", "week", "month"}) {
      Path file = OUT.resolve("report-" + period + ".html");
      Run r = run("report", "--jdbc-url", url, "--period", period, "--out", file.toString());
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(r.out()).startsWith("Wrote the ").contains("(Europe/Berlin, ACME Industrial")
          .contains(file.toAbsolutePath().normalize().toString());
      String html = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(html).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy").contains("id=\"chart-gauge\"")
          .contains("Recommendations").doesNotContain("<script src=").doesNotContain("<link ");
    }
  }

  @Test
  void reportForOneLocationAndForAGivenDate() throws IOException {
    Path file = OUT.resolve("report-B.html");
    Run r = run("report", "--jdbc-url", url, "--period", "week", "--location", "B", "--out", file.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("Plant B - Chicago");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("Location report").contains("Plant B - Chicago");
    Run dated = run("report", "--jdbc-url", url, "--period", "month", "--date", "2026-02-14",
        "--out", OUT.resolve("feb.html").toString());
    assertThat(dated.status()).as(dated.err()).isZero();
    assertThat(dated.out()).contains("February 2026");
  }

  @Test
  void badArgumentsAreRefusedClearly() {
    Run noPeriod = run("report", "--jdbc-url", url);
    assertThat(noPeriod.status()).isNotZero();
    assertThat(noPeriod.err()).contains("Missing required option: '--period=day|week|month'");
    Run badPeriod = run("report", "--jdbc-url", url, "--period", "year");
    assertThat(badPeriod.status()).isNotZero();
    assertThat(badPeriod.err()).contains("'year' is not a period: expected day, week or month");
    Run unknown = run("report", "--jdbc-url", url, "--period", "week", "--location", "Q", "--out",
        OUT.resolve("q.html").toString());
    assertThat(unknown.status()).isNotZero();
    assertThat(unknown.err()).contains("location 'Q' is not a location of organization 'acme'");
  }

  @Test
  void grafanaWritesTheDashboardForTheSchema() throws IOException {
    Path file = OUT.resolve("dashboard.json");
    Run r = run("grafana", "--schema", "plant_data", "--out", file.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("Fleet Overview").contains(file.toAbsolutePath().normalize().toString());
    Object parsed = JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) parsed;
    assertThat(d).containsEntry("title", "Fleet Overview").containsEntry("schemaVersion", 39.0);
    assertThat(Files.readString(file)).contains("\\\"plant_data\\\".fleet_window_sums(");
    Run stdout = run("grafana");
    assertThat(stdout.status()).isZero();
    assertThat(stdout.out()).startsWith("{").contains("\\\"fleet_analytics\\\".fleet_metrics_daily");
    Run bad = run("grafana", "--schema", "Bad-Name");
    assertThat(bad.status()).isNotZero();
    assertThat(bad.err()).contains("--schema Bad-Name: schema 'Bad-Name' is not a valid schema name");
  }
}
