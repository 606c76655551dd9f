package io.modax.fleet.spring;

import io.modax.fleet.FleetAnalytics;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code fleetAnalytics} health indicator ({@link FleetAnalyticsHealthIndicator}), when the
 * Actuator is on the class path; off with {@code management.health.fleet-analytics.enabled=false}.
 */
@AutoConfiguration(after = FleetAnalyticsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(FleetAnalytics.class)
public class FleetAnalyticsHealthAutoConfiguration {

  /** The indicator, named {@code fleetAnalytics} in the health endpoint. */
  @Bean(name = "fleetAnalyticsHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("fleet-analytics") // here, not on the class: its condition class is actuator's
  @ConditionalOnMissingBean(name = "fleetAnalyticsHealthIndicator")
  public FleetAnalyticsHealthIndicator fleetAnalyticsHealthIndicator(FleetAnalytics fleet) {
    return new FleetAnalyticsHealthIndicator(fleet);
  }
}
