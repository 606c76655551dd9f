package io.modax.fleet.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void textThatCouldCloseAScriptIsEscaped() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "</script><b>&\u2028\"\\");
    m.put("values", Arrays.asList(1.0, 0.5, null, Double.NaN, 3));
    assertThat(JsonText.compact(m)).isEqualTo(
        "{\"name\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\\"\\\\\",\"values\":[1,0.5,null,null,3]}");
    assertThat(JsonText.pretty(Map.of("a", java.util.List.of(1)))).isEqualTo("{\n  \"a\": [\n    1\n  ]\n}\n");
  }

  @Test
  void htmlEscapingCoversAttributesAndContent() {
    assertThat(HtmlReport.e("<a href='x'>\"&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  }
}
