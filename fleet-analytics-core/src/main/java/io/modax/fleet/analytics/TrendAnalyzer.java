package io.modax.fleet.analytics;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import io.modax.fleet.statistics.CountForecast;
import io.modax.fleet.statistics.CountForecasts;
import io.modax.fleet.statistics.StatisticalMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The design's {@code TrendAnalyzer}: failure trends over time, the maintenance demand forecast
 * (count forecasts with seasonality, trend, over-dispersion and backtests; spare parts), and
 * reliability trends from the failure events (Crow-AMSAA, Laplace, Weibull with censoring). Every
 * statistical result carries its {@link io.modax.fleet.statistics.StatisticalMethod}.
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization. "Now" is the
 * library's {@link java.time.Clock}. Bad arguments throw {@link InvalidRequestException} naming the
 * value and the rule; an unknown organization throws {@link NotFoundException}.
 *
 * <p>Limits: every method refuses, with {@link io.modax.fleet.InvalidRequestException} naming the
 * limit, an organization with more locations than the configured {@code
 * maxLocationsPerOrganization} (see {@code docs/reliability.md}).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class TrendAnalyzer {

  /** The window of failure trends when none is given: the last year, as in the design. */
  public static final Window DEFAULT_TREND_WINDOW = Window.last(Period.ofYears(1));

  /**
   * Days of history a maintenance forecast reads at most: a year of each location's local days,
   * enough for the weekly pattern, a trend and a backtest.
   */
  public static final int HISTORY_DAYS = 365;

  /** Days of history the design's forecast reads ({@link AggregationMode#SEED_COMPATIBLE}): 90. */
  public static final int DESIGN_HISTORY_DAYS = 90;

  /** Shortest forecast horizon, days. */
  public static final int MIN_HORIZON_DAYS = CountForecasts.MIN_HORIZON_DAYS;

  /**
   * Longest forecast horizon, days: a year. A horizon longer than the history can check is still
   * forecast, checked on shorter totals and flagged (see {@link #forecastMaintenanceDemand(
   * CallerContext, String, int, double)}).
   */
  public static final int MAX_HORIZON_DAYS = CountForecasts.MAX_HORIZON_DAYS;

  /** Default forecast horizon: 30 days, as in the design. */
  public static final int DEFAULT_HORIZON_DAYS = 30;

  /** Default spare-parts service level: 95%. */
  public static final double DEFAULT_SERVICE_LEVEL = 0.95;

  /** Lowest service level accepted. */
  public static final double MIN_SERVICE_LEVEL = 0.5;

  /** Highest service level accepted. */
  public static final double MAX_SERVICE_LEVEL = 0.999;

  /** The window of reliability trends when none is given: the last year. */
  public static final Window DEFAULT_RELIABILITY_WINDOW = Window.last(Period.ofYears(1));

  /** Confidence level of reliability intervals and verdicts: 0.95. */
  public static final double RELIABILITY_LEVEL = 0.95;

  static final String FORECAST_METHOD =
      "count forecasts (weekday levels, optional log-linear trend, Poisson or negative binomial by a"
          + " dispersion test; the model chosen by a rolling-origin backtest) of the daily failure counts"
          + " of each location's local days (daily rollup, up to " + HISTORY_DAYS + " days); the fleet's"
          + " forecast is their sum; 95% interval = equal-tailed quantiles of the predictive count"
          + " distribution; spare parts: the same forecast of each part's daily usage (events), stock ="
          + " its service-level quantile over the horizon";

  static final String SEED_FORECAST_METHOD =
      "design: mean and sample standard deviation of the UTC daily failure totals over"
          + " timestamp > now - " + DESIGN_HISTORY_DAYS + " days; expected = mean x days, interval ="
          + " (mean -/+ 1.96 sd) x days (may be negative); spare parts as in the default mode";

  private final Engine engine;

  static {
    Services.register(TrendAnalyzer.class, TrendAnalyzer::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#trendAnalyzer()} (through {@link Services}). */
  TrendAnalyzer(Engine engine) {
    this.engine = engine;
  }

  /**
   * Failure trends over the last year ({@link #DEFAULT_TREND_WINDOW}).
   *
   * @see #failureTrends(CallerContext, String, TrendPeriod, Window)
   */
  public FailureTrends failureTrends(CallerContext caller, String organizationId, TrendPeriod period) {
    return failureTrends(caller, organizationId, period, DEFAULT_TREND_WINDOW);
  }

  /**
   * Failures and MTBF per location and period, with the change against the previous period: the
   * design's {@code analyze_failure_trends}.
   *
   * <p>By default each location's periods are its local calendar days, ISO weeks or months in its
   * own time zone, built from whole local days of the daily rollup: every period that overlaps the
   * window is reported whole (the first may begin before the window, the last is still in progress
   * at now: {@link FailureTrend#complete()} is false). MTBF is production hours / failures of the
   * period. The change is against the location's previous calendar period (read even when it lies
   * before the window), and is explicit when that period had no failures or no data, when this
   * period is still in progress or had no failures ({@link FailureTrend.Change}): never an infinity,
   * a NaN, a partial period against a whole one, or a -100% for a day without failures. Periods
   * before a location's first snapshot have no rows.
   *
   * <p>In {@link AggregationMode#SEED_COMPATIBLE} the design's query is reproduced: UTC {@code
   * time_bucket} periods cut by the window, {@code SUM(total_failures)} and {@code AVG(mtbf)} over
   * rows, only periods with rows, and the change against the location's previous row (pandas'
   * {@code pct_change}).
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param period day, week or month
   * @param window the window; see {@link Window} for how each mode reads it
   * @throws InvalidRequestException when the period or window is null or the window is longer than
   *     the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public FailureTrends failureTrends(
      CallerContext caller, String organizationId, TrendPeriod period, Window window) {
    return failureTrends(caller, organizationId, period, window, false);
  }

  /**
   * As {@link #failureTrends(CallerContext, String, TrendPeriod, Window)}, with the choice of empty
   * periods. By default ({@code includeEmptyPeriods} false) a location's rows begin at its first
   * period with snapshots: a year-long window over 90 days of data has no rows for the nine months
   * before (they used to print as "0 / no data"). With {@code includeEmptyPeriods} true every
   * location has a row for every period overlapping the window, those without snapshots saying so
   * ({@link FailureTrend.Change#NO_DATA}, 0 failures, MTBF null), for callers that want a regular
   * grid (a chart's x axis, a spreadsheet). Periods after the first with data are reported either
   * way: a gap is news.
   *
   * @param includeEmptyPeriods whether to report periods before a location's first snapshot
   * @throws InvalidRequestException as the four-argument form, and when {@code includeEmptyPeriods}
   *     is true in {@link AggregationMode#SEED_COMPATIBLE} (the design's query has a row only where
   *     there are snapshots)
   */
  public FailureTrends failureTrends(
      CallerContext caller,
      String organizationId,
      TrendPeriod period,
      Window window,
      boolean includeEmptyPeriods) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("period", period);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    if (includeEmptyPeriods && mode == AggregationMode.SEED_COMPATIBLE) {
      throw new InvalidRequestException(
          "includeEmptyPeriods true is not available in aggregation mode SEED_COMPATIBLE: the"
              + " design's query has a row only for periods with snapshots");
    }
    Instant now = engine.clock().instant();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading failure trends", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      WindowSums.refreshDirtyRollups(dsl, orgId);
      return failureTrends(dsl, orgId, period, b, mode, now, includeEmptyPeriods);
    });
  }

  /** The trends inside an open transaction (also used by the dashboard). */
  static FailureTrends failureTrends(
      DSLContext dsl, String orgId, TrendPeriod period, Window.Bounds b, AggregationMode mode, Instant now) {
    return failureTrends(dsl, orgId, period, b, mode, now, false);
  }

  private static FailureTrends failureTrends(DSLContext dsl, String orgId, TrendPeriod period,
      Window.Bounds b, AggregationMode mode, Instant now, boolean includeEmptyPeriods) {
    List<WindowSums.LocationInfo> locations = WindowSums.locations(dsl, orgId);
    List<FailureTrend> rows;
    if (mode == AggregationMode.SEED_COMPATIBLE) {
      rows = new ArrayList<>(seedTrends(dsl, orgId, period, b, locations, now));
      rows.sort(Comparator.comparing(FailureTrend::periodStart).thenComparing(FailureTrend::locationId));
    } else {
      rows = localTrends(period, b, locations, now, includeEmptyPeriods,
          (from, to) -> WindowSums.readLocalPeriods(dsl, orgId, period, from, to, TREND_COLUMNS));
    }
    return new FailureTrends(orgId, period, b.start(), b.end(), mode, rows, includeEmptyPeriods);
  }

  /**
   * The components a failure trend row is made of (snapshots, production hours, failures and
   * their exposure): the only columns of the rollups it reads.
   */
  static final List<String> TREND_COLUMNS = List.of(
      "snapshot_count", "total_production_hours", "total_failures", "failure_exposure_hours");

  /** Reads a location's local periods with dates in {@code [from, to)} (for the dashboard: a shared read). */
  interface PeriodReader {
    Map<String, Map<LocalDate, ComponentSums>> read(LocalDate from, LocalDate to);
  }

  /** The local dates a location's trend rows read, and the first and end of those it reports. */
  static LocalDate[] trendDates(TrendPeriod period, Window.Bounds b, java.time.ZoneId zone) {
    // one period before the first, for the first period's change
    LocalDate first = period.startOf(LocalDate.ofInstant(b.start(), zone));
    LocalDate before = period.startOf(first.minusDays(1));
    LocalDate end = period.next(period.startOf(LocalDate.ofInstant(b.end().minus(1, ChronoUnit.MICROS), zone)));
    return new LocalDate[] {before, first, end};
  }

  /**
   * The default mode's trend rows, ordered by period start, then location id: each location's rows
   * are built in period order and placed in their period's list in location-id order, so no sort of
   * the (up to 36,500 for a year of 100 locations) rows is needed; each period's start instant is
   * the previous period's end, one time-zone conversion per period.
   */
  static List<FailureTrend> localTrends(TrendPeriod period, Window.Bounds b,
      List<WindowSums.LocationInfo> locations, Instant now, boolean includeEmptyPeriods, PeriodReader reader) {
    if (locations.isEmpty()) {
      return List.of();
    }
    LocalDate from = null;
    LocalDate to = null;
    Map<String, LocalDate[]> ranges = new HashMap<>();
    for (WindowSums.LocationInfo l : locations) {
      LocalDate[] r = trendDates(period, b, l.zone());
      ranges.put(l.id(), r);
      from = from == null || r[0].isBefore(from) ? r[0] : from;
      to = to == null || r[2].isAfter(to) ? r[2] : to;
    }
    Map<String, Map<LocalDate, ComponentSums>> sums =
        reader.read(Objects.requireNonNull(from), Objects.requireNonNull(to));
    // the answer's order: period start, then location id (Java's order of the ids)
    List<WindowSums.LocationInfo> byId = new ArrayList<>(locations);
    byId.sort(Comparator.comparing(WindowSums.LocationInfo::id));
    Map<LocalDate, List<FailureTrend>> byPeriod = new HashMap<>();
    int count = 0;
    for (WindowSums.LocationInfo l : byId) {
      LocalDate[] r = ranges.get(l.id());
      Map<LocalDate, ComponentSums> mine = sums.getOrDefault(l.id(), Map.of());
      ComponentSums previous = mine.getOrDefault(r[0], ComponentSums.ZERO);
      boolean begun = previous.snapshotCount() > 0;
      Instant start = null;
      for (LocalDate p = r[1]; p.isBefore(r[2]); p = period.next(p)) {
        ComponentSums s = mine.getOrDefault(p, ComponentSums.ZERO);
        begun |= s.snapshotCount() > 0;
        LocalDate pEnd = period.next(p);
        if (!begun && !includeEmptyPeriods) {
          start = null;
          continue; // no padding rows before the location's data begins, unless asked for
        }
        if (start == null) {
          start = p.atStartOfDay(l.zone()).toInstant();
        }
        Instant end = pEnd.atStartOfDay(l.zone()).toInstant();
        byPeriod.computeIfAbsent(p, k -> new ArrayList<>()).add(row(l, p, pEnd, start, end, !end.isAfter(now), s,
            s.mtbf(), previous.snapshotCount() > 0 ? previous.failures() : null, false));
        count++;
        previous = s;
        start = end;
      }
    }
    List<LocalDate> periods = new ArrayList<>(byPeriod.keySet());
    periods.sort(null);
    List<FailureTrend> rows = new ArrayList<>(count);
    for (LocalDate p : periods) {
      rows.addAll(byPeriod.get(p));
    }
    return rows;
  }

  private static List<FailureTrend> seedTrends(DSLContext dsl, String orgId, TrendPeriod period,
      Window.Bounds b, List<WindowSums.LocationInfo> locations, Instant now) {
    // the design's time_bucket periods (UTC), cut by the window, up to the one holding the end
    List<Instant> from = new ArrayList<>();
    List<Instant> to = new ArrayList<>();
    List<Instant> bucketStarts = new ArrayList<>();
    Instant lastBucket = period.utcBucketStart(b.end());
    for (Instant t = period.utcBucketStart(b.readFrom()); !t.isAfter(lastBucket); t = period.utcBucketEnd(t)) {
      Instant e = period.utcBucketEnd(t);
      bucketStarts.add(t);
      from.add(t.isBefore(b.readFrom()) ? b.readFrom() : t);
      to.add(t.equals(lastBucket) ? b.readTo() : e);
    }
    List<Map<String, ComponentSums>> sums = WindowSums.readBuckets(dsl, orgId, from, to);
    Map<String, WindowSums.LocationInfo> byId = new HashMap<>();
    locations.forEach(l -> byId.put(l.id(), l));
    Map<String, Long> previousFailures = new HashMap<>();
    List<FailureTrend> rows = new ArrayList<>();
    for (int i = 0; i < bucketStarts.size(); i++) {
      Instant start = bucketStarts.get(i);
      Instant end = period.utcBucketEnd(start);
      boolean complete = !from.get(i).isAfter(start) && !end.isAfter(now) && !to.get(i).isBefore(end);
      for (Map.Entry<String, ComponentSums> e : sums.get(i).entrySet()) {
        ComponentSums s = e.getValue();
        if (s.snapshotCount() == 0) {
          continue; // the design's inner join has no row here
        }
        WindowSums.LocationInfo l = byId.get(e.getKey());
        rows.add(row(l, start.atZone(ZoneOffset.UTC).toLocalDate(), end.atZone(ZoneOffset.UTC).toLocalDate(),
            start, end, complete, s, s.seedMtbf(), previousFailures.get(l.id()), true));
        previousFailures.put(l.id(), s.failures());
      }
    }
    return rows;
  }

  private static FailureTrend row(WindowSums.LocationInfo l, LocalDate periodStart, LocalDate periodEnd,
      Instant start, Instant end, boolean complete, ComponentSums s, @Nullable Double mtbf,
      @Nullable Long previous, boolean seed) {
    FailureTrend.Change change;
    Double percent = null;
    if (s.snapshotCount() == 0) {
      change = FailureTrend.Change.NO_DATA;
    } else if (previous == null) {
      change = FailureTrend.Change.NO_PREVIOUS_PERIOD;
    } else if (previous == 0) {
      change = FailureTrend.Change.NO_PREVIOUS_FAILURES;
    } else if (!seed && !complete) {
      change = FailureTrend.Change.IN_PROGRESS;
    } else if (!seed && s.failures() == 0) {
      change = FailureTrend.Change.NO_FAILURES;
    } else {
      change = FailureTrend.Change.COMPARED;
      percent = (s.failures() - previous) * 100.0 / previous;
    }
    return new FailureTrend(l.id(), l.name(), periodStart, periodEnd, start, end, complete,
        s.failures(), mtbf, s.productionHours(), s.snapshotCount(), previous, percent, change);
  }

  /**
   * The maintenance forecast for {@link #DEFAULT_HORIZON_DAYS} days at the {@link
   * #DEFAULT_SERVICE_LEVEL}.
   *
   * @see #forecastMaintenanceDemand(CallerContext, String, int, double)
   */
  public MaintenanceForecast forecastMaintenanceDemand(CallerContext caller, String organizationId) {
    return forecastMaintenanceDemand(caller, organizationId, DEFAULT_HORIZON_DAYS, DEFAULT_SERVICE_LEVEL);
  }

  /**
   * The maintenance forecast at the {@link #DEFAULT_SERVICE_LEVEL}.
   *
   * @see #forecastMaintenanceDemand(CallerContext, String, int, double)
   */
  public MaintenanceForecast forecastMaintenanceDemand(
      CallerContext caller, String organizationId, int horizonDays) {
    return forecastMaintenanceDemand(caller, organizationId, horizonDays, DEFAULT_SERVICE_LEVEL);
  }

  /**
   * Failures expected over the next {@code horizonDays} days with a 95% interval, per location and
   * for the fleet, and the spare parts to stock for them: the design's {@code
   * forecast_maintenance_demand}, with count forecasts in place of its normal approximation.
   *
   * <p><b>Failures</b> (default mode). For each location, the failure counts of its local calendar
   * days from the daily rollup: from its first day with snapshots within the last {@value
   * #HISTORY_DAYS} local days to yesterday (local). A day without any snapshot is unobserved and
   * left out of the fit (not counted as zero). {@link CountForecasts} fits three candidates
   * (weekday levels over the last four weeks; weekday levels with a log-linear trend that places
   * the current level and is extrapolated only when significant; the seasonal naive fallback), each
   * Poisson or negative binomial by a dispersion test, chooses by the log score of a rolling-origin
   * backtest over held-out history, and forecasts the total of the next {@code horizonDays} local
   * days, today included. The 95% interval holds whole numbers and never goes below zero. Each
   * forecast reports its method, its backtest error (MAE, MASE) and the empirical coverage of its
   * interval on the backtest. The fleet's forecast is the sum of the location forecasts
   * (bottom-up: {@link io.modax.fleet.statistics.CountForecasts#sumOf}), so the fleet figure is the
   * sum of the location figures; its backtest checks that sum at each origin. {@link
   * MaintenanceForecast#pooledLocationBacktest()} pools the locations' own backtests.
   *
   * <p><b>History length.</b> A forecast needs at least 35 days of history. When the history is too
   * short to check totals of the whole horizon (it takes 28 + horizon + 6 days), the model is
   * chosen and its coverage measured on totals of the longest horizon the history allows, and the
   * forecast's method says the horizon's own interval is unchecked. A location with too short a
   * history has no forecast ({@link MaintenanceForecast.LocationForecast#note()} says why) and is
   * left out of the fleet's sum (a note in {@link MaintenanceForecast#notes()} says so).
   *
   * <p><b>Spare parts</b>, in both modes. For each part, the units used per day across the fleet
   * (maintenance and failure events, the organization's calendar) over the same history, forecast
   * over the horizon in the same way; the recommended stock is the smallest number whose
   * probability of covering the demand is at least {@code serviceLevel} under the forecast's
   * Poisson or negative binomial distribution ({@link io.modax.fleet.statistics.SpareParts#stock}).
   * The horizon stands for the replenishment lead time.
   *
   * <p>In {@link AggregationMode#SEED_COMPATIBLE} the fleet figures are the design's: daily totals
   * over UTC days for {@code timestamp > now - 90 days}, {@code expected = mean x h}, interval
   * {@code (mean -/+ 1.96 sd) x h} (which can be negative), with a {@link
   * MaintenanceForecast#statisticalMethod()} that says what is wrong with it; there are no
   * per-location forecasts.
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param horizonDays days ahead, {@value #MIN_HORIZON_DAYS} to {@value #MAX_HORIZON_DAYS}
   * @param serviceLevel probability that a part's stock covers its demand, {@value
   *     #MIN_SERVICE_LEVEL} to {@value #MAX_SERVICE_LEVEL}
   * @throws InvalidRequestException when the horizon or service level is outside its range
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public MaintenanceForecast forecastMaintenanceDemand(
      CallerContext caller, String organizationId, int horizonDays, double serviceLevel) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireBetween("horizonDays", horizonDays, MIN_HORIZON_DAYS, MAX_HORIZON_DAYS);
    if (!(serviceLevel >= MIN_SERVICE_LEVEL && serviceLevel <= MAX_SERVICE_LEVEL)) {
      throw new InvalidRequestException("serviceLevel " + serviceLevel + " is outside the allowed range ["
          + MIN_SERVICE_LEVEL + ", " + MAX_SERVICE_LEVEL + "]: give a probability such as 0.95");
    }
    AggregationMode mode = engine.aggregationMode();
    Instant now = engine.clock().instant().truncatedTo(ChronoUnit.MICROS);
    return engine.warehouse().inReadTransaction(orgId, "forecasting maintenance demand", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      WindowSums.refreshDirtyRollups(dsl, orgId);
      List<WindowSums.LocationInfo> infos = WindowSums.locations(dsl, orgId);
      Map<String, DemandForecasts.Series> history =
          DemandForecasts.locationFailures(dsl, orgId, infos, now, HISTORY_DAYS);
      List<String> notes = new ArrayList<>();
      List<MaintenanceForecast.SparePartNeed> parts = DemandForecasts.spareParts(dsl, orgId, history, infos,
          now, HISTORY_DAYS, horizonDays, serviceLevel, notes);
      if (mode == AggregationMode.SEED_COMPATIBLE) {
        return seedForecast(dsl, orgId, now, horizonDays, serviceLevel, parts, notes);
      }
      List<MaintenanceForecast.LocationForecast> locations = new ArrayList<>();
      List<CountForecast> forecasts = new ArrayList<>();
      for (WindowSums.LocationInfo l : infos) {
        DemandForecasts.Series s = history.get(l.id());
        if (s == null) {
          String note = "location " + l.id() + ": no snapshots in the last " + HISTORY_DAYS + " days";
          notes.add(note);
          locations.add(new MaintenanceForecast.LocationForecast(l.id(), l.name(), null, 0, 0, 0, 0, null, null,
              null, null, note));
          continue;
        }
        DemandForecasts.Outcome o = DemandForecasts.forecast(s, horizonDays, "location " + l.id());
        CountForecast f = o.forecast();
        if (f == null) {
          notes.add(o.note());
        } else {
          forecasts.add(f);
        }
        int observed = s.observedDays();
        locations.add(new MaintenanceForecast.LocationForecast(l.id(), l.name(), s.firstDay(), s.days(), observed,
            s.total(), observed == 0 ? 0 : (double) s.total() / observed,
            f == null ? null : f.expected(),
            f == null ? null : (long) f.interval().lower(),
            f == null ? null : (long) f.interval().upper(), f, o.note()));
      }
      CountForecast fleet = null;
      if (history.isEmpty()) {
        notes.add("fleet: no snapshots in the last " + HISTORY_DAYS + " days");
      } else if (forecasts.isEmpty()) {
        notes.add("fleet: no location has a forecast, so neither has the fleet");
      } else {
        // bottom-up: the fleet's forecast is the sum of its locations' (one story per number)
        try {
          fleet = CountForecasts.sumOf(forecasts);
          if (forecasts.size() < infos.size()) {
            notes.add("fleet: the sum of the " + forecasts.size() + " of " + infos.size()
                + " locations that have a forecast; the others are left out (see their notes)");
          }
        } catch (InvalidRequestException e) {
          notes.add("fleet: " + e.getMessage());
        }
      }
      return new MaintenanceForecast(orgId, now, horizonDays, serviceLevel, mode, HISTORY_DAYS,
          FORECAST_METHOD, fleet == null ? null : fleet.expected(),
          fleet == null ? null : fleet.interval().lower(), fleet == null ? null : fleet.interval().upper(),
          fleet == null ? null : fleet.method(), fleet, DemandForecasts.pooled(forecasts), locations, parts,
          notes);
    });
  }

  private static MaintenanceForecast seedForecast(DSLContext dsl, String orgId, Instant now,
      int horizonDays, double serviceLevel, List<MaintenanceForecast.SparePartNeed> parts, List<String> notes) {
    // date_trunc('day', timestamp) in a UTC session over timestamp > now - 90 days
    Instant lower = now.minus(Duration.ofDays(DESIGN_HISTORY_DAYS)).plus(1, ChronoUnit.MICROS);
    List<Instant> from = new ArrayList<>();
    List<Instant> to = new ArrayList<>();
    Instant lastDay = TrendPeriod.DAY.utcBucketStart(now);
    for (Instant d = TrendPeriod.DAY.utcBucketStart(lower); !d.isAfter(lastDay); d = d.plus(Duration.ofDays(1))) {
      from.add(d.isBefore(lower) ? lower : d);
      to.add(d.equals(lastDay) ? WindowSums.UNBOUNDED_END : d.plus(Duration.ofDays(1)));
    }
    List<Double> daily = new ArrayList<>();
    for (Map<String, ComponentSums> day : WindowSums.readBuckets(dsl, orgId, from, to)) {
      ComponentSums total = ComponentSums.ZERO;
      for (ComponentSums s : day.values()) {
        total = total.plus(s);
      }
      if (total.snapshotCount() > 0) {
        daily.add((double) total.failures());
      }
    }
    Double expected = null;
    Double lo = null;
    Double hi = null;
    double mean = 0;
    double sd = Double.NaN;
    if (!daily.isEmpty()) {
      mean = daily.stream().mapToDouble(Double::doubleValue).sum() / daily.size();
      expected = mean * horizonDays;
      if (daily.size() > 1) {
        double ss = 0;
        for (double x : daily) {
          ss += (x - mean) * (x - mean);
        }
        sd = Math.sqrt(ss / (daily.size() - 1));
        lo = (mean - 1.96 * sd) * horizonDays;
        hi = (mean + 1.96 * sd) * horizonDays;
      }
    } else {
      notes.add("fleet: no snapshots in the design's " + DESIGN_HISTORY_DAYS + "-day window");
    }
    StatisticalMethod method = expected == null ? null : new StatisticalMethod(
        "The design's forecast: (mean -/+ 1.96 sd of daily failures) x days (SEED_COMPATIBLE)",
        seedParameters(daily.size(), mean, sd, horizonDays),
        List.of("Daily fleet failure totals over UTC days are independent and normally distributed.",
            "The mean daily rate of the last " + DESIGN_HISTORY_DAYS + " days holds over the horizon: no"
                + " weekly pattern, no trend."),
        List.of("Always, for decisions: the spread is scaled by the number of days instead of its square"
                + " root, so the interval is far too wide for long horizons, and its lower end can be"
                + " negative.",
            "Counts are treated as normal and UTC days cut each plant's day; there is no backtest.",
            "Use the default mode (EXPOSURE_WEIGHTED) for count forecasts with backtested coverage."));
    return new MaintenanceForecast(orgId, now, horizonDays, serviceLevel, AggregationMode.SEED_COMPATIBLE,
        DESIGN_HISTORY_DAYS, SEED_FORECAST_METHOD, expected, lo, hi, method, null, null, List.of(), parts, notes);
  }

  private static Map<String, String> seedParameters(int days, double mean, double sd, int horizon) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("UTC days with snapshots", Integer.toString(days));
    p.put("mean daily failures", Double.toString(mean));
    p.put("sd of daily failures", Double.isNaN(sd) ? "undefined (one day)" : Double.toString(sd));
    p.put("horizon days", Integer.toString(horizon));
    return p;
  }

  /**
   * Reliability trends over the last year ({@link #DEFAULT_RELIABILITY_WINDOW}).
   *
   * @see #reliability(CallerContext, String, Window)
   */
  public ReliabilityReport reliability(CallerContext caller, String organizationId) {
    return reliability(caller, organizationId, DEFAULT_RELIABILITY_WINDOW);
  }

  /**
   * Reliability trends from the failure events of the window, per location and per device type:
   * Crow-AMSAA (β with its {@value #RELIABILITY_LEVEL} interval and a verdict: improving below 1,
   * deteriorating above 1, stable when the interval holds 1), the Laplace trend test, and a Weibull
   * fit of device lives with right censoring. See {@link ReliabilityReport}.
   *
   * <p><b>Data.</b> Each location is observed over the whole local calendar days that lie inside
   * the window (in its own time zone). The failure events ({@code maintenance_events} with {@code
   * event_type = 'failure'}) of those days are placed on a production-hour clock: the location's
   * production device-hours from the start of its first whole day to the event (the daily rollup's
   * production hours, each local day's spread evenly over the day; nothing accrues on a day without
   * snapshots).
   *
   * <ul>
   *   <li><b>Location trend</b>: its failures' clock times, time truncated at the location's
   *       production hours over all of its whole days.
   *   <li><b>Device-type trend</b>: the failures of devices of the type ({@code devices.device_type}
   *       of the event's device), on the type's clock: the sum over locations of the location's
   *       production hours times the share of its devices in service (not decommissioned) that are
   *       of the type.
   *   <li><b>Weibull lives</b> (per location: its devices; per type: devices of the type), in device
   *       production hours (the location's hours divided by its devices in service): for every
   *       device with a failure in the window, each time between two consecutive failures is a
   *       failed life, and the time from its last failure to the end of the location's last whole
   *       day a right-censored one.
   *       The time from the window start to a device's first failure is not used (the device's age
   *       then is unknown), nor are devices without a failure in the window (no life of theirs
   *       starts in it). Events without a device count in the location's trend only.
   * </ul>
   *
   * <p>The window is read as {@code [start, end)} in every aggregation mode (the design has no
   * reliability analysis to be compatible with).
   *
   * @param caller who asks
   * @param organizationId the organization
   * @param window the window, e.g. the last year
   * @throws InvalidRequestException when the window is null or longer than the configured maximum
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the organization does not exist
   */
  public ReliabilityReport reliability(CallerContext caller, String organizationId, Window window) {
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("window", window);
    Window.Bounds b = window.resolve(engine.clock(), AggregationMode.EXPOSURE_WEIGHTED, engine.maxWindow());
    return engine.warehouse().inReadTransaction(orgId, "reading reliability trends", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId, engine.limits().maxLocationsPerOrganization());
      WindowSums.refreshDirtyRollups(dsl, orgId);
      return ReliabilityTrends.compute(dsl, orgId, WindowSums.locations(dsl, orgId), b, RELIABILITY_LEVEL);
    });
  }
}
