package io.modax.fleet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;

/**
 * The shipped OpenAPI document describes exactly the controller's endpoints: the same seven paths,
 * the same path and query parameters, required where the controller requires them, with the same
 * defaults. (The example host checks the answers' fields against its schemas over HTTP.)
 */
class FleetOpenApiDocumentTest {

  record Param(String in, boolean required, String defaultValue) {}

  @Test
  void theDocumentMatchesTheControllersMappings() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(FleetOpenApiController.read());
    assertThat(doc.get("openapi").asText()).startsWith("3.1");

    Map<String, Map<String, Param>> controller = new TreeMap<>();
    for (Method m : FleetAnalyticsController.class.getDeclaredMethods()) {
      GetMapping get = m.getAnnotation(GetMapping.class);
      if (get == null) {
        continue;
      }
      Map<String, Param> params = new TreeMap<>();
      for (Parameter p : m.getParameters()) {
        PathVariable path = p.getAnnotation(PathVariable.class);
        RequestParam query = p.getAnnotation(RequestParam.class);
        if (path != null) {
          params.put(path.value(), new Param("path", true, null));
        } else if (query != null) {
          boolean hasDefault = !query.defaultValue().equals(ValueConstants.DEFAULT_NONE);
          params.put(query.name().isEmpty() ? query.value() : query.name(),
              new Param("query", query.required() && !hasDefault, hasDefault ? query.defaultValue() : null));
        }
      }
      controller.put(FleetAnalyticsController.BASE_PATH + get.value()[0], params);
    }

    Map<String, Map<String, Param>> documented = new TreeMap<>();
    doc.get("paths").properties().forEach(e -> {
      Map<String, Param> params = new TreeMap<>();
      for (JsonNode p : e.getValue().get("get").get("parameters")) {
        JsonNode resolved = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
        JsonNode def = resolved.get("schema").get("default");
        params.put(resolved.get("name").asText(), new Param(resolved.get("in").asText(),
            resolved.path("required").asBoolean(false), def == null ? null : def.asText()));
      }
      documented.put(e.getKey(), params);
    });

    assertThat(controller).hasSize(7);
    assertThat(documented).isEqualTo(controller);
  }

  @Test
  void everyAnswerAndEveryErrorHasASchema() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(FleetOpenApiController.read());
    List<String> missing = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    doc.get("paths").properties().forEach(e -> {
      JsonNode responses = e.getValue().get("get").get("responses");
      for (String status : List.of("200", "400", "401", "403", "404", "503")) {
        JsonNode r = responses.get(status);
        if (r == null) {
          missing.add(e.getKey() + " " + status);
          continue;
        }
        JsonNode content = r.get("content");
        String type = status.equals("200") ? "application/json" : "application/problem+json";
        String ref = content.get(type).get("schema").get("$ref").asText();
        assertThat(doc.at(ref.substring(1)).get("properties")).as(ref).isNotNull();
        seen.merge(status, 1, Integer::sum);
      }
    });
    assertThat(missing).isEmpty();
    assertThat(seen).containsEntry("200", 7).containsEntry("401", 7);
  }
}
