package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables behind the tables (issue 14): every TimescaleDB chunk (compressed ones and the
 * compressed hypertable included), every partition of a partitioned table, and on Citus every
 * shard and shell table on every node, each reached directly, by name, as each role the grant
 * helpers make: the runtime role with no tenant set and set to organization A, an organization
 * reader pinned to A that sets the tenant to B, and the fleet reader. Each tries SELECT, INSERT,
 * UPDATE and DELETE (in a transaction rolled back afterwards). Asserted: no role but the fleet
 * reader reads a row of another organization, and no role changes a row of another organization.
 * The relations are enumerated from the catalog (pg_inherits, TimescaleDB's catalog, pg_dist_shard
 * and pg_dist_node), not listed by hand; on Citus each worker is connected to directly.
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class StorageIsolationTest {

  private static final Logger LOG = LoggerFactory.getLogger(StorageIsolationTest.class);

  static final String ORG_A = "iso-a";
  static final String ORG_B = "iso-b";
  static final CallerContext ADMIN_B = CallerContext.of("ops", ORG_B, Role.ADMIN);

  static DatabaseRole runtime;
  static DatabaseRole reader;
  static DatabaseRole fleetReader;

  @BeforeAll
  static void setUp(FleetDatabase db) {
    runtime = DatabaseRole.runtime(db, 2);
    // some chunks exist before the readers are granted (a GRANT reaches existing chunks) ...
    try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).build()) {
      Analyses.sample(ORG_A, 3, 15).load(fleet);
      Analyses.sample(ORG_B, 4, 15).load(fleet);
    }
    reader = DatabaseRole.organizationReader(db, ORG_A);
    fleetReader = DatabaseRole.fleetReader(db);
    // ... and some are created afterwards, by the runtime role's writes (new chunks copy grants)
    try (FleetAnalytics fleet = runtime.analyticsBuilder().clock(Analyses.clock()).build()) {
      for (String org : List.of(ORG_A, ORG_B)) {
        SampleFleet.builder().organizationId(org).seed(org.equals(ORG_A) ? 3 : 4)
            .end(Analyses.NOW.minus(Duration.ofDays(60))).days(2).locations(2).intervalSeconds(900)
            .build().load(fleet);
      }
    }
  }

  @AfterAll
  static void dropRoles() {
    for (DatabaseRole r : new DatabaseRole[] {reader, fleetReader, runtime}) {
      if (r != null) {
        r.close();
      }
    }
  }

  @Test
  void noChunkPartitionOrShardLetsARoleReadOrChangeAnotherOrganization(FleetDatabase db) throws SQLException {
    List<Target> targets = targets(db, db.schema());
    assertThat(targets.stream().mapToInt(t -> t.relations().size()).sum())
        .as("relations found in the catalog").isPositive();
    if (db.isTimescale()) {
      assertThat(targets.get(0).relations()).as("chunks of the hypertable").anyMatch(r -> r.name().contains("_hyper_"));
    } else if (!db.isCitus()) {
      assertThat(targets.get(0).relations()).as("partitions of fleet_metrics").anyMatch(r -> r.name().contains("fleet_metrics_"));
    } else {
      assertThat(targets).as("the coordinator and at least one worker").hasSizeGreaterThan(1);
    }
    List<String> violations = new ArrayList<>();
    Map<String, long[]> figures = new LinkedHashMap<>();
    for (Target t : targets) {
      for (Relation r : t.relations()) {
        probeAll(db, t, r, violations, figures);
      }
    }
    logFigures(db, figures);
    assertThat(violations).as("cross-tenant reads or any change through a chunk, partition or shard").isEmpty();
  }

  /**
   * TimescaleDB with compression on (in a schema of its own: compression removes fleet_metrics'
   * policies): the compressed hypertable and its chunks are refused to every granted role, like
   * the chunks; and an organization reader no longer reads fleet_metrics, which has no policy left.
   */
  @Test
  void compressedChunksAreUnreachableToo(FleetDatabase shared) throws SQLException {
    Assumptions.assumeTrue(shared.isTimescale(), "compression needs TimescaleDB");
    String schema = shared.schema() + "_sealc";
    exec(shared, "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    FleetSchema fs = FleetSchema.of(shared.dataSource(), schema);
    try (FleetAnalytics owner = FleetAnalytics.builder(shared.dataSource()).schema(schema).clock(Analyses.clock()).build()) {
      Analyses.sample(ORG_A, 3, 15).load(owner);
      Analyses.sample(ORG_B, 4, 15).load(owner);
      try (DatabaseRole rt = DatabaseRole.create(shared, "rtc", 1, "", fs::grantRuntimeRole);
          DatabaseRole rd = DatabaseRole.create(shared, "orgc", 1, "", r -> fs.grantOrganizationReader(r, ORG_A));
          DatabaseRole fr = DatabaseRole.create(shared, "fleetc", 1, "", fs::grantFleetReader)) {
        assertThat(owner.maintenance().enableRawCompression(ADMIN_B)).isTrue();
        assertThat(owner.maintenance().compressRawChunksBefore(ADMIN_B, Analyses.NOW.minus(Duration.ofDays(3)))
            .chunksCompressed()).isPositive();
        Target t = targets(shared, schema).get(0);
        assertThat(t.relations()).as("compressed chunks").anyMatch(r -> r.name().contains("compress_hyper_"));
        List<String> violations = new ArrayList<>();
        Map<String, long[]> figures = new LinkedHashMap<>();
        for (Relation r : t.relations()) {
          for (Session s : sessions(rt, rd, fr)) {
            Outcome o = probe(shared, t, r, s);
            figures.put(t.label() + " " + r.name() + " as " + s.label(), o.figures());
            // with compression on, nothing of the raw rows' storage is for anyone but the owner
            if (o.rowsRead() > 0 || o.changed() > 0 || privileged(shared, s.role(), r)) {
              violations.add(r.name() + " as " + s.label() + ": " + o);
            }
          }
        }
        logFigures(shared, figures);
        assertThat(violations).as("compressed storage reachable").isEmpty();
        // fleet_metrics itself has no policy once compressed: the pinned reader is refused it
        try (Connection c = rd.plainConnection()) {
          String state = TenantSql.inTenant(c, ORG_B, x ->
              TenantSql.stateOf(x, "SELECT count(*) FROM \"" + schema + "\".fleet_metrics"));
          assertThat(state).isEqualTo("42501");
        }
      }
    } finally {
      exec(shared, "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }

  // ------------------------------------------------------------------ probing

  /** Where relations are reached: the node a connection goes to, and the relations stored there. */
  record Target(String label, @Nullable String url, List<Relation> relations) {}

  /** A relation to probe and the column that holds its rows' organization. */
  record Relation(String name, String column) {}

  /** A role's session: the pool to connect as, the tenant it sets, the organization it may read. */
  record Session(String label, DatabaseRole role, @Nullable String tenant, @Nullable String own, boolean mayRead) {}

  /** What a role did to one relation. */
  record Outcome(long rowsRead, long crossTenantRead, long inserted, long updated, long deleted, List<String> states) {
    long changed() {
      return inserted + updated + deleted;
    }

    long[] figures() {
      return new long[] {crossTenantRead, changed()};
    }
  }

  static List<Session> sessions(DatabaseRole rt, DatabaseRole rd, DatabaseRole fr) {
    return List.of(
        new Session("runtime (no tenant)", rt, null, null, false),
        new Session("runtime (tenant " + ORG_A + ")", rt, ORG_A, ORG_A, false),
        new Session("reader of " + ORG_A + " (tenant " + ORG_B + ")", rd, ORG_B, ORG_A, false),
        new Session("fleet reader", fr, null, null, true));
  }

  /** Whether the role has any privilege on the relation (asked on the single node, as the owner). */
  static boolean privileged(FleetDatabase db, DatabaseRole role, Relation r) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT has_table_privilege(?, ?::regclass, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')")) {
      p.setString(1, role.name());
      p.setString(2, r.name());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static void probeAll(FleetDatabase db, Target t, Relation r, List<String> violations, Map<String, long[]> figures)
      throws SQLException {
    for (Session s : sessions(runtime, reader, fleetReader)) {
      if (t.url() == null && !db.isCitus() && privileged(db, s.role(), r)) {
        violations.add(t.label() + " " + r.name() + " as " + s.label() + ": has a privilege on it");
      }
      Outcome o = probe(db, t, r, s);
      figures.put(t.label() + " " + r.name() + " as " + s.label(), o.figures());
      if (!s.mayRead() && o.crossTenantRead() > 0) {
        violations.add(t.label() + " " + r.name() + " as " + s.label() + ": read " + o.crossTenantRead()
            + " rows of another organization");
      }
      if (o.changed() > 0) {
        violations.add(t.label() + " " + r.name() + " as " + s.label() + ": changed " + o.changed() + " rows of " + ORG_B);
      }
      List<String> reached = o.states().stream().filter(x -> !x.equals("42501") && !x.equals("0A000")).toList();
      if (!reached.isEmpty()) {
        violations.add(t.label() + " " + r.name() + " as " + s.label() + ": a write reached the rows (SQLState " + reached + ")");
      }
    }
  }

  /** SELECT, INSERT (a copy of a row of B, moved by a microsecond), UPDATE and DELETE of B's rows. */
  static Outcome probe(FleetDatabase db, Target t, Relation r, Session s) throws SQLException {
    String bRow = rowOf(db, t, r, ORG_B);
    try (Connection c = t.url() == null ? s.role().plainConnection()
        : DriverManager.getConnection(t.url(), s.role().name(), "fa-safety")) {
      return TenantSql.inTenant(c, s.tenant(), x -> {
        List<String> states = new ArrayList<>();
        // as an attacker would: keep the rollup trigger out, whose write to fleet_rollup_dirty
        // (under row-level security) would otherwise refuse the statement by chance
        run(x, "SELECT 0, length(set_config('fleet_analytics.rollups_maintained', ?, true))", states, "on");
        long[] read = run(x, "SELECT count(*), count(*) FILTER (WHERE " + r.column() + " IS DISTINCT FROM ?) FROM " + r.name(),
            states, s.own());
        long inserted = bRow == null ? 0
            : run(x, "INSERT INTO " + r.name() + " SELECT * FROM jsonb_populate_record(NULL::" + r.name() + ", ?::jsonb)",
                states, bRow)[0];
        long updated = run(x, "UPDATE " + r.name() + " SET " + r.column() + " = " + r.column() + " WHERE " + r.column() + " = ?",
            states, ORG_B)[0];
        long deleted = run(x, "DELETE FROM " + r.name() + " WHERE " + r.column() + " = ?", states, ORG_B)[0];
        x.rollback();
        return new Outcome(read[0], read[1], inserted, updated, deleted, states);
      });
    }
  }

  /** Runs a statement in a savepoint: its update count (or first row), or 0 and its SQLState noted. */
  private static long[] run(Connection c, String sql, List<String> states, @Nullable String param) throws SQLException {
    var sp = c.setSavepoint();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, param);
      long[] out;
      if (p.execute()) {
        try (ResultSet rs = p.getResultSet()) {
          rs.next();
          out = new long[] {rs.getLong(1), rs.getLong(2)};
        }
      } else {
        out = new long[] {p.getUpdateCount(), 0};
      }
      c.releaseSavepoint(sp);
      return out;
    } catch (SQLException e) {
      c.rollback(sp);
      states.add(e.getSQLState());
      return new long[] {0, 0};
    }
  }

  /** One row of the organization in the relation, as JSON, its "timestamp" moved by 1 µs. */
  private static @Nullable String rowOf(FleetDatabase db, Target t, Relation r, String org) throws SQLException {
    try (Connection c = t.url() == null ? db.dataSource().getConnection()
        : DriverManager.getConnection(t.url(), db.user(), db.password());
        PreparedStatement p = c.prepareStatement("SELECT CASE WHEN to_jsonb(x) ? 'timestamp' THEN to_jsonb(x)"
            + " || jsonb_build_object('timestamp', (to_jsonb(x) ->> 'timestamp')::timestamptz + interval '1 microsecond')"
            + " ELSE to_jsonb(x) END::text FROM " + r.name() + " x WHERE " + r.column() + " = ? LIMIT 1")) {
      p.setString(1, org);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      return null; // e.g. a compressed chunk's internal columns: the insert is probed without a row
    }
  }

  // ------------------------------------------------------------------ enumeration

  /** The single node (or coordinator) first, then on Citus every worker, reached directly. */
  static List<Target> targets(FleetDatabase db, String schema) throws SQLException {
    List<Target> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection()) {
      List<Relation> local = new ArrayList<>();
      // partitions and chunks at any depth below the schema's tables
      try (PreparedStatement p = c.prepareStatement("WITH RECURSIVE below(oid) AS ("
          + " SELECT i.inhrelid FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relnamespace = ?::regnamespace"
          + " UNION SELECT i.inhrelid FROM pg_inherits i JOIN below b ON i.inhparent = b.oid)"
          + " SELECT b.oid::regclass::text, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = b.oid"
          + " AND a.attname = 'organization_id' AND NOT a.attisdropped) FROM below b JOIN pg_class k ON k.oid = b.oid"
          + " WHERE k.relkind IN ('r', 'p') ORDER BY 1")) {
        p.setString(1, '"' + schema + '"');
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            local.add(new Relation(rs.getString(1), rs.getBoolean(2) ? "organization_id" : "id"));
          }
        }
      }
      if (db.isTimescale()) {
        // chunks as TimescaleDB lists them (also those pg_inherits would miss), compressed chunks
        // and compressed hypertables from its catalog
        try (PreparedStatement p = c.prepareStatement(
            "SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks WHERE hypertable_schema = ?"
                + " UNION SELECT format('%I.%I', k.schema_name, k.table_name) FROM _timescaledb_catalog.hypertable h"
                + " JOIN _timescaledb_catalog.chunk k ON k.hypertable_id = h.compressed_hypertable_id WHERE h.schema_name = ?"
                + " UNION SELECT format('%I.%I', ch.schema_name, ch.table_name) FROM _timescaledb_catalog.hypertable h"
                + " JOIN _timescaledb_catalog.hypertable ch ON ch.id = h.compressed_hypertable_id WHERE h.schema_name = ?"
                + " ORDER BY 1")) {
          p.setString(1, schema);
          p.setString(2, schema);
          p.setString(3, schema);
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              String name = rs.getString(1);
              if (local.stream().noneMatch(r -> r.name().equals(name))) {
                local.add(new Relation(name, "organization_id"));
              }
            }
          }
        }
      }
      if (!db.isCitus()) {
        out.add(new Target("node", null, local));
        return out;
      }
      // Citus: every node with placements, the coordinator (group 0) through the usual URL; on each,
      // the shell tables of the schema and the shards placed there
      Map<Integer, String> nodes = new LinkedHashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT groupid, nodename, nodeport FROM pg_dist_node"
              + " WHERE noderole = 'primary' AND isactive ORDER BY groupid")) {
        while (rs.next()) {
          nodes.put(rs.getInt(1), rs.getInt(1) == 0 ? null
              : "jdbc:postgresql://" + rs.getString(2) + ":" + rs.getInt(3) + "/" + databaseName(db));
        }
      }
      nodes.putIfAbsent(0, null);
      for (Map.Entry<Integer, String> node : nodes.entrySet()) {
        List<Relation> relations = new ArrayList<>(node.getKey() == 0 ? local : List.of());
        try (PreparedStatement p = c.prepareStatement("SELECT format('%I.%I', ?, relname) FROM pg_class"
            + " WHERE relnamespace = ?::regnamespace AND relkind IN ('r', 'p') AND relrowsecurity ORDER BY 1")) {
          p.setString(1, schema);
          p.setString(2, '"' + schema + '"');
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              String name = rs.getString(1);
              relations.add(new Relation(name, name.endsWith(".organizations") ? "id" : "organization_id"));
            }
          }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT shard_name(s.logicalrelid, s.shardid), c.relname::text"
            + " FROM pg_dist_shard s JOIN pg_dist_placement pl ON pl.shardid = s.shardid"
            + " JOIN pg_class c ON c.oid = s.logicalrelid"
            + " WHERE c.relnamespace = ?::regnamespace AND pl.groupid = ? ORDER BY 1")) {
          p.setString(1, '"' + schema + '"');
          p.setInt(2, node.getKey());
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              relations.add(new Relation(rs.getString(1), rs.getString(2).equals("organizations") ? "id" : "organization_id"));
            }
          }
        }
        out.add(new Target(node.getKey() == 0 ? "coordinator" : "worker " + node.getValue(), node.getValue(), relations));
      }
    }
    return out;
  }

  private static String databaseName(FleetDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(FleetDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Logs the totals per role (rows of another organization read, rows changed): docs/security.md. */
  private static void logFigures(FleetDatabase db, Map<String, long[]> figures) {
    Map<String, long[]> perRole = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : figures.entrySet()) {
      String role = e.getKey().substring(e.getKey().indexOf(" as ") + 4);
      long[] sum = perRole.computeIfAbsent(role, k -> new long[3]);
      sum[0] += e.getValue()[0];
      sum[1] += e.getValue()[1];
      sum[2]++;
    }
    perRole.forEach((role, sum) -> LOG.warn("measured ({}, {}): {} relations probed as {}: {} rows of another"
        + " organization read, {} rows changed", db.kind(), db.isTimescale() ? "TimescaleDB" : db.isCitus() ? "Citus"
        : "PostgreSQL", sum[2], role, sum[0], sum[1]));
    if (LOG.isDebugEnabled()) {
      figures.forEach((k, v) -> LOG.debug("{}: read {}, changed {}", k, v[0], v[1]));
    }
  }
}
