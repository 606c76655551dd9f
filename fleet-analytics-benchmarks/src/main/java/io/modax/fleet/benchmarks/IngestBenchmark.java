package io.modax.fleet.benchmarks;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.FleetWriter;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.WriteReport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The ingest benchmark: loads the same rows into the same {@code fleet_metrics} table four ways,
 * one after another in one run, and prints rows per second and the ratio to raw binary COPY.
 *
 * <ol>
 *   <li><b>writer</b>: {@code FleetWriter.writeMetrics} in chunks of {@code --batch} rows, with
 *       everything it does (validation, de-duplication, binary COPY into a staging table, the
 *       idempotent upsert with counts, quarantine, rollup refresh, exactly-once bookkeeping);
 *   <li><b>raw binary COPY</b>: {@code COPY fleet_metrics FROM STDIN (FORMAT binary)}, one
 *       transaction per batch, nothing else;
 *   <li><b>batched inserts</b>: a prepared {@code INSERT}, {@code addBatch} per row, {@code
 *       executeBatch} every 1,000 rows, on a connection with {@code reWriteBatchedInserts=true};
 *   <li><b>row-by-row</b>: the same {@code INSERT}, {@code executeUpdate} per row.
 * </ol>
 *
 * The baselines run with the rollup-dirty trigger off ({@code fleet_analytics.rollups_maintained
 * = on}, as the writer's own transactions do), so they pay for no rollup work at all. The table
 * is truncated before each method. Rows are generated once, before any timing. The first three
 * methods run in {@code --rounds} alternating rounds (default 3) and the table shows each one's
 * median round (and the fastest and slowest); row-by-row runs once.
 *
 * <p>{@code --stream-rows N} instead writes N generated rows through the writer from a lazy
 * {@link Iterator} (never held in memory) and prints the heap's peak use: run it with {@code
 * -Xmx256m} to show bounded memory.
 *
 * <p>Default database: an embedded PostgreSQL started here; {@code --jdbc-url} (with {@code
 * --user}, {@code --password}) names another. The warehouse goes into schema {@code --schema}
 * (default {@code fleet_bench}), which is dropped and re-created.
 */
public final class IngestBenchmark {

  private static final String ORG = "bench-org";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String[] ZONES = {"Europe/Berlin", "Asia/Kolkata", "America/Chicago", "Asia/Tokyo"};
  private static final String COLUMNS = "\"timestamp\", organization_id, location_id, interval_seconds,"
      + " device_count, avg_uptime, avg_efficiency, avg_energy_consumption, total_failures, mtbf, mttr,"
      + " total_production_hours, total_downtime_hours, oee, planned_production_hours, run_hours,"
      + " ideal_cycle_time_seconds, total_count, good_count, ingested_at";

  private String jdbcUrl;
  private String user = "postgres";
  private String password = "postgres";
  private String schema = "fleet_bench";
  private int rows = 1_000_000;
  private int batch = 100_000;
  private int locations = 100;
  private int rowByRowRows = -1;
  private long streamRows = -1;
  private int rounds = 3;

