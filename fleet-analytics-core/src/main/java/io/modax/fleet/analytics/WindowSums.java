package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.FLEET_METRICS_DAILY;
import static io.modax.fleet.internal.jooq.Tables.FLEET_METRICS_MONTHLY;
import static io.modax.fleet.internal.jooq.Tables.FLEET_METRICS_WEEKLY;
import static io.modax.fleet.internal.jooq.Tables.FLEET_ROLLUP_DIRTY;
import static io.modax.fleet.internal.jooq.Tables.LOCATIONS;

import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Warehouse;
import io.modax.fleet.internal.jooq.Routines;
import io.modax.fleet.internal.jooq.Tables;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Reads exact component sums per location for a window, from the rollups and raw rows (the SQL
 * function {@code fleet_window_sums}) or, for whole local calendar periods, from the daily, weekly
 * or monthly rollup;
 * after folding in changes made by other SQL. Every read is one round trip, scoped to one
 * organization; caller strings only ever travel as bind values.
 */
final class WindowSums {

  /** Far enough in the future to stand for the design's unbounded "timestamp > now - N days". */
  static final Instant UNBOUNDED_END = Instant.parse("9999-01-01T00:00:00Z");

  /** Rows per round trip when sums are streamed (in the read's transaction). */
  static final int STREAMED_ROWS = 1_000;

  private WindowSums() {}

  /**
   * Folds hours marked dirty by SQL outside the library into the rollups, if there are any. Not on
   * a read replica (a read-only transaction): there the rollups are read as the primary last
   * folded them in (see {@code docs/scaling.md}).
   */
  static void refreshDirtyRollups(DSLContext dsl, String organizationId) {
    if (dsl.connectionResult(Warehouse::onReplica)) {
      return;
    }
    boolean dirty =
        dsl.fetchExists(
            dsl.selectOne().from(FLEET_ROLLUP_DIRTY).where(FLEET_ROLLUP_DIRTY.ORGANIZATION_ID.eq(organizationId)));
    if (dirty) {
      Routines.refreshDirtyFleetRollups(dsl.configuration(), organizationId);
    }
  }

  /**
   * Sums per location over {@code [from, to)}, keyed by location id in the order of the locations
   * table (by id). With {@code locationIds} null, every location of the organization.
   */
  static Map<String, ComponentSums> read(
      DSLContext dsl, String organizationId, @Nullable Collection<String> locationIds, Instant from, Instant to) {
    String[] ids = locationIds == null ? null : locationIds.toArray(String[]::new);
    Map<String, ComponentSums> out = new LinkedHashMap<>();
    // streamed a thousand rows at a time: a fetched result of 100,000 locations' 33 columns held
    // several times the memory of the sums kept
    try (Cursor<? extends Record> result = dsl.selectFrom(Tables.FLEET_WINDOW_SUMS(organizationId, ids, from, to))
        .orderBy(Tables.FLEET_WINDOW_SUMS.LOCATION_ID)
        .fetchSize(STREAMED_ROWS)
        .fetchLazy()) {
      Function<Record, ComponentSums> sums = ComponentSums.reader(result.fields());
      for (Record r : result) {
        out.put(r.get(Tables.FLEET_WINDOW_SUMS.LOCATION_ID), sums.apply(r));
      }
    }
    return out;
  }

  /** Location id to display name, for the organization, ordered by id. */
  static Map<String, String> locationNames(DSLContext dsl, String organizationId) {
    Map<String, String> names = new LinkedHashMap<>();
    dsl.select(LOCATIONS.ID, LOCATIONS.NAME)
        .from(LOCATIONS)
        .where(LOCATIONS.ORGANIZATION_ID.eq(organizationId))
        .orderBy(LOCATIONS.ID)
        .forEach(r -> names.put(r.value1(), r.value2()));
    return names;
  }

  /**
   * Checks that every requested id is a location of the organization.
   *
   * @throws NotFoundException naming the ids that are not
   */
  static void requireKnown(Map<String, String> names, List<String> requested, String organizationId) {
    TreeSet<String> unknown = new TreeSet<>(requested);
    unknown.removeAll(names.keySet());
    if (!unknown.isEmpty()) {
      throw new NotFoundException(
          "not locations of organization '" + Checks.printable(organizationId) + "': "
              + Checks.listed(unknown));
    }
  }

