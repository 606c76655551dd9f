package io.modax.fleet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.QuarantineReason;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabases;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.security.core.context.SecurityContextHolder;

/** The auto-configurations' conditions, on a real (embedded or external) migrated database. */
class FleetAnalyticsAutoConfigurationTest {

  static FleetDatabase db;

  static final AutoConfigurations ALL = AutoConfigurations.of(FleetAnalyticsAutoConfiguration.class,
      FleetAnalyticsMetricsAutoConfiguration.class, FleetAnalyticsWebAutoConfiguration.class,
      FleetAnalyticsHealthAutoConfiguration.class);

  @BeforeAll
  static void database() {
    db = FleetDatabases.shared();
  }

  /** The shared pool, behind a wrapper without close(): a context closing must not close it. */
  static DataSource dataSource() {
    return new DelegatingDataSource(db.dataSource());
  }

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(ALL)
        .withBean(DataSource.class, FleetAnalyticsAutoConfigurationTest::dataSource)
        .withPropertyValues("fleet.analytics.schema=" + db.schema(), "fleet.analytics.schema-action=validate");
  }

  WebApplicationContextRunner webRunner() {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class)).withConfiguration(ALL)
        .withBean(DataSource.class, FleetAnalyticsAutoConfigurationTest::dataSource)
        .withPropertyValues("fleet.analytics.schema=" + db.schema(), "fleet.analytics.schema-action=validate");
  }

  @Test
  void buildsFleetAnalyticsFromTheDataSourceAndPropertiesAndClosesItAtShutdown() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-24T08:00:00Z"), ZoneOffset.UTC);
    runner()
        .withPropertyValues("fleet.analytics.aggregation-mode=seed_compatible", "fleet.analytics.write-chunk-size=77")
        .withBean(FleetAnalyticsCustomizer.class, () -> b -> b.clock(clock))
        .run(context -> {
          assertThat(context).hasSingleBean(FleetAnalytics.class);
          FleetAnalytics fleet = context.getBean(FleetAnalytics.class);
          assertThat(((DelegatingDataSource) fleet.dataSource()).getTargetDataSource()).isSameAs(db.dataSource());
          assertThat(fleet.schema()).isEqualTo(db.schema());
          assertThat(fleet.aggregationMode()).isEqualTo(AggregationMode.SEED_COMPATIBLE);
          assertThat(fleet.clock()).isSameAs(clock); // the customizer ran after the properties
          assertThat(fleet.schemaStatus().isCurrent()).isTrue();
          assertThat(context.getBeanFactory().getBeanDefinition("fleetAnalytics").getDestroyMethodName())
              .isEqualTo("close");
          assertThat(context).getBean(FleetWriteRecorder.class).isNotSameAs(FleetWriteRecorder.NONE);
          // not a web application: no endpoints
          assertThat(context).doesNotHaveBean(FleetAnalyticsController.class);
        });
  }

  @Test
  void aBadPropertyStopsTheContextWithTheLibrarysMessage() {
    runner().withPropertyValues("fleet.analytics.write-chunk-size=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("writeChunkSize");
    });
  }

  @Test
  void theLimitsAndTheReadTimeoutAreProperties() {
    runner().withPropertyValues("fleet.analytics.max-ids-per-request=2", "fleet.analytics.read-timeout=5s")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FleetAnalytics.class));
    for (String bad : new String[] {"max-ids-per-request=0", "max-locations-per-organization=0",
        "max-devices-per-call=0", "max-events-per-call=0", "max-parts-per-event=0", "read-timeout=0s"}) {
      String name = bad.substring(0, bad.indexOf('='));
      String camel = java.util.regex.Pattern.compile("-(\\w)").matcher(name).replaceAll(m -> m.group(1).toUpperCase());
      runner().withPropertyValues("fleet.analytics." + bad).run(context -> {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(camel);
      });
    }
  }

  @Test
  void backsOffWithoutADataSourceWhenDisabledAndBeforeTheHostsOwnBean() {
    new ApplicationContextRunner().withConfiguration(ALL)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetAnalytics.class));
    runner().withPropertyValues("fleet.analytics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FleetAnalytics.class));
    FleetAnalytics own = FleetAnalytics.builder(db.dataSource()).schema(db.schema())
        .schemaAction(SchemaAction.NONE).build();
    runner().withBean("ownFleet", FleetAnalytics.class, () -> own)
        .run(context -> assertThat(context).getBean(FleetAnalytics.class).isSameAs(own));
  }

  @Test
  void servesTheEndpointsInAServletApplicationWithTheSpringSecurityResolverByDefault() {
    webRunner().run(context -> {
      assertThat(context).hasSingleBean(FleetAnalyticsController.class).hasSingleBean(FleetProblemHandler.class)
          .hasSingleBean(FleetOpenApiController.class).hasSingleBean(SpringSecurityCallerResolver.class);
    });
    FleetCallerResolver own = request -> java.util.Optional.empty();
    webRunner().withBean(FleetCallerResolver.class, () -> own).run(context -> {
      assertThat(context).getBean(FleetCallerResolver.class).isSameAs(own);
      assertThat(context).doesNotHaveBean(SpringSecurityCallerResolver.class);
    });
    webRunner().withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run(context -> {
      assertThat(context).hasSingleBean(FleetAnalyticsController.class).doesNotHaveBean(FleetCallerResolver.class);
    });
    webRunner().withPropertyValues("fleet.analytics.web.enabled=false")
        .run(context -> assertThat(context).hasSingleBean(FleetAnalytics.class).doesNotHaveBean(FleetAnalyticsController.class));
    webRunner().withPropertyValues("fleet.analytics.web.openapi=false")
        .run(context -> assertThat(context).hasSingleBean(FleetAnalyticsController.class).doesNotHaveBean(FleetOpenApiController.class));
  }

  @Test
  void timesAnalysesAndCountsWritesWhenMicrometerIsPresent() {
    webRunner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      FleetAnalysisObserver observer = context.getBean(FleetAnalysisObserver.class);
      assertThat(observer.observe("overview", () -> 42)).isEqualTo(42);
      assertThatThrownBy(() -> observer.observe("overview", () -> {
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(registry.get(FleetAnalyticsMetricsAutoConfiguration.ANALYSIS_TIMER)
          .tags("analysis", "overview", "exception", "none").timer().count()).isEqualTo(1);
      assertThat(registry.get(FleetAnalyticsMetricsAutoConfiguration.ANALYSIS_TIMER)
          .tags("analysis", "overview", "exception", "IllegalStateException").timer().count()).isEqualTo(1);
      FleetWriteRecorder writes = context.getBean(FleetWriteRecorder.class);
      WriteReport report = new WriteReport(10, 6, 1, 0, Map.of(QuarantineReason.values()[0], 3L));
      assertThat(writes.record("metrics", report)).isSameAs(report);
      writes.record("metrics", report);
      assertThat(registry.get(FleetAnalyticsMetricsAutoConfiguration.WRITE_COUNTER)
          .tags("kind", "metrics", "outcome", "inserted").counter().count()).isEqualTo(12.0);
      assertThat(registry.get(FleetAnalyticsMetricsAutoConfiguration.WRITE_COUNTER)
          .tags("kind", "metrics", "outcome", "quarantined").counter().count()).isEqualTo(6.0);
    });
    // the starter's own FleetAnalytics counts its writer's calls without the host wrapping them
    runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      FleetAnalytics fleet = context.getBean(FleetAnalytics.class);
      WriteReport written = fleet.writer().writeOrganization(CallerContext.of("starter-test", "counted", Role.OPERATOR),
          new Organization("counted", "Counted", "Europe/Berlin", "EUR"));
      assertThat(written.submitted()).isEqualTo(1);
      double counted = 0;
      for (String outcome : new String[] {"inserted", "updated", "unchanged", "quarantined"}) {
        var counter = registry.find(FleetAnalyticsMetricsAutoConfiguration.WRITE_COUNTER)
            .tags("kind", "organizations", "outcome", outcome).counter();
        counted += counter == null ? 0 : counter.count();
      }
      assertThat(counted).isEqualTo(1.0);
    });
    webRunner().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).getBean(FleetAnalysisObserver.class).isSameAs(FleetAnalysisObserver.NONE);
      assertThat(context).getBean(FleetWriteRecorder.class).isSameAs(FleetWriteRecorder.NONE);
    });
  }

  @Test
  void theHealthIndicatorCarriesTheSchemaVersionWhenTheActuatorIsPresent() {
    runner().run(context -> {
      Health health = context.getBean(FleetAnalyticsHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("schema", db.schema())
          .containsEntry("installed_version", FleetSchema.latestVersion())
          .containsEntry("latest_version", FleetSchema.latestVersion());
    });
    runner().withPropertyValues("management.health.fleet-analytics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FleetAnalyticsHealthIndicator.class));
    runner().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasSingleBean(FleetAnalytics.class)
            .doesNotHaveBean(FleetAnalyticsHealthIndicator.class));
  }

  @Test
  void theHealthIndicatorIsDownForASchemaThatIsNotThere() {
    FleetAnalytics elsewhere = FleetAnalytics.builder(db.dataSource()).schema("fleet_not_installed")
        .schemaAction(SchemaAction.NONE).build();
    Health health = new FleetAnalyticsHealthIndicator(elsewhere).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("installed_version", 0);
  }
}
