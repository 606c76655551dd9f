package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Role;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.ingest.Device;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.OeeComponents;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.PartUsage;
import io.modax.fleet.ingest.QuarantineReason;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14's attacks on the library's core, each replayed: a tenant too big for the host (limits,
 * short messages), poison records whose sums would overflow bigint, reserved schema names, an
 * overflowing gap threshold and a read that waits on a locked table.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class HugeTenantAndPoisonRecordTest {

  static final Instant NOW = Instant.parse("2026-05-06T12:00:00Z");
  static final String ORG = "hostile-org";
  static final CallerContext ADMIN = CallerContext.of("operator", ORG, Role.ADMIN);

  @BeforeAll
  static void load(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).build()) {
      fleet.writer().writeOrganization(ADMIN, new Organization(ORG, ORG, "UTC", "EUR"));
      fleet.writer().writeLocations(ADMIN, ORG, List.of(
          Location.of(ORG, "poisoned", "Poisoned", "UTC").withSnapshotIntervalSeconds(3600),
          Location.of(ORG, "bulk", "Bulk", "UTC").withSnapshotIntervalSeconds(3600)));
      fleet.writer().writeDevices(ADMIN, ORG, List.of(Device.of(ORG, "d1", "bulk", "press")));
    }
  }

  static FleetAnalytics.Builder analytics(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static FleetMetrics snapshot(String location, Instant t, OeeComponents c) {
    return FleetMetrics.builder(ORG, location, t).intervalSeconds(3600).deviceCount(1)
        .totalProductionHours(0.5).totalDowntimeHours(0.0).components(c).build();
  }

  static OeeComponents plausible() {
    return new OeeComponents(0.5, 0.5, 1.0, 1000, 990);
  }

  @Test
  void aPoisonSnapshotIsQuarantinedAndLaterWritesOfItsMonthStillSucceed(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).build()) {
      Instant t = NOW.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
      WriteReport poison = fleet.writer().writeMetrics(ADMIN, ORG, List.of(snapshot("poisoned", t,
          new OeeComponents(0.5, 0.5, 0, Long.MAX_VALUE, Long.MAX_VALUE))));
      assertThat(poison.quarantined(QuarantineReason.VALUE_TOO_LARGE)).isEqualTo(1);
      assertThat(poison.stored()).isZero();
      // the same location and month, another hour and the same hour: both valid, both stored
      WriteReport later = fleet.writer().writeMetrics(ADMIN, ORG, List.of(
          snapshot("poisoned", t.plus(Duration.ofHours(1)), plausible()),
          snapshot("poisoned", t.plus(Duration.ofMinutes(30)), plausible())));
      assertThat(later.inserted()).isEqualTo(2);
    }
  }

  @Test
  void twoHugeCountsInOneHourNoLongerSinkSixThousandGoodRecords(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).build()) {
      Instant start = NOW.minus(Duration.ofDays(300)).truncatedTo(ChronoUnit.HOURS);
      List<FleetMetrics> lines = new ArrayList<>();
      // the import's 6,000 lines: two with total_count = 5e18 in one hour, among 5,998 good ones
      OeeComponents huge = new OeeComponents(0.5, 0.5, 0, 5_000_000_000_000_000_000L, 0);
      lines.add(snapshot("bulk", start.plus(Duration.ofMinutes(10)), huge));
      lines.add(snapshot("bulk", start.plus(Duration.ofMinutes(20)), huge));
      for (int i = 1; i <= 5_998; i++) {
        lines.add(snapshot("bulk", start.plus(Duration.ofHours(i)), plausible()));
      }
      WriteReport r = fleet.writer().writeMetrics(ADMIN, ORG, lines);
      assertThat(r.submitted()).isEqualTo(6_000);
      assertThat(r.inserted()).isEqualTo(5_998);
      assertThat(r.quarantined(QuarantineReason.VALUE_TOO_LARGE)).isEqualTo(2);
    }
  }

  @Test
  void countsJustUnderTheBoundAreStoredAndJustOverAreQuarantinedWithTheBound(FleetDatabase db) {
    long max = FleetMetrics.MAX_COUNT_PER_SECOND * 3600;
    try (FleetAnalytics fleet = analytics(db).build()) {
      Instant t = NOW.minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.HOURS);
      FleetMetrics over = FleetMetrics.builder(ORG, "poisoned", t).intervalSeconds(3600).deviceCount(1)
          .totalProductionHours(0.5).totalDowntimeHours(0.0).totalFailures((int) (max + 1)).build();
      WriteReport r = fleet.writer().writeMetrics(ADMIN, ORG, List.of(
          snapshot("poisoned", t, new OeeComponents(0.5, 0.5, 0, max, max)), over));
      assertThat(r.inserted()).isEqualTo(1);
      assertThat(r.quarantined(QuarantineReason.VALUE_TOO_LARGE)).isEqualTo(1);
    }
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT reason FROM " + db.schema() + ".ingest_quarantine"
            + " WHERE reason_code = 'VALUE_TOO_LARGE' AND reason LIKE 'total_failures%'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("total_failures 360000001 exceeds 360000000 = 100000 per second"
          + " (FleetMetrics.MAX_COUNT_PER_SECOND) x the 3600 s interval: larger counts could overflow the"
          + " bigint sums of the location's rollups");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void partsPerEventAndPartQuantitiesAreBounded(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).build()) {
      Instant t = NOW.minus(Duration.ofDays(1));
      List<PartUsage> many = IntStream.rangeClosed(1, 1_001).mapToObj(i -> new PartUsage("p" + i, 1)).toList();
      WriteReport r = fleet.writer().writeEvents(ADMIN, ORG, List.of(
          MaintenanceEvent.failure(ORG, "e-many", "bulk", null, t, 1.0, null, many),
          MaintenanceEvent.failure(ORG, "e-huge", "bulk", null, t, 1.0, null,
              List.of(new PartUsage("bolt", 2_000_000_000))),
          MaintenanceEvent.failure(ORG, "e-fine", "bulk", null, t, 1.0, null,
              List.of(new PartUsage("bolt", PartUsage.MAX_QUANTITY)))));
      assertThat(r.inserted()).isEqualTo(1);
      assertThat(r.quarantined(QuarantineReason.VALUE_TOO_LARGE)).isEqualTo(2);
    }
  }

  @Test
  void tooManyIdsInOneRequestAreRefusedNamingTheLimit(FleetDatabase db) {
    List<String> ids = IntStream.rangeClosed(1, 1_001).mapToObj(i -> "ghost-" + i).toList();
    try (FleetAnalytics fleet = analytics(db).build()) {
      assertThatThrownBy(() -> fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, ids,
              NOW.minus(Duration.ofDays(7)), NOW))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("1001 location ids in the request exceed the limit maxIdsPerRequest = 1000");
    }
  }

  @Test
  void perLocationResultsOfEveryLocationCountAgainstTheIdsLimit(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).maxIdsPerRequest(1).build()) {
      assertThatThrownBy(() -> fleet.benchmarking().benchmarkAllLocations(ADMIN, ORG))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("2 locations to benchmark at once (every location of the organization)"
              + " exceed the limit maxIdsPerRequest = 1");
      assertThatThrownBy(() -> fleet.dataQuality().reportAll(ADMIN, ORG, NOW.minus(Duration.ofDays(1)), NOW))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("2 locations to report on at once");
    }
    try (FleetAnalytics fleet = analytics(db).maxIdsPerRequest(2).build()) {
      assertThat(fleet.benchmarking().benchmarkAllLocations(ADMIN, ORG).locations()).hasSize(2);
      assertThat(fleet.dataQuality().reportAll(ADMIN, ORG, NOW.minus(Duration.ofDays(1)), NOW)).hasSize(2);
    }
  }

  @Test
  void analysesRefuseAnOrganizationPastTheLocationsLimit(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).maxLocationsPerOrganization(1).build()) {
      String expected = "2 (or more) locations of organization 'hostile-org' to analyse exceed the limit"
          + " maxLocationsPerOrganization = 1";
      assertThatThrownBy(() -> fleet.fleetAnalyzer().overview(ADMIN, ORG))
          .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith(expected);
      assertThatThrownBy(() -> fleet.dashboard().dashboard(ADMIN, ORG))
          .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith(expected);
      assertThatThrownBy(() -> fleet.benchmarking().benchmarkLocation(ADMIN, ORG, "bulk"))
          .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith(expected);
    }
    try (FleetAnalytics fleet = analytics(db).maxLocationsPerOrganization(2).build()) {
      assertThat(fleet.fleetAnalyzer().overview(ADMIN, ORG)).isNotNull();
    }
  }

  @Test
  void aNotFoundMessageListsTenIdsAndCountsTheRest(FleetDatabase db) {
    List<String> ids = IntStream.rangeClosed(1, 100_000).mapToObj(i -> String.format("ghost-%06d", i)).toList();
    try (FleetAnalytics fleet = analytics(db).maxIdsPerRequest(100_000).build()) {
      assertThatThrownBy(() -> fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, ids,
              NOW.minus(Duration.ofDays(7)), NOW))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("not locations of organization 'hostile-org': [ghost-000001, ghost-000002,"
              + " ghost-000003, ghost-000004, ghost-000005, ghost-000006, ghost-000007, ghost-000008,"
              + " ghost-000009, ghost-000010, ... and 99990 more]");
    }
  }

  @Test
  void anOrganizationCannotRegisterMoreLocationsThanTheLimit(FleetDatabase db) {
    String org = "too-many-places";
    CallerContext admin = CallerContext.of("operator", org, Role.ADMIN);
    List<Location> places = IntStream.rangeClosed(1, 10_001)
        .mapToObj(i -> Location.of(org, "loc-" + i, "Place " + i, "UTC")).toList();
    try (FleetAnalytics fleet = analytics(db).writeChunkSize(20_000).build()) {
      fleet.writer().writeOrganization(admin, new Organization(org, org, "UTC", "EUR"));
      assertThatThrownBy(() -> fleet.writer().writeLocations(admin, org, places))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("10001 locations of organization 'too-many-places' (0 registered + 10001 new"
              + " in this chunk; the chunk was not stored, earlier chunks of the call were) exceed the limit"
              + " maxLocationsPerOrganization = 10000");
      assertThat(fleet.writer().writeLocations(admin, org, places.subList(0, 10_000)).inserted())
          .isEqualTo(10_000);
    }
  }

  @Test
  void devicesAndEventsPerCallAreBounded(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).maxDevicesPerCall(2).maxEventsPerCall(2).build()) {
      List<Device> devices = IntStream.rangeClosed(1, 3).mapToObj(i -> Device.of(ORG, "x" + i, "bulk", "press")).toList();
      assertThatThrownBy(() -> fleet.writer().writeDevices(ADMIN, ORG, devices))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("3 devices in one writeDevices call exceed the limit maxDevicesPerCall = 2");
      // a stream is counted as it is read
      Iterable<MaintenanceEvent> stream = () -> IntStream.rangeClosed(1, 3).mapToObj(i ->
          MaintenanceEvent.failure(ORG, "s" + i, "bulk", null, NOW.minus(Duration.ofHours(i)), 1.0, null, List.of()))
          .iterator();
      assertThatThrownBy(() -> fleet.writer().writeEvents(ADMIN, ORG, stream))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("3 events in one writeEvents call");
    }
  }

  @Test
  void reservedSchemaNamesAreRefused(FleetDatabase db) {
    for (String name : List.of("information_schema", "pg_catalog", "pg_toast", "pg_anything",
        "_timescaledb_internal", "citus")) {
      assertThatThrownBy(() -> FleetAnalytics.builder(db.dataSource()).schema(name))
          .as(name)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("schema name '" + name + "' is not allowed: it is reserved by");
      assertThatThrownBy(() -> FleetSchema.of(db.dataSource(), name))
          .as(name).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aGapThresholdOfAThousandYearsIsAnInvalidRequest(FleetDatabase db) {
    try (FleetAnalytics fleet = analytics(db).build()) {
      assertThatThrownBy(() -> fleet.dataQuality().report(ADMIN, ORG, "bulk",
              NOW.minus(Duration.ofDays(30)), NOW, Duration.ofDays(365_250)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("gapThreshold PT8766000H is longer than the longest window (maxWindow 1830 days): no gap"
              + " can be that long");
    }
  }

  @Test
  void aReadWaitingOnALockedTableEndsAtTheReadTimeout(FleetDatabase db) throws Exception {
    try (FleetAnalytics fleet = analytics(db).readTimeout(Duration.ofSeconds(1)).build();
        Connection locker = db.dataSource().getConnection()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE " + db.schema() + ".organizations IN ACCESS EXCLUSIVE MODE");
      }
      try {
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
            assertThatThrownBy(() -> fleet.fleetAnalyzer().overview(ADMIN, ORG))
                .isInstanceOf(WarehouseException.class)
                .hasMessageContaining("SQLState 57014"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      } finally {
        locker.rollback();
      }
    }
    assertThat(FleetAnalytics.DEFAULT_READ_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
  }
}
