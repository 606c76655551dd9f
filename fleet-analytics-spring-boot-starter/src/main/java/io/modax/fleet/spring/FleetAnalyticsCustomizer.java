package io.modax.fleet.spring;

import io.modax.fleet.FleetAnalytics;

/**
 * Adjusts the {@link FleetAnalytics.Builder} the auto-configuration builds the bean with, after the
 * {@code fleet.analytics.*} properties are applied: a clock, a read replica, anything the
 * properties do not cover. Every customizer bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface FleetAnalyticsCustomizer {

  /** Adjusts the builder (called once, on the thread creating the bean). */
  void customize(FleetAnalytics.Builder builder);
}
