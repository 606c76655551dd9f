package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENTS;
import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENT_PARTS;
import static io.modax.fleet.internal.jooq.Tables.ORGANIZATIONS;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.statistics.CountForecast;
import io.modax.fleet.statistics.CountForecasts;
import io.modax.fleet.statistics.ForecastBacktest;
import io.modax.fleet.statistics.ForecastOptions;
import io.modax.fleet.statistics.SpareParts;
import io.modax.fleet.statistics.SpareStock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The default mode's maintenance forecast: daily failure counts per location from the daily
 * rollup, the fleet's daily totals, and daily part usage from the events, each forecast with
 * {@link CountForecasts}. Package-private; {@link TrendAnalyzer} documents the behaviour.
 */
final class DemandForecasts {

  private DemandForecasts() {}

  /** Fewest history days any forecast needs: four weeks to fit, one day to check, 7 origins. */
  static final int MIN_HISTORY_DAYS =
      CountForecasts.MIN_TRAINING_DAYS + 1 + ForecastOptions.MIN_BACKTEST_ORIGINS - 1;

  /** A daily count series: counts, which days were observed, and its first day. */
  record Series(LocalDate firstDay, int[] counts, boolean[] observed) {
    int days() {
      return counts.length;
    }

    int observedDays() {
      int n = 0;
      for (boolean b : observed) {
        n += b ? 1 : 0;
      }
      return n;
    }

    long total() {
      long t = 0;
      for (int i = 0; i < counts.length; i++) {
        t += observed[i] ? counts[i] : 0;
      }
      return t;
    }
  }

  /** A forecast, or why there is none. */
  record Outcome(@Nullable CountForecast forecast, @Nullable String note) {}

  /**
   * Forecasts a series over {@code horizon} days, checked on totals of as many days as the history
   * allows, up to the horizon.
   */
  static Outcome forecast(Series s, int horizon, String what) {
    int n = s.days();
    if (n < MIN_HISTORY_DAYS) {
      return new Outcome(null, what + ": a history of " + n + " days (from " + s.firstDay() + ") is too short"
          + " for a forecast: at least " + MIN_HISTORY_DAYS + " days are needed (28 to fit, 7 backtest origins)");
    }
    if (s.observedDays() < CountForecasts.MIN_TRAINING_DAYS) {
      return new Outcome(null, what + ": only " + s.observedDays() + " of " + n + " days have data; at least "
          + CountForecasts.MIN_TRAINING_DAYS + " are needed");
    }
    int backtest = Math.min(horizon, n - MIN_HISTORY_DAYS + 1);
    try {
      return new Outcome(CountForecasts.forecast(s.counts(), s.observed(), s.firstDay(), horizon, backtest,
          ForecastOptions.defaults()), null);
    } catch (InvalidRequestException e) {
      // the history is ours, not the caller's: say why there is no forecast instead of failing
      return new Outcome(null, what + ": " + e.getMessage());
    }
  }

  /**
   * Each location's failures per local day, from its first day with snapshots within the last
   * {@code historyDays} days to yesterday (local); days without snapshots are unobserved. Keyed by
   * location id; a location without snapshots there is absent.
   */
  static Map<String, Series> locationFailures(DSLContext dsl, String orgId,
      List<WindowSums.LocationInfo> locations, Instant now, int historyDays) {
    Map<String, Map<LocalDate, Long>> rows =
        DailyRollup.failures(dsl, orgId, now.minus(Duration.ofDays(historyDays + 2L)), now);
    Map<String, Series> out = new TreeMap<>();
    for (WindowSums.LocationInfo l : locations) {
      long today = LocalDate.ofInstant(now, l.zone()).toEpochDay();
      long earliest = today - historyDays;
      // the days in [earliest, today), placed by epoch day: no map of dates in between
      Map<LocalDate, Long> days = rows.getOrDefault(l.id(), Map.of());
      long first = Long.MAX_VALUE;
      for (LocalDate d : days.keySet()) {
        long e = d.toEpochDay();
        if (e >= earliest && e < today) {
          first = Math.min(first, e);
        }
      }
      if (first == Long.MAX_VALUE) {
        continue;
      }
      int n = (int) (today - first);
      int[] counts = new int[n];
      boolean[] observed = new boolean[n];
      for (Map.Entry<LocalDate, Long> d : days.entrySet()) {
        long e = d.getKey().toEpochDay();
        if (e >= first && e < today) {
          int i = (int) (e - first);
          observed[i] = true;
          counts[i] = (int) Math.min(Integer.MAX_VALUE, d.getValue());
        }
      }
      out.put(l.id(), new Series(LocalDate.ofEpochDay(first), counts, observed));
    }
    return out;
  }

