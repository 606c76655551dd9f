package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.NOW;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.PUNE;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every data-quality rule at the door: each kind of bad row lands in quarantine with its reason
 * and original values while its good neighbours in the same batch are stored, and the report adds
 * up. Runs on both internal paths.
 */
@ExtendWith(FleetDatabaseExtension.class)
class DataQualityRulesTest {

  static final Instant T = NOW.minus(Duration.ofDays(2));

  /** A bad variant of a good snapshot, the reason it must get and a text its stored reason has. */
  record Case(String name, UnaryOperator<FleetMetrics.Builder> spoil, QuarantineReason reason, String says) {}

  static List<Case> cases() {
    return List.of(
        new Case("NaN uptime", b -> b.avgUptime(Double.NaN), QuarantineReason.NON_FINITE, "avg_uptime is NaN"),
        new Case("+Inf production", b -> b.totalProductionHours(Double.POSITIVE_INFINITY),
            QuarantineReason.NON_FINITE, "total_production_hours is Infinity"),
        new Case("-Inf mttr", b -> b.mttr(Double.NEGATIVE_INFINITY), QuarantineReason.NON_FINITE,
            "mttr is -Infinity"),
        new Case("NaN energy", b -> b.avgEnergyConsumption(Double.NaN), QuarantineReason.NON_FINITE,
            "avg_energy_consumption is NaN"),
        new Case("uptime above 1", b -> b.avgUptime(1.2), QuarantineReason.RATIO_OUT_OF_RANGE,
            "avg_uptime 1.2 is outside [0, 1]"),
        new Case("negative oee", b -> b.oee(-0.1), QuarantineReason.RATIO_OUT_OF_RANGE, "oee -0.1"),
        new Case("efficiency above 1", b -> b.avgEfficiency(1.0000001), QuarantineReason.RATIO_OUT_OF_RANGE,
            "avg_efficiency"),
        new Case("negative downtime hours", b -> b.totalDowntimeHours(-0.5), QuarantineReason.NEGATIVE_VALUE,
            "total_downtime_hours -0.5 is negative"),
        new Case("negative failures", b -> b.totalFailures(-1), QuarantineReason.NEGATIVE_VALUE,
            "total_failures -1.0 is negative"),
        new Case("negative device count", b -> b.deviceCount(-3), QuarantineReason.NEGATIVE_VALUE, "device_count"),
        new Case("negative part count", b -> b.components(new OeeComponents(0.8, 0.7, 1, -5, -6)),
            QuarantineReason.NEGATIVE_VALUE, "total_count -5.0 is negative"),
        new Case("hours exceed the interval", b -> b.totalProductionHours(0.8).totalDowntimeHours(0.2),
            QuarantineReason.HOURS_EXCEED_INTERVAL, "= 1.0 device-hours exceeds the 0.833"),
        new Case("good above total", b -> b.components(new OeeComponents(0.8, 0.7, 1, 10, 11)).oee(null),
            QuarantineReason.INCONSISTENT_COMPONENTS, "good_count 11 exceeds total_count 10"),
        new Case("interval zero", b -> b.intervalSeconds(0), QuarantineReason.INVALID_INTERVAL,
            "interval_seconds 0 is outside [1, 86400]"),
        new Case("missing production", b -> b.totalProductionHours(null), QuarantineReason.MISSING_FIELD,
            "total_production_hours is required"),
        new Case("future beyond skew tolerance", b -> b.timestamp(NOW.plus(Duration.ofMinutes(6))),
            QuarantineReason.FUTURE_TIMESTAMP, "is more than 300 s ahead of the clock"),
        new Case("older than retention", b -> b.timestamp(NOW.minus(Duration.ofDays(31))),
            QuarantineReason.BEYOND_RETENTION, "older than the retention horizon of 30 days"));
  }

