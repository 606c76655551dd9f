package io.modax.fleet.benchmarks;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.FleetWriter;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.schema.TimescaleMode;
import io.modax.fleet.testkit.SampleFleet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The benchmark dataset: the testkit's {@link SampleFleet} at fleet scale (by default 100
 * locations in 16 time zones, 5-minute snapshots, one year: about 10.5 million {@code
 * fleet_metrics} rows, with its duplicates, late rows and gaps, plus failure and maintenance
 * events with spare parts), loaded through the library's writer into one schema.
 *
 * <p>The schema's comment records what was loaded, so a later run can reuse it ({@link
 * #loaded}).
 */
final class FleetDataset {

  /** The organization every dataset belongs to. */
  static final String ORG = SampleFleet.ORGANIZATION_ID;

  /** The end of every dataset's data: not on an hour, so windows ending "now" have raw edges. */
  static final Instant END = Instant.parse("2026-07-01T10:35:00Z");

  /** The benchmark's "now": a little after the last snapshot, as on a live system. */
  static final Instant NOW = END.plusSeconds(137);

  /** Snapshots per writer transaction during the backfill. */
  static final int CHUNK = 100_000;

  /** The loader's limit on events per {@code writeEvents} call (the library's default is 100,000). */
  static final int MAX_EVENTS_PER_CALL = 10_000_000;

  /**
   * What to load.
   *
   * @param locations number of locations (the sample fleet's A, B, C, then generated ones)
   * @param days days of history ending at {@link #END}
   * @param intervalSeconds snapshot interval
   * @param seed the generator's seed
   */
  record Spec(int locations, int days, int intervalSeconds, long seed) {
    SampleFleet fleet() {
      return SampleFleet.builder().seed(seed).end(END).days(days).locations(locations)
          .intervalSeconds(intervalSeconds).build();
    }

