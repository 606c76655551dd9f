package io.modax.fleet.internal.schema.codegen;

import io.modax.fleet.internal.schema.MigrationScripts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/**
 * Build-time only (not in the published jar): starts an embedded PostgreSQL, applies the baseline,
 * every migration and every definition, and generates the jOOQ classes from the real schema, so the classes can never disagree
 * with the migrations. Run by the codegen module's {@code process-classes} phase.
 *
 * <p>Skips the work when the migrations are unchanged since the last generation (a stamp file
 * holds their combined checksum).
 */
public final class JooqClassGenerator {

  static final String PACKAGE = "io.modax.fleet.internal.jooq";

  private JooqClassGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: JooqClassGenerator <output directory>");
    }
    Path out = Path.of(args[0]);
    Path stamp = out.resolve(".migrations.sha256");
    String fingerprint = fingerprint();
    if (Files.isRegularFile(stamp)
        && Files.readString(stamp, StandardCharsets.UTF_8).equals(fingerprint)) {
      System.out.println("[fleet-analytics codegen] migrations unchanged, jOOQ classes up to date");
      return;
    }
    deleteRecursively(out);
    Files.createDirectories(out);
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + MigrationScripts.quoteSchema(MigrationScripts.GENERATED_SCHEMA));
        for (MigrationScripts.Migration m : MigrationScripts.all()) {
          s.execute(m.render(MigrationScripts.GENERATED_SCHEMA));
        }
        for (MigrationScripts.Definition d : MigrationScripts.definitions(false)) {
          s.execute(d.render(MigrationScripts.GENERATED_SCHEMA));
        }
      }
      GenerationTool.generate(configuration(url, out));
    }
    Files.writeString(stamp, fingerprint, StandardCharsets.UTF_8);
    System.out.println("[fleet-analytics codegen] generated jOOQ classes in " + out);
  }

  private static Configuration configuration(String url, Path out) {
    return new Configuration()
        .withJdbc(
            new Jdbc()
                .withDriver("org.postgresql.Driver")
                .withUrl(url)
                .withUser("postgres")
                .withPassword("postgres"))
        .withGenerator(
            new Generator()
                .withName("org.jooq.codegen.JavaGenerator")
                .withDatabase(
                    new Database()
                        .withName("org.jooq.meta.postgres.PostgresDatabase")
                        .withInputSchema(MigrationScripts.GENERATED_SCHEMA)
                        .withIncludes(".*")
                        // the migration history, and fleet_metrics' monthly and default partitions (V014),
                        // which are reached through fleet_metrics only
                        .withExcludes("fleet_schema_history|fleet_metrics_y[0-9]{4}m[0-9]{2}|fleet_metrics_default")
                        .withIncludeRoutines(true)
                        .withIncludeTriggerRoutines(false)
                        .withForcedTypes(
                            new ForcedType()
                                .withName("INSTANT")
                                .withIncludeTypes("(?i:timestamp\\ with\\ time\\ zone|timestamptz)")))
                .withGenerate(
                    new Generate()
                        .withRecords(true)
                        .withPojos(false)
                        .withDaos(false)
                        .withJavaTimeTypes(true)
                        .withGeneratedAnnotation(false)
                        .withComments(true)
                        .withFluentSetters(false)
                        .withGlobalObjectReferences(true))
                .withTarget(
                    new Target().withPackageName(PACKAGE).withDirectory(out.toString())));
  }

  private static String fingerprint() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(("package=" + PACKAGE + ";jooq=" + org.jooq.Constants.VERSION).getBytes(StandardCharsets.UTF_8));
    for (MigrationScripts.Migration m : MigrationScripts.all()) {
      digest.update(m.checksum().getBytes(StandardCharsets.UTF_8));
    }
    for (MigrationScripts.Definition d : MigrationScripts.definitions(false)) {
      digest.update(d.checksum().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
