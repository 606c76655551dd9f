package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Permission;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every analysis checks its caller as MODAX does: a read-only caller of organization X is refused
 * for organization Y, an admin of X is allowed, and a caller without the read permission is
 * refused even for its own organization.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class TenantAccessTest {

  static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");

  @BeforeAll
  static void load(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db)) {
      for (String org : List.of("org-x", "org-y")) {
        CallerContext admin = CallerContext.of("loader", org, Role.ADMIN);
        fleet.writer().writeOrganization(admin, new Organization(org, org, "UTC", "EUR"));
        fleet.writer().writeLocations(admin, org, List.of(Location.of(org, "L1", "Plant 1", "Europe/Paris")));
        List<FleetMetrics> rows = new ArrayList<>();
        for (int h = 1; h <= 48; h++) {
          rows.add(FleetMetrics.builder(org, "L1", NOW.minus(Duration.ofHours(h))).intervalSeconds(3600)
              .avgUptime(0.9).oee(0.7).totalProductionHours(9.0).totalDowntimeHours(1.0)
              .totalFailures(h % 5 == 0 ? 1 : 0).mttr(h % 5 == 0 ? 2.0 : null).build());
        }
        assertThat(fleet.writer().writeMetrics(admin, org, rows).quarantined()).isZero();
      }
    }
  }

  static FleetAnalytics analytics(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  /** Every analysis, as a call for a caller and an organization. */
  static Map<String, BiFunction<CallerContext, String, Object>> analyses(FleetAnalytics fleet) {
    Map<String, BiFunction<CallerContext, String, Object>> calls = new LinkedHashMap<>();
    calls.put("overview", (c, o) -> fleet.fleetAnalyzer().overview(c, o));
    calls.put("compareLocations", (c, o) -> fleet.fleetAnalyzer().compareLocations(c, o, List.of("L1"),
        NOW.minus(Duration.ofDays(1)), NOW));
    calls.put("bestPerformers", (c, o) -> fleet.fleetAnalyzer().bestPerformers(c, o, Metric.OEE, 3));
    calls.put("underperformers", (c, o) -> fleet.fleetAnalyzer().underperformers(c, o, 0.8));
    calls.put("failureTrends", (c, o) -> fleet.trendAnalyzer().failureTrends(c, o, TrendPeriod.WEEK));
    calls.put("forecastMaintenanceDemand", (c, o) -> fleet.trendAnalyzer().forecastMaintenanceDemand(c, o, 30));
    calls.put("benchmarkLocation", (c, o) -> fleet.benchmarking().benchmarkLocation(c, o, "L1"));
    calls.put("benchmarkAllLocations", (c, o) -> fleet.benchmarking().benchmarkAllLocations(c, o));
    calls.put("peerGroups", (c, o) -> fleet.benchmarking().peerGroups(c, o,
        BenchmarkOptions.defaults().withPeerGroups(BenchmarkOptions.PeerGroupRule.DEVICE_MIX)));
    calls.put("reliability", (c, o) -> fleet.trendAnalyzer().reliability(c, o));
    calls.put("fleetHealth", (c, o) -> fleet.dashboard().fleetHealth(c, o));
    calls.put("locationMap", (c, o) -> fleet.dashboard().locationMap(c, o));
    calls.put("dashboardFailureTrends", (c, o) -> fleet.dashboard().failureTrends(c, o));
    calls.put("oeeByLocation", (c, o) -> fleet.dashboard().oeeByLocation(c, o));
    calls.put("maintenanceCosts", (c, o) -> fleet.dashboard().maintenanceCosts(c, o));
    calls.put("dashboard", (c, o) -> fleet.dashboard().dashboard(c, o));
    return calls;
  }

  @Test
  void aReadOnlyCallerOfXIsRefusedForYAndAllowedForX(FleetDatabase db) {
    CallerContext readerOfX = CallerContext.of("reader-x", "org-x", Role.READ_ONLY);
    try (FleetAnalytics fleet = analytics(db)) {
      analyses(fleet).forEach((name, call) -> {
        assertThatThrownBy(() -> call.apply(readerOfX, "org-y"))
            .as(name)
            .isInstanceOf(AccessDeniedException.class)
            .hasMessage("caller 'reader-x' (tenant 'org-x', role read_only) may not read organization"
                + " 'org-y': only an admin may act for another tenant");
        assertThat(call.apply(readerOfX, "org-x")).as(name).isNotNull();
      });
    }
  }

  @Test
  void anAdminOfXMayReadY(FleetDatabase db) {
    CallerContext adminOfX = CallerContext.of("admin-x", "org-x", Role.ADMIN);
    try (FleetAnalytics fleet = analytics(db)) {
      analyses(fleet).forEach((name, call) -> assertThat(call.apply(adminOfX, "org-y")).as(name).isNotNull());
      LocationComparison y = fleet.fleetAnalyzer().compareLocations(adminOfX, "org-y", List.of("L1"),
          NOW.minus(Duration.ofDays(1)), NOW);
      assertThat(y.organizationId()).isEqualTo("org-y");
      assertThat(y.locations().get(0).snapshotCount()).isEqualTo(24);
    }
  }

  @Test
  void aCallerWithoutTheReadPermissionIsRefusedEvenForItsOwnOrganization(FleetDatabase db) {
    CallerContext writerOnly = new CallerContext("gateway", "org-x", Role.OPERATOR, Set.of(Permission.WRITE));
    try (FleetAnalytics fleet = analytics(db)) {
      analyses(fleet).forEach((name, call) -> assertThatThrownBy(() -> call.apply(writerOnly, "org-x"))
          .as(name)
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("it lacks the 'read' permission"));
    }
  }
}
