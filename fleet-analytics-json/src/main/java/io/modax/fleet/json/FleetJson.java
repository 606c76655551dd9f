package io.modax.fleet.json;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.DashboardData;
import io.modax.fleet.analytics.FailureTrend;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.FleetBenchmark;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.LocationRanking;
import io.modax.fleet.analytics.LocationSummary;
import io.modax.fleet.analytics.MaintenanceCosts;
import io.modax.fleet.analytics.MaintenanceForecast;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.ReliabilityReport;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.ingest.QuarantineReason;
import io.modax.fleet.ingest.RefusedRecord;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.internal.Json;
import io.modax.fleet.statistics.BenchmarkPosition;
import io.modax.fleet.statistics.CountForecast;
import io.modax.fleet.statistics.DifferenceTest;
import io.modax.fleet.statistics.ForecastBacktest;
import io.modax.fleet.statistics.Interval;
import io.modax.fleet.statistics.LaplaceTrend;
import io.modax.fleet.statistics.LocationDifference;
import io.modax.fleet.statistics.PercentileBands;
import io.modax.fleet.statistics.PowerLawTrend;
import io.modax.fleet.statistics.StatisticalMethod;
import io.modax.fleet.statistics.WeibullFit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The design's JSON for every analysis result: one mapping of the library's results to the
 * design's snake_case names, used by the command line's {@code --format json} and the Spring Boot
 * starter's endpoints alike.
 *
 * <p>Each method returns an ordered tree of plain JSON values: {@link String}, {@link Number},
 * {@link Boolean}, {@code null}, {@code Map<String, Object>} (ordered) and {@link List}. Instants are
 * ISO-8601 strings in UTC ({@code 2026-11-24T08:00:00Z}), local dates {@code yyyy-mm-dd}, enums
 * lower-case snake case. {@link #write(Object)} turns a tree into compact JSON text; any JSON
 * library serializes it to the same document. The maps are mutable copies: a host may add fields.
 *
 * <p><b>Names.</b> The design's names where it has them ({@code location_id}, {@code
 * location_name}, {@code avg_uptime}, {@code avg_efficiency}, {@code oee}, {@code total_failures},
 * {@code mtbf}, {@code mttr}, {@code metric_value}, {@code trend}, {@code forecast_period_days},
 * {@code expected_failures}, {@code confidence_interval_95}, {@code recommended_spare_parts}, the
 * benchmark's {@code location}, {@code fleet_average}, {@code difference_pct}, {@code status}, the
 * overview's {@code total_devices}, ...), and one name per quantity everywhere. Where the design
 * used two names for one quantity, one was chosen:
 *
 * <ul>
 *   <li>a location's OEE is {@code oee} (the design's {@code identify_underperformers} said {@code
 *       avg_oee});
 *   <li>a location's failures over a period are {@code total_failures} and its MTBF {@code mtbf}
 *       (the design's failure trends said {@code failures} and {@code avg_mtbf}; its dashboard
 *       {@code total_failures} and {@code mtbf});
 *   <li>the change of failures against the previous period is {@code trend}, a fraction, as the
 *       design's {@code pct_change} (0.25 is 25% more), with {@code trend_status} saying why it is
 *       {@code null} when it is.
 * </ul>
 *
 * <p><b>Windows.</b> Every answer over a window carries it: {@code window_start} (inclusive), {@code
 * window_end} (exclusive), {@code window_time_zone} (always {@code UTC}: the zone the two instants
 * are written in; local calendar periods say their own dates) and {@code aggregation_mode} ({@code
 * exposure_weighted} or {@code seed_compatible}). The answers that are lists in the design (location
 * comparison, best performers, underperformers, failure trends) are objects here, with the rows
 * under {@code locations} or {@code trends}.
 *
 * <p>Ratios are fractions in [0, 1]; hours are device-hours; {@code null} where a value is
 * undefined (never NaN). Thread-safe: stateless. Every method throws {@link NullPointerException}
 * for a null result.
 */
