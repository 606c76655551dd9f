package io.modax.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.maintenance.CompressionReport;
import io.modax.fleet.maintenance.RawHistoryDrop;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.RequiresTimescaleDb;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TimescaleDB: a year of raw snapshots, old chunks compressed, then chunks past the raw retention
 * dropped fleet-wide with {@code drop_chunks}; the rollups keep every row (no trigger fires) and
 * year-long analyses answer exactly as before. Logs the sizes measured (docs/scaling.md).
 */
@RequiresTimescaleDb
@ExtendWith(FleetDatabaseExtension.class)
class TimescaleHistoryTest {

  private static final Logger LOG = LoggerFactory.getLogger(TimescaleHistoryTest.class);

  static final Instant END = RawHistoryRetentionTest.END;
  static final String ORG = SampleFleet.ORGANIZATION_ID;
  static final CallerContext ADMIN = CallerContext.of("ops", ORG, Role.ADMIN);

  @Test
  void compressedAndDroppedChunksKeepYearLongAnalysesAsTheyWere(FleetDatabase shared) throws SQLException {
    // a schema of its own: enabling compression removes fleet_metrics' row-level security policy,
    // which the other tests of this JVM expect in the shared schema
    String schema = (shared.schema() + "_compress");
    javax.sql.DataSource ds = shared.dataSource();
    exec(ds, "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    try {
      run(ds, schema);
    } finally {
      exec(ds, "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }

  static void exec(javax.sql.DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  void run(javax.sql.DataSource ds, String schema) throws SQLException {
    SampleFleet sample = SampleFleet.builder().seed(29).end(END).days(370).intervalSeconds(300).build();
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    List<String> ids = sample.locations().stream().map(l -> l.id()).toList();
    ZoneId orgZone = ZoneId.of(sample.organization().timezone());

    RawHistoryRetentionTest.Analyses before;
    try (FleetAnalytics fleet = FleetAnalytics.builder(ds).schema(schema).clock(clock).build()) {
      long t0 = System.nanoTime();
      sample.load(fleet);
      LOG.warn("measured: loaded {} days at {} s for {} locations in {} ms", 370, 300, ids.size(),
          (System.nanoTime() - t0) / 1_000_000);
      before = RawHistoryRetentionTest.analyses(fleet, ids, orgZone);
    }
    String rollups = RawHistoryRetentionTest.rollupFingerprint(ds, schema);
    long rawRows = RawHistoryRetentionTest.rawRowsBefore(ds, schema, Instant.parse("9999-01-01T00:00:00Z"));
    long hourlyBytes = size(ds, schema, "SELECT pg_total_relation_size(?::regclass)", "fleet_metrics_hourly");
    long dailyBytes = size(ds, schema, "SELECT pg_total_relation_size(?::regclass)", "fleet_metrics_daily");

    try (FleetAnalytics fleet = FleetAnalytics.builder(ds).schema(schema).clock(clock).retentionHorizon(Duration.ofDays(90)).build()) {
      assertThat(policies(ds, schema, "fleet_metrics")).isPositive();
      assertThat(fleet.maintenance().enableRawCompression(ADMIN)).isTrue();
      assertThat(fleet.maintenance().enableRawCompression(ADMIN)).isFalse();
      assertThat(policies(ds, schema, "fleet_metrics")).isZero();
      assertThat(policies(ds, schema, "fleet_metrics_hourly")).isPositive();
      assertThat(policies(ds, schema, "fleet_metrics_daily")).isPositive();
      long t0 = System.nanoTime();
      CompressionReport compressed =
          fleet.maintenance().compressRawChunksBefore(ADMIN, END.minus(Duration.ofDays(14)));
      long compressMillis = (System.nanoTime() - t0) / 1_000_000;
      LOG.warn("measured: {} raw rows; raw hypertable {} bytes before compression, {} after ({} chunks"
              + " compressed in {} ms); hourly rollup {} bytes, daily rollup {} bytes",
          rawRows, compressed.bytesBefore(), compressed.bytesAfter(), compressed.chunksCompressed(),
          compressMillis, hourlyBytes, dailyBytes);
      assertThat(compressed.chunksCompressed()).isGreaterThan(40);
      assertThat(compressed.bytesAfter()).isLessThan(compressed.bytesBefore() / 3);
      RawHistoryRetentionTest.assertSame(RawHistoryRetentionTest.analyses(fleet, ids, orgZone), before);
      assertThat(RawHistoryRetentionTest.rollupFingerprint(ds, schema)).isEqualTo(rollups);

      Instant cutoff = END.minus(Duration.ofDays(120)).truncatedTo(ChronoUnit.HOURS);
      long rawBeforeCutoff = RawHistoryRetentionTest.rawRowsBefore(ds, schema, cutoff);
      RawHistoryDrop drop = fleet.maintenance().dropRawChunksBefore(ADMIN, cutoff);
      assertThat(drop.chunksDropped()).isGreaterThan(30);
      long left = RawHistoryRetentionTest.rawRowsBefore(ds, schema, cutoff);
      // whole 7-day chunks only: what is left before the cutoff is less than one chunk's rows
      assertThat(left).isLessThan(rawBeforeCutoff).isLessThan(rawRows / 52);
      assertThat(RawHistoryRetentionTest.rawRowsBefore(ds, schema, cutoff.minus(Duration.ofDays(7)))).isZero();
      assertThat(RawHistoryRetentionTest.rollupFingerprint(ds, schema))
          .as("drop_chunks fires no row trigger: the rollups keep every row").isEqualTo(rollups);
      RawHistoryRetentionTest.assertSame(RawHistoryRetentionTest.analyses(fleet, ids, orgZone), before);
      long rawAfter = size(ds, schema, "SELECT hypertable_size(?::regclass)", "fleet_metrics");
      LOG.warn("measured: {} chunks dropped before {}; raw hypertable {} bytes after the drop",
          drop.chunksDropped(), cutoff, rawAfter);

      // the rest of the organization's raw rows before the cutoff go row by row (from a
      // compressed chunk), still without touching the rollups
      RawHistoryDrop rows = fleet.maintenance().dropRawHistoryBefore(ADMIN, ORG, cutoff);
      assertThat(rows.rowsDeleted()).isEqualTo(left);
      assertThat(RawHistoryRetentionTest.rawRowsBefore(ds, schema, cutoff)).isZero();
      assertThat(RawHistoryRetentionTest.rollupFingerprint(ds, schema)).isEqualTo(rollups);
      RawHistoryRetentionTest.assertSame(RawHistoryRetentionTest.analyses(fleet, ids, orgZone), before);

      // the writer still upserts into a compressed chunk inside the retention horizon
      Instant inCompressed = END.minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.HOURS).plusSeconds(120);
      FleetMetrics late = FleetMetrics.builder(ORG, ids.get(0), inCompressed)
          .intervalSeconds(300).deviceCount(10).avgUptime(0.5).oee(0.4).totalFailures(1)
          .totalProductionHours(0.4).totalDowntimeHours(0.4).build();
      WriteReport w = fleet.writer().writeMetrics(ADMIN, ORG, List.of(late));
      assertThat(w.inserted()).as("%s", w).isEqualTo(1);
      assertThat(RawHistoryRetentionTest.rollupFingerprint(ds, schema)).isNotEqualTo(rollups);
    }
  }

  static long policies(javax.sql.DataSource ds, String schema, String table) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT count(*) FROM pg_policies WHERE schemaname = ? AND tablename = ?")) {
      p.setString(1, schema);
      p.setString(2, table);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static long size(javax.sql.DataSource ds, String schema, String sql, String table) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, "\"" + schema + "\"." + table);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
