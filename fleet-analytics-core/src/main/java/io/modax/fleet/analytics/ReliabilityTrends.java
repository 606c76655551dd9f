package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.DEVICES;
import static io.modax.fleet.internal.jooq.Tables.MAINTENANCE_EVENTS;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.statistics.LaplaceTrend;
import io.modax.fleet.statistics.PowerLawTrend;
import io.modax.fleet.statistics.Reliability;
import io.modax.fleet.statistics.StatisticalMethod;
import io.modax.fleet.statistics.WeibullFit;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Reliability trends from the failure events of a window, on production-hour clocks. Package
 * private; {@link TrendAnalyzer#reliability} and {@link ReliabilityReport} document the behaviour.
 */
final class ReliabilityTrends {

  private ReliabilityTrends() {}

  /**
   * A location's production device-hours since the window start, as a function of time: each
   * local day's production hours spread evenly over the part of the day inside the window; nothing
   * accrues on days without snapshots.
   */
  static final class ProductionClock {
    private final long[] starts;
    private final long[] ends;
    private final double[] hours;
    private final double[] before;

    ProductionClock(List<DailyRollup.Day> days, Instant from, Instant to) {
      int n = days.size();
      starts = new long[n];
      ends = new long[n];
      hours = new double[n];
      before = new double[n + 1];
      long f = micros(from);
      long t = micros(to);
      for (int i = 0; i < n; i++) {
        DailyRollup.Day d = days.get(i);
        long s = micros(d.start());
        long e = micros(d.end());
        starts[i] = Math.max(s, f);
        ends[i] = Math.min(e, t);
        double share = e > s && ends[i] > starts[i] ? (double) (ends[i] - starts[i]) / (e - s) : 0;
        hours[i] = d.sums().productionHours() * share;
        before[i + 1] = before[i] + hours[i];
      }
    }

    /** Production hours in {@code [from, t)}. */
    double at(Instant t) {
      long x = micros(t);
      int i = Arrays.binarySearch(starts, x);
      if (i < 0) {
        i = -i - 2; // the last day starting before x
      }
      if (i < 0) {
        return 0;
      }
      if (x >= ends[i]) {
        return before[i + 1];
      }
      return before[i] + hours[i] * (x - starts[i]) / (double) (ends[i] - starts[i]);
    }

    double total() {
      return before[before.length - 1];
    }

    private static long micros(Instant t) {
      return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
  }

  private record Failure(String locationId, @Nullable String deviceId, @Nullable String deviceType, Instant at) {}

  static ReliabilityReport compute(DSLContext dsl, String orgId, List<WindowSums.LocationInfo> locations,
      Window.Bounds b, double level) {
    Instant from = b.readFrom();
    Instant to = b.readTo();
    Map<String, List<DailyRollup.Day>> days = DailyRollup.read(dsl, orgId, from, to, true);
    // each location is observed over the whole local days inside the window
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, ProductionClock> clocks = new LinkedHashMap<>();
    Map<String, Instant[]> spans = new HashMap<>();
    for (WindowSums.LocationInfo l : locations) {
      LocalDate first = LocalDate.ofInstant(from, l.zone());
      Instant start = first.atStartOfDay(l.zone()).toInstant();
      if (start.isBefore(from)) {
        start = first.plusDays(1).atStartOfDay(l.zone()).toInstant();
      }
      Instant end = LocalDate.ofInstant(to, l.zone()).atStartOfDay(l.zone()).toInstant();
      if (end.isBefore(start)) {
        end = start;
      }
      names.put(l.id(), l.name());
      spans.put(l.id(), new Instant[] {start, end});
      clocks.put(l.id(), new ProductionClock(days.getOrDefault(l.id(), List.of()), start, end));
    }
    // devices in service per location and type: the shares of production hours
    Map<String, Map<String, Integer>> mix = new TreeMap<>();
    Map<String, Integer> devicesAt = new HashMap<>();
    dsl.select(DEVICES.LOCATION_ID, DEVICES.DEVICE_TYPE, org.jooq.impl.DSL.count())
        .from(DEVICES)
        .where(DEVICES.ORGANIZATION_ID.eq(orgId).and(DEVICES.STATUS.ne("decommissioned")))
        .groupBy(DEVICES.LOCATION_ID, DEVICES.DEVICE_TYPE)
        .forEach(r -> {
          mix.computeIfAbsent(r.value2(), k -> new TreeMap<>()).put(r.value1(), r.value3());
          devicesAt.merge(r.value1(), r.value3(), Integer::sum);
        });
    List<Failure> failures = new ArrayList<>();
    for (var r : dsl.select(MAINTENANCE_EVENTS.LOCATION_ID, MAINTENANCE_EVENTS.DEVICE_ID, DEVICES.DEVICE_TYPE,
            MAINTENANCE_EVENTS.OCCURRED_AT)
        .from(MAINTENANCE_EVENTS)
        .leftJoin(DEVICES)
        .on(DEVICES.ORGANIZATION_ID.eq(MAINTENANCE_EVENTS.ORGANIZATION_ID)
            .and(DEVICES.ID.eq(MAINTENANCE_EVENTS.DEVICE_ID)))
        .where(MAINTENANCE_EVENTS.ORGANIZATION_ID.eq(orgId)
            .and(MAINTENANCE_EVENTS.EVENT_TYPE.eq("failure"))
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.ge(from))
            .and(MAINTENANCE_EVENTS.OCCURRED_AT.lt(to)))
        .orderBy(MAINTENANCE_EVENTS.OCCURRED_AT, MAINTENANCE_EVENTS.ID)
        .fetch()) {
      Instant[] span = spans.get(r.value1());
      if (span != null && !r.value4().isBefore(span[0]) && r.value4().isBefore(span[1])) {
        failures.add(new Failure(r.value1(), r.value2(), r.value3(), r.value4()));
      }
    }

    List<ReliabilityReport.ReliabilityTrend> byLocation = new ArrayList<>();
    for (String id : names.keySet()) {
      ProductionClock clock = clocks.get(id);
      List<Failure> own = failures.stream().filter(f -> f.locationId().equals(id)).toList();
      int devices = devicesAt.getOrDefault(id, 0);
      List<String> notes = new ArrayList<>();
      double[] times = own.stream().mapToDouble(f -> clock.at(f.at())).toArray();
      Lives lives = lives(own, clocks, devicesAt, notes);
      if (devices == 0 && !own.isEmpty()) {
        notes.add("no devices in service are registered at this location: no device lives");
      }
      byLocation.add(trend(ReliabilityReport.Subject.LOCATION, id, names.get(id), times, clock.total(),
          lives, level, notes));
    }

    List<ReliabilityReport.ReliabilityTrend> types = new ArrayList<>();
    Map<String, List<Failure>> byType = new TreeMap<>();
    mix.keySet().forEach(t -> byType.put(t, new ArrayList<>()));
    int untyped = 0;
    for (Failure f : failures) {
      if (f.deviceType() == null) {
        untyped++;
      } else {
        byType.computeIfAbsent(f.deviceType(), k -> new ArrayList<>()).add(f);
      }
    }
    for (Map.Entry<String, List<Failure>> e : byType.entrySet()) {
      Map<String, Integer> share = mix.getOrDefault(e.getKey(), Map.of());
      List<String> notes = new ArrayList<>();
      double[] times = e.getValue().stream().mapToDouble(f -> typeClock(share, clocks, devicesAt, f.at())).toArray();
      double total = typeTotal(share, clocks, devicesAt);
      Lives lives = lives(e.getValue(), clocks, devicesAt, notes);
      types.add(trend(ReliabilityReport.Subject.DEVICE_TYPE, e.getKey(), e.getKey(), times, total, lives, level,
          notes));
    }
    return new ReliabilityReport(orgId, b.start(), b.end(), level, method(failures.size(), untyped, level),
        byLocation, types);
  }

  /** The production hours of a device type's devices: each location's hours times the type's share. */
  private static double typeClock(Map<String, Integer> share, Map<String, ProductionClock> clocks,
      Map<String, Integer> devicesAt, Instant t) {
    double sum = 0;
    for (Map.Entry<String, Integer> e : share.entrySet()) {
      ProductionClock c = clocks.get(e.getKey());
      int n = devicesAt.getOrDefault(e.getKey(), 0);
      if (c != null && n > 0) {
        sum += c.at(t) * e.getValue() / n;
      }
    }
    return sum;
  }

  /** The production hours of a device type's devices over the whole window. */
  private static double typeTotal(Map<String, Integer> share, Map<String, ProductionClock> clocks,
      Map<String, Integer> devicesAt) {
    double sum = 0;
    for (Map.Entry<String, Integer> e : share.entrySet()) {
      ProductionClock c = clocks.get(e.getKey());
      int n = devicesAt.getOrDefault(e.getKey(), 0);
      if (c != null && n > 0) {
        sum += c.total() * e.getValue() / n;
      }
    }
    return sum;
  }

  /** Device lives, in device production hours, from the failures given. */
  private record Lives(double[] times, boolean[] failed, int censored) {}

  private static Lives lives(List<Failure> failures, Map<String, ProductionClock> clocks,
      Map<String, Integer> devicesAt, List<String> notes) {
    Map<String, List<Failure>> byDevice = new TreeMap<>();
    int anonymous = 0;
    for (Failure f : failures) {
      if (f.deviceId() == null) {
        anonymous++;
      } else {
        byDevice.computeIfAbsent(f.deviceId(), k -> new ArrayList<>()).add(f);
      }
    }
    List<Double> times = new ArrayList<>();
    List<Boolean> failed = new ArrayList<>();
    int zero = 0;
    int censored = 0;
    for (List<Failure> fs : byDevice.values()) {
      String location = fs.get(0).locationId();
      ProductionClock c = clocks.get(location);
      int n = devicesAt.getOrDefault(location, 0);
      if (c == null || n == 0) {
        continue;
      }
      double previous = c.at(fs.get(0).at()) / n;
      for (int i = 1; i < fs.size(); i++) {
        double now = c.at(fs.get(i).at()) / n;
        if (now - previous > 0) {
          times.add(now - previous);
          failed.add(true);
        } else {
          zero++;
        }
        previous = now;
      }
      double last = c.total() / n - previous;
      if (last > 0) {
        times.add(last);
        failed.add(false);
        censored++;
      }
    }
    if (anonymous > 0) {
      notes.add(anonymous + " failure event(s) without a device: in the trend, not in device lives");
    }
    if (zero > 0) {
      notes.add(zero + " time(s) between failures of the same device with no production in between were"
          + " left out of the device lives");
    }
    boolean[] f = new boolean[failed.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = failed.get(i);
    }
    return new Lives(times.stream().mapToDouble(Double::doubleValue).toArray(), f, censored);
  }

  private static ReliabilityReport.ReliabilityTrend trend(ReliabilityReport.Subject subject, String id,
      String name, double[] allTimes, double operatingHours, Lives lives, double level, List<String> notes) {
    double[] times = Arrays.stream(allTimes).filter(t -> t > 0).toArray();
    if (times.length < allTimes.length) {
      notes.add((allTimes.length - times.length) + " failure(s) before any production hours in the window"
          + " were left out of the trend");
    }
    PowerLawTrend crow = null;
    LaplaceTrend laplace = null;
    if (operatingHours <= 0) {
      if (allTimes.length > 0) {
        notes.add("no production hours recorded in the window: failures cannot be placed on the clock");
      }
    } else if (times.length < Reliability.MIN_FAILURES) {
      notes.add("trend not fitted: " + times.length + " failure(s); Crow-AMSAA and Laplace need at least "
          + Reliability.MIN_FAILURES);
    } else {
      try {
        crow = Reliability.crowAmsaaTimeTruncated(times, operatingHours, level);
        laplace = Reliability.laplaceTimeTruncated(times, operatingHours, 1 - level);
      } catch (InvalidRequestException e) {
        notes.add("trend not fitted: " + e.getMessage());
      }
    }
    int failedLives = 0;
    for (boolean f : lives.failed()) {
      failedLives += f ? 1 : 0;
    }
    WeibullFit weibull = null;
    if (failedLives < Reliability.MIN_WEIBULL_FAILURES) {
      if (lives.times().length > 0 || failedLives > 0) {
        notes.add("Weibull not fitted: " + failedLives + " time(s) between failures of one device; at least "
            + Reliability.MIN_WEIBULL_FAILURES + " are needed");
      }
    } else {
      try {
        weibull = Reliability.weibull(lives.times(), lives.failed(), level);
      } catch (InvalidRequestException e) {
        notes.add("Weibull not fitted: " + e.getMessage());
      }
    }
    return new ReliabilityReport.ReliabilityTrend(subject, id, name, times.length, operatingHours, crow, laplace,
        crow == null ? null : crow.verdict(), lives.times().length, lives.censored(), weibull, notes);
  }

  private static StatisticalMethod method(int failures, int untyped, double level) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("failure events in the window", Integer.toString(failures));
    p.put("events without a registered device", Integer.toString(untyped));
    p.put("clock", "production device-hours since the start of each location's first whole local day in"
        + " the window (daily rollup, spread evenly over each local day)");
    p.put("observation", "each location's whole local days inside the window; events outside them are"
        + " left out");
    p.put("trend", "Crow-AMSAA time truncated at the end of observation, and the Laplace test");
    p.put("lives", "times between consecutive failures of one device (failed) and from its last failure to"
        + " the end of observation (censored), in device production hours");
    p.put("confidence level", String.format(Locale.ROOT, "%s", level));
    return new StatisticalMethod("Reliability trends and device lives from failure events", p,
        List.of(
            "A location's failures form one repairable system on its production-hour clock; a device"
                + " type's, one system on its devices' share of the fleet's production hours.",
            "Every device of a location works an equal share of the location's production hours"
                + " (devices in service: not decommissioned).",
            "Each repair renews the device for the Weibull of lives (as good as new), while the trend"
                + " allows the rate to change (as bad as old): the two answer different questions.",
            "A device's first failure in the window starts its first observed life; the time before it is"
                + " not used, since the device's age at the window start is unknown."),
        List.of(
            "The maintenance system misses failures, or snapshots are missing for long stretches (no"
                + " production accrues then, so failures crowd on the clock).",
            "Many locations or types are tested at once: at 95%, about one stable subject in twenty is"
                + " flagged improving or deteriorating by chance.",
            "Devices moved between locations or types changed their duty within the window.",
            "The Crow-AMSAA trend says deteriorating: the lives are then not identically distributed and"
                + " one Weibull averages over the change."));
  }
}
