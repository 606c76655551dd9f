package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.DEVICES;
import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENTS;
import static io.modax.fleet.internal.jooq.Tables.ORGANIZATIONS;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.apache.commons.math3.special.Beta;
import org.jspecify.annotations.Nullable;

/**
 * The data behind each panel of the design's executive dashboard ("Fleet Overview"), as typed
 * queries: the fleet health gauge, the location map, failure trends, OEE by location and
 * maintenance cost by location.
 *
 * <p>Default windows: the gauge, the map and the OEE bars show the last 24 hours ({@link
 * #HEALTH_WINDOW}, the gauge's window in the design); failure trends and costs the last 30 days by
 * local day ({@link #TRENDS_WINDOW}). Every panel has a variant taking its window.
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization; relative
 * windows end at the library's {@link java.time.Clock}; bad arguments throw {@link
 * InvalidRequestException}; an unknown organization {@link NotFoundException}.
 *
 * <p>Limits: every method refuses, with {@link io.modax.fleet.InvalidRequestException} naming the
 * limit, an organization with more locations than the configured {@code
 * maxLocationsPerOrganization} (see {@code docs/reliability.md}).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class FleetDashboard {

  /** The gauge's, map's and OEE bars' window: the last 24 hours, as the design's gauge query. */
  public static final Window HEALTH_WINDOW = Window.last(Duration.ofHours(24));

  /** The failure trend and cost panels' window: the last 30 days, by local day. */
  public static final Window TRENDS_WINDOW = Window.lastDays(30);

  /** Length of the two periods compared for a {@link LocationMarker.Alert.Kind#FAILURES_RISING}. */
  public static final int RISING_FAILURES_DAYS = 30;

  /** The least rise of the failure rate (recent / prior) for a rising-failures alert: 10%. */
  public static final double RISING_FAILURES_MIN_RATIO = 1.1;

  /**
   * The significance level of the rise for a rising-failures alert: the one-sided p-value of the
   * exact conditional test of two Poisson rates must be below it.
   */
  public static final double RISING_FAILURES_P_VALUE = 0.05;

  /** The fewest failures in the recent period for a rising-failures alert. */
  public static final int RISING_FAILURES_MIN = 5;

  private final Engine engine;
  private final TrendAnalyzer trends;

  static {
    Services.register(FleetDashboard.class, FleetDashboard::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#dashboard()} (through {@link Services}). */
  FleetDashboard(Engine engine) {
    this.engine = engine;
    this.trends = new TrendAnalyzer(engine);
  }

  /** The fleet health gauge over the last 24 hours with the design's thresholds. */
  public FleetHealth fleetHealth(CallerContext caller, String organizationId) {
    return fleetHealth(caller, organizationId, FleetHealth.Thresholds.DEFAULT, HEALTH_WINDOW);
  }

  /**
   * The fleet health gauge: the fleet's OEE over the window and its band. In {@link
   * AggregationMode#SEED_COMPATIBLE}, the design's {@code AVG(oee)} over the window's rows (of this
   * organization only: the design's query forgot the organization).
   *
   * @throws InvalidRequestException when thresholds or window are null, or the window too long
   */
  public FleetHealth fleetHealth(
      CallerContext caller, String organizationId, FleetHealth.Thresholds thresholds, Window window) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("thresholds", thresholds);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading the fleet health", (c, dsl) -> {
      prepare(dsl, orgId);
      return health(orgId, thresholds, b, mode, read(dsl, orgId, b));
    });
  }

  /** The location map over the last 24 hours with the design's thresholds. */
  public List<LocationMarker> locationMap(CallerContext caller, String organizationId) {
    return locationMap(caller, organizationId, FleetHealth.Thresholds.DEFAULT, HEALTH_WINDOW);
  }

  /**
   * One marker per location (by id): coordinates, OEE over the window, device count and alerts
   * (defined at {@link LocationMarker}; the low-OEE alert uses {@code thresholds.warning()}, the
   * rising-failures alert the {@value #RISING_FAILURES_DAYS} days before the window's end and the
   * {@value #RISING_FAILURES_DAYS} days before those, always exposure-weighted, see {@link
   * LocationMarker}).
   *
   * @throws InvalidRequestException when thresholds or window are null, or the window too long
   */
  public List<LocationMarker> locationMap(
      CallerContext caller, String organizationId, FleetHealth.Thresholds thresholds, Window window) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("thresholds", thresholds);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading the location map", (c, dsl) -> {
      prepare(dsl, orgId);
      return map(dsl, orgId, thresholds, b, mode, read(dsl, orgId, b), WindowSums.locations(dsl, orgId));
    });
  }

  /**
   * Failures and MTBF per location and local day over the last 30 days: {@link
   * TrendAnalyzer#failureTrends(CallerContext, String, TrendPeriod, Window)} with {@link
   * TrendPeriod#DAY} and {@link #TRENDS_WINDOW}.
   */
  public FailureTrends failureTrends(CallerContext caller, String organizationId) {
    return trends.failureTrends(caller, organizationId, TrendPeriod.DAY, TRENDS_WINDOW);
  }

  /** OEE by location over the last 24 hours, best first. */
  public LocationComparison oeeByLocation(CallerContext caller, String organizationId) {
    return oeeByLocation(caller, organizationId, HEALTH_WINDOW);
  }

  /**
   * Every location's performance over the window, ordered by OEE, best first (locations without
   * an OEE last; see {@link LocationComparison}).
   *
   * @throws InvalidRequestException when the window is null or too long
   */
  public LocationComparison oeeByLocation(CallerContext caller, String organizationId, Window window) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading OEE by location",
        (c, dsl) -> {
          prepare(dsl, orgId);
          return oeeBars(orgId, b, mode, read(dsl, orgId, b), WindowSums.locationNames(dsl, orgId));
        });
  }

  /** Maintenance cost by location and local day over the last 30 days. */
  public MaintenanceCosts maintenanceCosts(CallerContext caller, String organizationId) {
    return maintenanceCosts(caller, organizationId, TrendPeriod.DAY, TRENDS_WINDOW);
  }

  /**
   * Planned and unplanned maintenance cost and downtime cost per location and local calendar
   * period (see {@link MaintenanceCosts}); every local period of each location that overlaps the
   * window is reported whole, with zeros where nothing happened. Not affected by the aggregation
   * mode (the design has no SQL for it).
   *
   * @throws InvalidRequestException when period or window is null, or the window too long
   */
  public MaintenanceCosts maintenanceCosts(
      CallerContext caller, String organizationId, TrendPeriod period, Window window) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("period", period);
    Checks.requireNonNull("window", window);
    Window.Bounds b = window.resolve(engine.clock(), AggregationMode.EXPOSURE_WEIGHTED, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading maintenance costs", (c, dsl) -> {
      prepare(dsl, orgId);
      return costs(dsl, orgId, period, b);
    });
  }

  /** Every panel with the design's thresholds and default windows. */
  public DashboardData dashboard(CallerContext caller, String organizationId) {
    return dashboard(caller, organizationId, FleetHealth.Thresholds.DEFAULT);
  }

  /**
   * Every panel with the default windows, read in one transaction, so that they agree. Each
   * answer equals the panel's own method's; reads are shared where panels read the same data: the
   * gauge, the map and the OEE bars the window sums of their window (one read), the failure trends
   * and the cost panel the daily rollup's local days (one read, in the default mode), and every
   * panel the organization's locations.
   *
   * @throws InvalidRequestException when thresholds is null, or a default window is longer than the
   *     configured maximum window
   */
  public DashboardData dashboard(CallerContext caller, String organizationId, FleetHealth.Thresholds thresholds) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("thresholds", thresholds);
    AggregationMode mode = engine.aggregationMode();
    Instant now = engine.clock().instant();
    Window.Bounds health = HEALTH_WINDOW.resolve(engine.clock(), mode, engine.maxWindow());
    Window.Bounds trends = TRENDS_WINDOW.resolve(engine.clock(), mode, engine.maxWindow());
    Window.Bounds costs = TRENDS_WINDOW.resolve(engine.clock(), AggregationMode.EXPOSURE_WEIGHTED, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading the dashboard", (c, dsl) -> {
      prepare(dsl, orgId);
      // the gauge, the map and the bars share one window: read it once; every panel shares the
      // locations
      List<WindowSums.LocationInfo> locations = WindowSums.locations(dsl, orgId);
      Map<String, ComponentSums> current = read(dsl, orgId, health);
      Map<String, String> names = new LinkedHashMap<>();
      locations.forEach(l -> names.put(l.id(), l.name()));
      FailureTrends dailyTrends;
      MaintenanceCosts costPanel;
      if (mode == AggregationMode.SEED_COMPATIBLE) {
        dailyTrends = TrendAnalyzer.failureTrends(dsl, orgId, TrendPeriod.DAY, trends, mode, now);
        costPanel = costs(dsl, orgId, TrendPeriod.DAY, costs, locations,
            (from, to) -> WindowSums.readLocalPeriods(dsl, orgId, TrendPeriod.DAY, from, to, COST_COLUMNS));
      } else {
        // the trends and the costs read the same local days (the costs' a subset): one read of the
        // daily rollup with the columns of both
        SharedDays days = new SharedDays(dsl, orgId);
        dailyTrends = new FailureTrends(orgId, TrendPeriod.DAY, trends.start(), trends.end(), mode,
            TrendAnalyzer.localTrends(TrendPeriod.DAY, trends, locations, now, false, days), false);
        costPanel = costs(dsl, orgId, TrendPeriod.DAY, costs, locations, days);
      }
      return new DashboardData(orgId, health.end(), mode,
          health(orgId, thresholds, health, mode, current),
          map(dsl, orgId, thresholds, health, mode, current, locations),
          dailyTrends,
          oeeBars(orgId, health, mode, current, names),
          costPanel);
    });
  }

  /**
   * The daily rollup's rows read once for the dashboard's trend and cost panels: the first read
   * (the trends', one day wider) is kept and answers a later read of dates inside it.
   */
  private static final class SharedDays implements TrendAnalyzer.PeriodReader {
    private static final List<String> COLUMNS = union(TrendAnalyzer.TREND_COLUMNS, COST_COLUMNS);
    private final DSLContext dsl;
    private final String orgId;
    private @Nullable LocalDate from;
    private @Nullable LocalDate to;
    private @Nullable Map<String, Map<LocalDate, ComponentSums>> days;

    SharedDays(DSLContext dsl, String orgId) {
      this.dsl = dsl;
      this.orgId = orgId;
    }

    @Override
    public Map<String, Map<LocalDate, ComponentSums>> read(LocalDate from, LocalDate to) {
      if (days == null || from.isBefore(this.from) || to.isAfter(this.to)) {
        days = WindowSums.readLocalPeriods(dsl, orgId, TrendPeriod.DAY, from, to, COLUMNS);
        this.from = from;
        this.to = to;
      }
      return days;
    }

    private static List<String> union(List<String> a, List<String> b) {
      List<String> out = new ArrayList<>(a);
      b.stream().filter(c -> !out.contains(c)).forEach(out::add);
      return List.copyOf(out);
    }
  }

  private void prepare(DSLContext dsl, String orgId) {
    FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
    WindowSums.refreshDirtyRollups(dsl, orgId);
  }

  private static Map<String, ComponentSums> read(DSLContext dsl, String orgId, Window.Bounds b) {
    return WindowSums.read(dsl, orgId, null, b.readFrom(), b.readTo());
  }

  private static FleetHealth health(String orgId, FleetHealth.Thresholds thresholds,
      Window.Bounds b, AggregationMode mode, Map<String, ComponentSums> window) {
    ComponentSums fleet = ComponentSums.ZERO;
    for (ComponentSums s : window.values()) {
      fleet = fleet.plus(s);
    }
    Double oee = Metric.OEE.valueOf(fleet, mode);
    return new FleetHealth(orgId, b.start(), b.end(), mode, oee, thresholds.classify(oee), thresholds);
  }

  private static LocationComparison oeeBars(String orgId, Window.Bounds b,
      AggregationMode mode, Map<String, ComponentSums> window, Map<String, String> names) {
    List<LocationPerformance> rows = FleetAnalyzer.rows(window, names, mode);
    return new LocationComparison(orgId, b.start(), b.end(), mode, FleetAnalyzer.rank(rows, mode));
  }

  private static List<LocationMarker> map(DSLContext dsl, String orgId, FleetHealth.Thresholds thresholds,
      Window.Bounds b, AggregationMode mode, Map<String, ComponentSums> window,
      List<WindowSums.LocationInfo> locations) {
    Map<String, Long> devices = new HashMap<>();
    dsl.select(DEVICES.LOCATION_ID, DSL.count())
        .from(DEVICES)
        .where(DEVICES.ORGANIZATION_ID.eq(orgId).and(DEVICES.STATUS.ne("decommissioned")))
        .groupBy(DEVICES.LOCATION_ID)
        .forEach(r -> devices.put(r.value1(), r.value2().longValue()));
    Instant recentStart = b.end().minus(Duration.ofDays(RISING_FAILURES_DAYS));
    Instant priorStart = recentStart.minus(Duration.ofDays(RISING_FAILURES_DAYS));
    List<Map<String, ComponentSums>> periods =
        WindowSums.readBuckets(dsl, orgId, List.of(priorStart, recentStart), List.of(recentStart, b.end()));
    List<LocationMarker> markers = new ArrayList<>();
    for (WindowSums.LocationInfo l : locations) {
      ComponentSums s = window.getOrDefault(l.id(), ComponentSums.ZERO);
      Double oee = Metric.OEE.valueOf(s, mode);
      List<LocationMarker.Alert> alerts = new ArrayList<>();
      if (s.snapshotCount() == 0) {
        alerts.add(new LocationMarker.Alert(LocationMarker.Alert.Kind.NO_DATA,
            "no snapshot between " + b.start() + " and " + b.end()));
      }
      if (oee != null && oee < thresholds.warning()) {
        alerts.add(new LocationMarker.Alert(LocationMarker.Alert.Kind.LOW_OEE, String.format(Locale.ROOT,
            "OEE %.1f%% is below the warning threshold %.1f%%", oee * 100, thresholds.warning() * 100)));
      }
      String rising = risingFailures(periods.get(0).getOrDefault(l.id(), ComponentSums.ZERO),
          periods.get(1).getOrDefault(l.id(), ComponentSums.ZERO));
      if (rising != null) {
        alerts.add(new LocationMarker.Alert(LocationMarker.Alert.Kind.FAILURES_RISING, rising));
      }
      markers.add(new LocationMarker(l.id(), l.name(), l.latitude(), l.longitude(), oee,
          devices.getOrDefault(l.id(), 0L), alerts));
    }
    return markers;
  }

  /**
   * Why the failure rate counts as rising from {@code prior} to {@code recent}, or null if not.
   *
   * <p>Rates are failures per production hour. Under "no change", the recent period's share of all
   * failures of both periods is binomial with p = its share of the production hours (the exact
   * conditional test of two Poisson rates); the rise counts when that one-sided p-value is below
   * {@link #RISING_FAILURES_P_VALUE}, the rate rose by at least {@link #RISING_FAILURES_MIN_RATIO}
   * and there were at least {@link #RISING_FAILURES_MIN} recent failures.
   */
  static @Nullable String risingFailures(ComponentSums prior, ComponentSums recent) {
    long k = recent.failures();
    long n = k + prior.failures();
    double recentHours = recent.failureExposureHours();
    double priorHours = prior.failureExposureHours();
    if (k < RISING_FAILURES_MIN || recentHours <= 0 || priorHours <= 0) {
      return null;
    }
    double recentRate = k / recentHours;
    double priorRate = prior.failures() / priorHours;
    if (recentRate < RISING_FAILURES_MIN_RATIO * priorRate) {
      return null;
    }
    // P(X >= k) for X ~ Binomial(n, p0) is the regularized incomplete beta I_p0(k, n - k + 1)
    double p0 = recentHours / (recentHours + priorHours);
    double pValue = Beta.regularizedBeta(p0, k, n - k + 1.0);
    if (!(pValue < RISING_FAILURES_P_VALUE)) {
      return null;
    }
    return String.format(Locale.ROOT,
        "%d failures in the last %d days (%.5f per production hour) against %d in the %d days before"
            + " (%.5f): %s, p = %.3g",
        k, RISING_FAILURES_DAYS, recentRate, prior.failures(), RISING_FAILURES_DAYS, priorRate,
        priorRate == 0 ? "up from none" : String.format(Locale.ROOT, "x%.2f", recentRate / priorRate), pValue);
  }

  private static MaintenanceCosts costs(DSLContext dsl, String orgId, TrendPeriod period, Window.Bounds b) {
    return costs(dsl, orgId, period, b, WindowSums.locations(dsl, orgId),
        (from, to) -> WindowSums.readLocalPeriods(dsl, orgId, period, from, to, COST_COLUMNS));
  }

  /** The component the cost panel reads from the rollups: downtime hours. */
  static final List<String> COST_COLUMNS = List.of("total_downtime_hours");

  private static final BigDecimal ZERO_COST = BigDecimal.ZERO.setScale(2, RoundingMode.HALF_EVEN);

  /** One location's maintenance events of one local period, summed. */
  private record EventSums(@Nullable BigDecimal planned, @Nullable BigDecimal unplanned, long withoutCost) {

    static EventSums of(@Nullable BigDecimal cost, boolean planned) {
      return new EventSums(planned ? cost : null, planned ? null : cost, cost == null ? 1 : 0);
    }

    /** As SQL's {@code sum(cost) FILTER (...)}: nulls are left out, a sum of none is null. */
    EventSums plus(@Nullable BigDecimal cost, boolean isPlanned) {
      if (cost == null) {
        return new EventSums(planned, unplanned, withoutCost + 1);
      }
      return isPlanned
          ? new EventSums(planned == null ? cost : planned.add(cost), unplanned, withoutCost)
          : new EventSums(planned, unplanned == null ? cost : unplanned.add(cost), withoutCost);
    }
  }

  /**
   * The cost panel of {@code locations} (the organization's, ordered by id), their downtime read
   * through {@code downtime}. The rows are built in period order per
   * location and placed in their period's list in location-id order (no sort of the rows).
   * Events are summed per location and local period as {@link #eventSums} says.
   */
  private static MaintenanceCosts costs(DSLContext dsl, String orgId, TrendPeriod period, Window.Bounds b,
      List<WindowSums.LocationInfo> locations, TrendAnalyzer.PeriodReader downtimeReader) {
    String currency = dsl.select(ORGANIZATIONS.CURRENCY).from(ORGANIZATIONS)
        .where(ORGANIZATIONS.ID.eq(orgId)).fetchOne(ORGANIZATIONS.CURRENCY);
    List<MaintenanceCosts.LocationPeriod> rows = new ArrayList<>();
    if (locations.isEmpty()) {
      return new MaintenanceCosts(orgId, Objects.requireNonNull(currency), period, b.start(), b.end(), rows);
    }
    Instant last = b.end().minus(1, ChronoUnit.MICROS);
    Map<String, LocalDate[]> ranges = new HashMap<>();
    LocalDate fromDate = null;
    LocalDate toDate = null;
    Instant fromInstant = null;
    Instant toInstant = null;
    for (WindowSums.LocationInfo l : locations) {
      LocalDate first = period.startOf(LocalDate.ofInstant(b.start(), l.zone()));
      LocalDate end = period.next(period.startOf(LocalDate.ofInstant(last, l.zone())));
      ranges.put(l.id(), new LocalDate[] {first, end});
      fromDate = fromDate == null || first.isBefore(fromDate) ? first : fromDate;
      toDate = toDate == null || end.isAfter(toDate) ? end : toDate;
      Instant f = first.atStartOfDay(l.zone()).toInstant();
      Instant t = end.atStartOfDay(l.zone()).toInstant();
      fromInstant = fromInstant == null || f.isBefore(fromInstant) ? f : fromInstant;
      toInstant = toInstant == null || t.isAfter(toInstant) ? t : toInstant;
    }
    Map<String, Map<LocalDate, ComponentSums>> downtime =
        downtimeReader.read(Objects.requireNonNull(fromDate), Objects.requireNonNull(toDate));
    Map<String, Map<LocalDate, EventSums>> events = eventSums(dsl, orgId, period,
        Objects.requireNonNull(fromInstant), Objects.requireNonNull(toInstant), locations);
    List<WindowSums.LocationInfo> byId = new ArrayList<>(locations);
    byId.sort(Comparator.comparing(WindowSums.LocationInfo::id));
    Map<LocalDate, List<MaintenanceCosts.LocationPeriod>> byPeriod = new HashMap<>();
    int count = 0;
    for (WindowSums.LocationInfo l : byId) {
      LocalDate[] range = ranges.get(l.id());
      Map<LocalDate, EventSums> mine = events.getOrDefault(l.id(), Map.of());
      Map<LocalDate, ComponentSums> days = downtime.getOrDefault(l.id(), Map.of());
      for (LocalDate p = range[0]; p.isBefore(range[1]); p = period.next(p)) {
        EventSums e = mine.get(p);
        BigDecimal plannedCost = e == null || e.planned() == null ? BigDecimal.ZERO : e.planned();
        BigDecimal unplannedCost = e == null || e.unplanned() == null ? BigDecimal.ZERO : e.unplanned();
        long noCost = e == null ? 0 : e.withoutCost();
        double hours = days.getOrDefault(p, ComponentSums.ZERO).downtimeHours();
        BigDecimal downtimeCost = l.downtimeCostPerHour() == null ? null
            : l.downtimeCostPerHour().multiply(BigDecimal.valueOf(hours)).setScale(2, RoundingMode.HALF_EVEN);
        byPeriod.computeIfAbsent(p, k -> new ArrayList<>()).add(new MaintenanceCosts.LocationPeriod(l.id(), l.name(),
            p, period.next(p), plannedCost == BigDecimal.ZERO ? ZERO_COST : plannedCost.setScale(2, RoundingMode.HALF_EVEN),
            unplannedCost == BigDecimal.ZERO ? ZERO_COST : unplannedCost.setScale(2, RoundingMode.HALF_EVEN),
            hours, downtimeCost, noCost));
        count++;
      }
    }
    List<LocalDate> periods = new ArrayList<>(byPeriod.keySet());
    periods.sort(null);
    rows = new ArrayList<>(count);
    for (LocalDate p : periods) {
      rows.addAll(byPeriod.get(p));
    }
    return new MaintenanceCosts(orgId, Objects.requireNonNull(currency), period, b.start(), b.end(), rows);
  }

  /**
   * The organization's maintenance events in {@code [from, to)} summed per location and local
   * period (the period of the event's local date in its location's zone), keyed by location id,
   * then period start. One statement reads the events' location, time, cost and kind by column
   * index; they are summed here: a period holds about three events of a location, so the server's
   * grouping saved few rows but cost a time-zone conversion by zone name and a numeric aggregate per
   * event, several times the read. The sums are exact (decimal), the same in any order.
   */
  private static Map<String, Map<LocalDate, EventSums>> eventSums(DSLContext dsl, String orgId, TrendPeriod period,
      Instant from, Instant to, List<WindowSums.LocationInfo> locations) {
    Map<String, java.time.ZoneId> zones = new HashMap<>();
    locations.forEach(l -> zones.put(l.id(), l.zone()));
    String sql = "SELECT location_id, occurred_at, cost, planned FROM " + dsl.render(MAINTENANCE_EVENTS)
        + " WHERE organization_id = ? AND occurred_at >= ? AND occurred_at < ?";
    Map<String, Map<LocalDate, EventSums>> out = new HashMap<>();
    dsl.connection(c -> {
      try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
        p.setString(1, orgId);
        p.setObject(2, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
        p.setObject(3, java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
        try (java.sql.ResultSet rs = p.executeQuery()) {
          String location = null;
          java.time.ZoneId zone = null;
          Map<LocalDate, EventSums> mine = null;
          while (rs.next()) {
            String id = rs.getString(1);
            if (!id.equals(location)) {
              location = id;
              zone = zones.get(id);
              mine = out.computeIfAbsent(id, k -> new HashMap<>());
            }
            if (zone == null) {
              continue; // not a location of the organization (the foreign key rules it out)
            }
            Instant at = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
            BigDecimal cost = rs.getBigDecimal(3);
            boolean planned = rs.getBoolean(4);
            LocalDate p0 = period.startOf(LocalDate.ofInstant(at, zone));
            EventSums e = mine.get(p0);
            mine.put(p0, e == null ? EventSums.of(cost, planned) : e.plus(cost, planned));
          }
        }
      }
    });
    return out;
  }
}
