package io.modax.fleet.backup;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Permission;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.Engine;
import io.modax.fleet.internal.Services;
import io.modax.fleet.internal.Warehouse;
import io.modax.fleet.internal.schema.MigrationScripts;
import io.modax.fleet.schema.FleetSchema;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Exports one organization's data to a portable backup and restores it into another warehouse (a
 * different database or schema).
 *
 * <p><b>Format</b> (see docs/security.md, "Backup and restore"): a directory, or a zip file when the path ends in {@code
 * .zip}, holding {@value BackupManifest#FILE_NAME} and one CSV file per table in {@link #TABLES},
 * named {@code <table>.csv}: RFC 4180 with a header line, UTF-8, as PostgreSQL's {@code COPY ...
 * (FORMAT csv)} writes it, with timestamps in UTC. The manifest records the schema version, and
 * for each file its columns, row count and SHA-256. Rollups, the rollup work queue and the
 * writer's one-day exactly-once bookkeeping are not exported: a restore rebuilds the rollups from
 * the restored snapshots. The quarantine's surrogate {@code id} is not exported either; a restore
 * numbers the rows anew in their original order.
 *
 * <p><b>Consistency</b>: an export reads every table in one read-only {@code REPEATABLE READ}
 * transaction, so the files are one snapshot even while locations keep writing. It is written
 * under a temporary name next to the target and moved into place at the end: a failed export
 * leaves nothing behind. A restore is one transaction: it checks each file against the manifest
 * while loading it, inserts through the same row-level security as every other write, rebuilds
 * the rollups, then reads every table back and compares it, byte for byte, with the backup's
 * file before it commits. Any difference, and any error, leaves the target unchanged.
 *
 * <p><b>Who</b>: exporting needs read access to the organization and restoring write access
 * ({@link CallerContext}), and both the {@link Permission#ADMIN} permission: a backup holds every
 * raw row, quarantined originals included. Every statement is scoped to the one organization (as
 * bind values, or through the transaction's tenant setting); nothing from the backup's files or
 * the caller is ever pasted into SQL.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class FleetBackup {

  /** The tables a backup holds, in the order a restore inserts them. */
  public static final List<String> TABLES = List.of("organizations", "locations", "devices",
      "maintenance_events", "maintenance_event_parts", "fleet_metrics", "ingest_quarantine");

  /** Each table's sort order in a backup (text keys in "C" order, so any collation reads it alike). */
  private static final Map<String, String> ORDER = Map.of(
      "organizations", "id COLLATE \"C\"",
      "locations", "id COLLATE \"C\"",
      "devices", "id COLLATE \"C\"",
      "maintenance_events", "id COLLATE \"C\"",
      "maintenance_event_parts", "event_id COLLATE \"C\", part_number COLLATE \"C\"",
      "fleet_metrics", "location_id COLLATE \"C\", \"timestamp\"",
      "ingest_quarantine", "received_at, id");

  private static final String ORG_SETTING =
      "current_setting('" + Warehouse.TENANT_SETTING + "')";

  private final Warehouse warehouse;
  private final String q;

  static {
    Services.register(FleetBackup.class, FleetBackup::new);
  }

  /** Created by {@link io.modax.fleet.FleetAnalytics#backup()} (through {@link Services}). */
  FleetBackup(Engine engine) {
    this.warehouse = engine.warehouse();
    this.q = MigrationScripts.quoteSchema(warehouse.schema());
  }

  // ------------------------------------------------------------------ export

  /**
   * Exports one organization: every table of {@link #TABLES}, one consistent snapshot.
   *
   * @param caller who asks: may read the organization and has {@link Permission#ADMIN}
   * @param organizationId the organization
   * @param target a path that does not exist yet: a directory is created there, or a zip file
   *     when the name ends in {@code .zip}
   * @return the manifest written with the files
   * @throws io.modax.fleet.InvalidRequestException when an argument is null or the id malformed
   * @throws AccessDeniedException when the caller may not read the organization or lacks the
   *     admin permission
   * @throws NotFoundException when the organization does not exist
   * @throws BackupException when the target exists or cannot be written
   * @throws io.modax.fleet.WarehouseException when the database fails
   */
  public BackupManifest export(CallerContext caller, String organizationId, Path target) {
    Checks.requireNonNull("caller", caller);
    String orgId = Checks.requireId("organizationId", organizationId);
    Checks.requireNonNull("target", target);
    caller.checkRead(orgId);
    requireAdmin(caller, "export", orgId);
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute)) {
      throw new BackupException("backup target '" + absolute + "' exists: name a new directory or"
          + " .zip file");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new BackupException("the directory '" + parent + "' for backup target '" + absolute
          + "' does not exist");
    }
    boolean zip = absolute.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    Path partial = parent.resolve("." + absolute.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      BackupManifest manifest;
      if (zip) {
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
          manifest = exportTo(orgId, name -> {
            out.putNextEntry(new ZipEntry(name));
            return new NonClosing(out, () -> out.closeEntry());
          });
        }
      } else {
        Files.createDirectory(partial);
        manifest = exportTo(orgId, name -> new BufferedOutputStream(Files.newOutputStream(partial.resolve(name))));
      }
      move(partial, absolute);
      return manifest;
    } catch (IOException | UncheckedIOException e) {
      throw new BackupException("writing the backup of organization '" + Checks.printable(orgId)
          + "' to '" + absolute + "' failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(partial);
    }
  }

  /** Where the export writes one named file; the stream is closed when the file is complete. */
  @FunctionalInterface
  private interface Sink {
    OutputStream open(String name) throws IOException;
  }

  private BackupManifest exportTo(String orgId, Sink sink) throws IOException {
    BackupManifest manifest = warehouse.inReadOnlySnapshot(orgId, "exporting an organization", (c, dsl) -> {
      sessionForCsv(c);
      if (!organizationExists(c, orgId)) {
        throw new NotFoundException("organization '" + Checks.printable(orgId) + "' does not exist");
      }
      Instant snapshotAt = now(c);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      List<BackupManifest.TableFile> files = new ArrayList<>();
      for (String table : TABLES) {
        List<String> columns = columns(c, table);
        String file = table + ".csv";
        MessageDigest digest = sha256();
        long rows;
        try (OutputStream out = new DigestOutputStream(sink.open(file), digest)) {
          rows = copy.copyOut(exportSql(table, columns), out);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        files.add(new BackupManifest.TableFile(table, file, columns, rows, hex(digest)));
      }
      return new BackupManifest(BackupManifest.FORMAT_VERSION, FleetSchema.latestVersion(), orgId,
          snapshotAt, warehouse.schema(), files);
    });
    try (OutputStream out = sink.open(BackupManifest.FILE_NAME)) {
      out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
    }
    return manifest;
  }

  /** The COPY that writes (and, after a restore, re-reads) one table of the organization. */
  private String exportSql(String table, List<String> columns) {
    return "COPY (SELECT " + columnList(columns) + " FROM " + q + "." + table + " WHERE "
        + organizationColumn(table) + " = " + ORG_SETTING + " ORDER BY " + ORDER.get(table)
        + ") TO STDOUT (FORMAT csv, HEADER true)";
  }

  // ------------------------------------------------------------------ restore

  /**
   * Reads a backup's manifest without touching any database.
   *
   * @param source a backup directory or zip file
   * @throws BackupException when it is missing or not a backup this library reads
   */
  public static BackupManifest readManifest(Path source) {
    Checks.requireNonNull("source", source);
    try (BackupSource in = BackupSource.open(source)) {
      return in.manifest();
    } catch (IOException e) {
      throw new BackupException("reading the backup '" + source + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Restores a backup into this warehouse, where its organization must not exist yet; see the
   * class comment for what is checked. One transaction: on any exception nothing is written.
   *
   * @param caller who asks: may write the backup's organization and has {@link Permission#ADMIN}
   * @param source a backup directory or zip file written by {@link #export}
   * @return what was inserted
   * @throws io.modax.fleet.InvalidRequestException when an argument is null
   * @throws AccessDeniedException when the caller may not write the organization or lacks the
   *     admin permission
   * @throws BackupException when the backup is missing, unreadable, from a newer schema, does not
   *     match its manifest or this warehouse's tables, holds rows of another organization, or the
   *     organization already exists here
   * @throws io.modax.fleet.WarehouseException when the database fails
   */
  public RestoreReport restore(CallerContext caller, Path source) {
    Checks.requireNonNull("caller", caller);
    Checks.requireNonNull("source", source);
    try (BackupSource in = BackupSource.open(source)) {
      BackupManifest manifest = in.manifest();
      String orgId = manifest.organizationId();
      if (Checks.idProblem(orgId) != null) {
        throw new BackupException("the backup's organization id '" + Checks.printable(orgId)
            + "' is not a valid id: " + Checks.idProblem(orgId));
      }
      caller.checkWrite(orgId);
      requireAdmin(caller, "restore", orgId);
      if (manifest.schemaVersion() > FleetSchema.latestVersion()) {
        throw new BackupException("the backup was taken from schema version " + manifest.schemaVersion()
            + " but this library knows versions up to " + FleetSchema.latestVersion()
            + ": restore it with a newer library");
      }
      for (BackupManifest.TableFile f : manifest.tables()) {
        if (!TABLES.contains(f.table()) || !f.file().equals(f.table() + ".csv")) {
          throw new BackupException("the backup lists table '" + Checks.printable(f.table())
              + "' in file '" + Checks.printable(f.file()) + "': expected one of " + TABLES
              + ", each in <table>.csv");
        }
      }
      for (String table : TABLES) {
        if (manifest.table(table).isEmpty()) {
          throw new BackupException("the backup has no file for table '" + table + "'");
        }
      }
      return warehouse.inTransaction(orgId, "restoring an organization", (c, dsl) -> restore(c, in, manifest));
    } catch (IOException e) {
      throw new BackupException("reading the backup '" + source + "' failed: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new BackupException("reading the backup '" + source + "' failed: " + e.getCause().getMessage(), e);
    }
  }

  private RestoreReport restore(Connection c, BackupSource in, BackupManifest manifest) throws SQLException {
    String orgId = manifest.organizationId();
    sessionForCsv(c);
    try (PreparedStatement p = c.prepareStatement(
        "SET LOCAL " + Warehouse.ROLLUPS_MAINTAINED_SETTING + " = 'on'")) {
      p.execute(); // the rollups are rebuilt below, not marked row by row
    }
    if (organizationExists(c, orgId)) {
      throw new BackupException("organization '" + Checks.printable(orgId) + "' already exists in"
          + " schema '" + warehouse.schema() + "': restore into a warehouse without it");
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String table : TABLES) {
      BackupManifest.TableFile f = manifest.table(table).orElseThrow();
      List<String> here = columns(c, table);
      for (String col : f.columns()) {
        if (!here.contains(col)) {
          throw new BackupException("column '" + Checks.printable(col) + "' of table '" + table
              + "' in the backup does not exist in schema '" + warehouse.schema() + "'");
        }
      }
      String cols = columnList(f.columns());
      String staging = "pg_temp.fleet_restore_" + table;
      try (Statement s = c.createStatement()) {
        // types only, no constraints: the table's own constraints check the rows on insert
        s.execute("CREATE TEMP TABLE fleet_restore_" + table + " ON COMMIT DROP AS SELECT " + cols
            + " FROM " + q + "." + table + " WITH NO DATA");
      }
      MessageDigest digest = sha256();
      long loaded;
      try (InputStream data = new DigestInputStream(in.open(f.file()), digest)) {
        loaded = copy.copyIn("COPY " + staging + " (" + cols + ") FROM STDIN (FORMAT csv, HEADER MATCH)", data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // MessageDigest.digest() resets the digest: read it once (a second read is the empty input's)
      String actual = hex(digest);
      if (!actual.equals(f.sha256()) || loaded != f.rows()) {
        throw new BackupException("file '" + f.file() + "' does not match the manifest: "
            + loaded + " rows with SHA-256 " + actual + ", the manifest says " + f.rows()
            + " rows with SHA-256 " + f.sha256());
      }
      try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + staging + " WHERE "
          + organizationColumn(table) + " IS DISTINCT FROM ?")) {
        p.setString(1, orgId);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            throw new BackupException("file '" + f.file() + "' has " + rs.getLong(1) + " rows that"
                + " are not of organization '" + Checks.printable(orgId) + "', the backup's");
          }
        }
      }
      try (Statement s = c.createStatement()) {
        // ctid order is the file's order: the quarantine's new ids follow the original ones
        s.executeUpdate("INSERT INTO " + q + "." + table + " (" + cols + ") SELECT " + cols
            + " FROM " + staging + " ORDER BY ctid");
      }
      rows.put(table, loaded);
    }
    int buckets = rebuildRollups(c, orgId);
    // read every table back as the export writes it: the same bytes, or nothing is committed
    for (String table : TABLES) {
      BackupManifest.TableFile f = manifest.table(table).orElseThrow();
      MessageDigest digest = sha256();
      try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
        copy.copyOut(exportSql(table, f.columns()), out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String actual = hex(digest);
      if (!actual.equals(f.sha256())) {
        throw new BackupException("table '" + table + "' does not read back as in the backup after"
            + " the restore (SHA-256 " + actual + ", backup " + f.sha256() + "): nothing was"
            + " restored");
      }
    }
    return new RestoreReport(orgId, rows, buckets);
  }

  /** Adds every restored snapshot to the (empty) rollups of its location, one range per location. */
  private int rebuildRollups(Connection c, String orgId) throws SQLException {
    List<String> locations = new ArrayList<>();
    List<Object> from = new ArrayList<>();
    List<Object> to = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT location_id, min(\"timestamp\")::text,"
        + " max(\"timestamp\")::text FROM " + q + ".fleet_metrics WHERE organization_id = ?"
        + " GROUP BY location_id ORDER BY 1")) {
      p.setString(1, orgId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          locations.add(rs.getString(1));
          from.add(rs.getString(2));
          to.add(rs.getString(3));
        }
      }
    }
    if (locations.isEmpty()) {
      return 0;
    }
    try (PreparedStatement p = c.prepareStatement("SELECT " + q + ".add_appended_to_fleet_rollups(?,"
        + " ?::varchar[], ?::text[]::timestamptz[], ?::text[]::timestamptz[])")) {
      p.setString(1, orgId);
      p.setArray(2, c.createArrayOf("varchar", locations.toArray()));
      p.setArray(3, c.createArrayOf("text", from.toArray()));
      p.setArray(4, c.createArrayOf("text", to.toArray()));
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  // ------------------------------------------------------------------ shared

  /** Session settings that make COPY's text the same in every database: UTC, ISO dates, exact floats. */
  private static void sessionForCsv(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL TimeZone = 'UTC'");
      s.execute("SET LOCAL DateStyle = 'ISO, YMD'");
      s.execute("SET LOCAL extra_float_digits = 1");
      s.execute("SET LOCAL bytea_output = 'hex'");
    }
  }

  private boolean organizationExists(Connection c, String orgId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + q + ".organizations WHERE id = ?")) {
      p.setString(1, orgId);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Instant now(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT (extract(epoch FROM now()) * 1000000)::bigint")) {
      rs.next();
      long micros = rs.getLong(1);
      return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
  }

  /** The table's stored columns in order: generated and identity columns are left out. */
  private List<String> columns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0"
            + " AND NOT a.attisdropped AND a.attgenerated = '' AND a.attidentity = '' ORDER BY a.attnum")) {
      p.setString(1, q + "." + table);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static String organizationColumn(String table) {
    return table.equals("organizations") ? "id" : "organization_id";
  }

  /** Column names (from the catalog or a checked manifest) double-quoted, comma-separated. */
  private static String columnList(List<String> columns) {
    StringBuilder b = new StringBuilder();
    for (String col : columns) {
      if (!col.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new BackupException("column name '" + Checks.printable(col) + "' is not a plain"
            + " lower-case identifier");
      }
      b.append(b.length() == 0 ? "" : ", ").append('"').append(col).append('"');
    }
    return b.toString();
  }

  private void requireAdmin(CallerContext caller, String action, String orgId) {
    if (!caller.permissions().contains(Permission.ADMIN)) {
      throw new AccessDeniedException("caller '" + caller.name() + "' (tenant '" + caller.tenantId()
          + "', role " + caller.role().wireName() + ") may not " + action + " organization '"
          + Checks.printable(orgId) + "': it lacks the 'admin' permission a backup needs");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The digest's value; completes and resets it, so call it once per digest. */
  private static String hex(MessageDigest d) {
    return HexFormat.of().formatHex(d.digest());
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    } catch (FileAlreadyExistsException e) {
      throw new BackupException("backup target '" + to + "' appeared while the export ran", e);
    }
  }

  private static void deleteQuietly(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException ignored) {
          // best effort: a leftover temporary file is named as such
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** An output stream that runs an action instead of closing the stream below it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    private final IoAction onClose;

    NonClosing(OutputStream out, IoAction onClose) {
      super(out);
      this.onClose = onClose;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
      onClose.run();
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** A backup to read: a directory or a zip file. */
  private abstract static class BackupSource implements AutoCloseable {
    abstract InputStream open(String file) throws IOException;

    abstract BackupManifest manifest() throws IOException;

    @Override
    public abstract void close() throws IOException;

    static BackupSource open(Path source) throws IOException {
      if (Files.isDirectory(source)) {
        return new DirectorySource(source);
      }
      if (!Files.exists(source)) {
        throw new BackupException("backup '" + source + "' does not exist");
      }
      return new ZipSource(new ZipFile(source.toFile(), StandardCharsets.UTF_8), source);
    }

    BackupManifest readManifest() throws IOException {
      try (InputStream in = open(BackupManifest.FILE_NAME)) {
        byte[] bytes = in.readNBytes(1 << 20);
        if (in.read() >= 0) {
          throw new BackupException(BackupManifest.FILE_NAME + " is larger than 1 MiB: not a manifest");
        }
        return BackupManifest.parse(new String(bytes, StandardCharsets.UTF_8));
      }
    }
  }

  private static final class DirectorySource extends BackupSource {
    private final Path dir;
    private BackupManifest manifest;

    DirectorySource(Path dir) {
      this.dir = dir;
    }

    @Override
    InputStream open(String file) throws IOException {
      try {
        return Files.newInputStream(dir.resolve(file));
      } catch (NoSuchFileException e) {
        throw new BackupException("backup '" + dir + "' has no file '" + file + "'", e);
      }
    }

    @Override
    BackupManifest manifest() throws IOException {
      if (manifest == null) {
        manifest = readManifest();
      }
      return manifest;
    }

    @Override
    public void close() {}
  }

  private static final class ZipSource extends BackupSource {
    private final ZipFile zip;
    private final Path path;
    private BackupManifest manifest;

    ZipSource(ZipFile zip, Path path) {
      this.zip = zip;
      this.path = path;
    }

    @Override
    InputStream open(String file) throws IOException {
      ZipEntry e = zip.getEntry(file);
      if (e == null) {
        throw new BackupException("backup '" + path + "' has no entry '" + file + "'");
      }
      return zip.getInputStream(e);
    }

    @Override
    BackupManifest manifest() throws IOException {
      if (manifest == null) {
        manifest = readManifest();
      }
      return manifest;
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }
}
