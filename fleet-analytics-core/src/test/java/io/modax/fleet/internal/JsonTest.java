package io.modax.fleet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON writer, in each of the library's styles (the outputs the three writers gave). */
class JsonTest {

  private enum Kind { FAILURE }

  private static Map<String, Object> sample() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "</script><b>&\u2028\"\\\n\u0001");
    m.put("values", Arrays.asList(1.0, 0.5, null, Double.NaN, Double.NEGATIVE_INFINITY, 3, 2.5f,
        new BigDecimal("1.50"), true));
    m.put("at", Instant.parse("2026-03-29T01:00:00Z"));
    m.put("kind", Kind.FAILURE);
    m.put("empty", List.of());
    m.put("none", Map.of());
    return m;
  }

  @Test
  void reportTextCanSitInsideAScriptTagAndWritesNonFiniteAsNull() {
    assertThat(Json.write(sample(), Json.Style.REPORT)).isEqualTo(
        "{\"name\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\\"\\\\\\n\\u0001\","
            + "\"values\":[1,0.5,null,null,null,3,2.5,1.50,true],\"at\":\"2026-03-29T01:00:00Z\","
            + "\"kind\":\"FAILURE\",\"empty\":[],\"none\":{}}");
    assertThat(Json.write(Map.of("a", List.of(1)), Json.Style.REPORT_PRETTY))
        .isEqualTo("{\n  \"a\": [\n    1\n  ]\n}\n");
  }

  @Test
  void storedTextKeepsNonFiniteValuesAndNulAsTextAndDoesNotEscapeForHtml() {
    assertThat(Json.toJson(sample())).isEqualTo(
        "{\"name\":\"</script><b>&\\u2028\\\"\\\\\\n\\u0001\","
            + "\"values\":[1.0,0.5,null,\"NaN\",\"-Infinity\",3,2.5,1.50,true],\"at\":\"2026-03-29T01:00:00Z\","
            + "\"kind\":\"FAILURE\",\"empty\":[],\"none\":{}}");
    assertThat(Json.object().put("s", "a\u0000b").put("n", 1e20).toJson())
        .isEqualTo("{\"s\":\"a\\\\u0000b\",\"n\":1.0E20}");
  }

  @Test
  void aStyleNamesEnumsItsOwnWayAndEscapesNulForJsonb() {
    Json.Style api = new Json.Style(false, false, false, false, -1, e -> e.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(Json.write(Arrays.asList(Kind.FAILURE, 1.0, Double.NaN, "a\u0000b"), api))
        .isEqualTo("[\"failure\",1.0,null,\"a\\u0000b\"]");
  }
}
