package com.example.host;

// tag::testing[]
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FleetDatabaseExtension.class)   // a migrated database, emptied before each test
class FleetOverviewTest {

  @Test
  void theSampleFleetHasThreePlants(FleetDatabase db) {
    try (FleetAnalytics fleet = db.analyticsBuilder().build()) {
      SampleFleet sample = SampleFleet.designFleet();   // plants A, B, C; 90 days up to now
      sample.load(fleet);

      CallerContext caller = CallerContext.of("my-service", sample.organizationId(), Role.READ_ONLY);
      FleetOverview overview = fleet.fleetAnalyzer().overview(caller, sample.organizationId());
      assertEquals(3, overview.totalLocations());
    }
  }
}
// end::testing[]
