package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.DEVICES;
import static io.modax.fleet.internal.jooq.Tables.LOCATIONS;
import static io.modax.fleet.internal.jooq.Tables.ORGANIZATIONS;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The design's {@code FleetAnalyzer}: analyses across the locations of one organization (location
 * comparison, best performers, underperformers, the fleet overview).
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization. Relative
 * windows ("the last 30 days") end at the library's {@link java.time.Clock}. Bad arguments throw
 * {@link InvalidRequestException} naming the value and the rule.
 *
 * <p>Limits: every method refuses, with {@link io.modax.fleet.InvalidRequestException} naming the
 * limit, an organization with more locations than the configured {@code
 * maxLocationsPerOrganization} (see {@code docs/reliability.md}).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class FleetAnalyzer {

  /** The overview's window: the last 30 days. */
  public static final Duration OVERVIEW_WINDOW = Duration.ofDays(30);

  /** The window of rankings when none is given: the last 30 days, as in the design. */
  public static final Window DEFAULT_WINDOW = Window.lastDays(30);

  /** How many best performers when the caller does not say: 5, as in the design. */
  public static final int DEFAULT_TOP_N = 5;

  /** The OEE below which a location underperforms when the caller does not say: 0.7. */
  public static final double DEFAULT_UNDERPERFORMANCE_THRESHOLD = 0.7;

  private final Engine engine;

  static {
    Services.register(FleetAnalyzer.class, FleetAnalyzer::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#fleetAnalyzer()} (through {@link Services}). */
  FleetAnalyzer(Engine engine) {
    this.engine = engine;
  }

  /**
   * Compares locations over {@code [start, end)}: uptime, efficiency, OEE, failures, MTBF and MTTR
   * per location, ordered by OEE, best first: the design's {@code compare_locations}.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param locationIds the locations to compare (at least one; duplicates ignored)
   * @param start window start, inclusive
   * @param end window end, exclusive (inclusive in {@link AggregationMode#SEED_COMPATIBLE}, as the
   *     design's {@code BETWEEN})
   * @throws InvalidRequestException when the list is empty or longer than maxIdsPerRequest, an id
   *     is malformed, or the window is
   *     empty, inverted or longer than the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist or a location id is not one of
   *     its locations
   */
  public LocationComparison compareLocations(
      CallerContext caller, String organizationId, List<String> locationIds, Instant start, Instant end) {
    String orgId = readable(caller, organizationId);
    return compare(orgId, locationIds, Window.between(start, end));
  }

  /**
   * Compares locations over a window, which may be relative ("the last 30 days"); see {@link
   * #compareLocations(CallerContext, String, List, Instant, Instant)} and {@link Window}.
   *
   * @throws InvalidRequestException when the list is empty or longer than maxIdsPerRequest, an id
   *     is malformed, or the window is
   *     null or longer than the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist or a location id is not one of
   *     its locations
   */
  public LocationComparison compareLocations(
      CallerContext caller, String organizationId, List<String> locationIds, Window window) {
    String orgId = readable(caller, organizationId);
    return compare(orgId, locationIds, Checks.requireNonNull("window", window));
  }

  private LocationComparison compare(String orgId, List<String> locationIds, Window window) {
    Checks.requireNonNull("locationIds", locationIds);
    if (locationIds.isEmpty()) {
      throw new InvalidRequestException("locationIds is empty: name at least one location");
    }
    io.modax.fleet.internal.Limits.require("maxIdsPerRequest", engine.limits().maxIdsPerRequest(),
        locationIds.size(), "location ids in the request");
    List<String> ids = locationIds.stream().distinct().toList();
    ids.forEach(id -> Checks.requireId("locationIds[]", id));
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "comparing locations", (c, dsl) -> {
      requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      Map<String, String> names = WindowSums.locationNames(dsl, orgId);
      WindowSums.requireKnown(names, ids, orgId);
      WindowSums.refreshDirtyRollups(dsl, orgId);
      Map<String, ComponentSums> sums = WindowSums.read(dsl, orgId, ids, b.readFrom(), b.readTo());
      return new LocationComparison(orgId, b.start(), b.end(), mode, rank(rows(sums, names, mode), mode));
    });
  }

  /**
   * The fleet overview: registry counts and the fleet's OEE, uptime and failures over the last 30
   * days ({@link #OVERVIEW_WINDOW}, ending at the clock's now).
   *
   * @throws NotFoundException when the organization does not exist
   */
  public FleetOverview overview(CallerContext caller, String organizationId) {
    String orgId = readable(caller, organizationId);
    Instant now = engine.clock().instant().truncatedTo(ChronoUnit.MICROS);
    Instant start = now.minus(OVERVIEW_WINDOW);
    AggregationMode mode = engine.aggregationMode();
    Instant from = mode == AggregationMode.SEED_COMPATIBLE ? start.plusNanos(1_000) : start;
    Instant to = mode == AggregationMode.SEED_COMPATIBLE ? WindowSums.UNBOUNDED_END : now;
    return engine.warehouse().inReadTransaction(orgId, "reading the fleet overview", (c, dsl) -> {
      requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      WindowSums.refreshDirtyRollups(dsl, orgId);
      ComponentSums fleet = ComponentSums.ZERO;
      for (ComponentSums s : WindowSums.read(dsl, orgId, null, from, to).values()) {
        fleet = fleet.plus(s);
      }
      Map<String, Long> byType = new LinkedHashMap<>();
      dsl.select(DEVICES.DEVICE_TYPE, DSL.count())
          .from(DEVICES)
          .where(DEVICES.ORGANIZATION_ID.eq(orgId).and(DEVICES.STATUS.ne("decommissioned")))
          .groupBy(DEVICES.DEVICE_TYPE)
          .orderBy(DEVICES.DEVICE_TYPE)
          .forEach(r -> byType.put(r.value1(), r.value2().longValue()));
      List<LocationSummary> locations = new ArrayList<>();
      var inService = DSL.count().filterWhere(DEVICES.STATUS.ne("decommissioned"));
      var active = DSL.count().filterWhere(DEVICES.STATUS.eq("active"));
      dsl.select(LOCATIONS.ID, LOCATIONS.NAME, LOCATIONS.TIMEZONE, LOCATIONS.LATITUDE,
              LOCATIONS.LONGITUDE, inService, active)
          .from(LOCATIONS)
          .leftJoin(DEVICES)
          .on(DEVICES.ORGANIZATION_ID.eq(LOCATIONS.ORGANIZATION_ID).and(DEVICES.LOCATION_ID.eq(LOCATIONS.ID)))
          .where(LOCATIONS.ORGANIZATION_ID.eq(orgId))
          .groupBy(LOCATIONS.ID, LOCATIONS.NAME, LOCATIONS.TIMEZONE, LOCATIONS.LATITUDE, LOCATIONS.LONGITUDE)
          .orderBy(LOCATIONS.ID)
          .forEach(r -> locations.add(new LocationSummary(r.value1(), r.value2(), r.value3(),
              r.value4(), r.value5(), r.value6().longValue(), r.value7().longValue())));
      long totalDevices = locations.stream().mapToLong(LocationSummary::deviceCount).sum();
      long activeDevices = locations.stream().mapToLong(LocationSummary::activeDevices).sum();
      return new FleetOverview(orgId, start, now, totalDevices, activeDevices, byType,
          locations.size(), Metric.OEE.valueOf(fleet, mode), Metric.UPTIME.valueOf(fleet, mode),
          fleet.failures(), locations);
    });
  }

  /**
   * The {@code topN} best locations by a metric over the last 30 days ({@link #DEFAULT_WINDOW}).
   *
   * @see #bestPerformers(CallerContext, String, Metric, int, Window)
   */
  public LocationRanking bestPerformers(
      CallerContext caller, String organizationId, Metric metric, int topN) {
    return bestPerformers(caller, organizationId, metric, topN, DEFAULT_WINDOW);
  }

  /**
   * The {@code topN} best locations by a metric over a window: the design's {@code
   * identify_best_performers}, for any {@link Metric}.
   *
   * <p>"Best" follows the metric's direction ({@link Metric#higherIsBetter()}): highest OEE,
   * uptime, efficiency or MTBF first; lowest MTTR, energy intensity or failure count first. A
   * location without data for the metric in the window is left out, except that for {@link
   * Metric#MTBF} a location that produced without a single failure ranks first (its MTBF is
   * unbounded; {@link LocationPerformance#mtbf()} is null and {@code totalFailures} 0). Ties are
   * broken by location id.
   *
   * <p>In {@link AggregationMode#SEED_COMPATIBLE} the design's query is reproduced: plain averages
   * over snapshot rows, {@code ORDER BY metric_value DESC} for every metric (so for MTTR, energy and
   * failures the worst come first, as there), locations without a value first, then {@code LIMIT
   * topN}; {@code total_failures} ranks by the sum.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param metric the metric to rank by
   * @param topN how many locations at most, at least 1
   * @param window the window; see {@link Window} for how each mode reads it
   * @throws InvalidRequestException when {@code topN} is below 1, the metric or window is null, or
   *     the window is longer than the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public LocationRanking bestPerformers(
      CallerContext caller, String organizationId, Metric metric, int topN, Window window) {
    String orgId = readable(caller, organizationId);
    Checks.requireNonNull("metric", metric);
    if (topN < 1) {
      throw new InvalidRequestException("topN " + topN + " is below 1: ask for at least one location");
    }
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "ranking the best performers", (c, dsl) -> {
      List<LocationPerformance> rows = allLocations(dsl, orgId, b, mode, engine.limits().maxLocationsPerOrganization());
      return new LocationRanking(orgId, metric, b.start(), b.end(), mode, best(rows, metric, topN, mode));
    });
  }

  /**
   * Locations whose OEE over the last 30 days ({@link #DEFAULT_WINDOW}) is below the threshold.
   *
   * @see #underperformers(CallerContext, String, double, Window)
   */
  public LocationRanking underperformers(CallerContext caller, String organizationId, double oeeThreshold) {
    return underperformers(caller, organizationId, oeeThreshold, DEFAULT_WINDOW);
  }

  /**
   * Locations whose OEE over the window is below the threshold, lowest OEE first (ties by id): the
   * design's {@code identify_underperformers}. A location without an OEE in the window (no planned
   * time, no data) is not listed. Each row carries the location's uptime and failures too.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param oeeThreshold OEE as a fraction in [0, 1], e.g. 0.7 ({@link
   *     #DEFAULT_UNDERPERFORMANCE_THRESHOLD}); strictly below it underperforms
   * @param window the window; see {@link Window} for how each mode reads it
   * @throws InvalidRequestException when the threshold is outside [0, 1] or NaN, the window is
   *     null or longer than the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public LocationRanking underperformers(
      CallerContext caller, String organizationId, double oeeThreshold, Window window) {
    String orgId = readable(caller, organizationId);
    Checks.requireFraction("oeeThreshold", oeeThreshold);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "finding underperformers", (c, dsl) -> {
      List<LocationPerformance> under = new ArrayList<>();
      for (LocationPerformance p : allLocations(dsl, orgId, b, mode, engine.limits().maxLocationsPerOrganization())) {
        if (p.oee() != null && p.oee() < oeeThreshold) {
          under.add(p);
        }
      }
      under.sort(Comparator.comparing(LocationPerformance::oee)
          .thenComparing(LocationPerformance::locationId));
      return new LocationRanking(orgId, Metric.OEE, b.start(), b.end(), mode, under);
    });
  }

  /** Every location's performance over a resolved window (without rows in seed mode: omitted). */
  static List<LocationPerformance> allLocations(
      DSLContext dsl, String orgId, Window.Bounds b, AggregationMode mode, int maxLocations) {
    requireOrganization(dsl, orgId, maxLocations);
    Map<String, String> names = WindowSums.locationNames(dsl, orgId);
    WindowSums.refreshDirtyRollups(dsl, orgId);
    return rows(WindowSums.read(dsl, orgId, null, b.readFrom(), b.readTo()), names, mode);
  }

  /** The best {@code topN} rows by a metric; see {@link #bestPerformers}. */
  static List<LocationPerformance> best(
      List<LocationPerformance> rows, Metric metric, int topN, AggregationMode mode) {
    List<LocationPerformance> ranked = new ArrayList<>();
    Comparator<LocationPerformance> order;
    if (mode == AggregationMode.SEED_COMPATIBLE) {
      ranked.addAll(rows);
      order = Comparator.comparing((LocationPerformance p) -> p.value(metric),
          Comparator.nullsFirst(Comparator.<Double>reverseOrder()));
    } else {
      for (LocationPerformance p : rows) {
        if (p.hasData() && (p.value(metric) != null || producedWithoutFailure(metric, p))) {
          ranked.add(p);
        }
      }
      Comparator<Double> direction = metric.higherIsBetter()
          ? Comparator.<Double>reverseOrder() : Comparator.<Double>naturalOrder();
      // for MTBF, "no failure at all" is better than any finite MTBF
      order = Comparator.comparing((LocationPerformance p) -> producedWithoutFailure(metric, p) ? 0 : 1)
          .thenComparing(p -> p.value(metric), Comparator.nullsLast(direction));
    }
    ranked.sort(order.thenComparing(LocationPerformance::locationId));
    return ranked.subList(0, Math.min(topN, ranked.size()));
  }

  private static boolean producedWithoutFailure(Metric metric, LocationPerformance p) {
    return metric == Metric.MTBF && p.totalFailures() == 0 && p.productionHours() > 0;
  }

  static List<LocationPerformance> rows(
      Map<String, ComponentSums> sums, Map<String, String> names, AggregationMode mode) {
    List<LocationPerformance> rows = new ArrayList<>();
    sums.forEach((id, s) -> {
      if (mode == AggregationMode.SEED_COMPATIBLE && s.snapshotCount() == 0) {
        return; // the design's inner join drops locations without rows
      }
      rows.add(new LocationPerformance(id, names.getOrDefault(id, id),
          Metric.UPTIME.valueOf(s, mode), Metric.EFFICIENCY.valueOf(s, mode),
          Metric.ENERGY_CONSUMPTION.valueOf(s, mode), Metric.OEE.valueOf(s, mode), s.failures(),
          Metric.MTBF.valueOf(s, mode), Metric.MTTR.valueOf(s, mode), s.productionHours(),
          s.downtimeHours(), s.oeePlannedHours(), s.snapshotCount()));
    });
    return rows;
  }

  /** Orders rows by a metric's value, best first; ties by location id. */
  static List<LocationPerformance> rank(List<LocationPerformance> rows, AggregationMode mode) {
    Comparator<Double> byValue = Comparator.reverseOrder();
    Comparator<Double> nullPlacement = mode == AggregationMode.SEED_COMPATIBLE
        ? Comparator.nullsFirst(byValue) : Comparator.nullsLast(byValue);
    List<LocationPerformance> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(LocationPerformance::oee, nullPlacement)
        .thenComparing(LocationPerformance::locationId));
    return sorted;
  }

  /** Checks the caller and the organization id; returns the id. */
  static String readable(CallerContext caller, String organizationId) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    caller.checkRead(orgId);
    return orgId;
  }

  /**
   * Checks that the organization exists and has at most {@code maxLocations} locations: an
   * organization past {@code maxLocationsPerOrganization} (registered under a higher limit, restored
   * or written by other SQL) is refused by every analysis rather than let one call hold memory and
   * time for all of them.
   */
  static void requireOrganization(DSLContext dsl, String orgId, int maxLocations) {
    if (!dsl.fetchExists(ORGANIZATIONS, ORGANIZATIONS.ID.eq(orgId))) {
      throw new NotFoundException("organization '" + Checks.printable(orgId) + "' does not exist");
    }
    // counts at most one past the limit: the count costs no more than the limit
    int n = dsl.fetchCount(dsl.selectOne().from(LOCATIONS).where(LOCATIONS.ORGANIZATION_ID.eq(orgId))
        .limit(maxLocations + 1));
    if (n > maxLocations) {
      io.modax.fleet.internal.Limits.require("maxLocationsPerOrganization", maxLocations, n,
          "(or more) locations of organization '" + Checks.printable(orgId) + "' to analyse");
    }
  }
}