  /** The location backtests pooled over those that checked the longest horizon any did. */
  static @Nullable ForecastBacktest pooled(List<CountForecast> forecasts) {
    int longest = forecasts.stream().mapToInt(f -> f.backtest().horizonDays()).max().orElse(0);
    List<CountForecast> same = forecasts.stream().filter(f -> f.backtest().horizonDays() == longest).toList();
    return same.isEmpty() ? null : CountForecasts.pooledBacktest(same);
  }

  /**
   * Per part: its units used per day across the fleet (the organization's calendar, events of
   * every type), forecast over the horizon, and the stock for the service level. The history runs
   * from the first whole day (organization time) after the fleet's first observed day to
   * yesterday, at most {@code historyDays} days. Parts whose forecast fails add a note.
   */
  static List<MaintenanceForecast.SparePartNeed> spareParts(DSLContext dsl, String orgId,
      Map<String, Series> failureHistory, List<WindowSums.LocationInfo> locations, Instant now,
      int historyDays, int horizon, double serviceLevel, List<String> notes) {
    ZoneId zone = ZoneId.of(dsl.select(ORGANIZATIONS.TIMEZONE).from(ORGANIZATIONS)
        .where(ORGANIZATIONS.ID.eq(orgId)).fetchSingle().value1());
    LocalDate today = LocalDate.ofInstant(now, zone);
    Instant observedFrom = null;
    for (WindowSums.LocationInfo l : locations) {
      Series s = failureHistory.get(l.id());
      if (s != null) {
        Instant t = s.firstDay().atStartOfDay(l.zone()).toInstant();
        observedFrom = observedFrom == null || t.isBefore(observedFrom) ? t : observedFrom;
      }
    }
    if (observedFrom == null) {
      notes.add("spare parts: no snapshots in the last " + historyDays + " days, so no usage history to"
          + " forecast from");
      return List.of();
    }
    // the first whole organization-calendar day on which the fleet was observed
    LocalDate first = LocalDate.ofInstant(observedFrom.minusNanos(1), zone).plusDays(1);
    if (first.isBefore(today.minusDays(historyDays))) {
      first = today.minusDays(historyDays);
    }
    int n = (int) Math.max(0, ChronoUnit.DAYS.between(first, today));
    if (n < MIN_HISTORY_DAYS) {
      notes.add("spare parts: a usage history of " + n + " days (from " + first + ", organization calendar) is"
          + " too short for a forecast: at least " + MIN_HISTORY_DAYS + " days are needed");
      return List.of();
    }
    Map<String, int[]> usage = new TreeMap<>();
    Map<String, long[]> totals = new HashMap<>();
    readUsage(dsl, orgId, first, n, zone, usage, totals);
    List<MaintenanceForecast.SparePartNeed> out = new ArrayList<>();
    boolean[] all = new boolean[n];
    java.util.Arrays.fill(all, true);
    for (Map.Entry<String, int[]> e : usage.entrySet()) {
      // today's forecast first, then the stock backtest's: one chain of shared backtest fits
      List<@Nullable CountForecast> made = partForecasts(first, e.getValue(), horizon);
      CountForecast f = made.get(0);
      if (f == null) {
        // as forecast(Series) would have said it
        notes.add(forecast(new Series(first, e.getValue(), all), horizon, "part " + e.getKey()).note());
        continue;
      }
      SpareStock stock = SpareParts.stock(f.expected(), f.variance(), serviceLevel);
      long[] t = totals.get(e.getKey());
      double[] backtest = stockBacktest(e.getValue(), horizon, serviceLevel, made.subList(1, made.size()));
      out.add(new MaintenanceForecast.SparePartNeed(e.getKey(), t[0], t[1], f.expected(), stock.stock(), f, stock,
          backtest[1] > 0 ? backtest[0] / backtest[1] : null, (int) backtest[1]));
    }
    return out;
  }

