package io.modax.fleet.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the OpenAPI 3.1 description of the seven endpoints at {@value #PATH}: paths, parameters
 * with their defaults, the answers' fields (the design's JSON names) and the problem details. A
 * static document shipped in the jar ({@value #RESOURCE}), so it needs no OpenAPI library;
 * the starter's tests check it against the controller's mappings. Thread-safe.
 */
@RestController
public class FleetOpenApiController {

  /** Where it is served: {@value}. */
  public static final String PATH = "/fleet/openapi.json";

  /** The class-path resource it is read from: {@value}. */
  public static final String RESOURCE = "META-INF/fleet-analytics/openapi.json";

  private final String document;

  /** Reads the document once. */
  public FleetOpenApiController() {
    this.document = read();
  }

  /** The document's text. */
  public static String read() {
    try (InputStream in = FleetOpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The OpenAPI document. */
  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> openApi() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(document);
  }
}
