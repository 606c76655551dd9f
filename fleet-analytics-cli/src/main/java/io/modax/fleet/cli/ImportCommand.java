package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
import java.util.NoSuchElementException;
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
 * text form ({@code 2026-03-01 10:00:00+00}).
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

  /** One input file and what it became. */
  private record Input(String table, Path path) {}

  /** A record that did not parse. */
  private static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Input> inputs = new ArrayList<>();
    for (String f : files) {
      inputs.add(input(f));
    }
    inputs.sort((a, b) -> Integer.compare(ORDER.indexOf(a.table()), ORDER.indexOf(b.table())));
    Map<String, WriteReport> reports = new LinkedHashMap<>();
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      Map<String, List<PartUsage>> parts = new LinkedHashMap<>();
      String partsFile = null;
      for (Input in : inputs) {
        if (in.table().equals("maintenance_event_parts")) {
          partsFile = in.path().toString();
        }
        reports.merge(in.path().toString(), importFile(s.fleet(), in, parts), WriteReport::plus);
      }
      if (!parts.isEmpty()) {
        // parts whose event is not among the imported events: quarantined, never dropped
        reports.merge(partsFile, orphanParts(s.fleet(), parts), WriteReport::plus);
      }
    }
    System.out.print(render(inputs, reports));
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

    Rows(CsvReader csv, Input input) {
      this.csv = csv;
      this.input = input;
      if (!csv.hasNext()) {
        throw new IllegalArgumentException(input.path() + " is empty: the first line must name the columns");
      }
      List<String> h = new ArrayList<>();
      for (String col : csv.next().fields()) {
        // a byte-order mark (spreadsheets write one) is not part of the first column's name
        String c = col == null ? "" : col.replace("\ufeff", "").trim().toLowerCase(Locale.ROOT);
        if (!COLUMNS.get(input.table()).contains(c) && !IGNORED.contains(c)) {
          throw new IllegalArgumentException(input.path() + ": column '" + c + "' is not a column of "
              + input.table() + " (" + String.join(", ", new java.util.TreeSet<>(COLUMNS.get(input.table()))) + ")");
        }
        h.add(c);
      }
      this.header = h;
    }

    @Override
    public boolean hasNext() {
      return csv.hasNext();
    }

    /** A {@code Map<String, String>} for a readable record, a {@link MalformedRecord} otherwise. */
    @Override
    public Object next() {
      CsvReader.Record r = csv.next();
      String source = input.path().getFileName() + ":" + r.line();
      if (r.problem() != null) {
        return malformed(null, source, r.text(), r.problem());
      }
      if (r.fields().size() != header.size()) {
        return malformed(null, source, r.text(), "the line has " + r.fields().size() + " fields, the header "
            + header.size());
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), r.fields().get(i));
      }
      row.put("\u0000source", source);
      row.put("\u0000text", r.text());
      return row;
    }

    MalformedRecord malformed(String location, String source, String text, String problem) {
      return new MalformedRecord(RECORD_TYPE.get(input.table()), location, source, text, problem);
    }
  }

  private WriteReport importFile(FleetAnalytics fleet, Input in, Map<String, List<PartUsage>> parts)
      throws IOException {
    CallerContext caller = connection.caller();
    String org = connection.organization;
    FleetWriter w = fleet.writer();
    try (BufferedReader reader = Files.newBufferedReader(in.path(), StandardCharsets.UTF_8)) {
      Rows rows = new Rows(new CsvReader(reader), in);
      List<MalformedRecord> malformed = new ArrayList<>();
      WriteReport report = WriteReport.EMPTY;
      switch (in.table()) {
        case "organizations" -> {
          while (rows.hasNext()) {
            Object o = rows.next();
            Organization record = o instanceof MalformedRecord m ? collect(malformed, m) : parse(rows, o, malformed,
                r -> new Organization(req(r, "id"), req(r, "name"), or(r, "timezone", "UTC"), or(r, "currency", "EUR")));
            if (record != null) {
              report = report.plus(w.writeOrganization(caller, record));
            }
          }
        }
        case "locations" -> report = w.writeLocations(caller, org, iterable(rows, malformed, r -> new Location(
            or(r, "organization_id", org), req(r, "id"), req(r, "name"), r.get("address"), req(r, "timezone"),
            dbl(r, "latitude"), dbl(r, "longitude"), dec(r, "downtime_cost_per_hour"),
            r.get("snapshot_interval_seconds") == null ? Location.DEFAULT_SNAPSHOT_INTERVAL_SECONDS
                : integer(r, "snapshot_interval_seconds"),
            r.get("shift_pattern"), tags(r.get("tags")))));
        case "devices" -> report = w.writeDevices(caller, org, iterable(rows, malformed, r -> new Device(
            or(r, "organization_id", org), req(r, "id"), req(r, "location_id"), req(r, "device_type"),
            status(or(r, "status", "active")), r.get("name"), instant(r, "commissioned_at"))));
        case "maintenance_event_parts" -> {
          while (rows.hasNext()) {
            Object o = rows.next();
            if (o instanceof MalformedRecord m) {
              malformed.add(m);
              continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, String> r = (Map<String, String>) o;
            try {
              PartUsage p = new PartUsage(req(r, "part_number"), integer(r, "quantity"));
              String event = req(r, "event_id");
              parts.computeIfAbsent(event, k -> new ArrayList<>()).add(p);
              partText.computeIfAbsent(event, k -> new ArrayList<>())
                  .add(new String[] {r.get("\u0000source"), r.get("\u0000text")});
            } catch (Malformed e) {
              malformed.add(rows.malformed(null, r.get("\u0000source"), r.get("\u0000text"), e.getMessage()));
            }
          }
        }
        case "maintenance_events" -> report = w.writeEvents(caller, org, iterable(rows, malformed, r -> {
          String id = req(r, "id");
          List<PartUsage> used = parts.remove(id);
          partText.remove(id);
          EventType type = EventType.fromWireName(req(r, "event_type"));
          if (type == null) {
            throw new Malformed("event_type '" + r.get("event_type") + "' is neither failure nor maintenance");
          }
          return new MaintenanceEvent(or(r, "organization_id", org), id, req(r, "location_id"), r.get("device_id"),
              instantReq(r, "occurred_at"), type, bool(r, "planned"), dbl(r, "repair_hours"), dec(r, "cost"),
              r.get("description"), used == null ? List.of() : used);
        }));
        case "fleet_metrics" -> {
          // streamed: the writer holds one chunk at a time; malformed lines are sent in batches
          Iterator<FleetMetrics> it = iterator(rows, malformed, r -> metrics(r, org));
          report = w.writeMetrics(caller, org, new Iterator<FleetMetrics>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public FleetMetrics next() {
              if (malformed.size() >= 1_000) {
                malformedReport[0] = malformedReport[0].plus(w.quarantineMalformed(caller, org, List.copyOf(malformed)));
                malformed.clear();
              }
              return it.next();
            }
          });
          report = report.plus(malformedReport[0]);
          malformedReport[0] = WriteReport.EMPTY;
        }
        default -> throw new IllegalStateException(in.table());
      }
      if (!malformed.isEmpty()) {
        report = report.plus(w.quarantineMalformed(caller, org, malformed));
      }
      return report;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private final WriteReport[] malformedReport = {WriteReport.EMPTY};
  /** Per event id, the source and original text of its part lines. */
  private final Map<String, List<String[]>> partText = new HashMap<>();

  /** Parts whose event was not in the events file: quarantined, not dropped. */
  private WriteReport orphanParts(FleetAnalytics fleet, Map<String, List<PartUsage>> parts) {
    List<MalformedRecord> orphans = new ArrayList<>();
    parts.keySet().forEach(event -> {
      for (String[] line : partText.getOrDefault(event, List.of())) {
        orphans.add(new MalformedRecord("maintenance_event_part", null, line[0], line[1],
            "event_id '" + event + "' is not in the imported maintenance_events file: the part cannot be attached"));
      }
    });
    parts.clear();
    partText.clear();
    return orphans.isEmpty() ? WriteReport.EMPTY
        : fleet.writer().quarantineMalformed(connection.caller(), connection.organization, orphans);
  }

  private static <T> T collect(List<MalformedRecord> malformed, MalformedRecord m) {
    malformed.add(m);
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T> T parse(Rows rows, Object o, List<MalformedRecord> malformed, Function<Map<String, String>, T> f) {
    Map<String, String> r = (Map<String, String>) o;
    try {
      return f.apply(r);
    } catch (Malformed e) {
      malformed.add(rows.malformed(r.get("location_id"), r.get("\u0000source"), r.get("\u0000text"), e.getMessage()));
      return null;
    }
  }

  private static <T> Iterable<T> iterable(Rows rows, List<MalformedRecord> malformed, Function<Map<String, String>, T> f) {
    return () -> iterator(rows, malformed, f);
  }

  /** The parsed records of the rows; the ones that do not parse go to {@code malformed}. */
  private static <T> Iterator<T> iterator(Rows rows, List<MalformedRecord> malformed, Function<Map<String, String>, T> f) {
    return new Iterator<>() {
      T next;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          Object o = rows.next();
          if (o instanceof MalformedRecord m) {
            malformed.add(m);
          } else {
            next = parse(rows, o, malformed, f);
          }
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T t = next;
        next = null;
        return t;
      }
    };
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
    try {
      return Double.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new Malformed(col + " '" + v + "' is not a number");
    }
  }

  private static BigDecimal dec(Map<String, String> r, String col) {
    String v = r.get(col);
    if (v == null) {
      return null;
    }
    try {
      return new BigDecimal(v.trim());
    } catch (NumberFormatException e) {
      throw new Malformed(col + " '" + v + "' is not a decimal number");
    }
  }

  private static Integer integerOrNull(Map<String, String> r, String col) {
    return r.get(col) == null ? null : integer(r, col);
  }

  private static int integer(Map<String, String> r, String col) {
    String v = req(r, col);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new Malformed(col + " '" + v + "' is not a whole number");
    }
  }

  private static long lng(Map<String, String> r, String col) {
    String v = req(r, col);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new Malformed(col + " '" + v + "' is not a whole number");
    }
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

  private String render(List<Input> inputs, Map<String, WriteReport> reports) {
    WriteReport total = reports.values().stream().reduce(WriteReport.EMPTY, WriteReport::plus);
    if (output.format == OutputOptions.Format.JSON) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Map.Entry<String, WriteReport> e : reports.entrySet()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", e.getKey());
        m.put("table", inputs.stream().filter(i -> i.path().toString().equals(e.getKey())).map(Input::table)
            .findFirst().orElse("maintenance_event_parts"));
        m.putAll(FleetJson.writeReport(e.getValue()));
        list.add(m);
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("organization_id", connection.organization);
      answer.put("files", list);
      answer.put("total", FleetJson.writeReport(total));
      return FleetJson.write(answer) + "\n";
    }
    Table t = new Table("file", "submitted", "inserted", "updated", "unchanged", "quarantined", "by reason");
    for (Map.Entry<String, WriteReport> e : reports.entrySet()) {
      WriteReport r = e.getValue();
      t.row(e.getKey(), r.submitted(), r.inserted(), r.updated(), r.unchanged(), r.quarantined(), reasons(r));
    }
    t.row("total", total.submitted(), total.inserted(), total.updated(), total.unchanged(), total.quarantined(),
        reasons(total));
    return "Import into organization " + connection.organization + " (submitted = inserted + updated + unchanged"
        + " + quarantined):\n\n" + t.render();
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
