package io.modax.fleet.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.FleetOracle;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code fleet_window_sums} (months, weeks, days, hours and raw pieces) against a direct sum of each
 * location's raw rows over the window ({@code fleet_metrics_component_sums}) and against the rows
 * that were sent ({@link FleetOracle}), for windows with minute and whole-hour edges, at locations
 * whose local midnight is not on a UTC hour (Kolkata, Kathmandu, St. John's, Adelaide), across
 * daylight-saving changes, and on the hours-only path taken where raw history may have been dropped.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class WindowSumsTest {

  static final Instant END = Instant.parse("2026-04-10T10:35:00Z");
  static final String ORG = SampleFleet.ORGANIZATION_ID;
  static final double RELATIVE = 1e-12;
  static SampleFleet sample;
  static FleetOracle oracle;

  @BeforeAll
  static void load(FleetDatabase db) {
    // 15 locations: Berlin, Chicago, Kolkata and twelve more zones (London ... Adelaide, Kathmandu,
    // St. John's); 50 days ending after the US (8 March), EU (29 March) and Adelaide (5 April) changes
    sample = SampleFleet.builder().seed(11).end(END).days(50).locations(15).intervalSeconds(900).build();
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(END, ZoneOffset.UTC)).build()) {
      sample.load(fleet);
      // an analysis folds in the hours that late rows marked dirty, so the rollups are current
      fleet.fleetAnalyzer().overview(CallerContext.of("test", ORG, Role.ADMIN), ORG);
    }
    oracle = FleetOracle.of(sample.metrics());
  }

  static final Instant[][] WINDOWS = {
    {END.minus(Duration.ofDays(45)).minus(Duration.ofMinutes(313)), END.minus(Duration.ofMinutes(187))}, // every level
    {Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z")},  // whole UTC hours
    {Instant.parse("2026-03-15T18:30:00Z"), Instant.parse("2026-03-22T18:30:00Z")},  // Kolkata's week
    {Instant.parse("2026-03-10T18:10:00Z"), Instant.parse("2026-03-17T18:20:00Z")},  // Kathmandu's midnight inside
    {Instant.parse("2026-03-07T23:12:00Z"), Instant.parse("2026-03-09T16:41:00Z")},  // US change, 8 March
    {Instant.parse("2026-03-28T20:07:00Z"), Instant.parse("2026-03-30T03:53:00Z")},  // EU change, 29 March
    {Instant.parse("2026-04-04T11:11:00Z"), Instant.parse("2026-04-06T09:09:00Z")},  // Adelaide, 5 April
    {Instant.parse("2026-03-20T06:07:00Z"), Instant.parse("2026-03-20T06:47:00Z")},  // inside one hour
    {Instant.parse("2026-03-20T06:07:00Z"), Instant.parse("2026-03-20T13:53:00Z")},  // part of a day
    {END.minus(Duration.ofDays(80)), END.minus(Duration.ofDays(20)).plus(Duration.ofMinutes(17))}, // from before the data
  };

  @Test
  void everyWindowEqualsTheSumOfItsRawRows(FleetDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      scope(c);
      for (Instant[] w : WINDOWS) {
        assertEqualsRawSums(c, db.schema(), w[0], w[1]);
      }
      c.rollback();
    }
  }

  @Test
  void theHoursOnlyPathWhereRawHistoryMayHaveBeenDroppedEqualsTheRawRowsToo(FleetDatabase db) throws SQLException {
    // raw rows before this instant "may have been dropped" (they are still there, so the windows can
    // be checked against them): a location whose local midnight is not on a UTC hour reads a window
    // starting before it from whole hours, not from days, weeks and months
    Instant dropped = Instant.parse("2026-03-05T00:00:00Z");
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      scope(c);
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE \"" + db.schema() + "\".organizations SET raw_dropped_before = ? WHERE id = ?")) {
        p.setTimestamp(1, Timestamp.from(dropped));
        p.setString(2, ORG);
        assertThat(p.executeUpdate()).isEqualTo(1);
      }
      Instant[][] windows = {
        {Instant.parse("2026-03-01T07:00:00Z"), Instant.parse("2026-04-08T13:00:00Z")},
        {Instant.parse("2026-03-04T18:00:00Z"), Instant.parse("2026-03-11T19:00:00Z")},
        {Instant.parse("2026-03-06T00:00:00Z"), Instant.parse("2026-03-29T22:00:00Z")},
      };
      for (Instant[] w : windows) {
        assertEqualsRawSums(c, db.schema(), w[0], w[1]);
      }
      c.rollback();
    }
  }

  private static void scope(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT set_config('fleet_analytics.organization_id', ?, true)")) {
      p.setString(1, ORG);
      p.execute();
    }
  }

  private static void assertEqualsRawSums(Connection c, String schema, Instant from, Instant to) throws SQLException {
    String what = "window " + from + " .. " + to;
    Map<String, List<Object>> window = byLocation(c, "SELECT * FROM \"" + schema
        + "\".fleet_window_sums(?, NULL, ?, ?) ORDER BY 1", from, to);
    Map<String, List<Object>> raw = byLocation(c, "SELECT l.id, s.* FROM \"" + schema + "\".locations l"
        + " CROSS JOIN LATERAL \"" + schema + "\".fleet_metrics_component_sums(l.organization_id, l.id, ?, ?) s"
        + " WHERE l.organization_id = ? ORDER BY 1", from, to);
    assertThat(window.keySet()).as(what).containsExactlyElementsOf(raw.keySet()).hasSize(15);
    long rows = 0;
    for (Map.Entry<String, List<Object>> e : raw.entrySet()) {
      List<Object> expected = e.getValue();
      List<Object> actual = window.get(e.getKey());
      String where = what + ", location " + e.getKey();
      // the rows that were sent: the same count, whatever SQL read them
      assertThat(actual.get(0)).as(where + ": snapshot_count").isEqualTo(oracle.figures(List.of(e.getKey()), from, to).rows);
      rows += (Long) actual.get(0);
      for (int i = 0; i < expected.size(); i++) {
        Object x = expected.get(i);
        Object a = actual.get(i);
        if (x instanceof Double d) {
          double scale = Math.max(Math.abs(d), Math.abs((Double) a));
          assertThat(Math.abs((Double) a - d)).as(where + ", column " + (i + 2) + ": " + a + " vs " + d)
              .isLessThanOrEqualTo(RELATIVE * scale);
        } else {
          assertThat(a).as(where + ", column " + (i + 2)).isEqualTo(x);
        }
      }
    }
    assertThat(rows).as(what + ": rows in the window").isEqualTo(oracle.figures(raw.keySet(), from, to).rows);
  }

  private static Map<String, List<Object>> byLocation(Connection c, String sql, Instant from, Instant to)
      throws SQLException {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      int n = 1;
      if (sql.contains("fleet_window_sums")) {
        p.setString(n++, ORG);
      }
      p.setTimestamp(n++, Timestamp.from(from));
      p.setTimestamp(n++, Timestamp.from(to));
      if (!sql.contains("fleet_window_sums")) {
        p.setString(n, ORG);
      }
      try (ResultSet rs = p.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 2; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.add(v instanceof Number num && !(v instanceof Double) ? Long.valueOf(num.longValue()) : v);
          }
          out.put(rs.getString(1), row);
        }
      }
    }
    return out;
  }
}
