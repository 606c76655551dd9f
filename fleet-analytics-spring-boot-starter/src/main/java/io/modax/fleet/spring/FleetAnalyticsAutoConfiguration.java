package io.modax.fleet.spring;

import io.modax.fleet.FleetAnalytics;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A {@link FleetAnalytics} bean from the application's only (or primary) {@link DataSource} and the
 * {@code fleet.analytics.*} properties, adjusted by every {@link FleetAnalyticsCustomizer}; closed
 * when the context closes (the host's {@code DataSource} is left open). Building it migrates or
 * validates the schema as {@code fleet.analytics.schema-action} says, so a database that cannot be
 * migrated stops the application at start-up. Backs off when the host defines its own {@code
 * FleetAnalytics} or sets {@code fleet.analytics.enabled=false}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(FleetAnalytics.class)
@ConditionalOnProperty(prefix = "fleet.analytics", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(FleetAnalyticsProperties.class)
public class FleetAnalyticsAutoConfiguration {

  /** The library, built once. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(DataSource.class)
  public FleetAnalytics fleetAnalytics(DataSource dataSource, FleetAnalyticsProperties properties,
      ObjectProvider<FleetAnalyticsCustomizer> customizers) {
    FleetAnalytics.Builder builder = FleetAnalytics.builder(dataSource);
    properties.applyTo(builder);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** Counts nothing unless the metrics auto-configuration (Micrometer present) supplied a recorder. */
  @Bean
  @ConditionalOnMissingBean
  public FleetWriteRecorder fleetWriteRecorder() {
    return FleetWriteRecorder.NONE;
  }
}
