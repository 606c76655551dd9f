package io.modax.fleet.ingest;

import io.modax.fleet.CallerContext;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Json;
import io.modax.fleet.internal.Warehouse;
import io.modax.fleet.internal.schema.MigrationScripts;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Takes everything a location sends and stores it: validated, idempotent, and with the rollups kept
 * equal to a recomputation from the raw rows.
 *
 * <p>Every call is for one organization and one caller, who must be allowed to write it ({@link
 * CallerContext#checkWrite}). Records are processed in chunks of {@code writeChunkSize}; each chunk
 * is one transaction, so it is stored completely or not at all, and is retried with backoff when
 * the connection is lost or the transaction hits a serialization failure or deadlock (the writes
 * are idempotent, so a retry is safe). Streams ({@link Iterator}) of any length are written in
 * bounded memory.
 *
 * <p>Records that break a rule ({@link QuarantineReason}) are stored in the quarantine table with
 * the reason and their original values, in the same transaction as their good neighbours. The
 * returned {@link WriteReport} accounts for every record given.
 *
 * <p>Idempotency: the key of a snapshot is (organization, location, timestamp) at microsecond
 * precision, of an event its id, of a registry record its id. Resending identical records counts
 * them as unchanged; a record with the same key and other values replaces the stored one.
 *
 * <p>Read your writes: when a call returns, every analysis sees its rows (and rollups).
 *
 * <p>Thread safety: safe for concurrent use. Writes to the same location serialize on a
 * transaction-scoped advisory lock; writes to different locations run in parallel.
 */
public final class FleetWriter {

  private static final String[] METRIC_COLUMNS = {
    "interval_seconds", "device_count", "avg_uptime", "avg_efficiency", "avg_energy_consumption",
    "total_failures", "mtbf", "mttr", "total_production_hours", "total_downtime_hours", "oee",
    "planned_production_hours", "run_hours", "ideal_cycle_time_seconds", "total_count", "good_count"
  };

  private final Engine engine;
  private final Warehouse warehouse;
  private final String q;
  private final String upsertMetricsSql;

  /**
   * Created by {@link io.modax.fleet.FleetAnalytics#writer()}; hosts do not call this.
   *
   * @param engine the library's shared state
   */
  public FleetWriter(Engine engine) {
    this.engine = engine;
    this.warehouse = engine.warehouse();
    this.q = MigrationScripts.quoteSchema(warehouse.schema());
    this.upsertMetricsSql = buildUpsertMetricsSql(q);
  }

  // ------------------------------------------------------------------ registry

  /**
   * Registers or updates an organization.
   *
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write it
   * @throws io.modax.fleet.WarehouseException when the database fails
   */
  public WriteReport writeOrganization(CallerContext caller, Organization organization) {
    Checks.requireNonNull("organization", organization);
    String orgId = Checks.requireId("organization.id", organization.id());
    caller.checkWrite(orgId);
    Rejection r = RecordRules.check(organization);
    if (r == null && !knownZones(orgId, Set.of(organization.timezone())).contains(organization.timezone())) {
      r = unknownZone(organization.timezone());
    }
    Rejection rejection = r;
    return warehouse.inRetryingTransaction(
        orgId, "writing organization", engine.writeAttempts(), Duration.ofMillis(50), (c, dsl) -> {
          Counter n = new Counter();
          n.submitted = 1;
          if (rejection != null) {
            quarantine(c, orgId, "organization", null, rejection, organizationJson(organization));
            n.quarantine(rejection.reason());
            return n.report();
          }
          try (PreparedStatement p = c.prepareStatement(
              "INSERT INTO " + q + ".organizations AS t (id, name, timezone, currency) VALUES (?, ?, ?, ?)"
                  + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,"
                  + " currency = EXCLUDED.currency"
                  + " WHERE (t.name, t.timezone, t.currency) IS DISTINCT FROM"
                  + " (EXCLUDED.name, EXCLUDED.timezone, EXCLUDED.currency)"
                  + " RETURNING (t.xmax = 0)")) {
            p.setString(1, organization.id());
            p.setString(2, organization.name());
            p.setString(3, organization.timezone());
            p.setString(4, organization.currency());
            n.countUpsert(p);
          }
          return n.report();
        });
  }

  /**
   * Registers or updates locations of one organization. A changed time zone rebuilds the
   * location's daily rollups (its days are its local ones).
   *
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   */
  public WriteReport writeLocations(
      CallerContext caller, String organizationId, Iterable<Location> locations) {
    String orgId = begin(caller, organizationId, locations, "locations");
    WriteReport total = WriteReport.EMPTY;
    for (List<Location> chunk : chunks(locations.iterator())) {
      Set<String> zones = new HashSet<>();
      chunk.forEach(l -> zones.add(l.timezone()));
      Set<String> known = knownZones(orgId, zones);
      boolean orgExists = organizationExists(orgId);
      total = total.plus(warehouse.inRetryingTransaction(
          orgId, "writing locations", engine.writeAttempts(), Duration.ofMillis(50), (c, dsl) -> {
            Counter n = new Counter();
            Map<String, Location> good = new LinkedHashMap<>();
            for (Location l : chunk) {
              n.submitted++;
              Rejection r = l == null ? missingRecord() : RecordRules.check(l, orgId);
              if (r == null && !orgExists) {
                r = unknownOrganization(orgId);
              }
              if (r == null && !known.contains(l.timezone())) {
                r = unknownZone(l.timezone());
              }
              if (r != null) {
                quarantine(c, orgId, "location", l == null ? null : l.id(), r, l == null ? "null" : locationJson(l));
                n.quarantine(r.reason());
              } else {
                n.supersede(good.put(l.id(), l), l);
              }
            }
            try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO " + q + ".locations AS t (organization_id, id, name, address, timezone,"
                    + " latitude, longitude, downtime_cost_per_hour, snapshot_interval_seconds,"
                    + " shift_pattern, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (organization_id, id) DO UPDATE SET name = EXCLUDED.name,"
                    + " address = EXCLUDED.address, timezone = EXCLUDED.timezone,"
                    + " latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,"
                    + " downtime_cost_per_hour = EXCLUDED.downtime_cost_per_hour,"
                    + " snapshot_interval_seconds = EXCLUDED.snapshot_interval_seconds,"
                    + " shift_pattern = EXCLUDED.shift_pattern, tags = EXCLUDED.tags"
                    + " WHERE (t.name, t.address, t.timezone, t.latitude, t.longitude,"
                    + " t.downtime_cost_per_hour, t.snapshot_interval_seconds, t.shift_pattern, t.tags)"
                    + " IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.address, EXCLUDED.timezone,"
                    + " EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.downtime_cost_per_hour,"
                    + " EXCLUDED.snapshot_interval_seconds, EXCLUDED.shift_pattern, EXCLUDED.tags)"
                    + " RETURNING (t.xmax = 0)")) {
              for (Location l : good.values()) {
                p.setString(1, orgId);
                p.setString(2, l.id());
                p.setString(3, l.name());
                p.setString(4, l.address());
                p.setString(5, l.timezone());
                setDouble(p, 6, l.latitude());
                setDouble(p, 7, l.longitude());
                p.setBigDecimal(8, l.downtimeCostPerHour());
                p.setInt(9, l.snapshotIntervalSeconds());
                p.setString(10, l.shiftPattern());
                p.setArray(11, c.createArrayOf("text", l.tags().toArray()));
                n.countUpsert(p);
              }
            }
            return n.report();
          }));
    }
    return total;
  }

  /**
   * Registers or updates devices of one organization.
   *
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   */
  public WriteReport writeDevices(CallerContext caller, String organizationId, Iterable<Device> devices) {
    String orgId = begin(caller, organizationId, devices, "devices");
    WriteReport total = WriteReport.EMPTY;
    for (List<Device> chunk : chunks(devices.iterator())) {
      Set<String> locations = locationFacts(orgId).keySet();
      total = total.plus(warehouse.inRetryingTransaction(
          orgId, "writing devices", engine.writeAttempts(), Duration.ofMillis(50), (c, dsl) -> {
            Counter n = new Counter();
            Map<String, Device> good = new LinkedHashMap<>();
            for (Device d : chunk) {
              n.submitted++;
              Rejection r = d == null ? missingRecord() : RecordRules.check(d, orgId, locations);
              if (r != null) {
                quarantine(c, orgId, "device", d == null ? null : d.locationId(), r, d == null ? "null" : deviceJson(d));
                n.quarantine(r.reason());
              } else {
                n.supersede(good.put(d.id(), d), d);
              }
            }
            try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO " + q + ".devices AS t (organization_id, id, location_id, name,"
                    + " device_type, status, commissioned_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (organization_id, id) DO UPDATE SET"
                    + " location_id = EXCLUDED.location_id, name = EXCLUDED.name,"
                    + " device_type = EXCLUDED.device_type, status = EXCLUDED.status,"
                    + " commissioned_at = EXCLUDED.commissioned_at, updated_at = now()"
                    + " WHERE (t.location_id, t.name, t.device_type, t.status, t.commissioned_at)"
                    + " IS DISTINCT FROM (EXCLUDED.location_id, EXCLUDED.name, EXCLUDED.device_type,"
                    + " EXCLUDED.status, EXCLUDED.commissioned_at)"
                    + " RETURNING (t.xmax = 0)")) {
              for (Device d : good.values()) {
                p.setString(1, orgId);
                p.setString(2, d.id());
                p.setString(3, d.locationId());
                p.setString(4, d.name());
                p.setString(5, d.deviceType());
                p.setString(6, d.status().wireName());
                p.setTimestamp(7, d.commissionedAt() == null ? null : Timestamp.from(d.commissionedAt()));
                n.countUpsert(p);
              }
            }
            return n.report();
          }));
    }
    return total;
  }

  // ------------------------------------------------------------------ metrics

  /**
   * Writes fleet metrics snapshots of one organization; see the class comment for the guarantees.
   *
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws io.modax.fleet.WarehouseException when a chunk cannot be stored after its retries; the
   *     message says how many records of earlier chunks were stored and that this chunk was not
   */
  public WriteReport writeMetrics(
      CallerContext caller, String organizationId, Iterable<FleetMetrics> snapshots) {
    Checks.requireNonNull("snapshots", snapshots);
    return writeMetrics(caller, organizationId, snapshots.iterator());
  }

  /** Like {@link #writeMetrics(CallerContext, String, Iterable)}, for a stream of any length. */
  public WriteReport writeMetrics(
      CallerContext caller, String organizationId, Iterator<FleetMetrics> snapshots) {
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireNonNull("snapshots", snapshots);
    caller.checkWrite(orgId);
    boolean orgExists = organizationExists(orgId);
    Map<String, RecordRules.LocationFacts> facts = locationFacts(orgId);
    WriteReport total = WriteReport.EMPTY;
    for (List<FleetMetrics> chunk : chunks(snapshots)) {
      RecordRules.MetricsContext ctx = new RecordRules.MetricsContext(
          orgId, engine.clock().instant(), engine.clockSkewTolerance(), engine.retentionHorizon(), facts);
      try {
        total = total.plus(writeMetricsChunk(orgId, chunk, ctx, orgExists));
      } catch (io.modax.fleet.WarehouseException e) {
        throw new io.modax.fleet.WarehouseException(
            "writing fleet metrics for organization '" + orgId + "' stopped: " + total.submitted()
                + " earlier records were handled (" + total + "); the " + chunk.size()
                + " records of the failed chunk were not stored, nor any after it: "
                + e.getMessage(),
            e.sqlState(), e);
      }
    }
    return total;
  }

  private WriteReport writeMetricsChunk(
      String orgId, List<FleetMetrics> chunk, RecordRules.MetricsContext ctx, boolean orgExists) {
    List<FleetMetrics> bad = new ArrayList<>();
    List<Rejection> why = new ArrayList<>();
    Counter pre = new Counter();
    Map<MetricKey, FleetMetrics> good = new LinkedHashMap<>();
    for (FleetMetrics m : chunk) {
      pre.submitted++;
      Rejection r = m == null ? missingRecord()
          : orgExists ? RecordRules.check(m, ctx) : unknownOrganization(orgId);
      if (r != null) {
        bad.add(m);
        why.add(r);
        pre.quarantine(r.reason());
      } else {
        pre.supersede(good.put(new MetricKey(m.locationId(), micros(m.timestamp())), m), m);
      }
    }
    return warehouse.inRetryingTransaction(
        orgId, "writing fleet metrics", engine.writeAttempts(), Duration.ofMillis(50), (c, dsl) -> {
          Counter n = pre.copy();
          for (int i = 0; i < bad.size(); i++) {
            FleetMetrics m = bad.get(i);
            quarantine(c, orgId, "fleet_metrics", m == null ? null : m.locationId(), why.get(i),
                m == null ? "null" : metricsJson(m));
          }
          if (!good.isEmpty()) {
            upsertMetrics(c, orgId, good, ctx, n);
          }
          return n.report();
        });
  }

  private void upsertMetrics(
      Connection c,
      String orgId,
      Map<MetricKey, FleetMetrics> good,
      RecordRules.MetricsContext ctx,
      Counter n)
      throws SQLException {
    int size = good.size();
    Long[] ts = new Long[size];
    String[] loc = new String[size];
    Integer[] interval = new Integer[size];
    Integer[] devices = new Integer[size];
    Double[] uptime = new Double[size];
    Double[] efficiency = new Double[size];
    Double[] energy = new Double[size];
    Integer[] failures = new Integer[size];
    Double[] mtbf = new Double[size];
    Double[] mttr = new Double[size];
    Double[] production = new Double[size];
    Double[] downtime = new Double[size];
    Double[] oee = new Double[size];
    Double[] planned = new Double[size];
    Double[] run = new Double[size];
    Double[] cycle = new Double[size];
    Long[] total = new Long[size];
    Long[] goodCount = new Long[size];
    Set<String> locations = new TreeSet<>();
    int i = 0;
    for (Map.Entry<MetricKey, FleetMetrics> e : good.entrySet()) {
      FleetMetrics m = e.getValue();
      ts[i] = e.getKey().micros();
      loc[i] = m.locationId();
      locations.add(m.locationId());
      interval[i] = m.intervalSeconds() != null
          ? m.intervalSeconds()
          : ctx.locations().get(m.locationId()).snapshotIntervalSeconds();
      devices[i] = m.deviceCount();
      uptime[i] = m.avgUptime();
      efficiency[i] = m.avgEfficiency();
      energy[i] = m.avgEnergyConsumption();
      failures[i] = m.totalFailures();
      mtbf[i] = m.mtbf();
      mttr[i] = m.mttr();
      production[i] = m.totalProductionHours();
      downtime[i] = m.totalDowntimeHours();
      OeeComponents k = m.components();
      oee[i] = m.oee() != null ? m.oee() : k != null && k.plannedProductionHours() > 0 ? k.oee() : null;
      if (k != null) {
        planned[i] = k.plannedProductionHours();
        run[i] = k.runHours();
        cycle[i] = k.idealCycleTimeSeconds();
        total[i] = k.totalCount();
        goodCount[i] = k.goodCount();
      }
      i++;
    }
    lockLocations(c, orgId, locations);
    try (PreparedStatement p = c.prepareStatement(
        "SELECT set_config('" + Warehouse.ROLLUPS_MAINTAINED_SETTING + "', 'on', true)")) {
      p.execute();
    }
    List<String> changedLocations = new ArrayList<>();
    List<Long> changedMicros = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(upsertMetricsSql)) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("int8", ts));
      p.setArray(3, c.createArrayOf("varchar", loc));
      p.setArray(4, c.createArrayOf("int4", interval));
      p.setArray(5, c.createArrayOf("int4", devices));
      p.setArray(6, c.createArrayOf("float8", uptime));
      p.setArray(7, c.createArrayOf("float8", efficiency));
      p.setArray(8, c.createArrayOf("float8", energy));
      p.setArray(9, c.createArrayOf("int4", failures));
      p.setArray(10, c.createArrayOf("float8", mtbf));
      p.setArray(11, c.createArrayOf("float8", mttr));
      p.setArray(12, c.createArrayOf("float8", production));
      p.setArray(13, c.createArrayOf("float8", downtime));
      p.setArray(14, c.createArrayOf("float8", oee));
      p.setArray(15, c.createArrayOf("float8", planned));
      p.setArray(16, c.createArrayOf("float8", run));
      p.setArray(17, c.createArrayOf("float8", cycle));
      p.setArray(18, c.createArrayOf("int8", total));
      p.setArray(19, c.createArrayOf("int8", goodCount));
      int returned = 0;
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          returned++;
          if (rs.getBoolean(1)) {
            n.inserted++;
          } else {
            n.updated++;
          }
          changedLocations.add(rs.getString(2));
          changedMicros.add(rs.getLong(3));
        }
      }
      n.unchanged += size - returned;
    }
    refreshRollups(c, orgId, changedLocations, changedMicros);
  }

  private static String buildUpsertMetricsSql(String q) {
    StringBuilder cols = new StringBuilder();
    StringBuilder set = new StringBuilder();
    StringBuilder oldRow = new StringBuilder();
    StringBuilder newRow = new StringBuilder();
    for (String col : METRIC_COLUMNS) {
      cols.append(", ").append(col);
      set.append(col).append(" = EXCLUDED.").append(col).append(", ");
      oldRow.append(oldRow.length() == 0 ? "" : ", ").append("t.").append(col);
      newRow.append(newRow.length() == 0 ? "" : ", ").append("EXCLUDED.").append(col);
    }
    return "INSERT INTO " + q + ".fleet_metrics AS t (\"timestamp\", organization_id, location_id"
        + cols + ")"
        + " SELECT TIMESTAMPTZ 'epoch' + u.ts * INTERVAL '1 microsecond', ?, u.loc, u.iv, u.dc,"
        + " u.up, u.ef, u.en, u.fa, u.mtbf, u.mttr, u.ph, u.dh, u.oee, u.pp, u.rh, u.ic, u.tc, u.gc"
        + " FROM unnest(?::bigint[], ?::varchar[], ?::int[], ?::int[], ?::float8[], ?::float8[],"
        + " ?::float8[], ?::int[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],"
        + " ?::float8[], ?::float8[], ?::float8[], ?::bigint[], ?::bigint[])"
        + " AS u(ts, loc, iv, dc, up, ef, en, fa, mtbf, mttr, ph, dh, oee, pp, rh, ic, tc, gc)"
        + " ON CONFLICT (organization_id, location_id, \"timestamp\") DO UPDATE SET "
        + set + "ingested_at = now()"
        + " WHERE (" + oldRow + ") IS DISTINCT FROM (" + newRow + ")"
        + " RETURNING (t.xmax = 0), t.location_id,"
        + " (extract(epoch FROM t.\"timestamp\") * 1000000)::bigint";
  }

  /**
   * Deletes the snapshots of one location in {@code [from, to)} and recomputes the rollups they
   * touched.
   *
   * @return the number of snapshots deleted
   */
  public long deleteMetrics(
      CallerContext caller, String organizationId, String locationId, Instant from, Instant to) {
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireId("locationId", locationId);
    Checks.requireWindow(from, to, null);
    caller.checkWrite(orgId);
    return warehouse.inRetryingTransaction(
        orgId, "deleting fleet metrics", engine.writeAttempts(), Duration.ofMillis(50), (c, dsl) -> {
          lockLocations(c, orgId, Set.of(locationId));
          try (PreparedStatement p = c.prepareStatement(
              "SELECT set_config('" + Warehouse.ROLLUPS_MAINTAINED_SETTING + "', 'on', true)")) {
            p.execute();
          }
          long deleted;
          try (PreparedStatement p = c.prepareStatement(
              "DELETE FROM " + q + ".fleet_metrics WHERE organization_id = ? AND location_id = ?"
                  + " AND \"timestamp\" >= ? AND \"timestamp\" < ?")) {
            p.setString(1, orgId);
            p.setString(2, locationId);
            p.setTimestamp(3, Timestamp.from(from));
            p.setTimestamp(4, Timestamp.from(to));
            deleted = p.executeUpdate();
          }
          try (PreparedStatement p = c.prepareStatement(
              "SELECT " + q + ".refresh_fleet_rollups_range(?, ?, ?, ?)")) {
            p.setString(1, orgId);
            p.setString(2, locationId);
            p.setTimestamp(3, Timestamp.from(from));
            p.setTimestamp(4, Timestamp.from(to));
            p.execute();
          }
          return deleted;
        });
  }

  // ------------------------------------------------------------------ events

  /**
   * Writes maintenance and failure events of one organization, with their spare parts.
   *
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   */
  public WriteReport writeEvents(
      CallerContext caller, String organizationId, Iterable<MaintenanceEvent> events) {
    String orgId = begin(caller, organizationId, events, "events");
    Set<String> locations = locationFacts(orgId).keySet();
    Set<String> devices = deviceIds(orgId);
    WriteReport total = WriteReport.EMPTY;
    for (List<MaintenanceEvent> chunk : chunks(events.iterator())) {
      Instant now = engine.clock().instant();
      total = total.plus(warehouse.inRetryingTransaction(
          orgId, "writing maintenance events", engine.writeAttempts(), Duration.ofMillis(50), (c, dsl) -> {
            Counter n = new Counter();
            Map<String, MaintenanceEvent> good = new LinkedHashMap<>();
            for (MaintenanceEvent e : chunk) {
              n.submitted++;
              Rejection r = e == null ? missingRecord()
                  : RecordRules.check(e, orgId, locations, devices, now,
                      engine.clockSkewTolerance(), engine.retentionHorizon());
              if (r != null) {
                quarantine(c, orgId, "maintenance_event", e == null ? null : e.locationId(), r,
                    e == null ? "null" : eventJson(e));
                n.quarantine(r.reason());
              } else {
                n.supersede(good.put(e.id(), e), e);
              }
            }
            if (!good.isEmpty()) {
              upsertEvents(c, orgId, good, n);
            }
            return n.report();
          }));
    }
    return total;
  }

  private void upsertEvents(Connection c, String orgId, Map<String, MaintenanceEvent> good, Counter n)
      throws SQLException {
    Set<String> locations = new TreeSet<>();
    good.values().forEach(e -> locations.add(e.locationId()));
    lockLocations(c, orgId, locations);
    Map<String, MaintenanceEvent> existing = loadEvents(c, orgId, good.keySet());
    List<MaintenanceEvent> changed = new ArrayList<>();
    for (MaintenanceEvent e : good.values()) {
      MaintenanceEvent old = existing.get(e.id());
      if (old == null) {
        n.inserted++;
        changed.add(e);
      } else if (sameEvent(old, e)) {
        n.unchanged++;
      } else {
        n.updated++;
        changed.add(e);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    try (PreparedStatement del = c.prepareStatement(
            "DELETE FROM " + q + ".maintenance_event_parts WHERE organization_id = ? AND event_id = ?");
        PreparedStatement up = c.prepareStatement(
            "INSERT INTO " + q + ".maintenance_events (organization_id, id, location_id, device_id,"
                + " occurred_at, event_type, planned, repair_hours, cost, description)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (organization_id, id) DO UPDATE SET location_id = EXCLUDED.location_id,"
                + " device_id = EXCLUDED.device_id, occurred_at = EXCLUDED.occurred_at,"
                + " event_type = EXCLUDED.event_type, planned = EXCLUDED.planned,"
                + " repair_hours = EXCLUDED.repair_hours, cost = EXCLUDED.cost,"
                + " description = EXCLUDED.description, ingested_at = now()");
        PreparedStatement part = c.prepareStatement(
            "INSERT INTO " + q + ".maintenance_event_parts (organization_id, event_id, part_number,"
                + " quantity) VALUES (?, ?, ?, ?)")) {
      for (MaintenanceEvent e : changed) {
        del.setString(1, orgId);
        del.setString(2, e.id());
        del.addBatch();
        up.setString(1, orgId);
        up.setString(2, e.id());
        up.setString(3, e.locationId());
        up.setString(4, e.deviceId());
        up.setTimestamp(5, Timestamp.from(e.occurredAt()));
        up.setString(6, e.type().wireName());
        up.setBoolean(7, e.planned());
        setDouble(up, 8, e.repairHours());
        up.setBigDecimal(9, e.cost() == null ? null : e.cost().setScale(2, java.math.RoundingMode.HALF_EVEN));
        up.setString(10, e.description());
        up.addBatch();
        for (PartUsage pu : e.parts()) {
          part.setString(1, orgId);
          part.setString(2, e.id());
          part.setString(3, pu.partNumber());
          part.setInt(4, pu.quantity());
          part.addBatch();
        }
      }
      del.executeBatch();
      up.executeBatch();
      part.executeBatch();
    }
  }

  private Map<String, MaintenanceEvent> loadEvents(Connection c, String orgId, Set<String> ids)
      throws SQLException {
    Map<String, MaintenanceEvent> out = new HashMap<>();
    Map<String, List<PartUsage>> parts = new HashMap<>();
    Array idArray = c.createArrayOf("varchar", ids.toArray());
    try (PreparedStatement p = c.prepareStatement(
        "SELECT event_id, part_number, quantity FROM " + q + ".maintenance_event_parts"
            + " WHERE organization_id = ? AND event_id = ANY (?) ORDER BY event_id, part_number")) {
      p.setString(1, orgId);
      p.setArray(2, idArray);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          parts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new PartUsage(rs.getString(2), rs.getInt(3)));
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT id, location_id, device_id, occurred_at, event_type, planned, repair_hours, cost,"
            + " description FROM " + q + ".maintenance_events WHERE organization_id = ? AND id = ANY (?)")) {
      p.setString(1, orgId);
      p.setArray(2, idArray);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          double repair = rs.getDouble(7);
          Double repairHours = rs.wasNull() ? null : repair;
          String id = rs.getString(1);
          out.put(id, new MaintenanceEvent(orgId, id, rs.getString(2), rs.getString(3),
              rs.getTimestamp(4).toInstant(), Objects.requireNonNull(EventType.fromWireName(rs.getString(5))),
              rs.getBoolean(6), repairHours, rs.getBigDecimal(8), rs.getString(9),
              parts.getOrDefault(id, List.of())));
        }
      }
    }
    return out;
  }

  private static boolean sameEvent(MaintenanceEvent stored, MaintenanceEvent sent) {
    return stored.locationId().equals(sent.locationId())
        && Objects.equals(stored.deviceId(), sent.deviceId())
        && micros(stored.occurredAt()) == micros(sent.occurredAt())
        && stored.type() == sent.type()
        && stored.planned() == sent.planned()
        && Objects.equals(stored.repairHours(), sent.repairHours())
        && sameCost(stored.cost(), sent.cost())
        && Objects.equals(stored.description(), sent.description())
        && new HashSet<>(stored.parts()).equals(new HashSet<>(sent.parts()));
  }

  private static boolean sameCost(@Nullable BigDecimal a, @Nullable BigDecimal b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.setScale(2, java.math.RoundingMode.HALF_EVEN).compareTo(b.setScale(2, java.math.RoundingMode.HALF_EVEN)) == 0;
  }

  // ------------------------------------------------------------------ shared

  private <T> String begin(CallerContext caller, String organizationId, Iterable<T> records, String what) {
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireNonNull(what, records);
    Checks.requireNonNull("caller", caller);
    caller.checkWrite(orgId);
    return orgId;
  }

  private <T> Iterable<List<T>> chunks(Iterator<T> source) {
    int size = engine.writeChunkSize();
    return () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public List<T> next() {
        List<T> chunk = new ArrayList<>(Math.min(size, 1024));
        while (chunk.size() < size && source.hasNext()) {
          chunk.add(source.next());
        }
        return chunk;
      }
    };
  }

  private void lockLocations(Connection c, String orgId, Set<String> locationIds) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT " + q + ".lock_fleet_locations(?, ?)")) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("varchar", locationIds.toArray()));
      p.execute();
    }
  }

  private void refreshRollups(Connection c, String orgId, List<String> locations, List<Long> micros)
      throws SQLException {
    if (locations.isEmpty()) {
      return;
    }
    // one entry per (location, hour) is enough: the function refreshes whole hours
    Map<String, Set<Long>> hours = new HashMap<>();
    for (int i = 0; i < locations.size(); i++) {
      hours.computeIfAbsent(locations.get(i), k -> new HashSet<>())
          .add(Math.floorDiv(micros.get(i), 3_600_000_000L) * 3_600_000_000L);
    }
    List<String> locs = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    hours.forEach((loc, set) -> set.forEach(h -> {
      locs.add(loc);
      starts.add(h);
    }));
    try (PreparedStatement p = c.prepareStatement(
        "SELECT " + q + ".refresh_fleet_rollups(?, ?::varchar[], ARRAY(SELECT TIMESTAMPTZ 'epoch'"
            + " + u.m * INTERVAL '1 microsecond' FROM unnest(?::bigint[]) WITH ORDINALITY AS u(m, i)"
            + " ORDER BY u.i))")) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("varchar", locs.toArray()));
      p.setArray(3, c.createArrayOf("int8", starts.toArray()));
      p.execute();
    }
  }

  private void quarantine(
      Connection c, String orgId, String recordType, @Nullable String locationId, Rejection r, String json)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO " + q + ".ingest_quarantine (organization_id, record_type, location_id,"
            + " reason_code, reason, original) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      p.setString(1, Checks.printable(orgId));
      p.setString(2, recordType);
      p.setString(3, locationId == null ? null : Checks.printable(locationId));
      p.setString(4, r.reason().name());
      p.setString(5, r.message());
      p.setString(6, json);
      p.executeUpdate();
    }
  }

  private boolean organizationExists(String orgId) {
    return warehouse.inTransaction(orgId, "reading organization", (c, dsl) -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + q + ".organizations WHERE id = ?")) {
        p.setString(1, orgId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  private Map<String, RecordRules.LocationFacts> locationFacts(String orgId) {
    return warehouse.inTransaction(orgId, "reading locations", (c, dsl) -> {
      Map<String, RecordRules.LocationFacts> out = new HashMap<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT l.id, l.snapshot_interval_seconds, (SELECT count(*) FROM " + q + ".devices d"
              + " WHERE d.organization_id = l.organization_id AND d.location_id = l.id"
              + " AND d.status <> 'decommissioned') FROM " + q + ".locations l WHERE l.organization_id = ?")) {
        p.setString(1, orgId);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), new RecordRules.LocationFacts(rs.getInt(2), rs.getInt(3)));
          }
        }
      }
      return out;
    });
  }

  private Set<String> deviceIds(String orgId) {
    return warehouse.inTransaction(orgId, "reading devices", (c, dsl) -> {
      Set<String> out = new HashSet<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id FROM " + q + ".devices WHERE organization_id = ?")) {
        p.setString(1, orgId);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  private Set<String> knownZones(String orgId, Set<String> zones) {
    List<String> candidates = zones.stream().filter(Objects::nonNull).toList();
    if (candidates.isEmpty()) {
      return Set.of();
    }
    return warehouse.inTransaction(orgId, "checking time zones", (c, dsl) -> {
      Set<String> out = new HashSet<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT name FROM pg_timezone_names WHERE name = ANY (?)")) {
        p.setArray(1, c.createArrayOf("text", candidates.toArray()));
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  private static Rejection unknownZone(String zone) {
    return new Rejection(QuarantineReason.INVALID_TIME_ZONE,
        "timezone '" + Checks.printable(zone) + "' is not known to this PostgreSQL server");
  }

  private static Rejection unknownOrganization(String orgId) {
    return new Rejection(QuarantineReason.UNKNOWN_ORGANIZATION,
        "organization '" + Checks.printable(orgId) + "' is not registered: write it first");
  }

  private static Rejection missingRecord() {
    return new Rejection(QuarantineReason.MISSING_FIELD, "the record itself is null");
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static void setDouble(PreparedStatement p, int index, @Nullable Double v) throws SQLException {
    if (v == null) {
      p.setNull(index, Types.DOUBLE);
    } else {
      p.setDouble(index, v);
    }
  }

  private record MetricKey(String locationId, long micros) {}

  /** Counts of one chunk; turned into a {@link WriteReport}. */
  private static final class Counter {
    long submitted;
    long inserted;
    long updated;
    long unchanged;
    final Map<QuarantineReason, Long> quarantined = new EnumMap<>(QuarantineReason.class);

    void quarantine(QuarantineReason reason) {
      quarantined.merge(reason, 1L, Long::sum);
    }

    /** An earlier record of the same call with the same key was replaced by a later one. */
    <T> void supersede(@Nullable T earlier, T later) {
      if (earlier != null) {
        if (earlier.equals(later)) {
          unchanged++;
        } else {
          updated++;
        }
      }
    }

    void countUpsert(PreparedStatement p) throws SQLException {
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          unchanged++;
        } else if (rs.getBoolean(1)) {
          inserted++;
        } else {
          updated++;
        }
      }
    }

    Counter copy() {
      Counter c = new Counter();
      c.submitted = submitted;
      c.inserted = inserted;
      c.updated = updated;
      c.unchanged = unchanged;
      c.quarantined.putAll(quarantined);
      return c;
    }

    WriteReport report() {
      return new WriteReport(submitted, inserted, updated, unchanged, quarantined);
    }
  }

  // ------------------------------------------------------------------ originals as JSON

  private static String organizationJson(Organization o) {
    return Json.object().put("id", o.id()).put("name", o.name()).put("timezone", o.timezone())
        .put("currency", o.currency()).toJson();
  }

  private static String locationJson(Location l) {
    return Json.object().put("organization_id", l.organizationId()).put("id", l.id())
        .put("name", l.name()).put("address", l.address()).put("timezone", l.timezone())
        .put("latitude", l.latitude()).put("longitude", l.longitude())
        .put("downtime_cost_per_hour", l.downtimeCostPerHour())
        .put("snapshot_interval_seconds", l.snapshotIntervalSeconds())
        .put("shift_pattern", l.shiftPattern()).put("tags", l.tags()).toJson();
  }

  private static String deviceJson(Device d) {
    return Json.object().put("organization_id", d.organizationId()).put("id", d.id())
        .put("location_id", d.locationId()).put("device_type", d.deviceType())
        .put("status", d.status() == null ? null : d.status().wireName()).put("name", d.name())
        .put("commissioned_at", d.commissionedAt()).toJson();
  }

  static String metricsJson(FleetMetrics m) {
    Json.ObjectBuilder b = Json.object().put("timestamp", m.timestamp())
        .put("organization_id", m.organizationId()).put("location_id", m.locationId())
        .put("interval_seconds", m.intervalSeconds()).put("device_count", m.deviceCount())
        .put("avg_uptime", m.avgUptime()).put("avg_efficiency", m.avgEfficiency())
        .put("avg_energy_consumption", m.avgEnergyConsumption())
        .put("total_failures", m.totalFailures()).put("mtbf", m.mtbf()).put("mttr", m.mttr())
        .put("total_production_hours", m.totalProductionHours())
        .put("total_downtime_hours", m.totalDowntimeHours()).put("oee", m.oee());
    OeeComponents c = m.components();
    if (c != null) {
      b.put("planned_production_hours", c.plannedProductionHours()).put("run_hours", c.runHours())
          .put("ideal_cycle_time_seconds", c.idealCycleTimeSeconds())
          .put("total_count", c.totalCount()).put("good_count", c.goodCount());
    }
    return b.toJson();
  }

  private static String eventJson(MaintenanceEvent e) {
    List<Map<String, Object>> parts = new ArrayList<>();
    for (PartUsage p : e.parts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("part_number", p == null ? null : p.partNumber());
      m.put("quantity", p == null ? null : p.quantity());
      parts.add(m);
    }
    return Json.object().put("organization_id", e.organizationId()).put("id", e.id())
        .put("location_id", e.locationId()).put("device_id", e.deviceId())
        .put("occurred_at", e.occurredAt()).put("event_type", e.type() == null ? null : e.type().wireName())
        .put("planned", e.planned()).put("repair_hours", e.repairHours()).put("cost", e.cost())
        .put("description", e.description()).put("parts", parts).toJson();
  }
}
