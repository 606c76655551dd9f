package io.modax.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.analytics.FleetOverview;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.schema.TimescaleMode;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session's time zone (which the library must never lean on) changes no stored rollup and no
 * result: the same fleet written and read through sessions in Pacific/Chatham, UTC and
 * America/Los_Angeles gives identical rows and answers.
 */
@ExtendWith(FleetDatabaseExtension.class)
class TimeZoneIndependenceTest {

  static final Instant END = Instant.parse("2026-03-31T12:00:00Z"); // spans the EU and US DST changes

  /** Equal up to the last bits a different summation order can change. */
  static final java.util.Comparator<Double> CLOSE =
      (a, b) -> Math.abs(a - b) <= 1e-12 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))) ? 0 : Double.compare(a, b);

  @Test
  void theSessionTimeZoneChangesNoRollupAndNoResult(FleetDatabase db) throws SQLException {
    SampleFleet sample = SampleFleet.builder().seed(3).end(END).days(25).build();
    String[] zones = {"Pacific/Chatham", "UTC", "America/Los_Angeles"};
    String[] schemas = {"tz_chatham", "tz_utc", "tz_los_angeles"};
    String[] rollups = new String[zones.length];
    LocationComparison[] comparisons = new LocationComparison[zones.length];
    FleetOverview[] overviews = new FleetOverview[zones.length];
    CallerContext admin = CallerContext.of("test", SampleFleet.ORGANIZATION_ID, Role.ADMIN);
    Instant start = END.minus(Duration.ofDays(20)).plusSeconds(1234);
    for (int i = 0; i < zones.length; i++) {
      try (HikariDataSource ds = pool(db, zones[i])) {
        drop(ds, schemas[i]);
        FleetSchema.of(ds, schemas[i]).migrate(TimescaleMode.AUTO);
        try (FleetAnalytics fleet = FleetAnalytics.builder(ds).schema(schemas[i])
            .clock(Clock.fixed(END, ZoneOffset.UTC)).build()) {
          sample.load(fleet);
          comparisons[i] = fleet.fleetAnalyzer().compareLocations(admin, SampleFleet.ORGANIZATION_ID,
              List.of("A", "B", "C"), start, END);
          overviews[i] = fleet.fleetAnalyzer().overview(admin, SampleFleet.ORGANIZATION_ID);
        }
        rollups[i] = dump(ds, schemas[i]);
        drop(ds, schemas[i]);
      }
    }
    assertThat(rollups[0]).contains("fleet_metrics_daily").hasSizeGreaterThan(1000);
    for (int i = 1; i < zones.length; i++) {
      assertThat(rollups[i]).as("rollups written with session zone " + zones[i]).isEqualTo(rollups[0]);
      assertThat(comparisons[i]).as("comparison read with session zone " + zones[i])
          .usingRecursiveComparison().withComparatorForType(CLOSE, Double.class).isEqualTo(comparisons[0]);
      assertThat(overviews[i]).as("overview read with session zone " + zones[i])
          .usingRecursiveComparison().withComparatorForType(CLOSE, Double.class).isEqualTo(overviews[0]);
    }
  }

  private static HikariDataSource pool(FleetDatabase db, String zone) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(4);
    config.setConnectionInitSql("SET TIME ZONE '" + zone + "'");
    return new HikariDataSource(config);
  }

  private static void drop(HikariDataSource ds, String schema) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** The daily and hourly rollups as text with instants in UTC. */
  private static String dump(HikariDataSource ds, String schema) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String q : new String[] {
          "SELECT 'fleet_metrics_daily', d.local_date::text, extract(epoch FROM d.day),"
              + " extract(epoch FROM d.day_end), d.* FROM " + schema + ".fleet_metrics_daily d"
              + " ORDER BY d.location_id, d.local_date",
          "SELECT 'fleet_metrics_hourly', extract(epoch FROM h.hour), h.* FROM " + schema
              + ".fleet_metrics_hourly h ORDER BY h.location_id, h.hour"}) {
        try (ResultSet rs = s.executeQuery(q)) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int k = 1; k <= n; k++) {
              String type = rs.getMetaData().getColumnTypeName(k);
              // instants are compared through their epoch columns; text forms follow the session
              if (type.equals("float8") && rs.getObject(k) != null) {
                // sums of doubles may differ in the last bits with the order rows are summed in
                b.append(String.format(java.util.Locale.ROOT, "%.12g", rs.getDouble(k))).append('|');
              } else if (!type.startsWith("timestamp")) {
                b.append(rs.getString(k)).append('|');
              }
            }
            b.append('\n');
          }
        }
      }
    }
    return b.toString();
  }
}
