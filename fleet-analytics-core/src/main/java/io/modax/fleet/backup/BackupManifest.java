package io.modax.fleet.backup;

import io.modax.fleet.internal.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a backup holds: written as {@code manifest.json} next to the table files, and checked
 * before and after a restore.
 *
 * @param formatVersion the backup format's version ({@value #FORMAT_VERSION} for this library)
 * @param schemaVersion the warehouse schema version of the database it was taken from
 * @param organizationId the one organization it holds
 * @param exportedAt when the export's snapshot was taken (UTC)
 * @param sourceSchema the schema it was exported from (for information only)
 * @param tables one entry per table file, in restore order (immutable copy)
 */
public record BackupManifest(
    int formatVersion,
    int schemaVersion,
    String organizationId,
    Instant exportedAt,
    String sourceSchema,
    List<TableFile> tables) {

  /** The name of the manifest file inside a backup. */
  public static final String FILE_NAME = "manifest.json";

  /** The format this library writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The value of the manifest's {@code format} field. */
  public static final String FORMAT_NAME = "fleet-analytics-backup";

  /** Copies the list. */
  public BackupManifest {
    tables = List.copyOf(tables);
  }

  /**
   * One table's file.
   *
   * @param table the warehouse table
   * @param file the file name inside the backup ({@code <table>.csv})
   * @param columns the CSV's columns, in order (also its header line)
   * @param rows the number of data rows (the header not counted)
   * @param sha256 the SHA-256 of the file's bytes, lower-case hex
   */
  public record TableFile(String table, String file, List<String> columns, long rows, String sha256) {
    /** Copies the list. */
    public TableFile {
      columns = List.copyOf(columns);
    }
  }

  /** The entry of a table, if the backup has one. */
  public Optional<TableFile> table(String name) {
    return tables.stream().filter(t -> t.table().equals(name)).findFirst();
  }

  /** The rows of every table, by table name, in restore order. */
  public Map<String, Long> rowCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    tables.forEach(t -> out.put(t.table(), t.rows()));
    return out;
  }

  /** The manifest as JSON (the content of {@value #FILE_NAME}). */
  public String toJson() {
    List<Object> files = new ArrayList<>();
    for (TableFile t : tables) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("table", t.table());
      m.put("file", t.file());
      m.put("columns", t.columns());
      m.put("rows", t.rows());
      m.put("sha256", t.sha256());
      files.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT_NAME);
    root.put("format_version", formatVersion);
    root.put("schema_version", schemaVersion);
    root.put("organization_id", organizationId);
    root.put("exported_at", exportedAt);
    root.put("source_schema", sourceSchema);
    root.put("csv", "RFC 4180 with a header line, UTF-8, as PostgreSQL's COPY ... (FORMAT csv)"
        + " writes it: NULL is an empty unquoted field, an empty string is \"\"; timestamps in UTC"
        + " (ISO 8601 with +00), numbers as PostgreSQL prints them, arrays as PostgreSQL array"
        + " literals, jsonb as JSON text");
    root.put("tables", files);
    return Json.toJson(root) + "\n";
  }

  /**
   * Reads a manifest.
   *
   * @throws BackupException when the text is not a manifest of this format, or a field is missing
   *     or of the wrong kind
   */
  public static BackupManifest parse(String json) {
    Object parsed;
    try {
      parsed = ManifestJson.parse(json);
    } catch (IllegalArgumentException e) {
      throw new BackupException("the backup's " + FILE_NAME + " is not valid JSON: " + e.getMessage(), e);
    }
    Map<?, ?> root = asMap(parsed, "the manifest");
    if (!FORMAT_NAME.equals(root.get("format"))) {
      throw new BackupException(FILE_NAME + " does not describe a " + FORMAT_NAME + " (format is "
          + root.get("format") + ")");
    }
    int format = integer(root, "format_version");
    if (format > FORMAT_VERSION) {
      throw new BackupException("the backup has format version " + format + " but this library reads"
          + " up to " + FORMAT_VERSION + ": restore it with a newer library");
    }
    List<TableFile> tables = new ArrayList<>();
    Object list = root.get("tables");
    if (!(list instanceof List<?> items)) {
      throw new BackupException(FILE_NAME + ": 'tables' is missing or not a list");
    }
    for (Object item : items) {
      Map<?, ?> t = asMap(item, "an entry of 'tables'");
      Object cols = t.get("columns");
      if (!(cols instanceof List<?> names) || names.isEmpty()) {
        throw new BackupException(FILE_NAME + ": table " + t.get("table") + " lists no columns");
      }
      List<String> columns = new ArrayList<>();
      for (Object n : names) {
        columns.add(text(n, "a column name"));
      }
      tables.add(new TableFile(text(t.get("table"), "a table name"), text(t.get("file"), "a file name"),
          columns, longValue(t, "rows"), text(t.get("sha256"), "a checksum")));
    }
    Instant exportedAt;
    try {
      exportedAt = Instant.parse(text(root.get("exported_at"), "exported_at"));
    } catch (DateTimeParseException e) {
      throw new BackupException(FILE_NAME + ": exported_at is not an ISO-8601 instant", e);
    }
    return new BackupManifest(format, integer(root, "schema_version"),
        text(root.get("organization_id"), "organization_id"), exportedAt,
        text(root.get("source_schema"), "source_schema"), tables);
  }

  private static Map<?, ?> asMap(Object o, String what) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new BackupException(FILE_NAME + ": " + what + " is not a JSON object");
    }
    return m;
  }

  private static String text(Object o, String what) {
    if (!(o instanceof String s)) {
      throw new BackupException(FILE_NAME + ": " + what + " is missing or not a string");
    }
    return s;
  }

  private static int integer(Map<?, ?> m, String field) {
    long v = longValue(m, field);
    if (v > Integer.MAX_VALUE) {
      throw new BackupException(FILE_NAME + ": " + field + " " + v + " is out of range");
    }
    return (int) v;
  }

  private static long longValue(Map<?, ?> m, String field) {
    Object o = m.get(field);
    if (!(o instanceof Long l) || l < 0) {
      throw new BackupException(FILE_NAME + ": " + field + " is missing or not a non-negative integer");
    }
    return l;
  }
}
