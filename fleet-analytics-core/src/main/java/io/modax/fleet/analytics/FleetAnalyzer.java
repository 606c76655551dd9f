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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The design's {@code FleetAnalyzer}: analyses across the locations of one organization.
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization. Relative
 * windows ("the last 30 days") end at the library's {@link java.time.Clock}. Bad arguments throw
 * {@link InvalidRequestException} naming the value and the rule.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class FleetAnalyzer {

  /** The overview's window: the last 30 days. */
  public static final Duration OVERVIEW_WINDOW = Duration.ofDays(30);

  private final Engine engine;

  /**
   * Created by {@link io.modax.fleet.FleetAnalytics#fleetAnalyzer()}; hosts do not call this.
   *
   * @param engine the library's shared state
   */
  public FleetAnalyzer(Engine engine) {
    this.engine = engine;
  }

  /**
   * Compares locations over {@code [start, end)}: uptime, efficiency, OEE, failures, MTBF and MTTR
   * per location, ordered by OEE, best first.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param locationIds the locations to compare (at least one; duplicates ignored)
   * @param start window start, inclusive
   * @param end window end, exclusive (inclusive in {@link AggregationMode#SEED_COMPATIBLE})
   * @throws InvalidRequestException when the list is empty, an id is malformed, or the window is
   *     empty, inverted or longer than the configured maximum
   * @throws NotFoundException when a location id is not a location of the organization
   */
  public LocationComparison compareLocations(
      CallerContext caller, String organizationId, List<String> locationIds, Instant start, Instant end) {
    String orgId = readable(caller, organizationId);
    Checks.requireNonNull("locationIds", locationIds);
    if (locationIds.isEmpty()) {
      throw new InvalidRequestException("locationIds is empty: name at least one location");
    }
    List<String> ids = locationIds.stream().distinct().toList();
    ids.forEach(id -> Checks.requireId("locationIds[]", id));
    Checks.requireWindow(start, end, engine.maxWindow());
    AggregationMode mode = engine.aggregationMode();
    Instant to = mode == AggregationMode.SEED_COMPATIBLE ? end.plusNanos(1_000) : end;
    return engine.warehouse().inTransaction(orgId, "comparing locations", (c, dsl) -> {
      requireOrganization(dsl, orgId);
      Map<String, String> names = WindowSums.locationNames(dsl, orgId);
      WindowSums.requireKnown(names, ids, orgId);
      WindowSums.refreshDirtyRollups(dsl, orgId);
      Map<String, ComponentSums> sums = WindowSums.read(dsl, orgId, ids, start, to);
      return new LocationComparison(orgId, start, end, mode, rank(rows(sums, names, mode), mode));
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
    Instant now = engine.clock().instant();
    Instant start = now.minus(OVERVIEW_WINDOW);
    AggregationMode mode = engine.aggregationMode();
    Instant from = mode == AggregationMode.SEED_COMPATIBLE ? start.plusNanos(1_000) : start;
    Instant to = mode == AggregationMode.SEED_COMPATIBLE ? WindowSums.UNBOUNDED_END : now;
    return engine.warehouse().inTransaction(orgId, "reading the fleet overview", (c, dsl) -> {
      requireOrganization(dsl, orgId);
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

  private static String readable(CallerContext caller, String organizationId) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    caller.checkRead(orgId);
    return orgId;
  }

  static void requireOrganization(DSLContext dsl, String orgId) {
    if (!dsl.fetchExists(ORGANIZATIONS, ORGANIZATIONS.ID.eq(orgId))) {
      throw new NotFoundException("organization '" + Checks.printable(orgId) + "' does not exist");
    }
  }
}
