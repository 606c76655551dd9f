package io.modax.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.FleetWriter;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's quick start is this test's code, so it compiles and runs: the snippet between the
 * markers below must appear verbatim in README.md.
 */
@ExtendWith(FleetDatabaseExtension.class)
class ReadmeExampleTest {

  @Test
  void theQuickStartRunsAndIsTheOneInTheReadme(FleetDatabase db) throws Exception {
    DataSource dataSource = db.dataSource();
    try {
      // readme:start
      FleetAnalytics fleet = FleetAnalytics.builder(dataSource)        // your pool; schema is migrated
          .schema("fleet_analytics")
          .build();
      CallerContext caller = CallerContext.of("gateway-a", "acme", Role.OPERATOR); // from your auth

      FleetWriter writer = fleet.writer();
      writer.writeOrganization(caller, new Organization("acme", "ACME", "Europe/Berlin", "EUR"));
      writer.writeLocations(caller, "acme", List.of(Location.of("acme", "A", "Plant A", "Europe/Berlin")));
      WriteReport report = writer.writeMetrics(caller, "acme", List.of(
          FleetMetrics.builder("acme", "A", Instant.parse("2026-11-24T08:00:00Z"))
              .deviceCount(50).totalProductionHours(3.9).totalDowntimeHours(0.25)
              .avgUptime(0.94).avgEfficiency(0.91).oee(0.85).totalFailures(0).build()));

      Instant now = Instant.now();
      LocationComparison cmp = fleet.fleetAnalyzer()
          .compareLocations(caller, "acme", List.of("A"), now.minus(Duration.ofDays(30)), now);
      // readme:end
      fleet.close();

      assertThat(report.inserted()).isEqualTo(1);
      assertThat(cmp.locations()).singleElement().satisfies(p -> {
        assertThat(p.oee()).isEqualTo(0.85);
        assertThat(p.snapshotCount()).isEqualTo(1);
      });
    } finally {
      if (!db.schema().equals("fleet_analytics")) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS fleet_analytics CASCADE");
        } catch (SQLException ignored) {
          // best effort in a shared database
        }
      }
    }
    assertThat(readme()).contains(snippet());
  }

  private static String snippet() throws IOException {
    List<String> lines = Files.readAllLines(
        Path.of("src/test/java/io/modax/fleet/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
    int from = indexOf(lines, "// readme:start") + 1;
    int to = indexOf(lines, "// readme:end");
    List<String> body = lines.subList(from, to);
    int indent = body.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
  }

  private static String readme() throws IOException {
    return Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker " + marker + " not found");
  }
}
