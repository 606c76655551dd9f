package io.modax.fleet.internal.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The warehouse schema's SQL, in the order it is applied: the baseline, the numbered migrations
 * after it, and the definitions of functions, views and triggers.
 *
 * <p>Internal: used by the library's schema installer and by the build-time jOOQ generator, so
 * that both apply exactly the same SQL. Hosts use {@code io.modax.fleet.schema.FleetSchema}.
 *
 * <ul>
 *   <li>The baseline ({@code baseline/*.sql}, one file per purpose) creates every table as it was
 *       at version {@value #BASELINE_VERSION}; it is recorded as that version. A schema migrated
 *       before the baseline existed (V001-V014, one row each in the history) is at the same
 *       version and does not get it.
 *   <li>Table changes after it are numbered migrations ({@code migrations/V015__*.sql}, ...),
 *       applied once each, in order.
 *   <li>Functions, views and triggers are defined once each in {@code definitions/*.sql} and
 *       re-applied whole, all of them in this order, whenever a numbered migration was applied or
 *       one definition's checksum differs from the one recorded. Where Citus needs another
 *       definition, {@code name.citus.sql} sits beside {@code name.sql} and is picked when the
 *       schema is distributed on Citus.
 * </ul>
 *
 * <p>The lists are explicit (no classpath scanning). A script's text is a template whose {@code
 * ${schema}} placeholder becomes the quoted target schema; its checksum is taken over the template,
 * so it is the same for every schema name.
 *
 * <p>Thread safety: immutable.
 */
public final class MigrationScripts {

  /** The schema the jOOQ classes are generated for; the installer maps it to the host's choice. */
  public static final String GENERATED_SCHEMA = "fleet_analytics";

  /** The placeholder replaced by the quoted schema name. */
  public static final String SCHEMA_PLACEHOLDER = "${schema}";

  /** The version the baseline stands for: what V001-V014 created. */
  public static final int BASELINE_VERSION = 14;

  private static final String RESOURCE_DIR = "/io/modax/fleet/schema/";

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The baseline's files, by purpose, in the order they run. */
  private static final List<String> BASELINE_FILES =
      List.of("01_hierarchy.sql", "02_raw_metrics.sql", "03_rollups.sql", "04_ingest.sql", "05_security.sql");

  /**
   * The SHA-256 of each migration V001-V015 as shipped before the baseline, by version: a schema
   * migrated with V001-V014 is accepted as at the baseline's version when its history says exactly
   * these, and V015 as shipped then (its functions now in {@code definitions/security.sql} and
   * {@code definitions/rollups.sql}) as the same version as the numbered V015 that replaced it.
   */
  private static final List<String> LEGACY_CHECKSUMS = List.of(
      "a14309fb1f6e6947714b136b5a0621e97a6af1912bb17b993060a3b4583f03a5",
      "40ca67710146359b848fa6af09623c7c46503bfd10636e9a3e79c95317a2c57c",
      "12bbc57cc24dba6c5dba759c5fe6fc43db0743cfa7b67ad050bcbf9b3fab03de",
      "7bea4fb908ee62ee4ec853b20a3ee9dc0603b47dc54ad2a9ed7a70d943842ac4",
      "5a4427bad73e34785408150356b15e121daa76bae9a8216b73657cc62fdd92fc",
      "0d6bb959f43eeb79e1b455dc460466e9c8dd551f5258ad3856d572d779376869",
      "cf8ae3f7cc5335c008621601925247749ef6bf02ed5ec70fe1e51999ff724f88",
      "3fb10e6f978a96b5f16803f2489129d5bcc532afe8e4b0be5c83791d9328b605",
      "1ae63ce81c3d415537fea457b9bb277c637f7aff6811f440b2f3c1033f15f09d",
      "22079c68069c71eefdb33641f8a7a0ec1e68a3819c5ea69b75f35715871bbb4e",
      "0e326d18db1901fc6b80450fe977050d9f570d3d292dc6966e8c88e7fc0ecde4",
      "520e5613cadbd5538e813cca3f097bcb7d14af2c6e3bcfbb31a94f6910bb3776",
      "afe2c27603fe21bdf6998059d114f4dfbd21c39a3400b8d8547f65453bc9780e",
      "ab87137f2e8764ca5a69430fc1137af4e83e6800f1478fd2967cf4a7656ec048",
      "5276beadeddbaa6a000b556cda5cdb1739edb7b184a49e1bca2a277ef6e625d8");

  /** The baseline, then every numbered migration after it. A table change is a new entry here. */
  private static final List<Migration> ALL = List.of(
      baseline(),
      load(15, "storage isolation and writer locks", "V015__storage_isolation_and_writer_locks.sql"),
      load(16, "quarantine natural key", "V016__quarantine_natural_key.sql"));

  /** The definitions, in the order they are applied: each may use those before it. */
  private static final List<String> DEFINITIONS = List.of(
      "raw_components", "rollups", "rollup_triggers", "truncate_trigger", "window_sums",
      "plans", "raw_history", "security");

  /** The definitions that have a {@code .citus.sql} variant. */
  private static final Set<String> CITUS_VARIANTS = Set.of("truncate_trigger", "plans");

  private static final List<Definition> SINGLE_NODE = definitions(DEFINITIONS, false);
  private static final List<Definition> CITUS = definitions(DEFINITIONS, true);

  private MigrationScripts() {}

  /** The baseline and every numbered migration after it, ordered by version. */
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
   * The function, view and trigger definitions, in the order they are applied.
   *
   * @param citus whether the schema is distributed on Citus (picks the {@code .citus.sql} files)
   */
  public static List<Definition> definitions(boolean citus) {
    return citus ? CITUS : SINGLE_NODE;
  }

  /**
   * Whether a history row of version {@code version} with this checksum is one this library
   * accepts: the shipped migration's, or for V001-V015 the checksum of the migration shipped
   * before the baseline.
   */
  public static boolean accepts(int version, String checksum) {
    if (version >= 1 && version <= LEGACY_CHECKSUMS.size() && LEGACY_CHECKSUMS.get(version - 1).equals(checksum)) {
      return true;
    }
    return ALL.stream().anyMatch(m -> m.version() == version && m.checksum().equals(checksum));
  }

  /** Whether the history row of the baseline's version is the baseline itself (not legacy V014). */
  public static boolean isBaseline(int version, String checksum) {
    return version == BASELINE_VERSION && ALL.get(0).checksum().equals(checksum);
  }

  private static Migration baseline() {
    StringBuilder b = new StringBuilder();
    for (String file : BASELINE_FILES) {
      b.append("-- baseline/").append(file).append('\n').append(read("baseline/" + file)).append('\n');
    }
    String template = b.toString();
    return new Migration(BASELINE_VERSION, "baseline", "baseline/", template, sha256(template));
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
    String template = read("migrations/" + file);
    return new Migration(version, description, file, template, sha256(template));
  }

  private static List<Definition> definitions(List<String> names, boolean citus) {
    List<Definition> out = new ArrayList<>();
    for (String name : names) {
      String file = "definitions/" + name + (citus && CITUS_VARIANTS.contains(name) ? ".citus.sql" : ".sql");
      String template = read(file);
      out.add(new Definition(name, file, template, sha256(template)));
    }
    return List.copyOf(out);
  }

  private static String read(String file) {
    String resource = RESOURCE_DIR + file;
    try (InputStream in = MigrationScripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing from the jar: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
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
   * One versioned migration: the baseline (version {@value #BASELINE_VERSION}) or a numbered one
   * after it.
   *
   * @param version its number: the baseline's, then 15, 16, ... without gaps
   * @param description a few words for the history table
   * @param script the file name under {@code io/modax/fleet/schema/migrations/} ({@code
   *     baseline/} for the baseline)
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

  /**
   * One definition file: functions, views or triggers, applied whole ({@code CREATE OR REPLACE}).
   *
   * @param name its name, the same for every backend (e.g. {@code window_sums})
   * @param script the file applied, under {@code io/modax/fleet/schema/} (e.g. {@code
   *     definitions/window_sums.sql}, or its {@code .citus.sql} variant)
   * @param template the SQL with the {@code ${schema}} placeholder
   * @param checksum SHA-256 of the template, hex
   */
  public record Definition(String name, String script, String template, String checksum) {

    /** The SQL for the given (unquoted, validated here) schema name. */
    public String render(String schema) {
      return template.replace(SCHEMA_PLACEHOLDER, quoteSchema(schema));
    }
  }
}
