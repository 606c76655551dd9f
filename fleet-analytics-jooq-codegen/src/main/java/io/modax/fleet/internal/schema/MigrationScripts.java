package io.modax.fleet.internal.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The warehouse's versioned migrations, in the order they are applied.
 *
 * <p>Internal: used by the library's schema installer and by the build-time jOOQ generator, so
 * that both apply exactly the same SQL. Hosts use {@code io.modax.fleet.schema.FleetSchema}.
 *
 * <p>The list is explicit (no classpath scanning): a migration exists when it is named here. A
 * migration's text is a template whose {@code ${schema}} placeholder becomes the quoted target
 * schema; its checksum is taken over the template, so it is the same for every schema name.
 *
 * <p>Thread safety: immutable.
 */
public final class MigrationScripts {

  /** The schema the jOOQ classes are generated for; the installer maps it to the host's choice. */
  public static final String GENERATED_SCHEMA = "fleet_analytics";

  /** The placeholder replaced by the quoted schema name. */
  public static final String SCHEMA_PLACEHOLDER = "${schema}";

  private static final String RESOURCE_DIR = "/io/modax/fleet/schema/migrations/";

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static final List<Migration> ALL =
      List.of(
          load(1, "fleet hierarchy", "V001__fleet_hierarchy.sql"),
          load(2, "fleet metrics", "V002__fleet_metrics.sql"),
          load(3, "maintenance events", "V003__maintenance_events.sql"),
          load(4, "rollups", "V004__rollups.sql"),
          load(5, "ingest quarantine", "V005__ingest_quarantine.sql"),
          load(6, "window sums", "V006__window_sums.sql"),
          load(7, "ingest batches", "V007__ingest_batches.sql"),
          load(8, "row level security", "V008__row_level_security.sql"),
          load(9, "window rollups", "V009__window_rollups.sql"),
          load(10, "whole hour window sums", "V010__whole_hour_window_sums.sql"),
          load(11, "coarse window sums where raw is kept", "V011__coarse_window_sums_where_raw_is_kept.sql"),
          load(12, "planned once window sums", "V012__planned_once_window_sums.sql"),
          load(13, "rollup writes under row security", "V013__rollup_writes_under_row_security.sql"),
          load(14, "raw time partitions", "V014__raw_time_partitions.sql"),
          load(15, "storage isolation and writer locks", "V015__storage_isolation_and_writer_locks.sql"),
          load(16, "quarantine natural key", "V016__quarantine_natural_key.sql"));

  private MigrationScripts() {}

  /** Every migration, ordered by version. */
  public static List<Migration> all() {
    return ALL;
  }

  /** The newest version the scripts define. */
  public static int latestVersion() {
    return ALL.get(ALL.size() - 1).version();
  }

  /**
   * Checks a schema name and returns it double-quoted for SQL.
   *
   * @throws IllegalArgumentException if the name is not 1-63 characters of lower-case ASCII
   *     letters, digits and underscores starting with a letter or underscore, or is {@linkplain
   *     #reservedSchemaProblem reserved}
   */
  public static String quoteSchema(String schema) {
    if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema name '"
              + schema
              + "' is not allowed: use 1-63 lower-case ASCII letters, digits or '_', not starting"
              + " with a digit");
    }
    String reserved = reservedSchemaProblem(schema);
    if (reserved != null) {
      throw new IllegalArgumentException("schema name '" + schema + "' is not allowed: " + reserved);
    }
    return '"' + schema + '"';
  }

  /**
   * Why a (well-formed) schema name belongs to the database or an extension and must not hold the
   * warehouse, or null when it does not: {@code information_schema}, {@code pg_*} (PostgreSQL's
   * own: {@code pg_catalog}, {@code pg_toast}, {@code pg_temp_N}...), TimescaleDB's ({@code
   * _timescaledb_*}, {@code timescaledb_*}) and Citus's ({@code citus}, {@code citus_internal},
   * {@code columnar}, {@code columnar_internal}).
   */
  public static String reservedSchemaProblem(String schema) {
    if (schema.equals("information_schema") || schema.startsWith("pg_")) {
      return "it is reserved by PostgreSQL (information_schema and every pg_* schema)";
    }
    if (schema.startsWith("_timescaledb_") || schema.startsWith("timescaledb_")
        || schema.equals("toolkit_experimental")) {
      return "it is reserved by TimescaleDB (_timescaledb_*, timescaledb_*)";
    }
    if (schema.equals("citus") || schema.equals("citus_internal") || schema.equals("columnar")
        || schema.equals("columnar_internal")) {
      return "it is reserved by Citus (citus, citus_internal, columnar, columnar_internal)";
    }
    return null;
  }

  private static Migration load(int version, String description, String file) {
    String resource = RESOURCE_DIR + file;
    try (InputStream in = MigrationScripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration resource missing from the jar: " + resource);
      }
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Migration(version, description, file, template, sha256(template));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration " + resource, e);
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * One versioned migration.
   *
   * @param version its number, 1, 2, 3, ... without gaps
   * @param description a few words for the history table
   * @param script the file name under {@code io/modax/fleet/schema/migrations/}
   * @param template the SQL with the {@code ${schema}} placeholder
   * @param checksum SHA-256 of the template, hex
   */
  public record Migration(
      int version, String description, String script, String template, String checksum) {

    /** The SQL for the given (unquoted, validated here) schema name. */
    public String render(String schema) {
      return template.replace(SCHEMA_PLACEHOLDER, quoteSchema(schema));
    }
  }
}
