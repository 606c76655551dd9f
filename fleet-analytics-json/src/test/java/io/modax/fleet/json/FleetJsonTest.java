package io.modax.fleet.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FailureTrend;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.LocationRanking;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names and shapes of the mapping, and the writer, on hand-made results. */
class FleetJsonTest {

  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

  static LocationPerformance row(String id, Double oee, long failures, Double mtbf) {
    return new LocationPerformance(id, "Plant " + id, 0.9, 0.8, 1.5, oee, failures, mtbf, 2.0, 100.0, 5.0, 110.0, 12);
  }

  @Test
  void oneNamePerQuantityInComparisonAndUnderperformers() {
    LocationComparison cmp = new LocationComparison("acme", START, END, AggregationMode.EXPOSURE_WEIGHTED,
        List.of(row("A", 0.81, 2, 50.0)));
    LocationRanking under = new LocationRanking("acme", Metric.OEE, START, END, AggregationMode.EXPOSURE_WEIGHTED,
        List.of(row("A", 0.81, 2, 50.0)));
    Map<String, Object> c = FleetJson.comparison(cmp);
    Map<String, Object> u = FleetJson.underperformers(under, 0.85);
    assertThat(new ArrayList<>(c.keySet())).containsExactly("organization_id", "window_start", "window_end",
        "window_time_zone", "aggregation_mode", "locations");
    assertThat(c.get("window_start")).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(c.get("aggregation_mode")).isEqualTo("exposure_weighted");
    Map<?, ?> cRow = (Map<?, ?>) ((List<?>) c.get("locations")).get(0);
    Map<?, ?> uRow = (Map<?, ?>) ((List<?>) u.get("locations")).get(0);
    assertThat(cRow).isEqualTo(uRow); // the same row, the same names: oee, not avg_oee
    assertThat(cRow.get("oee")).isEqualTo(0.81);
    assertThat(cRow.containsKey("avg_oee")).isFalse();
    assertThat(u.get("threshold")).isEqualTo(0.85);
  }

  @Test
  void bestPerformersCarryTheDesignsMetricValueFirst() {
    LocationRanking best = new LocationRanking("acme", Metric.MTBF, START, END, AggregationMode.SEED_COMPATIBLE,
        List.of(row("B", 0.7, 0, null)));
    Map<String, Object> b = FleetJson.bestPerformers(best, 3);
    assertThat(b.get("metric")).isEqualTo("mtbf");
    assertThat(b.get("top_n")).isEqualTo(3);
    assertThat(b.get("aggregation_mode")).isEqualTo("seed_compatible");
    Map<?, ?> r = (Map<?, ?>) ((List<?>) b.get("locations")).get(0);
    assertThat(new ArrayList<Object>(r.keySet()).subList(0, 3)).containsExactly("location_id", "location_name", "metric_value");
    assertThat(r.get("metric_value")).isNull();
    assertThat(r.get("no_failures")).isEqualTo(true); // MTBF is undefined because nothing failed
  }

  @Test
  void trendsAreAFractionWithTheirStatus() {
    FailureTrend up = new FailureTrend("A", "Plant A", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1),
        START, END, true, 5, 20.0, 100.0, 8640, 4L, 25.0, FailureTrend.Change.COMPARED);
    FailureTrend none = new FailureTrend("B", "Plant B", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1),
        START, END, false, 3, 30.0, 90.0, 8000, 0L, null, FailureTrend.Change.NO_PREVIOUS_FAILURES);
    Map<String, Object> t = FleetJson.failureTrends(new FailureTrends("acme", TrendPeriod.MONTH, START, END,
        AggregationMode.EXPOSURE_WEIGHTED, List.of(up, none)));
    assertThat(t.get("period")).isEqualTo("monthly");
    assertThat(t.get("period_calendar")).isEqualTo("location_local");
    List<?> rows = (List<?>) t.get("trends");
    Map<?, ?> a = (Map<?, ?>) rows.get(0);
    Map<?, ?> b = (Map<?, ?>) rows.get(1);
    assertThat(a.get("trend")).isEqualTo(0.25);
    assertThat(a.get("trend_status")).isEqualTo("compared");
    assertThat(a.get("total_failures")).isEqualTo(5L);
    assertThat(a.get("mtbf")).isEqualTo(20.0);
    assertThat(a.get("period")).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(a.get("period_start_date")).isEqualTo("2026-11-01");
    assertThat(b.get("trend")).isNull();
    assertThat(b.get("trend_status")).isEqualTo("no_previous_failures");
  }

  @Test
  void writesValidCompactJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "a \"quoted\" \\ line\nnext\u0001\u2028");
    m.put("list", List.of(1, 2.5, true));
    m.put("none", null);
    m.put("nan", Double.NaN);
    m.put("infinite", Double.POSITIVE_INFINITY);
    m.put("decimal", new java.math.BigDecimal("1E+3"));
    m.put("mode", AggregationMode.SEED_COMPATIBLE);
    assertThat(FleetJson.write(m)).isEqualTo("{\"text\":\"a \\\"quoted\\\" \\\\ line\\nnext\\u0001\\u2028\","
        + "\"list\":[1,2.5,true],\"none\":null,\"nan\":null,\"infinite\":null,\"decimal\":1000,\"mode\":\"seed_compatible\"}");
  }

  @Test
  void requestNamesAreTheDesigns() {
    assertThat(FleetJson.metric("oee")).isEqualTo(Metric.OEE);
    assertThat(FleetJson.metric("uptime")).isEqualTo(Metric.UPTIME);
    assertThat(FleetJson.metric("avg_uptime")).isEqualTo(Metric.UPTIME);
    assertThat(FleetJson.metric("efficiency")).isEqualTo(Metric.EFFICIENCY);
    assertThat(FleetJson.metric("MTTR")).isEqualTo(Metric.MTTR);
    assertThatThrownBy(() -> FleetJson.metric("speed")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unknown metric 'speed'");
    assertThat(FleetJson.period("weekly")).isEqualTo(TrendPeriod.WEEK);
    assertThatThrownBy(() -> FleetJson.period("yearly")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unknown period 'yearly'");
  }
}
