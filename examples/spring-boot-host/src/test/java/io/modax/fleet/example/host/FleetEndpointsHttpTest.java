package io.modax.fleet.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.FleetAnalyzer;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.json.FleetJson;
import io.modax.fleet.spring.FleetAnalyticsCustomizer;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabases;
import io.modax.fleet.testkit.SampleFleet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every endpoint of the design over real HTTP on a random port, against the testkit's database
 * (an embedded PostgreSQL unless FLEET_ANALYTICS_TEST_JDBC_URL names one) holding the design fleet:
 * each answer equals the library's own answer to the same call through the Java API (mapped by the
 * same FleetJson), its names are the design's, and 401, 403, 404 and 400 come where due.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "host.api-keys.operator-key=gateway-a,acme,operator",
    "host.api-keys.other-tenant-key=gateway-z,globex,read_only",
    "host.api-keys.admin-key=modax-admin,modax,admin"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetEndpointsHttpTest {

  static final FleetDatabase DB = FleetDatabases.shared();
  static final SampleFleet SAMPLE = SampleFleet.designFleet();
  /** Every "last N days" window ends here, for the HTTP call and the Java call alike. */
  static final Clock CLOCK = Clock.fixed(SAMPLE.end(), ZoneOffset.UTC);
  static final CallerContext OPERATOR = CallerContext.of("gateway-a", "acme", Role.OPERATOR);
  static final ObjectMapper MAPPER = new ObjectMapper();

  @DynamicPropertySource
  static void warehouse(DynamicPropertyRegistry registry) {
    registry.add("fleet.analytics.schema", DB::schema);
  }

  /** The test's database and clock; the application itself is unchanged. */
  @TestConfiguration
  static class TestWarehouse {
    @Bean
    DataSource dataSource() {
      return new DelegatingDataSource(DB.dataSource()); // the testkit owns the pool: no close() here
    }

    @Bean
    FleetAnalyticsCustomizer fixedClock() {
      return builder -> builder.clock(CLOCK);
    }
  }

  @LocalServerPort int port;
  @Autowired FleetAnalytics fleet;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void loadTheDesignFleet() {
    DB.reset();
    SAMPLE.load(fleet);
  }

  record Answer(int status, String contentType, JsonNode body) {}

  Answer get(String path, String apiKey) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
        r.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(r.body()));
  }

  static JsonNode library(Map<String, ?> json) throws IOException {
    return MAPPER.readTree(FleetJson.write(json));
  }

  static String org(String rest) {
    return "/fleet/organizations/acme" + rest;
  }

  static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.properties().forEach(e -> out.add(e.getKey()));
    return out;
  }

  static String q(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }

  Answer ok(String path) throws IOException, InterruptedException {
    Answer a = get(path, "operator-key");
    assertThat(a.status()).as(path + ": " + a.body()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    describedByTheOpenApiDocument(path, a.body());
    return a;
  }

  JsonNode api;

  /** The answer has the fields the served OpenAPI document gives its schema, no more, no fewer required. */
  void describedByTheOpenApiDocument(String path, JsonNode body) throws IOException, InterruptedException {
    if (api == null) {
      api = get("/fleet/openapi.json", null).body();
    }
    String template = path.replaceFirst("\\?.*", "").replace("/organizations/acme/", "/organizations/{org_id}/")
        .replaceFirst("/locations/[^/]+/benchmark", "/locations/{location_id}/benchmark");
    JsonNode schema = api.get("paths").get(template).get("get").get("responses").get("200").get("content")
        .get("application/json").get("schema");
    conforms(body, schema, template);
  }

  void conforms(JsonNode node, JsonNode schema, String where) {
    if (schema.has("$ref")) {
      schema = api.at(schema.get("$ref").asText().substring(1));
    }
    if (schema.has("properties") && node.isObject()) {
      assertThat(keys(node)).as(where).isSubsetOf(keys(schema.get("properties")));
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      assertThat(keys(node)).as(where).containsAll(required);
      for (String k : keys(node)) {
        conforms(node.get(k), schema.get("properties").get(k), where + "." + k);
      }
    } else if (schema.has("items") && node.isArray()) {
      for (JsonNode item : node) {
        conforms(item, schema.get("items"), where + "[]");
      }
    }
  }

  static void carriesItsWindow(JsonNode body) {
    assertThat(keys(body)).contains("organization_id", "window_start", "window_end", "window_time_zone", "aggregation_mode");
    assertThat(body.get("window_time_zone").asText()).isEqualTo("UTC");
    assertThat(body.get("aggregation_mode").asText()).isEqualTo("exposure_weighted");
  }

  @Test
  void overview() throws Exception {
    JsonNode body = ok(org("/overview")).body();
    assertThat(body).isEqualTo(library(FleetJson.overview(fleet.fleetAnalyzer().overview(OPERATOR, "acme"),
        fleet.aggregationMode())));
    assertThat(keys(body)).contains("total_devices", "total_locations", "overall_oee", "overall_uptime",
        "total_failures_last_30d");
    assertThat(body.get("total_locations").asInt()).isEqualTo(SAMPLE.locations().size());
    carriesItsWindow(body);
  }

  @Test
  void compareLocations() throws Exception {
    Instant end = CLOCK.instant();
    Instant start = end.minus(Duration.ofDays(14));
    JsonNode body = ok(org("/locations/compare?location_ids=A&location_ids=B&location_ids=C&start_date=" + q(start)
        + "&end_date=" + q(end))).body();
    assertThat(body).isEqualTo(library(FleetJson.comparison(
        fleet.fleetAnalyzer().compareLocations(OPERATOR, "acme", List.of("A", "B", "C"), start, end))));
    carriesItsWindow(body);
    assertThat(body.get("window_start").asText()).isEqualTo(start.toString());
    assertThat(body.get("locations")).hasSize(3);
    assertThat(keys(body.get("locations").get(0))).contains("location_id", "location_name", "avg_uptime",
        "avg_efficiency", "oee", "total_failures", "mtbf", "mttr");
    // comma-separated ids are the same request
    assertThat(ok(org("/locations/compare?location_ids=A,B,C&start_date=" + q(start) + "&end_date=" + q(end))).body())
        .isEqualTo(body);
  }

  @Test
  void benchmarkLocation() throws Exception {
    JsonNode body = ok(org("/locations/B/benchmark")).body();
    assertThat(body).isEqualTo(library(FleetJson.benchmark(fleet.benchmarking().benchmarkLocation(OPERATOR, "acme", "B"))));
    for (String metric : List.of("uptime", "oee", "mtbf", "mttr", "energy_consumption")) {
      assertThat(keys(body.get(metric))).as(metric).contains("location", "fleet_average", "difference_pct", "status");
    }
    carriesItsWindow(body);
  }

  @Test
  void failureTrends() throws Exception {
    JsonNode monthly = ok(org("/trends/failures")).body();
    assertThat(monthly).isEqualTo(library(FleetJson.failureTrends(
        fleet.trendAnalyzer().failureTrends(OPERATOR, "acme", TrendPeriod.MONTH))));
    assertThat(monthly.get("period").asText()).isEqualTo("monthly");
    JsonNode weekly = ok(org("/trends/failures?period=weekly")).body();
    assertThat(weekly).isEqualTo(library(FleetJson.failureTrends(
        fleet.trendAnalyzer().failureTrends(OPERATOR, "acme", TrendPeriod.WEEK))));
    carriesItsWindow(weekly);
    assertThat(keys(weekly.get("trends").get(0))).contains("period", "location_id", "location_name", "total_failures",
        "mtbf", "trend", "trend_status");
  }

  @Test
  void forecastMaintenance() throws Exception {
    JsonNode body = ok(org("/forecast/maintenance?forecast_days=14")).body();
    assertThat(body).isEqualTo(library(FleetJson.maintenanceForecast(
        fleet.trendAnalyzer().forecastMaintenanceDemand(OPERATOR, "acme", 14))));
    assertThat(keys(body)).contains("forecast_period_days", "expected_failures", "confidence_interval_95",
        "recommended_spare_parts", "aggregation_mode");
    assertThat(body.get("forecast_period_days").asInt()).isEqualTo(14);
    assertThat(keys(body.get("confidence_interval_95"))).containsExactly("lower", "upper");
    assertThat(ok(org("/forecast/maintenance")).body().get("forecast_period_days").asInt()).isEqualTo(30);
  }

  @Test
  void bestPerformers() throws Exception {
    JsonNode byDefault = ok(org("/best-performers")).body();
    assertThat(byDefault).isEqualTo(library(FleetJson.bestPerformers(
        fleet.fleetAnalyzer().bestPerformers(OPERATOR, "acme", Metric.OEE, FleetAnalyzer.DEFAULT_TOP_N),
        FleetAnalyzer.DEFAULT_TOP_N)));
    JsonNode uptime = ok(org("/best-performers?metric=uptime&top_n=2")).body();
    assertThat(uptime).isEqualTo(library(FleetJson.bestPerformers(
        fleet.fleetAnalyzer().bestPerformers(OPERATOR, "acme", Metric.UPTIME, 2), 2)));
    assertThat(uptime.get("metric").asText()).isEqualTo("avg_uptime");
    assertThat(uptime.get("locations")).hasSize(2);
    assertThat(keys(uptime.get("locations").get(0))).startsWith("location_id", "location_name", "metric_value");
    carriesItsWindow(uptime);
  }

  @Test
  void underperformers() throws Exception {
    JsonNode body = ok(org("/underperformers?threshold=0.8")).body();
    assertThat(body).isEqualTo(library(FleetJson.underperformers(
        fleet.fleetAnalyzer().underperformers(OPERATOR, "acme", 0.8), 0.8)));
    assertThat(body.get("locations")).isNotEmpty();
    assertThat(keys(body.get("locations").get(0))).contains("location_id", "location_name", "oee", "avg_uptime",
        "total_failures");
    assertThat(body.get("threshold").asDouble()).isEqualTo(0.8);
    carriesItsWindow(body);
    assertThat(ok(org("/underperformers")).body().get("threshold").asDouble()).isEqualTo(0.7);
  }

  static void problem(Answer a, int status, String detail) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(status);
    assertThat(a.contentType()).startsWith("application/problem+json");
    assertThat(a.body().get("status").asInt()).isEqualTo(status);
    assertThat(a.body().get("detail").asText()).contains(detail);
    assertThat(a.body().get("type").asText()).startsWith("urn:fleet-analytics:problem:");
  }

  @Test
  void withoutACallerEveryEndpointIs401() throws Exception {
    for (String path : List.of("/overview", "/locations/compare", "/locations/B/benchmark", "/trends/failures",
        "/forecast/maintenance", "/best-performers", "/underperformers?threshold=abc")) {
      problem(get(org(path), null), 401, "no caller");
      problem(get(org(path), "no-such-key"), 401, "no caller");
    }
  }

  @Test
  void anotherTenantIs403AndOnlyAnAdminActsForAnotherOrganization() throws Exception {
    problem(get(org("/overview"), "other-tenant-key"), 403, "acme");
    problem(get(org("/best-performers"), "other-tenant-key"), 403, "acme");
    assertThat(get(org("/overview"), "admin-key").status()).isEqualTo(200);
  }

  @Test
  void anUnknownOrganizationOrLocationIs404() throws Exception {
    problem(get("/fleet/organizations/no-such-org/overview", "admin-key"), 404, "no-such-org");
    problem(get(org("/locations/ZZ/benchmark"), "operator-key"), 404, "ZZ");
  }

  @Test
  void aBadArgumentIs400NamingTheValue() throws Exception {
    problem(get(org("/underperformers?threshold=1.5"), "operator-key"), 400, "1.5");
    problem(get(org("/underperformers?threshold=high"), "operator-key"), 400, "threshold 'high' is not a number");
    problem(get(org("/best-performers?metric=speed"), "operator-key"), 400, "unknown metric 'speed'");
    problem(get(org("/best-performers?top_n=0"), "operator-key"), 400, "0");
    problem(get(org("/trends/failures?period=yearly"), "operator-key"), 400, "unknown period 'yearly'");
    problem(get(org("/forecast/maintenance?forecast_days=100000"), "operator-key"), 400, "100000");
    problem(get(org("/locations/compare?location_ids=A"), "operator-key"), 400, "start_date is required");
    problem(get(org("/locations/compare?location_ids=A&start_date=2026-11-01&end_date=" + q(CLOCK.instant())),
        "operator-key"), 400, "start_date '2026-11-01' is not an ISO-8601 date-time");
  }

  @Test
  void theHealthEndpointCarriesTheSchemaVersion() throws Exception {
    Answer health = get("/actuator/health", null);
    assertThat(health.status()).isEqualTo(200);
    JsonNode details = health.body().get("components").get("fleetAnalytics");
    assertThat(details.get("status").asText()).isEqualTo("UP");
    assertThat(details.get("details").get("installed_version").asInt())
        .isEqualTo(details.get("details").get("latest_version").asInt()).isPositive();
  }

  @Test
  void theOpenApiDescriptionDescribesEveryEndpoint() throws Exception {
    Answer api = get("/fleet/openapi.json", null);
    assertThat(api.status()).isEqualTo(200);
    assertThat(keys(api.body().get("paths"))).containsExactlyInAnyOrder(
        "/fleet/organizations/{org_id}/overview", "/fleet/organizations/{org_id}/locations/compare",
        "/fleet/organizations/{org_id}/locations/{location_id}/benchmark",
        "/fleet/organizations/{org_id}/trends/failures", "/fleet/organizations/{org_id}/forecast/maintenance",
        "/fleet/organizations/{org_id}/best-performers", "/fleet/organizations/{org_id}/underperformers");
  }
}
