package io.modax.fleet.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small registered organization for ingest tests, snapshot factories, and an independent
 * recomputation of the rollups from the raw rows (plain GROUP BY written here, not the library's
 * refresh functions or component view).
 */
public final class IngestFixture {

  static final String ORG = "org-ingest";
  /** Europe/Berlin, 5-minute snapshots. */
  static final String BERLIN = "berlin";
  /** Asia/Kolkata (+05:30): its local days do not start on UTC hours. */
  static final String PUNE = "pune";
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final CallerContext WRITER = CallerContext.of("gateway", ORG, Role.OPERATOR);

  private IngestFixture() {}

  static FleetAnalytics open(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  /** Registers the organization and its two locations. */
  static void register(FleetAnalytics fleet) {
    FleetWriter w = fleet.writer();
    assertThat(w.writeOrganization(WRITER, new Organization(ORG, "Ingest Org", "Europe/Berlin", "EUR"))
        .stored()).isEqualTo(1);
    assertThat(w.writeLocations(WRITER, ORG, List.of(
        Location.of(ORG, BERLIN, "Berlin", "Europe/Berlin"),
        Location.of(ORG, PUNE, "Pune", "Asia/Kolkata"))).stored()).isEqualTo(2);
  }

  /** A plausible snapshot whose values derive from the seed (different seeds, different values). */
  static FleetMetrics good(String location, Instant t, int seed) {
    double planned = 10 * 300 / 3600.0;
    double down = planned * (0.05 + (seed % 7) / 100.0);
    double prod = planned - down;
    int failures = seed % 3;
    FleetMetrics.Builder b = FleetMetrics.builder(ORG, location, t)
        .intervalSeconds(300)
        .deviceCount(10)
        .avgUptime(prod / planned)
        .avgEfficiency(0.8 + (seed % 11) / 100.0)
        .avgEnergyConsumption(10.0 + seed % 5)
        .totalFailures(failures)
        .mtbf(seed % 4 == 0 ? null : 50.0 + seed % 9)
        .mttr(failures > 0 ? 1.5 + (seed % 5) / 10.0 : null)
        .totalProductionHours(prod)
        .totalDowntimeHours(down)
        .oee(prod / planned * 0.85);
    if (seed % 5 == 0) {
      // raw OEE components on some rows: OEE is then computed from them
      double run = prod;
      long total = 1000 + seed % 100;
      long goodCount = total - seed % 10;
      double cycle = run * 3600 * 0.9 / total;
      b.components(new OeeComponents(planned, run, cycle, total, goodCount))
          .oee(cycle * goodCount / 3600.0 / planned);
    }
    return b.build();
  }

  /** Consecutive 5-minute snapshots of one location from {@code start}. */
  static List<FleetMetrics> series(String location, Instant start, int count, int seed) {
    List<FleetMetrics> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(good(location, start.plusSeconds(300L * i), seed + i));
    }
    return out;
  }

  // ------------------------------------------------------------------ independent recomputation

  private static final String SUMS =
      "count(*) AS snapshot_count,"
          + " sum(m.total_production_hours) AS total_production_hours,"
          + " sum(m.total_downtime_hours) AS total_downtime_hours,"
          + " coalesce(sum(m.total_failures), 0) AS total_failures,"
          + " coalesce(sum(m.avg_uptime * (m.total_production_hours + m.total_downtime_hours)), 0) AS uptime_weighted_hours,"
          + " coalesce(sum(m.total_production_hours + m.total_downtime_hours) FILTER (WHERE m.avg_uptime IS NOT NULL), 0) AS uptime_exposure_hours,"
          + " coalesce(sum(CASE WHEN m.good_count IS NOT NULL AND m.total_count IS NOT NULL AND m.planned_production_hours IS NOT NULL"
          + "   AND m.run_hours IS NOT NULL AND m.ideal_cycle_time_seconds IS NOT NULL"
          + "   THEN m.ideal_cycle_time_seconds * m.good_count / 3600.0"
          + "   ELSE m.oee * (m.total_production_hours + m.total_downtime_hours) END), 0) AS oee_productive_hours,"
          + " coalesce(sum(CASE WHEN m.good_count IS NOT NULL AND m.total_count IS NOT NULL AND m.planned_production_hours IS NOT NULL"
          + "   AND m.run_hours IS NOT NULL AND m.ideal_cycle_time_seconds IS NOT NULL THEN m.planned_production_hours"
          + "   WHEN m.oee IS NOT NULL THEN m.total_production_hours + m.total_downtime_hours END), 0) AS oee_planned_hours,"
          + " coalesce(sum(m.avg_efficiency * m.total_production_hours), 0) AS efficiency_weighted_hours,"
          + " coalesce(sum(m.avg_energy_consumption * m.total_production_hours), 0) AS energy_kwh,"
          + " coalesce(sum(m.total_production_hours) FILTER (WHERE m.total_failures IS NOT NULL), 0) AS failure_exposure_hours,"
          + " coalesce(sum(m.mttr * m.total_failures), 0) AS repair_hours,"
          + " coalesce(sum(m.total_failures) FILTER (WHERE m.mttr IS NOT NULL), 0) AS repaired_failures,"
          + " coalesce(sum(m.good_count), 0) AS component_good_count,"
          + " coalesce(sum(m.oee), 0) AS seed_oee_sum, count(m.oee) AS seed_oee_count,"
          + " coalesce(sum(m.mtbf), 0) AS seed_mtbf_sum, count(m.mtbf) AS seed_mtbf_count";

