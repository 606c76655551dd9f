package io.modax.fleet.ingest;

import io.modax.fleet.internal.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The data-quality rules at the door, one method per record kind. Each returns the first rule a
 * record breaks, or null when it is good. Pure functions of the record and the context.
 */
final class RecordRules {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  /** Relative slack for "production + downtime fits the interval", for rounding at the edge. */
  private static final double CAPACITY_SLACK = 1e-6;
  /** Largest |oee - computed from components| accepted. */
  private static final double OEE_COMPONENT_TOLERANCE = 0.01;

  private RecordRules() {}

  /** What a snapshot is checked against. */
  record MetricsContext(
      String organizationId,
      Instant now,
      Duration clockSkewTolerance,
      Duration retentionHorizon,
      java.util.Map<String, LocationFacts> locations) {}

  /** What the registry knows of a location. */
  record LocationFacts(int snapshotIntervalSeconds, int registeredDevices) {}

  static @Nullable Rejection check(FleetMetrics m, MetricsContext ctx) {
    Rejection r = ids(m.organizationId(), m.locationId(), null);
    if (r != null) {
      return r;
    }
    if (!m.organizationId().equals(ctx.organizationId())) {
      return mismatch(m.organizationId(), ctx.organizationId());
    }
    LocationFacts loc = ctx.locations().get(m.locationId());
    if (loc == null) {
      return new Rejection(
          QuarantineReason.UNKNOWN_LOCATION,
          "location_id '" + Checks.printable(m.locationId()) + "' is not registered for organization '"
              + Checks.printable(ctx.organizationId()) + "'");
    }
    r = time("timestamp", m.timestamp(), ctx.now(), ctx.clockSkewTolerance(), ctx.retentionHorizon());
    if (r != null) {
      return r;
    }
    r = finite(m);
    if (r != null) {
      return r;
    }
    if (m.totalProductionHours() == null) {
      return missing("total_production_hours");
    }
    if (m.totalDowntimeHours() == null) {
      return missing("total_downtime_hours");
    }
    r = ratio("avg_uptime", m.avgUptime());
    if (r == null) {
      r = ratio("avg_efficiency", m.avgEfficiency());
    }
    if (r == null) {
      r = ratio("oee", m.oee());
    }
    if (r != null) {
      return r;
    }
    r = nonNegative("total_production_hours", m.totalProductionHours());
    if (r == null) {
      r = nonNegative("total_downtime_hours", m.totalDowntimeHours());
    }
    if (r == null) {
      r = nonNegative("avg_energy_consumption", m.avgEnergyConsumption());
    }
    if (r == null) {
      r = nonNegative("mtbf", m.mtbf());
    }
    if (r == null) {
      r = nonNegative("mttr", m.mttr());
    }
    if (r == null && m.totalFailures() != null) {
      r = nonNegative("total_failures", m.totalFailures().doubleValue());
    }
    if (r == null && m.deviceCount() != null) {
      r = nonNegative("device_count", m.deviceCount().doubleValue());
    }
    if (r != null) {
      return r;
    }
    int interval = m.intervalSeconds() != null ? m.intervalSeconds() : loc.snapshotIntervalSeconds();
    if (interval < 1 || interval > 86_400) {
      return new Rejection(
          QuarantineReason.INVALID_INTERVAL,
          "interval_seconds " + interval + " is outside [1, 86400]");
    }
    long maxCount = FleetMetrics.MAX_COUNT_PER_SECOND * interval;
    if (m.totalFailures() != null && m.totalFailures() > maxCount) {
      return tooLarge("total_failures", m.totalFailures(), interval, maxCount);
    }
    int devices = m.deviceCount() != null ? m.deviceCount() : loc.registeredDevices();
    double hours = m.totalProductionHours() + m.totalDowntimeHours();
    if (m.deviceCount() != null || devices > 0) {
      double capacity = interval / 3600.0 * devices;
      if (hours > capacity * (1 + CAPACITY_SLACK) + 1e-9) {
        return new Rejection(
            QuarantineReason.HOURS_EXCEED_INTERVAL,
            "total_production_hours + total_downtime_hours = " + hours
                + " device-hours exceeds the " + capacity + " device-hours an interval of "
                + interval + " s holds for " + devices + " devices");
      }
    }
    OeeComponents c = m.components();
    if (c != null) {
      return components(c, m.oee(), interval, maxCount);
    }
    return null;
  }

