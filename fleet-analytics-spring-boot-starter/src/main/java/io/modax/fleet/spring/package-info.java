/**
 * Spring Boot auto-configuration for fleet-analytics: a {@link io.modax.fleet.FleetAnalytics} bean
 * from the application's {@code DataSource} and {@code fleet.analytics.*} properties, the design's
 * seven endpoints under {@code /fleet/organizations/{org_id}} answering with {@link
 * io.modax.fleet.json.FleetJson}, callers from a {@link io.modax.fleet.spring.FleetCallerResolver},
 * RFC 9457 problem details, Micrometer timers and write counters, an Actuator health indicator and
 * an OpenAPI description. See the project README's "HTTP API (Spring Boot)".
 */
@NullMarked
package io.modax.fleet.spring;

import org.jspecify.annotations.NullMarked;
