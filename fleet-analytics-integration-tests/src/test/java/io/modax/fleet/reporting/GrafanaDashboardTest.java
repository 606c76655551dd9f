package io.modax.fleet.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard: valid against Grafana's dashboard model (schema version, panel types,
 * grid positions, data source references, targets), and every SQL in it, with Grafana's macros and
 * template variables filled in as Grafana would, runs against the warehouse and returns rows.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class GrafanaDashboardTest {

  static final Instant NOW = Instant.parse("2026-06-17T10:35:00Z");
  static final Set<String> PANEL_TYPES = Set.of("gauge", "geomap", "barchart", "timeseries");

  @BeforeAll
  static void load(FleetDatabase db) {
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      SampleFleet.builder().seed(5).end(NOW).days(35).build().load(fleet);
    }
  }

  static Map<String, Object> dashboard(String schema) {
    return HeadlessChromium.JsonReaderCast.map(JsonReader.parse(GrafanaDashboard.json(schema)));
  }

  static List<Map<String, Object>> panels(Map<String, Object> d) {
    return HeadlessChromium.JsonReaderCast.list(d.get("panels")).stream().map(HeadlessChromium.JsonReaderCast::map).toList();
  }

  @Test
  void theDashboardFollowsGrafanasModel() {
    Map<String, Object> d = dashboard("fleet_analytics");
    assertThat(d.get("schemaVersion")).isEqualTo(39.0);
    assertThat(d).containsKeys("title", "uid", "time", "templating", "panels", "refresh", "annotations");
    assertThat(d.get("uid")).isEqualTo(GrafanaDashboard.UID);
    assertThat(d.get("refresh")).isEqualTo("1m");
    List<Map<String, Object>> vars = HeadlessChromium.JsonReaderCast.list(
        HeadlessChromium.JsonReaderCast.map(d.get("templating")).get("list")).stream()
        .map(HeadlessChromium.JsonReaderCast::map).toList();
    assertThat(vars).extracting(v -> v.get("name")).containsExactly("datasource", "org");
    assertThat(vars.get(0)).containsEntry("type", "datasource").containsEntry("query", GrafanaDashboard.DATASOURCE_PLUGIN);
    assertThat(vars.get(1)).containsEntry("type", "query");
    List<Map<String, Object>> panels = panels(d);
    assertThat(panels).extracting(p -> p.get("type"))
        .containsExactly("gauge", "geomap", "barchart", "timeseries", "timeseries");
    assertThat(panels).extracting(p -> p.get("title")).containsExactly("Fleet Health Score",
        "Location Performance Map", "OEE by Location", "Failure Trends (30 days)", "Maintenance Cost by Location");
    Set<Object> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (Map<String, Object> p : panels) {
      assertThat(PANEL_TYPES).contains((String) p.get("type"));
      assertThat(ids.add(p.get("id"))).as("unique panel id").isTrue();
      Map<String, Object> g = HeadlessChromium.JsonReaderCast.map(p.get("gridPos"));
      int x = ((Number) g.get("x")).intValue();
      int y = ((Number) g.get("y")).intValue();
      int w = ((Number) g.get("w")).intValue();
      int h = ((Number) g.get("h")).intValue();
      assertThat(x).isBetween(0, 23);
      assertThat(x + w).isLessThanOrEqualTo(24);
      assertThat(h).isPositive();
      for (int[] b : boxes) {
        boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
        assertThat(overlap).as(p.get("title") + " overlaps another panel").isFalse();
      }
      boxes.add(new int[] {x, y, w, h});
      assertThat(HeadlessChromium.JsonReaderCast.map(p.get("datasource")))
          .containsEntry("type", GrafanaDashboard.DATASOURCE_PLUGIN).containsEntry("uid", "${datasource}");
      List<Map<String, Object>> targets = HeadlessChromium.JsonReaderCast.list(p.get("targets")).stream()
          .map(HeadlessChromium.JsonReaderCast::map).toList();
      assertThat(targets).isNotEmpty();
      assertThat(targets).extracting(t -> t.get("refId")).doesNotHaveDuplicates();
      for (Map<String, Object> t : targets) {
        assertThat((String) t.get("refId")).matches("[A-Z]");
        assertThat(t.get("format")).isIn("table", "time_series");
        assertThat(t).containsEntry("rawQuery", true).containsKey("rawSql");
        assertThat(HeadlessChromium.JsonReaderCast.map(t.get("datasource"))).containsEntry("uid", "${datasource}");
        if ("time_series".equals(t.get("format"))) {
          assertThat((String) t.get("rawSql")).contains("AS \"time\"").contains("AS metric").contains("AS value");
        }
      }
      assertThat(p).containsKeys("fieldConfig", "options");
    }
  }

  @Test
  void everyQueryRunsAgainstTheWarehouseAndReturnsRows(FleetDatabase db) throws Exception {
    Map<String, Object> d = dashboard(db.schema());
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      Map<String, Object> org = HeadlessChromium.JsonReaderCast.map(HeadlessChromium.JsonReaderCast.list(
          HeadlessChromium.JsonReaderCast.map(d.get("templating")).get("list")).get(1));
      List<List<Object>> orgs = query(st, (String) org.get("query"));
      assertThat(orgs).extracting(r -> r.get(0)).contains(SampleFleet.ORGANIZATION_ID);
      for (Map<String, Object> p : panels(d)) {
        Duration range = "24h".equals(p.get("timeFrom")) ? Duration.ofHours(24) : Duration.ofDays(30);
        for (Object o : HeadlessChromium.JsonReaderCast.list(p.get("targets"))) {
          String sql = grafana((String) HeadlessChromium.JsonReaderCast.map(o).get("rawSql"), NOW.minus(range), NOW);
          List<List<Object>> rows = query(st, sql);
          assertThat(rows).as(p.get("title") + ":\n" + sql).isNotEmpty();
          switch ((String) p.get("type")) {
            case "gauge" -> assertThat(((Number) rows.get(0).get(0)).doubleValue()).isBetween(0.3, 1.0);
            case "geomap" -> assertThat(rows).hasSize(3).allSatisfy(r -> {
              assertThat(r.get(1)).isNotNull();
              assertThat(r.get(2)).isNotNull();
              assertThat(((Number) r.get(4)).longValue()).isPositive();
            });
            case "barchart" -> {
              assertThat(rows).extracting(r -> r.get(0)).containsExactly("Plant A - Stuttgart", "Plant C - Pune",
                  "Plant B - Chicago");
              assertThat(rows).extracting(r -> ((Number) r.get(1)).doubleValue())
                  .isSortedAccordingTo(java.util.Comparator.reverseOrder());
            }
            default -> assertThat(rows).allSatisfy(r -> assertThat(r.get(0)).isInstanceOf(java.sql.Timestamp.class));
          }
        }
      }
    }
  }

  @Test
  void theSchemaNameIsChecked() {
    assertThatThrownBy(() -> GrafanaDashboard.json("x\"; DROP TABLE y; --"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is not a valid schema name");
    assertThat(GrafanaDashboard.json("my_schema")).contains("\\\"my_schema\\\".fleet_window_sums(");
  }

  /** The SQL as Grafana's PostgreSQL data source sends it for org acme and [from, to). */
  static String grafana(String sql, Instant from, Instant to) {
    String f = "'" + from + "'";
    String t = "'" + to + "'";
    Matcher m = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)").matcher(sql);
    String out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + " BETWEEN " + f + " AND " + t));
    out = out.replace("$__timeFrom()", f).replace("$__timeTo()", t).replace("${org:sqlstring}", "'acme'");
    assertThat(out).doesNotContain("$");
    return out;
  }

  static List<List<Object>> query(Statement st, String sql) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
