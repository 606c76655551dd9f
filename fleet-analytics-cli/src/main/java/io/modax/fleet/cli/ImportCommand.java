package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.ingest.Device;
import io.modax.fleet.ingest.DeviceStatus;
import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.FleetWriter;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.MalformedRecord;
import io.modax.fleet.ingest.OeeComponents;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.PartUsage;
import io.modax.fleet.ingest.QuarantineReason;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.json.FleetJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code import}: reads CSV files whose header row names columns of a warehouse table and writes
 * them through the library's writer, so every record is validated, idempotent and accounted for.
 * Lines that cannot be read as a record (wrong number of fields, a value that does not parse) are
 * quarantined as {@code MALFORMED_RECORD} with their original text; nothing is dropped.
 *
 * <p>Each file is {@code TABLE=PATH}, or a path whose file name starts with the table name. Tables:
 * organizations, locations, devices, maintenance_events (or events), maintenance_event_parts (or
 * parts; attached to their events), fleet_metrics. They are imported in that order, whatever the
 * order given. Columns are the table's; {@code organization_id} may be left out (the {@code --org}
 * is used); timestamps are ISO-8601 with an offset ({@code 2026-03-01T10:00:00Z}) or PostgreSQL's
 * text form ({@code 2026-03-01 10:00:00+00}); numbers are plain decimals ({@link PlainNumbers}).
 *
 * <p>A bad line spoils only itself ({@link CsvReader}: each line decoded on its own, an unclosed
 * quote bounded). Records go to the writer in batches of at most {@link #WRITE_BATCH}, one
 * transaction each, and the report counts a batch once it is committed: when the import stops (the
 * database fails, a file cannot be read) the report is printed all the same, with what was
 * committed, and the command exits with status 1. The report lists each file's first {@link
 * #LISTED_LINES} unreadable lines with their line number and reason, and counts the rest. Every
 * header is checked before anything is written.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import CSV files (header = column names) through the writer and print the report.")
final class ImportCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "TABLE=PATH or PATH named after its table, e.g. fleet_metrics.csv.")
  List<String> files;

  private static final List<String> ORDER = List.of(
      "organizations", "locations", "devices", "maintenance_event_parts", "maintenance_events", "fleet_metrics");
  private static final Map<String, String> ALIASES = Map.of("events", "maintenance_events", "parts",
      "maintenance_event_parts", "metrics", "fleet_metrics");
  private static final Set<String> IGNORED = Set.of("created_at", "updated_at", "ingested_at", "settings");
  private static final Map<String, Set<String>> COLUMNS = Map.of(
      "organizations", Set.of("id", "name", "timezone", "currency"),
      "locations", Set.of("organization_id", "id", "name", "address", "timezone", "latitude", "longitude",
          "downtime_cost_per_hour", "snapshot_interval_seconds", "shift_pattern", "tags"),
      "devices", Set.of("organization_id", "id", "location_id", "name", "device_type", "status", "commissioned_at"),
      "maintenance_events", Set.of("organization_id", "id", "location_id", "device_id", "occurred_at",
          "event_type", "planned", "repair_hours", "cost", "description"),
      "maintenance_event_parts", Set.of("organization_id", "event_id", "part_number", "quantity"),
      "fleet_metrics", Set.of("timestamp", "organization_id", "location_id", "interval_seconds", "device_count",
          "avg_uptime", "avg_efficiency", "avg_energy_consumption", "total_failures", "mtbf", "mttr",
          "total_production_hours", "total_downtime_hours", "oee", "planned_production_hours", "run_hours",
          "ideal_cycle_time_seconds", "total_count", "good_count"));
  private static final Map<String, String> RECORD_TYPE = Map.of(
      "organizations", "organization", "locations", "location", "devices", "device",
      "maintenance_events", "maintenance_event", "maintenance_event_parts", "maintenance_event_part",
      "fleet_metrics", "fleet_metrics");
  private static final DateTimeFormatter POSTGRES_TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .appendPattern("[XXX][XX][X]")
      .toFormatter(Locale.ROOT);

  /** Records per write call: the writer's chunk, so that a call is one transaction, all or nothing. */
  static final int WRITE_BATCH = FleetAnalytics.DEFAULT_WRITE_CHUNK_SIZE;

  /** Unreadable lines per batch given to {@link FleetWriter#quarantineMalformed}. */
  static final int MALFORMED_BATCH = 1_000;

  /** Unreadable lines the report lists per file, with their line number and reason; the rest are counted. */
  static final int LISTED_LINES = 20;

  /** One input file. */
  private record Input(String table, Path path) {}

  /** A record that did not parse. */
  private static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** The import stopped (the database failed, a file could not be read): the report is printed first. */
  private static final class Stopped extends RuntimeException {
    Stopped(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  /** A line that could not be read, and where it came from. */
  private record Unreadable(long line, MalformedRecord record) {}

  /** What became of one file: only what was committed is counted. */
  private static final class FileResult {
    final Input input;
    WriteReport committed = WriteReport.EMPTY;
    final List<Unreadable> listed = new ArrayList<>();
    long unreadable;

    FileResult(Input input) {
      this.input = input;
    }

    void quarantined(List<Unreadable> lines, WriteReport report) {
      committed = committed.plus(report);
      for (Unreadable u : lines) {
        unreadable++;
        if (listed.size() < LISTED_LINES) {
          listed.add(u);
        }
      }
    }
  }

  /** Why the import stopped, or null. */
  private String stopped;

  @Override
  public Integer call() throws IOException {
    List<Input> inputs = new ArrayList<>();
    for (String f : files) {
      inputs.add(input(f));
    }
    inputs.sort((a, b) -> Integer.compare(ORDER.indexOf(a.table()), ORDER.indexOf(b.table())));
    for (Input in : inputs) {
      // every header is checked before anything is written
      try (InputStream stream = Files.newInputStream(in.path())) {
        new Rows(new CsvReader(new BufferedInputStream(stream)), in);
      }
    }
    Map<String, FileResult> results = new LinkedHashMap<>();
    for (Input in : inputs) {
      results.putIfAbsent(in.path().toString(), new FileResult(in));
    }
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      Map<String, List<PartUsage>> parts = new LinkedHashMap<>();
      FileResult partsFile = null;
      try {
        for (Input in : inputs) {
          FileResult result = results.get(in.path().toString());
          if (in.table().equals("maintenance_event_parts")) {
            partsFile = result;
          }
          importFile(s.fleet(), in, parts, result);
        }
        if (!parts.isEmpty()) {
          // parts whose event is not among the imported events: quarantined, never dropped
          orphanParts(s.fleet(), parts, partsFile);
        }
      } catch (Stopped e) {
        stopped = e.getMessage();
      }
    }
    System.out.print(TerminalText.escape(render(results.values()), true));
    System.out.flush();
    if (stopped != null) {
      throw new Stopped(stopped, null);
    }
    return 0;
  }

  private Input input(String arg) {
    String table;
    Path path;
    int eq = arg.indexOf('=');
    if (eq > 0 && tableName(arg.substring(0, eq)) != null) {
      table = tableName(arg.substring(0, eq));
      path = Path.of(arg.substring(eq + 1));
    } else {
      path = Path.of(arg);
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      table = null;
      for (String candidate : List.of("maintenance_event_parts", "maintenance_events", "fleet_metrics",
          "organizations", "locations", "devices", "events", "parts", "metrics")) {
        if (name.startsWith(candidate)) {
          table = tableName(candidate);
          break;
        }
      }
      if (table == null) {
        throw new IllegalArgumentException("cannot tell which table " + arg + " is for: name it TABLE=PATH"
            + " with TABLE one of " + String.join(", ", ORDER));
      }
    }
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException("cannot read " + path);
    }
    return new Input(table, path);
  }

  private static String tableName(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    t = ALIASES.getOrDefault(t, t);
    return ORDER.contains(t) ? t : null;
  }

  /** The rows of one file, as maps from column to (possibly null) text, or the record if malformed. */
  private final class Rows implements Iterator<Object> {
    final CsvReader csv;
    final List<String> header;
    final Input input;
    /** The line of the last record read. */
    long line = 1;

    Rows(CsvReader csv, Input input) {
      this.csv = csv;
      this.input = input;
      if (!csv.hasNext()) {
        throw new IllegalArgumentException(input.path() + " is empty: the first line must name the columns");
      }
      CsvReader.Record first = csv.next();
      if (first.problem() != null) {
        throw new IllegalArgumentException(input.path() + ": the header on line " + first.line()
            + " cannot be read: " + first.problem());
      }
      List<String> h = new ArrayList<>();
      for (String col : first.fields()) {
        // a byte-order mark (spreadsheets write one) is not part of the first column's name
        String c = col == null ? "" : col.replace("\ufeff", "").trim().toLowerCase(Locale.ROOT);
        if (!COLUMNS.get(input.table()).contains(c) && !IGNORED.contains(c)) {
          throw new IllegalArgumentException(input.path() + ": column '" + c + "' is not a column of "
              + input.table() + " (" + String.join(", ", new java.util.TreeSet<>(COLUMNS.get(input.table()))) + ")");
        }
        h.add(c);
      }
      this.header = h;
      csv.expectFields(h.size());
    }

    @Override
    public boolean hasNext() {
      try {
        return csv.hasNext();
      } catch (UncheckedIOException e) {
        throw new Stopped("reading " + input.path() + " failed after line " + line + ": " + e.getCause().getMessage(), e);
      }
    }

    /** A {@code Map<String, String>} for a readable record, an {@link Unreadable} otherwise. */
    @Override
    public Object next() {
      hasNext();
      CsvReader.Record r = csv.next();
      line = r.line();
      String source = input.path().getFileName() + ":" + r.line();
      if (r.problem() != null) {
        return malformed(r.line(), null, source, r.text(), r.problem());
      }
      if (r.fields().size() != header.size()) {
        return malformed(r.line(), null, source, r.text(), "the line has " + r.fields().size() + " fields, the header "
            + header.size());
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), r.fields().get(i));
      }
      row.put(SOURCE, source);
      row.put(TEXT, r.text());
      row.put(LINE, Long.toString(r.line()));
      return row;
    }

    Unreadable malformed(long line, String location, String source, String text, String problem) {
      return new Unreadable(line, new MalformedRecord(RECORD_TYPE.get(input.table()), location, source, text, problem));
    }

    /** The row as an unreadable record, for the reason given. */
    Unreadable malformed(Map<String, String> r, String problem) {
      return malformed(Long.parseLong(r.get(LINE)), r.get("location_id"), r.get(SOURCE), r.get(TEXT), problem);
    }
  }

  /** Keys of a row that are not columns: where it came from and its original text. */
  private static final String SOURCE = "\u0000source";
  private static final String TEXT = "\u0000text";
  private static final String LINE = "\u0000line";

  /**
   * Streams one file's rows into the writer in batches of at most {@link #WRITE_BATCH} records (one
   * transaction each) and its unreadable lines in batches of {@link #MALFORMED_BATCH}; the result
   * counts each batch once it is committed. A failure of the database or the file ends the import
   * with {@link Stopped}.
   */
  private final class Batches<T> {
    final FleetWriter writer;
    final Rows rows;
    final FileResult result;
    final int size;
    final Function<List<T>, WriteReport> write;
    final List<T> records = new ArrayList<>();
    long firstRecordLine = -1;
    final List<Unreadable> unreadable = new ArrayList<>();

    Batches(FleetWriter writer, Rows rows, FileResult result, int size, Function<List<T>, WriteReport> write) {
      this.writer = writer;
      this.rows = rows;
      this.result = result;
      this.size = size;
      this.write = write;
    }

    /** Reads every row; {@code parse} makes a record of a readable row (or throws Malformed). */
    void run(Function<Map<String, String>, T> parse) {
      while (rows.hasNext()) {
        Object o = rows.next();
        if (o instanceof Unreadable u) {
          unreadable(u);
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> r = (Map<String, String>) o;
        T record;
        try {
          record = parse.apply(r);
        } catch (Malformed e) {
          unreadable(rows.malformed(r, e.getMessage()));
          continue;
        }
        if (record != null) {
          if (records.isEmpty()) {
            firstRecordLine = rows.line;
          }
          records.add(record);
          if (records.size() >= size) {
            flushRecords();
          }
        }
      }
      flushRecords();
      flushUnreadable();
    }

    void unreadable(Unreadable u) {
      unreadable.add(u);
      if (unreadable.size() >= MALFORMED_BATCH) {
        flushUnreadable();
      }
    }

    void flushRecords() {
      if (records.isEmpty()) {
        return;
      }
      long first = firstRecordLine;
      WriteReport r = guarded(first, () -> write.apply(records));
      result.committed = result.committed.plus(r);
      records.clear();
    }

    void flushUnreadable() {
      if (unreadable.isEmpty()) {
        return;
      }
      List<MalformedRecord> batch = unreadable.stream().map(Unreadable::record).toList();
      WriteReport r = guarded(unreadable.get(0).line(),
          () -> writer.quarantineMalformed(connection.caller(), connection.organization, batch));
      result.quarantined(unreadable, r);
      unreadable.clear();
    }

    WriteReport guarded(long line, java.util.function.Supplier<WriteReport> call) {
      try {
        return call.get();
      } catch (Stopped e) {
        throw e;
      } catch (RuntimeException e) {
        long from = Math.min(line, unreadable.isEmpty() ? Long.MAX_VALUE : unreadable.get(0).line());
        if (!records.isEmpty()) {
          from = Math.min(from, firstRecordLine);
        }
        // the writer's own wrapper counts only this batch's call: the report's counts are the import's
        Throwable why = e;
        while (why.getCause() instanceof WarehouseException w) {
          why = w;
        }
        throw new Stopped("the import of " + result.input.path() + " stopped at line " + from + ", where a batch"
            + " could not be stored: " + why.getMessage() + " (committed from this file before: " + result.committed
            + "; the records from line " + from + " on that the report does not count were not imported;"
            + " importing the file again is safe: stored records come back unchanged and quarantined lines are"
            + " not stored twice)", e);
      }
    }
  }

  private void importFile(FleetAnalytics fleet, Input in, Map<String, List<PartUsage>> parts, FileResult result)
      throws IOException {
    CallerContext caller = connection.caller();
    String org = connection.organization;
    FleetWriter w = fleet.writer();
    try (InputStream stream = Files.newInputStream(in.path())) {
      Rows rows = new Rows(new CsvReader(new BufferedInputStream(stream)), in);
      switch (in.table()) {
        // one organization per call, so that a batch is still one transaction
        case "organizations" -> new Batches<Organization>(w, rows, result, 1,
            batch -> w.writeOrganization(caller, batch.get(0)))
            .run(r -> new Organization(req(r, "id"), req(r, "name"), or(r, "timezone", "UTC"), or(r, "currency", "EUR")));
        case "locations" -> new Batches<Location>(w, rows, result, WRITE_BATCH, batch -> w.writeLocations(caller, org, batch))
            .run(r -> new Location(
                or(r, "organization_id", org), req(r, "id"), req(r, "name"), r.get("address"), req(r, "timezone"),
                dbl(r, "latitude"), dbl(r, "longitude"), dec(r, "downtime_cost_per_hour"),
                r.get("snapshot_interval_seconds") == null ? Location.DEFAULT_SNAPSHOT_INTERVAL_SECONDS
                    : integer(r, "snapshot_interval_seconds"),
                r.get("shift_pattern"), tags(r.get("tags"))));
        case "devices" -> new Batches<Device>(w, rows, result, WRITE_BATCH, batch -> w.writeDevices(caller, org, batch))
            .run(r -> new Device(
                or(r, "organization_id", org), req(r, "id"), req(r, "location_id"), req(r, "device_type"),
                status(or(r, "status", "active")), r.get("name"), instant(r, "commissioned_at")));
        case "maintenance_event_parts" -> new Batches<PartUsage>(w, rows, result, WRITE_BATCH, batch -> WriteReport.EMPTY)
            .run(r -> {
              PartUsage p = new PartUsage(req(r, "part_number"), integer(r, "quantity"));
              String event = req(r, "event_id");
              parts.computeIfAbsent(event, k -> new ArrayList<>()).add(p);
              partText.computeIfAbsent(event, k -> new ArrayList<>())
                  .add(new String[] {r.get(SOURCE), r.get(TEXT), r.get(LINE)});
              return null; // written with its event
            });
        case "maintenance_events" -> new Batches<MaintenanceEvent>(w, rows, result, WRITE_BATCH,
            batch -> w.writeEvents(caller, org, batch)).run(r -> {
              String id = req(r, "id");
              EventType type = EventType.fromWireName(req(r, "event_type"));
              if (type == null) {
                throw new Malformed("event_type '" + r.get("event_type") + "' is neither failure nor maintenance");
              }
              MaintenanceEvent e = new MaintenanceEvent(or(r, "organization_id", org), id, req(r, "location_id"),
                  r.get("device_id"), instantReq(r, "occurred_at"), type, bool(r, "planned"), dbl(r, "repair_hours"),
                  dec(r, "cost"), r.get("description"), parts.getOrDefault(id, List.of()));
              parts.remove(id);
              partText.remove(id);
              return e;
            });
        case "fleet_metrics" -> new Batches<FleetMetrics>(w, rows, result, WRITE_BATCH,
            batch -> w.writeMetrics(caller, org, batch)).run(r -> metrics(r, org));
        default -> throw new IllegalStateException(in.table());
      }
    } catch (IOException | UncheckedIOException e) {
      throw new Stopped("reading " + in.path() + " failed: " + e.getMessage(), e);
    }
  }

  /** Per event id, the source, original text and line of its part lines. */
  private final Map<String, List<String[]>> partText = new HashMap<>();

  /** Parts whose event was not in the events file: quarantined, not dropped. */
  private void orphanParts(FleetAnalytics fleet, Map<String, List<PartUsage>> parts, FileResult partsFile) {
    List<Unreadable> orphans = new ArrayList<>();
    parts.keySet().forEach(event -> {
      for (String[] line : partText.getOrDefault(event, List.of())) {
        orphans.add(new Unreadable(Long.parseLong(line[2]), new MalformedRecord("maintenance_event_part", null,
            line[0], line[1], "event_id '" + event + "' is not in the imported maintenance_events file: the part"
            + " cannot be attached")));
      }
    });
    parts.clear();
    partText.clear();
    orphans.sort(java.util.Comparator.comparingLong(Unreadable::line));
    for (int i = 0; i < orphans.size(); i += MALFORMED_BATCH) {
      List<Unreadable> batch = orphans.subList(i, Math.min(orphans.size(), i + MALFORMED_BATCH));
      WriteReport r;
      try {
        r = fleet.writer().quarantineMalformed(connection.caller(), connection.organization,
            batch.stream().map(Unreadable::record).toList());
      } catch (RuntimeException e) {
        throw new Stopped("quarantining the parts of " + partsFile.input.path() + " whose event was not imported"
            + " stopped at line " + batch.get(0).line() + ": " + e.getMessage(), e);
      }
      partsFile.quarantined(batch, r);
    }
  }

  private static FleetMetrics metrics(Map<String, String> r, String org) {
    FleetMetrics.Builder b = FleetMetrics.builder(or(r, "organization_id", org), req(r, "location_id"),
            instantReq(r, "timestamp"))
        .intervalSeconds(integerOrNull(r, "interval_seconds"))
        .deviceCount(integerOrNull(r, "device_count"))
        .avgUptime(dbl(r, "avg_uptime"))
        .avgEfficiency(dbl(r, "avg_efficiency"))
        .avgEnergyConsumption(dbl(r, "avg_energy_consumption"))
        .totalFailures(integerOrNull(r, "total_failures"))
        .mtbf(dbl(r, "mtbf"))
        .mttr(dbl(r, "mttr"))
        .totalProductionHours(dbl(r, "total_production_hours"))
        .totalDowntimeHours(dbl(r, "total_downtime_hours"))
        .oee(dbl(r, "oee"));
    String[] parts = {"planned_production_hours", "run_hours", "ideal_cycle_time_seconds", "total_count", "good_count"};
    long present = Arrays.stream(parts).filter(p -> r.get(p) != null).count();
    if (present == parts.length) {
      b.components(new OeeComponents(dbl(r, parts[0]), dbl(r, parts[1]), dbl(r, parts[2]),
          lng(r, parts[3]), lng(r, parts[4])));
    } else if (present > 0) {
      throw new Malformed("raw OEE components must be given all five or none ("
          + String.join(", ", parts) + "); " + present + " given");
    }
    return b.build();
  }

  // ------------------------------------------------------------------ field parsing

  private static String req(Map<String, String> r, String col) {
    String v = r.get(col);
    if (v == null) {
      throw new Malformed(col + " is required but empty");
    }
    return v;
  }

  private static String or(Map<String, String> r, String col, String fallback) {
    String v = r.get(col);
    return v == null ? fallback : v;
  }

  private static Double dbl(Map<String, String> r, String col) {
    String v = r.get(col);
    if (v == null) {
      return null;
    }
    Double d = PlainNumbers.decimal(v.trim());
    if (d == null) {
      throw new Malformed(col + " '" + v + "' is " + PlainNumbers.decimalProblem(v.trim()));
    }
    return d;
  }

  private static BigDecimal dec(Map<String, String> r, String col) {
    String v = r.get(col);
    if (v == null) {
      return null;
    }
    BigDecimal d = PlainNumbers.exactDecimal(v.trim());
    if (d == null) {
      throw new Malformed(col + " '" + v + "' is not a plain decimal number");
    }
    return d;
  }

  private static Integer integerOrNull(Map<String, String> r, String col) {
    return r.get(col) == null ? null : integer(r, col);
  }

  private static int integer(Map<String, String> r, String col) {
    String v = req(r, col);
    Integer i = PlainNumbers.integer(v.trim());
    if (i == null) {
      throw new Malformed(col + " '" + v + "' is not a whole number");
    }
    return i;
  }

  private static long lng(Map<String, String> r, String col) {
    String v = req(r, col);
    Long l = PlainNumbers.whole(v.trim());
    if (l == null) {
      throw new Malformed(col + " '" + v + "' is not a whole number");
    }
    return l;
  }

  private static boolean bool(Map<String, String> r, String col) {
    String v = req(r, col).trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "t", "1", "yes" -> true;
      case "false", "f", "0", "no" -> false;
      default -> throw new Malformed(col + " '" + v + "' is not true or false");
    };
  }

  private static Instant instantReq(Map<String, String> r, String col) {
    req(r, col);
    return instant(r, col);
  }

  private static Instant instant(Map<String, String> r, String col) {
    String v = r.get(col);
    if (v == null) {
      return null;
    }
    String s = v.trim();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s, POSTGRES_TIMESTAMP).toInstant();
      } catch (DateTimeParseException e2) {
        throw new Malformed(col + " '" + v + "' is not a timestamp with an offset such as 2026-03-01T10:00:00Z");
      }
    }
  }

  private static DeviceStatus status(String s) {
    for (DeviceStatus d : DeviceStatus.values()) {
      if (d.wireName().equalsIgnoreCase(s.trim())) {
        return d;
      }
    }
    throw new Malformed("status '" + s + "' is not one of active, inactive, maintenance, decommissioned");
  }

  /** {@code {a,b}} (PostgreSQL's array text) or {@code a;b}. */
  private static List<String> tags(String s) {
    if (s == null || s.isBlank() || s.equals("{}")) {
      return List.of();
    }
    String t = s.trim();
    if (t.startsWith("{") && t.endsWith("}")) {
      t = t.substring(1, t.length() - 1);
      return Arrays.stream(t.split(",")).map(x -> x.trim().replaceAll("^\"|\"$", "")).toList();
    }
    return Arrays.stream(t.split(";")).map(String::trim).toList();
  }

  // ------------------------------------------------------------------ output

  private String render(java.util.Collection<FileResult> results) {
    WriteReport total = results.stream().map(r -> r.committed).reduce(WriteReport.EMPTY, WriteReport::plus);
    if (output.format == OutputOptions.Format.JSON) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (FileResult r : results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.input.path().toString());
        m.put("table", r.input.table());
        m.putAll(FleetJson.writeReport(r.committed));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Unreadable u : r.listed) {
          Map<String, Object> l = new LinkedHashMap<>();
          l.put("line", u.line());
          l.put("reason", u.record().problem());
          lines.add(l);
        }
        m.put("unreadable_lines", lines);
        m.put("unreadable_lines_not_listed", r.unreadable - r.listed.size());
        list.add(m);
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("organization_id", connection.organization);
      answer.put("files", list);
      answer.put("total", FleetJson.writeReport(total));
      if (stopped != null) {
        answer.put("stopped", stopped);
      }
      return FleetJson.write(answer) + "\n";
    }
    Table t = new Table("file", "submitted", "inserted", "updated", "unchanged", "quarantined", "by reason");
    for (FileResult f : results) {
      WriteReport r = f.committed;
      t.row(f.input.path().toString(), r.submitted(), r.inserted(), r.updated(), r.unchanged(), r.quarantined(),
          reasons(r));
    }
    t.row("total", total.submitted(), total.inserted(), total.updated(), total.unchanged(), total.quarantined(),
        reasons(total));
    StringBuilder b = new StringBuilder("Import into organization ").append(connection.organization)
        .append(" (submitted = inserted + updated + unchanged + quarantined):\n\n").append(t.render());
    if (results.stream().anyMatch(f -> f.unreadable > 0)) {
      b.append("\nUnreadable lines, quarantined as MALFORMED_RECORD (file:line: reason):\n");
      for (FileResult f : results) {
        for (Unreadable u : f.listed) {
          b.append("  ").append(f.input.path()).append(':').append(u.line()).append(": ")
              .append(TerminalText.escape(u.record().problem(), false)).append('\n');
        }
        if (f.unreadable > f.listed.size()) {
          b.append("  ").append(f.input.path()).append(": ").append(f.unreadable - f.listed.size())
              .append(" more unreadable lines, in the quarantine table ingest_quarantine\n");
        }
      }
    }
    long refused = total.quarantined() - results.stream().mapToLong(f -> f.unreadable).sum();
    if (refused > 0) {
      b.append("\n").append(refused).append(" readable records were refused by the writer's rules (counted by reason"
          + " above); each is in ingest_quarantine with its reason and values.\n");
    }
    if (stopped != null) {
      b.append("\nThe import stopped; the counts above are what was committed (see the error below).\n");
    }
    return b.toString();
  }

  private static String reasons(WriteReport r) {
    if (r.quarantinedByReason().isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    r.quarantinedByReason().forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k.name()).append('=').append(v));
    return b.toString();
  }
}
