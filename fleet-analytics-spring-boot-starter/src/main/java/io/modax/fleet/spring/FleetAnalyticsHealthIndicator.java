package io.modax.fleet.spring;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.SchemaStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Actuator health of the fleet warehouse: reads the schema's installed version from the database
 * on every check ({@link FleetSchema#status()}). Up when every migration this library ships is
 * installed; down when the schema is behind, unreadable or the database does not answer. Details:
 * {@code schema}, {@code installed_version}, {@code latest_version}, {@code hypertable}, {@code
 * reads_from_replica}.
 */
public class FleetAnalyticsHealthIndicator extends AbstractHealthIndicator {

  private final FleetAnalytics fleet;

  /** The health of the given instance's warehouse. */
  public FleetAnalyticsHealthIndicator(FleetAnalytics fleet) {
    super("fleet analytics warehouse check failed");
    this.fleet = fleet;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    SchemaStatus s = FleetSchema.of(fleet.dataSource(), fleet.schema()).status();
    (s.isCurrent() ? builder.up() : builder.down())
        .withDetail("schema", s.schema())
        .withDetail("installed_version", s.installedVersion())
        .withDetail("latest_version", s.latestVersion())
        .withDetail("hypertable", s.hypertable())
        .withDetail("reads_from_replica", fleet.readsFromReplica());
  }
}
