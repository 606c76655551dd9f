package io.modax.fleet.maintenance;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Permission;
import io.modax.fleet.Role;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import io.modax.fleet.internal.Warehouse;
import io.modax.fleet.internal.schema.MigrationScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps history cheaply: drops raw snapshots past their retention while the rollups keep every
 * hour and day they summarised, and on TimescaleDB compresses old raw chunks. Everything runs on
 * the primary. See {@code docs/scaling.md}.
 *
 * <p><b>The rollups outlive the raw rows.</b> Raw rows are deleted with the rollup-maintenance
 * trigger switched off (as the writer does), and TimescaleDB's {@code drop_chunks} fires no row
 * trigger, so no hour or day is recomputed from what is left: {@code fleet_metrics_hourly} and
 * {@code fleet_metrics_daily} keep the sums of the dropped rows. Two rules keep it so:
 *
 * <ul>
 *   <li>A cutoff must be a whole UTC hour, so every hour either keeps all its raw rows or none.
 *       {@code fleet_window_sums} reads raw rows only for the part of a window that does not
 *       cover a whole hour; such a partial hour before the cutoff has no raw rows left, so a
 *       window edge there counts nothing of that partial hour: the window is answered from the
 *       whole hours inside it (its start effectively moves to the next whole UTC hour, its end
 *       back to the previous one). Windows on whole hours (every day, week, month and year
 *       window of a location) answer exactly as before the drop.
 *   <li>A cutoff must not be later than the clock's now minus the writer's retention horizon
 *       ({@code FleetAnalytics.Builder.retentionHorizon}): the writer quarantines snapshots older
 *       than that horizon, so it never writes into an hour whose raw rows are gone (which would
 *       rebuild that hour's rollup from the one late row).
 * </ul>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class FleetMaintenance {

  private static final Logger LOG = LoggerFactory.getLogger(FleetMaintenance.class);

  private final Engine engine;
  private final Warehouse warehouse;
  private final String q;

  static {
    Services.register(FleetMaintenance.class, FleetMaintenance::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#maintenance()} (through {@link Services}). */
  FleetMaintenance(Engine engine) {
    this.engine = Checks.requireNonNull("engine", engine);
    this.warehouse = engine.warehouse();
    this.q = MigrationScripts.quoteSchema(warehouse.schema());
  }

  /**
   * Deletes one organization's raw snapshots before {@code cutoff}, on plain PostgreSQL and on
   * TimescaleDB alike, keeping every rollup row. Hours that other SQL marked dirty are folded into
   * the rollups first (from the raw rows still there). Serializes with the writer on the
   * organization's location locks. One transaction: all or nothing.
   *
   * @param caller an admin of the organization ({@link Permission#ADMIN} and {@link
   *     Permission#WRITE} for it)
   * @param organizationId the organization
   * @param cutoff raw rows strictly before it are deleted; a whole UTC hour, not later than now
   *     minus the retention horizon
   * @throws InvalidRequestException when the cutoff breaks a rule above
   * @throws AccessDeniedException when the caller may not administer the organization
   * @throws NotFoundException when the organization does not exist
   */
  public RawHistoryDrop dropRawHistoryBefore(CallerContext caller, String organizationId, Instant cutoff) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    caller.checkWrite(orgId);
    requireAdminPermission(caller, "drop raw history of organization '" + orgId + "'");
    requireCutoff(cutoff);
    long deleted = warehouse.inTransaction(orgId, "dropping raw history", (c, dsl) -> {
      requireOrganization(c, orgId);
      try (PreparedStatement p = c.prepareStatement(
          // SET LOCAL, not set_config: Citus forwards only SET commands to the workers, where the
          // rollup trigger of each shard reads the setting
          "SET LOCAL " + Warehouse.ROLLUPS_MAINTAINED_SETTING + " = 'on'")) {
        p.execute();
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + q + ".lock_fleet_locations(?, ARRAY(SELECT id FROM " + q
              + ".locations WHERE organization_id = ? ORDER BY id))")) {
        p.setString(1, orgId);
        p.setString(2, orgId);
        p.execute();
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + q + ".refresh_dirty_fleet_rollups(?)")) {
        p.setString(1, orgId);
        p.execute();
      }
      // fleet_window_sums reads a location's days only where the raw rows at its junctions are kept
      try (PreparedStatement p = c.prepareStatement("UPDATE " + q + ".organizations"
          + " SET raw_dropped_before = greatest(raw_dropped_before, ?) WHERE id = ?")) {
        p.setTimestamp(1, Timestamp.from(cutoff));
        p.setString(2, orgId);
        p.execute();
      }
      try (PreparedStatement p = c.prepareStatement(
          "DELETE FROM " + q + ".fleet_metrics WHERE organization_id = ? AND \"timestamp\" < ?")) {
        p.setString(1, orgId);
        p.setTimestamp(2, Timestamp.from(cutoff));
        return (long) p.executeUpdate();
      }
    });
    LOG.info("fleet-analytics: dropped {} raw rows of organization {} before {}", deleted, orgId, cutoff);
    return new RawHistoryDrop(orgId, cutoff, deleted, 0);
  }

  /**
   * TimescaleDB: drops, for every organization at once, the raw chunks that end at or before
   * {@code cutoff} ({@code drop_chunks}); rows of a chunk that straddles the cutoff stay. A chunk
   * drop is DDL: it fires no row trigger and leaves the rollup tables (ordinary tables) alone.
   * Hours that other SQL marked dirty in the dropped range should be folded in before (any
   * analysis on the primary does); see the class comment for the cutoff's rules.
   *
   * @param caller an administrator ({@link Role#ADMIN} with {@link Permission#ADMIN})
   * @throws InvalidRequestException when the cutoff breaks a rule, or fleet_metrics is not a
   *     TimescaleDB hypertable here (use {@link #dropRawHistoryBefore} per organization)
   * @throws AccessDeniedException when the caller is not an administrator
   */
  public RawHistoryDrop dropRawChunksBefore(CallerContext caller, Instant cutoff) {
    requireFleetAdmin(caller, "drop raw chunks");
    requireCutoff(cutoff);
    int dropped = warehouse.inAdminTransaction("dropping raw chunks", (c, dsl) -> {
      String ts = requireHypertable(c);
      // fleet_window_sums reads a location's days only where the raw rows at its junctions are kept
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + q + ".fleet_record_raw_drop(?::timestamptz, NULL)")) {
        p.setTimestamp(1, Timestamp.from(cutoff));
        p.execute();
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT count(*) FROM " + ts + ".drop_chunks(?::regclass, older_than => ?::timestamptz)")) {
        p.setString(1, q + ".fleet_metrics");
        p.setTimestamp(2, Timestamp.from(cutoff));
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
    LOG.info("fleet-analytics: dropped {} raw chunks before {}", dropped, cutoff);
    return new RawHistoryDrop(null, cutoff, 0, dropped);
  }

  /** The longest a {@link #prepareRawPartitions} call creates partitions ahead: ten years. */
  public static final int MAX_MONTHS_AHEAD = 120;

  private static final Pattern MONTH_PARTITION =
      Pattern.compile("fleet_metrics_y(\\d{4})m(\\d{2})");

  /**
   * Plain PostgreSQL: creates the monthly partitions of {@code fleet_metrics} (UTC calendar months,
   * {@code fleet_metrics_yYYYYmMM}) from the current month through {@code monthsAhead} months
   * ahead, and one for every month whose snapshots arrived while it had none (they wait in the
   * default partition and are moved into the new one, unchanged: the rollups stay as they are).
   * Partitions that exist are left alone, so the call is safe to repeat; schedule it, say, weekly.
   * A partition is reached through {@code fleet_metrics} only: no role but the owner gets a
   * privilege on it. Needs the warehouse owner's privileges (DDL). One transaction.
   *
   * @param caller an administrator ({@link Role#ADMIN} with {@link Permission#ADMIN})
   * @param monthsAhead 0 (this month only) to {@value #MAX_MONTHS_AHEAD}
   * @return the partitions created now, oldest first (empty when all existed)
   * @throws InvalidRequestException when {@code monthsAhead} is out of range, or fleet_metrics is
   *     not partitioned here (a TimescaleDB hypertable or a Citus table: V014 partitions it on plain
   *     PostgreSQL only)
   * @throws AccessDeniedException when the caller is not an administrator
   */
  public List<String> prepareRawPartitions(CallerContext caller, int monthsAhead) {
    requireFleetAdmin(caller, "prepare raw partitions");
    if (monthsAhead < 0 || monthsAhead > MAX_MONTHS_AHEAD) {
      throw new InvalidRequestException("monthsAhead " + monthsAhead + " is outside the allowed range [0, "
          + MAX_MONTHS_AHEAD + "]");
    }
    YearMonth now = YearMonth.from(engine.clock().instant().atZone(ZoneOffset.UTC));
    List<String> created = warehouse.inAdminTransaction("preparing raw partitions", (c, dsl) -> {
      requirePartitioned(c);
      TreeSet<LocalDate> months = new TreeSet<>();
      for (int k = 0; k <= monthsAhead; k++) {
        months.add(now.plusMonths(k).atDay(1));
      }
      try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT date_trunc('month', \"timestamp\" AT TIME ZONE"
          + " 'UTC')::date FROM " + q + ".fleet_metrics_default");
          ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          months.add(rs.getObject(1, LocalDate.class));
        }
      }
      List<String> names = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + q + ".fleet_create_raw_partition(?)")) {
        for (LocalDate month : months) {
          p.setObject(1, month);
          try (ResultSet rs = p.executeQuery()) {
            rs.next();
            if (rs.getString(1) != null) {
              names.add(rs.getString(1));
            }
          }
        }
      }
      return names;
    });
    LOG.info("fleet-analytics: created raw partitions {}", created);
    return created;
  }

  /**
   * Plain PostgreSQL: detaches, for every organization at once, each monthly partition of {@code
   * fleet_metrics} that ends at or before {@code cutoff}, and drops it unless {@code detachOnly}
   * (a detached partition stays as a table of its own, to archive or drop later; no role but the
   * owner can read it). Rows of a partition that straddles the cutoff stay, as do rows in the
   * default partition. Detaching is DDL: no row trigger fires and the rollup tables keep every
   * hour, day, week and month the rows were part of. The instant before which raw rows may be
   * missing is recorded, so that window sums read whole hours where a location's local midnight
   * lies in the dropped range (see the class comment for the cutoff's rules).
   *
   * @param caller an administrator ({@link Role#ADMIN} with {@link Permission#ADMIN})
   * @param cutoff a whole UTC hour, not later than now minus the retention horizon
   * @param detachOnly true to keep the detached partitions as tables, false to drop them
   * @return the drop, with {@link RawHistoryDrop#chunksDropped()} the partitions detached
   * @throws InvalidRequestException when the cutoff breaks a rule, or fleet_metrics is not
   *     partitioned here
   * @throws AccessDeniedException when the caller is not an administrator
   */
  public RawHistoryDrop dropRawPartitionsBefore(CallerContext caller, Instant cutoff, boolean detachOnly) {
    requireFleetAdmin(caller, "drop raw partitions");
    requireCutoff(cutoff);
    List<String> gone = warehouse.inAdminTransaction("dropping raw partitions", (c, dsl) -> {
      requirePartitioned(c);
      TreeMap<Instant, String> ends = new TreeMap<>();
      try (PreparedStatement p = c.prepareStatement("SELECT c.relname FROM pg_inherits i"
          + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ?::regclass")) {
        p.setString(1, q + ".fleet_metrics");
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            Matcher m = MONTH_PARTITION.matcher(rs.getString(1));
            if (m.matches()) {
              Instant end = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
                  .plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
              ends.put(end, rs.getString(1));
            }
          }
        }
      }
      List<String> names = new ArrayList<>(ends.headMap(cutoff, true).values());
      if (names.isEmpty()) {
        return names;
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + q + ".fleet_record_raw_drop(?::timestamptz, NULL)")) {
        p.setTimestamp(1, Timestamp.from(ends.headMap(cutoff, true).lastKey()));
        p.execute();
      }
      try (Statement st = c.createStatement()) {
        for (String name : names) {
          // a name from the catalog that matched the partition pattern: letters, digits, underscores
          st.execute("ALTER TABLE " + q + ".fleet_metrics DETACH PARTITION " + q + "." + name);
          if (!detachOnly) {
            st.execute("DROP TABLE " + q + "." + name);
          }
        }
      }
      return names;
    });
    LOG.info("fleet-analytics: {} raw partitions before {}: {}", detachOnly ? "detached" : "dropped",
        cutoff, gone);
    return new RawHistoryDrop(null, cutoff, 0, gone.size());
  }

  /**
   * TimescaleDB: turns compression on for {@code fleet_metrics} (segmented by organization and
   * location, ordered by time), a one-time decision with a security trade-off the host makes
   * explicitly: TimescaleDB refuses compression ("columnstore") on a table with row-level security,
   * and once compression is on, row-level security cannot be enabled on it again. This call
   * therefore removes the row-level security policies (migration 8) from {@code fleet_metrics}
   * only. Every other table keeps them, the rollups included, and the library's own queries stay
   * scoped to one organization as always; what goes is the database's own guard on raw rows
   * against other SQL run under the library's roles. Organization readers ({@link
   * io.modax.fleet.schema.FleetSchema#grantOrganizationReader}), whom only those policies held to
   * their organization, lose their privileges on {@code fleet_metrics} (they keep the rollups). The
   * compressed hypertable and its chunks, like every chunk, keep no privilege for any role but the
   * owner (V015). Does nothing when compression is already on.
   *
   * @param caller an administrator ({@link Role#ADMIN} with {@link Permission#ADMIN})
   * @return true when compression was turned on now, false when it already was
   * @throws InvalidRequestException when fleet_metrics is not a TimescaleDB hypertable here
   * @throws AccessDeniedException when the caller is not an administrator
   */
  public boolean enableRawCompression(CallerContext caller) {
    requireFleetAdmin(caller, "enable raw compression");
    return warehouse.inAdminTransaction("enabling raw compression", (c, dsl) -> {
      requireHypertable(c);
      if (compressionEnabled(c)) {
        return false;
      }
      List<String> policies = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT quote_ident(policyname) FROM pg_policies WHERE schemaname = ? AND tablename = 'fleet_metrics'")) {
        p.setString(1, warehouse.schema());
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            policies.add(rs.getString(1));
          }
        }
      }
      // the organization readers (FleetSchema.grantOrganizationReader) were held to their
      // organization by fleet_metrics' policies only: without them they lose fleet_metrics
      List<String> pinnedReaders = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT DISTINCT quote_ident(r.rolname) FROM pg_policy p, unnest(p.polroles) pr JOIN pg_roles r ON r.oid = pr"
              + " WHERE p.polrelid = (? || '.fleet_metrics')::regclass AND p.polname LIKE 'fleet\\_reader\\_%'")) {
        p.setString(1, q);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            pinnedReaders.add(rs.getString(1));
          }
        }
      }
      try (Statement st = c.createStatement()) {
        for (String reader : pinnedReaders) {
          st.execute("REVOKE ALL ON " + q + ".fleet_metrics FROM " + reader);
        }
        st.execute("ALTER TABLE " + q + ".fleet_metrics NO FORCE ROW LEVEL SECURITY");
        st.execute("ALTER TABLE " + q + ".fleet_metrics DISABLE ROW LEVEL SECURITY");
        for (String policy : policies) {
          st.execute("DROP POLICY " + policy + " ON " + q + ".fleet_metrics");
        }
        st.execute("ALTER TABLE " + q + ".fleet_metrics SET (timescaledb.compress,"
            + " timescaledb.compress_segmentby = 'organization_id, location_id',"
            + " timescaledb.compress_orderby = '\"timestamp\"')");
        // the compressed hypertable TimescaleDB just made carries fleet_metrics' privileges, and
        // its chunks will copy them: no role but the owner keeps any (V015)
        st.execute("SELECT " + q + ".fleet_seal_storage()");
      }
      LOG.warn("fleet-analytics: enabled compression on {}.fleet_metrics and removed its row-level"
          + " security policies {} (TimescaleDB allows no row security with compression)",
          warehouse.schema(), policies);
      return true;
    });
  }

  /**
   * TimescaleDB: compresses every raw chunk that ends at or before {@code before} and is not
   * compressed yet. Compressed chunks still take the writer's upserts and answer every query; they
   * take far less space. Compression must have been turned on ({@link #enableRawCompression}).
   *
   * @param caller an administrator ({@link Role#ADMIN} with {@link Permission#ADMIN})
   * @throws InvalidRequestException when fleet_metrics is not a TimescaleDB hypertable here or
   *     compression is not turned on
   * @throws AccessDeniedException when the caller is not an administrator
   */
  public CompressionReport compressRawChunksBefore(CallerContext caller, Instant before) {
    requireFleetAdmin(caller, "compress raw chunks");
    Checks.requireNonNull("before", before);
    return warehouse.inAdminTransaction("compressing raw chunks", (c, dsl) -> {
      String ts = requireHypertable(c);
      requireCompression(c);
      long bytesBefore = hypertableSize(c, ts);
      int compressed;
      try (PreparedStatement p = c.prepareStatement(
          "SELECT count(" + ts + ".compress_chunk(ch, if_not_compressed => true)) FROM "
              + ts + ".show_chunks(?::regclass, older_than => ?::timestamptz) ch")) {
        p.setString(1, q + ".fleet_metrics");
        p.setTimestamp(2, Timestamp.from(before));
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          compressed = rs.getInt(1);
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("SELECT " + q + ".fleet_seal_storage()");
      }
      return new CompressionReport(compressed, bytesBefore, hypertableSize(c, ts));
    });
  }

  /**
   * TimescaleDB: a background policy that compresses raw chunks once they are older than {@code
   * compressAfter} ({@code add_compression_policy}; a second call with another age is refused by
   * TimescaleDB until {@code remove_compression_policy}). Compression must have been turned on
   * ({@link #enableRawCompression}).
   *
   * @param caller an administrator
   * @param compressAfter at least one hour
   * @throws InvalidRequestException when fleet_metrics is not a hypertable, compression is not
   *     turned on, or the age is too short
   */
  public void scheduleCompression(CallerContext caller, Duration compressAfter) {
    requireFleetAdmin(caller, "schedule compression");
    Checks.requireNonNull("compressAfter", compressAfter);
    if (compressAfter.compareTo(Duration.ofHours(1)) < 0) {
      throw new InvalidRequestException(
          "compressAfter " + compressAfter + " is shorter than the minimum PT1H");
    }
    warehouse.inAdminTransaction("scheduling compression", (c, dsl) -> {
      String ts = requireHypertable(c);
      requireCompression(c);
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + ts + ".add_compression_policy(?::regclass,"
              + " compress_after => make_interval(secs => ?), if_not_exists => true)")) {
        p.setString(1, q + ".fleet_metrics");
        p.setDouble(2, compressAfter.toSeconds());
        p.execute();
      }
      return null;
    });
  }

  /**
   * TimescaleDB: a background policy that drops raw chunks once they are older than {@code
   * dropAfter} ({@code add_retention_policy}): {@link #dropRawChunksBefore} run by TimescaleDB's
   * job scheduler. The rollups are ordinary tables and keep everything.
   *
   * @param caller an administrator
   * @param dropAfter at least the writer's retention horizon (so that the writer never writes into
   *     a dropped chunk's hours)
   * @throws InvalidRequestException when fleet_metrics is not a hypertable or the age is shorter
   *     than the retention horizon
   */
  public void scheduleRawRetention(CallerContext caller, Duration dropAfter) {
    requireFleetAdmin(caller, "schedule raw retention");
    Checks.requireNonNull("dropAfter", dropAfter);
    if (dropAfter.compareTo(engine.retentionHorizon()) < 0) {
      throw new InvalidRequestException(
          "dropAfter " + dropAfter + " is shorter than the writer's retention horizon "
              + engine.retentionHorizon() + ": the writer still accepts snapshots that old, and one"
              + " written into a dropped hour would rebuild that hour's rollup from it alone;"
              + " shorten FleetAnalytics.Builder.retentionHorizon first");
    }
    warehouse.inAdminTransaction("scheduling raw retention", (c, dsl) -> {
      String ts = requireHypertable(c);
      // the shortest age ever scheduled: TimescaleDB keeps an existing policy (if_not_exists), and
      // chunks an earlier, shorter policy dropped stay dropped
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + q + ".fleet_record_raw_drop(NULL, make_interval(secs => ?))")) {
        p.setDouble(1, dropAfter.toSeconds());
        p.execute();
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + ts + ".add_retention_policy(?::regclass,"
              + " drop_after => make_interval(secs => ?), if_not_exists => true)")) {
        p.setString(1, q + ".fleet_metrics");
        p.setDouble(2, dropAfter.toSeconds());
        p.execute();
      }
      return null;
    });
  }

  private void requireCutoff(@Nullable Instant cutoff) {
    Checks.requireNonNull("cutoff", cutoff);
    if (!cutoff.truncatedTo(ChronoUnit.HOURS).equals(cutoff)) {
      throw new InvalidRequestException(
          "cutoff " + cutoff + " is not a whole UTC hour: raw history is dropped by whole hours so"
              + " that no hour keeps only part of its raw rows (use "
              + cutoff.truncatedTo(ChronoUnit.HOURS) + ")");
    }
    Instant latest = engine.clock().instant().minus(engine.retentionHorizon());
    if (cutoff.isAfter(latest)) {
      throw new InvalidRequestException(
          "cutoff " + cutoff + " is later than now minus the writer's retention horizon ("
              + latest + ", horizon " + engine.retentionHorizon() + "): the writer still accepts"
              + " snapshots that old, and one written into a dropped hour would rebuild that"
              + " hour's rollup from it alone; shorten FleetAnalytics.Builder.retentionHorizon"
              + " first");
    }
  }

  private static void requireAdminPermission(CallerContext caller, String what) {
    if (!caller.permissions().contains(Permission.ADMIN)) {
      throw new AccessDeniedException(
          "caller '" + Checks.printable(caller.name()) + "' (role " + caller.role().wireName()
              + ") may not " + what + ": it lacks the 'admin' permission");
    }
  }

  private static void requireFleetAdmin(@Nullable CallerContext caller, String what) {
    Checks.requireNonNull("caller", caller);
    if (caller.role() != Role.ADMIN) {
      throw new AccessDeniedException(
          "caller '" + Checks.printable(caller.name()) + "' (role " + caller.role().wireName()
              + ") may not " + what + ": it acts for every organization, so only the admin role may");
    }
    requireAdminPermission(caller, what);
  }

  private void requireOrganization(Connection c, String orgId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT 1 FROM " + q + ".organizations WHERE id = ?")) {
      p.setString(1, orgId);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("organization '" + Checks.printable(orgId) + "' does not exist");
        }
      }
    }
  }

  /** The quoted schema of the timescaledb extension, after checking fleet_metrics is a hypertable. */
  private String requireHypertable(Connection c) throws SQLException {
    String ts = null;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            + " WHERE e.extname = 'timescaledb'");
        ResultSet rs = p.executeQuery()) {
      if (rs.next()) {
        ts = rs.getString(1);
      }
    }
    boolean hypertable = false;
    if (ts != null) {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT 1 FROM timescaledb_information.hypertables"
              + " WHERE hypertable_schema = ? AND hypertable_name = 'fleet_metrics'")) {
        p.setString(1, warehouse.schema());
        try (ResultSet rs = p.executeQuery()) {
          hypertable = rs.next();
        }
      }
    }
    if (!hypertable) {
      throw new InvalidRequestException(
          "fleet_metrics in schema '" + warehouse.schema() + "' is not a TimescaleDB hypertable:"
              + " chunk compression and chunk retention need TimescaleDB; on plain PostgreSQL drop"
              + " raw history per organization with dropRawHistoryBefore");
    }
    return ts;
  }

  /** Checks that fleet_metrics is a partitioned table (plain PostgreSQL since V014). */
  private void requirePartitioned(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT relkind = 'p' FROM pg_class WHERE oid = ?::regclass")) {
      p.setString(1, q + ".fleet_metrics");
      try (ResultSet rs = p.executeQuery()) {
        if (!(rs.next() && rs.getBoolean(1))) {
          throw new InvalidRequestException(
              "fleet_metrics in schema '" + warehouse.schema() + "' is not partitioned by time: it is"
                  + " on plain PostgreSQL only; on TimescaleDB use dropRawChunksBefore, on Citus"
                  + " dropRawHistoryBefore per organization");
        }
      }
    }
  }

  private boolean compressionEnabled(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT compression_enabled FROM timescaledb_information.hypertables"
            + " WHERE hypertable_schema = ? AND hypertable_name = 'fleet_metrics'")) {
      p.setString(1, warehouse.schema());
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private void requireCompression(Connection c) throws SQLException {
    if (!compressionEnabled(c)) {
      throw new InvalidRequestException(
          "compression is not turned on for fleet_metrics in schema '" + warehouse.schema() + "':"
              + " call enableRawCompression first (it removes fleet_metrics' row-level security"
              + " policies, which TimescaleDB does not allow together with compression)");
    }
  }

  private long hypertableSize(Connection c, String ts) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT " + ts + ".hypertable_size(?::regclass)")) {
      p.setString(1, q + ".fleet_metrics");
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
