package io.modax.fleet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.json.FleetJson;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.TimescaleMode;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabases;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The web layer in a servlet context with no resolver bean: the Spring Security default resolver
 * takes the caller from the security context, none answers 401, and a database that does not
 * answer is 503. (The example host covers every endpoint over real HTTP.)
 */
class FleetEndpointsMockMvcTest {

  static final AutoConfigurations WEB = AutoConfigurations.of(JacksonAutoConfiguration.class,
      HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
      FleetAnalyticsAutoConfiguration.class, FleetAnalyticsWebAutoConfiguration.class);

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
  }

  static MockMvc mvc(WebApplicationContext context) {
    return MockMvcBuilders.webAppContextSetup(context).build();
  }

  static void authenticate(String name, String... authorities) {
    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
        name, "n/a", AuthorityUtils.createAuthorityList(authorities)));
  }

  @Test
  void theCallerComesFromSpringSecurityAndNoneIs401() {
    FleetDatabase db = FleetDatabases.shared();
    FleetAnalytics setup = FleetAnalytics.builder(db.dataSource()).schema(db.schema()).build();
    CallerContext admin = CallerContext.of("setup", "mvc-org", Role.ADMIN);
    setup.writer().writeOrganization(admin, new Organization("mvc-org", "MVC", "Europe/Berlin", "EUR"));
    setup.writer().writeLocations(admin, "mvc-org", List.of(Location.of("mvc-org", "L1", "Plant 1", "Europe/Berlin")));
    new WebApplicationContextRunner().withConfiguration(WEB)
        .withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
        .withPropertyValues("fleet.analytics.schema=" + db.schema(), "fleet.analytics.schema-action=validate")
        .run(context -> {
          MockMvc mvc = mvc(context);
          mvc.perform(get("/fleet/organizations/mvc-org/overview"))
              .andExpect(status().isUnauthorized())
              .andExpect(header().string("WWW-Authenticate", "Bearer"))
              .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));

          authenticate("gateway-1", "ROLE_READ_ONLY", "TENANT_mvc-org");
          String body = mvc.perform(get("/fleet/organizations/mvc-org/overview"))
              .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
          FleetAnalytics fleet = context.getBean(FleetAnalytics.class);
          CallerContext reader = CallerContext.of("gateway-1", "mvc-org", Role.READ_ONLY);
          String library = FleetJson.write(FleetJson.overview(fleet.fleetAnalyzer().overview(reader, "mvc-org"),
              fleet.aggregationMode()));
          // the same document but for the window's end (each call reads the clock)
          assertThat(body.replaceAll("\"window_(start|end)\":\"[^\"]*\"", ""))
              .isEqualTo(library.replaceAll("\"window_(start|end)\":\"[^\"]*\"", ""));
          assertThat(body).contains("\"total_locations\":1");

          authenticate("gateway-2", "ROLE_OPERATOR", "TENANT_globex");
          mvc.perform(get("/fleet/organizations/mvc-org/overview")).andExpect(status().isForbidden());
          authenticate("gateway-3", "ROLE_OPERATOR"); // no tenant: not a caller
          mvc.perform(get("/fleet/organizations/mvc-org/overview")).andExpect(status().isUnauthorized());
        });
  }

  @Test
  void aDatabaseThatDoesNotAnswerIs503WithoutItsMessage() {
    PGSimpleDataSource dead = new PGSimpleDataSource();
    dead.setURL("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2");
    new WebApplicationContextRunner().withConfiguration(WEB)
        .withBean(DataSource.class, () -> dead)
        .withBean(FleetCallerResolver.class, () -> request -> java.util.Optional.of(
            CallerContext.of("gateway-a", "acme", Role.OPERATOR)))
        .withBean(FleetAnalyticsCustomizer.class, () -> b -> b.schemaAction(SchemaAction.NONE)
            .timescale(TimescaleMode.DISABLED))
        .run(context -> {
          assertThat(context).hasNotFailed();
          mvc(context).perform(get("/fleet/organizations/acme/underperformers"))
              .andExpect(status().isServiceUnavailable())
              .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
              .andExpect(jsonPath("$.type").value("urn:fleet-analytics:problem:warehouse-unavailable"))
              .andExpect(jsonPath("$.detail").value("the fleet warehouse could not answer; try again later"));
        });
  }
}
