package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.FLEET_METRICS_DAILY;

import io.modax.fleet.internal.ComponentSums;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;

/**
 * Reads the daily rollup row by row: each location's local calendar days with their components,
 * the daily values behind the significance tests, the forecasts' daily counts and the reliability
 * clock. One query, scoped to one organization; callers fold in dirty hours first ({@link
 * WindowSums#refreshDirtyRollups}).
 */
final class DailyRollup {

  private DailyRollup() {}

  /**
   * One local day of one location.
   *
   * @param date the local calendar date
   * @param start the instant the day starts in the location's zone
   * @param end the instant it ends (23, 24 or 25 hours later)
   * @param sums the day's components
   */
  record Day(LocalDate date, Instant start, Instant end, ComponentSums sums) {}

  /**
   * Per location id (sorted), its days with snapshots that overlap {@code [from, to)}, oldest
   * first; with {@code wholeDaysOnly}, only the days lying entirely inside it. Each day carries the
   * {@link ComponentSums#EXPOSURE_COLUMNS} (the exposure-weighted figures' components; the {@code
   * seed_*} sums read as 0).
   *
   * <p>A year of 100 locations is 36,500 rows: they are read with plain JDBC, by column index, and
   * ordered here (per location, by date) rather than by the server, whose sort of text keys under
   * a linguistic collation cost more than the scan.
   */
  static Map<String, List<Day>> read(
      DSLContext dsl, String organizationId, Instant from, Instant to, boolean wholeDaysOnly) {
    List<String> columns = ComponentSums.EXPOSURE_COLUMNS;
    Map<String, List<Day>> out = new TreeMap<>();
    query(dsl, "location_id, local_date, day, day_end, " + String.join(", ", columns), organizationId,
        from, to, wholeDaysOnly, rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
            .add(new Day(rs.getObject(2, LocalDate.class), rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getObject(4, OffsetDateTime.class).toInstant(), ComponentSums.read(rs, 5, columns.size()))));
    out.values().forEach(days -> days.sort(Comparator.comparing(Day::date)));
    return out;
  }

  /**
   * Per location id (sorted), the components of its days with snapshots lying entirely inside
   * {@code [from, to)}, oldest first: the days of {@link #read} with {@code wholeDaysOnly} true,
   * with only the {@code columns} asked for (the others read as 0) and without the days' dates and
   * instants (the location benchmark's daily values need neither). The dates travel as day numbers,
   * used only to order each location's days.
   */
  static Map<String, List<ComponentSums>> wholeDaySums(
      DSLContext dsl, String organizationId, Instant from, Instant to, List<String> columns) {
    int[] positions = ComponentSums.positions(columns);
    Map<String, List<DatedSums>> dated = new TreeMap<>();
    query(dsl, "location_id, local_date - DATE '1970-01-01', " + String.join(", ", columns), organizationId,
        from, to, true, rs -> dated.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
            .add(new DatedSums(rs.getInt(2), ComponentSums.read(rs, 3, positions))));
    Map<String, List<ComponentSums>> out = new TreeMap<>();
    dated.forEach((id, days) -> {
      days.sort(Comparator.comparingInt(DatedSums::epochDay));
      out.put(id, days.stream().map(DatedSums::sums).toList());
    });
    return out;
  }

  /** A day's components and its local date as a day number, for ordering. */
  private record DatedSums(int epochDay, ComponentSums sums) {}

  /**
   * Per location id (sorted), its failures ({@code total_failures}) per local date, for the days
   * with snapshots that overlap {@code [from, to)}: the same days as {@link #read} with {@code
   * wholeDaysOnly} false, one column instead of every component (the forecasts need no other).
   */
  static Map<String, Map<LocalDate, Long>> failures(
      DSLContext dsl, String organizationId, Instant from, Instant to) {
    Map<String, Map<LocalDate, Long>> out = new TreeMap<>();
    query(dsl, "location_id, local_date, total_failures", organizationId, from, to, false,
        rs -> out.computeIfAbsent(rs.getString(1), k -> new java.util.HashMap<>())
            .put(rs.getObject(2, LocalDate.class), rs.getLong(3)));
    return out;
  }

  /** One row of the daily rollup, as read. */
  private interface RowReader {
    void accept(ResultSet rs) throws java.sql.SQLException;
  }

  /**
   * Selects {@code columns} (the library's own column names, never a caller's) of the rows of
   * the organization with snapshots overlapping {@code [from, to)} (with {@code wholeDaysOnly},
   * lying inside it), each passed to {@code row}.
   */
  private static void query(DSLContext dsl, String columns, String organizationId, Instant from, Instant to,
      boolean wholeDaysOnly, RowReader row) {
    String sql = "SELECT " + columns + " FROM " + dsl.render(FLEET_METRICS_DAILY)
        + " WHERE organization_id = ? AND snapshot_count > 0 AND "
        + (wholeDaysOnly ? "day >= ? AND day_end <= ?" : "day < ? AND day_end > ?");
    dsl.connection(c -> {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setString(1, organizationId);
        p.setObject(2, OffsetDateTime.ofInstant(wholeDaysOnly ? from : to, ZoneOffset.UTC));
        p.setObject(3, OffsetDateTime.ofInstant(wholeDaysOnly ? to : from, ZoneOffset.UTC));
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            row.accept(rs);
          }
        }
      }
    });
  }
}
