package io.modax.fleet.analytics;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The design's {@code FleetBenchmarking}: a location against the fleet.
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization. Relative
 * windows end at the library's {@link java.time.Clock}. Bad arguments throw {@link
 * InvalidRequestException} naming the value and the rule.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class FleetBenchmarking {

  /** The window when none is given: the last 30 days, as in the design. */
  public static final Window DEFAULT_WINDOW = Window.lastDays(30);

  /**
   * Relative differences smaller than this many percent read as {@link
   * LocationBenchmark.Status#ON_PAR}: 1%. A plain threshold, not a significance test.
   */
  public static final double ON_PAR_PERCENT = 1.0;

  private final Engine engine;

  /**
   * Created by {@link io.modax.fleet.FleetAnalytics#benchmarking()}; hosts do not call this.
   *
   * @param engine the library's shared state
   */
  public FleetBenchmarking(Engine engine) {
    this.engine = engine;
  }

  /**
   * The location against the fleet over the last 30 days ({@link #DEFAULT_WINDOW}).
   *
   * @see #benchmarkLocation(CallerContext, String, String, Window)
   */
  public LocationBenchmark benchmarkLocation(CallerContext caller, String organizationId, String locationId) {
    return benchmarkLocation(caller, organizationId, locationId, DEFAULT_WINDOW);
  }

  /**
   * The location's uptime, OEE, MTBF, MTTR and energy intensity over the window against the rest of
   * the fleet's (the design's fleet average, the location included, in {@link
   * AggregationMode#SEED_COMPATIBLE}), with the difference in percent and a status that reads in
   * each metric's direction. See {@link LocationBenchmark}.
   *
   * <p>No division by zero: when the fleet value is 0 the difference is null and the status
   * follows from the values themselves (equal: on par; otherwise better or worse by direction).
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param locationId the location to benchmark
   * @param window the window; see {@link Window} for how each mode reads it
   * @throws InvalidRequestException when an id is malformed, or the window is null or longer than
   *     the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization or location does not exist
   */
  public LocationBenchmark benchmarkLocation(
      CallerContext caller, String organizationId, String locationId, Window window) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireId("locationId", locationId);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inTransaction(orgId, "benchmarking a location", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId);
      Map<String, String> names = WindowSums.locationNames(dsl, orgId);
      WindowSums.requireKnown(names, List.of(locationId), orgId);
      WindowSums.refreshDirtyRollups(dsl, orgId);
      ComponentSums location = ComponentSums.ZERO;
      ComponentSums fleet = ComponentSums.ZERO;
      boolean seed = mode == AggregationMode.SEED_COMPATIBLE;
      for (Map.Entry<String, ComponentSums> e : WindowSums.read(dsl, orgId, null, b.readFrom(), b.readTo()).entrySet()) {
        if (e.getKey().equals(locationId)) {
          location = e.getValue();
        }
        if (seed || !e.getKey().equals(locationId)) {
          fleet = fleet.plus(e.getValue());
        }
      }
      List<LocationBenchmark.MetricBenchmark> metrics = new ArrayList<>();
      for (Metric m : LocationBenchmark.METRICS) {
        metrics.add(compare(m, m.valueOf(location, mode), m.valueOf(fleet, mode)));
      }
      return new LocationBenchmark(orgId, locationId, names.get(locationId), b.start(), b.end(), mode,
          seed, metrics);
    });
  }

  /** The comparison of one metric's values; the one place the status rule lives. */
  static LocationBenchmark.MetricBenchmark compare(
      Metric metric, @Nullable Double location, @Nullable Double fleet) {
    if (location == null || fleet == null) {
      return new LocationBenchmark.MetricBenchmark(metric, location, fleet, null,
          LocationBenchmark.Status.NOT_COMPARABLE);
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
    return new LocationBenchmark.MetricBenchmark(metric, location, fleet, percent, status);
  }
}