  private static @Nullable Rejection components(
      OeeComponents c, @Nullable Double oee, int interval, long maxCount) {
    Rejection r = nonNegative("planned_production_hours", c.plannedProductionHours());
    if (r == null) {
      r = nonNegative("run_hours", c.runHours());
    }
    if (r == null) {
      r = nonNegative("ideal_cycle_time_seconds", c.idealCycleTimeSeconds());
    }
    if (r == null) {
      r = nonNegative("total_count", (double) c.totalCount());
    }
    if (r == null) {
      r = nonNegative("good_count", (double) c.goodCount());
    }
    if (r != null) {
      return r;
    }
    if (c.totalCount() > maxCount) {
      return tooLarge("total_count", c.totalCount(), interval, maxCount);
    }
    if (c.goodCount() > maxCount) {
      return tooLarge("good_count", c.goodCount(), interval, maxCount);
    }
    if (c.goodCount() > c.totalCount()) {
      return inconsistent("good_count " + c.goodCount() + " exceeds total_count " + c.totalCount());
    }
    if (c.runHours() > c.plannedProductionHours() * (1 + CAPACITY_SLACK) + 1e-9) {
      return inconsistent(
          "run_hours " + c.runHours() + " exceeds planned_production_hours "
              + c.plannedProductionHours());
    }
    double ideal = c.idealCycleTimeSeconds() * c.totalCount() / 3600.0;
    if (ideal > c.runHours() * (1 + CAPACITY_SLACK) + 1e-9) {
      return inconsistent(
          "ideal_cycle_time_seconds x total_count = " + ideal + " h exceeds run_hours "
              + c.runHours() + " (performance above 100%)");
    }
    if (oee != null && c.plannedProductionHours() > 0
        && Math.abs(oee - c.oee()) > OEE_COMPONENT_TOLERANCE) {
      return inconsistent(
          "oee " + oee + " differs from " + c.oee() + " computed from its components by more than "
              + OEE_COMPONENT_TOLERANCE);
    }
    return null;
  }

  static @Nullable Rejection check(Organization o) {
    String problem = Checks.idProblem(o.id());
    if (problem != null) {
      return malformed("id", o.id(), problem);
    }
    if (o.name() == null || o.name().isBlank() || o.name().length() > 255) {
      return invalid("name '" + Checks.printable(o.name()) + "' must be 1-255 characters, not blank");
    }
    Rejection r = storable("name", o.name());
    if (r != null) {
      return r;
    }
    r = zone(o.timezone());
    if (r != null) {
      return r;
    }
    if (o.currency() == null || !CURRENCY.matcher(o.currency()).matches()) {
      return invalid(
          "currency '" + Checks.printable(o.currency()) + "' is not an ISO 4217 code such as EUR");
    }
    return null;
  }

