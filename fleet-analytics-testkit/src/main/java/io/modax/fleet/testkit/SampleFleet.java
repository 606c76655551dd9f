package io.modax.fleet.testkit;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.Device;
import io.modax.fleet.ingest.DeviceStatus;
import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.PartUsage;
import io.modax.fleet.ingest.WriteReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic sample fleet: the same seed and settings always give the same records.
 *
 * <p>By default it is the design's fleet: organization {@value #ORGANIZATION_ID} with locations A
 * (Stuttgart, Europe/Berlin, 50 devices), B (Chicago, America/Chicago, 30) and C (Pune,
 * Asia/Kolkata, a half-hour offset, 40), 90 days of 5-minute snapshots. It has what real fleets
 * have: shift patterns (planned time follows each location's local calendar, with weekends off),
 * weekly seasonality, failures as a Poisson process in production hours, one location clearly
 * underperforming ({@link #underperformingLocationId()}, B), one whose failure rate rises over time
 * ({@link #degradingLocationId()}, C), a few gaps, duplicate rows and rows that arrive late (out of
 * order). Failure events match the snapshots' failure counts one for one (except during gaps, when
 * snapshots are missing but the maintenance system still records events) and carry repair hours,
 * costs and spare parts; planned maintenance happens weekly, Sundays 10:00 local time.
 *
 * <p>More locations (up to 10,000), more days and shorter intervals scale it to tens of millions
 * of rows; {@link #metrics()} and {@link #events()} are generated lazily in bounded memory.
 *
 * <p>Thread safety: immutable; each iteration regenerates the records.
 */
public final class SampleFleet {

  /** The sample organization's id. */
  public static final String ORGANIZATION_ID = "acme";

  private static final String[] DEVICE_TYPES = {"cnc-mill", "lathe", "press", "robot-cell", "conveyor"};
  private static final String[] PARTS = {"bearing-6204", "drive-belt-a42", "prox-sensor-m12",
      "spindle-seal", "hydraulic-hose-3m", "servo-fuse-10a"};
  private static final double[] PART_PRICES = {18.5, 42.0, 65.0, 120.0, 88.0, 6.5};
  private static final String[] EXTRA_ZONES = {"Europe/London", "America/New_York", "Asia/Tokyo",
      "Australia/Adelaide", "America/Sao_Paulo", "Asia/Kathmandu", "Europe/Warsaw",
      "America/Denver", "Africa/Johannesburg", "Asia/Shanghai", "America/St_Johns", "Europe/Madrid"};
  private static final String[] PATTERNS = {"3x8-5d", "2x8-5d", "3x8-6d"};

  private final long seed;
  private final String organizationId;
  private final Instant start;
  private final Instant end;
  private final int intervalSeconds;
  private final double duplicateRate;
  private final double lateRate;
  private final double gapsPerLocationDay;
  private final List<Profile> profiles;

  private SampleFleet(Builder b) {
    this.seed = b.seed;
    this.organizationId = b.organizationId;
    this.intervalSeconds = b.intervalSeconds;
    Instant e = b.end != null ? b.end : Instant.now();
    this.end = Instant.ofEpochSecond(Math.floorDiv(e.getEpochSecond(), intervalSeconds) * intervalSeconds);
    this.start = end.minus(Duration.ofDays(b.days));
    this.duplicateRate = b.duplicateRate;
    this.lateRate = b.lateRate;
    this.gapsPerLocationDay = b.gapsPerLocationDay;
    this.profiles = profiles(b.locations, seed);
  }

  /** A builder with the design fleet's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The design fleet over 90 days ending now, seed 42. */
  public static SampleFleet designFleet() {
    return builder().build();
  }

  /** The organization's id ({@value #ORGANIZATION_ID} unless the builder named another). */
  public String organizationId() {
    return organizationId;
  }

  /** The organization, head office in Europe/Berlin, costs in EUR. */
  public Organization organization() {
    String name = organizationId.equals(ORGANIZATION_ID) ? "ACME Industrial" : "Sample fleet " + organizationId;
    return new Organization(organizationId, name, "Europe/Berlin", "EUR");
  }

  /** The locations. */
  public List<Location> locations() {
    List<Location> out = new ArrayList<>();
    for (Profile p : profiles) {
      out.add(new Location(organizationId, p.id, p.name, p.address, p.zone.getId(), p.latitude,
          p.longitude, BigDecimal.valueOf(p.downtimeCostPerHour).setScale(2, RoundingMode.HALF_EVEN),
          intervalSeconds, p.shiftPattern, List.of("region:" + p.region, "pattern:" + p.shiftPattern)));
    }
    return out;
  }

  /** The devices, {@code <location>-<nnn>}, with types assigned round-robin. */
  public List<Device> devices() {
    List<Device> out = new ArrayList<>();
    for (Profile p : profiles) {
      for (int i = 1; i <= p.devices; i++) {
        out.add(new Device(organizationId, deviceId(p, i), p.id, DEVICE_TYPES[(i - 1) % DEVICE_TYPES.length],
            DeviceStatus.ACTIVE, null, start.minus(Duration.ofDays(400 + i))));
      }
    }
    return out;
  }

  /** The snapshots, in the order a warehouse would receive them (duplicates and late rows included). */
  public Iterable<FleetMetrics> metrics() {
    return () -> new Simulation(true).metricsIterator();
  }

  /** The failure and planned maintenance events, in time order. */
  public Iterable<MaintenanceEvent> events() {
    return () -> new Simulation(false).eventsIterator();
  }

  /** First instant of the data. */
  public Instant start() {
    return start;
  }

  /** Instant after the last snapshot's start. */
  public Instant end() {
    return end;
  }

  /** Snapshot interval, seconds. */
  public int intervalSeconds() {
    return intervalSeconds;
  }

  /** The location with clearly worse OEE and MTTR: B. */
  public String underperformingLocationId() {
    return profiles.size() > 1 ? profiles.get(1).id : profiles.get(0).id;
  }

  /** The location whose failure rate rises steadily over the period: C. */
  public String degradingLocationId() {
    return profiles.size() > 2 ? profiles.get(2).id : profiles.get(profiles.size() - 1).id;
  }

  /** What {@link #load} wrote. */
  public record LoadReport(
      WriteReport organization,
      WriteReport locations,
      WriteReport devices,
      WriteReport metrics,
      WriteReport events) {}

  /** Writes the whole fleet through the library's writer, as an admin of the organization. */
  public LoadReport load(FleetAnalytics fleet) {
    CallerContext loader = CallerContext.of("sample-fleet-loader", organizationId, Role.ADMIN);
    var w = fleet.writer();
    WriteReport org = w.writeOrganization(loader, organization());
    WriteReport locs = w.writeLocations(loader, organizationId, locations());
    WriteReport devs = w.writeDevices(loader, organizationId, devices());
    WriteReport metrics = w.writeMetrics(loader, organizationId, metrics());
    WriteReport events = w.writeEvents(loader, organizationId, events());
    return new LoadReport(org, locs, devs, metrics, events);
  }

  private static String deviceId(Profile p, int i) {
    return String.format("%s-%03d", p.id, i);
  }

  // ------------------------------------------------------------------ the simulation

  /** One pass over the period; collects either snapshots or events. */
  private final class Simulation {
    private final boolean wantMetrics;
    private final SplittableRandom[] rng = new SplittableRandom[profiles.size()];
    private final double[][] windowProd = new double[profiles.size()][];
    private final int[][] windowFailures = new int[profiles.size()][];
    private final double[] sumProd = new double[profiles.size()];
    private final long[] sumFailures = new long[profiles.size()];
    private final int[] failureSeq = new int[profiles.size()];
    private final int[] maintenanceSeq = new int[profiles.size()];
    private final Instant[] gapUntil = new Instant[profiles.size()];
    private final int steps;
    private final int window;
    private int step;
    private long sequence;
    private final ArrayDeque<FleetMetrics> readyMetrics = new ArrayDeque<>();
    private final ArrayDeque<MaintenanceEvent> readyEvents = new ArrayDeque<>();
    private final PriorityQueue<Late> late = new PriorityQueue<>();

    Simulation(boolean wantMetrics) {
      this.wantMetrics = wantMetrics;
      this.steps = (int) (Duration.between(start, end).getSeconds() / intervalSeconds);
      this.window = (int) Math.max(1, Duration.ofDays(7).getSeconds() / intervalSeconds);
      for (int i = 0; i < profiles.size(); i++) {
        rng[i] = new SplittableRandom(seed * 1_000_003L + i * 7919L + 17);
        windowProd[i] = new double[window];
        windowFailures[i] = new int[window];
        gapUntil[i] = Instant.MIN;
      }
    }

    Iterator<FleetMetrics> metricsIterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          fill(() -> !readyMetrics.isEmpty());
          return !readyMetrics.isEmpty();
        }

        @Override
        public FleetMetrics next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return readyMetrics.poll();
        }
      };
    }

    Iterator<MaintenanceEvent> eventsIterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          fill(() -> !readyEvents.isEmpty());
          return !readyEvents.isEmpty();
        }

        @Override
        public MaintenanceEvent next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return readyEvents.poll();
        }
      };
    }

    private void fill(java.util.function.BooleanSupplier ready) {
      while (!ready.getAsBoolean() && (step < steps || !late.isEmpty())) {
        if (step < steps) {
          advance();
        } else {
          while (!late.isEmpty()) {
            readyMetrics.add(late.poll().row);
          }
        }
      }
    }

    /** Simulates one interval at every location. */
    private void advance() {
      Instant t = start.plusSeconds((long) step * intervalSeconds);
      while (!late.isEmpty() && late.peek().releaseStep <= step) {
        readyMetrics.add(late.poll().row);
      }
      double progress = steps <= 1 ? 0 : (double) step / (steps - 1);
      for (int i = 0; i < profiles.size(); i++) {
        simulate(i, profiles.get(i), t, progress);
      }
      step++;
    }

    private void simulate(int i, Profile p, Instant t, double progress) {
      SplittableRandom r = rng[i];
      ZonedDateTime local = t.atZone(p.zone);
      double intervalHours = intervalSeconds / 3600.0;
      // gaps: the location's link goes down for a few hours now and then
      boolean startGap = r.nextDouble() < gapsPerLocationDay * intervalSeconds / 86_400.0;
      double gapHours = 1 + r.nextDouble() * 5;
      if (startGap) {
        gapUntil[i] = t.plus(Duration.ofMinutes((long) (gapHours * 60)));
      }
      double scheduled = scheduledShare(p.shiftPattern, local);
      double planned = p.devices * intervalHours * scheduled;
      double monday = local.getDayOfWeek() == DayOfWeek.MONDAY ? 0.02 : 0;
      double downShare = clamp(p.downtimeShare + monday + 0.03 * gaussian(r), 0, 0.9);
      double efficiency = clamp(p.efficiency + 0.02 * gaussian(r), 0.3, 1);
      double quality = clamp(p.quality + 0.005 * gaussian(r), 0.5, 1);
      double energy = Math.max(0.1, p.energyPerHour * (1 + 0.05 * gaussian(r)));
      double production = planned * (1 - downShare);
      double downtime = planned - production;
      double rate = p.failureRateStart + (p.failureRateEnd - p.failureRateStart) * progress;
      int failures = poisson(r, rate * production);
      double repairSum = 0;
      List<MaintenanceEvent> events = new ArrayList<>();
      for (int f = 0; f < failures; f++) {
        double repair = round(p.mttrHours * Math.exp(0.5 * gaussian(r) - 0.125), 3);
        repairSum += repair;
        String device = deviceId(p, 1 + r.nextInt(p.devices));
        Instant at = t.plusSeconds(r.nextInt(intervalSeconds));
        List<PartUsage> parts = parts(r);
        double partsCost = 0;
        for (PartUsage u : parts) {
          partsCost += u.quantity() * PART_PRICES[indexOf(u.partNumber())];
        }
        BigDecimal cost = BigDecimal.valueOf(repair * 95 + partsCost).setScale(2, RoundingMode.HALF_EVEN);
        failureSeq[i]++;
        events.add(new MaintenanceEvent(organizationId, p.id + "-F" + failureSeq[i], p.id, device, at,
            EventType.FAILURE, false, repair, cost, "failure", parts));
      }
      if (local.getDayOfWeek() == DayOfWeek.SUNDAY && local.getHour() == 10
          && local.getMinute() < intervalSeconds / 60.0 && local.getMinute() * 60 < intervalSeconds) {
        maintenanceSeq[i]++;
        List<PartUsage> parts = List.of(new PartUsage("drive-belt-a42", 1 + r.nextInt(3)),
            new PartUsage("bearing-6204", 2 + r.nextInt(4)));
        events.add(new MaintenanceEvent(organizationId, p.id + "-PM" + maintenanceSeq[i], p.id, null, t,
            EventType.MAINTENANCE, true, 4.0, BigDecimal.valueOf(4 * 95 + 300).setScale(2, RoundingMode.HALF_EVEN),
            "weekly preventive maintenance", parts));
      }
      // the location's own trailing-7-day MTBF, as an edge would report it
      int slot = step % window;
      sumProd[i] += production - windowProd[i][slot];
      sumFailures[i] += failures - windowFailures[i][slot];
      windowProd[i][slot] = production;
      windowFailures[i][slot] = failures;
      // drawn on both passes so that the snapshot and event passes see the same random stream
      boolean sendLate = r.nextDouble() < lateRate;
      int lateBy = 12 + r.nextInt(276);
      boolean sendTwice = r.nextDouble() < duplicateRate;
      if (!wantMetrics) {
        readyEvents.addAll(events);
        return;
      }
      if (t.isBefore(gapUntil[i])) {
        return; // nothing arrives during a gap (the maintenance system still records events)
      }
      boolean running = planned > 0;
      FleetMetrics row = FleetMetrics.builder(organizationId, p.id, t)
          .intervalSeconds(intervalSeconds)
          .deviceCount(p.devices)
          .avgUptime(running ? round(production / planned, 6) : null)
          .avgEfficiency(running ? round(efficiency, 6) : null)
          .avgEnergyConsumption(running ? round(energy, 4) : null)
          .totalFailures(failures)
          .mtbf(sumFailures[i] > 0 ? round(sumProd[i] / sumFailures[i], 4) : null)
          .mttr(failures > 0 ? round(repairSum / failures, 4) : null)
          .totalProductionHours(round(production, 6))
          .totalDowntimeHours(round(downtime, 6))
          .oee(running ? round(production / planned * efficiency * quality, 6) : null)
          .build();
      if (sendLate) {
        late.add(new Late(step + lateBy, sequence++, row));
      } else {
        readyMetrics.add(row);
      }
      if (sendTwice) {
        readyMetrics.add(row);
      }
    }
  }

  private record Late(int releaseStep, long sequence, FleetMetrics row) implements Comparable<Late> {
    @Override
    public int compareTo(Late o) {
      int c = Integer.compare(releaseStep, o.releaseStep);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  /** Share of devices scheduled to produce at a local time, by shift pattern. */
  static double scheduledShare(String pattern, ZonedDateTime local) {
    DayOfWeek d = local.getDayOfWeek();
    int h = local.getHour();
    return switch (pattern) {
      case "3x8-5d" -> d.getValue() <= 5 ? 1 : d == DayOfWeek.SATURDAY && h >= 6 && h < 14 ? 1 : 0;
      case "2x8-5d" -> d.getValue() <= 5 && h >= 6 && h < 22 ? 1 : 0;
      case "3x8-6d" -> d != DayOfWeek.SUNDAY ? 1 : 0;
      default -> 1;
    };
  }

  private static List<PartUsage> parts(SplittableRandom r) {
    if (r.nextDouble() >= 0.7) {
      return List.of();
    }
    int first = r.nextInt(PARTS.length);
    List<PartUsage> out = new ArrayList<>();
    out.add(new PartUsage(PARTS[first], 1 + r.nextInt(3)));
    if (r.nextDouble() < 0.3) {
      int second = (first + 1 + r.nextInt(PARTS.length - 1)) % PARTS.length;
      out.add(new PartUsage(PARTS[second], 1 + r.nextInt(2)));
    }
    return out;
  }

  private static int indexOf(String part) {
    for (int i = 0; i < PARTS.length; i++) {
      if (PARTS[i].equals(part)) {
        return i;
      }
    }
    throw new IllegalArgumentException(part);
  }

  private static int poisson(SplittableRandom r, double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    if (lambda > 30) {
      return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
    }
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l);
    return k - 1;
  }

  /** A standard normal deviate (Box-Muller), the same on every JVM. */
  private static double gaussian(SplittableRandom r) {
    double u1 = 1 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  // ------------------------------------------------------------------ profiles

  private static final class Profile {
    String id;
    String name;
    String address;
    String region;
    ZoneId zone;
    double latitude;
    double longitude;
    int devices;
    double downtimeCostPerHour;
    String shiftPattern;
    double downtimeShare;
    double efficiency;
    double quality;
    double energyPerHour;
    double failureRateStart;
    double failureRateEnd;
    double mttrHours;
  }

  private static List<Profile> profiles(int count, long seed) {
    List<Profile> out = new ArrayList<>();
    out.add(profile("A", "Plant A - Stuttgart", "Heilbronner Str. 10, 70191 Stuttgart", "emea",
        "Europe/Berlin", 48.7758, 9.1829, 50, 420, "3x8-5d", 0.06, 0.92, 0.990, 12.0, 0.0040, 0.0040, 2.0));
    out.add(profile("B", "Plant B - Chicago", "2200 S Halsted St, Chicago, IL 60608", "americas",
        "America/Chicago", 41.8781, -87.6298, 30, 380, "2x8-5d", 0.17, 0.80, 0.955, 15.0, 0.0060, 0.0060, 4.5));
    out.add(profile("C", "Plant C - Pune", "Hinjewadi Phase 2, Pune 411057", "apac",
        "Asia/Kolkata", 18.5204, 73.8567, 40, 250, "3x8-6d", 0.08, 0.90, 0.985, 11.0, 0.0025, 0.0100, 2.5));
    SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
    for (int i = 4; i <= count; i++) {
      String zone = EXTRA_ZONES[(i - 4) % EXTRA_ZONES.length];
      String pattern = PATTERNS[r.nextInt(PATTERNS.length)];
      out.add(profile(String.format("L%04d", i), "Plant " + i, "Site " + i, "region-" + (i % 5), zone,
          -60 + r.nextDouble() * 120, -180 + r.nextDouble() * 360, 20 + r.nextInt(61),
          200 + r.nextInt(300), pattern, 0.05 + r.nextDouble() * 0.06, 0.86 + r.nextDouble() * 0.08,
          0.975 + r.nextDouble() * 0.02, 9 + r.nextDouble() * 6, 0.003 + r.nextDouble() * 0.002,
          0.003 + r.nextDouble() * 0.002, 1.5 + r.nextDouble() * 1.5));
    }
    return List.copyOf(out.subList(0, Math.min(count, out.size())));
  }

  private static Profile profile(String id, String name, String address, String region, String zone,
      double lat, double lon, int devices, double cost, String pattern, double down, double eff,
      double quality, double energy, double rateStart, double rateEnd, double mttr) {
    Profile p = new Profile();
    p.id = id;
    p.name = name;
    p.address = address;
    p.region = region;
    p.zone = ZoneId.of(zone);
    p.latitude = Math.round(lat * 10_000) / 10_000.0;
    p.longitude = Math.round(lon * 10_000) / 10_000.0;
    p.devices = devices;
    p.downtimeCostPerHour = cost;
    p.shiftPattern = pattern;
    p.downtimeShare = down;
    p.efficiency = eff;
    p.quality = quality;
    p.energyPerHour = energy;
    p.failureRateStart = rateStart;
    p.failureRateEnd = rateEnd;
    p.mttrHours = mttr;
    return p;
  }

  /** Configures a {@link SampleFleet}. Not thread-safe. */
  public static final class Builder {
    private long seed = 42;
    private String organizationId = ORGANIZATION_ID;
    private @Nullable Instant end;
    private int days = 90;
    private int intervalSeconds = 300;
    private int locations = 3;
    private double duplicateRate = 0.005;
    private double lateRate = 0.005;
    private double gapsPerLocationDay = 0.05;

    private Builder() {}

    /** The random seed (default 42). */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * The organization every record belongs to (default {@value SampleFleet#ORGANIZATION_ID}), so
     * that several sample fleets can share a warehouse; the records are otherwise the same.
     */
    public Builder organizationId(String value) {
      if (value == null || value.isBlank() || value.length() > 64) {
        throw new IllegalArgumentException("organizationId '" + value + "' must be 1-64 characters, not blank");
      }
      this.organizationId = value;
      return this;
    }

    /** The end of the data, rounded down to the interval (default: now). */
    public Builder end(Instant value) {
      this.end = value;
      return this;
    }

    /** Days of history (default 90; 1 to 3660). */
    public Builder days(int value) {
      if (value < 1 || value > 3660) {
        throw new IllegalArgumentException("days " + value + " is outside [1, 3660]");
      }
      this.days = value;
      return this;
    }

    /** Snapshot interval in seconds (default 300; 60 to 86400, dividing a day). */
    public Builder intervalSeconds(int value) {
      if (value < 60 || value > 86_400 || 86_400 % value != 0) {
        throw new IllegalArgumentException(
            "intervalSeconds " + value + " must be 60 to 86400 and divide a day");
      }
      this.intervalSeconds = value;
      return this;
    }

    /** Number of locations (default 3: the design's A, B, C; more are generated; 1 to 10,000). */
    public Builder locations(int value) {
      if (value < 1 || value > 10_000) {
        throw new IllegalArgumentException("locations " + value + " is outside [1, 10000]");
      }
      this.locations = value;
      return this;
    }

    /** Share of snapshots sent twice (default 0.005). */
    public Builder duplicateRate(double value) {
      this.duplicateRate = probability("duplicateRate", value);
      return this;
    }

    /** Share of snapshots that arrive 1 to 24 hours late (default 0.005). */
    public Builder lateRate(double value) {
      this.lateRate = probability("lateRate", value);
      return this;
    }

    /** Expected gaps (1 to 6 hours without data) per location and day (default 0.05). */
    public Builder gapsPerLocationDay(double value) {
      if (!(value >= 0 && value <= 10)) {
        throw new IllegalArgumentException("gapsPerLocationDay " + value + " is outside [0, 10]");
      }
      this.gapsPerLocationDay = value;
      return this;
    }

    /** The fleet. */
    public SampleFleet build() {
      return new SampleFleet(this);
    }

    private static double probability(String name, double v) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(name + " " + v + " is outside [0, 1]");
      }
      return v;
    }
  }
}