  @ParameterizedTest(name = "copy={0}")
  @ValueSource(booleans = {true, false})
  void eachBadKindIsQuarantinedWithItsReasonWhileItsGoodNeighboursLand(boolean copy, FleetDatabase db)
      throws SQLException {
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .retentionHorizon(Duration.ofDays(30)).build()) {
      IngestFixture.register(fleet);
      FleetWriter w = fleet.writer().withInternals(copy ? 0 : Integer.MAX_VALUE, FleetWriter.ChunkObserver.NONE);
      List<Case> cases = cases();
      List<FleetMetrics> batch = new ArrayList<>();
      Map<QuarantineReason, Long> expected = new LinkedHashMap<>();
      for (int i = 0; i < cases.size(); i++) {
        Instant t = T.plusSeconds(600L * i);
        batch.add(IngestFixture.good(BERLIN, t, i));                      // good neighbour
        batch.add(cases.get(i).spoil().apply(IngestFixture.good(PUNE, t, i).toBuilder()).build());
        expected.merge(cases.get(i).reason(), 1L, Long::sum);
      }
      // within the tolerance is fine; an unknown location and another organization are not
      batch.add(IngestFixture.good(BERLIN, NOW.plus(Duration.ofMinutes(4)), 99));
      batch.add(IngestFixture.good("atlantis", T, 1));
      expected.merge(QuarantineReason.UNKNOWN_LOCATION, 1L, Long::sum);
      batch.add(FleetMetrics.builder("other-org", BERLIN, T).totalProductionHours(0.1).totalDowntimeHours(0.0).build());
      expected.merge(QuarantineReason.ORGANIZATION_MISMATCH, 1L, Long::sum);
      batch.add(FleetMetrics.builder(ORG, "bad\u0007id", T).totalProductionHours(0.1).totalDowntimeHours(0.0).build());
      expected.merge(QuarantineReason.MALFORMED_ID, 1L, Long::sum);
      batch.add(null);
      expected.merge(QuarantineReason.MISSING_FIELD, 1L, Long::sum);

      WriteReport r = w.writeMetrics(WRITER, ORG, batch);

      long bad = expected.values().stream().mapToLong(Long::longValue).sum();
      assertThat(r.quarantinedByReason()).isEqualTo(expected);
      assertThat(r.inserted()).isEqualTo(cases.size() + 1);
      assertThat(r.submitted()).isEqualTo(batch.size())
          .isEqualTo(r.inserted() + r.updated() + r.unchanged() + r.quarantined());
      assertThat(r.quarantined()).isEqualTo(bad);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isEqualTo(cases.size() + 1);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics WHERE location_id = 'pune'")).isZero();
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_quarantine")).isEqualTo(bad);

      // each bad row is stored with its reason code, a reason naming field and value, and its
      // original values (non-finite numbers kept as strings)
      try (Connection c = db.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(
          "SELECT reason_code, reason, original->>'timestamp', original FROM \"" + db.schema()
              + "\".ingest_quarantine WHERE location_id = 'pune' ORDER BY original->>'timestamp'")) {
        try (ResultSet rs = p.executeQuery()) {
          List<String[]> rows = new ArrayList<>();
          while (rs.next()) {
            rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(4)});
          }
          assertThat(rows).hasSize(cases.size());
          for (Case k : cases) {
            assertThat(rows).as(k.name())
                .anySatisfy(row -> {
                  assertThat(row[0]).isEqualTo(k.reason().name());
                  assertThat(row[1]).contains(k.says());
                });
          }
          assertThat(rows).anySatisfy(row -> assertThat(row[2]).contains("\"avg_uptime\": \"NaN\""));
          assertThat(rows).anySatisfy(row -> assertThat(row[2]).contains("\"mttr\": \"-Infinity\""));
        }
      }
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @Test
  void snapshotsOfAnUnknownOrganizationAreQuarantined(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      CallerContext admin = CallerContext.of("ops", "somewhere", Role.ADMIN);
      WriteReport r = fleet.writer().writeMetrics(admin, "ghost-org", List.of(
          FleetMetrics.builder("ghost-org", "x", T).totalProductionHours(0.1).totalDowntimeHours(0.0).build()));
      assertThat(r.quarantinedByReason()).isEqualTo(Map.of(QuarantineReason.UNKNOWN_ORGANIZATION, 1L));
      assertThat(IngestFixture.count(db,
          "SELECT count(*) FROM ${s}.ingest_quarantine WHERE organization_id = 'ghost-org'")).isEqualTo(1);
    }
  }

  @Test
  void badEventsAreQuarantinedWithTheirReasonWhileGoodOnesLand(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetWriter w = fleet.writer();
      assertThat(w.writeDevices(WRITER, ORG, List.of(Device.of(ORG, "mill-1", BERLIN, "cnc-mill"))).inserted())
          .isEqualTo(1);
      List<MaintenanceEvent> events = List.of(
          MaintenanceEvent.failure(ORG, "f-1", BERLIN, "mill-1", T, 2.0, BigDecimal.TEN, List.of(new PartUsage("belt", 1))),
          new MaintenanceEvent(ORG, "f-2", BERLIN, "mill-1", T, EventType.FAILURE, true, 1.0, null, null, List.of()),
          MaintenanceEvent.failure(ORG, "f-3", BERLIN, "no-such-device", T, 1.0, null, List.of()),
          MaintenanceEvent.failure(ORG, "f-4", BERLIN, null, T, Double.NaN, null, List.of()),
          MaintenanceEvent.failure(ORG, "f-5", BERLIN, null, T, -1.0, null, List.of()),
          MaintenanceEvent.failure(ORG, "f-6", BERLIN, null, NOW.plus(Duration.ofHours(1)), 1.0, null, List.of()),
          MaintenanceEvent.failure(ORG, "f-7", "atlantis", null, T, 1.0, null, List.of()),
          MaintenanceEvent.failure(ORG, "f-8", PUNE, null, T, 1.0, BigDecimal.ONE, List.of()));

      WriteReport r = w.writeEvents(WRITER, ORG, events);

      assertThat(r.inserted()).isEqualTo(2);
      assertThat(r.quarantinedByReason()).isEqualTo(Map.of(
          QuarantineReason.INVALID_VALUE, 1L,
          QuarantineReason.UNKNOWN_DEVICE, 1L,
          QuarantineReason.NON_FINITE, 1L,
          QuarantineReason.NEGATIVE_VALUE, 1L,
          QuarantineReason.FUTURE_TIMESTAMP, 1L,
          QuarantineReason.UNKNOWN_LOCATION, 1L));
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.maintenance_events")).isEqualTo(2);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.maintenance_event_parts")).isEqualTo(1);
      // resent: unchanged
      assertThat(w.writeEvents(WRITER, ORG, events).unchanged()).isEqualTo(2);
    }
  }
}
