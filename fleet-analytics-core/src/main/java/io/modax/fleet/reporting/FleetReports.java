package io.modax.fleet.reporting;

import static io.modax.fleet.internal.jooq.Tables.LOCATIONS;
import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENTS;
import static io.modax.fleet.internal.jooq.Tables.ORGANIZATIONS;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.analytics.BenchmarkOptions;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.FleetBenchmarking;
import io.modax.fleet.analytics.FleetDashboard;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.MaintenanceCosts;
import io.modax.fleet.analytics.TrendAnalyzer;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import io.modax.fleet.internal.jooq.Routines;
import io.modax.fleet.internal.jooq.Tables;
import io.modax.fleet.statistics.DifferenceTest;
import io.modax.fleet.statistics.Significance;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Executive summaries and location reports for a day, week or month of an organization's
 * calendar, built on the analyses of {@code io.modax.fleet.analytics}.
 *
 * <pre>{@code
 * FleetReports reports = fleet.reports();
 * ExecutiveSummary week = reports.executiveSummary(caller, "acme", ReportPeriod.WEEK); // last week
 * Files.writeString(Path.of("report.html"), HtmlReport.render(week));
 * }</pre>
 *
 * <p><b>Periods.</b> A report covers a {@link ReportWindow}: by default the last complete day,
 * week or month in the organization's time zone ({@code organizations.timezone}) at the library's
 * clock ({@link #lastCompleted}). Key metrics are compared with the previous period of the same
 * kind (the day, week or month before).
 *
 * <p><b>Findings and recommendations</b> follow from the analyses by fixed rules, with the
 * constants of this class: a location's MTTR at least {@value #MTTR_RATIO} times the rest of the
 * fleet's, its MTBF at most 1/{@value #MTBF_RATIO} of it, each over at least {@value
 * #MIN_FAILURES} failures and significant at {@value #SIGNIFICANCE_LEVEL} where a test is possible
 * (Mann-Whitney on the repair hours of the failure events; an exact test of two Poisson rates for
 * failures per production hour); an OEE below the gauge's warning threshold and at least {@value
 * #OEE_GAP_POINTS} below the rest of the fleet's; a significantly rising failure rate (the
 * dashboard's alert); energy per production hour at least {@value #ENERGY_RATIO} times the rest's;
 * a fleet OEE in the critical or warning band; a location without data. A fleet without such gaps
 * gets no recommendation.
 *
 * <p>Each report reads the analyses one after another (each in its own transaction), so a report
 * made while data arrives may mix a few seconds of it. Every call checks the caller ({@link
 * io.modax.fleet.AccessDeniedException}), its arguments ({@link InvalidRequestException}) and that
 * the organization (and location) exists ({@link NotFoundException}); it reads one organization
 * only.
 *
 * <p>Limits: every method refuses, with {@link io.modax.fleet.InvalidRequestException} naming the
 * limit, an organization with more locations than the configured {@code
 * maxLocationsPerOrganization} (see {@code docs/reliability.md}).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class FleetReports {

  /** The significance level of the tests behind findings: 0.05. */
  public static final double SIGNIFICANCE_LEVEL = 0.05;

  /** Fewest failures at a location in the period for an MTTR or MTBF recommendation: 5. */
  public static final int MIN_FAILURES = 5;

  /** A location's MTTR at least this many times the rest of the fleet's is a finding: 1.5. */
  public static final double MTTR_RATIO = 1.5;

  /** The rest of the fleet's MTBF at least this many times the location's is a finding: 1.5. */
  public static final double MTBF_RATIO = 1.5;

  /** Energy per production hour at least this many times the rest of the fleet's: 1.25. */
  public static final double ENERGY_RATIO = 1.25;

  /** A location's OEE at least this far (a fraction: 5 points) below or above the rest's. */
  public static final double OEE_GAP_POINTS = 0.05;

  /**
   * Totals are compared with the previous period only when its snapshots per hour are within this
   * fraction (20%) of the period's own.
   */
  public static final double COVERAGE_TOLERANCE = 0.2;

  /** A change of the fleet's OEE against the previous period of at least 3 points is a finding. */
  public static final double OEE_CHANGE_POINTS = 0.03;

  private final Engine engine;
  private final FleetDashboard dashboard;
  private final FleetBenchmarking benchmarking;
  private final TrendAnalyzer trends;

  static {
    Services.register(FleetReports.class, FleetReports::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#reports()} (through {@link Services}). */
  FleetReports(Engine engine) {
    this.engine = engine;
    this.dashboard = Services.create(FleetDashboard.class, engine);
    this.benchmarking = Services.create(FleetBenchmarking.class, engine);
    this.trends = Services.create(TrendAnalyzer.class, engine);
  }

  /**
   * The organization's last complete day, week or month at the library's clock, in its time zone
   * (see {@link ReportCadence}).
   *
   * @throws NotFoundException when the organization does not exist
   */
  public ReportWindow lastCompleted(CallerContext caller, String organizationId, ReportPeriod period) {
    String orgId = readable(caller, organizationId);
    Checks.requireNonNull("period", period);
    Organization org = engine.warehouse().inReadTransaction(orgId, "reading the organization",
        (c, dsl) -> organization(dsl, orgId));
    return ReportCadence.lastCompleted(period, org.zone(), engine.clock().instant());
  }

  /** The executive summary of the organization's last complete period, with the design's thresholds. */
  public ExecutiveSummary executiveSummary(CallerContext caller, String organizationId, ReportPeriod period) {
    return executiveSummary(caller, organizationId, lastCompleted(caller, organizationId, period),
        FleetHealth.Thresholds.DEFAULT);
  }

  /**
   * The executive summary of one period, with the gauge's bands at {@code thresholds}.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param window the period (usually from {@link #lastCompleted} or {@link ReportCadence}); a
   *     period not yet over gives a partial report ({@link ExecutiveSummary#complete()} false)
   * @param thresholds the gauge's bands
   * @throws InvalidRequestException when an argument is null, the history is longer than the
   *     configured maximum window, or the organization has more locations than {@code
   *     maxIdsPerRequest} (the summary benchmarks each location against all others)
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public ExecutiveSummary executiveSummary(CallerContext caller, String organizationId, ReportWindow window,
      FleetHealth.Thresholds thresholds) {
    String orgId = readable(caller, organizationId);
    Checks.requireNonNull("window", window);
    Checks.requireNonNull("thresholds", thresholds);
    Gathered g = gather(caller, orgId, window, thresholds, null);
    List<LocationPerformance> ranked = g.current().locations().stream().filter(p -> p.oee() != null).toList();
    LocationPerformance best = ranked.isEmpty() ? null : ranked.get(0);
    LocationPerformance worst = ranked.size() < 2 ? null : ranked.get(ranked.size() - 1);
    ComponentSums fleet = total(g.sums().values());
    ComponentSums fleetBefore = total(g.previousSums().values());
    List<KeyMetric> metrics = keyMetrics(fleet, fleetBefore, totalCost(g.periodCosts().values()),
        totalCost(g.previousCosts().values()), engine.aggregationMode(), window);
    Finding.Significance failuresChange = changeTest(fleet, fleetBefore);
    Rules.Outcome outcome = Rules.evaluate(g.health(), metrics, failuresChange, evidence(g, null));
    return new ExecutiveSummary(orgId, g.org().name(), g.org().currency(), window,
        window.isCompleteAt(g.now()), g.now(), engine.aggregationMode(), metrics, g.health(), best, worst,
        g.current(), g.map(), List.copyOf(g.benchmarks().values()), g.trends(), g.costs(),
        List.copyOf(g.periodCosts().values()), outcome.findings(), outcome.recommendations());
  }

  /** The report of one location for the organization's last complete period. */
  public LocationReport locationReport(CallerContext caller, String organizationId, String locationId,
      ReportPeriod period) {
    return locationReport(caller, organizationId, locationId, lastCompleted(caller, organizationId, period),
        FleetHealth.Thresholds.DEFAULT);
  }

  /**
   * The report of one location for one period: the executive summary's depth for that location.
   *
   * @throws InvalidRequestException when an argument is null or an id is malformed
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization or location does not exist
   */
  public LocationReport locationReport(CallerContext caller, String organizationId, String locationId,
      ReportWindow window, FleetHealth.Thresholds thresholds) {
    String orgId = readable(caller, organizationId);
    Checks.requireId("locationId", locationId);
    Checks.requireNonNull("window", window);
    Checks.requireNonNull("thresholds", thresholds);
    Gathered g = gather(caller, orgId, window, thresholds, locationId);
    if (!g.benchmarks().containsKey(locationId)) {
      throw new NotFoundException("location '" + Checks.printable(locationId) + "' is not a location of organization '"
          + Checks.printable(orgId) + "'");
    }
    LocationMarker marker = g.map().stream().filter(m -> m.locationId().equals(locationId)).findFirst().orElseThrow();
    LocationPerformance performance = g.current().locations().stream()
        .filter(p -> p.locationId().equals(locationId)).findFirst().orElseThrow();
    List<LocationPerformance> ranked = g.current().locations().stream().filter(p -> p.oee() != null).toList();
    int rank = 0;
    for (int i = 0; i < ranked.size(); i++) {
      if (ranked.get(i).locationId().equals(locationId)) {
        rank = i + 1;
      }
    }
    ComponentSums now = g.sums().getOrDefault(locationId, ComponentSums.ZERO);
    ComponentSums before = g.previousSums().getOrDefault(locationId, ComponentSums.ZERO);
    PeriodCost cost = g.periodCosts().get(locationId);
    PeriodCost costBefore = g.previousCosts().get(locationId);
    List<KeyMetric> metrics = keyMetrics(now, before, cost == null ? null : cost.totalCost(),
        costBefore == null ? null : costBefore.totalCost(), engine.aggregationMode(), window);
    FleetHealth.Status status = thresholds.classify(performance.oee());
    // the fleet's health frames the location's findings; only the location's own rules apply
    FleetHealth own = new FleetHealth(orgId, window.start(), window.end(), engine.aggregationMode(),
        performance.oee(), FleetHealth.Status.NO_DATA, thresholds);
    Rules.Outcome outcome = Rules.evaluate(own, List.of(), null, evidence(g, locationId));
    return new LocationReport(orgId, g.org().name(), g.org().currency(), window, window.isCompleteAt(g.now()),
        g.now(), engine.aggregationMode(), marker, g.zones().get(locationId).getId(), metrics, status, thresholds,
        performance, rank, ranked.size(), g.benchmarks().get(locationId), g.trends().of(locationId),
        g.costs().rows().stream().filter(r -> r.locationId().equals(locationId)).toList(),
        cost == null ? new PeriodCost(locationId, marker.locationName(), BigDecimal.ZERO.setScale(2),
            BigDecimal.ZERO.setScale(2), 0, null) : cost,
        g.map(), outcome.findings(), outcome.recommendations());
  }

  // ------------------------------------------------------------------ gathering

  private record Organization(String name, ZoneId zone, String currency) {}

  private record Place(String id, String name, ZoneId zone, @Nullable BigDecimal downtimeCostPerHour) {}

  /** Everything a report reads, per location keyed by id in id order. */
  private record Gathered(
      Organization org,
      Instant now,
      FleetHealth health,
      List<LocationMarker> map,
      LocationComparison current,
      Map<String, LocationBenchmark> benchmarks,
      FailureTrends trends,
      MaintenanceCosts costs,
      Map<String, ZoneId> zones,
      Map<String, ComponentSums> sums,
      Map<String, ComponentSums> previousSums,
      Map<String, PeriodCost> periodCosts,
      Map<String, PeriodCost> previousCosts,
      Map<String, double[]> repairHours) {}

  /** What a report needs; benchmarks of every location, or of {@code only} when it is given. */
  private Gathered gather(CallerContext caller, String orgId, ReportWindow window, FleetHealth.Thresholds thresholds,
      @Nullable String only) {
    Instant now = engine.clock().instant();
    Window period = window.toWindow();
    if (only == null) {
      // a summary benchmarks every location: refused before any of its work when there are too many
      int max = engine.limits().maxIdsPerRequest();
      int n = engine.warehouse().inReadTransaction(orgId, "counting locations", (c, dsl) ->
          dsl.fetchCount(dsl.selectOne().from(LOCATIONS).where(LOCATIONS.ORGANIZATION_ID.eq(orgId)).limit(max + 1)));
      io.modax.fleet.internal.Limits.require("maxIdsPerRequest", max, n,
          "(or more) locations to benchmark at once for the summary (every location of the organization)");
    }
    // the analyses first: they check the organization and fold in rollups changed by other SQL
    FleetHealth health = dashboard.fleetHealth(caller, orgId, thresholds, period);
    List<LocationMarker> map = dashboard.locationMap(caller, orgId, thresholds, period);
    LocationComparison current = dashboard.oeeByLocation(caller, orgId, period);
    Window history = Window.between(window.historyStart(), window.end());
    FailureTrends trendRows = trends.failureTrends(caller, orgId, window.period().trendPeriod(), history);
    MaintenanceCosts costs = dashboard.maintenanceCosts(caller, orgId, window.period().trendPeriod(), history);
    Map<String, LocationBenchmark> benchmarks = new LinkedHashMap<>();
    if (only == null) {
      // every location's own benchmark, in one pass over the fleet's sums (not one per location)
      Map<String, LocationBenchmark> each =
          benchmarking.benchmarkEachLocation(caller, orgId, period, BenchmarkOptions.defaults());
      for (LocationMarker m : map) {
        benchmarks.put(m.locationId(), each.get(m.locationId()));
      }
    } else if (map.stream().anyMatch(m -> m.locationId().equals(only))) {
      benchmarks.put(only, benchmarking.benchmarkLocation(caller, orgId, only, period));
    }
    ReportWindow previous = window.previous();
    return engine.warehouse().inReadTransaction(orgId, "reading a report's sums", (c, dsl) -> {
      Organization org = organization(dsl, orgId);
      List<Place> places = places(dsl, orgId);
      Map<String, ZoneId> zones = new LinkedHashMap<>();
      places.forEach(p -> zones.put(p.id(), p.zone()));
      Map<String, ComponentSums> sums = sums(dsl, orgId, window.start(), window.end());
      Map<String, ComponentSums> previousSums = sums(dsl, orgId, previous.start(), previous.end());
      return new Gathered(org, now, health, map, current, benchmarks, trendRows, costs, zones, sums, previousSums,
          periodCosts(dsl, orgId, places, sums, window.start(), window.end()),
          periodCosts(dsl, orgId, places, previousSums, previous.start(), previous.end()),
          repairHours(dsl, orgId, window.start(), window.end()));
    });
  }

  private List<Rules.LocationEvidence> evidence(Gathered g, @Nullable String only) {
    ComponentSums fleet = total(g.sums().values());
    List<Rules.LocationEvidence> out = new ArrayList<>();
    for (LocationMarker m : g.map()) {
      if (only != null && !only.equals(m.locationId())) {
        continue;
      }
      ComponentSums s = g.sums().getOrDefault(m.locationId(), ComponentSums.ZERO);
      long restFailures = fleet.failures() - s.failures();
      double restHours = fleet.failureExposureHours() - s.failureExposureHours();
      out.add(new Rules.LocationEvidence(m.locationId(), m.locationName(), g.benchmarks().get(m.locationId()),
          s.failures(), s.failureExposureHours(), restFailures, restHours, repairTest(g.repairHours(), m.locationId()),
          m.alerts()));
    }
    return out;
  }

  /** Mann-Whitney of the location's repair hours per failure against the rest's; null if too few. */
  private static Finding.@Nullable Significance repairTest(Map<String, double[]> repairHours, String locationId) {
    double[] own = repairHours.getOrDefault(locationId, new double[0]);
    List<Double> rest = new ArrayList<>();
    repairHours.forEach((id, v) -> {
      if (!id.equals(locationId)) {
        for (double d : v) {
          rest.add(d);
        }
      }
    });
    if (own.length < MIN_FAILURES || rest.size() < MIN_FAILURES) {
      return null;
    }
    DifferenceTest t = Significance.mannWhitney(own, rest.stream().mapToDouble(Double::doubleValue).toArray(), 0.95);
    return new Finding.Significance("Mann-Whitney U on repair hours per failure event, two-sided", t.pValue(),
        t.pValue() < SIGNIFICANCE_LEVEL);
  }

  /** Two-sided exact test of the fleet's failure rate now against the previous period. */
  private static Finding.@Nullable Significance changeTest(ComponentSums now, ComponentSums before) {
    double rNow = now.failureExposureHours() > 0 ? now.failures() / now.failureExposureHours() : 0;
    double rBefore = before.failureExposureHours() > 0 ? before.failures() / before.failureExposureHours() : 0;
    Finding.Significance one = rNow >= rBefore
        ? Rules.rateTest(now.failures(), now.failureExposureHours(), before.failures(), before.failureExposureHours(), "")
        : Rules.rateTest(before.failures(), before.failureExposureHours(), now.failures(), now.failureExposureHours(), "");
    if (one == null) {
      return null;
    }
    double p = Math.min(1, 2 * one.pValue());
    return new Finding.Significance(
        "exact test of two Poisson rates, failures per production hour against the previous period, two-sided",
        p, p < SIGNIFICANCE_LEVEL);
  }

  /**
   * The key metrics of a period against the previous one. Totals (failures, downtime, cost) are
   * compared only when both periods have about as much data: snapshots per hour within {@link
   * #COVERAGE_TOLERANCE} of each other; otherwise they carry a note instead of a change.
   */
  static List<KeyMetric> keyMetrics(ComponentSums now, ComponentSums before, @Nullable BigDecimal cost,
      @Nullable BigDecimal costBefore, AggregationMode mode, ReportWindow window) {
    double densityNow = now.snapshotCount() / (window.length().toSeconds() / 3600.0);
    double densityBefore = before.snapshotCount() / (window.previous().length().toSeconds() / 3600.0);
    String note = null;
    if (densityNow > 0 && densityBefore > 0 && Math.abs(densityBefore / densityNow - 1) > COVERAGE_TOLERANCE) {
      note = String.format(java.util.Locale.ROOT, "the previous %s has %.0f%% of this one's snapshots per hour:"
          + " totals not compared", window.period().noun(), densityBefore / densityNow * 100);
    }
    List<KeyMetric> out = new ArrayList<>();
    for (KeyMetric.Kind k : KeyMetric.Kind.values()) {
      Double v;
      Double p;
      switch (k) {
        case MAINTENANCE_COST -> {
          v = cost == null ? null : cost.doubleValue();
          p = costBefore == null ? null : costBefore.doubleValue();
        }
        case DOWNTIME_HOURS -> {
          v = now.snapshotCount() == 0 ? null : now.downtimeHours();
          p = before.snapshotCount() == 0 ? null : before.downtimeHours();
        }
        default -> {
          v = value(k, now, mode);
          p = value(k, before, mode);
        }
      }
      out.add(note != null && k.additive() && v != null && p != null
          ? KeyMetric.notComparable(k, v, p, note) : KeyMetric.of(k, v, p));
    }
    return out;
  }

  /** A key metric's value over summed components; the definitions are {@link ComponentSums}'. */
  private static @Nullable Double value(KeyMetric.Kind kind, ComponentSums s, AggregationMode mode) {
    if (s.snapshotCount() == 0) {
      return null;
    }
    boolean seed = mode == AggregationMode.SEED_COMPATIBLE;
    return switch (kind) {
      case OEE -> seed ? s.seedOee() : s.oee();
      case UPTIME -> seed ? s.seedUptime() : s.uptime();
      case EFFICIENCY -> seed ? s.seedEfficiency() : s.efficiency();
      case FAILURES -> (double) s.failures();
      case MTBF -> seed ? s.seedMtbf() : s.mtbf();
      case MTTR -> seed ? s.seedMttr() : s.mttr();
      case ENERGY -> seed ? s.seedEnergy() : s.energyPerProductionHour();
      case DOWNTIME_HOURS -> s.downtimeHours();
      case MAINTENANCE_COST -> null;
    };
  }

  private static ComponentSums total(Iterable<ComponentSums> sums) {
    ComponentSums t = ComponentSums.ZERO;
    for (ComponentSums s : sums) {
      t = t.plus(s);
    }
    return t;
  }

  private static @Nullable BigDecimal totalCost(Iterable<PeriodCost> costs) {
    BigDecimal t = null;
    for (PeriodCost c : costs) {
      t = t == null ? c.totalCost() : t.add(c.totalCost());
    }
    return t;
  }

  // ------------------------------------------------------------------ reads (one organization each)

  private static String readable(CallerContext caller, String organizationId) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    caller.checkRead(orgId);
    return orgId;
  }

  private static Organization organization(DSLContext dsl, String orgId) {
    Record r = dsl.select(ORGANIZATIONS.NAME, ORGANIZATIONS.TIMEZONE, ORGANIZATIONS.CURRENCY)
        .from(ORGANIZATIONS).where(ORGANIZATIONS.ID.eq(orgId)).fetchOne();
    if (r == null) {
      throw new NotFoundException("organization '" + Checks.printable(orgId) + "' does not exist");
    }
    return new Organization(r.get(ORGANIZATIONS.NAME), ZoneId.of(r.get(ORGANIZATIONS.TIMEZONE)),
        r.get(ORGANIZATIONS.CURRENCY));
  }

  private static List<Place> places(DSLContext dsl, String orgId) {
    List<Place> out = new ArrayList<>();
    dsl.select(LOCATIONS.ID, LOCATIONS.NAME, LOCATIONS.TIMEZONE, LOCATIONS.DOWNTIME_COST_PER_HOUR)
        .from(LOCATIONS).where(LOCATIONS.ORGANIZATION_ID.eq(orgId)).orderBy(LOCATIONS.ID)
        .forEach(r -> out.add(new Place(r.value1(), r.value2(), ZoneId.of(r.value3()), r.value4())));
    return out;
  }

  private static Map<String, ComponentSums> sums(DSLContext dsl, String orgId, Instant from, Instant to) {
    if (!dsl.connectionResult(io.modax.fleet.internal.Warehouse::onReplica)
        && dsl.fetchExists(dsl.selectOne().from(Tables.FLEET_ROLLUP_DIRTY)
        .where(Tables.FLEET_ROLLUP_DIRTY.ORGANIZATION_ID.eq(orgId)))) {
      Routines.refreshDirtyFleetRollups(dsl.configuration(), orgId);
    }
    Map<String, ComponentSums> out = new LinkedHashMap<>();
    // streamed: a fetched result of every location's 33 columns held several times the sums kept
    try (org.jooq.Cursor<? extends Record> result = dsl.selectFrom(Tables.FLEET_WINDOW_SUMS(orgId, null, from, to))
        .orderBy(Tables.FLEET_WINDOW_SUMS.LOCATION_ID).fetchSize(1_000).fetchLazy()) {
      java.util.function.Function<Record, ComponentSums> sums = ComponentSums.reader(result.fields());
      for (Record r : result) {
        out.put(r.get(Tables.FLEET_WINDOW_SUMS.LOCATION_ID), sums.apply(r));
      }
    }
    return out;
  }

  private static Map<String, PeriodCost> periodCosts(DSLContext dsl, String orgId, List<Place> places,
      Map<String, ComponentSums> sums, Instant from, Instant to) {
    Field<BigDecimal> planned = DSL.sum(MAINTENANCE_EVENTS.COST).filterWhere(MAINTENANCE_EVENTS.PLANNED.isTrue());
    Field<BigDecimal> unplanned = DSL.sum(MAINTENANCE_EVENTS.COST).filterWhere(MAINTENANCE_EVENTS.PLANNED.isFalse());
    Map<String, Record> events = new HashMap<>();
    dsl.select(MAINTENANCE_EVENTS.LOCATION_ID, planned, unplanned)
        .from(MAINTENANCE_EVENTS)
        .where(MAINTENANCE_EVENTS.ORGANIZATION_ID.eq(orgId)
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.ge(from))
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.lt(to)))
        .groupBy(MAINTENANCE_EVENTS.LOCATION_ID)
        .forEach(r -> events.put(r.get(MAINTENANCE_EVENTS.LOCATION_ID), r));
    Map<String, PeriodCost> out = new LinkedHashMap<>();
    for (Place p : places) {
      Record e = events.get(p.id());
      BigDecimal pl = e == null || e.get(planned) == null ? BigDecimal.ZERO : e.get(planned);
      BigDecimal un = e == null || e.get(unplanned) == null ? BigDecimal.ZERO : e.get(unplanned);
      double hours = sums.getOrDefault(p.id(), ComponentSums.ZERO).downtimeHours();
      BigDecimal downtime = p.downtimeCostPerHour() == null ? null
          : p.downtimeCostPerHour().multiply(BigDecimal.valueOf(hours)).setScale(2, RoundingMode.HALF_EVEN);
      out.put(p.id(), new PeriodCost(p.id(), p.name(), pl.setScale(2, RoundingMode.HALF_EVEN),
          un.setScale(2, RoundingMode.HALF_EVEN), hours, downtime));
    }
    return out;
  }

  private static Map<String, double[]> repairHours(DSLContext dsl, String orgId, Instant from, Instant to) {
    Map<String, List<Double>> byLocation = new LinkedHashMap<>();
    dsl.select(MAINTENANCE_EVENTS.LOCATION_ID, MAINTENANCE_EVENTS.REPAIR_HOURS)
        .from(MAINTENANCE_EVENTS)
        .where(MAINTENANCE_EVENTS.ORGANIZATION_ID.eq(orgId)
            .and(MAINTENANCE_EVENTS.EVENT_TYPE.eq("failure"))
            .and(MAINTENANCE_EVENTS.REPAIR_HOURS.isNotNull())
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.ge(from))
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.lt(to)))
        .forEach(r -> byLocation.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
    Map<String, double[]> out = new LinkedHashMap<>();
    byLocation.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return out;
  }
}