  private IngestBenchmark() {}

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    IngestBenchmark b = new IngestBenchmark();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--jdbc-url" -> b.jdbcUrl = args[++i];
        case "--user" -> b.user = args[++i];
        case "--password" -> b.password = args[++i];
        case "--schema" -> b.schema = args[++i];
        case "--rows" -> b.rows = Integer.parseInt(args[++i]);
        case "--batch" -> b.batch = Integer.parseInt(args[++i]);
        case "--locations" -> b.locations = Integer.parseInt(args[++i]);
        case "--row-by-row-rows" -> b.rowByRowRows = Integer.parseInt(args[++i]);
        case "--stream-rows" -> b.streamRows = Long.parseLong(args[++i]);
        case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("unknown option " + a + "; options: --jdbc-url URL --user U --password P"
              + " --schema S --rows N --batch N --locations N --rounds N --row-by-row-rows N --stream-rows N");
          System.exit(2);
        }
      }
    }
    if (!b.schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("--schema must be a plain lower-case identifier");
    }
    b.run();
  }

  private void run() throws Exception {
    EmbeddedPostgres embedded = null;
    String url = jdbcUrl;
    if (url == null) {
      embedded = EmbeddedPostgres.builder().start();
      url = embedded.getJdbcUrl("postgres", "postgres");
    }
    try {
      if (streamRows > 0) {
        stream(url);
      } else {
        compare(url);
      }
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  // ------------------------------------------------------------------ the four-way comparison

  private void compare(String url) throws Exception {
    List<FleetMetrics> data = new ArrayList<>(rows);
    generator(rows).forEachRemaining(data::add);
    int rbr = rowByRowRows > 0 ? Math.min(rowByRowRows, rows) : rows;
    Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(300L * (rows / locations + 1));

    try (FleetAnalytics fleet = open(url, now, true); Connection c = connect(url, false)) {
      System.out.println(describe(c, url));
      // warm-up: JIT and caches, on the first 10% (at least one batch)
      int warm = Math.min(rows, Math.max(batch, rows / 10));
      timeWriter(fleet, data.subList(0, warm));
      truncate(c);
      timeCopy(c, data.subList(0, warm));
      truncate(c);

      // Rounds alternate the methods so that a slow spell of a shared machine hits each of them;
      // the table reports each method's median round.
      String writerName = "fleet-analytics writer (validation, upsert, rollups)";
      String copyName = "raw binary COPY";
      String batchName = "PgJDBC batch, reWriteBatchedInserts=true";
      Map<String, List<double[]>> rounds = new LinkedHashMap<>();
      for (int round = 0; round < this.rounds; round++) {
        rounds.computeIfAbsent(writerName, k -> new ArrayList<>()).add(timeWriter(fleet, data));
        long stored = count(c);
        truncate(c);
        if (stored != rows) {
          throw new IllegalStateException("the writer stored " + stored + " rows of " + rows);
        }
        rounds.computeIfAbsent(copyName, k -> new ArrayList<>()).add(timeCopy(c, data));
        truncate(c);
        try (Connection rewrite = connect(url, true)) {
          rounds.computeIfAbsent(batchName, k -> new ArrayList<>()).add(timeInserts(rewrite, data, true));
        }
        truncate(c);
        System.out.printf(Locale.ROOT, "round %d: writer %.1f s, COPY %.1f s, batched %.1f s%n", round + 1,
            last(rounds.get(writerName)), last(rounds.get(copyName)), last(rounds.get(batchName)));
      }
      rounds.put("row-by-row INSERT" + (rbr < rows ? " (first " + rbr + " rows)" : "") + ", one round",
          List.of(timeInserts(c, data.subList(0, rbr), false)));
      truncate(c);
      Map<String, double[]> results = new LinkedHashMap<>();
      rounds.forEach((name, list) -> results.put(name, median(list)));
      print(results);
    }
  }

  private static double last(List<double[]> list) {
    return list.get(list.size() - 1)[1];
  }

  /** The round with the median time, and the fastest and slowest times. */
  private static double[] median(List<double[]> list) {
    List<double[]> sorted = new ArrayList<>(list);
    sorted.sort((a, b) -> Double.compare(a[1], b[1]));
    double[] m = sorted.get(sorted.size() / 2);
    return new double[] {m[0], m[1], sorted.get(0)[1], sorted.get(sorted.size() - 1)[1]};
  }

  private double[] timeWriter(FleetAnalytics fleet, List<FleetMetrics> data) {
    CallerContext caller = CallerContext.of("bench", ORG, Role.OPERATOR);
    FleetWriter w = fleet.writer();
    long t0 = System.nanoTime();
    WriteReport r = w.writeMetrics(caller, ORG, data);
    double s = (System.nanoTime() - t0) / 1e9;
    if (r.inserted() + r.updated() + r.unchanged() != data.size()) {
      throw new IllegalStateException("writer report " + r);
    }
    return new double[] {data.size(), s};
  }

  private double[] timeCopy(Connection c, List<FleetMetrics> data) throws SQLException, IOException {
    PGConnection pg = c.unwrap(PGConnection.class);
    Timestamp ingested = Timestamp.from(START);
    long t0 = System.nanoTime();
    for (int from = 0; from < data.size(); from += batch) {
      List<FleetMetrics> part = data.subList(from, Math.min(data.size(), from + batch));
      CopyIn in = pg.getCopyAPI().copyIn(
          "COPY \"" + schema + "\".fleet_metrics (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 17);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
      out.writeInt(0);
      out.writeInt(0);
      long ingestedMicros = micros(ingested.toInstant()) - 946_684_800_000_000L;
      for (FleetMetrics m : part) {
        out.writeShort(20);
        out.writeInt(8);
        out.writeLong(micros(m.timestamp()) - 946_684_800_000_000L);
        text(out, m.organizationId());
        text(out, m.locationId());
        int4(out, m.intervalSeconds());
        int4(out, m.deviceCount());
        float8(out, m.avgUptime());
        float8(out, m.avgEfficiency());
        float8(out, m.avgEnergyConsumption());
        int4(out, m.totalFailures());
        float8(out, m.mtbf());
        float8(out, m.mttr());
        float8(out, m.totalProductionHours());
        float8(out, m.totalDowntimeHours());
        float8(out, m.oee());
        for (int k = 0; k < 5; k++) {
          out.writeInt(-1); // no raw OEE components in these rows
        }
        out.writeInt(8);
        out.writeLong(ingestedMicros);
        if (bytes.size() > 1 << 16) {
          out.flush();
          in.writeToCopy(bytes.toByteArray(), 0, bytes.size());
          bytes.reset();
        }
      }
      out.writeShort(-1);
      out.flush();
      in.writeToCopy(bytes.toByteArray(), 0, bytes.size());
      in.endCopy();
      c.commit();
    }
    return new double[] {data.size(), (System.nanoTime() - t0) / 1e9};
  }

  private double[] timeInserts(Connection c, List<FleetMetrics> data, boolean batched) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT set_config('fleet_analytics.rollups_maintained', 'on', false)");
    }
    c.commit();
    String sql = "INSERT INTO \"" + schema + "\".fleet_metrics (" + COLUMNS + ") VALUES ("
        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    Timestamp ingested = Timestamp.from(START);
    long t0 = System.nanoTime();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      int n = 0;
      for (FleetMetrics m : data) {
        p.setTimestamp(1, Timestamp.from(m.timestamp()));
        p.setString(2, m.organizationId());
        p.setString(3, m.locationId());
        p.setObject(4, m.intervalSeconds(), Types.INTEGER);
        p.setObject(5, m.deviceCount(), Types.INTEGER);
        p.setObject(6, m.avgUptime(), Types.DOUBLE);
        p.setObject(7, m.avgEfficiency(), Types.DOUBLE);
        p.setObject(8, m.avgEnergyConsumption(), Types.DOUBLE);
        p.setObject(9, m.totalFailures(), Types.INTEGER);
        p.setObject(10, m.mtbf(), Types.DOUBLE);
        p.setObject(11, m.mttr(), Types.DOUBLE);
        p.setObject(12, m.totalProductionHours(), Types.DOUBLE);
        p.setObject(13, m.totalDowntimeHours(), Types.DOUBLE);
        p.setObject(14, m.oee(), Types.DOUBLE);
        p.setNull(15, Types.DOUBLE);
        p.setNull(16, Types.DOUBLE);
        p.setNull(17, Types.DOUBLE);
        p.setNull(18, Types.BIGINT);
        p.setNull(19, Types.BIGINT);
        p.setTimestamp(20, ingested);
        n++;
        if (batched) {
          p.addBatch();
          if (n % 1000 == 0) {
            p.executeBatch();
          }
        } else {
          p.executeUpdate();
        }
        if (n % batch == 0) {
          if (batched) {
            p.executeBatch();
          }
          c.commit();
        }
      }
      if (batched) {
        p.executeBatch();
      }
      c.commit();
    }
    return new double[] {data.size(), (System.nanoTime() - t0) / 1e9};
  }

  private static void print(Map<String, double[]> results) {
    double copyRate = 0;
    for (Map.Entry<String, double[]> e : results.entrySet()) {
      if (e.getKey().startsWith("raw binary COPY")) {
        copyRate = e.getValue()[0] / e.getValue()[1];
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "| %-62s | %10s | %9s | %13s | %12s | %11s |%n", "method", "rows",
        "seconds", "rounds (s)", "rows/second", "vs raw COPY");
    System.out.printf(Locale.ROOT, "| %-62s | %10s | %9s | %13s | %12s | %11s |%n", "-".repeat(62), "---------:",
        "--------:", "------------:", "-----------:", "----------:");
    for (Map.Entry<String, double[]> e : results.entrySet()) {
      double n = e.getValue()[0];
      double s = e.getValue()[1];
      String spread = e.getValue().length > 2
          ? String.format(Locale.ROOT, "%.1f-%.1f", e.getValue()[2], e.getValue()[3]) : "-";
      System.out.printf(Locale.ROOT, "| %-62s | %,10d | %9.2f | %13s | %,12.0f | %10.2fx |%n",
          e.getKey(), (long) n, s, spread, n / s, n / s / copyRate);
    }
  }

  // ------------------------------------------------------------------ streaming in bounded memory

  private void stream(String url) throws SQLException {
    Instant now = START.plusSeconds(300L * (streamRows / locations + 1));
    try (FleetAnalytics fleet = open(url, now, true); Connection c = connect(url, false)) {
      System.out.println(describe(c, url));
      CallerContext caller = CallerContext.of("bench", ORG, Role.OPERATOR);
      long t0 = System.nanoTime();
      WriteReport r = fleet.writer().writeMetrics(caller, ORG, generator(streamRows));
      double s = (System.nanoTime() - t0) / 1e9;
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf(Locale.ROOT, "streamed %,d rows through the writer in %.1f s (%,.0f rows/s);"
              + " report: %s; rows in fleet_metrics: %,d; max heap %,d MiB, peak heap used %,d MiB%n",
          streamRows, s, streamRows / s, r, count(c), Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
    }
  }

  // ------------------------------------------------------------------ setup and data

  private FleetAnalytics open(String url, Instant now, boolean fresh) throws SQLException {
    if (fresh) {
      try (Connection c = connect(url, true); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
    FleetAnalytics fleet = FleetAnalytics.builder(url, user, password).schema(schema)
        .clock(Clock.fixed(now, ZoneOffset.UTC)).retentionHorizon(Duration.ofDays(36_500))
        .writeChunkSize(batch).poolSize(2).build();
    CallerContext caller = CallerContext.of("bench", ORG, Role.OPERATOR);
    fleet.writer().writeOrganization(caller, Organization.of(ORG, "Benchmark"));
    List<Location> locs = new ArrayList<>();
    for (int i = 0; i < locations; i++) {
      locs.add(Location.of(ORG, location(i), "Plant " + i, ZONES[i % ZONES.length]));
    }
    fleet.writer().writeLocations(caller, ORG, locs);
    return fleet;
  }

  private static String location(int i) {
    return String.format(Locale.ROOT, "L%04d", i);
  }

  /** {@code n} snapshots: every location every 5 minutes from 2026-01-01, values from a seed. */
  private Iterator<FleetMetrics> generator(long n) {
    SplittableRandom r = new SplittableRandom(20260101);
    String[] ids = new String[locations];
    for (int i = 0; i < locations; i++) {
      ids[i] = location(i);
    }
    return new Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public FleetMetrics next() {
        if (i >= n) {
          throw new NoSuchElementException();
        }
        int loc = (int) (i % locations);
        Instant t = START.plusSeconds(300L * (i / locations));
        i++;
        double planned = 20 * 300 / 3600.0;
        double down = planned * (0.03 + 0.1 * r.nextDouble());
        double prod = planned - down;
        int failures = r.nextDouble() < 0.05 ? 1 : 0;
        return FleetMetrics.builder(ORG, ids[loc], t)
            .intervalSeconds(300)
            .deviceCount(20)
            .avgUptime(prod / planned)
            .avgEfficiency(0.75 + 0.2 * r.nextDouble())
            .avgEnergyConsumption(8 + 6 * r.nextDouble())
            .totalFailures(failures)
            .mtbf(40 + 20 * r.nextDouble())
            .mttr(failures > 0 ? 1 + 3 * r.nextDouble() : null)
            .totalProductionHours(prod)
            .totalDowntimeHours(down)
            .oee(prod / planned * (0.7 + 0.25 * r.nextDouble()))
            .build();
      }
    };
  }

  private Connection connect(String url, boolean rewrite) throws SQLException {
    String u = url + (rewrite ? (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true" : "");
    Connection c = DriverManager.getConnection(u, user, password);
    if (!rewrite) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT set_config('fleet_analytics.rollups_maintained', 'on', false)");
      }
      c.commit();
    } else {
      c.setAutoCommit(false);
    }
    return c;
  }

  private void truncate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE \"" + schema + "\".fleet_metrics");
      s.execute("DELETE FROM \"" + schema + "\".ingest_batches");
    }
    c.commit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE \"" + schema + "\".fleet_metrics");
      s.execute("CHECKPOINT");
    }
    c.setAutoCommit(false);
  }

  private long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".fleet_metrics")) {
      rs.next();
      long n = rs.getLong(1);
      c.commit();
      return n;
    }
  }

  private String describe(Connection c, String url) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT version(), current_setting('shared_buffers'), current_setting('fsync'),"
            + " current_setting('synchronous_commit'), current_setting('max_wal_size'),"
            + " (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb')")) {
      rs.next();
      b.append("database: ").append(url.replaceAll("password=[^&]*", "password=***")).append('\n')
          .append("server: ").append(rs.getString(1)).append(rs.getString(6) == null ? "" : ", TimescaleDB " + rs.getString(6))
          .append("\nsettings: shared_buffers=").append(rs.getString(2)).append(" fsync=").append(rs.getString(3))
          .append(" synchronous_commit=").append(rs.getString(4)).append(" max_wal_size=").append(rs.getString(5));
    }
    c.commit();
    b.append("\nJVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, max heap ")
        .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB")
        .append("\nrows=").append(streamRows > 0 ? streamRows : rows).append(" batch=").append(batch)
        .append(" locations=").append(locations);
    return b.toString();
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  private static void text(DataOutputStream out, String v) throws IOException {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void int4(DataOutputStream out, Integer v) throws IOException {
    if (v == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(4);
      out.writeInt(v);
    }
  }

  private static void float8(DataOutputStream out, Double v) throws IOException {
    if (v == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(8);
      out.writeDouble(v);
    }
  }
}
