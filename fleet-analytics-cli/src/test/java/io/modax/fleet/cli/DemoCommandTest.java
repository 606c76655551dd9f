package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void theDemoPrintsTheOverviewAndTheComparisonOfABAndC() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      status = FleetCli.execute("demo", "--report-out", "target/demo/fleet-report.html");
    } finally {
      System.setOut(out);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(text).contains("Fleet overview: acme").contains("overall OEE")
        .contains("Location comparison: acme").contains("Plant A - Stuttgart")
        .contains("Plant B - Chicago").contains("Plant C - Pune");
    // B is the sample fleet's underperformer: last in the comparison, ordered by OEE
    String comparison = text.substring(text.indexOf("Location comparison"));
    assertThat(comparison.indexOf("Plant B - Chicago")).isGreaterThan(comparison.indexOf("Plant A - Stuttgart"));
    assertThat(comparison.indexOf("Plant B - Chicago")).isGreaterThan(comparison.indexOf("Plant C - Pune"));
    // and last week's executive report, with its path
    java.nio.file.Path report = java.nio.file.Path.of("target/demo/fleet-report.html").toAbsolutePath().normalize();
    assertThat(text).contains("Wrote the weekly report for Week ").contains(report.toString());
    assertThat(java.nio.file.Files.exists(report)).isTrue();
  }

  @Test
  void unknownRolesAreRefusedWithAClearMessage() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      status = FleetCli.execute("overview", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--role", "superuser");
    } finally {
      System.setErr(err);
    }
    assertThat(status).isNotZero();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("role 'superuser' is unknown: expected admin, operator, maintenance or read_only");
  }
}
