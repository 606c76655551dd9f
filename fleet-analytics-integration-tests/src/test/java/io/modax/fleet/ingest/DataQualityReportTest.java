package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.NOW;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.PUNE;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-location data-quality report against a hand-made history with known gaps and skew. */
@ExtendWith(FleetDatabaseExtension.class)
class DataQualityReportTest {

  static final Instant FROM = NOW.minus(Duration.ofHours(1));
  static final Instant TO = NOW.plus(Duration.ofMinutes(10));
  static final CallerContext READER = CallerContext.of("dashboard", ORG, Role.READ_ONLY);

  static Instant at(String hhmm) {
    return Instant.parse("2026-03-10T" + hhmm + ":00Z");
  }

  /** 11:00 to 11:55 every 5 minutes but 11:20, 11:25 and 11:45; one at 12:02 (clock ahead). */
  static void load(FleetAnalytics fleet) {
    IngestFixture.register(fleet);
    List<FleetMetrics> rows = new ArrayList<>();
    for (int m = 0; m < 60; m += 5) {
      if (m != 20 && m != 25 && m != 45) {
        rows.add(IngestFixture.good(BERLIN, FROM.plus(Duration.ofMinutes(m)), m));
      }
    }
    rows.add(IngestFixture.good(BERLIN, at("12:02"), 1));
    rows.add(IngestFixture.good(BERLIN, at("11:20"), 2).toBuilder().oee(Double.NaN).build());
    rows.add(IngestFixture.good(BERLIN, at("12:10"), 3));                      // beyond the tolerance
    WriteReport r = fleet.writer().writeMetrics(WRITER, ORG, rows);
    assertThat(r.inserted()).isEqualTo(10);
    assertThat(r.quarantined()).isEqualTo(2);
  }

  @Test
  void reportsCompletenessGapsLastSeenClockSkewAndQuarantine(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      load(fleet);

      LocationDataQuality q = fleet.dataQuality().report(READER, ORG, BERLIN, FROM, TO);

      assertThat(q.snapshotIntervalSeconds()).isEqualTo(300);
      assertThat(q.expectedSnapshots()).isEqualTo(14);
      assertThat(q.receivedSnapshots()).isEqualTo(10);
      assertThat(q.completeness()).isEqualTo(10 / 14.0);
      assertThat(q.gaps()).containsExactly(
          new LocationDataQuality.Gap(at("11:20"), at("11:30")),
          new LocationDataQuality.Gap(at("11:45"), at("11:50")));
      assertThat(q.gapCount()).isEqualTo(2);
      assertThat(q.missingTime()).isEqualTo(Duration.ofMinutes(15));
      assertThat(q.lastSeen()).isEqualTo(at("12:02"));
      assertThat(q.lastIngestedAt()).isEqualTo(NOW);
      assertThat(q.clockSkew()).isEqualTo(
          new LocationDataQuality.ClockSkew(true, 1, 1, Duration.ofMinutes(2)));
      assertThat(q.quarantinedByReason()).isEqualTo(Map.of(
          QuarantineReason.NON_FINITE, 1L, QuarantineReason.FUTURE_TIMESTAMP, 1L));

      // a coarser threshold keeps only the longer gap
      LocationDataQuality coarse = fleet.dataQuality().report(READER, ORG, BERLIN, FROM, TO, Duration.ofMinutes(10));
      assertThat(coarse.gaps()).containsExactly(new LocationDataQuality.Gap(at("11:20"), at("11:30")));
    }
  }

  @Test
  void aLocationThatSentNothingIsOneGapAndZeroComplete(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      load(fleet);
      List<LocationDataQuality> all = fleet.dataQuality().reportAll(READER, ORG, FROM, TO);
      assertThat(all).extracting(LocationDataQuality::locationId).containsExactly(BERLIN, PUNE);
      LocationDataQuality pune = all.get(1);
      assertThat(pune.receivedSnapshots()).isZero();
      assertThat(pune.completeness()).isZero();
      assertThat(pune.gaps()).containsExactly(new LocationDataQuality.Gap(FROM, TO));
      assertThat(pune.lastSeen()).isNull();
      assertThat(pune.clockSkew().suspected()).isFalse();
      assertThat(pune.quarantinedByReason()).isEmpty();
    }
  }

  @Test
  void readsAreCheckedAgainstTheCaller(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      load(fleet);
      CallerContext stranger = CallerContext.of("other", "other-org", Role.READ_ONLY);
      assertThatThrownBy(() -> fleet.dataQuality().report(stranger, ORG, BERLIN, FROM, TO))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("may not read organization 'org-ingest'");
      assertThatThrownBy(() -> fleet.dataQuality().report(READER, ORG, "atlantis", FROM, TO))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("'atlantis' is not a location of organization 'org-ingest'");
    }
  }
}