  static @Nullable Rejection check(Location l, String organizationId) {
    Rejection r = ids(l.organizationId(), l.id(), null);
    if (r != null) {
      return r;
    }
    if (!l.organizationId().equals(organizationId)) {
      return mismatch(l.organizationId(), organizationId);
    }
    if (l.name() == null || l.name().isBlank() || l.name().length() > 255) {
      return invalid("name '" + Checks.printable(l.name()) + "' must be 1-255 characters, not blank");
    }
    r = storable("name", l.name(), "address", l.address(), "shift_pattern", l.shiftPattern());
    if (r != null) {
      return r;
    }
    r = zone(l.timezone());
    if (r != null) {
      return r;
    }
    if (l.latitude() != null && !(l.latitude() >= -90 && l.latitude() <= 90)) {
      return new Rejection(
          QuarantineReason.INVALID_COORDINATES, "latitude " + l.latitude() + " is outside [-90, 90]");
    }
    if (l.longitude() != null && !(l.longitude() >= -180 && l.longitude() <= 180)) {
      return new Rejection(
          QuarantineReason.INVALID_COORDINATES,
          "longitude " + l.longitude() + " is outside [-180, 180]");
    }
    BigDecimal cost = l.downtimeCostPerHour();
    if (cost != null && (cost.signum() < 0 || cost.precision() - cost.scale() > 12)) {
      return new Rejection(
          QuarantineReason.NEGATIVE_VALUE,
          "downtime_cost_per_hour " + cost + " must be between 0 and 999999999999.99");
    }
    if (l.snapshotIntervalSeconds() < 1 || l.snapshotIntervalSeconds() > 86_400) {
      return new Rejection(
          QuarantineReason.INVALID_INTERVAL,
          "snapshot_interval_seconds " + l.snapshotIntervalSeconds() + " is outside [1, 86400]");
    }
    if (l.shiftPattern() != null && l.shiftPattern().length() > 64) {
      return invalid("shift_pattern is longer than 64 characters");
    }
    for (String tag : l.tags()) {
      if (tag == null || tag.isBlank() || tag.length() > 64) {
        return invalid("tag '" + Checks.printable(tag) + "' must be 1-64 characters, not blank");
      }
      r = storable("tag", tag);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  static @Nullable Rejection check(Device d, String organizationId, Set<String> locations) {
    Rejection r = ids(d.organizationId(), d.locationId(), d.id());
    if (r != null) {
      return r;
    }
    if (d.id() == null) {
      return malformed("id", null, "it is missing");
    }
    if (!d.organizationId().equals(organizationId)) {
      return mismatch(d.organizationId(), organizationId);
    }
    if (!locations.contains(d.locationId())) {
      return new Rejection(
          QuarantineReason.UNKNOWN_LOCATION,
          "location_id '" + Checks.printable(d.locationId()) + "' is not registered");
    }
    String problem = Checks.idProblem(d.deviceType());
    if (problem != null) {
      return malformed("device_type", d.deviceType(), problem);
    }
    if (d.status() == null) {
      return missing("status");
    }
    if (d.name() != null && d.name().length() > 255) {
      return invalid("name is longer than 255 characters");
    }
    Rejection text = storable("name", d.name());
    if (text != null) {
      return text;
    }
    Instant commissioned = d.commissionedAt();
    if (commissioned != null
        && (commissioned.isBefore(Checks.EARLIEST_INSTANT) || !commissioned.isBefore(Checks.LATEST_INSTANT))) {
      return invalid("commissioned_at " + commissioned + " is outside the supported range ["
          + Checks.EARLIEST_INSTANT + ", " + Checks.LATEST_INSTANT + ")");
    }
    return null;
  }

  static @Nullable Rejection check(
      MaintenanceEvent e,
      String organizationId,
      Set<String> locations,
      Set<String> devices,
      Instant now,
      Duration skew,
      Duration retention,
      int maxParts) {
    Rejection r = ids(e.organizationId(), e.locationId(), e.id());
    if (r != null) {
      return r;
    }
    if (e.id() == null) {
      return malformed("id", null, "it is missing");
    }
    if (!e.organizationId().equals(organizationId)) {
      return mismatch(e.organizationId(), organizationId);
    }
    if (!locations.contains(e.locationId())) {
      return new Rejection(
          QuarantineReason.UNKNOWN_LOCATION,
          "location_id '" + Checks.printable(e.locationId()) + "' is not registered");
    }
    if (e.deviceId() != null) {
      String problem = Checks.idProblem(e.deviceId());
      if (problem != null) {
        return malformed("device_id", e.deviceId(), problem);
      }
      if (!devices.contains(e.deviceId())) {
        return new Rejection(
            QuarantineReason.UNKNOWN_DEVICE,
            "device_id '" + Checks.printable(e.deviceId()) + "' is not registered");
      }
    }
    if (e.occurredAt() == null) {
      return missing("occurred_at");
    }
    if (e.type() == null) {
      return missing("event_type");
    }
    r = time("occurred_at", e.occurredAt(), now, skew, retention);
    if (r != null) {
      return r;
    }
    r = storable("description", e.description());
    if (r != null) {
      return r;
    }
    if (e.type() == EventType.FAILURE && e.planned()) {
      return invalid("a failure cannot be planned: event_type failure requires planned = false");
    }
    if (e.repairHours() != null) {
      if (!Double.isFinite(e.repairHours())) {
        return new Rejection(QuarantineReason.NON_FINITE, "repair_hours is " + e.repairHours());
      }
      r = nonNegative("repair_hours", e.repairHours());
      if (r != null) {
        return r;
      }
    }
    BigDecimal cost = e.cost();
    if (cost != null && (cost.signum() < 0 || cost.precision() - cost.scale() > 12)) {
      return new Rejection(
          QuarantineReason.NEGATIVE_VALUE, "cost " + cost + " must be between 0 and 999999999999.99");
    }
    if (e.parts().size() > maxParts) {
      return new Rejection(QuarantineReason.VALUE_TOO_LARGE, "the event lists " + e.parts().size()
          + " spare-part lines, more than the limit maxPartsPerEvent = " + maxParts);
    }
    Set<String> parts = new HashSet<>();
    for (PartUsage p : e.parts()) {
      if (p == null) {
        return missing("parts[]");
      }
      String problem = Checks.idProblem(p.partNumber());
      if (problem != null) {
        return malformed("part_number", p.partNumber(), problem);
      }
      if (p.quantity() > PartUsage.MAX_QUANTITY) {
        return new Rejection(QuarantineReason.VALUE_TOO_LARGE, "part " + Checks.printable(p.partNumber())
            + " quantity " + p.quantity() + " exceeds " + PartUsage.MAX_QUANTITY
            + " (PartUsage.MAX_QUANTITY), the most one part line may count");
      }
      if (p.quantity() < 1) {
        return invalid("part " + Checks.printable(p.partNumber()) + " quantity " + p.quantity()
            + " must be at least 1");
      }
      if (!parts.add(p.partNumber())) {
        return invalid("part " + Checks.printable(p.partNumber()) + " is listed twice");
      }
    }
    return null;
  }

  /** The ids of a record; {@code id} is checked only when the record has one of its own. */
  private static @Nullable Rejection ids(
      @Nullable String organizationId, @Nullable String locationId, @Nullable String id) {
    String problem = Checks.idProblem(organizationId);
    if (problem != null) {
      return malformed("organization_id", organizationId, problem);
    }
    problem = Checks.idProblem(locationId);
    if (problem != null) {
      return malformed("location_id", locationId, problem);
    }
    if (id != null) {
      problem = Checks.idProblem(id);
      if (problem != null) {
        return malformed("id", id, problem);
      }
    }
    return null;
  }

  private static @Nullable Rejection time(
      String field, @Nullable Instant t, Instant now, Duration skew, Duration retention) {
    if (t == null) {
      return missing(field);
    }
    if (t.isAfter(now.plus(skew))) {
      return new Rejection(
          QuarantineReason.FUTURE_TIMESTAMP,
          field + " " + t + " is more than " + skew.toSeconds()
              + " s ahead of the clock (" + now + "): check the location's clock");
    }
    if (t.isBefore(now.minus(retention))) {
      return new Rejection(
          QuarantineReason.BEYOND_RETENTION,
          field + " " + t + " is older than the retention horizon of " + retention.toDays() + " days");
    }
    return null;
  }

  private static @Nullable Rejection finite(FleetMetrics m) {
    Double[] values = {
      m.avgUptime(), m.avgEfficiency(), m.avgEnergyConsumption(), m.mtbf(), m.mttr(),
      m.totalProductionHours(), m.totalDowntimeHours(), m.oee()
    };
    String[] names = {
      "avg_uptime", "avg_efficiency", "avg_energy_consumption", "mtbf", "mttr",
      "total_production_hours", "total_downtime_hours", "oee"
    };
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null && !Double.isFinite(values[i])) {
        return new Rejection(QuarantineReason.NON_FINITE, names[i] + " is " + values[i]);
      }
    }
    OeeComponents c = m.components();
    if (c != null) {
      double[] cv = {c.plannedProductionHours(), c.runHours(), c.idealCycleTimeSeconds()};
      String[] cn = {"planned_production_hours", "run_hours", "ideal_cycle_time_seconds"};
      for (int i = 0; i < cv.length; i++) {
        if (!Double.isFinite(cv[i])) {
          return new Rejection(QuarantineReason.NON_FINITE, cn[i] + " is " + cv[i]);
        }
      }
    }
    return null;
  }

