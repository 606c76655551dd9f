package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.DEVICES;
import static io.modax.fleet.internal.jooq.Tables.LOCATIONS;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import io.modax.fleet.statistics.BenchmarkPosition;
import io.modax.fleet.statistics.BenchmarkReference;
import io.modax.fleet.statistics.Benchmarks;
import io.modax.fleet.statistics.DifferenceTest;
import io.modax.fleet.statistics.LocationDifference;
import io.modax.fleet.statistics.LocationProfile;
import io.modax.fleet.statistics.PeerGroup;
import io.modax.fleet.statistics.PeerGrouping;
import io.modax.fleet.statistics.PeerGroups;
import io.modax.fleet.statistics.PercentileBands;
import io.modax.fleet.statistics.Significance;
import io.modax.fleet.statistics.StatisticalMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The design's {@code FleetBenchmarking}: a location against the fleet, with the statistics that
 * make a difference a finding (a significance test on daily values), like-for-like peer groups,
 * and calibration against reference values and the fleet's percentile bands.
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization. Relative
 * windows end at the library's {@link java.time.Clock}. Bad arguments throw {@link
 * InvalidRequestException} naming the value and the rule. Every query reads one organization.
 *
 * <p>Limits: every method refuses, with {@link io.modax.fleet.InvalidRequestException} naming the
 * limit, an organization with more locations than the configured {@code
 * maxLocationsPerOrganization} (see {@code docs/reliability.md}).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class FleetBenchmarking {

  /** The window when none is given: the last 30 days, as in the design. */
  public static final Window DEFAULT_WINDOW = Window.lastDays(30);

  /**
   * Relative differences smaller than this many percent read as {@link
   * LocationBenchmark.Status#ON_PAR}: 1%. A plain threshold, not a significance test, used only
   * where no test is made ({@link AggregationMode#SEED_COMPATIBLE}); elsewhere the status is the
   * test's verdict ({@link LocationBenchmark.MetricBenchmark#verdict()}).
   */
  public static final double ON_PAR_PERCENT = 1.0;

  private final Engine engine;

  static {
    Services.register(FleetBenchmarking.class, FleetBenchmarking::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#benchmarking()} (through {@link Services}). */
  FleetBenchmarking(Engine engine) {
    this.engine = engine;
  }

  /**
   * The location against the fleet over the last 30 days ({@link #DEFAULT_WINDOW}) with {@link
   * BenchmarkOptions#defaults()}.
   *
   * @see #benchmarkLocation(CallerContext, String, String, Window, BenchmarkOptions)
   */
  public LocationBenchmark benchmarkLocation(CallerContext caller, String organizationId, String locationId) {
    return benchmarkLocation(caller, organizationId, locationId, DEFAULT_WINDOW);
  }

  /**
   * The location against the fleet over a window with {@link BenchmarkOptions#defaults()}.
   *
   * @see #benchmarkLocation(CallerContext, String, String, Window, BenchmarkOptions)
   */
  public LocationBenchmark benchmarkLocation(
      CallerContext caller, String organizationId, String locationId, Window window) {
    return benchmarkLocation(caller, organizationId, locationId, window, BenchmarkOptions.defaults());
  }

  /**
   * The location's uptime, OEE, MTBF, MTTR and energy intensity over the window against the rest of
   * the fleet's, or the rest of its peer group's (the design's fleet average, the location
   * included, in {@link AggregationMode#SEED_COMPATIBLE}), with the difference in percent and a
   * status that reads in each metric's direction. See {@link LocationBenchmark}.
   *
   * <p>No division by zero: when the fleet value is 0 the difference is null and the status
   * follows from the values themselves (equal: on par; otherwise better or worse by direction).
   *
   * <p>By default each metric also carries a <b>significance test</b>: the location's values per
   * whole local day inside the window against the pooled daily values of the reference locations,
   * Welch's t-test or Mann–Whitney by {@link Significance#compare}'s rule, at {@link
   * BenchmarkOptions#alpha()}; one location is tested, so there is no false-discovery correction
   * (use {@link #benchmarkAllLocations} to test every location at once). And it carries the
   * <b>percentile bands</b> of the comparison group (one exposure-weighted value per location, the
   * location's own included) and, for metrics with reference values, the <b>calibration</b>
   * against them.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param locationId the location to benchmark
   * @param window the window; see {@link Window} for how each mode reads it
   * @param options whom to compare with, significance level, reference values
   * @throws InvalidRequestException when an id is malformed, the window or options are null, or the
   *     window is longer than the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization or location does not exist
   */
  public LocationBenchmark benchmarkLocation(CallerContext caller, String organizationId,
      String locationId, Window window, BenchmarkOptions options) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireId("locationId", locationId);
    Checks.requireNonNull("window", window);
    Checks.requireNonNull("options", options);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "benchmarking a location", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      Map<String, String> names = WindowSums.locationNames(dsl, orgId);
      WindowSums.requireKnown(names, List.of(locationId), orgId);
      WindowSums.refreshDirtyRollups(dsl, orgId);
      return benchmark(dsl, orgId, names, b, mode, options, locationId).locations().get(0);
    });
  }

  /**
   * Every location over the last 30 days ({@link #DEFAULT_WINDOW}) with {@link
   * BenchmarkOptions#defaults()}.
   *
   * @see #benchmarkAllLocations(CallerContext, String, Window, BenchmarkOptions)
   */
  public FleetBenchmark benchmarkAllLocations(CallerContext caller, String organizationId) {
    return benchmarkAllLocations(caller, organizationId, DEFAULT_WINDOW, BenchmarkOptions.defaults());
  }

  /**
   * Every location of the organization benchmarked as by {@link #benchmarkLocation(CallerContext,
   * String, String, Window, BenchmarkOptions)}, tested all at once: for each metric, the p-values
   * of all locations' tests are adjusted together by Benjamini–Hochberg and a location is
   * significantly better or worse only when its adjusted p-value is at most {@link
   * BenchmarkOptions#alpha()}, the false discovery rate. See {@link FleetBenchmark}.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param window the window; see {@link Window} for how each mode reads it
   * @param options whom to compare with, false discovery rate, reference values
   * @throws InvalidRequestException when the window or options are null, the window is longer
   *     than the configured maximum, or the organization has more locations than {@code
   *     maxIdsPerRequest} (each is tested against the pooled days of all others: benchmark single
   *     locations, or raise the limit)
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public FleetBenchmark benchmarkAllLocations(
      CallerContext caller, String organizationId, Window window, BenchmarkOptions options) {
    return benchmarkEvery(caller, organizationId, window, options, "benchmarking every location", true);
  }

  /**
   * Every location benchmarked on its own, exactly as {@link #benchmarkLocation(CallerContext,
   * String, String, Window, BenchmarkOptions)} answers for it (no correction across locations), in
   * one pass: the fleet's sums and days are read once, not once per location. For reports that
   * show each location's own benchmark. Keyed by location id, ordered by id.
   *
   * @throws InvalidRequestException when the window or options are null, the window is longer
   *     than the configured maximum, or the organization has more locations than {@code
   *     maxIdsPerRequest} (each is tested against the pooled days of all others)
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public Map<String, LocationBenchmark> benchmarkEachLocation(
      CallerContext caller, String organizationId, Window window, BenchmarkOptions options) {
    Map<String, LocationBenchmark> out = new LinkedHashMap<>();
    for (LocationBenchmark l :
        benchmarkEvery(caller, organizationId, window, options, "benchmarking each location", false).locations()) {
      out.put(l.locationId(), l);
    }
    return out;
  }

  /**
   * Every location of the organization benchmarked in one read transaction; {@code allAtOnce}: with
   * the false-discovery correction across the locations (else each as if benchmarked alone).
   */
  private FleetBenchmark benchmarkEvery(CallerContext caller, String organizationId, Window window,
      BenchmarkOptions options, String what, boolean allAtOnce) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("window", window);
    Checks.requireNonNull("options", options);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, what, (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      Map<String, String> names = WindowSums.locationNames(dsl, orgId);
      // each location is tested against the pooled days of the rest: time grows with the
      // locations times the fleet's days, so the locations tested at once count as ids
      io.modax.fleet.internal.Limits.require("maxIdsPerRequest", engine.limits().maxIdsPerRequest(),
          names.size(), "locations to benchmark at once (every location of the organization)");
      WindowSums.refreshDirtyRollups(dsl, orgId);
      return benchmark(dsl, orgId, names, b, mode, options, null, allAtOnce);
    });
  }

  /**
   * The organization's peer groups under the options' rule (one group of every location for
   * {@link BenchmarkOptions.PeerGroupRule#FLEET}): shift patterns and tags from the locations,
   * device-type mixes from the registered devices that are not decommissioned.
   *
   * @throws InvalidRequestException when the options are null
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public PeerGrouping peerGroups(CallerContext caller, String organizationId, BenchmarkOptions options) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("options", options);
    return engine.warehouse().inReadTransaction(orgId, "grouping locations", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      return grouping(dsl, orgId, options);
    });
  }

  // ------------------------------------------------------------------ the comparison

  private FleetBenchmark benchmark(DSLContext dsl, String orgId, Map<String, String> names,
      Window.Bounds b, AggregationMode mode, BenchmarkOptions options, @Nullable String only) {
    return benchmark(dsl, orgId, names, b, mode, options, only, only == null);
  }

  /**
   * The benchmark of one location ({@code only}) or of every location; {@code allAtOnce}: tested
   * together with the Benjamini–Hochberg correction, else each on its own as by {@link
   * #benchmarkLocation}.
   */
  private FleetBenchmark benchmark(DSLContext dsl, String orgId, Map<String, String> names,
      Window.Bounds b, AggregationMode mode, BenchmarkOptions options, @Nullable String only,
      boolean allAtOnce) {
    boolean seed = mode == AggregationMode.SEED_COMPATIBLE;
    Map<String, ComponentSums> sums = WindowSums.read(dsl, orgId, null, b.readFrom(), b.readTo());
    List<String> ids = List.copyOf(names.keySet());
    List<String> tested = only == null ? ids : List.of(only);
    PeerGrouping grouping = seed || options.peerGroups() == BenchmarkOptions.PeerGroupRule.FLEET
        ? null : grouping(dsl, orgId, options);

    // Whom each tested location is compared with: the rest of its group (the fleet, or its peer
    // group), the whole fleet in seed mode. Each group is held once; a location's reference is a
    // view of its group without it, so memory stays linear in the number of locations.
    Group fleetGroup = new Group(ids);
    Map<String, Group> peerGroups = new HashMap<>();
    Map<String, Reference> references = new LinkedHashMap<>();
    for (String id : tested) {
      PeerGroup g = grouping == null ? null : grouping.groupOf(id).orElse(null);
      if (seed) {
        references.put(id, new Reference(fleetGroup, null, null, "the whole fleet"));
      } else if (g != null && g.locationIds().size() > 1) {
        Group peers = peerGroups.computeIfAbsent(g.key(), k -> new Group(List.copyOf(g.locationIds())));
        references.put(id, new Reference(peers, id, g, "the rest of peer group " + g.key()));
      } else {
        references.put(id, new Reference(fleetGroup, id, null, g == null ? "the rest of the fleet"
            : "the rest of the fleet (peer group " + g.key() + " has no other location)"));
      }
    }

    Map<Metric, Map<String, LocationDifference>> tests = new HashMap<>();
    Map<Metric, Map<String, double[]>> daily = new HashMap<>();
    if (!seed) {
      Map<String, List<ComponentSums>> days =
          DailyRollup.wholeDaySums(dsl, orgId, b.readFrom(), b.readTo(), DAILY_COLUMNS);
      for (Metric m : LocationBenchmark.METRICS) {
        Map<String, double[]> values = new TreeMap<>();
        for (String id : ids) {
          double[] v = dailyValues(days.getOrDefault(id, List.of()), m);
          if (v.length > 0) {
            values.put(id, v);
          }
        }
        daily.put(m, values);
        Map<String, List<String>> testable = new LinkedHashMap<>();
        for (String id : tested) {
          Reference ref = references.get(id);
          int refDays = ref.group.days(m, values) - (values.containsKey(id) ? values.get(id).length : 0);
          if (values.containsKey(id) && values.get(id).length >= Significance.MIN_SAMPLE_SIZE
              && refDays >= Significance.MIN_SAMPLE_SIZE) {
            testable.put(id, ref.group.withValues(m, values).without(id));
          }
        }
        boolean higherIsBetter = testedHigherIsBetter(m);
        Map<String, LocationDifference> result = new HashMap<>();
        if (!allAtOnce) {
          for (Map.Entry<String, List<String>> t : testable.entrySet()) {
            double[] pooled = pool(values, t.getValue());
            result.put(t.getKey(),
                Significance.compare(values.get(t.getKey()), pooled, higherIsBetter, options.alpha()));
          }
        } else if (!testable.isEmpty()) {
          result.putAll(Significance.compareEachWithReference(values, testable, higherIsBetter, options.alpha()));
        }
        tests.put(m, result);
      }
    }

    List<LocationBenchmark> out = new ArrayList<>();
    for (String id : tested) {
      Reference ref = references.get(id);
      List<String> refs = ref.excluded == null ? ref.group.members : ref.group.without(id);
      ComponentSums location = sums.getOrDefault(id, ComponentSums.ZERO);
      // the group's exact total less the location's own: the sum of the rest, rounded once
      ComponentSums fleet = ref.group.total(sums).minus(ref.excluded == null ? null : location);
      List<LocationBenchmark.MetricBenchmark> metrics = new ArrayList<>();
      for (Metric m : LocationBenchmark.METRICS) {
        Double lv = m.valueOf(location, mode);
        Double fv = m.valueOf(fleet, mode);
        if (seed) {
          metrics.add(compare(m, lv, fv));
          continue;
        }
        // bands over the comparison group, the location's own value included: the whole group
        double[] groupValues = ref.group.values(m, mode, sums);
        PercentileBands bands = groupValues.length == 0 ? null : ref.group.bands(m, groupValues);
        BenchmarkReference calibration0 = options.references().get(m);
        BenchmarkPosition calibration = calibration0 != null && lv != null && groupValues.length > 0
            ? Benchmarks.position(lv, groupValues, calibration0) : null;
        LocationDifference d = tests.get(m).get(id);
        Map<String, double[]> values = daily.get(m);
        String why = null;
        if (d == null) {
          int own = values.containsKey(id) ? values.get(id).length : 0;
          int other = ref.group.days(m, values) - own;
          why = "not tested: " + own + " daily " + dailyName(m) + " value(s) at the location and " + other
              + " at the reference locations; the test needs at least " + Significance.MIN_SAMPLE_SIZE
              + " on each side (whole local days inside the window with a value)";
        }
        metrics.add(withStatistics(compare(m, lv, fv), d == null ? null : dailyName(m), d, bands, calibration,
            d == null ? null : describe(m, d, ref.comparedWith, refs, allAtOnce, options.alpha()), why));
      }
      out.add(new LocationBenchmark(orgId, id, names.get(id), b.start(), b.end(), mode, seed,
          ref.comparedWith, ref.peerGroup, ref.group.sortedWithout(ref.excluded), metrics));
    }
    return new FleetBenchmark(orgId, b.start(), b.end(), mode, options, grouping, out);
  }

  /** A tested location's comparison group, whether it is left out of it, and the words for it. */
  private record Reference(Group group, @Nullable String excluded, @Nullable PeerGroup peerGroup,
      String comparedWith) {}

  /**
   * A comparison group (the fleet or a peer group) with what every member's benchmark needs from it
   * computed once: its exact component total, its members with daily values per metric, their day
   * counts, and the values and percentile bands per metric. Without these, each of n locations
   * would rebuild them from the n - 1 others: time and memory growing with n squared.
   */
  private static final class Group {
    final List<String> members;
    private final Map<String, Integer> position = new HashMap<>();
    private @Nullable List<String> sorted;
    private @Nullable Map<String, Integer> sortedPosition;
    private @Nullable ExactSums total;
    private final Map<Metric, Group> withValues = new HashMap<>();
    private final Map<Metric, Integer> days = new HashMap<>();
    private final Map<Metric, double[]> values = new HashMap<>();
    private final Map<Metric, PercentileBands> bands = new HashMap<>();

    Group(List<String> members) {
      this.members = members;
      for (int i = 0; i < members.size(); i++) {
        position.put(members.get(i), i);
      }
    }

    /** The members without one, in the group's order (a view). */
    List<String> without(String id) {
      Integer at = position.get(id);
      return new AllBut(members, at == null ? -1 : at);
    }

    /** The members without one (none when null), sorted (a view over one sorted copy). */
    List<String> sortedWithout(@Nullable String id) {
      if (sorted == null) {
        List<String> s = new ArrayList<>(members);
        s.sort(null);
        sorted = List.copyOf(s);
        Map<String, Integer> p = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
          p.put(sorted.get(i), i);
        }
        sortedPosition = p;
      }
      Integer at = id == null ? null : sortedPosition.get(id);
      return new AllBut(sorted, at == null ? -1 : at);
    }

    /** The members with daily values of the metric, in the group's order. */
    Group withValues(Metric m, Map<String, double[]> daily) {
      return withValues.computeIfAbsent(m, k -> new Group(members.stream().filter(daily::containsKey).toList()));
    }

    /** Daily values of the metric over all members. */
    int days(Metric m, Map<String, double[]> daily) {
      return days.computeIfAbsent(m, k -> members.stream().filter(daily::containsKey)
          .mapToInt(id -> daily.get(id).length).sum());
    }

    ExactSums total(Map<String, ComponentSums> sums) {
      if (total == null) {
        ExactSums t = new ExactSums();
        for (String id : members) {
          t.add(sums.getOrDefault(id, ComponentSums.ZERO));
        }
        total = t;
      }
      return total;
    }

    /** Each member's value of the metric (members without one left out), in the group's order. */
    double[] values(Metric m, AggregationMode mode, Map<String, ComponentSums> sums) {
      return values.computeIfAbsent(m, k -> members.stream()
          .map(id -> m.valueOf(sums.getOrDefault(id, ComponentSums.ZERO), mode))
          .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray());
    }

    PercentileBands bands(Metric m, double[] groupValues) {
      return bands.computeIfAbsent(m, k -> Benchmarks.bands(groupValues));
    }
  }

  /**
   * Component sums added exactly (hours as {@link java.math.BigDecimal}, counts as long), so that
   * a group's total less one member is the exact sum of the others, rounded once.
   */
  private static final class ExactSums {
    private static final java.lang.reflect.RecordComponent[] PARTS = ComponentSums.class.getRecordComponents();
    private final Object[] totals = new Object[PARTS.length];

    ExactSums() {
      for (int i = 0; i < PARTS.length; i++) {
        totals[i] = PARTS[i].getType() == long.class ? (Object) 0L : java.math.BigDecimal.ZERO;
      }
    }

    void add(ComponentSums s) {
      Object[] v = components(s);
      for (int i = 0; i < PARTS.length; i++) {
        totals[i] = v[i] instanceof Long l ? (Object) ((Long) totals[i] + l)
            : ((java.math.BigDecimal) totals[i]).add(new java.math.BigDecimal((Double) v[i]));
      }
    }

    /** The total, less {@code own} unless it is null. */
    ComponentSums minus(@Nullable ComponentSums own) {
      Object[] v = own == null ? null : components(own);
      Object[] args = new Object[PARTS.length];
      for (int i = 0; i < PARTS.length; i++) {
        if (totals[i] instanceof Long l) {
          args[i] = v == null ? l : l - (Long) v[i];
        } else {
          java.math.BigDecimal t = (java.math.BigDecimal) totals[i];
          args[i] = (v == null ? t : t.subtract(new java.math.BigDecimal((Double) v[i]))).doubleValue();
        }
      }
      try {
        return CONSTRUCTOR.newInstance(args);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Object[] components(ComponentSums s) {
      Object[] v = new Object[PARTS.length];
      try {
        for (int i = 0; i < PARTS.length; i++) {
          v[i] = PARTS[i].getAccessor().invoke(s);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      return v;
    }

    private static final java.lang.reflect.Constructor<ComponentSums> CONSTRUCTOR = constructor();

    private static java.lang.reflect.Constructor<ComponentSums> constructor() {
      try {
        return ComponentSums.class.getDeclaredConstructor(
            Arrays.stream(PARTS).map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The comparison of one metric's values; the one place the status rule lives. */
  static LocationBenchmark.MetricBenchmark compare(
      Metric metric, @Nullable Double location, @Nullable Double fleet) {
    if (location == null || fleet == null) {
      return new LocationBenchmark.MetricBenchmark(metric, location, fleet, null,
          LocationBenchmark.Status.NOT_COMPARABLE, null, null, null, null, null, null);
    }
    Double percent = fleet == 0 ? null : (location - fleet) / Math.abs(fleet) * 100;
    LocationBenchmark.Status status;
    if (percent != null ? Math.abs(percent) < ON_PAR_PERCENT : location.doubleValue() == fleet.doubleValue()) {
      status = LocationBenchmark.Status.ON_PAR;
    } else {
      boolean higher = location > fleet;
      status = higher == metric.higherIsBetter()
          ? LocationBenchmark.Status.BETTER : LocationBenchmark.Status.WORSE;
    }
    return new LocationBenchmark.MetricBenchmark(metric, location, fleet, percent, status,
        null, null, null, null, null, null);
  }

  private static LocationBenchmark.MetricBenchmark withStatistics(LocationBenchmark.MetricBenchmark m,
      @Nullable String dailyValue, @Nullable LocationDifference d, @Nullable PercentileBands bands,
      @Nullable BenchmarkPosition calibration, @Nullable StatisticalMethod method, @Nullable String notTested) {
    return new LocationBenchmark.MetricBenchmark(m.metric(), m.locationValue(), m.fleetValue(),
        m.differencePercent(), testedStatus(m.status(), d), dailyValue, d, bands, calibration, method,
        notTested);
  }

  /**
   * Where a test is made, the status is the test's verdict, so that a row never reads "on par"
   * beside "significantly better": significantly better or worse is {@code BETTER} or {@code
   * WORSE}, not significant is {@code ON_PAR} (no difference the data can show), and a metric that
   * could not be tested is {@code NOT_COMPARABLE} rather than better or worse by a threshold.
   */
  static LocationBenchmark.Status testedStatus(LocationBenchmark.Status threshold,
      @Nullable LocationDifference d) {
    if (threshold == LocationBenchmark.Status.NOT_COMPARABLE || d == null) {
      return LocationBenchmark.Status.NOT_COMPARABLE;
    }
    return switch (d.verdict()) {
      case SIGNIFICANTLY_BETTER -> LocationBenchmark.Status.BETTER;
      case SIGNIFICANTLY_WORSE -> LocationBenchmark.Status.WORSE;
      case NOT_SIGNIFICANT -> LocationBenchmark.Status.ON_PAR;
    };
  }

  // ------------------------------------------------------------------ daily values

  /** Failure rates are tested per this many production hours (the MTBF test's unit). */
  static final double RATE_HOURS = 1000;

  /** The components the daily values of the {@link LocationBenchmark#METRICS} are made of. */
  static final List<String> DAILY_COLUMNS = List.of("total_failures", "uptime_weighted_hours",
      "uptime_exposure_hours", "oee_productive_hours", "oee_planned_hours", "energy_kwh", "energy_exposure_hours",
      "failure_exposure_hours", "repair_hours", "repaired_failures");

  /**
   * The metric's value on each local day that has one, oldest first. MTBF becomes the failure
   * rate per {@value #RATE_HOURS} production hours, defined on every day with production (a day
   * without failures has no MTBF but a rate of 0). The same ratios as {@link Metric#valueOf} in
   * the exposure-weighted mode, without a boxed value per day.
   */
  static double[] dailyValues(List<ComponentSums> days, Metric metric) {
    double[] v = new double[days.size()];
    int n = 0;
    for (ComponentSums s : days) {
      double x = switch (metric) {
        case MTBF -> s.failureExposureHours() > 0 ? RATE_HOURS * s.failures() / s.failureExposureHours() : Double.NaN;
        case OEE -> ratio(s.oeeProductiveHours(), s.oeePlannedHours());
        case UPTIME -> ratio(s.uptimeWeightedHours(), s.uptimeExposureHours());
        case EFFICIENCY -> ratio(s.efficiencyWeightedHours(), s.efficiencyExposureHours());
        case ENERGY_CONSUMPTION -> ratio(s.energyKwh(), s.energyExposureHours());
        case MTTR -> ratio(s.repairHours(), s.repairedFailures());
        case TOTAL_FAILURES -> (double) s.failures();
      };
      if (Double.isFinite(x)) {
        v[n++] = x;
      }
    }
    return Arrays.copyOf(v, n);
  }

  /** {@link ComponentSums}' ratio rule (no exposure: no value), NaN for "no value". */
  private static double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : Double.NaN;
  }

  /** The direction of the tested daily quantity (MTBF is tested as a rate: lower is better). */
  static boolean testedHigherIsBetter(Metric m) {
    return m == Metric.MTBF ? false : m.higherIsBetter();
  }

  static String dailyName(Metric m) {
    return switch (m) {
      case OEE -> "OEE per local day (fraction)";
      case UPTIME -> "uptime per local day (fraction)";
      case EFFICIENCY -> "efficiency per local day (fraction)";
      case ENERGY_CONSUMPTION -> "kWh per production hour per local day";
      case MTBF -> "failures per 1,000 production hours per local day (for MTBF; lower is better)";
      case MTTR -> "repair hours per failure per local day with failures";
      case TOTAL_FAILURES -> "failures per local day";
    };
  }

  private static double[] pool(Map<String, double[]> values, List<String> ids) {
    return ids.stream().flatMapToDouble(id -> Arrays.stream(values.get(id))).toArray();
  }

  /** The comparison on daily values, for a person: data, test, p-values, assumptions, caveats. */
  private static StatisticalMethod describe(Metric m, LocationDifference d, String comparedWith,
      List<String> refs, boolean allAtOnce, double alpha) {
    DifferenceTest t = d.chosen();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("daily value", dailyName(m));
    p.put("compared with", comparedWith);
    p.put("location days", Integer.toString(t.locationSize()));
    p.put("reference days", t.referenceSize() + " (pooled from " + refs.size() + " location(s))");
    p.put("test", t.method().name());
    p.put("why this test", d.choiceReason());
    p.put("difference (location - reference)", fmt(t.estimate()));
    p.put("confidence interval", "[" + fmt(t.interval().lower()) + ", " + fmt(t.interval().upper()) + "] at "
        + fmt(t.interval().level()));
    p.put("p-value", fmt(t.pValue()));
    if (d.adjustedPValue() != null) {
      p.put("Benjamini–Hochberg adjusted p-value", fmt(d.adjustedPValue()));
      p.put("false discovery rate", fmt(alpha));
    } else {
      p.put("significance level", fmt(alpha));
    }
    p.put("verdict", d.verdict().name());
    List<String> assumptions = new ArrayList<>(List.of(
        "Each whole local day inside the window with a value is one observation; days count equally,"
            + " whatever their production hours (the window figures above are exposure-weighted).",
        "The reference is the pooled days of " + comparedWith + ": each reference location adds its"
            + " days, so one with more days adds more values; no day is weighted by size."));
    assumptions.addAll(t.method().assumptions());
    if (m == Metric.MTBF) {
      assumptions.add("MTBF is compared through the daily failure rate (failures per 1,000 production"
          + " hours): a higher rate means a lower MTBF.");
    }
    List<String> caveats = new ArrayList<>(t.method().caveats());
    caveats.add(allAtOnce
        ? "Every location was tested at once: the verdict uses the Benjamini–Hochberg adjusted p-value,"
            + " so up to a share " + fmt(alpha) + " of the locations flagged for this metric may be"
            + " false alarms."
        : "One location on five metrics: at a " + fmt(alpha) + " level, about one benchmark in four will"
            + " show at least one significant metric by chance alone; test every location at once"
            + " (benchmarkAllLocations) for a false-discovery guarantee.");
    if (m == Metric.MTTR) {
      caveats.add("Days without failures have no repair time and are left out; a day with one failure"
          + " weighs as much as a day with twenty.");
    }
    return new StatisticalMethod("Location vs " + comparedWith + " on daily values: " + t.method().name(),
        p, assumptions, caveats);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  // ------------------------------------------------------------------ peer groups

  private static PeerGrouping grouping(DSLContext dsl, String orgId, BenchmarkOptions options) {
    List<LocationProfile> profiles = profiles(dsl, orgId);
    return switch (options.peerGroups()) {
      case FLEET -> new PeerGrouping(
          List.of(new PeerGroup("fleet", profiles.stream().map(LocationProfile::locationId).sorted().toList())),
          new StatisticalMethod("No peer groups: the whole fleet", Map.of("locations",
              Integer.toString(profiles.size())), List.of("Every location is comparable with every other."),
              List.of("The fleet mixes unlike locations (device types, shift patterns): compare within peer"
                  + " groups instead.")));
      case SHIFT_PATTERN -> PeerGroups.byShiftPattern(profiles);
      case TAGS -> PeerGroups.byTag(profiles, options.tagPrefix());
      case DEVICE_MIX -> PeerGroups.byDeviceMix(profiles, options.minDeviceMixCosine());
      case SHIFT_PATTERN_AND_DEVICE_MIX ->
          PeerGroups.byShiftPatternAndDeviceMix(profiles, options.minDeviceMixCosine());
    };
  }

  /** Each location's device-type mix (devices not decommissioned), shift pattern and tags. */
  static List<LocationProfile> profiles(DSLContext dsl, String orgId) {
    Map<String, Map<String, Integer>> mix = new HashMap<>();
    dsl.select(DEVICES.LOCATION_ID, DEVICES.DEVICE_TYPE, DSL.count())
        .from(DEVICES)
        .where(DEVICES.ORGANIZATION_ID.eq(orgId).and(DEVICES.STATUS.ne("decommissioned")))
        .groupBy(DEVICES.LOCATION_ID, DEVICES.DEVICE_TYPE)
        .forEach(r -> mix.computeIfAbsent(r.value1(), k -> new HashMap<>()).put(r.value2(), r.value3()));
    List<LocationProfile> out = new ArrayList<>();
    dsl.select(LOCATIONS.ID, LOCATIONS.SHIFT_PATTERN, LOCATIONS.TAGS)
        .from(LOCATIONS)
        .where(LOCATIONS.ORGANIZATION_ID.eq(orgId))
        .orderBy(LOCATIONS.ID)
        .forEach(r -> out.add(new LocationProfile(r.value1(), mix.getOrDefault(r.value1(), Map.of()),
            r.value2(), r.value3() == null ? Set.of() : new HashSet<>(Arrays.asList(r.value3())))));
    return out;
  }
}
