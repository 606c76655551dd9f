package io.modax.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.RequiresTimescaleDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs only against TimescaleDB (set FLEET_ANALYTICS_TEST_JDBC_URL, or have Docker). */
@RequiresTimescaleDb
@ExtendWith(FleetDatabaseExtension.class)
class TimescaleSchemaTest {

  @Test
  void fleetMetricsIsAHypertable(FleetDatabase db) throws SQLException {
    assertThat(db.isTimescale()).isTrue();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT num_dimensions FROM timescaledb_information.hypertables"
                + " WHERE hypertable_schema = ? AND hypertable_name = 'fleet_metrics'")) {
      p.setString(1, db.schema());
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.next()).as("fleet_metrics listed as a hypertable").isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void disablingTimescaleKeepsAPlainTable(FleetDatabase db) throws SQLException {
    String schema = "fleet_no_hypertable";
    try (Connection c = db.dataSource().getConnection(); var s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    try {
      SchemaStatus status = FleetSchema.of(db.dataSource(), schema).migrate(TimescaleMode.DISABLED);
      assertThat(status.hypertable()).isFalse();
    } finally {
      try (Connection c = db.dataSource().getConnection(); var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
