package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prints the latency of each analysis on whatever database the tests run on, for the numbers of
 * docs/scaling.md (single node vs Citus). Asserts only that each answers; the times are printed,
 * not judged, since they depend on the machine. Runs only when {@code FLEET_ANALYTICS_MEASURE=true}:
 * its larger data set changes the planner's statistics for the tests after it, and some of them
 * compare doubles summed in plan order exactly.
 */
@EnabledIfEnvironmentVariable(named = "FLEET_ANALYTICS_MEASURE", matches = "true")
@ExtendWith(FleetDatabaseExtension.class)
class AnalysisLatencyTest {

  static final String ORG = "latency-org";
  static final int RUNS = 15;

  @Test
  void eachAnalysisAnswersAndItsLatencyIsPrinted(FleetDatabase db) {
    try (FleetAnalytics fleet = db.analyticsBuilder().clock(Analyses.clock()).build()) {
      Analyses.sample(ORG, 4242, 30).load(fleet);
      CallerContext reader = CallerContext.of("analyst", ORG, Role.READ_ONLY);
      StringBuilder line = new StringBuilder("analysis latency on " + db.kind() + " (median of "
          + RUNS + ", 2 locations x 30 days of 15-minute snapshots):");
      for (Map.Entry<String, BiFunction<CallerContext, String, Object>> a : Analyses.all(fleet).entrySet()) {
        assertThat(a.getValue().apply(reader, ORG)).as(a.getKey()).isNotNull(); // warm-up
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
          long start = System.nanoTime();
          a.getValue().apply(reader, ORG);
          micros.add((System.nanoTime() - start) / 1_000);
        }
        micros.sort(null);
        line.append(String.format(" %s %.1f ms;", a.getKey(), micros.get(RUNS / 2) / 1000.0));
      }
      System.out.println(line);
    }
  }
}
