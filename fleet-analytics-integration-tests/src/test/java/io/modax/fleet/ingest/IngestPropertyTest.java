package io.modax.fleet.ingest;

import static io.modax.fleet.ingest.IngestFixture.BERLIN;
import static io.modax.fleet.ingest.IngestFixture.NOW;
import static io.modax.fleet.ingest.IngestFixture.ORG;
import static io.modax.fleet.ingest.IngestFixture.PUNE;
import static io.modax.fleet.ingest.IngestFixture.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.FleetOracle;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property-style: random mixes of good, bad, duplicate, late (out of order), corrected rows and deletes, written
 * in random chunk sizes over both paths: afterwards every submitted row is either stored exactly
 * once (the last good version of its key, unless deleted) or in quarantine, every report adds up,
 * and the rollups equal a recomputation from the raw rows and the independent oracle.
 */
@ExtendWith(FleetDatabaseExtension.class)
class IngestPropertyTest {

  /** Two locations x 72 five-minute slots across both locations' local midnights. */
  static final Instant FIRST = Instant.parse("2026-03-05T18:00:00Z");
  static final int SLOTS = 72;
  static final String[] LOCATIONS = {BERLIN, PUNE};

  /** One record of a write: which key, and what is sent for it. */
  record Item(int location, int slot, int variant) {
    /** Variants 0-3: good values (different variants of one key are corrections); 4-7: bad. */
    boolean bad() {
      return variant >= 4;
    }

    Instant time() {
      return FIRST.plusSeconds(300L * slot);
    }

    FleetMetrics record() {
      FleetMetrics good = IngestFixture.good(LOCATIONS[location], time(), slot * 10 + variant);
      return switch (variant) {
        case 4 -> good.toBuilder().avgUptime(Double.NaN).build();
        case 5 -> good.toBuilder().oee(1.5).build();
        case 6 -> good.toBuilder().timestamp(NOW.plus(Duration.ofHours(1))).build();
        case 7 -> FleetMetrics.builder(ORG, "nowhere", time()).totalProductionHours(0.1).totalDowntimeHours(0.0).build();
        default -> good;
      };
    }
  }

  /** A write call (items, path) or, when {@code delete}, a delete of slots [from, to) of a location. */
  record Op(List<Item> items, boolean copy, boolean delete, int location, int from, int to) {}

