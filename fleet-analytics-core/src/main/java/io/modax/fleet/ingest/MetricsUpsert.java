package io.modax.fleet.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Stores validated, de-duplicated snapshots of one organization and brings the rollups up to date,
 * inside the caller's transaction (which holds the locations' advisory locks). The ways in:
 *
 * <ul>
 *   <li>large chunks, appends: rows of a location outside the time range it has stored cannot
 *       conflict, so they go by binary COPY straight into {@code fleet_metrics} and their sums
 *       are added to the rollup buckets ({@code add_appended_to_fleet_rollups}). PostgreSQL does
 *       not allow COPY FROM into a table whose row-level security applies to the session (the
 *       library's runtime role; see V008): there they are copied into a transaction-local
 *       staging table and moved with one {@code INSERT ... SELECT} instead;
 *   <li>large chunks, the rest (late rows inside the stored range, resends, corrections): binary
 *       COPY into a transaction-local staging table ({@code ON COMMIT DROP}), then the upsert;
 *   <li>small chunks: the upsert straight from arrays ({@code unnest}).
 * </ul>
 *
 * The upsert is {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE (stored) IS DISTINCT FROM
 * (sent)}: a resent row is not touched and counts unchanged; returned rows count inserted (no row
 * with their key was stored before the statement) or updated, and only their hours (and local
 * days) are recomputed from the raw rows. Every way gives the same stored rows and counts.
 *
 * <p>Holds no state between calls but whether fleet_metrics is partitioned (asked on first use;
 * only a migration changes it); safe for concurrent use on different connections.
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
  private static final String APPEND_STAGING = "pg_temp.fleet_metrics_append";

  private final String q;
  private final String fromArraysSql;
  private final String fromStagingSql;
  private final String fromArraysPartitionedSql;
  private final String fromStagingPartitionedSql;
  /** Whether fleet_metrics is partitioned (V014, plain PostgreSQL); asked once. */
  private volatile @org.jspecify.annotations.Nullable Boolean partitioned;
  private final String createStagingSql;
  private final String copySql;
  private final String appendSql;
  private final String createAppendStagingSql;
  private final String appendCopySql;
  private final String appendFromStagingSql;
  private final String rowSecuritySql;

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
    this.appendSql = "COPY " + q + ".fleet_metrics (\"timestamp\", organization_id, location_id"
        + alias.substring("ts, location_id".length()) + ", ingested_at) FROM STDIN (FORMAT binary)";
    this.createAppendStagingSql = createStagingSql.replace("fleet_metrics_staging", "fleet_metrics_append");
    this.appendCopySql = "COPY " + APPEND_STAGING + " FROM STDIN (FORMAT binary)";
    this.appendFromStagingSql = "INSERT INTO " + q + ".fleet_metrics (\"timestamp\", organization_id, location_id"
        + alias.substring("ts, location_id".length()) + ", ingested_at) SELECT s.ts, ?, "
        + stagingCols.substring("s.ts, ".length()) + ", ? FROM " + APPEND_STAGING + " s"
        // No row conflicts (they lie after the location's stored range, under its lock; the count is
        // checked). The clause makes Citus move the rows to the shards with INSERT statements
        // instead of COPY, which PostgreSQL refuses into a table under row-level security.
        + " ON CONFLICT (organization_id, location_id, \"timestamp\") DO NOTHING";
    this.rowSecuritySql = "SELECT row_security_active(?::regclass)";
    String arraysSource = "SELECT " + unnestCols + " FROM unnest(" + unnestArgs + ") AS u(" + alias + ")";
    String stagingSource = "SELECT " + stagingCols + " FROM " + STAGING + " s";
    this.fromArraysSql = upsert(arraysSource, false);
    this.fromStagingSql = upsert(stagingSource, false);
    this.fromArraysPartitionedSql = upsert(arraysSource, true);
    this.fromStagingPartitionedSql = upsert(stagingSource, true);
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
   * first, then the organization id (twice when {@code partitioned}) and the ingestion time. Returns,
   * per (inserted?, location, UTC hour as epoch microseconds), how many rows the statement stored.
   *
   * <p>A stored row counts as inserted when it had no earlier version: {@code xmax = 0} in {@code
   * RETURNING}. PostgreSQL refuses system columns there on a partitioned table (V014, plain
   * PostgreSQL), so there the statement looks up the keys stored before it instead (every part of
   * a WITH sees the same snapshot). Not everywhere: Citus runs a WITH's parts as separate
   * statements, the modifying one first, so that lookup would see the new rows too.
   */
  private String upsert(String source, boolean partitioned) {
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
    String insert = " up AS (INSERT INTO " + q + ".fleet_metrics AS t (\"timestamp\", organization_id, location_id"
        + cols + ", ingested_at)"
        + " SELECT src.ts, ?, src.location_id" + srcCols + ", ? FROM src"
        + " ON CONFLICT (organization_id, location_id, \"timestamp\") DO UPDATE SET "
        + set + "ingested_at = EXCLUDED.ingested_at"
        + " WHERE (" + oldRow + ") IS DISTINCT FROM (" + newRow + ")"
        + " RETURNING " + (partitioned ? "" : "(t.xmax = 0) AS inserted, ") + "t.location_id, t.\"timestamp\" AS ts,"
        + " date_bin('1 hour', t.\"timestamp\", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour)";
    if (!partitioned) {
      return "WITH src (ts, location_id" + cols + ") AS (" + source + ")," + insert
          + " SELECT up.inserted, up.location_id, (extract(epoch FROM up.hour) * 1000000)::bigint, count(*)"
          + " FROM up GROUP BY 1, 2, 3";
    }
    return "WITH src (ts, location_id" + cols + ") AS (" + source + "),"
        + " pre AS (SELECT m.location_id, m.\"timestamp\" FROM " + q + ".fleet_metrics m JOIN src"
        + " ON m.organization_id = ? AND m.location_id = src.location_id AND m.\"timestamp\" = src.ts),"
        + insert
        + " SELECT pre.location_id IS NULL, up.location_id, (extract(epoch FROM up.hour) * 1000000)::bigint,"
        + " count(*) FROM up LEFT JOIN pre ON pre.location_id = up.location_id AND pre.\"timestamp\" = up.ts"
        + " GROUP BY 1, 2, 3";
  }

  private boolean partitioned(Connection c) throws SQLException {
    Boolean known = partitioned;
    if (known == null) {
      try (PreparedStatement p = c.prepareStatement("SELECT relkind = 'p' FROM pg_class WHERE oid = ?::regclass")) {
        p.setString(1, q + ".fleet_metrics");
        try (ResultSet rs = p.executeQuery()) {
          known = rs.next() && rs.getBoolean(1);
        }
      }
      partitioned = known;
    }
    return known;
  }

  /** One snapshot ready to store: its key in microseconds and the values to store. */
  record Row(long micros, FleetMetrics metrics, int intervalSeconds, Double oee) {}

  /** What the upsert did. */
  record Outcome(long inserted, long updated, long unchanged, int hoursRefreshed) {}

  /**
   * Stores the rows (keys must be unique) and brings the rollups they change up to date.
   *
   * <p>With {@code useCopy} (and a PgJDBC connection), rows of a location that lie outside the
   * time range it has stored cannot conflict with anything (the caller holds the location's
   * lock), so they are appended by binary COPY straight into {@code fleet_metrics} and added to
   * the rollups incrementally; the other rows go through the staging table and the upsert. If a
   * writer outside the library inserted one of the appended keys meanwhile (unique violation),
   * the append is rolled back to its savepoint and those rows are merged instead. Without {@code
   * useCopy}, every row goes through the {@code unnest} upsert.
   */
  Outcome store(
      Connection c, String orgId, Collection<Row> rows, Instant ingestedAt, boolean useCopy,
      FleetWriter.ChunkObserver observer)
      throws SQLException {
    if (!useCopy || !c.isWrapperFor(PGConnection.class)) {
      return upsert(c, orgId, rows, ingestedAt, false, observer);
    }
    Map<String, long[]> stored = storedRanges(c, orgId, rows);
    List<Row> appends = new ArrayList<>();
    List<Row> rest = new ArrayList<>();
    for (Row r : rows) {
      long[] range = stored.get(r.metrics().locationId());
      (range == null || r.micros() < range[0] || r.micros() > range[1] ? appends : rest).add(r);
    }
    long inserted = 0;
    int hours = 0;
    if (!appends.isEmpty()) {
      Savepoint sp = c.setSavepoint();
      try {
        if (rowSecurityActive(c)) {
          appendThroughStaging(c, orgId, appends, ingestedAt);
        } else {
          copy(c, appendSql, appends, orgId, ingestedAt);
        }
        observer.staged(c);
        c.releaseSavepoint(sp);
        hours += addAppended(c, orgId, appends, stored);
        inserted += appends.size();
      } catch (SQLException e) {
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
        c.rollback(sp);
        rest.addAll(appends);
      }
    }
    if (rest.isEmpty()) {
      return new Outcome(inserted, 0, 0, hours);
    }
    Outcome o = upsert(c, orgId, rest, ingestedAt, true, observer);
    return new Outcome(inserted + o.inserted(), o.updated(), o.unchanged(), hours + o.hoursRefreshed());
  }

  /** True when row-level security applies to this session's access to fleet_metrics. */
  private boolean rowSecurityActive(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(rowSecuritySql)) {
      p.setString(1, q + ".fleet_metrics");
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * The append under row-level security, where COPY FROM into fleet_metrics is refused: binary
   * COPY into a transaction-local table without policies, then one INSERT of all rows (each
   * checked against the policy, as any insert).
   */
  private void appendThroughStaging(Connection c, String orgId, List<Row> appends, Instant ingestedAt)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(createAppendStagingSql);
    }
    copy(c, appendCopySql, appends, null, null);
    try (PreparedStatement p = c.prepareStatement(appendFromStagingSql)) {
      p.setString(1, orgId);
      p.setTimestamp(2, Timestamp.from(ingestedAt));
      int stored = p.executeUpdate();
      if (stored != appends.size()) {
        throw new SQLException("appending " + appends.size() + " snapshots of organization '" + orgId
            + "' stored " + stored + ": another writer stored some of them in between", "40001");
      }
    }
  }

  /** Per location of the rows: the first and last stored timestamp (epoch microseconds). */
  private Map<String, long[]> storedRanges(Connection c, String orgId, Collection<Row> rows)
      throws SQLException {
    Set<String> locations = new HashSet<>();
    rows.forEach(r -> locations.add(r.metrics().locationId()));
    Map<String, long[]> out = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT u.l, (extract(epoch FROM r.lo) * 1000000)::bigint, (extract(epoch FROM r.hi) * 1000000)::bigint"
            + " FROM unnest(?::varchar[]) AS u(l) CROSS JOIN LATERAL (SELECT"
            + " (SELECT min(m.\"timestamp\") FROM " + q + ".fleet_metrics m"
            + " WHERE m.organization_id = ? AND m.location_id = u.l) AS lo,"
            + " (SELECT max(m.\"timestamp\") FROM " + q + ".fleet_metrics m"
            + " WHERE m.organization_id = ? AND m.location_id = u.l) AS hi) r WHERE r.lo IS NOT NULL")) {
      p.setArray(1, c.createArrayOf("varchar", locations.toArray()));
      p.setString(2, orgId);
      p.setString(3, orgId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
    }
    return out;
  }

  /** Adds the appended rows to the rollups: per location, the range below and above what was stored. */
  private int addAppended(Connection c, String orgId, List<Row> appends, Map<String, long[]> stored)
      throws SQLException {
    Map<String, long[]> below = new HashMap<>();
    Map<String, long[]> above = new HashMap<>();
    for (Row r : appends) {
      long[] range = stored.get(r.metrics().locationId());
      Map<String, long[]> side = range != null && r.micros() < range[0] ? below : above;
      long[] mm = side.computeIfAbsent(r.metrics().locationId(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      mm[0] = Math.min(mm[0], r.micros());
      mm[1] = Math.max(mm[1], r.micros());
    }
    List<String> locs = new ArrayList<>();
    List<Long> from = new ArrayList<>();
    List<Long> to = new ArrayList<>();
    for (Map<String, long[]> side : List.of(below, above)) {
      side.forEach((loc, mm) -> {
        locs.add(loc);
        from.add(mm[0]);
        to.add(mm[1]);
      });
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT " + q + ".add_appended_to_fleet_rollups(?, ?::varchar[],"
            + " ARRAY(SELECT TIMESTAMPTZ 'epoch' + u.m * INTERVAL '1 microsecond' FROM unnest(?::bigint[])"
            + " WITH ORDINALITY AS u(m, i) ORDER BY u.i),"
            + " ARRAY(SELECT TIMESTAMPTZ 'epoch' + u.m * INTERVAL '1 microsecond' FROM unnest(?::bigint[])"
            + " WITH ORDINALITY AS u(m, i) ORDER BY u.i))")) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("varchar", locs.toArray()));
      p.setArray(3, c.createArrayOf("int8", from.toArray()));
      p.setArray(4, c.createArrayOf("int8", to.toArray()));
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /** The staging (or array) upsert with counts, then a recomputation of the hours it changed. */
  private Outcome upsert(
      Connection c, String orgId, Collection<Row> rows, Instant ingestedAt, boolean useCopy,
      FleetWriter.ChunkObserver observer)
      throws SQLException {
    String sql;
    List<Object[]> arrays = null;
    boolean partitioned = partitioned(c);
    if (useCopy) {
      try (Statement s = c.createStatement()) {
        s.execute(createStagingSql);
      }
      copy(c, copySql, rows, null, null);
      sql = partitioned ? fromStagingPartitionedSql : fromStagingSql;
    } else {
      arrays = arrays(rows);
      sql = partitioned ? fromArraysPartitionedSql : fromArraysSql;
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
      if (partitioned) {
        p.setString(i++, orgId); // the keys stored before
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

  /**
   * Binary COPY of the rows: into the staging table ({@code orgId} null: key and values only), or
   * straight into fleet_metrics (with the organization and the ingestion time).
   */
  private static void copy(
      Connection c, String sql, Collection<Row> rows, @Nullable String orgId, @Nullable Instant ingestedAt)
      throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    BinaryCopyStream out = new BinaryCopyStream(pg.getCopyAPI().copyIn(sql), 1 << 16);
    long ingestedMicros = ingestedAt == null ? 0 : FleetWriter.micros(ingestedAt);
    try {
      for (Row r : rows) {
        FleetMetrics m = r.metrics();
        OeeComponents k = m.components();
        out.startRow(2 + COLUMNS.length + (orgId == null ? 0 : 2));
        out.timestampMicros(r.micros());
        if (orgId != null) {
          out.text(orgId);
        }
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
        if (orgId != null) {
          out.timestampMicros(ingestedMicros);
        }
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
