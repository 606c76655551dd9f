package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.FLEET_METRICS_DAILY;

import io.modax.fleet.internal.ComponentSums;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

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
   * first; with {@code wholeDaysOnly}, only the days lying entirely inside it.
   */
  static Map<String, List<Day>> read(
      DSLContext dsl, String organizationId, Instant from, Instant to, boolean wholeDaysOnly) {
    List<Field<?>> fields = new ArrayList<>();
    fields.add(FLEET_METRICS_DAILY.LOCATION_ID);
    fields.add(FLEET_METRICS_DAILY.LOCAL_DATE);
    fields.add(FLEET_METRICS_DAILY.DAY);
    fields.add(FLEET_METRICS_DAILY.DAY_END);
    for (String column : ComponentSums.COLUMNS) {
      fields.add(FLEET_METRICS_DAILY.field(column));
    }
    var inWindow = wholeDaysOnly
        ? FLEET_METRICS_DAILY.DAY.ge(from).and(FLEET_METRICS_DAILY.DAY_END.le(to))
        : FLEET_METRICS_DAILY.DAY.lt(to).and(FLEET_METRICS_DAILY.DAY_END.gt(from));
    Map<String, List<Day>> out = new TreeMap<>();
    org.jooq.Result<Record> result = dsl.select(fields)
        .from(FLEET_METRICS_DAILY)
        .where(FLEET_METRICS_DAILY.ORGANIZATION_ID.eq(organizationId)
            .and(FLEET_METRICS_DAILY.SNAPSHOT_COUNT.gt(0L))
            .and(inWindow))
        .orderBy(FLEET_METRICS_DAILY.LOCATION_ID, FLEET_METRICS_DAILY.LOCAL_DATE)
        .fetch();
    java.util.function.Function<Record, ComponentSums> sums = ComponentSums.reader(result.fields());
    for (Record r : result) {
      out.computeIfAbsent(r.get(FLEET_METRICS_DAILY.LOCATION_ID), k -> new ArrayList<>())
          .add(new Day(r.get(FLEET_METRICS_DAILY.LOCAL_DATE), r.get(FLEET_METRICS_DAILY.DAY),
              r.get(FLEET_METRICS_DAILY.DAY_END), sums.apply(r)));
    }
    return out;
  }
}
