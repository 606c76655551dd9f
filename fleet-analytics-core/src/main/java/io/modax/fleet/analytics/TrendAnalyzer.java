package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.FLEET_METRICS_DAILY;
import static io.modax.fleet.internal.jooq.Tables.LOCATIONS;
import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENTS;
import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENT_PARTS;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.Engine;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * The design's {@code TrendAnalyzer}: failure trends over time and the maintenance demand
 * forecast.
 *
 * <p>Every method takes the caller it works for and refuses, with {@link
 * io.modax.fleet.AccessDeniedException}, a caller who may not read the organization. "Now" is the
 * library's {@link java.time.Clock}. Bad arguments throw {@link InvalidRequestException} naming the
 * value and the rule; an unknown organization throws {@link NotFoundException}.
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
public final class TrendAnalyzer {

  /** The window of failure trends when none is given: the last year, as in the design. */
  public static final Window DEFAULT_TREND_WINDOW = Window.last(Period.ofYears(1));

  /** Days of history a maintenance forecast is fitted to: 90, as in the design. */
  public static final int HISTORY_DAYS = 90;

  /** Shortest forecast horizon, days. */
  public static final int MIN_HORIZON_DAYS = 1;

  /**
   * Longest forecast horizon, days: a year. The model assumes the recent failure rate holds; past
   * a year that assumption (no trend, no seasonality, an unchanged fleet) is not worth a number.
   */
  public static final int MAX_HORIZON_DAYS = 365;

  /** Default forecast horizon: 30 days, as in the design. */
  public static final int DEFAULT_HORIZON_DAYS = 30;

  /** Default spare-parts service level: 95%. */
  public static final double DEFAULT_SERVICE_LEVEL = 0.95;

  /** Lowest service level accepted. */
  public static final double MIN_SERVICE_LEVEL = 0.5;

  /** Highest service level accepted. */
  public static final double MAX_SERVICE_LEVEL = 0.999;

  static final String FORECAST_METHOD =
      "negative binomial count model per location, fitted to the daily failure counts of the last "
          + HISTORY_DAYS + " complete local days with snapshots (mean and over-dispersion), with"
          + " the uncertainty of the estimated rate added; fleet = sum of the locations (means and"
          + " variances add); assumes a constant failure rate (no trend, no weekly seasonality);"
          + " 95% interval = 2.5% and 97.5% quantiles; spare parts: units per part over the last "
          + HISTORY_DAYS + " days of events as a compound Poisson demand, stock = its"
          + " service-level quantile (negative binomial with the same mean and variance)";

  static final String SEED_FORECAST_METHOD =
      "design: mean and sample standard deviation of the UTC daily failure totals over"
          + " timestamp > now - " + HISTORY_DAYS + " days; expected = mean x days, interval ="
          + " (mean -/+ 1.96 sd) x days (may be negative); spare parts as in the default mode";

  private final Engine engine;

