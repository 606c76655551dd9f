package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every subcommand in both formats on one demo database (an embedded PostgreSQL the test starts
 * and the CLI loads with {@code --load-sample}, then reached through {@code --jdbc-url}), and two
 * commands on the CLI's own embedded path (no {@code --jdbc-url}).
 */
class FleetCliTest {

  static EmbeddedPostgres pg;
  static String url;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = FleetCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void startAndLoad() throws IOException {
    pg = EmbeddedPostgres.builder().start();
    url = pg.getJdbcUrl("postgres", "postgres");
    Run load = run("overview", "--jdbc-url", url, "--load-sample", "--sample-days", "40");
    assertThat(load.status()).as(load.err()).isZero();
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  static final List<String> ROW_LISTS = List.of("compare", "best", "under", "trends");

  /** Each analysis with the JSON keys (the design's field names) its output must have. */
  static Stream<Arguments> commands() {
    List<Arguments> out = new ArrayList<>();
    Object[][] commands = {
      {new String[] {"overview"}, List.of("total_devices", "total_locations", "overall_oee", "overall_uptime", "total_failures_last_30d")},
      {new String[] {"compare", "--location", "A,B,C", "--days", "14"}, List.of("location_id", "location_name", "avg_uptime", "avg_efficiency", "oee", "total_failures", "mtbf", "mttr")},
      {new String[] {"best", "--metric", "avg_uptime", "--top", "2"}, List.of("location_id", "location_name", "metric_value")},
      {new String[] {"under", "--threshold", "0.8"}, List.of("location_id", "location_name", "oee", "avg_uptime", "total_failures")},
      {new String[] {"trends", "--period", "weekly"}, List.of("period", "location_id", "location_name", "total_failures", "mtbf", "trend", "trend_status")},
      {new String[] {"forecast", "--horizon", "14", "--service-level", "0.9"}, List.of("forecast_period_days", "expected_failures", "confidence_interval_95", "recommended_spare_parts", "statistical_method", "backtest", "pooled_location_backtest", "notes")},
      {new String[] {"benchmark", "--location", "B"}, List.of("uptime", "oee", "mtbf", "mttr", "energy_consumption", "compared_with")},
      {new String[] {"benchmark", "--all", "--peers", "shift_pattern", "--world-class-oee", "0.9", "--typical-oee", "0.5,0.7"}, List.of("uptime", "oee", "location_id", "compared_with", "peer_group")},
      {new String[] {"reliability"}, List.of("organization_id", "locations", "device_types", "level", "method")},
      {new String[] {"dashboard"}, List.of("fleet_health", "location_map", "failure_trends", "oee_comparison", "cost_analysis")},
    };
    for (Object[] c : commands) {
      for (String format : List.of("table", "json")) {
        out.add(Arguments.of(c[0], format, c[1]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} --format {1}")
  @MethodSource("commands")
  void everySubcommandRunsInBothFormats(String[] command, String format, List<String> keys) {
    List<String> args = new ArrayList<>(Arrays.asList(command));
    args.addAll(List.of("--jdbc-url", url, "--format", format));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("error:");
    assertThat(r.out()).isNotBlank();
    if (format.equals("json")) {
      Map<?, ?> json = (Map<?, ?>) JsonReader.parse(r.out());
      // the design's lists are objects carrying their window and aggregation mode, rows under "locations" or "trends"
      List<?> rows = ROW_LISTS.contains(command[0]) || command[0].equals("benchmark") && command[1].equals("--all")
          ? (List<?>) (json.containsKey("trends") ? json.get("trends") : json.get("locations")) : null;
      if (rows != null) {
        assertThat(new ArrayList<Object>(json.keySet())).as(String.join(" ", command))
            .contains("organization_id", "window_start", "window_end", "window_time_zone", "aggregation_mode");
        assertThat(json.get("window_time_zone")).isEqualTo("UTC");
      }
      Map<?, ?> first = rows != null ? (Map<?, ?>) rows.get(0) : json;
      assertThat(new ArrayList<Object>(first.keySet())).as(String.join(" ", command)).containsAll(keys);
    } else {
      assertThat(r.out()).doesNotContain("{\"");
    }
  }

  @Test
  void jsonFieldsCarryTheDesignsValues() {
    Map<?, ?> benchmark = (Map<?, ?>) JsonReader.parse(
        run("benchmark", "--location", "B", "--jdbc-url", url, "--format", "json").out());
    Map<?, ?> oee = (Map<?, ?>) benchmark.get("oee");
    assertThat(oee.get("status")).isEqualTo("worse");
    assertThat((Double) oee.get("location")).isLessThan((Double) oee.get("fleet_average"));
    Map<?, ?> significance = (Map<?, ?>) oee.get("significance");
    assertThat(significance.get("verdict")).isEqualTo("significantly_worse");
    // one verdict per number (issue 16): every metric's status is its test's verdict
    for (Object v : benchmark.values()) {
      if (v instanceof Map<?, ?> metric && metric.containsKey("status") && metric.containsKey("significance")) {
        Object sig = metric.get("significance");
        String verdict = sig == null ? null : (String) ((Map<?, ?>) sig).get("verdict");
        String expected = verdict == null ? "not_comparable"
            : verdict.equals("significantly_better") ? "better"
            : verdict.equals("significantly_worse") ? "worse" : "on_par";
        assertThat(metric.get("status")).as(metric.toString()).isEqualTo(expected);
      }
    }
    assertThat((Double) significance.get("p_value")).isLessThan(0.05);
    assertThat(((Map<?, ?>) significance.get("method")).get("assumptions")).isInstanceOf(List.class);
    assertThat(new ArrayList<Object>(((Map<?, ?>) oee.get("fleet_bands")).keySet())).contains("p10", "p50", "p90", "mean");
    assertThat(((Map<?, ?>) oee.get("calibration")).get("reference_class")).isEqualTo("above_typical");
    Map<?, ?> reliability = (Map<?, ?>) JsonReader.parse(run("reliability", "--jdbc-url", url, "--format", "json").out());
    Map<?, ?> c = (Map<?, ?>) ((List<?>) reliability.get("locations")).get(2);
    assertThat(c.get("location_id")).isEqualTo("C");
    assertThat(c.get("verdict")).isEqualTo("deteriorating");
    assertThat(new ArrayList<Object>(((Map<?, ?>) c.get("crow_amsaa")).keySet())).contains("beta", "beta_interval", "p_value", "method");
    assertThat(new ArrayList<Object>(((Map<?, ?>) c.get("weibull")).keySet())).contains("shape", "shape_interval", "scale", "censored");
    Map<?, ?> dashboard = (Map<?, ?>) JsonReader.parse(run("dashboard", "--jdbc-url", url, "--format", "json").out());
    List<?> markers = (List<?>) dashboard.get("location_map");
    assertThat(markers).hasSize(3);
    assertThat(new ArrayList<Object>(((Map<?, ?>) markers.get(1)).keySet()))
        .contains("location_name", "oee_score", "device_count", "alert_count", "latitude", "longitude");
    Map<?, ?> forecast = (Map<?, ?>) JsonReader.parse(run("forecast", "--jdbc-url", url, "--format", "json").out());
    Map<?, ?> interval = (Map<?, ?>) forecast.get("confidence_interval_95");
    assertThat((Double) interval.get("lower")).isGreaterThanOrEqualTo(0.0)
        .isLessThanOrEqualTo((Double) forecast.get("expected_failures"));
    Map<?, ?> backtest = (Map<?, ?>) forecast.get("backtest");
    assertThat(new ArrayList<Object>(backtest.keySet())).contains("model", "mae", "mase", "interval_coverage", "origins", "horizon_days");
    Map<?, ?> location = (Map<?, ?>) ((List<?>) forecast.get("locations")).get(0);
    assertThat(new ArrayList<Object>(((Map<?, ?>) location.get("forecast")).keySet())).contains("expected", "interval", "model", "backtest", "method");
    Run table = run("forecast", "--jdbc-url", url);
    assertThat(table.out()).contains("Pooled location backtest: MAE").contains("coverage").contains("Assumes:");
    Run bench = run("benchmark", "--location", "B", "--jdbc-url", url);
    assertThat(bench.out()).contains("significantly worse (").contains("above typical");
  }

  @Test
  void seedCompatibleModeAndBadArguments() {
    Run seed = run("best", "--metric", "oee", "--aggregation", "seed_compatible", "--jdbc-url", url, "--format", "json");
    assertThat(seed.status()).as(seed.err()).isZero();
    Map<?, ?> seedAnswer = (Map<?, ?>) JsonReader.parse(seed.out());
    assertThat((List<?>) seedAnswer.get("locations")).hasSize(3);
    assertThat(seedAnswer.get("aggregation_mode")).isEqualTo("seed_compatible");
    Run bad = run("under", "--threshold", "1.5", "--jdbc-url", url);
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.err()).contains("error: oeeThreshold 1.5 is outside [0, 1]");
    Run badMetric = run("best", "--metric", "speed", "--jdbc-url", url);
    assertThat(badMetric.status()).isNotZero();
    assertThat(badMetric.err()).contains("unknown metric 'speed'");
    Run neither = run("benchmark", "--jdbc-url", url);
    assertThat(neither.status()).isEqualTo(1);
    assertThat(neither.err()).contains("error: give either --location or --all");
    Run refused = run("overview", "--jdbc-url", url, "--tenant", "other", "--role", "read_only");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("may not read organization 'acme'");
  }

  @Test
  void theEmbeddedDemoPathRunsAnalysesWithoutAnyDatabase() {
    Run best = run("best", "--metric", "mtbf", "--format", "json", "--sample-days", "14");
    assertThat(best.status()).as(best.err()).isZero();
    assertThat((List<?>) ((Map<?, ?>) JsonReader.parse(best.out())).get("locations")).hasSize(3);
    Run forecast = run("forecast", "--horizon", "7", "--sample-days", "14");
    assertThat(forecast.status()).as(forecast.err()).isZero();
    assertThat(forecast.out()).contains("Maintenance forecast: acme, next 7 days").contains("Spare parts at a 95.0% service level")
        // 14 days of history cannot carry a checked forecast: the command says so instead of guessing
        .contains("too short for a forecast");
  }
}
