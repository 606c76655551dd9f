package io.modax.fleet.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Stores validated, de-duplicated snapshots of one organization and refreshes the rollup buckets
 * that changed, inside the caller's transaction. Two ways in, one result:
 *
 * <ul>
 *   <li>small chunks: one {@code INSERT ... SELECT FROM unnest(arrays)} statement;
 *   <li>large chunks: binary COPY into a transaction-local staging table ({@code ON COMMIT DROP}),
 *       then the same {@code INSERT ... SELECT} from it.
 * </ul>
 *
 * Both end in the same upsert: {@code ON CONFLICT DO UPDATE ... WHERE (stored) IS DISTINCT FROM
 * (sent)}, so a resent row is not touched and is counted unchanged; the rows the statement
 * returns are counted inserted ({@code xmax = 0}: no earlier version) or updated. Only the hours
 * (and their local days) of returned rows are recomputed.
 *
 * <p>Not thread-safe per call, but holds no state between calls.
 */
final class MetricsUpsert {

  /** Good rows from which a chunk goes through binary COPY instead of {@code unnest}. */
  static final int DEFAULT_COPY_THRESHOLD = 1_000;

  private static final String[] COLUMNS = {
    "interval_seconds", "device_count", "avg_uptime", "avg_efficiency", "avg_energy_consumption",
    "total_failures", "mtbf", "mttr", "total_production_hours", "total_downtime_hours", "oee",
    "planned_production_hours", "run_hours", "ideal_cycle_time_seconds", "total_count", "good_count"
  };
  private static final String[] STAGING_TYPES = {
    "integer", "integer", "double precision", "double precision", "double precision", "integer",
    "double precision", "double precision", "double precision", "double precision",
    "double precision", "double precision", "double precision", "double precision", "bigint",
    "bigint"
  };
  private static final String STAGING = "pg_temp.fleet_metrics_staging";

  private final String q;
  private final String fromArraysSql;
  private final String fromStagingSql;
  private final String createStagingSql;
  private final String copySql;

  MetricsUpsert(String quotedSchema) {
    this.q = quotedSchema;
    StringBuilder create = new StringBuilder("CREATE TEMP TABLE fleet_metrics_staging (ts timestamptz, location_id varchar");
    StringBuilder stagingCols = new StringBuilder("s.ts, s.location_id");
    StringBuilder unnestArgs = new StringBuilder("?::bigint[], ?::varchar[]");
    StringBuilder unnestCols = new StringBuilder("TIMESTAMPTZ 'epoch' + u.ts * INTERVAL '1 microsecond', u.location_id");
    StringBuilder alias = new StringBuilder("ts, location_id");
    for (int i = 0; i < COLUMNS.length; i++) {
      create.append(", ").append(COLUMNS[i]).append(' ').append(STAGING_TYPES[i]);
      stagingCols.append(", s.").append(COLUMNS[i]);
      unnestArgs.append(", ?::").append(arrayType(STAGING_TYPES[i]));
      unnestCols.append(", u.").append(COLUMNS[i]);
      alias.append(", ").append(COLUMNS[i]);
    }
    this.createStagingSql = create.append(") ON COMMIT DROP").toString();
    this.copySql = "COPY " + STAGING + " FROM STDIN (FORMAT binary)";
    this.fromArraysSql = upsert("SELECT " + unnestCols + " FROM unnest(" + unnestArgs + ") AS u(" + alias + ")");
    this.fromStagingSql = upsert("SELECT " + stagingCols + " FROM " + STAGING + " s");
  }

  private static String arrayType(String type) {
    return switch (type) {
      case "integer" -> "int[]";
      case "bigint" -> "bigint[]";
      default -> "float8[]";
    };
  }

  /**
   * The upsert over a source whose columns are (ts, location_id, COLUMNS...); its parameters come
   * first, then the organization id and the ingestion time. Returns, per (inserted?, location, UTC
   * hour as epoch microseconds), how many rows the statement stored.
   */
  private String upsert(String source) {
    StringBuilder cols = new StringBuilder();
    StringBuilder set = new StringBuilder();
    StringBuilder oldRow = new StringBuilder();
    StringBuilder newRow = new StringBuilder();
    StringBuilder srcCols = new StringBuilder();
    for (String col : COLUMNS) {
      cols.append(", ").append(col);
      srcCols.append(", src.").append(col);
      set.append(col).append(" = EXCLUDED.").append(col).append(", ");
      oldRow.append(oldRow.length() == 0 ? "" : ", ").append("t.").append(col);
      newRow.append(newRow.length() == 0 ? "" : ", ").append("EXCLUDED.").append(col);
    }
    return "WITH src (ts, location_id" + cols + ") AS (" + source + "),"
        + " up AS (INSERT INTO " + q + ".fleet_metrics AS t (\"timestamp\", organization_id, location_id"
        + cols + ", ingested_at)"
        + " SELECT src.ts, ?, src.location_id" + srcCols + ", ? FROM src"
        + " ON CONFLICT (organization_id, location_id, \"timestamp\") DO UPDATE SET "
        + set + "ingested_at = EXCLUDED.ingested_at"
        + " WHERE (" + oldRow + ") IS DISTINCT FROM (" + newRow + ")"
        + " RETURNING (t.xmax = 0) AS inserted, t.location_id,"
        + " date_bin('1 hour', t.\"timestamp\", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour)"
        + " SELECT up.inserted, up.location_id, (extract(epoch FROM up.hour) * 1000000)::bigint, count(*)"
        + " FROM up GROUP BY 1, 2, 3";
  }