public final class FleetJson {

  /** The zone the window instants are written in: {@value}. */
  public static final String WINDOW_TIME_ZONE = "UTC";

  private FleetJson() {}

  // ------------------------------------------------------------------ writing

  /**
   * Compact JSON text of a tree of JSON values (as the methods of this class return). Instants and
   * other objects are written as their {@code toString()}; non-finite doubles, which JSON cannot
   * hold, as {@code null}.
   */
  public static String write(@Nullable Object value) {
    return Json.write(value, STYLE);
  }

  /** The answers' JSON style: compact, non-finite doubles as null, enums by their JSON names. */
  private static final Json.Style STYLE = new Json.Style(false, false, false, false, -1, FleetJson::name);

  // ------------------------------------------------------------------ names in requests

  /**
   * The metric a request names: its design field name ({@code oee}, {@code avg_uptime}, ...), its
   * benchmark key ({@code uptime}, {@code efficiency}, {@code energy_consumption}) or its enum name,
   * case-insensitive.
   *
   * @throws InvalidRequestException naming the value and the names accepted
   */
  public static Metric metric(String name) {
    for (Metric m : Metric.values()) {
      if (m.fieldName().equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)
          || benchmarkKey(m).equalsIgnoreCase(name) || m.fieldName().equalsIgnoreCase("avg_" + name)) {
        return m;
      }
    }
    throw new InvalidRequestException("unknown metric '" + name + "': expected oee, avg_uptime (uptime),"
        + " avg_efficiency (efficiency), avg_energy_consumption, mtbf, mttr or total_failures");
  }

  /**
   * The trend period a request names: {@code daily}, {@code weekly}, {@code monthly} (the design's)
   * or the enum name, case-insensitive.
   *
   * @throws InvalidRequestException naming the value and the names accepted
   */
  public static TrendPeriod period(String name) {
    for (TrendPeriod p : TrendPeriod.values()) {
      if (p.designName().equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new InvalidRequestException("unknown period '" + name + "': expected daily, weekly or monthly");
  }

  // ------------------------------------------------------------------ shared pieces

  private static Map<String, @Nullable Object> object() {
    return new LinkedHashMap<>();
  }

  static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static @Nullable String text(@Nullable Object o) {
    return o == null ? null : o.toString();
  }

  private static <T> List<Object> list(List<T> rows, Function<T, ? extends Object> f) {
    List<Object> out = new ArrayList<>(rows.size());
    for (T t : rows) {
      out.add(f.apply(t));
    }
    return out;
  }

  /** The window and aggregation mode every answer over a window carries. */
  private static void window(Map<String, @Nullable Object> m, Instant start, Instant end, @Nullable AggregationMode mode) {
    m.put("window_start", start.toString());
    m.put("window_end", end.toString());
    m.put("window_time_zone", WINDOW_TIME_ZONE);
    if (mode != null) {
      m.put("aggregation_mode", name(mode));
    }
  }

  /** A statistical method: {@code name}, {@code parameters}, {@code assumptions}, {@code caveats}. */
  public static Map<String, @Nullable Object> method(StatisticalMethod m) {
    Map<String, @Nullable Object> o = object();
    o.put("name", m.name());
    o.put("parameters", new LinkedHashMap<>(m.parameters()));
    o.put("assumptions", m.assumptions());
    o.put("caveats", m.caveats());
    return o;
  }

  private static Map<String, @Nullable Object> interval(@Nullable Object lower, @Nullable Object upper) {
    Map<String, @Nullable Object> m = object();
    m.put("lower", lower);
    m.put("upper", upper);
    return m;
  }

  private static Map<String, @Nullable Object> interval(Interval i) {
    Map<String, @Nullable Object> m = interval(i.lower(), i.upper());
    m.put("level", i.level());
    return m;
  }

  // ------------------------------------------------------------------ overview

  /**
   * The design's fleet overview ({@code GET /fleet/organizations/{org_id}/overview}): {@code
   * total_devices}, {@code total_locations}, {@code overall_oee}, {@code overall_uptime}, {@code
   * total_failures_last_30d}, with the device counts, the window and the locations.
   *
   * @param mode the aggregation mode the figures were read in ({@code FleetAnalytics.aggregationMode()})
   */
  public static Map<String, @Nullable Object> overview(FleetOverview o, AggregationMode mode) {
    Map<String, @Nullable Object> m = object();
    m.put("organization_id", o.organizationId());
    window(m, o.windowStart(), o.windowEnd(), mode);
    m.put("total_devices", o.totalDevices());
    m.put("active_devices", o.activeDevices());
    m.put("device_types", new LinkedHashMap<>(o.devicesByType()));
    m.put("total_locations", o.totalLocations());
    m.put("overall_oee", o.overallOee());
    m.put("overall_uptime", o.overallUptime());
    m.put("total_failures_last_30d", o.totalFailuresLast30d());
    m.put("locations", list(o.locations(), FleetJson::location));
    return m;
  }

  /** A location of the overview: the design's {@code Location} fields with its device counts. */
  public static Map<String, @Nullable Object> location(LocationSummary l) {
    Map<String, @Nullable Object> m = object();
    m.put("location_id", l.locationId());
    m.put("location_name", l.name());
    m.put("timezone", l.timezone());
    m.put("latitude", l.latitude());
    m.put("longitude", l.longitude());
    m.put("device_count", l.deviceCount());
    m.put("active_devices", l.activeDevices());
    return m;
  }

  // ------------------------------------------------------------------ comparison and rankings

  /**
   * One location's performance over a window: a row of the design's location comparison ({@code
   * location_id}, {@code location_name}, {@code avg_uptime}, {@code avg_efficiency}, {@code oee},
   * {@code total_failures}, {@code mtbf}, {@code mttr}) with energy and the exposures behind the
   * ratios. Every answer that lists locations uses this row.
   */
  public static Map<String, @Nullable Object> locationPerformance(LocationPerformance p) {
    Map<String, @Nullable Object> m = object();
    m.put("location_id", p.locationId());
    m.put("location_name", p.locationName());
    m.put("avg_uptime", p.avgUptime());
    m.put("avg_efficiency", p.avgEfficiency());
    m.put("oee", p.oee());
    m.put("total_failures", p.totalFailures());
    m.put("mtbf", p.mtbf());
    m.put("mttr", p.mttr());
    m.put("avg_energy_consumption", p.avgEnergyConsumption());
    m.put("total_production_hours", p.productionHours());
    m.put("total_downtime_hours", p.downtimeHours());
    m.put("planned_production_hours", p.plannedHours());
    m.put("snapshot_count", p.snapshotCount());
    if (p.mtbf() == null && p.totalFailures() == 0 && p.productionHours() > 0) {
      m.put("no_failures", true); // MTBF is undefined because nothing failed, not for want of data
    }
    return m;
  }

  /**
   * The design's location comparison ({@code GET .../locations/compare}): the window, the mode and
   * the rows under {@code locations}, best OEE first.
   */
  public static Map<String, @Nullable Object> comparison(LocationComparison c) {
    Map<String, @Nullable Object> m = object();
    m.put("organization_id", c.organizationId());
    window(m, c.start(), c.end(), c.mode());
    m.put("locations", list(c.locations(), FleetJson::locationPerformance));
    return m;
  }

  /**
   * The design's best performers ({@code GET .../best-performers}): {@code metric}, {@code top_n},
   * the window and the rows under {@code locations}, best first, each with the design's {@code
   * metric_value} beside the location's other figures.
   *
   * @param topN the number of locations asked for
   */
  public static Map<String, @Nullable Object> bestPerformers(LocationRanking r, int topN) {
    Map<String, @Nullable Object> m = object();
    m.put("organization_id", r.organizationId());
    m.put("metric", r.metric().fieldName());
    m.put("higher_is_better", r.metric().higherIsBetter());
    m.put("top_n", topN);
    window(m, r.start(), r.end(), r.mode());
    m.put("locations", list(r.locations(), p -> {
      Map<String, @Nullable Object> row = object();
      row.put("location_id", p.locationId());
      row.put("location_name", p.locationName());
      row.put("metric_value", p.value(r.metric()));
      Map<String, @Nullable Object> all = locationPerformance(p);
      all.keySet().removeAll(row.keySet());
      row.putAll(all);
      return row;
    }));
    return m;
  }

  /**
   * The design's underperformers ({@code GET .../underperformers}): {@code threshold}, the window
   * and the locations whose OEE is below it under {@code locations}, lowest first.
   *
   * @param threshold the OEE threshold asked for, a fraction
   */
  public static Map<String, @Nullable Object> underperformers(LocationRanking r, double threshold) {
    Map<String, @Nullable Object> m = object();
    m.put("organization_id", r.organizationId());
    m.put("metric", r.metric().fieldName());
    m.put("threshold", threshold);
    window(m, r.start(), r.end(), r.mode());
    m.put("locations", list(r.locations(), FleetJson::locationPerformance));
    return m;
  }

  // ------------------------------------------------------------------ trends

  /**
   * A row of the design's failure trends: {@code period} (the instant the period begins, the
   * design's {@code time_bucket}), the local {@code period_start_date} and {@code
   * period_end_date} (exclusive), {@code location_id}, {@code location_name}, {@code
   * total_failures}, {@code mtbf}, and {@code trend}, the change against the previous period as a
   * fraction (the design's {@code pct_change}), null when {@code trend_status} is not {@code
   * compared}.
   */
  public static Map<String, @Nullable Object> failureTrend(FailureTrend t) {
    Map<String, @Nullable Object> m = object();
    m.put("period", t.start().toString());
    m.put("period_end", t.end().toString());
    m.put("period_start_date", t.periodStart().toString());
    m.put("period_end_date", t.periodEnd().toString());
    m.put("location_id", t.locationId());
    m.put("location_name", t.locationName());
    m.put("total_failures", t.failures());
    m.put("mtbf", t.mtbf());
    m.put("trend", t.changePercent() == null ? null : t.changePercent() / 100);
    m.put("trend_status", name(t.change()));
    m.put("previous_failures", t.previousFailures());
    m.put("complete", t.complete());
    m.put("total_production_hours", t.productionHours());
    m.put("snapshot_count", t.snapshotCount());
    return m;
  }

  /**
   * The design's failure trends ({@code GET .../trends/failures}): {@code period} ({@code daily},
   * {@code weekly} or {@code monthly}), {@code period_calendar} ({@code location_local}: each
   * location's own calendar, or {@code utc} in seed-compatible mode), the window, {@code
   * include_empty_periods} (whether periods before a location's first snapshot were asked for; by
   * default they have no rows) and the rows under {@code trends}, by period then location.
   */
  public static Map<String, @Nullable Object> failureTrends(FailureTrends t) {
    Map<String, @Nullable Object> m = object();
    m.put("organization_id", t.organizationId());
    m.put("period", t.period().designName());
    m.put("period_calendar", t.mode() == AggregationMode.SEED_COMPATIBLE ? "utc" : "location_local");
    window(m, t.start(), t.end(), t.mode());
    m.put("include_empty_periods", t.includesEmptyPeriods());
    m.put("trends", list(t.trends(), FleetJson::failureTrend));
    return m;
  }

  // ------------------------------------------------------------------ forecast

  private static Map<String, @Nullable Object> backtest(ForecastBacktest b) {
    Map<String, @Nullable Object> m = object();
    m.put("model", b.model());
    m.put("origins", b.origins());
    m.put("horizon_days", b.horizonDays());
    m.put("mae", b.meanAbsoluteError());
    m.put("seasonal_naive_mae", b.seasonalNaiveMeanAbsoluteError());
    m.put("mase", b.meanAbsoluteScaledError());
    m.put("mean_interval_score", b.meanIntervalScore());
    m.put("interval_coverage", b.intervalCoverage());
    m.put("level", b.level());
    return m;
  }

  private static Map<String, @Nullable Object> countForecast(CountForecast f) {
    Map<String, @Nullable Object> m = object();
    m.put("first_day", f.firstDay().toString());
    m.put("expected", f.expected());
    m.put("variance", f.variance());
    m.put("interval", interval(f.interval()));
    m.put("model", f.backtest().model());
    m.put("backtest", backtest(f.backtest()));
    m.put("method", method(f.method()));
    return m;
  }

  /**
   * The design's maintenance forecast ({@code GET .../forecast/maintenance}): {@code
   * forecast_period_days}, {@code expected_failures}, {@code confidence_interval_95} ({@code lower},
   * {@code upper}), {@code recommended_spare_parts}, with the models, their backtests and the
   * per-location forecasts.
   */
  public static Map<String, @Nullable Object> maintenanceForecast(MaintenanceForecast f) {
    List<Object> parts = list(f.spareParts(), p -> {
      Map<String, @Nullable Object> m = object();
      m.put("part_number", p.partNumber());
      m.put("expected_quantity", p.expectedUnits());
      m.put("recommended_stock", p.recommendedStock());
      m.put("achieved_service_level", p.stock().achievedServiceLevel());
      m.put("backtest_service_level", p.backtestServiceLevel());
      m.put("backtest_service_level_origins", p.backtestOrigins());
      m.put("stated_service_level", p.statedServiceLevel());
      m.put("demand_distribution", p.stock().negativeBinomial() ? "negative binomial" : "poisson");
      m.put("events_in_history", p.eventsInHistory());
      m.put("units_in_history", p.unitsInHistory());
      m.put("demand_forecast", countForecast(p.demandForecast()));
      m.put("stock_method", method(p.stock().method()));
      return m;
    });
    List<Object> locations = list(f.locations(), l -> {
      Map<String, @Nullable Object> m = object();
      m.put("location_id", l.locationId());
      m.put("location_name", l.locationName());
      m.put("expected_failures", l.expectedFailures());
      m.put("confidence_interval_95", interval(l.lower95(), l.upper95()));
      m.put("history_start", text(l.historyStart()));
      m.put("history_days", l.historyDays());
      m.put("observed_days", l.observedDays());
      m.put("history_failures", l.historyFailures());
      m.put("daily_mean", l.dailyMean());
      m.put("forecast", l.forecast() == null ? null : countForecast(l.forecast()));
      m.put("note", l.note());
      return m;
    });
    Map<String, @Nullable Object> m = object();
    m.put("organization_id", f.organizationId());
    m.put("issued_at", f.issuedAt().toString());
    m.put("forecast_period_days", f.horizonDays());
    m.put("expected_failures", f.expectedFailures());
    m.put("confidence_interval_95", interval(f.lower95(), f.upper95()));
    m.put("recommended_spare_parts", parts);
    m.put("service_level", f.serviceLevel());
    m.put("history_days", f.historyDays());
    m.put("method", f.method());
    m.put("statistical_method", f.statisticalMethod() == null ? null : method(f.statisticalMethod()));
    m.put("backtest", f.fleetForecast() == null ? null : backtest(f.fleetForecast().backtest()));
    m.put("pooled_location_backtest",
        f.pooledLocationBacktest() == null ? null : backtest(f.pooledLocationBacktest()));
    m.put("aggregation_mode", name(f.mode()));
    m.put("locations", locations);
    m.put("notes", f.notes());
    return m;
  }

  // ------------------------------------------------------------------ benchmark

  /**
   * The design's key of a benchmarked metric: {@code uptime}, {@code oee}, {@code mtbf}, {@code
   * mttr}, {@code energy_consumption}; other metrics by their field name.
   */
  public static String benchmarkKey(Metric m) {
    return switch (m) {
      case UPTIME -> "uptime";
      case OEE -> "oee";
      case MTBF -> "mtbf";
      case MTTR -> "mttr";
      case ENERGY_CONSUMPTION -> "energy_consumption";
      default -> m.fieldName();
    };
  }

  private static @Nullable Map<String, @Nullable Object> significance(LocationBenchmark.MetricBenchmark m) {
    LocationDifference d = m.significance();
    if (d == null) {
      return null;
    }
    DifferenceTest t = d.chosen();
    Map<String, @Nullable Object> o = object();
    o.put("verdict", name(d.verdict()));
    o.put("daily_value", m.dailyValue());
    o.put("test", t.method().name());
    o.put("choice_reason", d.choiceReason());
    o.put("p_value", t.pValue());
    o.put("adjusted_p_value", d.adjustedPValue());
    o.put("alpha", d.alpha());
    o.put("difference", t.estimate());
    o.put("confidence_interval", interval(t.interval()));
    o.put("location_days", t.locationSize());
    o.put("reference_days", t.referenceSize());
    o.put("method", m.method() == null ? null : method(m.method()));
    return o;
  }

  private static Map<String, @Nullable Object> bands(PercentileBands b) {
    Map<String, @Nullable Object> o = object();
    o.put("p10", b.p10());
    o.put("p25", b.p25());
    o.put("p50", b.p50());
    o.put("p75", b.p75());
    o.put("p90", b.p90());
    o.put("mean", b.mean());
    o.put("locations", b.count());
    o.put("method", method(b.method()));
    return o;
  }

  private static Map<String, @Nullable Object> calibration(BenchmarkPosition c) {
    Map<String, @Nullable Object> o = object();
    o.put("reference_class", name(c.referenceClass()));
    o.put("world_class", c.reference().worldClass());
    o.put("typical_range", interval(c.reference().typicalLow(), c.reference().typicalHigh()));
    o.put("fleet_band", name(c.fleetBand()));
    o.put("percentile_rank", c.percentileRank());
    o.put("method", method(c.method()));
    return o;
  }

  /** One metric of a benchmark: the design's {@code location}, {@code fleet_average}, {@code difference_pct}, {@code status}, and the statistics beside them. */
  public static Map<String, @Nullable Object> metricBenchmark(LocationBenchmark.MetricBenchmark m) {
    Map<String, @Nullable Object> v = object();
    v.put("location", m.locationValue());
    v.put("fleet_average", m.fleetValue());
    v.put("difference_pct", m.differencePercent());
    v.put("status", name(m.status()));
    v.put("significance", significance(m));
    v.put("not_tested", m.notTested());
    v.put("fleet_bands", m.bands() == null ? null : bands(m.bands()));
    v.put("calibration", m.calibration() == null ? null : calibration(m.calibration()));
    return v;
  }

  /**
   * The design's location benchmark ({@code GET .../locations/{location_id}/benchmark}): one object
   * per metric under the design's keys ({@code uptime}, {@code oee}, {@code mtbf}, {@code mttr},
   * {@code energy_consumption}), then the location, the window and what it was compared with.
   */
  public static Map<String, @Nullable Object> benchmark(LocationBenchmark b) {
    Map<String, @Nullable Object> o = object();
    for (LocationBenchmark.MetricBenchmark m : b.metrics()) {
      o.put(benchmarkKey(m.metric()), metricBenchmark(m));
    }
    o.put("organization_id", b.organizationId());
    o.put("location_id", b.locationId());
    o.put("location_name", b.locationName());
    window(o, b.start(), b.end(), b.mode());
    o.put("fleet_includes_location", b.fleetIncludesLocation());
    o.put("compared_with", b.comparedWith());
    o.put("peer_group", b.peerGroup() == null ? null : b.peerGroup().key());
    o.put("reference_location_ids", b.referenceLocationIds());
    return o;
  }

  /** Every location benchmarked at once: the window, the peer groups and the benchmarks under {@code locations}. */
  public static Map<String, @Nullable Object> fleetBenchmark(FleetBenchmark f) {
    Map<String, @Nullable Object> o = object();
    o.put("organization_id", f.organizationId());
    window(o, f.start(), f.end(), f.mode());
    o.put("peer_groups", f.peerGrouping() == null ? null : list(f.peerGrouping().groups(), g -> {
      Map<String, @Nullable Object> m = object();
      m.put("key", g.key());
      m.put("location_ids", g.locationIds());
      return m;
    }));
    o.put("locations", list(f.locations(), FleetJson::benchmark));
    return o;
  }

  // ------------------------------------------------------------------ reliability

  private static Map<String, @Nullable Object> reliabilityTrend(ReliabilityReport.ReliabilityTrend t) {
    Map<String, @Nullable Object> o = object();
    boolean location = t.subject() == ReliabilityReport.Subject.LOCATION;
    o.put(location ? "location_id" : "device_type", t.id());
    if (location) {
      o.put("location_name", t.name());
    }
    o.put("total_failures", t.failures());
    o.put("operating_hours", t.operatingHours());
    o.put("verdict", t.verdict() == null ? null : name(t.verdict()));
    PowerLawTrend c = t.crowAmsaa();
    if (c == null) {
      o.put("crow_amsaa", null);
    } else {
      Map<String, @Nullable Object> m = object();
      m.put("beta", c.beta());
      m.put("beta_unbiased", c.betaUnbiased());
      m.put("beta_interval", interval(c.betaInterval()));
      m.put("lambda", c.lambda());
      m.put("p_value", c.pValue());
      m.put("verdict", name(c.verdict()));
      m.put("instantaneous_mtbf", c.instantaneousMtbf());
      m.put("method", method(c.method()));
      o.put("crow_amsaa", m);
    }
    LaplaceTrend l = t.laplace();
    if (l == null) {
      o.put("laplace", null);
    } else {
      Map<String, @Nullable Object> m = object();
      m.put("statistic", l.statistic());
      m.put("p_value", l.pValue());
      m.put("verdict", name(l.verdict()));
      m.put("method", method(l.method()));
      o.put("laplace", m);
    }
    o.put("lives", t.lives());
    o.put("censored_lives", t.censoredLives());
    WeibullFit w = t.weibull();
    if (w == null) {
      o.put("weibull", null);
    } else {
      Map<String, @Nullable Object> m = object();
      m.put("shape", w.shape());
      m.put("shape_interval", interval(w.shapeInterval()));
      m.put("scale", w.scale());
      m.put("scale_interval", interval(w.scaleInterval()));
      m.put("mean_life", w.meanLife());
      m.put("b10_life", w.lifeAt(0.10));
      m.put("failures", w.failures());
      m.put("censored", w.censored());
      m.put("method", method(w.method()));
      o.put("weibull", m);
    }
    o.put("notes", t.notes());
    return o;
  }

  /** Reliability trends per location and device type: Crow-AMSAA, Laplace and Weibull, over the window. */
  public static Map<String, @Nullable Object> reliability(ReliabilityReport r) {
    Map<String, @Nullable Object> o = object();
    o.put("organization_id", r.organizationId());
    window(o, r.start(), r.end(), null);
    o.put("level", r.level());
    o.put("locations", list(r.locations(), FleetJson::reliabilityTrend));
    o.put("device_types", list(r.deviceTypes(), FleetJson::reliabilityTrend));
    o.put("method", method(r.method()));
    return o;
  }

  // ------------------------------------------------------------------ dashboard

  /**
   * The design's executive dashboard ("Fleet Overview"), one object per panel: {@code
   * fleet_health}, {@code location_map} (with {@code oee_score}, {@code device_count}, {@code
   * alert_count}), {@code failure_trends}, {@code oee_comparison}, {@code cost_analysis}.
   */
  public static Map<String, @Nullable Object> dashboard(DashboardData d) {
    FleetHealth h = d.fleetHealth();
    Map<String, @Nullable Object> thresholds = object();
    thresholds.put("critical", h.thresholds().critical());
    thresholds.put("warning", h.thresholds().warning());
    thresholds.put("good", h.thresholds().good());
    Map<String, @Nullable Object> health = object();
    health.put("oee", h.oee());
    health.put("status", name(h.status()));
    health.put("thresholds", thresholds);
    window(health, h.start(), h.end(), null);
    List<Object> markers = list(d.locationMap(), (LocationMarker mk) -> {
      Map<String, @Nullable Object> v = object();
      v.put("location_id", mk.locationId());
      v.put("location_name", mk.locationName());
      v.put("latitude", mk.latitude());
      v.put("longitude", mk.longitude());
      v.put("oee_score", mk.oee());
      v.put("device_count", mk.deviceCount());
      v.put("alert_count", mk.alertCount());
      v.put("alerts", list(mk.alerts(), a -> {
        Map<String, @Nullable Object> av = object();
        av.put("kind", name(a.kind()));
        av.put("message", a.message());
        return av;
      }));
      return v;
    });
    List<Object> costs = list(d.costAnalysis().rows(), (MaintenanceCosts.LocationPeriod c) -> {
      Map<String, @Nullable Object> v = object();
      v.put("period_start_date", c.periodStart().toString());
      v.put("location_id", c.locationId());
      v.put("location_name", c.locationName());
      v.put("planned_maintenance_cost", c.plannedMaintenanceCost());
      v.put("unplanned_maintenance_cost", c.unplannedMaintenanceCost());
      v.put("downtime_cost", c.downtimeCost());
      v.put("downtime_hours", c.downtimeHours());
      return v;
    });
    Map<String, @Nullable Object> cost = object();
    cost.put("currency", d.costAnalysis().currency());
    cost.put("rows", costs);
    Map<String, @Nullable Object> o = object();
    o.put("title", "Fleet Overview");
    o.put("organization_id", d.organizationId());
    o.put("generated_at", d.generatedAt().toString());
    o.put("aggregation_mode", name(d.mode()));
    o.put("fleet_health", health);
    o.put("location_map", markers);
    o.put("failure_trends", failureTrends(d.failureTrends()));
    o.put("oee_comparison", comparison(d.oeeComparison()));
    o.put("cost_analysis", cost);
    return o;
  }

  // ------------------------------------------------------------------ writes

  /**
   * A writer call's counts: {@code submitted}, {@code inserted}, {@code updated}, {@code unchanged},
   * {@code quarantined}, {@code quarantined_by_reason} (reason name to count, reasons with none
   * left out), and {@code refused_records}: the first refused records ({@code position}, 0-based in
   * the call's input; {@code reason}; {@code message}), at most {@link
   * WriteReport#MAX_LISTED_REFUSALS}.
   */
  public static Map<String, @Nullable Object> writeReport(WriteReport r) {
    Map<String, @Nullable Object> m = object();
    m.put("submitted", r.submitted());
    m.put("inserted", r.inserted());
    m.put("updated", r.updated());
    m.put("unchanged", r.unchanged());
    m.put("quarantined", r.quarantined());
    Map<String, @Nullable Object> by = object();
    for (QuarantineReason q : QuarantineReason.values()) {
      if (r.quarantined(q) > 0) {
        by.put(q.name(), r.quarantined(q));
      }
    }
    m.put("quarantined_by_reason", by);
    List<Map<String, @Nullable Object>> refused = new ArrayList<>();
    for (RefusedRecord x : r.refused()) {
      Map<String, @Nullable Object> o = object();
      o.put("position", x.position());
      o.put("reason", x.reason().name());
      o.put("message", x.message());
      refused.add(o);
    }
    m.put("refused_records", refused);
    return m;
  }
}