  /** A random scenario: 1-6 operations, mostly writes of up to 60 records, some deletes. */
  static List<Op> scenario(SplittableRandom r) {
    List<Op> ops = new ArrayList<>();
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      if (r.nextInt(6) == 0) {
        int from = r.nextInt(SLOTS);
        ops.add(new Op(List.of(), false, true, r.nextInt(2), from, Math.min(SLOTS + 5, from + 1 + r.nextInt(30))));
        continue;
      }
      List<Item> items = new ArrayList<>();
      int size = r.nextInt(61);
      for (int k = 0; k < size; k++) {
        int v = r.nextInt(10);
        items.add(new Item(r.nextInt(2), r.nextInt(SLOTS), v < 6 ? v % 4 : v - 2));
      }
      ops.add(new Op(withDuplicates(items), r.nextBoolean(), false, 0, 0, 0));
    }
    return ops;
  }

  /**
   * The seeds of the tries: 30 derived from a fixed base, so a run is reproducible; set {@code
   * -Dfleet.property.seed=N} to explore other scenarios. A failing try names its seed.
   */
  static LongStream seeds() {
    long base = Long.getLong("fleet.property.seed", 20260310L);
    SplittableRandom r = new SplittableRandom(base);
    return LongStream.generate(r::nextLong).limit(Integer.getInteger("fleet.property.tries", 30));
  }

  /** Repeats some items within the call, as a location that resends does. */
  static List<Item> withDuplicates(List<Item> items) {
    List<Item> out = new ArrayList<>(items);
    for (int i = 0; i < items.size(); i += 7) {
      out.add(items.get(i));
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void nothingIsLostAndTheRollupsEqualARecomputation(long seed, FleetDatabase db) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Op> ops = scenario(random);
    int chunkSize = CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)];
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .writeChunkSize(chunkSize).build()) {
      IngestFixture.register(fleet);
      Map<String, FleetMetrics> model = new LinkedHashMap<>();
      long submitted = 0;
      long badSubmitted = 0;
      long reportedQuarantined = 0;
      java.util.Set<FleetMetrics> badDistinct = new java.util.HashSet<>();
      for (Op op : ops) {
        if (op.delete()) {
          Instant from = FIRST.plusSeconds(300L * op.from());
          Instant to = FIRST.plusSeconds(300L * op.to());
          long deleted = fleet.writer().deleteMetrics(WRITER, ORG, LOCATIONS[op.location()], from, to);
          List<String> gone = new ArrayList<>();
          model.forEach((k, m) -> {
            if (m.locationId().equals(LOCATIONS[op.location()]) && !m.timestamp().isBefore(from)
                && m.timestamp().isBefore(to)) {
              gone.add(k);
            }
          });
          gone.forEach(model::remove);
          assertThat(deleted).isEqualTo(gone.size());
          continue;
        }
        List<FleetMetrics> records = op.items().stream().map(Item::record).toList();
        FleetWriter w = fleet.writer().withInternals(op.copy() ? 0 : Integer.MAX_VALUE, FleetWriter.ChunkObserver.NONE);
        WriteReport r = w.writeMetrics(WRITER, ORG, records);
        assertThat(r.submitted()).isEqualTo(records.size())
            .isEqualTo(r.inserted() + r.updated() + r.unchanged() + r.quarantined());
        submitted += r.submitted();
        reportedQuarantined += r.quarantined();
        for (Item it : op.items()) {
          if (it.bad()) {
            badSubmitted++;
            badDistinct.add(it.record());
          } else {
            FleetMetrics m = it.record();
            model.put(m.locationId() + "@" + m.timestamp(), m);
          }
        }
      }

      // nothing lost: each submitted record is either in quarantine or is the stored version
      assertThat(reportedQuarantined).isEqualTo(badSubmitted);
      // each bad record is quarantined once, however often it was sent (V016)
      assertThat(IngestFixture.count(db, "SELECT count(*) FROM ${s}.ingest_quarantine")).isEqualTo(badDistinct.size());
      assertThat(IngestFixture.storedRows(db)).hasSize(model.size());
      assertThat(IngestFixture.query(db, "SELECT location_id || '@' || to_char(\"timestamp\" AT TIME ZONE 'UTC',"
              + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), total_failures, total_production_hours, oee FROM \""
              + db.schema() + "\".fleet_metrics"))
          .isEqualTo(expectedStored(model));
      assertThat(submitted).isEqualTo(ops.stream().mapToLong(o -> o.items().size()).sum());

      // rollups: equal to a GROUP BY over the raw rows, and to the oracle over what was sent
      IngestFixture.assertRollupsEqualRecomputation(db);
      FleetOracle oracle = FleetOracle.of(model.values());
      for (String loc : LOCATIONS) {
        FleetOracle.Figures f = oracle.figures(List.of(loc), FIRST, FIRST.plus(Duration.ofDays(1)));
        assertThat(IngestFixture.count(db, "SELECT coalesce(sum(snapshot_count), 0) FROM ${s}.fleet_metrics_hourly"
            + " WHERE location_id = '" + loc + "'")).isEqualTo(f.rows);
        assertThat(IngestFixture.count(db, "SELECT coalesce(sum(total_failures), 0) FROM ${s}.fleet_metrics_daily"
            + " WHERE location_id = '" + loc + "'")).isEqualTo(f.failures);
      }
    }
  }

  static final int[] CHUNK_SIZES = {1, 7, 50, 5_000};

  private static Map<String, List<Double>> expectedStored(Map<String, FleetMetrics> model) {
    Map<String, List<Double>> out = new java.util.TreeMap<>();
    model.forEach((k, m) -> {
      List<Double> v = new ArrayList<>();
      v.add((double) m.totalFailures());
      v.add(m.totalProductionHours());
      v.add(m.oee() == null ? 0.0 : m.oee());
      out.put(k, v);
    });
    return out;
  }
}