  private static @Nullable Rejection ratio(String field, @Nullable Double v) {
    if (v != null && !(v >= 0 && v <= 1)) {
      return new Rejection(
          QuarantineReason.RATIO_OUT_OF_RANGE, field + " " + v + " is outside [0, 1]");
    }
    return null;
  }

  private static @Nullable Rejection nonNegative(String field, @Nullable Double v) {
    if (v != null && v < 0) {
      return new Rejection(QuarantineReason.NEGATIVE_VALUE, field + " " + v + " is negative");
    }
    return null;
  }

  private static @Nullable Rejection zone(@Nullable String zone) {
    if (zone == null || zone.isBlank()) {
      return new Rejection(QuarantineReason.INVALID_TIME_ZONE, "timezone is missing");
    }
    try {
      ZoneId id = ZoneId.of(zone);
      if (id instanceof ZoneOffset || !id.getId().contains("/") && !id.getId().equals("UTC")) {
        return new Rejection(
            QuarantineReason.INVALID_TIME_ZONE,
            "timezone '" + Checks.printable(zone)
                + "' is not an IANA region such as Europe/Berlin (fixed offsets and abbreviations"
                + " are ambiguous in PostgreSQL)");
      }
      return null;
    } catch (RuntimeException e) {
      return new Rejection(
          QuarantineReason.INVALID_TIME_ZONE,
          "timezone '" + Checks.printable(zone) + "' is not a known IANA zone");
    }
  }

