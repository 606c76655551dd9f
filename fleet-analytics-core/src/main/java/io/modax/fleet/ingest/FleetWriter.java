package io.modax.fleet.ingest;

import io.modax.fleet.CallerContext;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Json;
import io.modax.fleet.internal.Services;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes everything a location sends and stores it: validated, idempotent, and with the rollups kept
 * equal to a recomputation from the raw rows.
 *
 * <p>Every call is for one organization and one caller, who must be allowed to write it ({@link
 * CallerContext#checkWrite}). Records are processed in chunks of {@code writeChunkSize} (see
 * {@link io.modax.fleet.FleetAnalytics.Builder#writeChunkSize}); each chunk is one transaction, so
 * it is stored completely or not at all. A chunk is retried, up to {@code writeAttempts} times
 * with exponential backoff from 50 ms, only when the failure is one a retry can cure: the
 * connection was lost (SQLState class 08, 57P01) or the transaction hit a serialization failure
 * (40001), a deadlock (40P01) or a lock wait longer than {@code lockTimeout} (55P03). Retrying is safe: the writes are idempotent, and every chunk
 * records its batch id in the same transaction, so when a commit went through but its
 * acknowledgement was lost the retry changes nothing and returns the committed chunk's counts.
 * Any other failure, or the last failed attempt, throws a {@link WarehouseException} that says
 * how many records earlier chunks of the call handled and that the failed chunk and everything
 * after it were not stored.
 *
 * <p>Streams ({@link Iterator}) of any length are written in bounded memory: one chunk at a time.
 * Large chunks of snapshots (1,000 good rows or more) travel by binary COPY into a
 * transaction-local staging table and are merged from there; small ones by a single array
 * ({@code unnest}) statement. The path is an internal detail: stored rows, rollups and reports
 * are the same.
 *
 * <p>Records that break a rule ({@link QuarantineReason}) are stored in the quarantine table with
 * the reason and their original values, in the same transaction as their good neighbours. The
 * returned {@link WriteReport} accounts for every record given: {@code submitted = inserted +
 * updated + unchanged + quarantined}.
 *
 * <p>Idempotency: the key of a snapshot is (organization, location, timestamp) at microsecond
 * precision, of an event its id, of a registry record its id. Resending identical records counts
 * them as unchanged and touches nothing; a record with the same key and other values replaces the
 * stored one, and the rollups of both its old and new values follow.
 *
 * <p>Time: "now" for the future and retention checks, and the {@code ingested_at} and {@code
 * received_at} stamps, come from the library's clock ({@link
 * io.modax.fleet.FleetAnalytics.Builder#clock}); instants are stored as {@code timestamptz}
 * (UTC), never in a session or JVM time zone.
 *
 * <p>Read your writes: when a call returns, every analysis sees its rows (and rollups).
 *
 * <p>Thread safety: immutable and safe for concurrent use. Writes to the same location serialize
 * on a row lock that only the runtime role can take (V015); a write waits for it at most {@code
 * lockTimeout} ({@link io.modax.fleet.FleetAnalytics.Builder#lockTimeout}), then the attempt fails
 * with SQLState 55P03 and is retried like the other transient failures. Writes to different
 * locations run in parallel.
 */
public final class FleetWriter {

  private static final Logger LOG = LoggerFactory.getLogger(FleetWriter.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Pattern COUNT_ENTRY = Pattern.compile("\"([A-Z_]+)\"\\s*:\\s*(\\d+)");

  /**
   * Internal observation points of a chunk's transaction, for fault-injection tests. Both run on
   * the transaction's connection before it commits.
   */
  interface ChunkObserver {
    /** No observation. */
    ChunkObserver NONE = new ChunkObserver() {};

    /** Snapshots are staged (copied, or bound as arrays) and about to be merged. */
    default void staged(Connection c) throws SQLException {}

    /** Everything of the chunk is written; the transaction is about to commit. */
    default void beforeCommit(Connection c) throws SQLException {}
  }

  private final Engine engine;
  private final Warehouse warehouse;
  private final String q;
  private final MetricsUpsert metricsUpsert;
  private final int copyThreshold;
  private final ChunkObserver observer;

  static {
    Services.register(FleetWriter.class, FleetWriter::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#writer()} (through {@link Services}). */
  FleetWriter(Engine engine) {
    this(engine, MetricsUpsert.DEFAULT_COPY_THRESHOLD, ChunkObserver.NONE);
  }

  private FleetWriter(Engine engine, int copyThreshold, ChunkObserver observer) {
    this.engine = engine;
    this.warehouse = engine.warehouse();
    this.q = MigrationScripts.quoteSchema(warehouse.schema());
    this.metricsUpsert = new MetricsUpsert(q);
    this.copyThreshold = copyThreshold;
    this.observer = observer;
  }

  /**
   * A writer over the same engine with another COPY threshold (good snapshots per chunk from
   * which binary COPY is used; 0 always, {@link Integer#MAX_VALUE} never) and observer. For tests.
   */
  FleetWriter withInternals(int copyThreshold, ChunkObserver observer) {
    return new FleetWriter(engine, copyThreshold, observer);
  }

  /** Tells the host's {@link WriteListener} what one public write call stored, and returns it. */
  private WriteReport written(String kind, WriteReport report) {
    try {
      engine.writeListener().written(kind, report);
    } catch (RuntimeException e) {
      LOG.warn("the write listener failed on a report of {} (the write itself is committed): {}", kind, e.toString());
    }
    return report;
  }

  // ------------------------------------------------------------------ registry

  /**
   * Registers or updates an organization. A bad record (e.g. an unknown time zone) is quarantined
   * and reported, not thrown.
   *
   * @throws io.modax.fleet.InvalidRequestException when the organization or its id is missing
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write it
   * @throws WarehouseException when the database fails after the retries
   */
  public WriteReport writeOrganization(CallerContext caller, Organization organization) {
    Checks.requireNonNull("caller", caller);
    Checks.requireNonNull("organization", organization);
    String orgId = Checks.requireId("organization.id", organization.id());
    caller.checkWrite(orgId);
    Rejection r = RecordRules.check(organization);
    if (r == null && !knownZones(orgId, Set.of(organization.timezone())).contains(organization.timezone())) {
      r = unknownZone(organization.timezone());
    }
    Rejection rejection = r;
    return written("organizations", runChunk(orgId, "writing organization", "organization", tx -> {
      tx.n.submitted = 1;
      if (rejection != null) {
        tx.quarantine("organization", null, rejection, organizationJson(organization));
        return;
      }
      try (PreparedStatement p = tx.c.prepareStatement(
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
        tx.n.countUpsert(p);
      }
    }));
  }

  /**
   * Registers or updates locations of one organization. A changed time zone rebuilds the
   * location's daily rollups (its days are its local ones). Bad records are quarantined.
   *
   * @throws io.modax.fleet.InvalidRequestException when an argument is null or the id malformed,
   *     or the organization would pass {@code maxLocationsPerOrganization} (that chunk is not stored)
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws WarehouseException when a chunk cannot be stored after its retries
   */
  public WriteReport writeLocations(
      CallerContext caller, String organizationId, Iterable<Location> locations) {
    String orgId = begin(caller, organizationId, locations, "locations");
    return written("locations", writeChunks(orgId, "writing locations", locations.iterator(), chunk -> {
      Set<String> zones = new HashSet<>();
      chunk.forEach(l -> {
        if (l != null) {
          zones.add(l.timezone());
        }
      });
      Set<String> known = knownZones(orgId, zones);
      boolean orgExists = organizationExists(orgId);
      return runChunk(orgId, "writing locations", "location", tx -> {
        Counter n = tx.n;
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
            tx.quarantine("location", l == null ? null : l.id(), r, l == null ? "null" : locationJson(l));
          } else {
            n.supersede(good.put(l.id(), l), l);
          }
        }
        requireLocationRoom(tx.c, orgId, good.keySet());
        try (PreparedStatement p = tx.c.prepareStatement(
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
            p.setArray(11, tx.c.createArrayOf("text", l.tags().toArray()));
            n.countUpsert(p);
          }
        }
      });
    }));
  }

  /**
   * Registers or updates devices of one organization. Bad records are quarantined.
   *
   * @throws io.modax.fleet.InvalidRequestException when an argument is null or the id malformed,
   *     or the call sends more than {@code maxDevicesPerCall} devices
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws WarehouseException when a chunk cannot be stored after its retries
   */
  public WriteReport writeDevices(CallerContext caller, String organizationId, Iterable<Device> devices) {
    String orgId = begin(caller, organizationId, devices, "devices");
    Iterator<Device> source = limited(devices, "maxDevicesPerCall", engine.limits().maxDevicesPerCall(),
        "devices in one writeDevices call");
    return written("devices", writeChunks(orgId, "writing devices", source, chunk -> {
      Set<String> locations = locationFacts(orgId).keySet();
      return runChunk(orgId, "writing devices", "device", tx -> {
        Counter n = tx.n;
        Map<String, Device> good = new LinkedHashMap<>();
        for (Device d : chunk) {
          n.submitted++;
          Rejection r = d == null ? missingRecord() : RecordRules.check(d, orgId, locations);
          if (r != null) {
            tx.quarantine("device", d == null ? null : d.locationId(), r, d == null ? "null" : deviceJson(d));
          } else {
            n.supersede(good.put(d.id(), d), d);
          }
        }
        try (PreparedStatement p = tx.c.prepareStatement(
            "INSERT INTO " + q + ".devices AS t (organization_id, id, location_id, name,"
                + " device_type, status, commissioned_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (organization_id, id) DO UPDATE SET"
                + " location_id = EXCLUDED.location_id, name = EXCLUDED.name,"
                + " device_type = EXCLUDED.device_type, status = EXCLUDED.status,"
                + " commissioned_at = EXCLUDED.commissioned_at,"
                // the default (now()) of the row proposed; Citus allows no now() in DO UPDATE SET
                + " updated_at = EXCLUDED.updated_at"
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
      });
    }));
  }

  /**
   * Quarantines records that could not even be read (e.g. a CSV line with too few fields or a
   * number that does not parse) with reason {@link QuarantineReason#MALFORMED_RECORD} and their
   * original text, so that nothing a location sent is dropped. Each counts as submitted and
   * quarantined in the report.
   *
   * @throws io.modax.fleet.InvalidRequestException when an argument is null or the id malformed
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws WarehouseException when a chunk cannot be stored after its retries
   */
  public WriteReport quarantineMalformed(
      CallerContext caller, String organizationId, Iterable<MalformedRecord> records) {
    String orgId = begin(caller, organizationId, records, "records");
    return written("malformed", writeChunks(orgId, "quarantining malformed records", records.iterator(), chunk ->
        runChunk(orgId, "quarantining malformed records", "malformed", tx -> {
          for (MalformedRecord m : chunk) {
            tx.n.submitted++;
            if (m == null) {
              tx.quarantine("unknown", null, missingRecord(), "null");
              continue;
            }
            // the record is what could not be read: keep whatever it carries, never fail on it
            String type = m.recordType() == null || m.recordType().isBlank() || m.recordType().length() > 32
                || Checks.idProblem(m.recordType()) != null ? "unknown" : m.recordType();
            tx.quarantine(type, m.locationId(),
                new Rejection(QuarantineReason.MALFORMED_RECORD,
                    m.problem() == null ? "the record could not be read" : m.problem()),
                Json.object().put("record_type", m.recordType()).put("source", m.source())
                    .put("text", m.originalText()).toJson());
          }
        })));
  }

  // ------------------------------------------------------------------ metrics

  /**
   * Writes fleet metrics snapshots of one organization; see the class comment for the guarantees.
   * Bad snapshots are quarantined with their reason, never thrown.
   *
   * @throws io.modax.fleet.InvalidRequestException when an argument is null or the id malformed
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws WarehouseException when a chunk cannot be stored after its retries; the message says
   *     how many records of earlier chunks were handled and that this chunk and the rest were not
   *     stored
   */
  public WriteReport writeMetrics(
      CallerContext caller, String organizationId, Iterable<FleetMetrics> snapshots) {
    Checks.requireNonNull("snapshots", snapshots);
    return writeMetrics(caller, organizationId, snapshots.iterator());
  }

  /**
   * Like {@link #writeMetrics(CallerContext, String, Iterable)}, for a stream of any length: it
   * holds one chunk in memory at a time.
   */
  public WriteReport writeMetrics(
      CallerContext caller, String organizationId, Iterator<FleetMetrics> snapshots) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireNonNull("snapshots", snapshots);
    caller.checkWrite(orgId);
    boolean orgExists = organizationExists(orgId);
    Map<String, RecordRules.LocationFacts> facts = locationFacts(orgId);
    return written("metrics", writeChunks(orgId, "writing fleet metrics", snapshots, chunk -> {
      RecordRules.MetricsContext ctx = new RecordRules.MetricsContext(
          orgId, engine.clock().instant(), engine.clockSkewTolerance(), engine.retentionHorizon(), facts);
      return writeMetricsChunk(orgId, chunk, ctx, orgExists);
    }));
  }

  private WriteReport writeMetricsChunk(
      String orgId, List<FleetMetrics> chunk, RecordRules.MetricsContext ctx, boolean orgExists) {
    // Validation is pure and done once, outside the transaction, however often it is retried.
    List<FleetMetrics> bad = new ArrayList<>();
    List<Rejection> why = new ArrayList<>();
    Counter pre = new Counter();
    Map<MetricKey, MetricsUpsert.Row> good = new LinkedHashMap<>();
    Set<String> locations = new TreeSet<>();
    for (FleetMetrics m : chunk) {
      pre.submitted++;
      Rejection r = m == null ? missingRecord()
          : orgExists ? RecordRules.check(m, ctx) : unknownOrganization(orgId);
      if (r != null) {
        bad.add(m);
        why.add(r);
        continue;
      }
      long micros = micros(m.timestamp());
      int interval = m.intervalSeconds() != null
          ? m.intervalSeconds()
          : ctx.locations().get(m.locationId()).snapshotIntervalSeconds();
      OeeComponents k = m.components();
      Double oee = m.oee() != null ? m.oee() : k != null && k.plannedProductionHours() > 0 ? k.oee() : null;
      MetricsUpsert.Row earlier =
          good.put(new MetricKey(m.locationId(), micros), new MetricsUpsert.Row(micros, m, interval, oee));
      pre.supersede(earlier == null ? null : earlier.metrics(), m);
      locations.add(m.locationId());
    }
    boolean copy = good.size() >= copyThreshold;
    return runChunk(orgId, "writing fleet metrics", "fleet_metrics", tx -> {
      tx.n.add(pre);
      for (int i = 0; i < bad.size(); i++) {
        FleetMetrics m = bad.get(i);
        tx.quarantine("fleet_metrics", m == null ? null : m.locationId(), why.get(i),
            m == null ? "null" : metricsJson(m));
      }
      if (!good.isEmpty()) {
        lockLocations(tx.c, orgId, locations);
        maintainRollups(tx.c);
        MetricsUpsert.Outcome o = metricsUpsert.store(tx.c, orgId, good.values(), tx.now, copy, observer);
        tx.n.inserted += o.inserted();
        tx.n.updated += o.updated();
        tx.n.unchanged += o.unchanged();
      }
    });
  }

  /**
   * Deletes the snapshots of one location in {@code [from, to)} and recomputes the rollups they
   * touched, in one transaction (retried like a write chunk).
   *
   * @param from first instant deleted (inclusive)
   * @param to end of the range (exclusive)
   * @return the number of snapshots deleted (0 when a retry finds them already deleted by an
   *     attempt whose acknowledgement was lost)
   * @throws io.modax.fleet.InvalidRequestException when an id is malformed or the range empty
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws WarehouseException when the database fails after the retries
   */
  public long deleteMetrics(
      CallerContext caller, String organizationId, String locationId, Instant from, Instant to) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireId("locationId", locationId);
    Checks.requireWindow(from, to, null);
    caller.checkWrite(orgId);
    return warehouse.inRetryingTransaction(
        orgId, "deleting fleet metrics", engine.writeAttempts(), FIRST_BACKOFF, (c, dsl) -> {
          boundLockWaits(c);
          lockLocations(c, orgId, Set.of(locationId));
          maintainRollups(c);
          // The hours of the rows actually deleted are refreshed, not every hour of the range: a
          // range of centuries must cost what its rows cost, not millions of empty buckets.
          long deleted;
          List<Long> hours = new ArrayList<>();
          try (PreparedStatement p = c.prepareStatement(
              "WITH d AS (DELETE FROM " + q + ".fleet_metrics WHERE organization_id = ? AND location_id = ?"
                  + " AND \"timestamp\" >= ? AND \"timestamp\" < ? RETURNING \"timestamp\")"
                  + " SELECT (SELECT count(*) FROM d), ARRAY(SELECT DISTINCT (extract(epoch FROM"
                  + " date_bin('1 hour', d.\"timestamp\", TIMESTAMPTZ '2000-01-01 00:00:00+00')) * 1000000)::bigint"
                  + " FROM d)")) {
            p.setString(1, orgId);
            p.setString(2, locationId);
            p.setObject(3, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            p.setObject(4, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              deleted = rs.getLong(1);
              for (Object h : (Object[]) rs.getArray(2).getArray()) {
                hours.add(((Number) h).longValue());
              }
            }
          }
          metricsUpsert.refresh(c, orgId, Collections.nCopies(hours.size(), locationId), hours);
          return deleted;
        });
  }

  // ------------------------------------------------------------------ events

  /**
   * Writes maintenance and failure events of one organization, with their spare parts. An event
   * resent with the same id and values is unchanged; with other values (parts included) it
   * replaces the stored one. Bad events are quarantined.
   *
   * @throws io.modax.fleet.InvalidRequestException when an argument is null or the id malformed,
   *     or the call sends more than {@code maxEventsPerCall} events
   * @throws io.modax.fleet.AccessDeniedException when the caller may not write the organization
   * @throws WarehouseException when a chunk cannot be stored after its retries
   */
  public WriteReport writeEvents(
      CallerContext caller, String organizationId, Iterable<MaintenanceEvent> events) {
    String orgId = begin(caller, organizationId, events, "events");
    Iterator<MaintenanceEvent> source = limited(events, "maxEventsPerCall", engine.limits().maxEventsPerCall(),
        "events in one writeEvents call");
    Set<String> locations = locationFacts(orgId).keySet();
    Set<String> devices = deviceIds(orgId);
    return written("events", writeChunks(orgId, "writing maintenance events", source, chunk -> {
      Instant now = engine.clock().instant();
      List<MaintenanceEvent> bad = new ArrayList<>();
      List<Rejection> why = new ArrayList<>();
      Counter pre = new Counter();
      Map<String, MaintenanceEvent> good = new LinkedHashMap<>();
      for (MaintenanceEvent e : chunk) {
        pre.submitted++;
        Rejection r = e == null ? missingRecord()
            : RecordRules.check(e, orgId, locations, devices, now,
                engine.clockSkewTolerance(), engine.retentionHorizon(), engine.limits().maxPartsPerEvent());
        if (r != null) {
          bad.add(e);
          why.add(r);
        } else {
          pre.supersede(good.put(e.id(), e), e);
        }
      }
      return runChunk(orgId, "writing maintenance events", "maintenance_event", tx -> {
        tx.n.add(pre);
        for (int i = 0; i < bad.size(); i++) {
          MaintenanceEvent e = bad.get(i);
          tx.quarantine("maintenance_event", e == null ? null : e.locationId(), why.get(i),
              e == null ? "null" : eventJson(e));
        }
        if (!good.isEmpty()) {
          upsertEvents(tx.c, orgId, good, tx.n);
        }
      });
    }));
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
                + " description = EXCLUDED.description,"
                // the default (now()) of the row proposed; Citus allows no now() in DO UPDATE SET
                + " ingested_at = EXCLUDED.ingested_at");
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
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireNonNull(what, records);
    caller.checkWrite(orgId);
    return orgId;
  }

  /**
   * The records' iterator, refusing more than {@code max} of them: a collection is refused before
   * anything is written; a longer stream when the record past the limit is read, after the chunks
   * before it were committed (the exception says so).
   */
  private static <T> Iterator<T> limited(Iterable<T> records, String limit, int max, String what) {
    if (records instanceof java.util.Collection<?> all) {
      io.modax.fleet.internal.Limits.require(limit, max, all.size(), what);
      return records.iterator();
    }
    Iterator<T> it = records.iterator();
    return new Iterator<>() {
      private long read;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        if (read >= max) {
          io.modax.fleet.internal.Limits.require(limit, max, read + 1,
              what + " (a stream: the chunks before the one being read were committed, that one"
                  + " and the rest were not stored)");
        }
        read++;
        return it.next();
      }
    };
  }

  /**
   * Refuses a chunk of locations that would take the organization past {@code
   * maxLocationsPerOrganization}: counts the registered ones and the new ids, in the chunk's
   * transaction.
   */
  private void requireLocationRoom(Connection c, String orgId, Set<String> ids) throws SQLException {
    int max = engine.limits().maxLocationsPerOrganization();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT count(*), count(*) FILTER (WHERE id = ANY (?)) FROM " + q + ".locations"
            + " WHERE organization_id = ?")) {
      p.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      p.setString(2, orgId);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        long registered = rs.getLong(1);
        long after = registered + ids.size() - rs.getLong(2);
        if (after > max) {
          io.modax.fleet.internal.Limits.require("maxLocationsPerOrganization", max, after,
              "locations of organization '" + Checks.printable(orgId) + "' (" + registered
                  + " registered + " + (after - registered) + " new in this chunk; the chunk was not"
                  + " stored, earlier chunks of the call were)");
        }
      }
    }
  }

  /**
   * Feeds the source to {@code perChunk} one chunk at a time and adds up the reports. When a chunk
   * fails, says what earlier chunks did and that the failed chunk and the rest were not stored.
   */
  private <T> WriteReport writeChunks(
      String orgId, String what, Iterator<T> source, Function<List<T>, WriteReport> perChunk) {
    int size = engine.writeChunkSize();
    WriteReport total = WriteReport.EMPTY;
    while (source.hasNext()) {
      List<T> chunk = new ArrayList<>(Math.min(size, 4096));
      while (chunk.size() < size && source.hasNext()) {
        chunk.add(source.next());
      }
      try {
        total = total.plus(perChunk.apply(chunk));
      } catch (WarehouseException e) {
        throw new WarehouseException(
            what + " for organization '" + Checks.printable(orgId) + "' stopped after "
                + total.submitted() + " records were handled and committed (" + total + "); the "
                + chunk.size() + " records of the failed chunk were not stored (no partial chunk"
                + " is left), nor any record after them: " + e.getMessage(),
            e.sqlState(), e);
      }
    }
    return total;
  }

  /** The work of one chunk inside its transaction. */
  @FunctionalInterface
  private interface ChunkWork {
    void run(ChunkTx tx) throws SQLException;
  }

  /**
   * Runs one chunk in one retrying transaction, exactly once: the chunk's batch id and counts are
   * recorded in the same transaction, and an attempt that finds them (its predecessor committed
   * but the acknowledgement was lost) changes nothing and returns the recorded counts.
   */
  private WriteReport runChunk(String orgId, String what, String recordType, ChunkWork work) {
    UUID batch = UUID.randomUUID();
    return warehouse.inRetryingTransaction(orgId, what, engine.writeAttempts(), FIRST_BACKOFF, (c, dsl) -> {
      boundLockWaits(c);
      WriteReport committed = committedBatch(c, orgId, batch);
      if (committed != null) {
        LOG.info("{}: batch {} was already committed by an earlier attempt; nothing written again",
            what, batch);
        return committed;
      }
      ChunkTx tx = new ChunkTx(c, orgId, batch, engine.clock().instant());
      try {
        work.run(tx);
        tx.flush();
      } finally {
        tx.close();
      }
      WriteReport report = tx.n.report();
      recordBatch(c, orgId, batch, recordType, report);
      observer.beforeCommit(c);
      return report;
    });
  }

  private @Nullable WriteReport committedBatch(Connection c, String orgId, UUID batch) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT submitted, inserted, updated, unchanged, quarantined::text FROM " + q
            + ".ingest_batches WHERE organization_id = ? AND batch_id = ?")) {
      p.setString(1, orgId);
      p.setObject(2, batch);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<QuarantineReason, Long> quarantined = new EnumMap<>(QuarantineReason.class);
        Matcher m = COUNT_ENTRY.matcher(rs.getString(5));
        while (m.find()) {
          quarantined.put(QuarantineReason.valueOf(m.group(1)), Long.parseLong(m.group(2)));
        }
        return new WriteReport(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), quarantined);
      }
    }
  }

  private void recordBatch(Connection c, String orgId, UUID batch, String recordType, WriteReport r)
      throws SQLException {
    Map<String, Object> quarantined = new LinkedHashMap<>();
    r.quarantinedByReason().forEach((k, v) -> quarantined.put(k.name(), v));
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO " + q + ".ingest_batches (organization_id, batch_id, record_type, submitted,"
            + " inserted, updated, unchanged, quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      p.setString(1, orgId);
      p.setObject(2, batch);
      p.setString(3, recordType);
      p.setLong(4, r.submitted());
      p.setLong(5, r.inserted());
      p.setLong(6, r.updated());
      p.setLong(7, r.unchanged());
      p.setString(8, Json.toJson(quarantined));
      p.executeUpdate();
    }
    // a retry comes within seconds; a day of history is plenty
    try (PreparedStatement p = c.prepareStatement(
        "DELETE FROM " + q + ".ingest_batches WHERE organization_id = ?"
            + " AND committed_at < now() - interval '1 day'")) {
      p.setString(1, orgId);
      p.executeUpdate();
    }
  }

  /** One chunk's transaction: its connection, batch, clock reading, counts and quarantine. */
  private final class ChunkTx {
    final Connection c;
    final String orgId;
    final UUID batch;
    final Instant now;
    final Counter n = new Counter();
    /** Quarantine rows not yet sent: recordType, locationId, reason code, reason, original. */
    private final List<String[]> pending = new ArrayList<>();

    ChunkTx(Connection c, String orgId, UUID batch, Instant now) {
      this.c = c;
      this.orgId = orgId;
      this.batch = batch;
      this.now = now;
    }

    /**
     * Quarantines one record and counts it. A record already quarantined for the same reason (same
     * organization, record type, reason code and original) is counted but not stored again, so a
     * re-sent batch or a re-imported file does not grow the quarantine (see V016).
     */
    void quarantine(String recordType, @Nullable String locationId, Rejection r, String json)
        throws SQLException {
      pending.add(new String[] {recordType, locationId == null ? null : Checks.printable(locationId),
          r.reason().name(),
          // the reason may quote what was sent (a malformed record's problem): text PostgreSQL can hold
          r.message().replace("\u0000", "\\u0000"), json});
      n.quarantine(r.reason());
      if (pending.size() >= 1000) {
        flush();
      }
    }

    /**
     * Stores the pending quarantine rows that are not stored yet: three statements for up to 1,000
     * rows (their hashes, the ones already there, the new ones), so that finding the copies is one
     * look-up per flush, never one per row (a per-row look-up planned while the table was small
     * scans it for every row).
     */
    void flush() throws SQLException {
      if (pending.isEmpty()) {
        return;
      }
      String org = Checks.printable(orgId);
      List<byte[]> hashes = new ArrayList<>(pending.size());
      try (PreparedStatement p = c.prepareStatement("SELECT " + ORIGINAL_SHA256.replace("original", "x::jsonb")
          + " FROM unnest(?::text[]) WITH ORDINALITY AS u(x, n) ORDER BY n")) {
        p.setArray(1, c.createArrayOf("text", pending.stream().map(q -> q[4]).toArray()));
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            hashes.add(rs.getBytes(1));
          }
        }
      }
      Set<String> stored = new HashSet<>();
      try (PreparedStatement p = c.prepareStatement("SELECT record_type, reason_code, original_sha256 FROM " + q
          + ".ingest_quarantine WHERE organization_id = ? AND original_sha256 = ANY(?)")) {
        p.setString(1, org);
        p.setArray(2, c.createArrayOf("bytea", hashes.toArray(new byte[0][])));
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            stored.add(quarantineKey(rs.getString(1), rs.getString(2), rs.getBytes(3)));
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO " + q + ".ingest_quarantine (organization_id, record_type, location_id,"
              + " reason_code, reason, original, received_at, batch_id, original_sha256)"
              + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
        int rows = 0;
        for (int i = 0; i < pending.size(); i++) {
          String[] row = pending.get(i);
          if (!stored.add(quarantineKey(row[0], row[2], hashes.get(i)))) {
            continue; // already quarantined, or earlier in this chunk
          }
          p.setString(1, org);
          p.setString(2, row[0]);
          p.setString(3, row[1]);
          p.setString(4, row[2]);
          p.setString(5, row[3]);
          p.setString(6, row[4]);
          p.setTimestamp(7, Timestamp.from(now));
          p.setObject(8, batch);
          p.setBytes(9, hashes.get(i));
          p.addBatch();
          rows++;
        }
        if (rows > 0) {
          p.executeBatch();
        }
      }
      pending.clear();
    }

    void close() {
      pending.clear();
    }
  }

  /**
   * V016's natural key of a quarantined original: a SHA-256 of its jsonb text (normalized), as SQL
   * over the column {@code original}. Doubling the backslashes makes decode(..., 'escape') return
   * the text's bytes unchanged: an immutable conversion, which convert_to is not.
   */
  static final String ORIGINAL_SHA256 = "sha256(decode(replace(original::text, '\\', '\\\\'), 'escape'))";

  private static String quarantineKey(String recordType, String reasonCode, byte[] sha256) {
    return recordType + '\u0000' + reasonCode + '\u0000' + java.util.HexFormat.of().formatHex(sha256);
  }

  private void maintainRollups(Connection c) throws SQLException {
    // this transaction refreshes exactly the buckets it touches: the dirty-marking trigger stays out
    try (PreparedStatement p = c.prepareStatement(
        "SET LOCAL " + Warehouse.ROLLUPS_MAINTAINED_SETTING + " = 'on'")) {
      p.execute();
    }
  }

  /**
   * Bounds every lock wait of the write transaction by {@code lockTimeout} (SQLState 55P03 when
   * one runs out, retried by the write retry policy).
   */
  private void boundLockWaits(Connection c) throws SQLException {
    // SET LOCAL, not set_config: on Citus only SET commands reach the workers, where the row
    // locks are waited for; the value is the library's own number of milliseconds
    try (PreparedStatement p = c.prepareStatement(
        "SET LOCAL lock_timeout = " + Math.max(1, engine.lockTimeout().toMillis()))) {
      p.execute();
    }
  }

  /**
   * Takes the locations' write locks (row locks on a table only the runtime role may lock, V015),
   * in a transaction whose lock waits are bounded ({@link #boundLockWaits}); a wait that runs out
   * fails with SQLState 55P03 and a message naming the locations.
   */
  private void lockLocations(Connection c, String orgId, Set<String> locationIds) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT " + q + ".lock_fleet_locations(?, ?)")) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("varchar", locationIds.toArray()));
      p.execute();
    } catch (SQLException e) {
      if (!"55P03".equals(e.getSQLState())) {
        throw e;
      }
      throw new SQLException("waited " + engine.lockTimeout() + " (lockTimeout) for the write lock of "
          + (locationIds.size() == 1 ? "location '" + Checks.printable(locationIds.iterator().next()) + "'"
              : locationIds.size() + " locations") + " of organization '" + Checks.printable(orgId)
          + "', which another write of the same location holds; nothing of this attempt was stored,"
          + " and it is safe to try again", "55P03", e);
    }
  }

  private boolean organizationExists(String orgId) {
    return warehouse.inRetryingTransaction(orgId, "reading organization", engine.writeAttempts(), FIRST_BACKOFF, (c, dsl) -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + q + ".organizations WHERE id = ?")) {
        p.setString(1, orgId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  private Map<String, RecordRules.LocationFacts> locationFacts(String orgId) {
    return warehouse.inRetryingTransaction(orgId, "reading locations", engine.writeAttempts(), FIRST_BACKOFF, (c, dsl) -> {
      Map<String, RecordRules.LocationFacts> out = new HashMap<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT l.id, l.snapshot_interval_seconds, (SELECT count(*) FROM " + q + ".devices d"
              // the organization bound again (not l.organization_id): Citus then sees that the
              // subquery reads the same organization's shard, and routes the whole to one worker
              + " WHERE d.organization_id = ? AND d.location_id = l.id"
              + " AND d.status <> 'decommissioned') FROM " + q + ".locations l WHERE l.organization_id = ?")) {
        p.setString(1, orgId);
        p.setString(2, orgId);
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
    return warehouse.inRetryingTransaction(orgId, "reading devices", engine.writeAttempts(), FIRST_BACKOFF, (c, dsl) -> {
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
    // U+0000 cannot travel in a text parameter; such a string is no zone name anyway
    List<String> candidates = zones.stream().filter(z -> z != null && z.indexOf('\u0000') < 0).toList();
    if (candidates.isEmpty()) {
      return Set.of();
    }
    return warehouse.inRetryingTransaction(orgId, "checking time zones", engine.writeAttempts(), FIRST_BACKOFF, (c, dsl) -> {
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

    /** Adds another counter's counts to this one. */
    void add(Counter other) {
      submitted += other.submitted;
      inserted += other.inserted;
      updated += other.updated;
      unchanged += other.unchanged;
      other.quarantined.forEach((k, v) -> quarantined.merge(k, v, Long::sum));
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
