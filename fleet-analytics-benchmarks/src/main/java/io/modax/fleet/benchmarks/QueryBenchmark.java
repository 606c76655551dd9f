package io.modax.fleet.benchmarks;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.ingest.Location;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The query benchmark: every analysis and dashboard panel of the design, through the library
 * (default mode) and as the design's SQL on the raw table, side by side in one run on the same
 * database, over 30 days, 90 days and a year (and 24 hours for the panels); it prints median and
 * p95 latency per query, the ratio, and whether the library's {@code SEED_COMPATIBLE} answer
 * equals the design's rows; beside the library's time, the query's physical limit ({@code
 * PhysicalLimit}: one round trip plus the index lookups an exact answer cannot avoid).
 *
 * <p>Phases ({@code --phases}, default {@code load,queries}):
 *
 * <ul>
 *   <li>{@code load}: the dataset ({@link FleetDataset}) through the library's writer, unless the
 *       schema already holds it ({@code --reload} forces it); prints the backfill rate;
 *   <li>{@code copy}: raw binary COPY of the same rows into a copy of the schema, for the rate
 *       beside the writer's;
 *   <li>{@code queries}: the table above, in {@code --rounds} alternating rounds;
 *   <li>{@code scaling}: the one-year queries on datasets of 1, 10 and 100 locations (and, with
 *       {@code --scaling-fine}, 10 locations with 1-minute snapshots: five times the rows, the same
 *       buckets), each in its own schema ({@code <schema>_l1}, ...), loaded when missing;
 *   <li>{@code concurrency}: N threads calling a mix of analyses at once through the library's
 *       pool: throughput and latency as N grows, for a few pool sizes;
 *   <li>{@code rls}: the library's queries under its runtime role (row-level security applies, see
 *       {@code FleetSchema.grantRuntimeRole}) and under the connecting role (a superuser: no
 *       row-level security), alternating, on the same data: the cost of the policies;
 *   <li>{@code explain}: {@code EXPLAIN (ANALYZE, BUFFERS)} of the design's one-year SQL;
 *   <li>{@code serve}: keeps the (embedded) database up until killed, for a look with psql.
 * </ul>
 *
 * <p>Default database: an embedded PostgreSQL 15 ({@code --data-dir} keeps it, and the loaded
 * datasets, between runs); {@code --jdbc-url} (with {@code --user}, {@code --password}) names
 * another, e.g. a TimescaleDB. Never a test: run it by hand, see {@code docs/benchmarks.md}.
 */
public final class QueryBenchmark {

  private String jdbcUrl;
  private String user = "postgres";
  private String password = "postgres";
  private String schema = "fleet_bench";
  private Path dataDir;
  private int port;
  private int locations = 100;
  private int days = 365;
  private int interval = 300;
  private long seed = 7;
  private boolean reload;
  private List<String> phases = List.of("load", "queries");
  private int rounds = 3;
  private int librarySamples = 40;
  private int designSamples = 2;
  private boolean design = true;
  private boolean aggregate = true;
  private Pattern only;
  private int[] scaling = {1, 10, 100};
  private int[] threads = {1, 2, 4, 8, 16};
  private int[] pools = {2, 4, 10};
  private int concurrencySeconds = 10;
  private boolean dropAfter;
  private boolean scalingFine;
  private boolean designWarmUp = true;
  private boolean limit = true;

  private QueryBenchmark() {}

