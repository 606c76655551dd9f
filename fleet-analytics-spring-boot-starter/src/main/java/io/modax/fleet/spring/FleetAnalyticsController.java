package io.modax.fleet.spring;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.TrendAnalyzer;
import io.modax.fleet.json.FleetJson;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The design's seven endpoints under {@value #BASE_PATH}, with its parameter names and defaults,
 * answering with {@link FleetJson} (the same JSON as the command line's {@code --format json}).
 *
 * <p>Every request first resolves its caller ({@link FleetCallerResolver}; 401 without one), then
 * runs one analysis for that caller; errors are problem details ({@link FleetProblemHandler}).
 * Thread-safe.
 */
@RestController
@RequestMapping(path = FleetAnalyticsController.BASE_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
public class FleetAnalyticsController {

  /** The endpoints' common path: {@value}. */
  public static final String BASE_PATH = "/fleet/organizations/{org_id}";

  /** The request attribute the caller is stored under once resolved. */
  static final String CALLER = FleetAnalyticsController.class.getName() + ".caller";

  private final FleetAnalytics fleet;
  private final FleetAnalysisObserver observer;

  /** The endpoints over the given instance. */
  public FleetAnalyticsController(FleetAnalytics fleet, FleetAnalysisObserver observer) {
    this.fleet = fleet;
    this.observer = observer;
  }

  private static CallerContext caller(HttpServletRequest request) {
    Object c = request.getAttribute(CALLER);
    if (c instanceof CallerContext caller) {
      return caller;
    }
    throw new CallerRequiredException(); // the interceptor did not run: fail closed
  }

  private ResponseEntity<String> answer(String analysis, Supplier<Map<String, @Nullable Object>> call) {
    Map<String, @Nullable Object> json = observer.observe(analysis, call);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(FleetJson.write(json));
  }

  /** The design's {@code GET /organizations/{org_id}/overview}. */
  @GetMapping("/overview")
  public ResponseEntity<String> overview(@PathVariable("org_id") String orgId, HttpServletRequest request) {
    CallerContext caller = caller(request);
    return answer("overview", () -> FleetJson.overview(fleet.fleetAnalyzer().overview(caller, orgId),
        fleet.aggregationMode()));
  }

  /**
   * The design's {@code GET /organizations/{org_id}/locations/compare?location_ids=A&location_ids=B
   * &start_date=...&end_date=...} (ids also comma-separated; dates ISO-8601 with an offset; the end
   * exclusive).
   */
  @GetMapping("/locations/compare")
  public ResponseEntity<String> compareLocations(@PathVariable("org_id") String orgId,
      @RequestParam("location_ids") List<String> locationIds, @RequestParam("start_date") String startDate,
      @RequestParam("end_date") String endDate, HttpServletRequest request) {
    CallerContext caller = caller(request);
    Instant start = instant("start_date", startDate);
    Instant end = instant("end_date", endDate);
    return answer("compare_locations", () -> FleetJson.comparison(
        fleet.fleetAnalyzer().compareLocations(caller, orgId, locationIds, start, end)));
  }

  /** The design's {@code GET /organizations/{org_id}/locations/{location_id}/benchmark} (last 30 days, against the rest of the fleet). */
  @GetMapping("/locations/{location_id}/benchmark")
  public ResponseEntity<String> benchmarkLocation(@PathVariable("org_id") String orgId,
      @PathVariable("location_id") String locationId, HttpServletRequest request) {
    CallerContext caller = caller(request);
    return answer("benchmark_location", () -> FleetJson.benchmark(
        fleet.benchmarking().benchmarkLocation(caller, orgId, locationId)));
  }

  /** The design's {@code GET /organizations/{org_id}/trends/failures?period=monthly} (daily, weekly or monthly; last year). */
  @GetMapping("/trends/failures")
  public ResponseEntity<String> failureTrends(@PathVariable("org_id") String orgId,
      @RequestParam(name = "period", defaultValue = "monthly") String period, HttpServletRequest request) {
    CallerContext caller = caller(request);
    return answer("failure_trends", () -> FleetJson.failureTrends(
        fleet.trendAnalyzer().failureTrends(caller, orgId, FleetJson.period(period))));
  }

  /**
   * The design's {@code GET /organizations/{org_id}/forecast/maintenance?forecast_days=30}, and an
   * optional {@code service_level} for the spare parts (default 0.95).
   */
  @GetMapping("/forecast/maintenance")
  public ResponseEntity<String> forecastMaintenance(@PathVariable("org_id") String orgId,
      @RequestParam(name = "forecast_days", defaultValue = "" + TrendAnalyzer.DEFAULT_HORIZON_DAYS) int forecastDays,
      @RequestParam(name = "service_level", defaultValue = "" + TrendAnalyzer.DEFAULT_SERVICE_LEVEL) double serviceLevel,
      HttpServletRequest request) {
    CallerContext caller = caller(request);
    return answer("maintenance_forecast", () -> FleetJson.maintenanceForecast(
        fleet.trendAnalyzer().forecastMaintenanceDemand(caller, orgId, forecastDays, serviceLevel)));
  }

  /** The design's {@code GET /organizations/{org_id}/best-performers?metric=oee&top_n=5} (last 30 days). */
  @GetMapping("/best-performers")
  public ResponseEntity<String> bestPerformers(@PathVariable("org_id") String orgId,
      @RequestParam(name = "metric", defaultValue = "oee") String metric,
      @RequestParam(name = "top_n", defaultValue = "" + FleetAnalyzer.DEFAULT_TOP_N) int topN,
      HttpServletRequest request) {
    CallerContext caller = caller(request);
    return answer("best_performers", () -> FleetJson.bestPerformers(
        fleet.fleetAnalyzer().bestPerformers(caller, orgId, FleetJson.metric(metric), topN), topN));
  }

  /** The design's {@code GET /organizations/{org_id}/underperformers?threshold=0.7} (OEE below it, last 30 days). */
  @GetMapping("/underperformers")
  public ResponseEntity<String> underperformers(@PathVariable("org_id") String orgId,
      @RequestParam(name = "threshold", defaultValue = "" + FleetAnalyzer.DEFAULT_UNDERPERFORMANCE_THRESHOLD)
          double threshold,
      HttpServletRequest request) {
    CallerContext caller = caller(request);
    return answer("underperformers", () -> FleetJson.underperformers(
        fleet.fleetAnalyzer().underperformers(caller, orgId, threshold), threshold));
  }

  /** An ISO-8601 date-time with an offset ({@code 2026-11-01T00:00:00Z}, {@code 2026-11-01T01:00:00+01:00}). */
  static Instant instant(String name, String value) {
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(name + " '" + value + "' is not an ISO-8601 date-time with an offset,"
          + " such as 2026-11-01T00:00:00Z");
    }
  }

  /** No caller could be resolved for the request: answered 401. */
  static final class CallerRequiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallerRequiredException() {
      super("the request carries no caller the fleet endpoints accept: authenticate with a MODAX role and tenant");
    }
  }
}