  private static final String COLUMNS =
      "snapshot_count, total_production_hours, total_downtime_hours, total_failures,"
          + " uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours,"
          + " efficiency_weighted_hours, energy_kwh, failure_exposure_hours, repair_hours,"
          + " repaired_failures, component_good_count, seed_oee_sum, seed_oee_count, seed_mtbf_sum,"
          + " seed_mtbf_count";

  /**
   * Asserts that every rollup table (hourly, daily, weekly, monthly) holds exactly the buckets a GROUP BY over the raw rows gives
   * (no missing, no extra bucket) with the same sums (relative 1e-9: sums of doubles in another
   * order), and returns the number of hourly buckets compared.
   */
  public static int assertRollupsEqualRecomputation(FleetDatabase db) {
    String s = "\"" + db.schema() + "\"";
    Map<String, List<Double>> hourlyRaw = query(db,
        "SELECT m.organization_id || '/' || m.location_id || '/' || to_char(date_trunc('hour', m.\"timestamp\" AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24'), "
            + SUMS + " FROM " + s + ".fleet_metrics m GROUP BY 1");
    Map<String, List<Double>> hourly = query(db,
        "SELECT organization_id || '/' || location_id || '/' || to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'), "
            + COLUMNS + " FROM " + s + ".fleet_metrics_hourly");
    Map<String, List<Double>> dailyRaw = query(db,
        "SELECT m.organization_id || '/' || m.location_id || '/' || ((m.\"timestamp\" AT TIME ZONE l.timezone)::date)::text, "
            + SUMS + " FROM " + s + ".fleet_metrics m JOIN " + s + ".locations l"
            + " ON l.organization_id = m.organization_id AND l.id = m.location_id GROUP BY 1");
    Map<String, List<Double>> daily = query(db,
        "SELECT organization_id || '/' || location_id || '/' || local_date::text, " + COLUMNS
            + " FROM " + s + ".fleet_metrics_daily");
    compare("hourly", hourly, hourlyRaw);
    compare("daily", daily, dailyRaw);
    // the weekly (local ISO weeks from Monday) and monthly (local calendar months) rollups of V009
    for (String[] level : new String[][] {{"week", "weekly"}, {"month", "monthly"}}) {
      Map<String, List<Double>> periodRaw = query(db,
          "SELECT m.organization_id || '/' || m.location_id || '/' || date_trunc('" + level[0]
              + "', (m.\"timestamp\" AT TIME ZONE l.timezone)::date)::date::text, " + SUMS
              + " FROM " + s + ".fleet_metrics m JOIN " + s + ".locations l"
              + " ON l.organization_id = m.organization_id AND l.id = m.location_id GROUP BY 1");
      Map<String, List<Double>> period = query(db,
          "SELECT organization_id || '/' || location_id || '/' || " + level[0] + "::text, " + COLUMNS
              + " FROM " + s + ".fleet_metrics_" + level[1]);
      compare(level[1], period, periodRaw);
    }
    return hourly.size();
  }

  private static void compare(String what, Map<String, List<Double>> rollup, Map<String, List<Double>> raw) {
    assertThat(new TreeSet<>(rollup.keySet())).as(what + " buckets").isEqualTo(new TreeSet<>(raw.keySet()));
    String[] names = COLUMNS.split(",\\s*");
    for (Map.Entry<String, List<Double>> e : raw.entrySet()) {
      List<Double> got = rollup.get(e.getKey());
      for (int i = 0; i < names.length; i++) {
        double want = e.getValue().get(i);
        double have = got.get(i);
        assertThat(Math.abs(have - want))
            .as("%s bucket %s column %s: rollup %s vs raw %s", what, e.getKey(), names[i], have, want)
            .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(want)));
      }
    }
  }

  static Map<String, List<Double>> query(FleetDatabase db, String sql) {
    Map<String, List<Double>> out = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Double> values = new ArrayList<>();
        for (int i = 2; i <= md.getColumnCount(); i++) {
          values.add(rs.getDouble(i));
        }
        out.put(rs.getString(1), values);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** One long from a query. */
  public static long count(FleetDatabase db, String sqlWithSchemaPlaceholder) {
    String sql = sqlWithSchemaPlaceholder.replace("${s}", "\"" + db.schema() + "\"");
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs plain SQL (a "foreign" writer) and returns the update count. */
  static int execute(FleetDatabase db, String sqlWithSchemaPlaceholder) {
    String sql = sqlWithSchemaPlaceholder.replace("${s}", "\"" + db.schema() + "\"");
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every stored snapshot as text, ordered by key: for comparing two databases' contents. */
  static List<String> storedRows(FleetDatabase db) {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT organization_id, location_id, (extract(epoch FROM \"timestamp\") * 1000000)::bigint,"
                + " interval_seconds, device_count, avg_uptime, avg_efficiency, avg_energy_consumption,"
                + " total_failures, mtbf, mttr, total_production_hours, total_downtime_hours, oee,"
                + " planned_production_hours, run_hours, ideal_cycle_time_seconds, total_count,"
                + " good_count, ingested_at FROM \"" + db.schema() + "\".fleet_metrics"
                + " ORDER BY 1, 2, 3")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = i == n ? rs.getTimestamp(i).toInstant() : rs.getObject(i);
          b.append(v).append('|');
        }
        out.add(b.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
