package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.NOW;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A write report lists which records it refused, by their position in what the call was given,
 * across the chunks the writer cuts the call into, up to {@link WriteReport#MAX_LISTED_REFUSALS}.
 */
@ExtendWith(FleetDatabaseExtension.class)
class RefusedRecordsTest {

  @Test
  void listsEachRefusedRecordAtItsPositionInTheCallAcrossChunks(FleetDatabase db) {
    db.reset();
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .writeChunkSize(7).build()) {
      IngestFixture.register(fleet);
      Instant day = Instant.parse("2026-03-03T00:00:00Z");
      Set<Integer> bad = Set.of(3, 6, 7, 13, 29);
      List<FleetMetrics> metrics = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        FleetMetrics m = IngestFixture.good(BERLIN, day.plusSeconds(300L * i), i);
        metrics.add(bad.contains(i) ? m.toBuilder().oee(Double.NaN).build() : m);
      }
      metrics.add(12, null); // a missing record is refused too, at its own position

      WriteReport r = fleet.writer().writeMetrics(WRITER, ORG, metrics);

      assertThat(r.submitted()).isEqualTo(31);
      assertThat(r.quarantined()).isEqualTo(6);
      assertThat(r.refused()).extracting(RefusedRecord::position).containsExactly(3L, 6L, 7L, 12L, 14L, 30L);
      assertThat(r.refused()).extracting(RefusedRecord::reason).containsExactly(
          QuarantineReason.NON_FINITE, QuarantineReason.NON_FINITE, QuarantineReason.NON_FINITE,
          QuarantineReason.MISSING_FIELD, QuarantineReason.NON_FINITE, QuarantineReason.NON_FINITE);
      assertThat(r.refused().get(0).message()).contains("oee");
    }
  }

  @Test
  void listsTheFirstHundredAndCountsTheRest(FleetDatabase db) {
    db.reset();
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      List<Location> locations = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        locations.add(new Location(ORG, "bad-" + i, "Bad " + i, null, "Mars/Olympus", null, null, null,
            Location.DEFAULT_SNAPSHOT_INTERVAL_SECONDS, null, List.of()));
      }
      WriteReport r = fleet.writer().writeLocations(WRITER, ORG, locations);
      assertThat(r.quarantined(QuarantineReason.INVALID_TIME_ZONE)).isEqualTo(150);
      assertThat(r.refused()).hasSize(WriteReport.MAX_LISTED_REFUSALS);
      assertThat(r.refused().get(99).position()).isEqualTo(99);
    }
  }
}