  /** Runs the benchmark; see the class comment and {@code --help}. */
  public static void main(String[] args) throws Exception {
    QueryBenchmark b = new QueryBenchmark();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jdbc-url" -> b.jdbcUrl = args[++i];
        case "--user" -> b.user = args[++i];
        case "--password" -> b.password = args[++i];
        case "--schema" -> b.schema = args[++i];
        case "--data-dir" -> b.dataDir = Path.of(args[++i]);
        case "--port" -> b.port = Integer.parseInt(args[++i]);
        case "--locations" -> b.locations = Integer.parseInt(args[++i]);
        case "--days" -> b.days = Integer.parseInt(args[++i]);
        case "--interval" -> b.interval = Integer.parseInt(args[++i]);
        case "--seed" -> b.seed = Long.parseLong(args[++i]);
        case "--reload" -> b.reload = true;
        case "--phases" -> b.phases = List.of(args[++i].split(","));
        case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
        case "--library-samples" -> b.librarySamples = Integer.parseInt(args[++i]);
        case "--design-samples" -> b.designSamples = Integer.parseInt(args[++i]);
        case "--no-design" -> b.design = false;
        case "--no-aggregate" -> b.aggregate = false;
        case "--only" -> b.only = Pattern.compile(args[++i]);
        case "--scaling" -> b.scaling = ints(args[++i]);
        case "--threads" -> b.threads = ints(args[++i]);
        case "--pools" -> b.pools = ints(args[++i]);
        case "--concurrency-seconds" -> b.concurrencySeconds = Integer.parseInt(args[++i]);
        case "--drop-after" -> b.dropAfter = true;
        case "--scaling-fine" -> b.scalingFine = true;
        case "--no-design-warm-up" -> b.designWarmUp = false;
        case "--no-limit" -> b.limit = false;
        default -> {
          System.err.println("unknown option " + args[i] + "; options: --jdbc-url URL --user U --password P"
              + " --schema S --data-dir DIR --port N --locations N --days N --interval SECONDS --seed N"
              + " --reload --phases load,copy,queries,scaling,concurrency,rls,explain --rounds N"
              + " --library-samples N --design-samples N --no-design --no-aggregate --only REGEX"
              + " --no-design-warm-up --no-limit --scaling 1,10,100 --scaling-fine --threads 1,2,4 --pools 2,4,10 --concurrency-seconds N --drop-after");
          System.exit(2);
        }
      }
    }
    if (!b.schema.matches("[a-z_][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException("--schema must be a plain lower-case identifier");
    }
    b.run();
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private void run() throws Exception {
    if (dataDir != null) {
      Files.createDirectories(dataDir.getParent() == null ? dataDir : dataDir.getParent());
    }
    try (BenchDatabase db = BenchDatabase.open(jdbcUrl, user, password, dataDir, port)) {
      System.out.println("database: " + db.describe());
      System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
          + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
          + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; load average at start "
          + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      FleetDataset.Spec spec = new FleetDataset.Spec(locations, days, interval, seed);
      if (phases.contains("load")) {
        ensureLoaded(db, schema, spec);
      }
      if (phases.contains("copy")) {
        copy(db, spec);
      }
      if (phases.contains("explain")) {
        explain(db, spec);
      }
      if (phases.contains("queries")) {
        queries(db, spec);
      }
      if (phases.contains("scaling")) {
        scaling(db);
      }
      if (phases.contains("concurrency")) {
        concurrency(db, spec);
      }
      if (phases.contains("rls")) {
        rowLevelSecurity(db, spec);
      }
      if (phases.contains("serve")) {
        System.out.println("serving " + db.url() + " until killed");
        Thread.sleep(Long.MAX_VALUE);
      }
      if (dropAfter) {
        FleetDataset.drop(db, schema);
        FleetDataset.drop(db, schema + "_design");
        for (int n : scaling) {
          FleetDataset.drop(db, schema + "_l" + n);
        }
        FleetDataset.drop(db, schema + "_l10_1min");
        System.out.println("dropped the benchmark schemas");
      }
    }
  }

  // ------------------------------------------------------------------ load and COPY

  private static void ensureLoaded(BenchDatabase db, String schema, FleetDataset.Spec spec) throws SQLException {
    if (FleetDataset.loaded(db, schema, spec)) {
      System.out.println("dataset: " + spec + " already in schema " + schema + " (" + String.format(Locale.ROOT,
          "%,d", rows(db, schema)) + " fleet_metrics rows)");
      return;
    }
    System.out.println("loading " + spec + " into schema " + schema + " through the library's writer ...");
    FleetDataset.Load load = FleetDataset.load(db, schema, spec);
    System.out.printf(Locale.ROOT, "backfill through the writer: %,d snapshots submitted (%s) in %.1f s:"
            + " %,.0f rows/s; %,d rows stored; events: %s in %.1f s%n",
        load.metrics().submitted(), load.metrics(), load.metricsSeconds(),
        load.metrics().submitted() / load.metricsSeconds(), load.storedRows(), load.events(), load.eventsSeconds());
  }

  private void copy(BenchDatabase db, FleetDataset.Spec spec) throws Exception {
    long stored = rows(db, schema);
    System.out.println("raw binary COPY of the same " + String.format(Locale.ROOT, "%,d", stored)
        + " rows into a fresh copy of the schema ...");
    double s = FleetDataset.rawCopy(db, schema, spec);
    System.out.printf(Locale.ROOT, "raw binary COPY: %,d rows in %.1f s: %,.0f rows/s%n", stored, s, stored / s);
  }

  static long rows(BenchDatabase db, String schema) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".fleet_metrics")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ------------------------------------------------------------------ the query table

  private String shim() {
    return schema + "_design";
  }

  private String prepareDesign(BenchDatabase db, boolean withAggregate) throws SQLException {
    boolean timescale = db.timescale();
    try (Connection c = db.connect()) {
      DesignSql.installShim(c, shim(), FleetDataset.NOW, timescale);
      if (!withAggregate) {
        return null;
      }
      // the design's own daily aggregate (averages of averages), read instead of the raw rows: a
      // continuous aggregate on TimescaleDB, a materialized view on PostgreSQL. TimescaleDB
      // refuses a continuous aggregate on a hypertable under row-level security (V008), so there
      // it is a materialized view too, indexed as the aggregate's own materialization is: reading
      // it costs what reading the continuous aggregate's materialized rows costs.
      long t0 = System.nanoTime();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("SET TIME ZONE 'UTC'");
        String select = " AS"
            + " SELECT " + (timescale ? "time_bucket('1 day', timestamp)" : "date_bin('1 day', timestamp, TIMESTAMPTZ '2000-01-03 00:00:00+00')")
            + " AS day, organization_id, location_id,"
            + " AVG(avg_uptime) as avg_uptime, AVG(avg_efficiency) as avg_efficiency,"
            + " AVG(avg_energy_consumption) as avg_energy_consumption, SUM(total_failures) as total_failures,"
            + " AVG(mtbf) as mtbf, AVG(mttr) as mttr, AVG(oee) as oee"
            + " FROM \"" + schema + "\".fleet_metrics GROUP BY day, organization_id, location_id";
        boolean continuous = false;
        if (timescale) {
          try {
            s.execute("CREATE MATERIALIZED VIEW \"" + shim() + "\".design_daily WITH (timescaledb.continuous)" + select);
            continuous = true;
          } catch (SQLException e) {
            System.out.println("the design's continuous aggregate cannot be created here (" + e.getMessage().trim()
                + "); a plain materialized view of the same query stands in for it");
          }
        }
        if (!continuous) {
          s.execute("CREATE MATERIALIZED VIEW \"" + shim() + "\".design_daily" + select);
          s.execute("CREATE INDEX ON \"" + shim() + "\".design_daily (organization_id, day)");
          s.execute("CREATE INDEX ON \"" + shim() + "\".design_daily (day)");
        }
        s.execute("ANALYZE \"" + shim() + "\".design_daily");
      }
      System.out.printf(Locale.ROOT, "the design's daily aggregate built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      return shim();
    }
  }

  private String[] locationIds(FleetDataset.Spec spec) {
    return spec.fleet().locations().stream().map(Location::id).toArray(String[]::new);
  }

  private void queries(BenchDatabase db, FleetDataset.Spec spec) throws Exception {
    String aggregateShim = prepareDesign(db, design && aggregate);
    DesignSql designSql = DesignSql.load();
    List<QueryCases.Case> cases = new ArrayList<>();
    for (QueryCases.Case c : QueryCases.all(designSql, locationIds(spec), aggregateShim)) {
      if (only == null || only.matcher(c.name() + " " + c.window()).find()) {
        cases.add(c);
      }
    }
    Map<QueryCases.Case, Latency> library = new LinkedHashMap<>();
    Map<QueryCases.Case, Latency> baseline = new LinkedHashMap<>();
    Map<QueryCases.Case, String> checks = new LinkedHashMap<>();
    Map<QueryCases.Case, Latency> limits = new LinkedHashMap<>();
    Latency roundTrip = new Latency();
    String[] ids = locationIds(spec);
    try (Connection limitConnection = db.connect();
        FleetAnalytics lib = FleetDataset.analytics(db, schema).poolSize(4).build();
        FleetAnalytics seedLib = FleetDataset.analytics(db, schema)
            .aggregationMode(AggregationMode.SEED_COMPATIBLE).poolSize(2).build();
        DesignSql.Session session = new DesignSql.Session(db, schema, shim())) {
      for (int round = 1; round <= rounds; round++) {
        System.out.printf(Locale.ROOT, "round %d of %d (load average %.2f)%n", round, rounds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (QueryCases.Case c : cases) {
          Latency l = library.computeIfAbsent(c, k -> new Latency());
          timeLibrary(lib, c, round == 1 ? 20 : 5, l);
          PhysicalLimit.Statement ls = limit ? PhysicalLimit.of(schema, c, ids) : null;
          if (ls != null) {
            timeLimit(limitConnection, ls, round == 1 ? 20 : 5, limits.computeIfAbsent(c, k -> new Latency()));
          }
          if (design && c.design() != null) {
            Latency d = baseline.computeIfAbsent(c, k -> new Latency());
            List<Map<String, Object>> rows = timeDesign(session, c, round == 1 && designWarmUp, d);
            if (round == 1 && c.check() != null) {
              String mismatch = c.check().mismatch(c.library().run(seedLib), rows);
              checks.put(c, mismatch == null ? "equal" : mismatch.startsWith("(") ? "equal " + mismatch
                  : "DIFFERENT: " + mismatch);
            }
          }
          System.out.printf(Locale.ROOT, "  %-52s %-8s library %8.2f ms   limit %6.2f ms   design %10.1f ms%n",
              c.name(), c.window(), library.get(c).median(), limits.containsKey(c) ? limits.get(c).median()
                  : Double.NaN, baseline.containsKey(c) ? baseline.get(c).median() : Double.NaN);
        }
        if (limit) {
          timeLimit(limitConnection, PhysicalLimit.roundTrip(), round == 1 ? 200 : 50, roundTrip);
        }
      }
    }
    printTable(cases, library, baseline, checks, limits);
    if (limit) {
      System.out.println("round trip alone (SELECT 1 on one connection): median " + ms(roundTrip.median())
          + " ms, p95 " + ms(roundTrip.p95()) + " ms");
      System.out.println();
    }
    List<String> different = new ArrayList<>();
    checks.forEach((c, v) -> {
      if (v.startsWith("DIFFERENT")) {
        different.add(c.name() + " (" + c.window() + "): " + v);
      }
    });
    if (!different.isEmpty()) {
      System.err.println("FAILED: the SEED_COMPATIBLE answer differs from the design's SQL for "
          + different.size() + " queries:");
      different.forEach(d -> System.err.println("  " + d));
      System.exit(1);
    }
    System.out.println("SEED_COMPATIBLE answers equal the design's SQL answers: " + checks.size() + " of "
        + checks.size() + " compared");
  }

  private void timeLibrary(FleetAnalytics lib, QueryCases.Case c, int warmUp, Latency into) {
    for (int i = 0; i < warmUp; i++) {
      c.library().run(lib);
    }
    long until = System.nanoTime() + 3_000_000_000L;
    for (int i = 0; i < librarySamples && (i < 5 || System.nanoTime() < until); i++) {
      long t0 = System.nanoTime();
      c.library().run(lib);
      into.add(System.nanoTime() - t0);
    }
  }

  private void timeLimit(Connection c, PhysicalLimit.Statement st, int warmUp, Latency into) throws SQLException {
    for (int i = 0; i < warmUp; i++) {
      PhysicalLimit.run(c, st);
    }
    int samples = Math.max(librarySamples, st.parameters().isEmpty() ? 200 : 0);
    long until = System.nanoTime() + 3_000_000_000L;
    for (int i = 0; i < samples && (i < 5 || System.nanoTime() < until); i++) {
      long t0 = System.nanoTime();
      PhysicalLimit.run(c, st);
      into.add(System.nanoTime() - t0);
    }
  }

  private List<Map<String, Object>> timeDesign(DesignSql.Session s, QueryCases.Case c, boolean warmUp, Latency into)
      throws SQLException {
    List<Map<String, Object>> rows = null;
    if (warmUp) {
      rows = c.design().run(s);
    }
    long until = System.nanoTime() + 20_000_000_000L;
    for (int i = 0; i < designSamples && (i < 1 || System.nanoTime() < until); i++) {
      long t0 = System.nanoTime();
      rows = c.design().run(s);
      into.add(System.nanoTime() - t0);
    }
    return rows;
  }

  private static void printTable(List<QueryCases.Case> cases, Map<QueryCases.Case, Latency> library,
      Map<QueryCases.Case, Latency> baseline, Map<QueryCases.Case, String> checks,
      Map<QueryCases.Case, Latency> limits) {
    System.out.println();
    System.out.println("| query | window | library median ms | library p95 ms | physical limit median ms"
        + " | library / limit | baseline | baseline median ms"
        + " | baseline p95 ms | baseline / library | SEED_COMPATIBLE answer |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |");
    for (QueryCases.Case c : cases) {
      Latency l = library.get(c);
      Latency d = baseline.get(c);
      Latency m = limits.get(c);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", c.name(),
          c.window(), ms(l.median()), ms(l.p95()), m == null ? "-" : ms(m.median()),
          m == null ? "-" : ratio(l.median() / m.median()), c.baseline() == null ? "none (the design has no SQL for it)" : c.baseline(),
          d == null ? "-" : ms(d.median()), d == null ? "-" : ms(d.p95()),
          d == null ? "-" : ratio(d.median() / l.median()), checks.getOrDefault(c, "-"));
    }
    System.out.println();
  }

  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(double r) {
    return r >= 100 ? String.format(Locale.ROOT, "%,.0fx", r) : String.format(Locale.ROOT, "%.1fx", r);
  }

  // ------------------------------------------------------------------ scaling

  private void scaling(BenchDatabase db) throws Exception {
    List<String> names = new ArrayList<>();
    List<String> schemas = new ArrayList<>();
    List<FleetDataset.Spec> specs = new ArrayList<>();
    for (int n : scaling) {
      FleetDataset.Spec s = new FleetDataset.Spec(n, days, interval, seed);
      specs.add(s);
      schemas.add(n == locations ? schema : schema + "_l" + n);
      names.add(n + (n == 1 ? " location" : " locations"));
    }
    if (scalingFine) {
      FleetDataset.Spec fine = new FleetDataset.Spec(10, days, 60, seed);
      specs.add(fine);
      schemas.add(schema + "_l10_1min");
      names.add("10 locations, 1-minute snapshots");
    }
    for (int i = 0; i < specs.size(); i++) {
      ensureLoaded(db, schemas.get(i), specs.get(i));
    }
    DesignSql designSql = DesignSql.load();
    Pattern yearly = Pattern.compile("1 year");
    Map<String, Map<String, double[]>> table = new LinkedHashMap<>();
    long[] rowCounts = new long[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      int idx = i;
      String sch = schemas.get(i);
      rowCounts[i] = rows(db, sch);
      String sh = sch + "_design";
      try (Connection c = db.connect()) {
        DesignSql.installShim(c, sh, FleetDataset.NOW, db.timescale());
      }
      List<QueryCases.Case> cases = QueryCases.all(designSql, locationIds(specs.get(i)), null).stream()
          .filter(c -> yearly.matcher(c.window()).find() && !"design's daily aggregate".equals(c.baseline()))
          // the benchmarked location (B) is not in a one-location fleet
          .filter(c -> specs.get(idx).locations() > 1 || !c.name().startsWith("location benchmark"))
          .filter(c -> only == null || only.matcher(c.name() + " " + c.window()).find())
          .toList();
      try (FleetAnalytics lib = FleetDataset.analytics(db, sch).poolSize(2).build();
          DesignSql.Session session = new DesignSql.Session(db, sch, sh)) {
        for (QueryCases.Case c : cases) {
          Latency l = new Latency();
          timeLibrary(lib, c, 20, l);
          double designMedian = Double.NaN;
          if (design && c.design() != null && (c.name().startsWith("location comparison")
              || c.name().equals("failure trends, monthly") || c.name().equals("fleet health gauge"))) {
            Latency d = new Latency();
            timeDesign(session, c, true, d);
            designMedian = d.median();
          }
          table.computeIfAbsent(c.name() + " (" + c.window() + ")", k -> new LinkedHashMap<>())
              .put(names.get(i), new double[] {l.median(), designMedian});
          System.out.printf(Locale.ROOT, "  %-34s %-52s library %8.2f ms   design %10.1f ms%n", names.get(i),
              c.name(), l.median(), designMedian);
        }
      }
      FleetDataset.drop(db, sh);
    }
    System.out.println();
    StringBuilder head = new StringBuilder("| query (library median ms; design SQL in brackets) |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (int i = 0; i < names.size(); i++) {
      head.append(' ').append(names.get(i)).append(String.format(Locale.ROOT, " (%,d rows) |", rowCounts[i]));
      rule.append(" ---: |");
    }
    System.out.println(head);
    System.out.println(rule);
    table.forEach((q, byDataset) -> {
      StringBuilder b = new StringBuilder("| ").append(q).append(" |");
      for (String n : names) {
        double[] v = byDataset.get(n);
        b.append(' ').append(v == null ? "-" : ms(v[0]) + (Double.isNaN(v[1]) ? "" : " [" + ms(v[1]) + "]")).append(" |");
      }
      System.out.println(b);
    });
    System.out.println();
  }

  // ------------------------------------------------------------------ concurrency

  private void concurrency(BenchDatabase db, FleetDataset.Spec spec) throws Exception {
    DesignSql designSql = DesignSql.load();
    List<QueryCases.Case> mix = new ArrayList<>();
    for (QueryCases.Case c : QueryCases.all(designSql, locationIds(spec), null)) {
      String key = c.name() + " / " + c.window();
      if (key.equals("location comparison (all locations) / 1 year")
          || key.equals("best performers (OEE, top 5) / 30 days")
          || key.equals("failure trends, monthly / 1 year")
          || key.equals("location benchmark (" + QueryCases.BENCHMARKED + ") / 30 days")
          || key.equals("fleet health gauge / 24 h")
          || key.startsWith("whole dashboard")) {
        mix.add(c);
      }
    }
    System.out.println("concurrency mix: " + mix.stream().map(c -> c.name() + " (" + c.window() + ")").toList());
    System.out.println();
    System.out.println("| pool size | threads | calls/s | median ms | p95 ms | p99 ms |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int pool : pools) {
      try (FleetAnalytics lib = FleetDataset.analytics(db, schema).poolSize(pool).build()) {
        for (QueryCases.Case c : mix) {
          for (int i = 0; i < 10; i++) {
            c.library().run(lib);
          }
        }
        for (int n : threads) {
          Latency all = new Latency();
          long[] calls = new long[n];
          Latency[] per = new Latency[n];
          AtomicBoolean stop = new AtomicBoolean();
          CountDownLatch start = new CountDownLatch(1);
          List<Thread> workers = new ArrayList<>();
          for (int t = 0; t < n; t++) {
            int id = t;
            per[t] = new Latency();
            Thread w = new Thread(() -> {
              try {
                start.await();
              } catch (InterruptedException e) {
                return;
              }
              int k = id;
              while (!stop.get()) {
                QueryCases.Case c = mix.get(k++ % mix.size());
                long t0 = System.nanoTime();
                c.library().run(lib);
                per[id].add(System.nanoTime() - t0);
                calls[id]++;
              }
            });
            w.start();
            workers.add(w);
          }
          long t0 = System.nanoTime();
          start.countDown();
          Thread.sleep(concurrencySeconds * 1000L);
          stop.set(true);
          for (Thread w : workers) {
            w.join();
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          long total = 0;
          for (int t = 0; t < n; t++) {
            total += calls[t];
            all.addAll(per[t]);
          }
          System.out.printf(Locale.ROOT, "| %d | %d | %,.0f | %s | %s | %s |%n", pool, n, total / seconds,
              ms(all.median()), ms(all.p95()), ms(all.millis(0.99)));
        }
      }
    }
    System.out.println();
  }

  // ------------------------------------------------------------------ row-level security

  /** The runtime role the {@code rls} phase creates (login, password as its name). */
  static final String RUNTIME_ROLE = "fleet_bench_runtime";

  private void rowLevelSecurity(BenchDatabase db, FleetDataset.Spec spec) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new IllegalStateException("the rls phase compares with the connecting role, which must be a"
              + " superuser or have BYPASSRLS");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + RUNTIME_ROLE + "'")) {
        if (!rs.next()) {
          s.execute("CREATE ROLE " + RUNTIME_ROLE + " LOGIN PASSWORD '" + RUNTIME_ROLE + "'");
        }
      }
    }
    org.postgresql.ds.PGSimpleDataSource owner = new org.postgresql.ds.PGSimpleDataSource();
    owner.setUrl(db.url());
    owner.setUser(db.user());
    owner.setPassword(db.password());
    io.modax.fleet.schema.FleetSchema.of(owner, schema).grantRuntimeRole(RUNTIME_ROLE);
    List<QueryCases.Case> cases = new ArrayList<>();
    for (QueryCases.Case c : QueryCases.all(DesignSql.load(), locationIds(spec), null)) {
      if (only == null || only.matcher(c.name() + " " + c.window()).find()) {
        cases.add(c);
      }
    }
    Map<QueryCases.Case, Latency> underRls = new LinkedHashMap<>();
    Map<QueryCases.Case, Latency> bypass = new LinkedHashMap<>();
    try (FleetAnalytics runtime = FleetAnalytics.builder(db.url(), RUNTIME_ROLE, RUNTIME_ROLE).schema(schema)
            .schemaAction(io.modax.fleet.schema.SchemaAction.VALIDATE)
            .timescale(io.modax.fleet.schema.TimescaleMode.AUTO)
            .clock(java.time.Clock.fixed(FleetDataset.NOW, java.time.ZoneOffset.UTC))
            .retentionHorizon(java.time.Duration.ofDays(36_500)).poolSize(4).build();
        FleetAnalytics superuser = FleetDataset.analytics(db, schema).poolSize(4).build()) {
      for (int round = 1; round <= rounds; round++) {
        System.out.printf(Locale.ROOT, "row-level security, round %d of %d (load average %.2f)%n", round, rounds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (QueryCases.Case c : cases) {
          // alternate which goes first, so that neither always runs on a cache the other warmed
          boolean rlsFirst = round % 2 == 1;
          for (int k = 0; k < 2; k++) {
            boolean rls = (k == 0) == rlsFirst;
            timeLibrary(rls ? runtime : superuser, c, round == 1 ? 10 : 3,
                (rls ? underRls : bypass).computeIfAbsent(c, x -> new Latency()));
          }
        }
      }
    }
    System.out.println();
    System.out.println("| query | window | runtime role, RLS, median ms | p95 ms | superuser, no RLS, median ms"
        + " | p95 ms | RLS / no RLS |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    double logSum = 0;
    double worst = 0;
    for (QueryCases.Case c : cases) {
      Latency r = underRls.get(c);
      Latency b = bypass.get(c);
      double ratio = r.median() / b.median();
      logSum += Math.log(ratio);
      worst = Math.max(worst, ratio);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.2fx |%n", c.name(), c.window(),
          ms(r.median()), ms(r.p95()), ms(b.median()), ms(b.p95()), ratio);
    }
    System.out.printf(Locale.ROOT, "%nrow-level security cost: geometric mean of the ratios %.2fx, largest %.2fx"
        + " (target <= 1.20x)%n%n", Math.exp(logSum / cases.size()), worst);
  }

  // ------------------------------------------------------------------ plans

  private void explain(BenchDatabase db, FleetDataset.Spec spec) throws Exception {
    prepareDesign(db, false);
    DesignSql designSql = DesignSql.load();
    String[] ids = locationIds(spec);
    try (DesignSql.Session s = new DesignSql.Session(db, schema, shim())) {
      System.out.println("-- design: compare_locations over a year");
      System.out.println(s.explain(designSql.method("compare_locations"),
          Map.of(1, FleetDataset.ORG, 2, ids, 3, QueryCases.start(365), 4, FleetDataset.NOW)));
      System.out.println("-- design: analyze_failure_trends monthly over a year");
      System.out.println(s.explain(designSql.method("analyze_failure_trends").replace("{interval}", "1 month"),
          Map.of(1, FleetDataset.ORG)));
    }
  }
}