  /**
   * Created by {@link io.modax.fleet.FleetAnalytics#trendAnalyzer()}; hosts do not call this.
   *
   * @param engine the library's shared state
   */
  public TrendAnalyzer(Engine engine) {
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
   * before the window), and is explicit when that period had no failures or no data ({@link
   * FailureTrend.Change}), never an infinity or NaN.
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
    String orgId = FleetAnalyzer.readable(caller, organizationId);
    Checks.requireNonNull("period", period);
    Checks.requireNonNull("window", window);
    AggregationMode mode = engine.aggregationMode();
    Instant now = engine.clock().instant();
    Window.Bounds b = window.resolve(engine.clock(), mode, engine.maxWindow());
    return engine.warehouse().inTransaction(orgId, "reading failure trends", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId);
      WindowSums.refreshDirtyRollups(dsl, orgId);
      return failureTrends(dsl, orgId, period, b, mode, now);
    });
  }

  /** The trends inside an open transaction (also used by the dashboard). */
  static FailureTrends failureTrends(
      DSLContext dsl, String orgId, TrendPeriod period, Window.Bounds b, AggregationMode mode, Instant now) {
    List<WindowSums.LocationInfo> locations = WindowSums.locations(dsl, orgId);
    List<FailureTrend> rows = mode == AggregationMode.SEED_COMPATIBLE
        ? seedTrends(dsl, orgId, period, b, locations, now)
        : localTrends(dsl, orgId, period, b, locations, now);
    rows = new ArrayList<>(rows);
    rows.sort(Comparator.comparing(FailureTrend::periodStart).thenComparing(FailureTrend::locationId));
    return new FailureTrends(orgId, period, b.start(), b.end(), mode, rows);
  }

  private static List<FailureTrend> localTrends(DSLContext dsl, String orgId, TrendPeriod period,
      Window.Bounds b, List<WindowSums.LocationInfo> locations, Instant now) {
    if (locations.isEmpty()) {
      return List.of();
    }
    Instant last = b.end().minus(1, ChronoUnit.MICROS);
    LocalDate from = null;
    LocalDate to = null;
    Map<String, LocalDate[]> ranges = new HashMap<>();
    for (WindowSums.LocationInfo l : locations) {
      // one period before the first, for the first period's change
      LocalDate first = period.startOf(LocalDate.ofInstant(b.start(), l.zone()));
      LocalDate before = period.startOf(first.minusDays(1));
      LocalDate end = period.next(period.startOf(LocalDate.ofInstant(last, l.zone())));
      ranges.put(l.id(), new LocalDate[] {before, first, end});
      from = from == null || before.isBefore(from) ? before : from;
      to = to == null || end.isAfter(to) ? end : to;
    }
    Map<String, Map<LocalDate, ComponentSums>> sums =
        WindowSums.readLocalPeriods(dsl, orgId, period, Objects.requireNonNull(from), Objects.requireNonNull(to));
    List<FailureTrend> rows = new ArrayList<>();
    for (WindowSums.LocationInfo l : locations) {
      LocalDate[] r = ranges.get(l.id());
      Map<LocalDate, ComponentSums> byPeriod = sums.getOrDefault(l.id(), Map.of());
      ComponentSums previous = byPeriod.getOrDefault(r[0], ComponentSums.ZERO);
      for (LocalDate p = r[1]; p.isBefore(r[2]); p = period.next(p)) {
        ComponentSums s = byPeriod.getOrDefault(p, ComponentSums.ZERO);
        LocalDate pEnd = period.next(p);
        Instant start = p.atStartOfDay(l.zone()).toInstant();
        Instant end = pEnd.atStartOfDay(l.zone()).toInstant();
        rows.add(row(l, p, pEnd, start, end, !end.isAfter(now), s, s.mtbf(),
            previous.snapshotCount() > 0 ? previous.failures() : null));
        previous = s;
      }
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
            start, end, complete, s, s.seedMtbf(), previousFailures.get(l.id())));
        previousFailures.put(l.id(), s.failures());
      }
    }
    return rows;
  }

  private static FailureTrend row(WindowSums.LocationInfo l, LocalDate periodStart, LocalDate periodEnd,
      Instant start, Instant end, boolean complete, ComponentSums s, @Nullable Double mtbf,
      @Nullable Long previous) {
    FailureTrend.Change change;
    Double percent = null;
    if (s.snapshotCount() == 0) {
      change = FailureTrend.Change.NO_DATA;
    } else if (previous == null) {
      change = FailureTrend.Change.NO_PREVIOUS_PERIOD;
    } else if (previous == 0) {
      change = FailureTrend.Change.NO_PREVIOUS_FAILURES;
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
   * Failures expected over the next {@code horizonDays} days with a 95% interval, and the spare
   * parts to stock for them: the design's {@code forecast_maintenance_demand}, with a count model
   * in place of its normal approximation.
   *
   * <p>Failures (default mode): for each location, the failure counts of each of its last {@value
   * #HISTORY_DAYS} complete local calendar days with snapshots (from the daily rollup; days without
   * any snapshot are not observed) give the daily mean {@code m} and variance {@code v}. The
   * location's count over {@code h} days is predicted with mean {@code h·m} and variance {@code
   * h·max(v, m) + h²·max(v, m)/n} (the day-to-day spread plus the uncertainty of the rate estimated
   * from {@code n} days), as a negative binomial with that mean and variance, whose quantiles are
   * whole numbers and never negative. The fleet's count is the sum of its locations' (means and
   * variances add). A location without a failure in its history is predicted to have none.
   *
   * <p>Spare parts: for each part, the events of the last {@value #HISTORY_DAYS} days that used it
   * give a rate of events and the distribution of units per event; demand over the horizon is
   * compound Poisson, approximated by the negative binomial with the same mean and variance (plus
   * the rate's uncertainty), and the recommended stock is its {@code serviceLevel} quantile.
   *
   * <p>The model assumes the recent rate holds over the horizon: no trend and no weekly seasonality
   * (the statistics module's forecasts add them). {@link MaintenanceForecast#method()} says so.
   *
   * <p>In {@link AggregationMode#SEED_COMPATIBLE} the fleet figures are the design's: daily totals
   * over UTC days for {@code timestamp > now - 90 days}, {@code expected = mean x h}, interval
   * {@code (mean -/+ 1.96 sd) x h} (which can be negative); spare parts are computed as by default,
   * since the design never defined them.
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
    return engine.warehouse().inTransaction(orgId, "forecasting maintenance demand", (c, dsl) -> {
      FleetAnalyzer.requireOrganization(dsl, orgId);
      WindowSums.refreshDirtyRollups(dsl, orgId);
      List<MaintenanceForecast.SparePartNeed> parts = spareParts(dsl, orgId, now, horizonDays, serviceLevel);
      if (mode == AggregationMode.SEED_COMPATIBLE) {
        return seedForecast(dsl, orgId, now, horizonDays, serviceLevel, parts);
      }
      List<MaintenanceForecast.LocationForecast> locations = new ArrayList<>();
      double mean = 0;
      double variance = 0;
      for (LocationHistory h : failureHistory(dsl, orgId, now)) {
        double m = h.days == 0 ? 0 : (double) h.failures / h.days;
        double v = h.days < 2 ? 0 : Math.max(0, (h.squares - (double) h.failures * h.failures / h.days) / (h.days - 1));
        double dispersion = Math.max(v, m);
        double mu = horizonDays * m;
        double var = h.days == 0 ? 0 : horizonDays * dispersion + (double) horizonDays * horizonDays * dispersion / h.days;
        CountDistribution d = CountDistribution.withMeanAndVariance(mu, var);
        locations.add(new MaintenanceForecast.LocationForecast(h.locationId, h.locationName, h.days,
            h.failures, m, v, mu, d.quantile(0.025), d.quantile(0.975)));
        mean += mu;
        variance += var;
      }
      CountDistribution fleet = CountDistribution.withMeanAndVariance(mean, variance);
      return new MaintenanceForecast(orgId, now, horizonDays, serviceLevel, mode, HISTORY_DAYS,
          FORECAST_METHOD, mean, (double) fleet.quantile(0.025), (double) fleet.quantile(0.975),
          locations, parts);
    });
  }

  private record LocationHistory(String locationId, String locationName, int days, long failures, double squares) {}

  /** Per location: observed days, failures and the sum of squared daily counts over the history. */
  private static List<LocationHistory> failureHistory(DSLContext dsl, String orgId, Instant now) {
    // each location's own local "today" and the HISTORY_DAYS complete days before it
    Field<LocalDate> today = DSL.field("({0} AT TIME ZONE {1})::date", SQLDataType.LOCALDATE,
        DSL.val(now), LOCATIONS.TIMEZONE);
    Field<LocalDate> historyStart = DSL.field("({0} AT TIME ZONE {1})::date - {2}", SQLDataType.LOCALDATE,
        DSL.val(now), LOCATIONS.TIMEZONE, DSL.inline(HISTORY_DAYS));
    Field<Integer> days = DSL.count(FLEET_METRICS_DAILY.LOCAL_DATE);
    Field<java.math.BigDecimal> failures = DSL.sum(FLEET_METRICS_DAILY.TOTAL_FAILURES);
    Field<java.math.BigDecimal> squares = DSL.sum(FLEET_METRICS_DAILY.TOTAL_FAILURES.mul(FLEET_METRICS_DAILY.TOTAL_FAILURES));
    List<LocationHistory> out = new ArrayList<>();
    for (Record r : dsl.select(LOCATIONS.ID, LOCATIONS.NAME, days, failures, squares)
        .from(LOCATIONS)
        .leftJoin(FLEET_METRICS_DAILY)
        .on(FLEET_METRICS_DAILY.ORGANIZATION_ID.eq(LOCATIONS.ORGANIZATION_ID)
            .and(FLEET_METRICS_DAILY.LOCATION_ID.eq(LOCATIONS.ID))
            .and(FLEET_METRICS_DAILY.SNAPSHOT_COUNT.gt(0L))
            .and(FLEET_METRICS_DAILY.LOCAL_DATE.lt(today))
            .and(FLEET_METRICS_DAILY.LOCAL_DATE.ge(historyStart)))
        .where(LOCATIONS.ORGANIZATION_ID.eq(orgId))
        .groupBy(LOCATIONS.ID, LOCATIONS.NAME)
        .orderBy(LOCATIONS.ID)
        .fetch()) {
      out.add(new LocationHistory(r.get(LOCATIONS.ID), r.get(LOCATIONS.NAME), r.get(days),
          r.get(failures) == null ? 0 : r.get(failures).longValue(),
          r.get(squares) == null ? 0 : r.get(squares).doubleValue()));
    }
    return out;
  }

  private static MaintenanceForecast seedForecast(DSLContext dsl, String orgId, Instant now,
      int horizonDays, double serviceLevel, List<MaintenanceForecast.SparePartNeed> parts) {
    // date_trunc('day', timestamp) in a UTC session over timestamp > now - 90 days
    Instant lower = now.minus(Duration.ofDays(HISTORY_DAYS)).plus(1, ChronoUnit.MICROS);
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
    if (!daily.isEmpty()) {
      double mean = daily.stream().mapToDouble(Double::doubleValue).sum() / daily.size();
      expected = mean * horizonDays;
      if (daily.size() > 1) {
        double ss = 0;
        for (double x : daily) {
          ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (daily.size() - 1));
        lo = (mean - 1.96 * sd) * horizonDays;
        hi = (mean + 1.96 * sd) * horizonDays;
      }
    }
    return new MaintenanceForecast(orgId, now, horizonDays, serviceLevel, AggregationMode.SEED_COMPATIBLE,
        HISTORY_DAYS, SEED_FORECAST_METHOD, expected, lo, hi, List.of(), parts);
  }

  /** Per part used in the last HISTORY_DAYS days: the stock for the horizon at the service level. */
  private static List<MaintenanceForecast.SparePartNeed> spareParts(
      DSLContext dsl, String orgId, Instant now, int horizonDays, double serviceLevel) {
    Field<Integer> events = DSL.count();
    Field<java.math.BigDecimal> units = DSL.sum(MAINTENANCE_EVENT_PARTS.QUANTITY);
    Field<java.math.BigDecimal> squares = DSL.sum(MAINTENANCE_EVENT_PARTS.QUANTITY.mul(MAINTENANCE_EVENT_PARTS.QUANTITY));
    List<MaintenanceForecast.SparePartNeed> out = new ArrayList<>();
    double scale = (double) horizonDays / HISTORY_DAYS;
    for (Record r : dsl.select(MAINTENANCE_EVENT_PARTS.PART_NUMBER, events, units, squares)
        .from(MAINTENANCE_EVENT_PARTS)
        .join(MAINTENANCE_EVENTS)
        .on(MAINTENANCE_EVENTS.ORGANIZATION_ID.eq(MAINTENANCE_EVENT_PARTS.ORGANIZATION_ID)
            .and(MAINTENANCE_EVENTS.ID.eq(MAINTENANCE_EVENT_PARTS.EVENT_ID)))
        .where(MAINTENANCE_EVENT_PARTS.ORGANIZATION_ID.eq(orgId)
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.ge(now.minus(Duration.ofDays(HISTORY_DAYS))))
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.lt(now)))
        .groupBy(MAINTENANCE_EVENT_PARTS.PART_NUMBER)
        .orderBy(MAINTENANCE_EVENT_PARTS.PART_NUMBER)
        .fetch()) {
      long n = r.get(events);
      long u = r.get(units).longValue();
      double q2 = r.get(squares).doubleValue();
      // compound Poisson: mean = rate x E[q], variance = rate x E[q^2]; plus the variance of the
      // estimated rate (relative variance 1/n for n events)
      double mean = u * scale;
      double variance = q2 * scale + mean * mean / n;
      CountDistribution d = CountDistribution.withMeanAndVariance(mean, variance);
      out.add(new MaintenanceForecast.SparePartNeed(r.get(MAINTENANCE_EVENT_PARTS.PART_NUMBER), n, u, mean,
          d.quantile(serviceLevel)));
    }
    return out;
  }
}