  private static Rejection mismatch(String given, String expected) {
    return new Rejection(
        QuarantineReason.ORGANIZATION_MISMATCH,
        "organization_id '" + Checks.printable(given) + "' differs from the organization '"
            + Checks.printable(expected) + "' this write is for");
  }

  private static Rejection malformed(String field, @Nullable String value, String problem) {
    return new Rejection(
        QuarantineReason.MALFORMED_ID, field + " '" + Checks.printable(value) + "': " + problem);
  }

  /**
   * Free text the database stores exactly as given, or why not: PostgreSQL text cannot hold
   * U+0000, and an unpaired UTF-16 surrogate is not Unicode (it would be stored as '?'). Takes
   * (field, value) pairs; null values are fine.
   */
  private static @Nullable Rejection storable(@Nullable String... fieldsAndValues) {
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      String field = fieldsAndValues[i];
      String value = fieldsAndValues[i + 1];
      if (value == null) {
        continue;
      }
      if (value.indexOf('\u0000') >= 0) {
        return invalid(field + " '" + Checks.printable(value) + "' contains U+0000, which PostgreSQL"
            + " text cannot hold");
      }
      if (value.codePoints().anyMatch(cp -> cp <= Character.MAX_VALUE && Character.isSurrogate((char) cp))) {
        return invalid(field + " '" + Checks.printable(value) + "' contains an unpaired UTF-16"
            + " surrogate (not valid Unicode)");
      }
    }
    return null;
  }

  private static Rejection missing(String field) {
    return new Rejection(QuarantineReason.MISSING_FIELD, field + " is required but missing");
  }

  /** A count whose sums could overflow bigint: the bound and why it exists in the reason. */
  private static Rejection tooLarge(String field, long value, int interval, long max) {
    return new Rejection(QuarantineReason.VALUE_TOO_LARGE, field + " " + value + " exceeds " + max
        + " = " + FleetMetrics.MAX_COUNT_PER_SECOND + " per second (FleetMetrics.MAX_COUNT_PER_SECOND)"
        + " x the " + interval + " s interval: larger counts could overflow the bigint sums of the"
        + " location's rollups");
  }

  private static Rejection invalid(String message) {
    return new Rejection(QuarantineReason.INVALID_VALUE, message);
  }

  private static Rejection inconsistent(String message) {
    return new Rejection(QuarantineReason.INCONSISTENT_COMPONENTS, message);
  }
}
