package io.modax.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.internal.schema.MigrationScripts;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing was lost in the squash: a schema installed from the baseline, the numbered migrations
 * after it and the definitions equals, object by object, one migrated the old way with V001-V016
 * (V016 is the numbered one, V015 the one that defined its functions itself; kept as test resources
 * under {@code io/modax/fleet/schema/legacy/} for this comparison only), and both give the same answers on the
 * sample fleet. Then the old schema is upgraded the way an existing installation is (the
 * definitions only) and compared again.
 *
 * <p>Not on Citus: there the old migrations' functions were rewritten after distribution, which
 * this single-node comparison does not reproduce.
 */
@ExtendWith(FleetDatabaseExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BaselineEquivalenceTest {

  static final String LEGACY = "fleet_eq_legacy";
  static final String BASELINE = "fleet_eq_baseline";
  static final Instant END = Instant.parse("2026-06-17T10:35:00Z");
  static final CallerContext ADMIN = CallerContext.of("test", SampleFleet.ORGANIZATION_ID, Role.ADMIN);
  static final String ORG = SampleFleet.ORGANIZATION_ID;
  /** Relative tolerance for sums of doubles that may be added in another order. */
  static final double TOLERANCE = 1e-9;

  /**
   * The two functions that are PL/pgSQL now on every backend (they were on Citus already); the
   * first also keeps a generic plan (plans.sql). Their language and settings are left out of the
   * comparison of signatures.
   */
  static final Set<String> NOW_PLPGSQL = Set.of("fleet_metrics_component_sums", "fleet_local_days_of_hours");

  static SampleFleet sample;

  @BeforeAll
  static void install(FleetDatabase db) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")) {
      rs.next();
      Assumptions.assumeTrue(rs.getInt(1) == 0, "the old migrations are compared on a single node");
    }
    dropSchemas(db.dataSource());
    installLegacy(db.dataSource(), LEGACY);
    FleetSchema.of(db.dataSource(), BASELINE).migrate(TimescaleMode.AUTO);
    sample = SampleFleet.builder().end(END).build(); // the design fleet, ending at a fixed instant
  }

  @AfterAll
  static void dropSchemas(FleetDatabase db) throws SQLException {
    dropSchemas(db.dataSource());
  }

  @Test
  @Order(1)
  void theBaselineCreatesTheSameTablesIndexesPoliciesTriggersAndFunctionSignatures(FleetDatabase db)
      throws SQLException {
    Map<String, List<String>> legacy = sinceTheSquash(catalog(db.dataSource(), LEGACY, false));
    Map<String, List<String>> baseline = catalog(db.dataSource(), BASELINE, false);
    assertThat(baseline.keySet()).isEqualTo(legacy.keySet());
    for (String part : legacy.keySet()) {
      assertThat(baseline.get(part)).as(part).isNotEmpty().containsExactlyElementsOf(legacy.get(part));
    }
    // the same, after the role helpers granted a runtime role, an organization reader and a
    // fleet reader on both schemas (privileges, default privileges and the helpers' policies)
    List<String> roles = List.of("fleet_eq_runtime", "fleet_eq_reader", "fleet_eq_admin");
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String r : roles) {
        s.execute("DROP ROLE IF EXISTS " + r);
        s.execute("CREATE ROLE " + r + " NOLOGIN");
      }
    }
    try {
      for (String schema : List.of(LEGACY, BASELINE)) {
        FleetSchema f = FleetSchema.of(db.dataSource(), schema);
        f.grantRuntimeRole(roles.get(0));
        f.grantOrganizationReader(roles.get(1), ORG);
        f.grantFleetReader(roles.get(2));
      }
      Map<String, List<String>> legacyGranted = sinceTheSquash(catalog(db.dataSource(), LEGACY, false));
      Map<String, List<String>> baselineGranted = catalog(db.dataSource(), BASELINE, false);
      assertThat(legacyGranted.get("privileges")).isNotEqualTo(legacy.get("privileges"));
      for (String part : legacyGranted.keySet()) {
        assertThat(baselineGranted.get(part)).as(part + " after the grants")
            .containsExactlyElementsOf(legacyGranted.get(part));
      }
    } finally {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (String schema : List.of(LEGACY, BASELINE)) {
          for (String r : roles) {
            FleetSchema.of(db.dataSource(), schema).revokeRole(r);
          }
        }
        for (String r : roles) {
          s.execute("DROP ROLE IF EXISTS " + r);
        }
      }
    }
  }

  @Test
  @Order(2)
  void theSampleFleetGivesTheSameRollupsWindowSumsAndAnalyses(FleetDatabase db) throws SQLException {
    for (String schema : List.of(LEGACY, BASELINE)) {
      try (FleetAnalytics fleet = analytics(db, schema)) {
        sample.load(fleet);
      }
    }
    assertSameAnswers(db);
  }

  @Test
  @Order(3)
  void anInstallationMigratedTheOldWayUpgradesToTheDefinitionsOnly(FleetDatabase db) throws SQLException {
    FleetSchema legacy = FleetSchema.of(db.dataSource(), LEGACY);
    assertThat(legacy.status().installedVersion()).isEqualTo(MigrationScripts.latestVersion());
    assertThat(legacy.status().isCurrent()).isFalse(); // its functions are the old migrations'

    SchemaStatus upgraded = legacy.migrate(TimescaleMode.AUTO);

    assertThat(upgraded.appliedNow()).isEmpty();
    assertThat(upgraded.isCurrent()).isTrue();
    assertThat(legacy.validate().isCurrent()).isTrue();
    // now equal to the letter, function bodies included
    assertThat(catalog(db.dataSource(), LEGACY, true)).isEqualTo(catalog(db.dataSource(), BASELINE, true));
    // and the new functions maintain what the old ones built: late rows and a correction
    for (String schema : List.of(LEGACY, BASELINE)) {
      try (FleetAnalytics fleet = analytics(db, schema);
          Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("BEGIN");
        s.execute("SELECT set_config('fleet_analytics.organization_id', '" + ORG + "', true)");
        // other SQL than the writer: marked dirty by the trigger, folded in before the next read
        s.execute("UPDATE \"" + schema + "\".fleet_metrics SET oee = oee / 2"
            + " WHERE \"timestamp\" >= '2026-05-03 21:10:00+00' AND \"timestamp\" < '2026-05-04 02:20:00+00'");
        s.execute("DELETE FROM \"" + schema + "\".fleet_metrics"
            + " WHERE \"timestamp\" >= '2026-04-30 23:40:00+00' AND \"timestamp\" < '2026-05-01 00:40:00+00'");
        s.execute("COMMIT");
        fleet.fleetAnalyzer().overview(ADMIN, ORG); // folds the dirty hours in
      }
    }
    assertSameAnswers(db);
  }

  // ------------------------------------------------------------------ answers

  private void assertSameAnswers(FleetDatabase db) throws SQLException {
    DataSource ds = db.dataSource();
    for (String table : List.of("fleet_metrics_hourly", "fleet_metrics_daily", "fleet_metrics_weekly",
        "fleet_metrics_monthly")) {
      String q = "SELECT * FROM \"%s\"." + table + " ORDER BY 1, 2, 3";
      assertSameRows(rows(ds, q.formatted(LEGACY)), rows(ds, q.formatted(BASELINE)), table);
    }
    Instant[][] windows = {
      {END.minus(Duration.ofDays(89)), END},                                   // every level, minute edges
      {Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")}, // whole UTC months
      {Instant.parse("2026-05-04T18:30:00Z"), Instant.parse("2026-05-11T18:30:00Z")}, // Kolkata's week
      {Instant.parse("2026-05-20T06:07:00Z"), Instant.parse("2026-05-20T07:53:00Z")}, // sub-day
    };
    for (Instant[] w : windows) {
      String q = "SELECT * FROM \"%s\".fleet_window_sums(?, NULL, ?, ?) ORDER BY 1";
      assertSameRows(rows(ds, q.formatted(LEGACY), ORG, w[0], w[1]),
          rows(ds, q.formatted(BASELINE), ORG, w[0], w[1]), "fleet_window_sums " + w[0] + " " + w[1]);
    }
    List<String> ids = sample.locations().stream().map(l -> l.id()).toList();
    Map<String, List<String>> answers = new LinkedHashMap<>();
    for (String schema : List.of(LEGACY, BASELINE)) {
      List<String> a = new ArrayList<>();
      try (FleetAnalytics fleet = analytics(db, schema)) {
        for (Instant[] w : windows) {
          a.add(fleet.fleetAnalyzer().compareLocations(ADMIN, ORG, ids, w[0], w[1]).toString());
        }
        a.add(fleet.fleetAnalyzer().overview(ADMIN, ORG).toString());
        for (TrendPeriod p : TrendPeriod.values()) {
          a.add(fleet.trendAnalyzer().failureTrends(ADMIN, ORG, p).toString());
        }
      }
      answers.put(schema, a);
    }
    List<String> legacy = answers.get(LEGACY);
    List<String> baseline = answers.get(BASELINE);
    for (int i = 0; i < legacy.size(); i++) {
      assertSameNumbers(baseline.get(i), legacy.get(i));
    }
  }

  /** Two renderings of an answer agree to the letter but for doubles within the tolerance. */
  private static void assertSameNumbers(String actual, String expected) {
    String number = "-?[0-9]+\\.[0-9]+(E-?[0-9]+)?";
    assertThat(actual.replaceAll(number, "#")).isEqualTo(expected.replaceAll(number, "#"));
    java.util.regex.Matcher a = java.util.regex.Pattern.compile(number).matcher(actual);
    java.util.regex.Matcher e = java.util.regex.Pattern.compile(number).matcher(expected);
    while (e.find()) {
      assertThat(a.find()).isTrue();
      assertClose(Double.parseDouble(a.group()), Double.parseDouble(e.group()), expected);
    }
  }

  private static void assertSameRows(List<List<Object>> expected, List<List<Object>> actual, String what) {
    assertThat(actual).as(what + ": rows").hasSameSizeAs(expected);
    assertThat(expected).as(what).isNotEmpty();
    for (int r = 0; r < expected.size(); r++) {
      List<Object> e = expected.get(r);
      List<Object> a = actual.get(r);
      for (int i = 0; i < e.size(); i++) {
        if (e.get(i) instanceof Double d && a.get(i) instanceof Double x) {
          assertClose(x, d, what + " row " + e.subList(0, 3));
        } else {
          assertThat(a.get(i)).as(what + " row " + e.subList(0, 3) + " column " + (i + 1)).isEqualTo(e.get(i));
        }
      }
    }
  }

  private static void assertClose(double actual, double expected, String what) {
    assertThat(Math.abs(actual - expected))
        .as(what + ": " + actual + " vs " + expected)
        .isLessThanOrEqualTo(TOLERANCE * Math.max(1.0, Math.abs(expected)));
  }

  private static List<List<Object>> rows(DataSource ds, String sql, Object... args) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT set_config('fleet_analytics.organization_id', '" + ORG + "', true)");
      }
      try (PreparedStatement p = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          p.setObject(i + 1, args[i] instanceof Instant t ? Timestamp.from(t) : args[i]);
        }
        try (ResultSet rs = p.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              row.add(rs.getObject(i));
            }
            out.add(row);
          }
        }
      }
      c.rollback();
    }
    return out;
  }

  private static FleetAnalytics analytics(FleetDatabase db, String schema) {
    return FleetAnalytics.builder(db.dataSource()).schema(schema).schemaAction(SchemaAction.NONE)
        .clock(Clock.fixed(END, ZoneOffset.UTC)).build();
  }

  // ------------------------------------------------------------------ catalog

  /**
   * Each part of a schema's catalog, as sorted lines with the schema's name replaced: columns,
   * constraints, indexes, relations (kind, row-level security, options), privileges (tables,
   * views, sequences, functions, the schema's default privileges), policies, triggers, views,
   * function signatures (arguments, result, volatility, parallel safety, settings, security; the
   * language and settings too, but for {@link #NOW_PLPGSQL}) and, with {@code bodies}, function definitions.
   * The migration history differs by design and is left out.
   */
  static Map<String, List<String>> catalog(DataSource ds, String schema, boolean bodies) throws SQLException {
    String n = "'\"" + schema + "\"'::regnamespace";
    String notHistory = " AND c.relname <> 'fleet_schema_history'";
    Map<String, String> q = new LinkedHashMap<>();
    q.put("columns", "SELECT c.relname || '.' || a.attname || ':' || a.attnum || ':' || format_type(a.atttypid, a.atttypmod)"
        + " || ':' || a.attnotnull || ':' || a.attidentity::text || ':' || a.attgenerated::text || ':'"
        + " || coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        + " WHERE c.relnamespace = " + n + " AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped"
        + notHistory);
    q.put("constraints", "SELECT c.relname || ':' || k.conname || ':' || pg_get_constraintdef(k.oid)"
        + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = " + n + notHistory);
    q.put("indexes", "SELECT c.relname || ':' || pg_get_indexdef(i.indexrelid) FROM pg_index i"
        + " JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = " + n + notHistory);
    q.put("relations", "SELECT c.relname || ':' || c.relkind::text || ':' || c.relrowsecurity || ':' || c.relforcerowsecurity"
        + " || ':' || c.relispartition || ':' || coalesce(pg_get_expr(c.relpartbound, c.oid), '')"
        + " || ':' || coalesce(array_to_string(c.reloptions, ','), '') || ':' || coalesce(obj_description(c.oid, 'pg_class'), '')"
        + " FROM pg_class c WHERE c.relnamespace = " + n + notHistory + " AND c.relkind <> 'i'");
    q.put("privileges", "SELECT 'relation ' || c.relname || ':' || coalesce(c.relacl::text, '') FROM pg_class c"
        + " WHERE c.relnamespace = " + n + notHistory + " AND c.relkind <> 'i'"
        + " UNION ALL SELECT 'function ' || p.proname || ':' || coalesce(p.proacl::text, '') FROM pg_proc p"
        + " WHERE p.pronamespace = " + n
        + " UNION ALL SELECT 'default ' || d.defaclobjtype::text || ':' || d.defaclacl::text FROM pg_default_acl d"
        + " WHERE d.defaclnamespace = " + n
        + " UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ':' || a.attacl::text FROM pg_attribute a"
        + " JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = " + n + " AND a.attacl IS NOT NULL");
    q.put("policies", "SELECT c.relname || ':' || p.polname || ':' || p.polpermissive || ':' || p.polcmd::text || ':'"
        + " || array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END FROM unnest(p.polroles) r ORDER BY 1), ',')"
        + " || ':' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ':' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')"
        + " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = " + n);
    q.put("triggers", "SELECT c.relname || ':' || pg_get_triggerdef(t.oid) || ':' || t.tgenabled::text FROM pg_trigger t"
        + " JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = " + n + " AND NOT t.tgisinternal");
    q.put("views", "SELECT c.relname || ':' || pg_get_viewdef(c.oid) FROM pg_class c"
        + " WHERE c.relnamespace = " + n + " AND c.relkind IN ('v', 'm')");
    q.put("functions", "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '"
        + " || pg_get_function_result(p.oid) || ':' || CASE WHEN p.proname IN ('"
        + String.join("', '", NOW_PLPGSQL) + "') THEN '' ELSE l.lanname END || ':' || p.provolatile::text"
        + " || ':' || p.proparallel::text || ':' || CASE WHEN p.proname IN ('" + String.join("', '", NOW_PLPGSQL)
        + "') THEN '' ELSE coalesce(p.proconfig::text, '') END || ':' || p.prosecdef || ':' || p.proisstrict"
        + " FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.pronamespace = " + n);
    if (bodies) {
      q.put("bodies", "SELECT p.proname || ':' || pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = " + n);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (Map.Entry<String, String> e : q.entrySet()) {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(e.getValue() + " ORDER BY 1")) {
          while (rs.next()) {
            lines.add(rs.getString(1).replace(schema, "S"));
          }
        }
        out.put(e.getKey(), lines);
      }
    }
    return out;
  }

  /**
   * The legacy catalog with the changes made to the definitions since the squash, each named here
   * with its reason, so that the comparison still shows that the squash lost nothing and that
   * nothing else changed. (The last test compares the upgraded legacy schema with no such help.)
   * <ul>
   *   <li>{@code fleet_window_raw_sums}: sequential scans off, so that the writer's append on a chunk
   *       without statistics reads each piece by an index range (docs/benchmarks.md, "The writer's
   *       append path was quadratic on fresh chunks").
   *   <li>{@code fleet_window_raw_sums}: its statement kept parsed and planned on every call with the
   *       values as constants ({@code plan_cache_mode = force_custom_plan}), each piece summed in its
   *       own LATERAL subquery instead of one sort of all the rows (docs/benchmarks.md, "Window sums,
   *       third round").
   * </ul>
   */
  private static Map<String, List<String>> sinceTheSquash(Map<String, List<String>> legacy) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>(legacy);
    out.put("functions", legacy.get("functions").stream()
        .map(f -> f.startsWith("fleet_window_raw_sums(")
            ? f.replace("enable_mergejoin=off,max_parallel", "enable_mergejoin=off,enable_seqscan=off,max_parallel")
                .replace("enable_chunk_append=off,enable_hashjoin", "enable_chunk_append=off,plan_cache_mode=force_custom_plan,enable_hashjoin")
            : f)
        .toList());
    return out;
  }

  // ------------------------------------------------------------------ the old way

  /**
   * V001-V016 as they were applied before the baseline, with the history they recorded, then the
   * numbered migrations after them (none yet) but not the definitions.
   */
  static void installLegacy(DataSource ds, String schema) throws SQLException, IOException {
    String q = "\"" + schema + "\"";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("CREATE SCHEMA " + q);
      s.execute("CREATE TABLE " + q + ".fleet_schema_history (version INTEGER PRIMARY KEY,"
          + " description TEXT NOT NULL, script TEXT NOT NULL, checksum CHAR(64) NOT NULL,"
          + " installed_at TIMESTAMPTZ NOT NULL DEFAULT now(), installed_by TEXT NOT NULL DEFAULT current_user,"
          + " execution_ms INTEGER NOT NULL)");
      String[] files = {"V001__fleet_hierarchy.sql", "V002__fleet_metrics.sql", "V003__maintenance_events.sql",
          "V004__rollups.sql", "V005__ingest_quarantine.sql", "V006__window_sums.sql", "V007__ingest_batches.sql",
          "V008__row_level_security.sql", "V009__window_rollups.sql", "V010__whole_hour_window_sums.sql",
          "V011__coarse_window_sums_where_raw_is_kept.sql", "V012__planned_once_window_sums.sql",
          "V013__rollup_writes_under_row_security.sql", "V014__raw_time_partitions.sql",
          "V015__storage_isolation_and_writer_locks.sql", "V016__quarantine_natural_key.sql"};
      for (int v = 1; v <= files.length; v++) {
        String template;
        try (InputStream in = BaselineEquivalenceTest.class.getResourceAsStream(
            "/io/modax/fleet/schema/legacy/" + files[v - 1])) {
          template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        s.execute(template.replace(MigrationScripts.SCHEMA_PLACEHOLDER, q));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + q + ".fleet_schema_history"
            + " (version, description, script, checksum, execution_ms) VALUES (?, ?, ?, ?, 0)")) {
          p.setInt(1, v);
          p.setString(2, files[v - 1]);
          p.setString(3, files[v - 1]);
          p.setString(4, sha256(template));
          p.executeUpdate();
        }
      }
      // the numbered migrations after the old ones, as an installation at V016 gets them
      for (MigrationScripts.Migration m : MigrationScripts.all()) {
        if (m.version() > files.length) {
          s.execute(m.render(schema));
          try (PreparedStatement p = c.prepareStatement("INSERT INTO " + q + ".fleet_schema_history"
              + " (version, description, script, checksum, execution_ms) VALUES (?, ?, ?, ?, 0)")) {
            p.setInt(1, m.version());
            p.setString(2, m.description());
            p.setString(3, m.script());
            p.setString(4, m.checksum());
            p.executeUpdate();
          }
        }
      }
      c.commit();
    }
  }

  private static void dropSchemas(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + LEGACY + " CASCADE");
      s.execute("DROP SCHEMA IF EXISTS " + BASELINE + " CASCADE");
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
