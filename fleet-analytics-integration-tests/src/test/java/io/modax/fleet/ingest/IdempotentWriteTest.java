package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.NOW;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.PUNE;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resends, corrections, late rows and deletes: the stored rows follow the last word, and the
 * rollups always equal a GROUP BY over the raw rows. Each test runs on both internal paths (binary
 * COPY and unnest).
 */
@ExtendWith(FleetDatabaseExtension.class)
class IdempotentWriteTest {

  static final Instant DAY = Instant.parse("2026-03-05T00:00:00Z");

  static FleetWriter writer(FleetAnalytics fleet, boolean copy) {
    return fleet.writer().withInternals(copy ? 0 : Integer.MAX_VALUE, FleetWriter.ChunkObserver.NONE);
  }

  @ParameterizedTest(name = "copy={0}")
  @ValueSource(booleans = {true, false})
  void aResentBatchChangesNothing(boolean copy, FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetWriter w = writer(fleet, copy);
      List<FleetMetrics> batch = new ArrayList<>(IngestFixture.series(BERLIN, DAY, 60, 1));
      batch.addAll(IngestFixture.series(PUNE, DAY, 60, 100));

      WriteReport first = w.writeMetrics(WRITER, ORG, batch);
      assertThat(first.inserted()).isEqualTo(120);
      List<String> stored = IngestFixture.storedRows(db);
      long hourlyXmin = IngestFixture.count(db, "SELECT sum(xmin::text::bigint) FROM ${s}.fleet_metrics_hourly");

      WriteReport second = w.writeMetrics(WRITER, ORG, batch);

      assertThat(second).isEqualTo(new WriteReport(120, 0, 0, 120, java.util.Map.of()));
      assertThat(IngestFixture.storedRows(db)).isEqualTo(stored);
      // nothing was rewritten: not a raw row and not a rollup bucket
      assertThat(IngestFixture.count(db, "SELECT sum(xmin::text::bigint) FROM ${s}.fleet_metrics_hourly"))
          .isEqualTo(hourlyXmin);
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @ParameterizedTest(name = "copy={0}")
  @ValueSource(booleans = {true, false})
  void aCorrectedRowReplacesTheOldOneAndTheRollupsFollow(boolean copy, FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetWriter w = writer(fleet, copy);
      List<FleetMetrics> batch = IngestFixture.series(BERLIN, DAY, 24, 3);
      w.writeMetrics(WRITER, ORG, batch);
      double before = IngestFixture.query(db, "SELECT 'x', total_downtime_hours FROM \"" + db.schema()
          + "\".fleet_metrics_hourly WHERE hour = '2026-03-05T01:00:00Z'").get("x").get(0);

      FleetMetrics old = batch.get(15);
      FleetMetrics corrected = old.toBuilder()
          .totalDowntimeHours(old.totalDowntimeHours() + 0.1)
          .totalProductionHours(old.totalProductionHours() - 0.1)
          .totalFailures(old.totalFailures() + 2)
          .mttr(3.0)
          .build();
      List<FleetMetrics> resend = new ArrayList<>(batch);
      resend.set(15, corrected);
      WriteReport r = w.writeMetrics(WRITER, ORG, resend);

      assertThat(r.updated()).isEqualTo(1);
      assertThat(r.unchanged()).isEqualTo(23);
      assertThat(r.inserted()).isZero();
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics")).isEqualTo(24);
      double after = IngestFixture.query(db, "SELECT 'x', total_downtime_hours FROM \"" + db.schema()
          + "\".fleet_metrics_hourly WHERE hour = '2026-03-05T01:00:00Z'").get("x").get(0);
      assertThat(after - before).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @ParameterizedTest(name = "copy={0}")
  @ValueSource(booleans = {true, false})
  void lateRowsForADayAlreadyRolledUpAreReflectedExactly(boolean copy, FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetWriter w = writer(fleet, copy);
      // two whole days at Pune, every other snapshot held back
      List<FleetMetrics> all = IngestFixture.series(PUNE, DAY, 2 * 288, 9);
      List<FleetMetrics> onTime = new ArrayList<>();
      List<FleetMetrics> late = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        (i % 2 == 0 ? onTime : late).add(all.get(i));
      }
      w.writeMetrics(WRITER, ORG, onTime);
      IngestFixture.assertRollupsEqualRecomputation(db);
      long dailyBefore = IngestFixture.count(db, "SELECT sum(snapshot_count) FROM ${s}.fleet_metrics_daily");
      assertThat(dailyBefore).isEqualTo(onTime.size());

      // late and out of order: newest first
      java.util.Collections.reverse(late);
      WriteReport r = w.writeMetrics(WRITER, ORG, late);

      assertThat(r.inserted()).isEqualTo(late.size());
      assertThat(IngestFixture.count(db, "SELECT sum(snapshot_count) FROM ${s}.fleet_metrics_daily"))
          .isEqualTo(all.size());
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @Test
  void duplicatesWithinOneCallCountOnceAndTheLastWins(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetMetrics a = IngestFixture.good(BERLIN, DAY, 1);
      FleetMetrics b = a.toBuilder().totalFailures(7).build();
      WriteReport r = fleet.writer().writeMetrics(WRITER, ORG, List.of(a, a, b));
      // a inserted; its identical copy unchanged; b superseded it: updated
      assertThat(r).isEqualTo(new WriteReport(3, 1, 1, 1, java.util.Map.of()));
      assertThat(IngestFixture.count(db, "SELECT total_failures FROM ${s}.fleet_metrics")).isEqualTo(7);
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @ParameterizedTest(name = "copy={0}")
  @ValueSource(booleans = {true, false})
  void afterTheWritersDeletesTheRollupsEqualARecomputation(boolean copy, FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      FleetWriter w = writer(fleet, copy);
      w.writeMetrics(WRITER, ORG, IngestFixture.series(BERLIN, DAY, 300, 5));
      w.writeMetrics(WRITER, ORG, IngestFixture.series(PUNE, DAY, 300, 6));

      // an unaligned range: part of an hour, whole hours, and the end of a local day
      long deleted = w.deleteMetrics(WRITER, ORG, PUNE, DAY.plusSeconds(3 * 3600 + 1200),
          DAY.plusSeconds(19 * 3600 + 600));
      assertThat(deleted).isEqualTo((16 * 3600 - 600) / 300);
      IngestFixture.assertRollupsEqualRecomputation(db);

      // deleting everything of a location leaves no bucket behind
      w.deleteMetrics(WRITER, ORG, BERLIN, DAY.minus(Duration.ofDays(1)), DAY.plus(Duration.ofDays(3)));
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_metrics_hourly WHERE location_id = 'berlin'"))
          .isZero();
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }

  @Test
  void rowsDeletedOrUpdatedByPlainSqlAreFoldedInByTheDirtyRefresh(FleetDatabase db) {
    try (FleetAnalytics fleet = IngestFixture.open(db)) {
      IngestFixture.register(fleet);
      fleet.writer().writeMetrics(WRITER, ORG, IngestFixture.series(BERLIN, DAY, 200, 5));
      fleet.writer().writeMetrics(WRITER, ORG, IngestFixture.series(PUNE, DAY, 200, 8));

      // another program changes raw rows with SQL of its own
      assertThat(IngestFixture.execute(db, "DELETE FROM ${s}.fleet_metrics WHERE location_id = 'pune'"
          + " AND \"timestamp\" >= '2026-03-05T02:10:00Z' AND \"timestamp\" < '2026-03-05T05:00:00Z'"))
          .isEqualTo(34);
      assertThat(IngestFixture.execute(db, "UPDATE ${s}.fleet_metrics SET total_failures = total_failures + 1,"
          // three days in UTC, written with immutable functions (Citus refuses STABLE ones with a
          // column in an UPDATE)
          + " \"timestamp\" = (\"timestamp\" AT TIME ZONE 'UTC' + interval '3 days') AT TIME ZONE 'UTC'"
          + " WHERE location_id = 'berlin' AND \"timestamp\" < '2026-03-05T01:00:00Z'")).isEqualTo(12);
      assertThat(IngestFixture.execute(db, "INSERT INTO ${s}.fleet_metrics (\"timestamp\", organization_id,"
          + " location_id, total_production_hours, total_downtime_hours, total_failures)"
          + " VALUES ('2026-03-09T10:02:00Z', 'org-ingest', 'pune', 0.5, 0.1, 4)")).isEqualTo(1);
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_rollup_dirty")).isPositive();

      // the library folds the marked hours in before it reads; here directly
      IngestFixture.count(db, "SELECT ${s}.refresh_dirty_fleet_rollups('org-ingest')");

      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.fleet_rollup_dirty")).isZero();
      IngestFixture.assertRollupsEqualRecomputation(db);
    }
  }
}