  /**
   * Each part's units used per organization-calendar day of {@code [first, first + n)}, and its
   * usage rows and units in all: grouped by the server (part, day) instead of one row per usage,
   * the days told apart by their starting instants in {@code zone} (computed here, so that the
   * calendar is Java's, as for every other local day of the library, and bound as one array).
   */
  private static void readUsage(DSLContext dsl, String orgId, LocalDate first, int n, ZoneId zone,
      Map<String, int[]> usage, Map<String, long[]> totals) {
    String[] starts = new String[n + 1];
    for (int i = 0; i <= n; i++) {
      starts[i] = first.plusDays(i).atStartOfDay(zone).toInstant().toString();
    }
    // the day starts as a scalar subquery, converted once (an InitPlan), not once per row
    String sql = "SELECT p.part_number, width_bucket(e.occurred_at, (SELECT ?::timestamptz[])), count(*),"
        + " sum(p.quantity) FROM " + dsl.render(MAINTENANCE_EVENT_PARTS) + " p JOIN "
        + dsl.render(MAINTENANCE_EVENTS) + " e ON e.organization_id = p.organization_id AND e.id = p.event_id"
        + " WHERE p.organization_id = ? AND e.organization_id = ? AND e.occurred_at >= ?::timestamptz"
        + " AND e.occurred_at < ?::timestamptz GROUP BY 1, 2";
    dsl.connection(c -> {
      try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
        p.setArray(1, c.createArrayOf("text", starts));
        p.setString(2, orgId);
        p.setString(3, orgId);
        p.setString(4, starts[0]);
        p.setString(5, starts[n]);
        try (java.sql.ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String part = rs.getString(1);
            int day = rs.getInt(2) - 1; // bucket i holds [starts[i - 1], starts[i])
            usage.computeIfAbsent(part, k -> new int[n])[day] += (int) rs.getLong(4);
            long[] t = totals.computeIfAbsent(part, k -> new long[2]);
            t[0] += rs.getLong(3);
            t[1] += rs.getLong(4);
          }
        }
      }
    });
  }

  /**
   * A part's forecast for today and the stock backtest's forecasts, from one call of {@link
   * CountForecasts#forecastPrefixes}: element 0 is the forecast from the whole history, exactly as
   * {@link #forecast(Series, int, String)} makes it (the longest prefix is computed as on its own),
   * or null where that would fail; then the forecast made at each of up to 28 past origins (one per
   * day, the most recent whose next {@code horizon} days lie in the history) from the usage before
   * it. The past origins' backtests continue the whole history's backtest fits (their origins
   * overlap) instead of starting their own, which changes their figures at rounding level only.
   */
  static List<@Nullable CountForecast> partForecasts(LocalDate first, int[] usage, int horizon) {
    int count = 0;
    while (count < ForecastOptions.DEFAULT_BACKTEST_ORIGINS
        && usage.length - horizon - count >= MIN_HISTORY_DAYS) {
      count++;
    }
    int[] lengths = new int[count + 1];
    int[] backtests = new int[count + 1];
    lengths[0] = usage.length;
    for (int j = 1; j <= count; j++) {
      lengths[j] = usage.length - horizon - (j - 1);
    }
    for (int j = 0; j <= count; j++) {
      backtests[j] = Math.min(horizon, lengths[j] - MIN_HISTORY_DAYS + 1);
    }
    return CountForecasts.forecastPrefixes(usage, first, horizon, lengths, backtests, ForecastOptions.defaults());
  }

  /**
   * The stock rule out of sample: at each origin of {@link #partForecasts} (the forecasts made
   * there given, in order, null where none could be made) the stock is set from the forecast
   * made from the usage before the origin, exactly as for today, and checked against the usage of
   * the next {@code horizon} days. Returns {covered, origins}.
   */
  static double[] stockBacktest(int[] usage, int horizon, double serviceLevel,
      List<@Nullable CountForecast> forecasts) {
    int covered = 0;
    int used = 0;
    for (int j = 0; j < forecasts.size(); j++) {
      CountForecast f = forecasts.get(j);
      if (f == null) {
        continue;
      }
      int origin = usage.length - horizon - j;
      long stock = SpareParts.stock(f.expected(), f.variance(), serviceLevel).stock();
      long actual = 0;
      for (int t = origin; t < origin + horizon; t++) {
        actual += usage[t];
      }
      used++;
      covered += actual <= stock ? 1 : 0;
    }
    return new double[] {covered, used};
  }
}
