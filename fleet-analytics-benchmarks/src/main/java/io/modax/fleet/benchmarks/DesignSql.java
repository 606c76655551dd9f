package io.modax.fleet.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The design's SQL, as written, read from a verbatim copy of the design document ({@code
 * FLEET_ANALYTICS.md}), and a session to run it in.
 *
 * <p>The only changes are those a driver and a benchmark need: {@code $1..$n} become JDBC {@code
 * ?} (bound in the design's order); the Python f-string placeholders {@code {metric}} and {@code
 * {interval}} get the values the design's code puts there; and, to run a query over another
 * window than the one written, its {@code INTERVAL '...'} literal is replaced. The session is in
 * UTC with the warehouse schema on its {@code search_path}, after a small schema whose {@code
 * now()} returns the benchmark's clock (a constant, which lets the planner exclude chunks and
 * index ranges at planning time: if anything it favours the design's SQL) and, on plain
 * PostgreSQL, a {@code time_bucket} that buckets as TimescaleDB's does in UTC.
 */
final class DesignSql {

  private static final Pattern WINDOW = Pattern.compile("INTERVAL '[^']+'");

  private final String design;

  private DesignSql(String design) {
    this.design = design;
  }

  /** The design document shipped with the benchmarks. */
  static DesignSql load() throws IOException {
    try (InputStream in = DesignSql.class.getResourceAsStream("FLEET_ANALYTICS.md")) {
      return new DesignSql(new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The SQL string of the design's Python method, as written (triple-quoted, f-string or not). */
  String method(String name) {
    int at = design.indexOf("async def " + name + "(");
    if (at < 0) {
      throw new IllegalStateException("no method " + name + " in the design");
    }
    Matcher m = Pattern.compile("query = f?\"\"\"(.*?)\"\"\"", Pattern.DOTALL).matcher(design);
    if (!m.find(at)) {
      throw new IllegalStateException("no query in " + name);
    }
    return m.group(1);
  }

  /** The dashboard's gauge query. */
  String gauge() {
    Matcher m = Pattern.compile("id: fleet_health\\s+title: [^\\n]*\\s+type: gauge\\s+query: \"([^\"]+)\"")
        .matcher(design);
    if (!m.find()) {
      throw new IllegalStateException("no gauge query in the design");
    }
    return m.group(1);
  }

  /** The query with its window literal {@code INTERVAL '...'} (wherever it is repeated) replaced. */
  static String withWindow(String sql, String interval) {
    Matcher m = WINDOW.matcher(sql);
    java.util.Set<String> written = new java.util.HashSet<>();
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      written.add(m.group());
      m.appendReplacement(out, "INTERVAL '" + interval + "'");
    }
    m.appendTail(out);
    // one window, written once or (benchmark_location: the location's and the fleet's) repeated
    if (written.size() != 1) {
      throw new IllegalStateException("expected one window literal, found " + written + " in " + sql);
    }
    return out.toString();
  }

  /** Creates the schema with {@code now()} (and, without TimescaleDB, {@code time_bucket}). */
  static void installShim(Connection c, String shim, Instant now, boolean timescale) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + shim + "\" CASCADE");
      s.execute("CREATE SCHEMA \"" + shim + "\"");
      s.execute("CREATE FUNCTION \"" + shim + "\".now() RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT TIMESTAMPTZ '"
          + now + "' $$");
      if (!timescale) {
        // TimescaleDB's time_bucket(interval, timestamptz): UTC buckets, weeks from Monday 2000-01-03
        s.execute("CREATE FUNCTION \"" + shim + "\".time_bucket(bucket_width interval, ts timestamptz)"
            + " RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT CASE"
            + " WHEN bucket_width = interval '1 month' THEN date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
            + " ELSE date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') END $$");
      }
    }
  }

  /** A connection set up to run the design's SQL against {@code schema}. */
  static final class Session implements AutoCloseable {
    private final Connection c;

    Session(BenchDatabase db, String schema, String shim) throws SQLException {
      this.c = db.connect();
      String timescale = null;
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
            + " ON n.oid = e.extnamespace WHERE e.extname = 'timescaledb'")) {
          timescale = rs.next() ? rs.getString(1) : null;
        }
        s.execute("SET TIME ZONE 'UTC'");
        // the shim first, then pg_catalog, so that the shim's now() wins over the built-in one
        s.execute("SET search_path TO \"" + shim + "\", \"" + schema + "\", pg_catalog"
            + (timescale == null ? "" : ", \"" + timescale + "\""));
      }
    }

    /** Runs the design's SQL with its $n parameters bound; every row, every column. */
    List<Map<String, Object>> run(String sql, Map<Integer, Object> params) throws SQLException {
      List<Integer> order = new ArrayList<>();
      Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
      StringBuilder jdbc = new StringBuilder();
      while (m.find()) {
        order.add(Integer.parseInt(m.group(1)));
        m.appendReplacement(jdbc, "?");
      }
      m.appendTail(jdbc);
      try (PreparedStatement s = c.prepareStatement(jdbc.toString())) {
        for (int i = 0; i < order.size(); i++) {
          Object v = params.get(order.get(i));
          if (v instanceof String[] a) {
            Array array = c.createArrayOf("varchar", a);
            s.setArray(i + 1, array);
          } else if (v instanceof Instant t) {
            s.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
          } else {
            s.setObject(i + 1, v);
          }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              int type = md.getColumnType(i);
              Object v = type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE
                  ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i);
              row.put(md.getColumnLabel(i), v);
            }
            rows.add(row);
          }
        }
        return rows;
      }
    }

    /** {@code EXPLAIN (ANALYZE, BUFFERS)} of the design's SQL, for reading its plan. */
    String explain(String sql, Map<Integer, Object> params) throws SQLException {
      StringBuilder b = new StringBuilder();
      for (Map<String, Object> r : run("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)) {
        b.append(r.values().iterator().next()).append('\n');
      }
      return b.toString();
    }

    @Override
    public void close() throws SQLException {
      c.close();
    }
  }
}