  /**
   * Sums per bucket and location, for buckets {@code [from[i], to[i])} (all of the organization's
   * locations, each location with a row per bucket): one query, reading each bucket through {@code
   * fleet_window_sums}. The result's i-th map belongs to the i-th bucket.
   */
  static List<Map<String, ComponentSums>> readBuckets(
      DSLContext dsl, String organizationId, List<Instant> from, List<Instant> to) {
    List<Map<String, ComponentSums>> out = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      out.add(new TreeMap<>());
    }
    if (from.isEmpty()) {
      return out;
    }
    // instants travel as ISO-8601 text with an offset, which PostgreSQL parses the same in any
    // session time zone
    String[] f = from.stream().map(Instant::toString).toArray(String[]::new);
    String[] t = to.stream().map(Instant::toString).toArray(String[]::new);
    Table<?> buckets = DSL.table(
        "unnest({0}::text[]::timestamptz[], {1}::text[]::timestamptz[]) WITH ORDINALITY AS b(f, t, i)",
        DSL.val(f, SQLDataType.VARCHAR.array()), DSL.val(t, SQLDataType.VARCHAR.array()));
    Table<?> sums = Tables.FLEET_WINDOW_SUMS(
            DSL.val(organizationId),
            DSL.val((String[]) null, SQLDataType.VARCHAR.array()),
            DSL.field("b.f", SQLDataType.INSTANT),
            DSL.field("b.t", SQLDataType.INSTANT))
        .as("s");
    Field<Long> index = DSL.field("b.i", SQLDataType.BIGINT);
    try (Cursor<Record> result = dsl.select(index).select(sums.fields()).from(buckets)
        .crossJoin(DSL.lateral(sums)).fetchSize(STREAMED_ROWS).fetchLazy()) {
      Function<Record, ComponentSums> reader = ComponentSums.reader(result.fields());
      int location = result.indexOf("location_id");
      for (Record r : result) {
        out.get(r.get(index).intValue() - 1).put((String) r.get(location), reader.apply(r));
      }
    }
    return out;
  }

  /**
   * Sums per location and local calendar period, from the daily rollup: the days with local dates
   * in {@code [fromDate, toDate)} grouped by the period ({@code day}, {@code week} (ISO, from
   * Monday) or {@code month}) their local date falls in. Keyed by location id, then period start.
   * Periods without a daily row are absent. Each period carries only the {@code columns} asked
   * for (some of the {@link ComponentSums#EXPOSURE_COLUMNS}; the others read as 0): a year of
   * daily trends needs four of them, the cost panel one.
   */
  static Map<String, Map<LocalDate, ComponentSums>> readLocalPeriods(DSLContext dsl, String organizationId,
      TrendPeriod period, LocalDate fromDate, LocalDate toDate, List<String> columns) {
    if (period == TrendPeriod.DAY) {
      return readRows(dsl, FLEET_METRICS_DAILY, FLEET_METRICS_DAILY.LOCAL_DATE, organizationId, fromDate, toDate,
          columns);
    }
    if (period.startOf(fromDate).equals(fromDate) && period.startOf(toDate).equals(toDate)) {
      // whole local weeks or months: their rows of the weekly or monthly rollup (each the sum of
      // the same daily rows), one row per location and period instead of one per day
      return period == TrendPeriod.WEEK
          ? readRows(dsl, FLEET_METRICS_WEEKLY, FLEET_METRICS_WEEKLY.WEEK, organizationId, fromDate, toDate, columns)
          : readRows(dsl, FLEET_METRICS_MONTHLY, FLEET_METRICS_MONTHLY.MONTH, organizationId, fromDate, toDate,
              columns);
    }
    // the unit comes from the enum, never from a caller; inlined so GROUP BY matches the SELECT
    Field<LocalDate> periodStart = DSL.field("date_trunc({0}, {1}::timestamp)::date",
        SQLDataType.LOCALDATE, DSL.inline(period.sqlUnit()), FLEET_METRICS_DAILY.LOCAL_DATE);
    List<Field<?>> fields = new ArrayList<>();
    fields.add(FLEET_METRICS_DAILY.LOCATION_ID);
    fields.add(periodStart.as("period_start"));
    for (String column : columns) {
      fields.add(typedSum(FLEET_METRICS_DAILY.field(column)).as(column));
    }
    Map<String, Map<LocalDate, ComponentSums>> out = new TreeMap<>();
    Result<Record> result = dsl.select(fields)
        .from(FLEET_METRICS_DAILY)
        .where(FLEET_METRICS_DAILY.ORGANIZATION_ID.eq(organizationId)
            .and(FLEET_METRICS_DAILY.LOCAL_DATE.ge(fromDate))
            .and(FLEET_METRICS_DAILY.LOCAL_DATE.lt(toDate)))
        .groupBy(FLEET_METRICS_DAILY.LOCATION_ID, periodStart)
        .fetch();
    Function<Record, ComponentSums> sums = ComponentSums.reader(result.fields());
    for (Record r : result) {
      out.computeIfAbsent(r.get(FLEET_METRICS_DAILY.LOCATION_ID), k -> new TreeMap<>())
          .put(r.get("period_start", LocalDate.class), sums.apply(r));
    }
    return out;
  }

  /**
   * The rows of a daily, weekly or monthly rollup whose period starts in {@code [fromDate,
   * toDate)}, keyed by location id, then period start, with the {@code columns} asked for (the
   * others read as 0). A year of 100 locations is 36,500 daily rows, read with plain JDBC by
   * column index (a jOOQ record per row cost several times the scan), the period start as a day
   * number rather than a date parsed from text, and only the columns the answer uses.
   */
  private static Map<String, Map<LocalDate, ComponentSums>> readRows(DSLContext dsl, Table<?> rollup,
      Field<LocalDate> period, String organizationId, LocalDate fromDate, LocalDate toDate, List<String> columns) {
    int[] positions = ComponentSums.positions(columns);
    // every name here is the library's own (generated schema classes and a constant list)
    String sql = "SELECT location_id, " + period.getName() + " - DATE '1970-01-01', " + String.join(", ", columns)
        + " FROM " + dsl.render(rollup)
        + " WHERE organization_id = ? AND " + period.getName() + " >= ? AND " + period.getName() + " < ?";
    Map<String, Map<LocalDate, ComponentSums>> out = new HashMap<>();
    dsl.connection(c -> {
      try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
        p.setString(1, organizationId);
        p.setObject(2, fromDate);
        p.setObject(3, toDate);
        try (java.sql.ResultSet rs = p.executeQuery()) {
          String location = null;
          Map<LocalDate, ComponentSums> periods = null;
          while (rs.next()) {
            String id = rs.getString(1);
            if (!id.equals(location)) {
              location = id;
              periods = out.computeIfAbsent(id, k -> new HashMap<>());
            }
            periods.put(LocalDate.ofEpochDay(rs.getInt(2)), ComponentSums.read(rs, 3, positions));
          }
        }
      }
    });
    return out;
  }

  /**
   * The sum of a rollup column in the column's own Java type: a double column's sum is a double
   * precision value; a bigint column's (which PostgreSQL sums as numeric) is cast back to bigint,
   * so that no value travels as a decimal string.
   */
  private static Field<?> typedSum(Field<?> column) {
    return column.getType() == Long.class
        ? DSL.field("sum({0})::bigint", SQLDataType.BIGINT, column)
        : DSL.field("sum({0})", SQLDataType.DOUBLE, column);
  }

  /** The organization's locations: id, name, zone, coordinates, cost rate; ordered by id. */
  static List<LocationInfo> locations(DSLContext dsl, String organizationId) {
    List<LocationInfo> out = new ArrayList<>();
    dsl.select(LOCATIONS.ID, LOCATIONS.NAME, LOCATIONS.TIMEZONE, LOCATIONS.LATITUDE,
            LOCATIONS.LONGITUDE, LOCATIONS.DOWNTIME_COST_PER_HOUR)
        .from(LOCATIONS)
        .where(LOCATIONS.ORGANIZATION_ID.eq(organizationId))
        .orderBy(LOCATIONS.ID)
        .forEach(r -> out.add(new LocationInfo(r.value1(), r.value2(), ZoneId.of(r.value3()),
            r.value4(), r.value5(), r.value6())));
    return out;
  }

  /** A location as the analyses need it. */
  record LocationInfo(
      String id,
      String name,
      ZoneId zone,
      @Nullable Double latitude,
      @Nullable Double longitude,
      java.math.@Nullable BigDecimal downtimeCostPerHour) {}
}
