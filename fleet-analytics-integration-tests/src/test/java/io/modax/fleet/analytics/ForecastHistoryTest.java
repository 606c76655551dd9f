package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the forecast reads a location's history from the daily rollup: a day without snapshots is
 * unobserved (left out, not a zero), a short history gives no forecast but a note, and the fleet's
 * series still counts the short location's failures.
 */
@ExtendWith(FleetDatabaseExtension.class)
class ForecastHistoryTest {

  static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");
  static final String ORG = "history-org";

  @Test
  void anOutageDayIsUnobservedAndAShortHistoryIsNoted(FleetDatabase db) {
    CallerContext admin = CallerContext.of("loader", ORG, Role.ADMIN);
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      fleet.writer().writeOrganization(admin, new Organization(ORG, ORG, "UTC", "EUR"));
      fleet.writer().writeLocations(admin, ORG, List.of(
          Location.of(ORG, "OLD", "Old plant", "UTC").withSnapshotIntervalSeconds(86_400),
          Location.of(ORG, "NEW", "New plant", "UTC").withSnapshotIntervalSeconds(86_400)));
      List<FleetMetrics> rows = new ArrayList<>();
      for (int d = 1; d <= 60; d++) {
        Instant day = NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(d));
        if (d != 10) { // OLD sent nothing on the 10th day before today: an outage
          rows.add(row("OLD", day, 2 + d % 3));
        }
        if (d <= 20) {
          rows.add(row("NEW", day, 1));
        }
      }
      assertThat(fleet.writer().writeMetrics(admin, ORG, rows).quarantined()).isZero();
      MaintenanceForecast f = fleet.trendAnalyzer().forecastMaintenanceDemand(
          CallerContext.of("reader", ORG, Role.READ_ONLY), ORG, 14);
      MaintenanceForecast.LocationForecast old = f.locations().stream()
          .filter(l -> l.locationId().equals("OLD")).findFirst().orElseThrow();
      assertThat(old.historyStart()).isEqualTo(LocalDate.of(2026, 1, 31));
      assertThat(old.historyDays()).isEqualTo(60);
      assertThat(old.observedDays()).isEqualTo(59);
      assertThat(old.forecast().method().parameters()).containsEntry("unobserved days (left out)", "1");
      assertThat(old.forecast().backtest().horizonDays()).isEqualTo(14);
      assertThat(old.note()).isNull();
      MaintenanceForecast.LocationForecast young = f.locations().stream()
          .filter(l -> l.locationId().equals("NEW")).findFirst().orElseThrow();
      assertThat(young.forecast()).isNull();
      assertThat(young.expectedFailures()).isNull();
      assertThat(young.historyDays()).isEqualTo(20);
      assertThat(young.note()).isEqualTo("location NEW: a history of 20 days (from 2026-03-12) is too short for a"
          + " forecast: at least 35 days are needed (28 to fit, 7 backtest origins)");
      assertThat(f.notes()).contains(young.note());
      // the fleet's forecast is the sum of its locations' (issue 16): here OLD's alone, since NEW has
      // none, and a note says so
      assertThat(f.expectedFailures()).isEqualTo(old.expectedFailures());
      assertThat(f.fleetForecast().variance()).isEqualTo(old.forecast().variance());
      assertThat(f.fleetForecast().method().name()).startsWith("Sum of 1 forecast ");
      assertThat(f.notes()).anyMatch(n -> n.startsWith("fleet: the sum of the 1 of 2 locations"));
      assertThat(f.pooledLocationBacktest().origins()).isEqualTo(old.forecast().backtest().origins());
    }
  }

  static FleetMetrics row(String location, Instant day, int failures) {
    return FleetMetrics.builder(ORG, location, day).intervalSeconds(86_400).avgUptime(0.9).oee(0.7)
        .totalProductionHours(20.0).totalDowntimeHours(2.0).totalFailures(failures).build();
  }
}
