package io.modax.fleet.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The physical limit of a query of the benchmark: one round trip plus the index lookups an exact
 * answer cannot avoid, measured as one statement on the same database, so that the library's time
 * is printed beside what no implementation could beat by much.
 *
 * <ul>
 *   <li>A window analysis (comparison, best, under, gauge, location map, OEE by location) needs,
 *       for each location, at least the running sums at the window's two ends (two index probes)
 *       and sends one row per location: the statement reads, per location, the last hourly rollup
 *       row before each end ({@code ORDER BY hour DESC LIMIT 1}, one probe of the primary key)
 *       and returns their difference, 32 components per location. It stands in for running sums
 *       stored per raw row (no such table exists: its cost is that of two probes of an indexed
 *       table of the same row width).
 *   <li>A per-period analysis (daily, weekly and monthly failure trends, the cost panel) answers
 *       one row per location and period: the statement reads every location's daily, weekly or
 *       monthly rollup rows in the window (one row per answer row). The location benchmark needs
 *       one pre-grouped row per day for the location and for the fleet: read as two locations'
 *       daily rows.
 *   <li>The forecast and the whole dashboard have none here ({@code null}).
 * </ul>
 *
 * <p>Not thread-safe; the benchmark's own harness, never a test.
 */
final class PhysicalLimit {

  private static final String COMPONENTS = "snapshot_count, total_production_hours, total_downtime_hours,"
      + " total_failures, uptime_weighted_hours, uptime_exposure_hours, oee_productive_hours, oee_planned_hours,"
      + " efficiency_weighted_hours, efficiency_exposure_hours, energy_kwh, energy_exposure_hours,"
      + " failure_exposure_hours, repair_hours, repaired_failures, component_planned_hours, component_run_hours,"
      + " component_ideal_hours, component_total_count, component_good_count, seed_uptime_sum, seed_uptime_count,"
      + " seed_efficiency_sum, seed_efficiency_count, seed_energy_sum, seed_energy_count, seed_oee_sum,"
      + " seed_oee_count, seed_mtbf_sum, seed_mtbf_count, seed_mttr_sum, seed_mttr_count";

  private static final String PERIOD_COLUMNS = "snapshot_count, total_failures, failure_exposure_hours,"
      + " repair_hours, repaired_failures, total_downtime_hours";

  /** One statement and its parameters. */
  record Statement(String what, String sql, List<Object> parameters) {}

  private PhysicalLimit() {}

  /** The limit statement of a case, or null where the benchmark has none. */
  static Statement of(String schema, QueryCases.Case c, String[] locationIds) {
    int days = switch (c.window()) {
      case "24 h" -> 1;
      case "30 days" -> 30;
      case "90 days" -> 90;
      case "1 year" -> 365;
      default -> -1;
    };
    if (days < 0 || "design's daily aggregate".equals(c.baseline())) {
      return null;
    }
    Instant from = QueryCases.start(days);
    Instant to = FleetDataset.NOW;
    String s = "\"" + schema + "\".";
    String name = c.name();
    if (name.startsWith("location comparison") || name.startsWith("best performers")
        || name.startsWith("underperformers") || name.equals("fleet health gauge") || name.equals("location map")
        || name.equals("OEE by location")) {
      StringBuilder diff = new StringBuilder();
      for (String col : COMPONENTS.split(",\\s*")) {
        diff.append(", e.").append(col).append(" - coalesce(b.").append(col).append(", 0)");
      }
      String probe = " (SELECT " + COMPONENTS + " FROM " + s + "fleet_metrics_hourly h WHERE h.organization_id ="
          + " l.organization_id AND h.location_id = l.id AND h.hour < ?"
          + " ORDER BY h.organization_id DESC, h.location_id DESC, h.hour DESC LIMIT 1)";
      String sql = "SELECT l.id" + diff + " FROM " + s + "locations l CROSS JOIN LATERAL" + probe
          + " e LEFT JOIN LATERAL" + probe + " b ON true WHERE l.organization_id = ? ORDER BY l.id";
      return new Statement("two running-sum probes per location", sql, List.of(ts(to), ts(from), FleetDataset.ORG));
    }
    String table;
    String key;
    String[] ids = null;
    if (name.equals("failure trends, monthly")) {
      table = "fleet_metrics_monthly";
      key = "month_start";
    } else if (name.equals("failure trends, weekly")) {
      table = "fleet_metrics_weekly";
      key = "week_start";
    } else if (name.equals("failure trends, daily") || name.startsWith("maintenance costs")) {
      table = "fleet_metrics_daily";
      key = "day";
    } else if (name.startsWith("location benchmark")) {
      table = "fleet_metrics_daily";
      key = "day";
      ids = new String[] {locationIds[0], locationIds[1]};
    } else {
      return null;
    }
    // the columns a per-period answer uses (failures, their exposure and repairs, downtime), read
    // as every location's rows of the organization in the window, or the named locations' rows
    String sql = "SELECT location_id, " + key + ", " + PERIOD_COLUMNS + " FROM " + s + table
        + " WHERE organization_id = ? AND " + key + " >= ? AND " + key + " < ?"
        + (ids == null ? "" : " AND location_id = ANY (?)");
    List<Object> parameters = ids == null ? List.of(FleetDataset.ORG, ts(from), ts(to))
        : List.of(FleetDataset.ORG, ts(from), ts(to), ids);
    return new Statement(ids == null ? "every location's rows, one per period" : ids.length + " locations' rows",
        sql, parameters);
  }

  /** The round trip alone: {@code SELECT 1}. */
  static Statement roundTrip() {
    return new Statement("round trip", "SELECT 1", List.of());
  }

  /** Runs the statement once and reads every row; returns the rows read. */
  static int run(Connection c, Statement st) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(st.sql())) {
      for (int i = 0; i < st.parameters().size(); i++) {
        Object v = st.parameters().get(i);
        if (v instanceof String[] a) {
          ps.setArray(i + 1, c.createArrayOf("varchar", a));
        } else {
          ps.setObject(i + 1, v);
        }
      }
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int k = 1; k <= cols; k++) {
            rs.getObject(k);
          }
          n++;
        }
      }
      return n;
    }
  }

  private static OffsetDateTime ts(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
