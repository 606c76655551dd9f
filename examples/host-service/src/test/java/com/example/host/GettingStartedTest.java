package com.example.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

// tag::imports[]
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.FleetWriter;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.WriteReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
// end::imports[]
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's "Getting started in a host service", verbatim between the tag markers. */
@ExtendWith(FleetDatabaseExtension.class)
class GettingStartedTest {

  @Test
  void theReadmesQuickStartWritesAndReadsBack(FleetDatabase db) {
    DataSource dataSource = db.dataSource(); // the testkit's pool; in production, the host's own
    // tag::getting-started[]
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
    // end::getting-started[]
    fleet.close();

    assertEquals(1, report.inserted());
    assertEquals(1, cmp.locations().size());
    assertEquals(0.85, cmp.locations().get(0).oee());
  }

  /** Where FLEET_ANALYTICS_TEST_JDBC_URL names a shared database, the schema made above goes. */
  @AfterEach
  void dropTheSchemaTheSnippetMade(FleetDatabase db) throws SQLException {
    if (!db.schema().equals("fleet_analytics")) {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS fleet_analytics CASCADE");
      }
    }
  }
}
