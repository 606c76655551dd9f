package io.modax.fleet.ingest;

import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import io.modax.fleet.internal.Warehouse;
import io.modax.fleet.internal.schema.MigrationScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The data-quality report per location: how complete a location's snapshots are over a window,
 * where the gaps are, when it was last seen, whether its clock seems to run ahead, and what was
 * quarantined. The design's "implement data quality checks" and "synchronize clocks" made
 * visible; obtained from {@link io.modax.fleet.FleetAnalytics#dataQuality()}.
 *
 * <p>Windows are half-open {@code [from, to)} in UTC instants, at most the configured maximum
 * window long. The report reads raw snapshots and the quarantine, never the rollups.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class DataQuality {

  /** At most this many gaps are listed per location (all are counted). */
  public static final int MAX_GAPS_LISTED = 1_000;

  private final Engine engine;
  private final Warehouse warehouse;
  private final String q;

  static {
    Services.register(DataQuality.class, DataQuality::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#dataQuality()} (through {@link Services}). */
  DataQuality(Engine engine) {
    this.engine = engine;
    this.warehouse = engine.warehouse();
    this.q = MigrationScripts.quoteSchema(warehouse.schema());
  }

  /**
   * The report of one location, counting a gap from one snapshot interval of the location on (a
   * single missing snapshot is a gap).
   *
   * @see #report(CallerContext, String, String, Instant, Instant, Duration)
   */
  public LocationDataQuality report(
      CallerContext caller, String organizationId, String locationId, Instant from, Instant to) {
    return report(caller, organizationId, locationId, from, to, null);
  }

  /**
   * The report of one location over {@code [from, to)}.
   *
   * @param gapThreshold the shortest stretch without data reported as a gap, or null for the
   *     location's snapshot interval
   * @throws InvalidRequestException when an id is malformed, the window is empty, inverted or too
   *     long, or the threshold is not positive or longer than the configured maximum window
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws NotFoundException when the location is not a location of the organization
   * @throws io.modax.fleet.WarehouseException when the database fails
   */
  public LocationDataQuality report(
      CallerContext caller,
      String organizationId,
      String locationId,
      Instant from,
      Instant to,
      @Nullable Duration gapThreshold) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    String locId = Checks.requireId("locationId", locationId);
    Checks.requireWindow(from, to, engine.maxWindow());
    if (gapThreshold != null && (gapThreshold.isNegative() || gapThreshold.isZero())) {
      throw new InvalidRequestException("gapThreshold " + gapThreshold + " must be positive");
    }
    if (gapThreshold != null && gapThreshold.compareTo(engine.maxWindow()) > 0) {
      // no gap can be longer than the window; a longer threshold would only overflow (microseconds)
      throw new InvalidRequestException("gapThreshold " + gapThreshold + " is longer than the longest"
          + " window (maxWindow " + engine.maxWindow().toDays() + " days): no gap can be that long");
    }
    caller.checkRead(orgId);
    return warehouse.inReadTransaction(orgId, "reporting data quality", (c, dsl) ->
        report(c, orgId, locId, from, to, gapThreshold));
  }

  /**
   * The reports of every location of the organization over {@code [from, to)}, ordered by
   * location id, each with its own snapshot interval as the gap threshold.
   *
   * @throws InvalidRequestException when the id is malformed, the window empty or too long, or
   *     the organization has more locations than {@code maxIdsPerRequest} (report on single
   *     locations, or raise the limit)
   * @throws io.modax.fleet.AccessDeniedException when the caller may not read the organization
   * @throws io.modax.fleet.WarehouseException when the database fails
   */
  public List<LocationDataQuality> reportAll(
      CallerContext caller, String organizationId, Instant from, Instant to) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireWindow(from, to, engine.maxWindow());
    caller.checkRead(orgId);
    return warehouse.inReadTransaction(orgId, "reporting data quality", (c, dsl) -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id FROM " + q + ".locations WHERE organization_id = ? ORDER BY id")) {
        p.setString(1, orgId);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      // a report per location, each a few queries and up to MAX_GAPS_LISTED gaps: the locations
      // reported at once count as ids of the request
      io.modax.fleet.internal.Limits.require("maxIdsPerRequest", engine.limits().maxIdsPerRequest(),
          ids.size(), "locations to report on at once (every location of the organization)");
      List<LocationDataQuality> out = new ArrayList<>();
      for (String id : ids) {
        out.add(report(c, orgId, id, from, to, null));
      }
      return out;
    });
  }

  private LocationDataQuality report(
      Connection c, String orgId, String locId, Instant from, Instant to, @Nullable Duration threshold)
      throws SQLException {
    int interval;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT snapshot_interval_seconds FROM " + q + ".locations WHERE organization_id = ? AND id = ?")) {
      p.setString(1, orgId);
      p.setString(2, locId);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("location '" + Checks.printable(locId)
              + "' is not a location of organization '" + Checks.printable(orgId) + "'");
        }
        interval = rs.getInt(1);
      }
    }
    Duration gapThreshold = threshold != null ? threshold : Duration.ofSeconds(interval);
    OffsetDateTime f = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
    OffsetDateTime t = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);

    long received;
    long ahead;
    Duration maxLead = null;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT count(*), count(*) FILTER (WHERE \"timestamp\" > ingested_at),"
            + " (extract(epoch FROM max(\"timestamp\" - ingested_at) FILTER (WHERE \"timestamp\" > ingested_at))"
            + " * 1000000)::bigint"
            + " FROM " + q + ".fleet_metrics WHERE organization_id = ? AND location_id = ?"
            + " AND \"timestamp\" >= ? AND \"timestamp\" < ?")) {
      p.setString(1, orgId);
      p.setString(2, locId);
      p.setObject(3, f);
      p.setObject(4, t);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        received = rs.getLong(1);
        ahead = rs.getLong(2);
        long lead = rs.getLong(3);
        if (!rs.wasNull()) {
          maxLead = Duration.ofNanos(lead * 1_000);
        }
      }
    }

    Instant lastSeen = null;
    Instant lastIngested = null;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT \"timestamp\", ingested_at FROM " + q + ".fleet_metrics"
            + " WHERE organization_id = ? AND location_id = ? ORDER BY \"timestamp\" DESC LIMIT 1")) {
      p.setString(1, orgId);
      p.setString(2, locId);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          lastSeen = rs.getObject(1, OffsetDateTime.class).toInstant();
          lastIngested = rs.getObject(2, OffsetDateTime.class).toInstant();
        }
      }
    }

    // Gaps: stretches of [from, to) not covered by any snapshot's [timestamp, timestamp + interval).
    // Rows up to a day before the window (the longest interval) tell what covers its start.
    List<LocationDataQuality.Gap> gaps = new ArrayList<>();
    long gapCount = 0;
    long missingMicros = 0;
    try (PreparedStatement p = c.prepareStatement(
        "WITH s AS (SELECT \"timestamp\" AS t, \"timestamp\" + interval_seconds * INTERVAL '1 second' AS e"
            + "  FROM " + q + ".fleet_metrics WHERE organization_id = ? AND location_id = ?"
            + "  AND \"timestamp\" >= ?::timestamptz - INTERVAL '1 day' AND \"timestamp\" < ?::timestamptz),"
            + " b AS (SELECT t, greatest(?::timestamptz, coalesce(max(e) OVER (ORDER BY t ROWS BETWEEN"
            + "  UNBOUNDED PRECEDING AND 1 PRECEDING), ?::timestamptz)) AS covered_to FROM s),"
            + " g AS (SELECT covered_to AS gap_from, t AS gap_to FROM b WHERE t > covered_to"
            + "  UNION ALL SELECT greatest(?::timestamptz, coalesce(max(e), ?::timestamptz)), ?::timestamptz FROM s"
            + "  HAVING greatest(?::timestamptz, coalesce(max(e), ?::timestamptz)) < ?::timestamptz)"
            + " SELECT (extract(epoch FROM gap_from) * 1000000)::bigint, (extract(epoch FROM gap_to) * 1000000)::bigint"
            + " FROM g WHERE gap_to - gap_from >= ? * INTERVAL '1 microsecond' ORDER BY gap_from")) {
      int i = 1;
      p.setString(i++, orgId);
      p.setString(i++, locId);
      p.setObject(i++, f);
      p.setObject(i++, t);
      p.setObject(i++, f);
      p.setObject(i++, f);
      p.setObject(i++, f);
      p.setObject(i++, f);
      p.setObject(i++, t);
      p.setObject(i++, f);
      p.setObject(i++, f);
      p.setObject(i++, t);
      p.setLong(i, gapThreshold.toNanos() / 1_000);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long a = rs.getLong(1);
          long b = rs.getLong(2);
          gapCount++;
          missingMicros += b - a;
          if (gaps.size() < MAX_GAPS_LISTED) {
            gaps.add(new LocationDataQuality.Gap(instant(a), instant(b)));
          }
        }
      }
    }

    Map<QuarantineReason, Long> quarantined = new EnumMap<>(QuarantineReason.class);
    try (PreparedStatement p = c.prepareStatement(
        "SELECT reason_code, count(*) FROM " + q + ".ingest_quarantine WHERE organization_id = ?"
            + " AND location_id = ? AND received_at >= ? AND received_at < ? GROUP BY reason_code")) {
      p.setString(1, orgId);
      p.setString(2, locId);
      p.setObject(3, f);
      p.setObject(4, t);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          quarantined.put(QuarantineReason.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
    }

    long expected = Duration.between(from, to).getSeconds() / interval;
    Double completeness = expected == 0 ? null : Math.min(1.0, (double) received / expected);
    long future = quarantined.getOrDefault(QuarantineReason.FUTURE_TIMESTAMP, 0L);
    LocationDataQuality.ClockSkew skew = new LocationDataQuality.ClockSkew(
        future > 0 || ahead > 0, future, ahead, maxLead);
    return new LocationDataQuality(orgId, locId, from, to, interval, expected, received, completeness,
        gaps, gapCount, Duration.ofNanos(missingMicros * 1_000), lastSeen, lastIngested, skew, quarantined);
  }

  private static Instant instant(long epochMicros) {
    return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000);
  }
}
