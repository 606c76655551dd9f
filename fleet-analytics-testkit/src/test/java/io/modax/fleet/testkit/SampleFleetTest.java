package io.modax.fleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.MaintenanceEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class SampleFleetTest {

  static final Instant END = Instant.parse("2026-05-20T06:00:00Z");

  static List<FleetMetrics> rows(SampleFleet f) {
    return StreamSupport.stream(f.metrics().spliterator(), false).toList();
  }

  @Test
  void theSameSeedGivesTheSameRecordsAndAnotherSeedOtherOnes() {
    SampleFleet a = SampleFleet.builder().seed(11).end(END).days(10).build();
    SampleFleet b = SampleFleet.builder().seed(11).end(END).days(10).build();
    SampleFleet c = SampleFleet.builder().seed(12).end(END).days(10).build();

    assertThat(rows(a)).isEqualTo(rows(b));
    assertThat(List.copyOf((java.util.Collection<MaintenanceEvent>) toList(a.events())))
        .isEqualTo(toList(b.events()));
    assertThat(rows(a)).isNotEqualTo(rows(c));
  }

  @Test
  void theDesignFleetHasThreeLocationsInThreeZonesWithTheirDeviceCounts() {
    SampleFleet f = SampleFleet.builder().end(END).days(2).build();
    assertThat(f.locations()).extracting(l -> l.id()).containsExactly("A", "B", "C");
    assertThat(f.locations()).extracting(l -> l.timezone())
        .containsExactly("Europe/Berlin", "America/Chicago", "Asia/Kolkata");
    Map<String, Long> devices = new HashMap<>();
    f.devices().forEach(d -> devices.merge(d.locationId(), 1L, Long::sum));
    assertThat(devices).containsEntry("A", 50L).containsEntry("B", 30L).containsEntry("C", 40L);
    assertThat(f.underperformingLocationId()).isEqualTo("B");
    assertThat(f.degradingLocationId()).isEqualTo("C");
  }

  @Test
  void itSendsDuplicatesLateRowsAndLeavesGaps() {
    SampleFleet f = SampleFleet.builder().seed(5).end(END).days(30).build();
    List<FleetMetrics> rows = rows(f);
    Set<String> keys = new HashSet<>();
    int duplicates = 0;
    int outOfOrder = 0;
    Map<String, Instant> lastSeen = new HashMap<>();
    for (FleetMetrics m : rows) {
      if (!keys.add(m.locationId() + m.timestamp())) {
        duplicates++;
      }
      Instant previous = lastSeen.put(m.locationId(), m.timestamp());
      if (previous != null && m.timestamp().isBefore(previous)) {
        outOfOrder++;
      }
    }
    long expectedIfComplete = 3L * 30 * 288;
    assertThat(duplicates).isGreaterThan(0);
    assertThat(outOfOrder).isGreaterThan(0);
    assertThat(keys.size()).as("distinct snapshots: gaps leave some out").isLessThan((int) expectedIfComplete)
        .isGreaterThan((int) (expectedIfComplete * 0.95));
  }

  @Test
  void shiftPatternsFollowTheLocalCalendar() {
    SampleFleet f = SampleFleet.builder().seed(5).end(END).days(14).gapsPerLocationDay(0).build();
    for (FleetMetrics m : rows(f)) {
      var local = m.timestamp().atZone(ZoneId.of(zone(m.locationId())));
      boolean sunday = local.getDayOfWeek() == java.time.DayOfWeek.SUNDAY;
      if (sunday) {
        assertThat(m.totalProductionHours() + m.totalDowntimeHours())
            .as("no planned production on a local Sunday at " + m.locationId()).isZero();
      }
    }
  }

  @Test
  void failureEventsMatchTheSnapshotsFailureCountsWhenThereAreNoGaps() {
    SampleFleet f = SampleFleet.builder().seed(9).end(END).days(20).gapsPerLocationDay(0)
        .duplicateRate(0).lateRate(0).build();
    Map<String, Long> fromSnapshots = new HashMap<>();
    rows(f).forEach(m -> fromSnapshots.merge(m.locationId(), (long) m.totalFailures(), Long::sum));
    Map<String, Long> fromEvents = new HashMap<>();
    int planned = 0;
    for (MaintenanceEvent e : f.events()) {
      if (e.type() == EventType.FAILURE) {
        fromEvents.merge(e.locationId(), 1L, Long::sum);
        assertThat(e.planned()).isFalse();
        assertThat(e.repairHours()).isPositive();
      } else {
        planned++;
      }
    }
    assertThat(fromEvents).isEqualTo(fromSnapshots);
    assertThat(planned).as("weekly planned maintenance at 3 locations over 20 days").isBetween(6, 9);
  }

  @Test
  void theDegradingLocationFailsMoreOftenLateThanEarlyAndBUnderperforms() {
    SampleFleet f = SampleFleet.builder().seed(2).end(END).days(90).build();
    Instant mid = f.start().plus(java.time.Duration.ofDays(45));
    double[] prod = new double[4];
    long[] fails = new long[4];
    double oeeNumB = 0, oeeDenB = 0, oeeNumA = 0, oeeDenA = 0;
    for (FleetMetrics m : rows(f)) {
      if (m.locationId().equals("C")) {
        int half = m.timestamp().isBefore(mid) ? 0 : 1;
        prod[half] += m.totalProductionHours();
        fails[half] += m.totalFailures();
      }
      if (m.oee() != null) {
        double planned = m.totalProductionHours() + m.totalDowntimeHours();
        if (m.locationId().equals("A")) {
          oeeNumA += m.oee() * planned;
          oeeDenA += planned;
        } else if (m.locationId().equals("B")) {
          oeeNumB += m.oee() * planned;
          oeeDenB += planned;
        }
      }
    }
    assertThat(fails[1] / prod[1]).isGreaterThan(1.5 * fails[0] / prod[0]);
    assertThat(oeeNumB / oeeDenB).isLessThan(oeeNumA / oeeDenA - 0.15);
  }

  @Test
  void badSettingsAreRefusedWithTheValueAndTheRule() {
    assertThatThrownBy(() -> SampleFleet.builder().days(0)).hasMessageContaining("days 0 is outside [1, 3660]");
    assertThatThrownBy(() -> SampleFleet.builder().intervalSeconds(7)).hasMessageContaining("intervalSeconds 7");
    assertThatThrownBy(() -> SampleFleet.builder().lateRate(1.5)).hasMessageContaining("lateRate 1.5");
  }

  private static String zone(String location) {
    return switch (location) {
      case "A" -> "Europe/Berlin";
      case "B" -> "America/Chicago";
      default -> "Asia/Kolkata";
    };
  }

  private static <T> List<T> toList(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }
}