  /** One snapshot ready to store: its key in microseconds and the values to store. */
  record Row(long micros, FleetMetrics metrics, int intervalSeconds, Double oee) {}

  /** What the upsert did. */
  record Outcome(long inserted, long updated, long unchanged, int hoursRefreshed) {}

  /**
   * Stores the rows (keys must be unique) and refreshes the rollups they changed.
   *
   * @param useCopy binary COPY through the staging table rather than {@code unnest}
   */
  Outcome store(
      Connection c, String orgId, Collection<Row> rows, Instant ingestedAt, boolean useCopy,
      FleetWriter.ChunkObserver observer)
      throws SQLException {
    String sql;
    List<Object[]> arrays = null;
    if (useCopy && c.isWrapperFor(PGConnection.class)) {
      copyToStaging(c, rows);
      sql = fromStagingSql;
    } else {
      arrays = arrays(rows);
      sql = fromArraysSql;
    }
    observer.staged(c);
    List<String> locations = new ArrayList<>();
    List<Long> hours = new ArrayList<>();
    long inserted = 0;
    long updated = 0;
    try (PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      if (arrays != null) {
        p.setArray(i++, c.createArrayOf("int8", arrays.get(0)));
        p.setArray(i++, c.createArrayOf("varchar", arrays.get(1)));
        for (int k = 0; k < COLUMNS.length; k++) {
          String t = STAGING_TYPES[k];
          String elem = t.equals("integer") ? "int4" : t.equals("bigint") ? "int8" : "float8";
          p.setArray(i++, c.createArrayOf(elem, arrays.get(k + 2)));
        }
      }
      p.setString(i++, orgId);
      p.setTimestamp(i, Timestamp.from(ingestedAt));
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(4);
          if (rs.getBoolean(1)) {
            inserted += n;
          } else {
            updated += n;
          }
          locations.add(rs.getString(2));
          hours.add(rs.getLong(3));
        }
      }
    }
    int refreshed = refresh(c, orgId, locations, hours);
    return new Outcome(inserted, updated, rows.size() - inserted - updated, refreshed);
  }

  private void copyToStaging(Connection c, Collection<Row> rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(createStagingSql);
    }
    PGConnection pg = c.unwrap(PGConnection.class);
    BinaryCopyStream out = new BinaryCopyStream(pg.getCopyAPI().copyIn(copySql), 1 << 16);
    try {
      for (Row r : rows) {
        FleetMetrics m = r.metrics();
        OeeComponents k = m.components();
        out.startRow(2 + COLUMNS.length);
        out.timestampMicros(r.micros());
        out.text(m.locationId());
        out.int4(r.intervalSeconds());
        out.int4(m.deviceCount());
        out.float8(m.avgUptime());
        out.float8(m.avgEfficiency());
        out.float8(m.avgEnergyConsumption());
        out.int4(m.totalFailures());
        out.float8(m.mtbf());
        out.float8(m.mttr());
        out.float8(m.totalProductionHours());
        out.float8(m.totalDowntimeHours());
        out.float8(r.oee());
        out.float8(k == null ? null : k.plannedProductionHours());
        out.float8(k == null ? null : k.runHours());
        out.float8(k == null ? null : k.idealCycleTimeSeconds());
        out.int8(k == null ? null : k.totalCount());
        out.int8(k == null ? null : k.goodCount());
      }
      out.finish();
    } catch (SQLException | RuntimeException e) {
      out.cancelQuietly();
      throw e;
    }
  }

  private static List<Object[]> arrays(Collection<Row> rows) {
    int size = rows.size();
    List<Object[]> a = new ArrayList<>();
    a.add(new Long[size]);
    a.add(new String[size]);
    for (String t : STAGING_TYPES) {
      a.add(t.equals("integer") ? new Integer[size] : t.equals("bigint") ? new Long[size] : new Double[size]);
    }
    int i = 0;
    for (Row r : rows) {
      FleetMetrics m = r.metrics();
      OeeComponents k = m.components();
      Object[] v = {
        r.micros(), m.locationId(), r.intervalSeconds(), m.deviceCount(), m.avgUptime(),
        m.avgEfficiency(), m.avgEnergyConsumption(), m.totalFailures(), m.mtbf(), m.mttr(),
        m.totalProductionHours(), m.totalDowntimeHours(), r.oee(),
        k == null ? null : k.plannedProductionHours(), k == null ? null : k.runHours(),
        k == null ? null : k.idealCycleTimeSeconds(), k == null ? null : k.totalCount(),
        k == null ? null : k.goodCount()
      };
      for (int col = 0; col < v.length; col++) {
        a.get(col)[i] = v[col];
      }
      i++;
    }
    return a;
  }

  /** Recomputes the given (location, UTC hour in epoch microseconds) buckets and their days. */
  int refresh(Connection c, String orgId, List<String> locations, List<Long> hourMicros)
      throws SQLException {
    if (locations.isEmpty()) {
      return 0;
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT " + q + ".refresh_fleet_rollups(?, ?::varchar[], ARRAY(SELECT TIMESTAMPTZ 'epoch'"
            + " + u.m * INTERVAL '1 microsecond' FROM unnest(?::bigint[]) WITH ORDINALITY AS u(m, i)"
            + " ORDER BY u.i))")) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("varchar", locations.toArray()));
      p.setArray(3, c.createArrayOf("int8", hourMicros.toArray()));
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }
}
