package io.modax.fleet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The literal the warehouse sets the tenant with on Citus (where SET takes no parameter): only hex
 * digits of the id reach the SQL text, and the server reads back exactly the id.
 */
@ExtendWith(FleetDatabaseExtension.class)
class UnicodeLiteralTest {

  static final List<String> IDS = List.of("acme", "o'brien", "x'); DROP TABLE t; --", "back\\slash",
      "$$dollar$$", "U&'\\0041'", "Zürich-Ост-東京", "emoji-\uD83D\uDE80", " spaced ");

  @Test
  void theServerReadsBackExactlyTheIdFromALiteralOfHexDigitsOnly(FleetDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String id : IDS) {
        String literal = Warehouse.unicodeLiteral(id);
        assertThat(literal).as(id).matches("U&'(\\\\\\+[0-9A-F]{6})*'");
        try (ResultSet rs = s.executeQuery("SELECT " + literal)) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(id);
        }
      }
    }
  }
}
