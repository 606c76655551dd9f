package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Forecasts of daily counts (failures, maintenance demand, part usage) summed over a horizon, with
 * weekly seasonality, trend and over-dispersion, the model chosen on held-out history.
 *
 * <p><b>Candidates</b>: (1) a level per weekday fitted to the last {@value #LEVEL_DAYS} days, the
 * seasonal baseline (its dispersion serves the others; reported, not chosen: under any drift it
 * lags by half its window); (2) the same fitted to the last {@value #RECENT_DAYS} days only, which
 * follows a changed level without extrapolating (its dispersion comes from (1)), its level moved
 * from the window's middle to the last history day along (3)'s fitted trend; (3) a level per
 * weekday and a log-linear trend over up to {@value #MAX_TRAINING_DAYS} days: the fitted line gives
 * the level at the last history day (the current level, whether or not the trend is significant),
 * and the trend is extrapolated beyond it only when significant (|z| ≥ 1.96), then damped and
 * capped at ±ln 2 a year (at most doubling or halving in a year); (4) the seasonal naive forecast
 * (repeat the last week), the fallback. Each model is a Poisson regression, or negative binomial
 * when the Pearson dispersion test rejects the Poisson at 5%, with the degrees-of-freedom-corrected
 * moment estimate of α (details in {@code docs/statistics.md}).
 *
 * <p><b>Choice</b>: each candidate runs the same rolling-origin backtest: at each of the most
 * recent origins (one per day, {@link ForecastOptions#backtestOrigins()} at most) it is fitted to
 * the days before the origin and forecasts the total of the next {@code horizonDays} days. Of (2)
 * and (3), the model with the better mean log score of those totals wins (a proper scoring rule;
 * ties to the simpler).
 * The seasonal naive forecast is used instead when the winner's, or the whole procedure's, mean
 * absolute error is above its own, so that no forecast does worse than repeating the last week in
 * its backtest (unless the last week had no event). {@link CountForecast#backtest()} is
 * <b>nested</b>: at each origin the model is chosen on the origins before it, as the forecast is.
 *
 * <p><b>Interval</b>: the total's predictive distribution is Poisson or a moment-matched negative
 * binomial whose variance adds the daily noise, the over-dispersion and the uncertainty of the
 * fitted mean; the interval is its equal-tailed quantiles, so it holds whole numbers and never goes
 * below zero. A history without any event gives the Jeffreys-prior predictive (mean half an event
 * per history length, scaled to the horizon) instead of a certain zero.
 *
 * <p><b>History</b>: at least {@value #MIN_TRAINING_DAYS} + horizon + {@value
 * ForecastOptions#MIN_BACKTEST_ORIGINS} - 1 days (four weeks to fit, the horizon to check, seven
 * origins); the most recent {@value #MAX_TRAINING_DAYS} days are used to fit. The general {@link
 * #forecast(int[], boolean[], LocalDate, int, int, ForecastOptions)} also takes days that were not
 * observed (left out, never counted as zeros) and a backtest horizon shorter than the forecast's
 * for histories too short to check the whole horizon.
 *
 * <p>Static, pure and thread-safe.
 */
public final class CountForecasts {

  /** Shortest horizon: 1 day. */
  public static final int MIN_HORIZON_DAYS = 1;

  /** Longest horizon: 365 days. */
  public static final int MAX_HORIZON_DAYS = 365;

  /** Fewest days any fit uses: 28 (each weekday four times). */
  public static final int MIN_TRAINING_DAYS = 28;

  /** Most recent days a fit uses at most: 730. */
  public static final int MAX_TRAINING_DAYS = 730;

  /**
   * Days the "weekday levels" candidate fits: the last 13 weeks. A constant level fitted to a
   * longer history lags any drift the trend test is too weak to find (half a year of lag on a
   * year of history); the trend candidate uses the longer history.
   */
  public static final int LEVEL_DAYS = 91;

  /** Days the "recent weekday levels" candidate fits: the last four weeks. */
  public static final int RECENT_DAYS = 28;

  /** The candidate models, simplest first (ties go to the earlier one). */
  enum Candidate {
    WEEKDAY("weekday levels, last " + LEVEL_DAYS + " days", false, LEVEL_DAYS),
    RECENT("weekday levels, last " + RECENT_DAYS + " days", false, RECENT_DAYS),
    TREND("weekday levels + trend (current level; extrapolated if significant)", true, MAX_TRAINING_DAYS),
    NAIVE("seasonal naive (repeat the last week)", false, 7);

    final String label;
    final boolean trend;
    final int window;

    Candidate(String label, boolean trend, int window) {
      this.label = label;
      this.trend = trend;
      this.window = window;
    }

    /**
     * Fits the window ending before {@code end}; near: a fit of an overlapping window to start
     * from, or for {@link #RECENT} the weekday levels' fit ending the same day, whose dispersion
     * it takes (null: its own). A trend locates the level at the window's last day whether or not
     * it is significant; beyond the window it is extrapolated only when significant (damped,
     * capped; see {@link CountModel}). Not for {@link #NAIVE}, which has no model.
     */
    CountModel fit(
        int[] y, boolean @Nullable [] observed, int end, int weekday0, @Nullable CountModel near) {
      return fit(y, observed, end, weekday0, near, null);
    }

    /**
     * As {@link #fit(int[], boolean[], int, int, CountModel)}; for {@link #RECENT}, {@code
     * sameDay} may hold the {@link #WEEKDAY} and {@link #TREND} fits ending the same day (by
     * ordinal; null entries are fitted here): its level is moved from the middle of its four
     * weeks to their last day along the trend fit's trend ({@link CountModel#movedToLastDay}).
     */
    CountModel fit(
        int[] y,
        boolean @Nullable [] observed,
        int end,
        int weekday0,
        @Nullable CountModel near,
        @Nullable CountModel @Nullable [] sameDay) {
      int from = windowStart(observed, end, window);
      if (this == RECENT) {
        CountModel longer = sameDay == null ? null : sameDay[WEEKDAY.ordinal()];
        if (longer == null || longer.end != end) {
          longer = WEEKDAY.fit(y, observed, end, weekday0, null);
        }
        CountModel line = sameDay == null ? null : sameDay[TREND.ordinal()];
        if (line == null || line.end != end) {
          line = TREND.fit(y, observed, end, weekday0, null);
        }
        return CountModel.fitByWeekday(y, observed, from, end, weekday0, longer).movedToLastDay(line, observed);
      }
      return CountModel.fit(y, observed, from, end, weekday0, trend, near);
    }
  }

  private CountForecasts() {}

  /** {@link #forecast(int[], LocalDate, int, ForecastOptions)} with {@link ForecastOptions#defaults()}. */
  public static CountForecast forecast(int[] dailyCounts, LocalDate firstDay, int horizonDays) {
    return forecast(dailyCounts, firstDay, horizonDays, ForecastOptions.defaults());
  }

  /**
   * Forecasts the total count over the {@code horizonDays} days after the history, the model
   * chosen by a backtest of {@code horizonDays}-day totals.
   *
   * @param dailyCounts one count per day, oldest first, consecutive days with no gaps (a day
   *     without events is 0), counted in the location's own calendar
   * @param firstDay the calendar day of {@code dailyCounts[0]}, which sets the weekdays
   * @param horizonDays 1 to {@value #MAX_HORIZON_DAYS}
   * @param options interval level and backtest size
   * @throws InvalidRequestException for a horizon out of range, negative counts, or a history
   *     shorter than {@value #MIN_TRAINING_DAYS} + horizon + 6 days
   */
  public static CountForecast forecast(
      int[] dailyCounts, LocalDate firstDay, int horizonDays, ForecastOptions options) {
    return forecast(dailyCounts, null, firstDay, horizonDays, horizonDays, options);
  }

  /**
   * Forecasts the total count over the {@code horizonDays} days after the history, from a history
   * that may have unobserved days, with the model chosen by a backtest of {@code
   * backtestHorizonDays}-day totals (at most the horizon).
   *
   * <p><b>Unobserved days</b> (a location sent no data that day): {@code observed[i]} false means
   * {@code dailyCounts[i]} is unknown and ignored. Fits leave such days out (a window of w days
   * then reaches back until it holds w observed days); a backtest origin compares forecast and
   * actual over the observed days of its {@code backtestHorizonDays} days only, and is skipped when
   * there are none; the seasonal naive forecast repeats the most recent observed same weekday.
   * The history must hold at least {@value #MIN_TRAINING_DAYS} observed days.
   *
   * <p><b>A shorter backtest horizon</b> lets a history too short to check the full horizon still
   * give a forecast: the backtest then says how totals of {@code backtestHorizonDays} days fared
   * (its {@link ForecastBacktest#horizonDays()}), and the forecast's method carries a caveat that
   * the horizon's own interval is unchecked. The history must be at least {@value
   * #MIN_TRAINING_DAYS} + {@code backtestHorizonDays} + 6 days long.
   *
   * @param dailyCounts one count per calendar day, oldest first, in the location's own calendar
   *     (at least 0; ignored where not observed)
   * @param observed per day, whether its count was observed; null when every day was
   * @param firstDay the calendar day of {@code dailyCounts[0]}, which sets the weekdays
   * @param horizonDays 1 to {@value #MAX_HORIZON_DAYS}
   * @param backtestHorizonDays 1 to {@code horizonDays}
   * @param options interval level and backtest size
   * @throws InvalidRequestException for a horizon or backtest horizon out of range, negative
   *     counts, mismatched arrays, fewer than {@value #MIN_TRAINING_DAYS} observed days, a history
   *     shorter than {@value #MIN_TRAINING_DAYS} + backtest horizon + 6 days, or a backtest whose
   *     every origin has only unobserved days
   */
  public static CountForecast forecast(
      int[] dailyCounts,
      boolean @Nullable [] observed,
      LocalDate firstDay,
      int horizonDays,
      int backtestHorizonDays,
      ForecastOptions options) {
    return forecast(dailyCounts, observed, firstDay, horizonDays, backtestHorizonDays, options, null);
  }

  /**
   * Forecasts from each of several prefixes of one history whose days were all observed: for each
   * length, what {@link #forecast(int[], boolean[], LocalDate, int, int, ForecastOptions)} gives for
   * the first {@code lengths[j]} days, with the backtest horizon {@code backtestHorizonDays[j]}; for
   * a backtest of a rule built on forecasts (e.g. a stock level made at each of many past days).
   * Prefixes with the same backtest horizon share their backtests' fits at the origins they have in
   * common (each origin's fit uses only the days before it and its {@code h}-day total after it,
   * the same in every prefix that holds them): the trend fits there start from the neighbouring
   * origin's fit of the longest prefix instead of their own prefix's, which reaches the same
   * optimum to the fits' convergence (about 1e-12 relative), so the figures agree with separate
   * forecasts to that precision, not always bit for bit. A prefix that ends at a backtest origin of
   * a longer one takes the fits made there as its own (the same windows of the same days). The
   * longest prefix's forecast is made as on its own, so it equals the separate forecast exactly.
   *
   * @param dailyCounts the whole history (at least 0 each), oldest first; every day observed
   * @param firstDay the calendar day of {@code dailyCounts[0]}
   * @param horizonDays 1 to {@value #MAX_HORIZON_DAYS}
   * @param lengths the prefix lengths, each at most the history's length
   * @param backtestHorizonDays per prefix, 1 to {@code horizonDays}
   * @param options interval level and backtest size
   * @return per prefix, in the order given, its forecast, or null where {@link #forecast(int[],
   *     boolean[], LocalDate, int, int, ForecastOptions)} would throw an {@link
   *     InvalidRequestException} for it
   * @throws InvalidRequestException for null arguments, arrays of different lengths, or a length
   *     outside [0, history length]
   */
  public static List<@Nullable CountForecast> forecastPrefixes(
      int[] dailyCounts,
      LocalDate firstDay,
      int horizonDays,
      int[] lengths,
      int[] backtestHorizonDays,
      ForecastOptions options) {
    if (dailyCounts == null || lengths == null || backtestHorizonDays == null) {
      throw new InvalidRequestException("dailyCounts, lengths and backtestHorizonDays must not be null");
    }
    if (lengths.length != backtestHorizonDays.length) {
      throw new InvalidRequestException(
          "lengths has " + lengths.length + " entries and backtestHorizonDays "
              + backtestHorizonDays.length + ": need one backtest horizon per length");
    }
    Integer[] order = new Integer[lengths.length];
    for (int j = 0; j < lengths.length; j++) {
      if (lengths[j] < 0 || lengths[j] > dailyCounts.length) {
        throw new InvalidRequestException(
            "prefix length " + lengths[j] + " is outside [0, " + dailyCounts.length + "]");
      }
      order[j] = j;
    }
    // longest first: each shorter prefix's origins then continue the shared fits downwards
    java.util.Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
    java.util.Map<Integer, Shared> shared = new java.util.HashMap<>();
    List<@Nullable CountForecast> out = new ArrayList<>(java.util.Collections.nCopies(lengths.length, null));
    for (int j : order) {
      Shared s =
          shared.computeIfAbsent(
              backtestHorizonDays[j], k -> new Shared(dailyCounts.length, Candidate.values().length));
      try {
        out.set(
            j,
            forecast(
                java.util.Arrays.copyOf(dailyCounts, lengths[j]),
                null,
                firstDay,
                horizonDays,
                backtestHorizonDays[j],
                options,
                s));
      } catch (InvalidRequestException e) {
        out.set(j, null);
      }
    }
    return out;
  }

  private static CountForecast forecast(
      int[] dailyCounts,
      boolean @Nullable [] observed,
      LocalDate firstDay,
      int horizonDays,
      int backtestHorizonDays,
      ForecastOptions options,
      @Nullable Shared shared) {
    if (firstDay == null || options == null) {
      throw new InvalidRequestException("firstDay and options must not be null");
    }
    if (horizonDays < MIN_HORIZON_DAYS || horizonDays > MAX_HORIZON_DAYS) {
      throw new InvalidRequestException(
          "horizonDays "
              + horizonDays
              + " is outside the allowed range ["
              + MIN_HORIZON_DAYS
              + ", "
              + MAX_HORIZON_DAYS
              + "]");
    }
    if (backtestHorizonDays < MIN_HORIZON_DAYS || backtestHorizonDays > horizonDays) {
      throw new InvalidRequestException(
          "backtestHorizonDays "
              + backtestHorizonDays
              + " is outside the allowed range ["
              + MIN_HORIZON_DAYS
              + ", horizonDays "
              + horizonDays
              + "]");
    }
    int h = horizonDays;
    int hb = backtestHorizonDays;
    int needed = MIN_TRAINING_DAYS + hb + ForecastOptions.MIN_BACKTEST_ORIGINS - 1;
    if (dailyCounts != null && dailyCounts.length < needed) {
      throw new InvalidRequestException(
          "a history of "
              + dailyCounts.length
              + " days is too short for a "
              + h
              + "-day forecast"
              + (hb < h ? " checked on " + hb + "-day totals" : "")
              + ": need at least "
              + needed
              + " days ("
              + MIN_TRAINING_DAYS
              + " to fit, "
              + hb
              + " to check each backtest forecast, and "
              + ForecastOptions.MIN_BACKTEST_ORIGINS
              + " backtest origins)");
    }
    int[] y = Inputs.countsCopy("dailyCounts", dailyCounts, needed);
    boolean[] obs = null;
    if (observed != null) {
      if (observed.length != y.length) {
        throw new InvalidRequestException(
            "observed has " + observed.length + " flags for " + y.length + " days: need one per day");
      }
      obs = observed.clone();
      int seen = 0;
      for (int i = 0; i < y.length; i++) {
        if (obs[i]) {
          seen++;
        } else {
          y[i] = 0;
        }
      }
      if (seen < MIN_TRAINING_DAYS) {
        throw new InvalidRequestException(
            "only " + seen + " of " + y.length + " days were observed: at least "
                + MIN_TRAINING_DAYS + " observed days are needed");
      }
      if (seen == y.length) {
        obs = null;
      }
    }
    int n = y.length;
    int weekday0 = firstDay.getDayOfWeek().getValue() - 1;
    int origins = Math.min(options.backtestOrigins(), n - MIN_TRAINING_DAYS - hb + 1);
    double level = options.level();

    Backtests bt =
        new Backtests(y, obs, firstDay, weekday0, hb, origins, level, obs == null ? shared : null);
    int first = n - hb - origins + 1;
    List<ForecastBacktest> candidates = new ArrayList<>();
    for (Candidate c : Candidate.values()) {
      candidates.add(bt.summary(c, first, n - hb));
    }
    Candidate best = bt.select(first, n - hb);
    ForecastBacktest chosen = bt.nested(best.label, first, n - hb);
    if (best == Candidate.NAIVE
        || (chosen.meanAbsoluteError() > chosen.seasonalNaiveMeanAbsoluteError() + 1e-9
            && bt.naiveForecastsEvents(n))) {
      // Every model, or the whole procedure with the model chosen at each origin, did worse than
      // repeating the last week: repeat the last week, and report its own backtest (nothing is
      // chosen inside it).
      best = Candidate.NAIVE;
      chosen = candidates.get(Candidate.NAIVE.ordinal());
    }
    // A prefix whose last day is a backtest origin of a longer prefix takes the fits made there:
    // the same windows of the same days (the trend fit started from its neighbour's instead of
    // from the prior, which reaches the same optimum).
    CountModel @Nullable [] there = obs == null && shared != null ? shared.fitsAt(n) : null;
    CountModel baseline =
        there != null ? there[Candidate.WEEKDAY.ordinal()] : Candidate.WEEKDAY.fit(y, obs, n, weekday0, null);
    CountModel model =
        best == Candidate.NAIVE
            ? baseline
            : there != null ? there[best.ordinal()] : best.fit(y, obs, n, weekday0, null);
    int start = model.start;
    double tail = (1 - level) / 2;
    List<Double> daily = new ArrayList<>(h);
    double expected;
    CountDistribution total;
    if (best == Candidate.NAIVE) {
      SeasonalNaive naive = SeasonalNaive.of(y, obs, n, h, null, baseline);
      total = naive.distribution;
      expected = naive.total;
      for (int t = n; t < n + h; t++) {
        daily.add((double) naive.day(t));
      }
    } else {
      total = model.predictTotal(n, h);
      expected = total.mean;
      for (int t = n; t < n + h; t++) {
        daily.add(model.noEvents ? total.mean / h : model.mean(t));
      }
    }
    Interval interval =
        new Interval(total.quantile(tail), total.quantile(1 - tail), level);
    return new CountForecast(
        firstDay.plusDays(n),
        h,
        expected,
        total.variance,
        interval,
        daily,
        chosen,
        candidates,
        describe(best, model, total, chosen, h, n - start, firstDay, n - observedCount(obs, n)));
  }

  /**
   * Pools the backtests of several forecasts (e.g. every location of a fleet, same backtest horizon
   * and level) into one: origins added up, errors and coverage weighted by origins. One location's
   * coverage rests on few, overlapping windows; the pooled figure is the one to check against the
   * level.
   *
   * @param forecasts at least one forecast, all with backtests of the same horizon and level
   * @return a backtest named {@code "pooled"}
   * @throws InvalidRequestException for an empty collection or mixed horizons or levels
   */
  public static ForecastBacktest pooledBacktest(java.util.Collection<CountForecast> forecasts) {
    if (forecasts == null || forecasts.isEmpty()) {
      throw new InvalidRequestException("forecasts must contain at least one forecast");
    }
    ForecastBacktest first = forecasts.iterator().next().backtest();
    int origins = 0;
    double mae = 0;
    double naive = 0;
    double covered = 0;
    double score = 0;
    for (CountForecast f : forecasts) {
      ForecastBacktest b = f.backtest();
      if (b.horizonDays() != first.horizonDays() || b.level() != first.level()) {
        throw new InvalidRequestException(
            "pooled backtests need one horizon and one level; got "
                + b.horizonDays()
                + " days at "
                + b.level()
                + " beside "
                + first.horizonDays()
                + " days at "
                + first.level());
      }
      origins += b.origins();
      mae += b.meanAbsoluteError() * b.origins();
      naive += b.seasonalNaiveMeanAbsoluteError() * b.origins();
      covered += b.intervalCoverage() * b.origins();
      score += b.meanIntervalScore() * b.origins();
    }
    return new ForecastBacktest(
        "pooled",
        origins,
        first.horizonDays(),
        mae / origins,
        naive / origins,
        naive > 0 ? mae / naive : null,
        score / origins,
        covered / origins,
        first.level());
  }

  // --- internals ---

  /**
   * The forecast of a sum of series, bottom-up from each series' own forecast (e.g. a fleet's
   * failures from its locations'): the expected total is the sum of the parts' expected totals, so
   * the sum and its parts always agree; the variance is the sum of their variances (the parts
   * taken as independent given their forecasts); the interval is the equal-tailed quantiles of the
   * Poisson or moment-matched negative binomial with that mean and variance, whole numbers ≥ 0;
   * the daily expected counts are the parts' summed by position (each part's i-th forecast day in
   * its own calendar, which for locations in different time zones may differ by a date).
   *
   * <p><b>Backtest</b>: the same sum at each backtest origin. For every first forecast day that all
   * parts have a backtest origin for, the parts' forecasts made there (each with the model its own
   * nested backtest used) are added up as above and compared with the sum of their actual totals;
   * the seasonal naive forecast of the sum is the sum of theirs. So its coverage checks the
   * independence assumption too: failures with a common cause move together, and the sum's
   * interval then covers less than its level. Parts whose backtest checked shorter totals than
   * the longest any part checked are left out of the backtest (not of the forecast), and its
   * model name says how many were used.
   *
   * @param parts at least one forecast, all with the same horizon and interval level; first days
   *     may differ (locations in different time zones: the sum starts on the earliest)
   * @return the forecast of the sum; its {@code candidates} list is empty (nothing was chosen)
   * @throws InvalidRequestException for an empty or null list, mixed horizons or levels, or no
   *     backtest day common to the parts
   */
  public static CountForecast sumOf(List<CountForecast> parts) {
    if (parts == null || parts.isEmpty()) {
      throw new InvalidRequestException("parts must contain at least one forecast");
    }
    CountForecast first = parts.get(0);
    int h = first.horizonDays();
    double level = first.interval().level();
    int longest = 0;
    for (CountForecast f : parts) {
      if (f.horizonDays() != h || f.interval().level() != level) {
        throw new InvalidRequestException(
            "a sum of forecasts needs one horizon and one level; got "
                + f.horizonDays() + " days at " + f.interval().level() + " beside "
                + h + " days at " + level);
      }
      longest = Math.max(longest, f.backtest().horizonDays());
    }
    double expected = 0;
    double variance = 0;
    double[] daily = new double[h];
    LocalDate firstDay = first.firstDay();
    for (CountForecast f : parts) {
      expected += f.expected();
      variance += f.variance();
      for (int i = 0; i < h; i++) {
        daily[i] += f.dailyExpected().get(i);
      }
      firstDay = f.firstDay().isBefore(firstDay) ? f.firstDay() : firstDay;
    }
    CountDistribution total = CountDistribution.of(expected, variance);
    double tail = (1 - level) / 2;
    Interval interval = new Interval(total.quantile(tail), total.quantile(1 - tail), level);

    // The backtest of the sum: per first forecast day common to the checked parts.
    List<CountForecast> checked = new ArrayList<>();
    for (CountForecast f : parts) {
      if (f.backtest().horizonDays() == longest) {
        checked.add(f);
      }
    }
    java.util.TreeMap<LocalDate, double[]> byDay = new java.util.TreeMap<>();
    for (CountForecast f : checked) {
      for (ForecastBacktest.Origin o : f.backtest().perOrigin()) {
        double[] acc = byDay.computeIfAbsent(o.firstDay(), d -> new double[5]);
        acc[0] += o.expected();
        acc[1] += o.variance();
        acc[2] += o.actual();
        acc[3] += o.seasonalNaive();
        acc[4]++;
      }
    }
    List<ForecastBacktest.Origin> origins = new ArrayList<>();
    double mae = 0;
    double naive = 0;
    double score = 0;
    int inside = 0;
    for (java.util.Map.Entry<LocalDate, double[]> e : byDay.entrySet()) {
      double[] a = e.getValue();
      if (a[4] < checked.size()) {
        continue; // not every part has this origin: its sum would be partial
      }
      long actual = Math.round(a[2]);
      CountDistribution d = CountDistribution.of(a[0], a[1]);
      long[] ends = d.quantiles(tail, 1 - tail);
      long lower = ends[0];
      long upper = ends[1];
      origins.add(new ForecastBacktest.Origin(e.getKey(), a[0], a[1], actual, Math.round(a[3])));
      mae += Math.abs(actual - a[0]);
      naive += Math.abs(actual - a[3]);
      score +=
          upper - lower
              + 2 / (1 - level) * (Math.max(0, lower - actual) + Math.max(0, actual - upper));
      inside += actual >= lower && actual <= upper ? 1 : 0;
    }
    if (origins.isEmpty()) {
      throw new InvalidRequestException(
          "the " + checked.size() + " forecasts have no backtest day in common, so their sum cannot"
              + " be checked");
    }
    int count = origins.size();
    String counted = parts.size() + (parts.size() == 1 ? " forecast" : " forecasts");
    String label =
        "sum of "
            + (checked.size() == parts.size()
                ? counted
                : checked.size() + " of " + counted + " (backtest)");
    ForecastBacktest backtest =
        new ForecastBacktest(
            label,
            count,
            longest,
            mae / count,
            naive / count,
            naive > 0 ? mae / naive : null,
            score / count,
            inside / (double) count,
            level,
            origins);
    List<Double> dailyList = new ArrayList<>(h);
    for (double v : daily) {
      dailyList.add(v);
    }
    Inputs.Method m =
        new Inputs.Method(
            "Sum of " + counted + " (bottom-up): expected total = the sum of theirs");
    m.param("forecasts summed", parts.size())
        .param("expected total", expected)
        .param("variance of the total (sum of theirs)", variance)
        .param("predictive distribution of the total", total.describe())
        .param(
            "backtest",
            count + " daily origins common to " + checked.size() + " of " + parts.size()
                + " forecasts, " + longest + "-day totals, each part's model chosen at each origin"
                + " on the origins before it (nested), summed")
        .param("backtest MAE", mae / count)
        .param(
            "backtest MASE (vs seasonal naive)",
            naive > 0 ? Inputs.fmt(mae / naive) : "undefined (naive forecast never wrong)")
        .param("backtest mean interval score", score / count)
        .param("backtest interval coverage", inside / (double) count)
        .param("interval level", level);
    m.assume(
            "The parts (locations) fail independently given their own forecasts: no common cause"
                + " moves them together.")
        .assume("Each part's model, trend and dispersion are those of its own forecast.");
    m.caveat(
            "Failures with a common cause (a heat wave, a fleet-wide software update, one bad batch"
                + " of parts) move together: the interval is then too narrow, which the backtest"
                + " coverage shows.")
        .caveat(
            "Something changes that the history has not seen: new equipment, a new maintenance"
                + " plan, a plant shutdown or a holiday season in the horizon.");
    if (checked.size() < parts.size()) {
      m.caveat(
          (parts.size() - checked.size())
              + " forecasts were checked on totals shorter than "
              + longest
              + " days (short histories) and are left out of this backtest, not of the forecast.");
    }
    if (longest < h) {
      m.caveat(
          "The histories are too short to check " + h + "-day totals: the sum was checked on "
              + longest + "-day totals, so this " + h + "-day interval is unchecked.");
    }
    return new CountForecast(
        firstDay, h, expected, variance, interval, dailyList, backtest, List.of(), m.build());
  }

  /**
   * Every candidate's rolling-origin forecasts, each scored once: origins from {@code firstOrigin}
   * to {@code n - h}, enough for the outer origins of the backtest and for the inner origins on
   * which the model is chosen at each outer origin (nested backtest).
   */
  private static final class Backtests extends OriginRows {
    /** The order of the fits at one origin: the recent levels use the two longer fits. */
    static final Candidate[] FIT_ORDER = {
      Candidate.WEEKDAY, Candidate.TREND, Candidate.RECENT, Candidate.NAIVE
    };

    final int[] y;
    final boolean @Nullable [] observed;
    final int h;
    final int origins;
    final double level;
    final int firstOrigin;
    final int lastOrigin;
    final LocalDate firstDay;

    Backtests(
        int[] y,
        boolean @Nullable [] observed,
        LocalDate firstDay,
        int weekday0,
        int h,
        int origins,
        double level,
        @Nullable Shared shared) {
      // origins firstOrigin..lastOrigin, index origin - firstOrigin
      super(Candidate.values().length, y.length - h - firstOrigin(y.length, h, origins) + 1);
      this.y = y;
      this.firstDay = firstDay;
      this.observed = observed;
      this.h = h;
      this.origins = origins;
      this.level = level;
      int n = y.length;
      this.lastOrigin = n - h;
      this.firstOrigin = firstOrigin(n, h, origins);
      int c = Candidate.values().length;
      double tail = (1 - level) / 2;
      // Consecutive origins fit windows one day apart: each fit starts from the previous one.
      CountModel[] previous = new CountModel[c];
      for (int origin = lastOrigin; origin >= firstOrigin; origin--) {
        int i = origin - firstOrigin;
        if (shared != null && shared.lowest <= origin && origin <= shared.highest) {
          shared.copy(origin, this, i);
          continue;
        }
        if (shared != null && origin == shared.lowest - 1) {
          previous = shared.previous.clone(); // continue the shared fits' chain
        }
        long actual = 0;
        int seen = 0;
        for (int t = origin; t < origin + h; t++) {
          if (observed == null || observed[t]) {
            seen++;
            actual += y[t];
          }
        }
        if (seen == 0) {
          continue; // nothing observed to check this origin against
        }
        used[i] = true;
        CountModel[] sameDay = new CountModel[c];
        SeasonalNaive naive = null;
        for (Candidate cand : FIT_ORDER) {
          CountDistribution d;
          double point;
          if (cand == Candidate.NAIVE) {
            naive =
                SeasonalNaive.of(
                    y, observed, origin, h, observed, sameDay[Candidate.WEEKDAY.ordinal()]);
            d = naive.distribution;
            point = naive.total;
          } else {
            CountModel m =
                cand.fit(y, observed, origin, weekday0, previous[cand.ordinal()], sameDay);
            previous[cand.ordinal()] = m;
            sameDay[cand.ordinal()] = m;
            d = m.predictTotal(origin, h, observed);
            point = d.mean;
          }
          int ci = cand.ordinal();
          expected[ci][i] = point;
          variance[ci][i] = d.variance;
          absError[ci][i] = Math.abs(actual - point);
          logScore[ci][i] = Math.min(1e3, -d.logProbability(actual));
          long[] ends = d.quantiles(tail, 1 - tail);
          long lower = ends[0];
          long upper = ends[1];
          covered[ci][i] = actual >= lower && actual <= upper;
          // Interval score (Gneiting & Raftery 2007): width plus 2/(1-level) times any miss.
          intervalScore[ci][i] =
              upper - lower
                  + 2 / (1 - level) * (Math.max(0, lower - actual) + Math.max(0, actual - upper));
        }
        naiveError[i] = absError[Candidate.NAIVE.ordinal()][i];
        actuals[i] = actual;
        naivePoint[i] = naive.total;
        if (shared != null && (shared.highest < 0 || origin == shared.lowest - 1)) {
          shared.store(this, origin, i, previous);
        }
      }
    }

    /**
     * The first origin computed for a history of n days: enough for the {@code origins} outer
     * origins and, before the first of them, the inner origins its model is chosen on.
     */
    static int firstOrigin(int n, int h, int origins) {
      return Math.max(MIN_TRAINING_DAYS, n - 2 * h - 2 * origins + 2);
    }

    /**
     * The candidate chosen on origins {@code [from, to]}: the model with the best mean log score,
     * ties to the simpler; the seasonal naive forecast instead when that model's mean absolute error
     * is above the naive one's. The candidates are the local levels ({@link Candidate#RECENT},
     * {@link Candidate#TREND}); the 91-day constant level is reported but not chosen: under any
     * drift it lags by half its window (6.7% for +50% a year). The trend model when no origin is
     * available.
     */
    Candidate select(int from, int to) {
      from = Math.max(from, firstOrigin);
      int count = 0;
      double[] log = new double[Candidate.values().length];
      double[] err = new double[Candidate.values().length];
      for (int o = from; o <= to; o++) {
        int i = o - firstOrigin;
        if (!used[i]) {
          continue;
        }
        count++;
        for (Candidate c : Candidate.values()) {
          log[c.ordinal()] += logScore[c.ordinal()][i];
          err[c.ordinal()] += absError[c.ordinal()][i];
        }
      }
      if (count == 0) {
        return Candidate.TREND;
      }
      Candidate best = null;
      for (Candidate c : Candidate.values()) {
        if (c == Candidate.NAIVE || c == Candidate.WEEKDAY) {
          continue;
        }
        if (best == null || log[c.ordinal()] < log[best.ordinal()] - 1e-9 * count) {
          best = c;
        }
      }
      if (err[best.ordinal()] > err[Candidate.NAIVE.ordinal()] + 1e-9
          && naiveForecastsEvents(to + h)) {
        return Candidate.NAIVE;
      }
      return best;
    }

    /**
     * Whether the seasonal naive forecast made at {@code decision} expects any event: repeating a
     * week without events forecasts none, which a rare-event history must not fall back to.
     */
    boolean naiveForecastsEvents(int decision) {
      return SeasonalNaive.of(y, observed, decision, h, null, null).total > 0;
    }

    /** One candidate's own backtest over origins {@code [from, to]}. */
    ForecastBacktest summary(Candidate c, int from, int to) {
      Candidate[] same = new Candidate[to - from + 1];
      java.util.Arrays.fill(same, c);
      return summary(c.label, same, from, to);
    }

    /**
     * The nested backtest over origins {@code [from, to]}: at each, the candidate {@link #select}
     * chooses on the origins whose {@code h}-day totals were complete by then (at most {@code
     * origins} of them), as the forecast itself is chosen; so its coverage is not flattered by
     * the choice.
     */
    ForecastBacktest nested(String label, int from, int to) {
      Candidate[] chosen = new Candidate[to - from + 1];
      for (int o = from; o <= to; o++) {
        chosen[o - from] = select(o - h - origins + 1, o - h);
      }
      return summary(label, chosen, from, to);
    }

    private ForecastBacktest summary(String label, Candidate[] chosen, int from, int to) {
      int count = 0;
      double mae = 0;
      double naive = 0;
      double score = 0;
      int inside = 0;
      List<ForecastBacktest.Origin> detail = new ArrayList<>();
      for (int o = from; o <= to; o++) {
        int i = o - firstOrigin;
        if (!used[i]) {
          continue;
        }
        int c = chosen[o - from].ordinal();
        detail.add(
            new ForecastBacktest.Origin(
                firstDay.plusDays(o), expected[c][i], variance[c][i], actuals[i], naivePoint[i]));
        count++;
        mae += absError[c][i];
        naive += naiveError[i];
        score += intervalScore[c][i];
        inside += covered[c][i] ? 1 : 0;
      }
      if (count == 0) {
        throw new InvalidRequestException(
            "no backtest origin has an observed day in its next " + h + " days: the last "
                + (h + to - from) + " days of the history were not observed");
      }
      double maeMean = mae / count;
      double naiveMean = naive / count;
      return new ForecastBacktest(
          label,
          count,
          h,
          maeMean,
          naiveMean,
          naiveMean > 0 ? maeMean / naiveMean : null,
          score / count,
          inside / (double) count,
          level,
          detail);
    }
  }

  /**
   * Every candidate's backtest scores per origin (one row per origin, by index): the rows of one
   * forecast's {@link Backtests} and of the {@link Shared} rows of several.
   */
  private static class OriginRows {
    /** Per candidate and row. */
    final double[][] logScore;
    final double[][] absError;
    final double[][] intervalScore;
    final boolean[][] covered;
    final double[][] expected;
    final double[][] variance;
    /** Per row. */
    final long[] actuals;
    final long[] naivePoint;
    final double[] naiveError;
    final boolean[] used;

    OriginRows(int candidates, int rows) {
      logScore = new double[candidates][rows];
      absError = new double[candidates][rows];
      intervalScore = new double[candidates][rows];
      covered = new boolean[candidates][rows];
      expected = new double[candidates][rows];
      variance = new double[candidates][rows];
      actuals = new long[rows];
      naivePoint = new long[rows];
      naiveError = new double[rows];
      used = new boolean[rows];
    }

    /** Copies row {@code from} into row {@code to} of {@code target}. */
    final void copy(int from, OriginRows target, int to) {
      target.used[to] = used[from];
      for (int c = 0; c < logScore.length; c++) {
        target.logScore[c][to] = logScore[c][from];
        target.absError[c][to] = absError[c][from];
        target.intervalScore[c][to] = intervalScore[c][from];
        target.covered[c][to] = covered[c][from];
        target.expected[c][to] = expected[c][from];
        target.variance[c][to] = variance[c][from];
      }
      target.actuals[to] = actuals[from];
      target.naivePoint[to] = naivePoint[from];
      target.naiveError[to] = naiveError[from];
    }
  }

  /**
   * Backtest rows (every candidate's scores at one origin) shared by forecasts from prefixes of one
   * fully observed history with the same backtest horizon, indexed by origin: origins {@code
   * [lowest, highest]} are filled, each computed once, and {@code previous} holds the fits at
   * {@code lowest}, from which the next lower origin's trend fit starts.
   */
  private static final class Shared extends OriginRows {
    int lowest = Integer.MAX_VALUE;
    int highest = -1;
    CountModel[] previous;
    /** Per origin, the fits made there (by candidate; none for the naive), null where none. */
    private final CountModel[][] fits;

    Shared(int n, int c) {
      super(c, n + 1);
      previous = new CountModel[c];
      fits = new CountModel[n + 1][];
    }

    void store(Backtests b, int origin, int i, CountModel[] fits) {
      b.copy(i, this, origin);
      previous = fits.clone();
      this.fits[origin] = previous;
      lowest = origin;
      highest = Math.max(highest, origin);
    }

    /**
     * The fits made at backtest origin {@code origin} by candidate (the naive entry null), or null
     * where none were.
     */
    CountModel @Nullable [] fitsAt(int origin) {
      return origin < fits.length ? fits[origin] : null;
    }
  }

  /**
   * The seasonal naive forecast of the {@code h} days from {@code origin}: each day repeats the
   * most recent observed same weekday before the origin. Its predictive distribution: the repeated
   * days' counts estimate their rates, so for Poisson days the error of the total has variance
   * about M + Σ k_d² y_d (M the forecast total, k_d how often day d is repeated), times the
   * baseline model's Pearson dispersion when above 1. With no event to repeat, the Jeffreys
   * predictive of a week without events.
   */
  private static final class SeasonalNaive {
    final int[] source;
    final int origin;
    final int[] y;
    final long total;
    final CountDistribution distribution;

    private SeasonalNaive(int[] y, int origin, int[] source, long total, CountDistribution d) {
      this.y = y;
      this.origin = origin;
      this.source = source;
      this.total = total;
      this.distribution = d;
    }

    /** Count forecast for day t (from the origin on). */
    long day(int t) {
      int s = source[(t - origin) % 7];
      return s >= 0 ? y[s] : 0;
    }

    static SeasonalNaive of(
        int[] y,
        boolean @Nullable [] observed,
        int origin,
        int h,
        boolean @Nullable [] include,
        @Nullable CountModel baseline) {
      int[] source = new int[7];
      for (int i = 0; i < 7; i++) {
        int s = origin - 7 + i;
        while (s >= 0 && observed != null && !observed[s]) {
          s -= 7;
        }
        source[i] = s;
      }
      long[] repeats = new long[7];
      long total = 0;
      for (int i = 0; i < h; i++) {
        int t = origin + i;
        if (include != null && t < include.length && !include[t]) {
          continue;
        }
        int s = source[i % 7];
        if (s >= 0) {
          repeats[i % 7]++;
          total += y[s];
        }
      }
      double spread = 0;
      // Σ μ² of the forecast days and, k² times, of the repeated days, from the baseline's
      // weekday means: the over-dispersion part α μ² of a negative binomial's variance
      double squares = 0;
      boolean nb = baseline != null && !baseline.noEvents && baseline.negativeBinomial;
      for (int i = 0; i < 7; i++) {
        if (source[i] >= 0) {
          spread += (double) repeats[i] * repeats[i] * y[source[i]];
          if (nb) {
            double m = baseline.mean(source[i]);
            squares += (repeats[i] + (double) repeats[i] * repeats[i]) * m * m;
          }
        }
      }
      double variance;
      if (nb) {
        variance = total + spread + baseline.alpha * squares;
      } else {
        double phi =
            baseline == null || baseline.noEvents ? 1 : Math.max(1, baseline.pearsonDispersion);
        variance = phi * (total + spread);
      }
      CountDistribution d =
          total > 0
              ? CountDistribution.of(total, variance)
              : CountDistribution.negativeBinomial(0.5 * h / 7.0, 0.5);
      return new SeasonalNaive(y, origin, source, total, d);
    }
  }

  /** First index of a fit window ending before {@code end} that holds {@code window} observed days. */
  static int windowStart(boolean @Nullable [] observed, int end, int window) {
    if (observed == null) {
      return Math.max(0, end - window);
    }
    int count = 0;
    int t = end;
    while (t > 0 && count < window) {
      t--;
      count += observed[t] ? 1 : 0;
    }
    return t;
  }

  private static int observedCount(boolean @Nullable [] observed, int n) {
    if (observed == null) {
      return n;
    }
    int c = 0;
    for (boolean b : observed) {
      c += b ? 1 : 0;
    }
    return c;
  }

  private static StatisticalMethod describe(
      Candidate best,
      CountModel model,
      CountDistribution total,
      ForecastBacktest chosen,
      int h,
      int trainingDays,
      LocalDate firstDay,
      int unobservedDays) {
    String family = model.negativeBinomial ? "negative binomial" : "Poisson";
    boolean naive = best == Candidate.NAIVE;
    Inputs.Method m =
        new Inputs.Method(
            naive
                ? "Seasonal naive (repeat the last week): every model did worse than it in the"
                    + " backtest"
                : model.noEvents
                    ? "No events in the history: Jeffreys-prior Poisson predictive"
                    : family + " regression, " + best.label
                        + (best == Candidate.TREND && model.appliedTrend == 0
                            ? " (not significant: the level at the end of the history, held flat)"
                            : "")
                        + ", model chosen by backtest log score");
    m.param("training days", trainingDays).param("events in training", model.events);
    if (naive) {
      m.param("baseline's Pearson dispersion (X²/df)", model.pearsonDispersion);
    } else if (!model.noEvents) {
      for (int d = 0; d < 7; d++) {
        String day = DayOfWeek.of(d + 1).name();
        m.param(
            "expected per " + day.charAt(0) + day.substring(1).toLowerCase(Locale.ROOT)
                + (model.trend ? " (mid-history)" : ""),
            model.weekdayFactor(d));
      }
      if (model.levelShift != 0) {
        m.param(
            "level moved from mid-window to the last history day along the fitted trend",
            Inputs.fmt(100 * Math.expm1(model.levelShift)) + "%");
      }
      if (model.trend) {
        m.param(
            "trend per year applied beyond the history (damped, at most ±"
                + Inputs.fmt(100 * Math.expm1(CountModel.MAX_LOG_TREND_PER_YEAR))
                + "%)",
            Inputs.fmt(100 * model.appliedAnnualChange()) + "%");
        m.param("trend per year fitted to the history", Inputs.fmt(100 * model.annualChange()) + "%");
        m.param("trend z", model.trendZ);
      }
      m.param("Pearson dispersion (X²/df)", model.pearsonDispersion);
      m.param("over-dispersion test p-value", model.dispersionPValue);
      if (model.negativeBinomial) {
        m.param("NB2 dispersion α (moment estimate, df-corrected)", model.alpha);
      }
    }
    m.param("predictive distribution of the total", total.describe());
    m.param(
        "backtest",
        chosen.origins()
            + " daily origins, "
            + chosen.horizonDays()
            + "-day totals"
            + (naive ? "" : ", model chosen at each origin on the origins before it (nested)"));
    m.param("backtest MAE", chosen.meanAbsoluteError());
    m.param(
        "backtest MASE (vs seasonal naive)",
        chosen.meanAbsoluteScaledError() == null
            ? "undefined (naive forecast never wrong)"
            : Inputs.fmt(chosen.meanAbsoluteScaledError()));
    m.param("backtest mean interval score", chosen.meanIntervalScore());
    m.param("backtest interval coverage", chosen.intervalCoverage());
    m.param("interval level", chosen.level());
    m.param("history starts", firstDay.toString());
    if (unobservedDays > 0) {
      m.param("unobserved days (left out)", unobservedDays);
    }
    m.assume("Days are the location's own calendar days and the history has no gaps.")
        .assume(
            "Events on different days are independent given the weekday (and trend): one"
                + " failure does not make the next day's more likely.")
        .assume(
            "The weekly pattern (shifts, weekends) and, if chosen, the trend continue over the"
                + " horizon.")
        .assume(
            model.negativeBinomial
                ? "Counts vary more than a Poisson would allow (the dispersion test said so): the"
                    + " negative binomial widens the interval accordingly."
                : "Counts vary as a Poisson would (the dispersion test found no excess variation).");
    m.caveat(
            "Something changes that the history has not seen: new equipment, a new maintenance"
                + " plan, a plant shutdown or a holiday season in the horizon.")
        .caveat(
            "The backtest coverage is far from the level: the interval is then too narrow (below)"
                + " or too wide (above) for this location. Few origins make it a rough figure.");
    if (chosen.horizonDays() < h) {
      m.caveat(
          "The history is too short to check "
              + h
              + "-day totals: the model was chosen and its coverage measured on "
              + chosen.horizonDays()
              + "-day totals, so this "
              + h
              + "-day interval is unchecked.");
    }
    if (unobservedDays > 0) {
      m.caveat(
          unobservedDays
              + " days without data were left out: if data went missing on busy days (an outage"
              + " during a breakdown), the rates are too low.");
    }
    if (model.appliedTrend != 0 && h > trainingDays / 2) {
      m.caveat(
          "The trend is extrapolated over "
              + h
              + " days from "
              + trainingDays
              + " days of history: long extrapolation of a trend is fragile.");
    }
    if (model.events < 10) {
      m.caveat(
          "Only "
              + model.events
              + " events in the history: the rates, and so the interval, are uncertain.");
    }
    return m.build();
  }
}
