package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.PUNE;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The internal write paths (binary COPY: direct append plus staging upsert; and the unnest
 * upsert) give the same stored rows, quarantine, reports and rollups for the same calls.
 */
@ExtendWith(FleetDatabaseExtension.class)
class WritePathsTest {

  static final Instant DAY = Instant.parse("2026-03-03T00:00:00Z");

  record Outcome(List<WriteReport> reports, List<String> rows, Map<String, List<Double>> hourly,
      Map<String, List<Double>> daily, Map<String, List<Double>> quarantine) {}

  /** The same calls every time: a first load, then a mix of resends, corrections, late and bad rows. */
  static Outcome run(FleetDatabase db, int copyThreshold) {
    db.reset();
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetWriter w = fleet.writer().withInternals(copyThreshold, FleetWriter.ChunkObserver.NONE);
      List<WriteReport> reports = new ArrayList<>();
      List<FleetMetrics> first = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        if (i % 7 != 3) { // holes, filled late
          first.add(IngestFixture.good(i % 2 == 0 ? BERLIN : PUNE, DAY.plusSeconds(300L * (i / 2)), i));
        }
      }
      reports.add(w.writeMetrics(WRITER, ORG, first));

      List<FleetMetrics> second = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String loc = i % 2 == 0 ? BERLIN : PUNE;
        Instant t = DAY.plusSeconds(300L * (i / 2));
        if (i % 7 == 3) {
          second.add(IngestFixture.good(loc, t, i));                          // late
        } else if (i % 11 == 0) {
          second.add(IngestFixture.good(loc, t, i).toBuilder().totalFailures(9).build()); // corrected
        } else if (i % 5 == 0) {
          second.add(IngestFixture.good(loc, t, i));                          // resent
        }
        if (i % 13 == 0) {
          second.add(IngestFixture.good(loc, t, i).toBuilder().oee(Double.NaN).build()); // bad
        }
      }
      second.addAll(IngestFixture.series(BERLIN, DAY.plusSeconds(300L * 200), 50, 7)); // new, after
      second.addAll(IngestFixture.series(PUNE, DAY.minusSeconds(300L * 30), 30, 8));   // new, before
      second.add(second.get(0));                                                      // duplicate
      reports.add(w.writeMetrics(WRITER, ORG, second));

      String s = "\"" + db.schema() + "\"";
      return new Outcome(reports, IngestFixture.storedRows(db),
          IngestFixture.query(db, "SELECT location_id || hour::text, snapshot_count, total_production_hours,"
              + " total_failures, oee_productive_hours, oee_planned_hours, repair_hours, seed_oee_sum"
              + " FROM " + s + ".fleet_metrics_hourly"),
          IngestFixture.query(db, "SELECT location_id || local_date::text, snapshot_count,"
              + " total_production_hours, total_failures, oee_productive_hours, energy_kwh"
              + " FROM " + s + ".fleet_metrics_daily"),
          IngestFixture.query(db, "SELECT reason_code || original::text, count(*) FROM " + s
              + ".ingest_quarantine GROUP BY 1"));
    }
  }

  @Test
  void copyAndUnnestPathsStoreTheSameRowsAndReportTheSame(FleetDatabase db) {
    Outcome copy = run(db, 0);
    IngestFixture.assertRollupsEqualRecomputation(db);
    Outcome unnest = run(db, Integer.MAX_VALUE);
    IngestFixture.assertRollupsEqualRecomputation(db);

    assertThat(copy.reports()).isEqualTo(unnest.reports());
    assertThat(copy.reports().get(1).updated()).isPositive();
    assertThat(copy.reports().get(1).unchanged()).isPositive();
    assertThat(copy.reports().get(1).quarantined()).isPositive();
    assertThat(copy.rows()).isEqualTo(unnest.rows());
    assertThat(copy.quarantine()).isEqualTo(unnest.quarantine());
    assertThat(copy.hourly().keySet()).isEqualTo(unnest.hourly().keySet());
    assertThat(copy.daily().keySet()).isEqualTo(unnest.daily().keySet());
    copy.hourly().forEach((k, v) -> assertClose(k, v, unnest.hourly().get(k)));
    copy.daily().forEach((k, v) -> assertClose(k, v, unnest.daily().get(k)));
  }

  private static void assertClose(String key, List<Double> a, List<Double> b) {
    for (int i = 0; i < a.size(); i++) {
      assertThat(Math.abs(a.get(i) - b.get(i))).as("%s column %d: %s vs %s", key, i, a.get(i), b.get(i))
          .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(b.get(i))));
    }
  }
}
