package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AggregationMode#SEED_COMPATIBLE} against the design's own SQL, run as written.
 *
 * <p>The SQL is read from the design document (a verbatim copy of {@code FLEET_ANALYTICS.md} in the
 * test resources); the only changes are the ones a driver needs: {@code $1..$n} become JDBC {@code
 * ?} (bound in the design's order), and the Python f-string placeholders {@code {metric}} and
 * {@code {interval}} get the values the design's code puts there. The statements run in a UTC
 * session whose {@code search_path} is the test schema, after a schema whose {@code now()} returns
 * the test's clock (and, on plain PostgreSQL, a {@code time_bucket} that buckets as TimescaleDB's
 * does in UTC; on TimescaleDB the real one is used). The pandas steps of the design's Python (the
 * trend's {@code pct_change}, the forecast's mean and standard deviation) are redone here in plain
 * Java.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class DesignSqlTest {

  static final Instant END = Instant.parse("2026-06-17T10:35:00Z");
  static final String ORG = SampleFleet.ORGANIZATION_ID;
  static final CallerContext READER = CallerContext.of("reader", ORG, Role.READ_ONLY);

  static String design;
  static String shim;

  @BeforeAll
  static void load(FleetDatabase db) throws IOException, SQLException {
    SampleFleet sample = SampleFleet.builder().seed(5).end(END).days(50).build();
    try (FleetAnalytics fleet = seed(db)) {
      sample.load(fleet);
    }
    try (InputStream in = DesignSqlTest.class.getResourceAsStream("FLEET_ANALYTICS.md")) {
      design = new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
    }
    shim = db.schema() + "_design_shim";
    try (Connection c = connect(db, false); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + shim + " CASCADE");
      s.execute("CREATE SCHEMA " + shim);
      // the design's NOW() is the test's clock
      s.execute("CREATE FUNCTION " + shim + ".now() RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT TIMESTAMPTZ '"
          + END + "' $$");
      if (timescaleSchema(c) == null) {
        // TimescaleDB's time_bucket(interval, timestamptz): UTC buckets, weeks from Monday 2000-01-03
        s.execute("CREATE FUNCTION " + shim + ".time_bucket(bucket_width interval, ts timestamptz)"
            + " RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT CASE"
            + " WHEN bucket_width = interval '1 month' THEN date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
            + " ELSE date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') END $$");
      }
    }
  }

  @AfterAll
  static void dropShim(FleetDatabase db) throws SQLException {
    try (Connection c = connect(db, false); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + shim + " CASCADE");
    }
  }

  static FleetAnalytics seed(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(END, ZoneOffset.UTC))
        .aggregationMode(AggregationMode.SEED_COMPATIBLE).build();
  }

  @Test
  void theDesignsNowIsTheTestsClock(FleetDatabase db) throws SQLException {
    List<Map<String, Object>> rows = run(db, "SELECT NOW() AS now, current_setting('TimeZone') AS zone", Map.of());
    assertThat(((OffsetDateTime) rows.get(0).get("now")).toInstant()).isEqualTo(END);
    assertThat(rows.get(0).get("zone")).isEqualTo("UTC");
  }

  @Test
  void compareLocations(FleetDatabase db) throws SQLException {
    Instant start = END.minus(Duration.ofDays(12)).plusSeconds(300 * 7);
    Instant end = END.minus(Duration.ofDays(2)); // on a snapshot: BETWEEN includes it
    List<Map<String, Object>> rows = run(db, query("compare_locations"), Map.of(
        1, ORG, 2, new String[] {"A", "B", "C"}, 3, start, 4, end));
    try (FleetAnalytics fleet = seed(db)) {
      LocationComparison cmp = fleet.fleetAnalyzer().compareLocations(READER, ORG, List.of("A", "B", "C"), start, end);
      assertThat(cmp.locations()).hasSameSizeAs(rows).hasSize(3);
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> r = rows.get(i);
        LocationPerformance p = cmp.locations().get(i);
        assertThat(p.locationId()).isEqualTo(r.get("location_id"));
        assertThat(p.locationName()).isEqualTo(r.get("location_name"));
        assertClose(p.avgUptime(), r.get("avg_uptime"));
        assertClose(p.avgEfficiency(), r.get("avg_efficiency"));
        assertClose(p.oee(), r.get("oee"));
        assertThat(p.totalFailures()).isEqualTo(((Number) r.get("total_failures")).longValue());
        assertClose(p.mtbf(), r.get("mtbf"));
        assertClose(p.mttr(), r.get("mttr"));
      }
    }
  }

  @Test
  void bestPerformers(FleetDatabase db) throws SQLException {
    try (FleetAnalytics fleet = seed(db)) {
      // the design ranks by oee, uptime or efficiency; the other ratio columns work the same way
      for (Metric metric : List.of(Metric.OEE, Metric.UPTIME, Metric.EFFICIENCY, Metric.MTBF, Metric.MTTR,
          Metric.ENERGY_CONSUMPTION)) {
        String sql = query("identify_best_performers").replace("{metric}", metric.fieldName());
        List<Map<String, Object>> rows = run(db, sql, Map.of(1, ORG, 2, 2));
        LocationRanking r = fleet.fleetAnalyzer().bestPerformers(READER, ORG, metric, 2);
        assertThat(r.locations()).as(metric.name()).hasSameSizeAs(rows).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
          assertThat(r.locations().get(i).locationId()).as(metric.name()).isEqualTo(rows.get(i).get("location_id"));
          assertClose(r.locations().get(i).value(metric), rows.get(i).get("metric_value"));
        }
      }
    }
  }

  @Test
  void underperformers(FleetDatabase db) throws SQLException {
    try (FleetAnalytics fleet = seed(db)) {
      for (double threshold : new double[] {0.7, 0.83, 0.9}) {
        List<Map<String, Object>> rows = run(db, query("identify_underperformers"), Map.of(1, ORG, 2, threshold));
        LocationRanking r = fleet.fleetAnalyzer().underperformers(READER, ORG, threshold);
        assertThat(r.locations()).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
          LocationPerformance p = r.locations().get(i);
          assertThat(p.locationId()).isEqualTo(rows.get(i).get("location_id"));
          assertThat(p.locationName()).isEqualTo(rows.get(i).get("location_name"));
          assertClose(p.oee(), rows.get(i).get("avg_oee"));
          assertClose(p.avgUptime(), rows.get(i).get("avg_uptime"));
          assertThat(p.totalFailures()).isEqualTo(((Number) rows.get(i).get("total_failures")).longValue());
        }
        if (threshold == 0.83) {
          assertThat(rows).isNotEmpty();
        }
      }
    }
  }

  @Test
  void failureTrends(FleetDatabase db) throws SQLException {
    try (FleetAnalytics fleet = seed(db)) {
      for (TrendPeriod period : List.of(TrendPeriod.MONTH, TrendPeriod.WEEK)) {
        // the design: interval = '1 month' if period == 'monthly' else '1 week'
        String interval = period == TrendPeriod.MONTH ? "1 month" : "1 week";
        List<Map<String, Object>> rows = run(db, query("analyze_failure_trends").replace("{interval}", interval), Map.of(1, ORG));
        // df['trend'] = df.groupby('location_id')['failures'].pct_change()
        Map<String, Long> previous = new HashMap<>();
        FailureTrends trends = fleet.trendAnalyzer().failureTrends(READER, ORG, period);
        assertThat(trends.trends()).as(interval).hasSameSizeAs(rows).hasSizeGreaterThan(6);
        for (int i = 0; i < rows.size(); i++) {
          Map<String, Object> r = rows.get(i);
          FailureTrend t = trends.trends().get(i);
          String location = (String) r.get("location_id");
          long failures = ((Number) r.get("failures")).longValue();
          assertThat(t.start()).isEqualTo(((OffsetDateTime) r.get("period")).toInstant());
          assertThat(t.locationId()).isEqualTo(location);
          assertThat(t.locationName()).isEqualTo(r.get("location_name"));
          assertThat(t.failures()).isEqualTo(failures);
          assertClose(t.mtbf(), r.get("avg_mtbf"));
          Long prev = previous.put(location, failures);
          if (prev == null) {
            assertThat(t.change()).isEqualTo(FailureTrend.Change.NO_PREVIOUS_PERIOD); // pandas: NaN
          } else if (prev == 0) {
            assertThat(t.change()).isEqualTo(FailureTrend.Change.NO_PREVIOUS_FAILURES); // pandas: inf or NaN
          } else {
            assertThat(t.change()).isEqualTo(FailureTrend.Change.COMPARED);
            assertThat(t.changePercent()).isCloseTo((failures - prev) / (double) prev * 100, within(1e-9));
          }
        }
      }
    }
  }

  @Test
  void maintenanceForecast(FleetDatabase db) throws SQLException {
    List<Map<String, Object>> rows = run(db, query("forecast_maintenance_demand"), Map.of(1, ORG));
    // avg_daily_failures = df['daily_failures'].mean(); std = df['daily_failures'].std()
    double sum = 0;
    for (Map<String, Object> r : rows) {
      sum += ((Number) r.get("daily_failures")).doubleValue();
    }
    double mean = sum / rows.size();
    double ss = 0;
    for (Map<String, Object> r : rows) {
      double x = ((Number) r.get("daily_failures")).doubleValue();
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(ss / (rows.size() - 1));
    try (FleetAnalytics fleet = seed(db)) {
      for (int days : new int[] {7, 30}) {
        MaintenanceForecast f = fleet.trendAnalyzer().forecastMaintenanceDemand(READER, ORG, days);
        assertThat(f.expectedFailures()).isCloseTo(mean * days, within(1e-9));
        assertThat(f.lower95()).isCloseTo((mean - 1.96 * sd) * days, within(1e-9));
        assertThat(f.upper95()).isCloseTo((mean + 1.96 * sd) * days, within(1e-9));
      }
    }
  }

  @Test
  void benchmarkLocation(FleetDatabase db) throws SQLException {
    try (FleetAnalytics fleet = seed(db)) {
      for (String location : List.of("A", "B", "C")) {
        List<Map<String, Object>> rows = run(db, query("benchmark_location"), Map.of(1, ORG, 2, location));
        assertThat(rows).hasSize(1);
        Map<String, Object> r = rows.get(0);
        LocationBenchmark b = fleet.benchmarking().benchmarkLocation(READER, ORG, location);
        Map<Metric, String> names = new LinkedHashMap<>();
        names.put(Metric.UPTIME, "uptime");
        names.put(Metric.OEE, "oee");
        names.put(Metric.MTBF, "mtbf");
        names.put(Metric.MTTR, "mttr");
        names.put(Metric.ENERGY_CONSUMPTION, "energy");
        names.forEach((metric, name) -> {
          LocationBenchmark.MetricBenchmark m = b.metric(metric);
          assertClose(m.locationValue(), r.get("location_" + name));
          assertClose(m.fleetValue(), r.get("fleet_avg_" + name));
          assertThat(m.differencePercent()).isCloseTo(((Number) r.get(name + "_diff_pct")).doubleValue(), within(1e-6));
        });
      }
    }
  }

  @Test
  void fleetHealthGauge(FleetDatabase db) throws SQLException {
    Matcher m = Pattern.compile("id: fleet_health\\s+title: [^\\n]*\\s+type: gauge\\s+query: \"([^\"]+)\"").matcher(design);
    assertThat(m.find()).isTrue();
    List<Map<String, Object>> rows = run(db, m.group(1), Map.of());
    try (FleetAnalytics fleet = seed(db)) {
      FleetHealth h = fleet.dashboard().fleetHealth(READER, ORG);
      assertClose(h.oee(), rows.get(0).get("avg"));
    }
  }

  // ------------------------------------------------------------------ running the design's SQL

  /** The SQL string of the design's Python method, as written (triple-quoted, f-string or not). */
  static String query(String method) {
    int at = design.indexOf("async def " + method + "(");
    assertThat(at).as("method " + method + " in the design").isNotNegative();
    Matcher m = Pattern.compile("query = f?\"\"\"(.*?)\"\"\"", Pattern.DOTALL).matcher(design);
    assertThat(m.find(at)).isTrue();
    return m.group(1);
  }

  /** Runs the design's SQL with its $n parameters bound, in a UTC session on the test schema. */
  static List<Map<String, Object>> run(FleetDatabase db, String sql, Map<Integer, Object> params) throws SQLException {
    List<Integer> order = new ArrayList<>();
    Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
    StringBuilder jdbc = new StringBuilder();
    while (m.find()) {
      order.add(Integer.parseInt(m.group(1)));
      m.appendReplacement(jdbc, "?");
    }
    m.appendTail(jdbc);
    try (Connection c = connect(db, true); PreparedStatement s = c.prepareStatement(jdbc.toString())) {
      for (int i = 0; i < order.size(); i++) {
        Object v = params.get(order.get(i));
        if (v instanceof String[] a) {
          s.setArray(i + 1, c.createArrayOf("varchar", a));
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
            Object v = md.getColumnType(i) == java.sql.Types.TIMESTAMP || md.getColumnType(i) == java.sql.Types.TIMESTAMP_WITH_TIMEZONE
                ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i);
            row.put(md.getColumnLabel(i), v);
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  /** A connection of its own (the pool's stay untouched), optionally set up for the design's SQL. */
  static Connection connect(FleetDatabase db, boolean forDesign) throws SQLException {
    Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    if (forDesign) {
      try (Statement s = c.createStatement()) {
        String timescale = timescaleSchema(c);
        s.execute("SET TIME ZONE 'UTC'");
        // the shim first, then pg_catalog, so that the shim's now() wins over the built-in one
        s.execute("SET search_path TO " + shim + ", \"" + db.schema() + "\", pg_catalog"
            + (timescale == null ? "" : ", \"" + timescale + "\""));
        if (db.isCitus()) {
          // the design joins fleet_metrics and locations on location_id alone, not on the
          // distribution column: Citus runs such a join only by repartitioning
          s.execute("SET citus.enable_repartition_joins = on");
        }
      }
    }
    return c;
  }

  /** The schema of the timescaledb extension, or null when it is not installed. */
  static String timescaleSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            + " WHERE e.extname = 'timescaledb'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static void assertClose(Double actual, Object expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else {
      double e = ((Number) expected).doubleValue();
      assertThat(actual).isNotNull();
      assertThat(actual).isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
    }
  }
}