    String key() {
      return String.format(Locale.ROOT, "fleet-bench dataset: locations=%d days=%d interval=%d seed=%d end=%s",
          locations, days, intervalSeconds, seed, END);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d locations, %d days, %d-second snapshots (seed %d)",
          locations, days, intervalSeconds, seed);
    }
  }

  /**
   * What the load did.
   *
   * @param metrics the writer's report on the snapshots
   * @param metricsSeconds time the writer took for them
   * @param events the writer's report on the events
   * @param eventsSeconds time the writer took for them
   * @param storedRows rows in fleet_metrics afterwards
   */
  record Load(WriteReport metrics, double metricsSeconds, WriteReport events, double eventsSeconds,
      long storedRows) {}

  private FleetDataset() {}

  /** True when the schema holds exactly this dataset (by the schema's comment). */
  static boolean loaded(BenchDatabase db, String schema, Spec spec) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = '" + schema + "'")) {
      return rs.next() && spec.key().equals(rs.getString(1));
    }
  }

  /** The library on the dataset's schema, its clock at {@link #NOW}. */
  static FleetAnalytics.Builder analytics(BenchDatabase db, String schema) {
    return FleetAnalytics.builder(db.url(), db.user(), db.password()).schema(schema)
        .timescale(TimescaleMode.AUTO).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .retentionHorizon(Duration.ofDays(36_500));
  }

  /**
   * Drops and re-creates the schema and loads the dataset through the library's writer: the
   * organization, locations and devices, then every snapshot in the order the generator sends
   * them (chunks of {@link #CHUNK}, streamed), then the events. Prints progress.
   */
  static Load load(BenchDatabase db, String schema, Spec spec) throws SQLException {
    drop(db, schema);
    SampleFleet sample = spec.fleet();
    CallerContext loader = CallerContext.of("bench-loader", ORG, Role.ADMIN);
    // a year of a large fleet has more events than one writeEvents call may send by default
    // (100,000): the loader raises the limit, as a host backfilling history would
    try (FleetAnalytics fleet = analytics(db, schema).writeChunkSize(CHUNK).poolSize(2)
        .maxEventsPerCall(MAX_EVENTS_PER_CALL).build()) {
      FleetWriter w = fleet.writer();
      w.writeOrganization(loader, sample.organization());
      w.writeLocations(loader, ORG, sample.locations());
      w.writeDevices(loader, ORG, sample.devices());
      long t0 = System.nanoTime();
      WriteReport metrics = w.writeMetrics(loader, ORG, progress(sample.metrics(), t0));
      double metricsSeconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      WriteReport events = w.writeEvents(loader, ORG, sample.events());
      double eventsSeconds = (System.nanoTime() - t1) / 1e9;
      long stored;
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".fleet_metrics")) {
          rs.next();
          stored = rs.getLong(1);
        }
        s.execute("VACUUM ANALYZE");
        s.execute("COMMENT ON SCHEMA \"" + schema + "\" IS '" + spec.key() + "'");
      }
      return new Load(metrics, metricsSeconds, events, eventsSeconds, stored);
    }
  }

  static void drop(BenchDatabase db, String schema) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }

  private static Iterable<FleetMetrics> progress(Iterable<FleetMetrics> rows, long t0) {
    return () -> new java.util.Iterator<>() {
      final java.util.Iterator<FleetMetrics> it = rows.iterator();
      long n;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public FleetMetrics next() {
        if (++n % 1_000_000 == 0) {
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "  ... %,d snapshots handed to the writer in %.0f s (%,.0f rows/s)%n",
              n, s, n / s);
        }
        return it.next();
      }
    };
  }

  // ------------------------------------------------------------------ the raw COPY baseline

  /**
   * Raw binary COPY of the same snapshots (de-duplicated, as the table keeps them: the last of
   * each key) into a fresh copy of the warehouse schema ({@code schema + "_copy"}, with the same
   * keys, constraints, triggers and hypertable), one transaction per {@link #CHUNK} rows, the
   * rollup trigger off as in the writer's own transactions. Returns seconds; the copy schema is
   * dropped afterwards.
   */
  static double rawCopy(BenchDatabase db, String schema, Spec spec) throws SQLException, IOException {
    String copy = schema + "_copy";
    drop(db, copy);
    SampleFleet sample = spec.fleet();
    CallerContext loader = CallerContext.of("bench-loader", ORG, Role.ADMIN);
    try (FleetAnalytics fleet = analytics(db, copy).poolSize(1).build()) {
      fleet.writer().writeOrganization(loader, sample.organization());
      fleet.writer().writeLocations(loader, ORG, sample.locations());
    }
    // the same rows the writer stored: the last version of each (location, timestamp)
    Map<String, Integer> index = new HashMap<>();
    sample.locations().forEach(l -> index.put(l.id(), index.size()));
    LongSet seen = new LongSet(1 << 25);
    long startSecond = sample.start().getEpochSecond();
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT set_config('fleet_analytics.rollups_maintained', 'on', false)");
      }
      PGConnection pg = c.unwrap(PGConnection.class);
      long t0 = System.nanoTime();
      Batch batch = new Batch();
      for (FleetMetrics m : sample.metrics()) {
        long key = ((long) index.get(m.locationId()) << 36) | (m.timestamp().getEpochSecond() - startSecond);
        if (!seen.add(key)) {
          continue; // the sample fleet's resends are identical rows
        }
        batch.add(m);
        if (batch.rows == CHUNK) {
          batch.send(pg, copy);
          c.commit();
          batch = new Batch();
        }
      }
      if (batch.rows > 0) {
        batch.send(pg, copy);
        c.commit();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      drop(db, copy);
      return seconds;
    }
  }

  /** One COPY's worth of rows in PostgreSQL's binary format. */
  private static final class Batch {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 24);
    final DataOutputStream out = new DataOutputStream(bytes);
    int rows;
    final long ingestedMicros = micros(NOW);

    Batch() {
      try {
        out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeInt(0);
        out.writeInt(0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void add(FleetMetrics m) {
      try {
        out.writeShort(20);
        out.writeInt(8);
        out.writeLong(micros(m.timestamp()));
        text(m.organizationId());
        text(m.locationId());
        int4(m.intervalSeconds());
        int4(m.deviceCount());
        float8(m.avgUptime());
        float8(m.avgEfficiency());
        float8(m.avgEnergyConsumption());
        int4(m.totalFailures());
        float8(m.mtbf());
        float8(m.mttr());
        float8(m.totalProductionHours());
        float8(m.totalDowntimeHours());
        float8(m.oee());
        var oc = m.components();
        float8(oc == null ? null : oc.plannedProductionHours());
        float8(oc == null ? null : oc.runHours());
        float8(oc == null ? null : oc.idealCycleTimeSeconds());
        int8(oc == null ? null : oc.totalCount());
        int8(oc == null ? null : oc.goodCount());
        out.writeInt(8);
        out.writeLong(ingestedMicros);
        rows++;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void send(PGConnection pg, String schema) throws SQLException, IOException {
      out.writeShort(-1);
      out.flush();
      CopyIn in = pg.getCopyAPI().copyIn("COPY \"" + schema + "\".fleet_metrics (" + COLUMNS
          + ") FROM STDIN (FORMAT binary)");
      in.writeToCopy(bytes.toByteArray(), 0, bytes.size());
      in.endCopy();
    }

    private void text(String v) throws IOException {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }

    private void int4(Integer v) throws IOException {
      if (v == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(4);
        out.writeInt(v);
      }
    }

    private void int8(Long v) throws IOException {
      if (v == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(8);
        out.writeLong(v);
      }
    }

    private void float8(Double v) throws IOException {
      if (v == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(8);
        out.writeDouble(v);
      }
    }
  }

  static final String COLUMNS = "\"timestamp\", organization_id, location_id, interval_seconds,"
      + " device_count, avg_uptime, avg_efficiency, avg_energy_consumption, total_failures, mtbf, mttr,"
      + " total_production_hours, total_downtime_hours, oee, planned_production_hours, run_hours,"
      + " ideal_cycle_time_seconds, total_count, good_count, ingested_at";

  /** Microseconds since 2000-01-01 UTC, PostgreSQL's binary timestamp. */
  static long micros(Instant t) {
    return (t.getEpochSecond() - 946_684_800L) * 1_000_000L + t.getNano() / 1_000;
  }

  /** A set of longs (open addressing), for de-duplicating keys of millions of rows. */
  static final class LongSet {
    private long[] slots;
    private int size;

    LongSet(int capacity) {
      slots = new long[Integer.highestOneBit(Math.max(16, capacity) - 1) << 1];
      java.util.Arrays.fill(slots, Long.MIN_VALUE);
    }

    /** Adds the key (never Long.MIN_VALUE); false when it was there already. */
    boolean add(long key) {
      if (size * 2 > slots.length) {
        grow();
      }
      int mask = slots.length - 1;
      int i = (int) (mix(key) & mask);
      while (slots[i] != Long.MIN_VALUE) {
        if (slots[i] == key) {
          return false;
        }
        i = (i + 1) & mask;
      }
      slots[i] = key;
      size++;
      return true;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      java.util.Arrays.fill(slots, Long.MIN_VALUE);
      size = 0;
      for (long k : old) {
        if (k != Long.MIN_VALUE) {
          add(k);
        }
      }
    }

    private static long mix(long k) {
      k ^= k >>> 33;
      k *= 0xff51afd7ed558ccdL;
      k ^= k >>> 33;
      return k;
    }
  }
}
