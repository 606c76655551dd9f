package io.modax.fleet.reporting;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.Organization;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small synthetic fleets for the report tests: hourly snapshots of locations that run around the
 * clock with a given OEE, failure rate and repair time, and one failure event per failure (so that
 * the repair-time test has its events).
 */
final class ReportFixtures {

  private ReportFixtures() {}

  /**
   * A location's profile.
   *
   * @param id location id
   * @param name display name
   * @param lat latitude
   * @param lon longitude
   * @param devices devices
   * @param uptime uptime fraction
   * @param efficiency efficiency fraction
   * @param failuresPerProductionHour failure rate
   * @param mttrHours mean repair hours
   */
  record Plant(String id, String name, double lat, double lon, int devices, double uptime, double efficiency,
      double failuresPerProductionHour, double mttrHours) {}

  /** Writes the organization, its locations, hourly snapshots over {@code days} before {@code end} and events. */
  static void load(FleetAnalytics fleet, String orgId, String zone, List<Plant> plants, Instant end, int days, long seed) {
    CallerContext admin = CallerContext.of("fixture-loader", orgId, Role.ADMIN);
    fleet.writer().writeOrganization(admin, new Organization(orgId, "Org " + orgId, zone, "EUR"));
    List<Location> locations = new ArrayList<>();
    for (Plant p : plants) {
      locations.add(new Location(orgId, p.id(), p.name(), "site " + p.id(), zone, p.lat(), p.lon(),
          BigDecimal.valueOf(300).setScale(2, RoundingMode.HALF_EVEN), 3600, "3x8-7d", List.of()));
    }
    fleet.writer().writeLocations(admin, orgId, locations);
    SplittableRandom r = new SplittableRandom(seed);
    List<FleetMetrics> rows = new ArrayList<>();
    List<MaintenanceEvent> events = new ArrayList<>();
    Instant start = end.minus(Duration.ofDays(days));
    for (Plant p : plants) {
      int seq = 0;
      for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofHours(1))) {
        double planned = p.devices();
        double uptime = clamp(p.uptime() + 0.01 * gaussian(r));
        double production = planned * uptime;
        double efficiency = clamp(p.efficiency() + 0.01 * gaussian(r));
        int failures = poisson(r, p.failuresPerProductionHour() * production);
        double repairSum = 0;
        for (int f = 0; f < failures; f++) {
          double repair = Math.round(p.mttrHours() * Math.exp(0.25 * gaussian(r) - 0.03125) * 1000) / 1000.0;
          repairSum += repair;
          seq++;
          events.add(new MaintenanceEvent(orgId, p.id() + "-F" + seq, p.id(), null, t.plusSeconds(r.nextInt(3600)),
              EventType.FAILURE, false, repair, BigDecimal.valueOf(repair * 95).setScale(2, RoundingMode.HALF_EVEN),
              "failure", List.of()));
        }
        rows.add(FleetMetrics.builder(orgId, p.id(), t).intervalSeconds(3600).deviceCount(p.devices())
            .avgUptime(uptime).avgEfficiency(efficiency).avgEnergyConsumption(12.0 + 0.2 * gaussian(r))
            .totalFailures(failures).mttr(failures > 0 ? repairSum / failures : null)
            .totalProductionHours(production).totalDowntimeHours(planned - production)
            .oee(uptime * efficiency * 0.99).build());
      }
    }
    fleet.writer().writeMetrics(admin, orgId, rows);
    fleet.writer().writeEvents(admin, orgId, events);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static int poisson(SplittableRandom r, double lambda) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
