package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.Permission;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.Metric;
import io.modax.fleet.analytics.TrendPeriod;
import io.modax.fleet.analytics.Window;
import io.modax.fleet.backup.BackupException;
import io.modax.fleet.ingest.Device;
import io.modax.fleet.ingest.DeviceStatus;
import io.modax.fleet.ingest.EventType;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.MalformedRecord;
import io.modax.fleet.ingest.OeeComponents;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.ingest.PartUsage;
import io.modax.fleet.ingest.WriteReport;
import io.modax.fleet.reporting.ReportPeriod;
import io.modax.fleet.schema.FleetSchema;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-style: thousands of generated bad inputs ({@link BadInputs}) thrown at every public
 * entry point, through the library's runtime role (row-level security on). Each call must end in
 * one of: a result (for a write, a report that accounts for every record, bad ones quarantined
 * with a reason); or a clear exception of the library's own ({@link InvalidRequestException},
 * {@link AccessDeniedException}, {@link NotFoundException}, {@link BackupException}) with a
 * message. Never a database error ({@link io.modax.fleet.WarehouseException}: the input reached
 * SQL and the database refused it), never another runtime exception. Afterwards: no statement
 * the library sent contained any of the SQL-carrying strings (they travel as bind values only),
 * no result shown to a caller held another organization's data, and the other organization's
 * rows are unchanged.
 *
 * <p>Seed {@code -Dfleet.fuzz.seed=N} (default fixed, so a run is reproducible), number of calls
 * {@code -Dfleet.fuzz.cases=N} (default 3000). A failure names the call and its inputs.
 */
@ExtendWith(FleetDatabaseExtension.class)
class BadInputFuzzTest {

  static final long SEED = Long.getLong("fleet.fuzz.seed", 20261125L);
  static final int CASES = Integer.getInteger("fleet.fuzz.cases", 3000);

  static final String TARGET = "fz-target";
  static final String VICTIM = "fz-victim";
  static final String SECRET = "VICTIM-SECRET";

  /** What happened to each entry point: outcome name to count. */
  final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
  final List<String> failures = new ArrayList<>();
  int calls;
  int recordsSent;
  FleetDatabase database;

  @Test
  void everyPublicEntryPointAnswersBadInputWithAClearExceptionOrAQuarantinedRecord(FleetDatabase db,
      @TempDir Path tmp) throws Exception {
    database = db;
    try (DatabaseRole runtime = DatabaseRole.runtime(db, 2)) {
      RecordingDataSource recorder = new RecordingDataSource(runtime.pool());
      try (FleetAnalytics fleet = FleetAnalytics.builder(recorder.dataSource()).schema(db.schema())
          .clock(Analyses.clock()).maxWindow(Duration.ofDays(400)).build()) {
        load(fleet);
        String victimBefore = victimRows(db);
        BadInputs in = new BadInputs(SEED, List.of(TARGET, TARGET, VICTIM, "A", "B", "X"));
        long t0 = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
          oneCall(in, fleet, db, tmp);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // nothing the generator made with SQL in it was ever part of a statement's text
        List<String> leaked = new ArrayList<>();
        for (String sql : recorder.statements()) {
          for (String token : in.tokens()) {
            if (sql.contains(token)) {
              leaked.add(token + " in: " + sql);
            }
          }
        }
        assertThat(victimRows(db)).as("the other organization's rows").isEqualTo(victimBefore);
        long bad = in.kinds().entrySet().stream()
            .filter(e -> !e.getKey().endsWith("ordinary") && !e.getKey().endsWith(": valid"))
            .mapToLong(Map.Entry::getValue).sum();
        System.out.printf("bad-input fuzz (seed %d): %d calls (%d records sent to the writer) in %d ms,"
                + " %d statements recorded, %d SQL-carrying strings none of which reached statement text;"
                + " %d bad or edge values generated, by kind: %s; outcomes: %s%n",
            SEED, calls, recordsSent, millis, recorder.statements().size(), in.tokens().size(), bad, in.kinds(),
            outcomes);
        assertThat(leaked).as("caller strings in statement text").isEmpty();
        assertThat(failures).as("calls that did not end in a result or a clear exception").isEmpty();
      }
    }
  }

  static void load(FleetAnalytics fleet) {
    CallerContext admin = CallerContext.of("loader", TARGET, Role.ADMIN);
    Analyses.sample(TARGET, 1, 5).load(fleet);
    fleet.writer().writeOrganization(admin, Organization.of(VICTIM, SECRET + " Corp"));
    fleet.writer().writeLocations(admin, VICTIM, List.of(Location.of(VICTIM, "A", SECRET + " plant", "UTC"),
        Location.of(VICTIM, "victim-secret-loc", SECRET + " plant 2", "UTC")));
    List<FleetMetrics> rows = new ArrayList<>();
    for (int h = 1; h < 100; h++) {
      rows.add(FleetMetrics.builder(VICTIM, "A", Analyses.NOW.minus(Duration.ofHours(h))).intervalSeconds(3600)
          .deviceCount(77).totalProductionHours(70.0).totalDowntimeHours(7.0).avgUptime(0.91).oee(0.777)
          .totalFailures(h % 3).build());
    }
    fleet.writer().writeMetrics(admin, VICTIM, rows);
  }

  /** Every row of the victim organization, as text: must not change. */
  static String victimRows(FleetDatabase db) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String[] t : TenantSql.TENANT_TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), ''))"
            + " FROM \"" + db.schema() + "\"." + t[0] + " x WHERE " + t[1] + " = '" + VICTIM + "'")) {
          rs.next();
          b.append(t[0]).append('=').append(rs.getString(1)).append(';');
        }
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ one call

  void oneCall(BadInputs in, FleetAnalytics fleet, FleetDatabase db, Path tmp) {
    Caller who = caller(in);
    CallerContext c = who.context();
    String org = in.id();
    // admins may act for the victim; they are not asked to write it, so its rows stay as they were
    int kind = in.random().nextInt(24);
    switch (kind) {
      case 0 -> run("CallerContext", () -> new CallerContext(in.id(), in.id(),
          in.chance(0.9) ? in.pick(List.of(Role.values())) : null,
          in.chance(0.9) ? EnumSet.of(Permission.READ) : null), r -> {});
      case 1 -> run("Window", () -> window(in), r -> {});
      case 2 -> run("FleetAnalytics.builder", () -> builder(in, db), r -> {});
      case 3 -> {
        String id = in.chance(0.3) ? org : in.id();
        write(who, id, 1, "writeOrganization",
            () -> fleet.writer().writeOrganization(c, new Organization(id, in.text(), in.text(), in.text())));
      }
      // the records are made inside the call: their constructors are public API too
      case 4 -> {
        int n = in.random().nextInt(1, 4);
        write(who, org, n, "writeLocations", () -> {
          List<Location> l = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            l.add(location(in, org));
          }
          return fleet.writer().writeLocations(c, org, l);
        });
      }
      case 5 -> {
        int n = in.random().nextInt(1, 4);
        write(who, org, n, "writeDevices", () -> {
          List<Device> l = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            l.add(device(in, org));
          }
          return fleet.writer().writeDevices(c, org, l);
        });
      }
      case 6, 7 -> {
        int n = in.random().nextInt(1, 6);
        write(who, org, n, "writeMetrics", () -> {
          List<FleetMetrics> l = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            l.add(metrics(in, org));
          }
          return fleet.writer().writeMetrics(c, org, l);
        });
      }
      case 8 -> {
        int n = in.random().nextInt(1, 4);
        write(who, org, n, "writeEvents", () -> {
          List<MaintenanceEvent> l = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            l.add(event(in, org));
          }
          return fleet.writer().writeEvents(c, org, l);
        });
      }
      case 9 -> write(who, org, 1, "quarantineMalformed", () -> fleet.writer().quarantineMalformed(c, org,
          List.of(new MalformedRecord(in.text(), in.id(), in.text(), in.text(), in.text()))));
      case 10 -> writeNoReport(who, org, "deleteMetrics",
          () -> fleet.writer().deleteMetrics(c, org, in.id(), in.instant(), in.instant()));
      case 11 -> read(who, org, "compareLocations", () -> in.chance(0.5)
          ? fleet.fleetAnalyzer().compareLocations(c, org, in.ids(), in.instant(), in.instant())
          : fleet.fleetAnalyzer().compareLocations(c, org, in.ids(), window(in)));
      case 12 -> read(who, org, "bestPerformers", () -> fleet.fleetAnalyzer().bestPerformers(c, org,
          in.chance(0.9) ? in.pick(List.of(Metric.values())) : null, in.integer(), window(in)));
      case 13 -> read(who, org, "underperformers", () -> fleet.fleetAnalyzer().underperformers(c, org,
          orNaN(in.number()), window(in)));
      case 14 -> read(who, org, "overview", () -> fleet.fleetAnalyzer().overview(c, org));
      case 15 -> read(who, org, "failureTrends", () -> fleet.trendAnalyzer().failureTrends(c, org,
          in.chance(0.9) ? in.pick(List.of(TrendPeriod.values())) : null, window(in)));
      case 16 -> read(who, org, "forecastMaintenanceDemand", () -> fleet.trendAnalyzer()
          .forecastMaintenanceDemand(c, org, in.integer(), orNaN(in.number())));
      case 17 -> read(who, org, "benchmarkLocation", () -> fleet.benchmarking().benchmarkLocation(c, org,
          in.id(), window(in)));
      case 18 -> read(who, org, "dashboard", () -> switch (in.random().nextInt(4)) {
        case 0 -> fleet.dashboard().fleetHealth(c, org, thresholds(in), window(in));
        case 1 -> fleet.dashboard().locationMap(c, org, thresholds(in), window(in));
        case 2 -> fleet.dashboard().maintenanceCosts(c, org,
            in.chance(0.9) ? in.pick(List.of(TrendPeriod.values())) : null, window(in));
        default -> fleet.dashboard().oeeByLocation(c, org, window(in));
      });
      case 19 -> read(who, org, "dataQuality", () -> in.chance(0.5)
          ? fleet.dataQuality().report(c, org, in.id(), in.instant(), in.instant(), in.duration())
          : fleet.dataQuality().reportAll(c, org, in.instant(), in.instant()));
      case 20 -> read(who, org, "reports", () -> in.chance(0.5)
          ? fleet.reports().executiveSummary(c, org, in.chance(0.9) ? in.pick(List.of(ReportPeriod.values())) : null)
          : fleet.reports().locationReport(c, org, in.id(), in.chance(0.9) ? in.pick(List.of(ReportPeriod.values())) : null));
      case 21 -> {
        // odd file names, but always a new entry inside the temporary directory
        String name = "backup-" + calls + (in.chance(0.5) ? ".zip"
            : "-" + String.valueOf(in.text()).replaceAll("[/\\\\\u0000]", "_"));
        read(who, org, "backup.export", () -> {
          Path target;
          try {
            target = tmp.resolve(name);
          } catch (RuntimeException e) {
            target = tmp.resolve("backup-" + calls);
          }
          return fleet.backup().export(c, org, target);
        });
      }
      case 22 -> run("backup.restore", () -> {
        Path garbage = tmp.resolve("garbage-" + calls);
        Files.createDirectories(garbage);
        Files.write(garbage.resolve("manifest.json"), (in.chance(0.5) ? String.valueOf(in.text())
            : "{\"format\":\"fleet-analytics-backup\",\"format_version\":1,\"schema_version\":1,\"organization_id\":"
                + "\"" + String.valueOf(in.id()).replace("\"", "\\\"") + "\",\"exported_at\":\"2026-01-01T00:00:00Z\","
                + "\"source_schema\":\"x\",\"tables\":[]}").getBytes(StandardCharsets.UTF_8));
        return fleet.backup().restore(c, garbage);
      }, r -> failures.add("restore of a garbage backup succeeded: " + r));
      default -> run("FleetSchema", () -> {
        String name = in.text();
        if (in.chance(0.5)) {
          return FleetSchema.of(db.dataSource(), name);
        }
        FleetSchema schema = FleetSchema.of(db.dataSource(), db.schema());
        switch (in.random().nextInt(3)) {
          case 0 -> schema.grantRuntimeRole(name);
          case 1 -> schema.grantFleetReader(name);
          default -> schema.grantOrganizationReader(name, in.id());
        }
        return null;
      }, r -> {});
    }
  }

  /** A caller: one of the target's, an admin, another tenant's, or one built from bad ids. */
  record Caller(CallerContext context, boolean admin) {}

  Caller caller(BadInputs in) {
    return switch (in.random().nextInt(6)) {
      case 0 -> new Caller(CallerContext.of("reader", TARGET, Role.READ_ONLY), false);
      case 1 -> new Caller(CallerContext.of("admin", TARGET, Role.ADMIN), true);
      case 2 -> {
        String tenant = in.id();
        if (VICTIM.equals(tenant)) {
          tenant = TARGET; // the victim's own callers may see it; the test is about everyone else
        }
        try {
          yield new Caller(CallerContext.of("odd", tenant, Role.OPERATOR), false);
        } catch (InvalidRequestException e) {
          count("CallerContext", "InvalidRequestException");
          yield new Caller(CallerContext.of("gateway", TARGET, Role.OPERATOR), false);
        }
      }
      default -> new Caller(CallerContext.of("gateway", TARGET, Role.OPERATOR), false);
    };
  }

  /** A window from any of the factories, or null; a factory refusing its input counts as a call. */
  @Nullable Window window(BadInputs in) {
    try {
      return switch (in.random().nextInt(5)) {
        case 0 -> null;
        case 1 -> Window.between(in.instant(), in.instant());
        case 2 -> Window.lastDays(in.integer());
        case 3 -> Window.last(in.duration());
        default -> Window.last(in.period());
      };
    } catch (InvalidRequestException e) {
      count("Window", "InvalidRequestException");
      return in.chance(0.5) ? null : Window.lastDays(7);
    } catch (RuntimeException e) {
      failures.add("Window factory threw " + e);
      return null;
    }
  }

  FleetHealth.@Nullable Thresholds thresholds(BadInputs in) {
    if (in.chance(0.6)) {
      return FleetHealth.Thresholds.DEFAULT;
    }
    try {
      return new FleetHealth.Thresholds(orNaN(in.number()), orNaN(in.number()), orNaN(in.number()));
    } catch (InvalidRequestException e) {
      count("FleetHealth.Thresholds", "InvalidRequestException");
      return null;
    }
  }

  Object builder(BadInputs in, FleetDatabase db) {
    FleetAnalytics.Builder b = in.chance(0.1)
        ? FleetAnalytics.builder(in.text(), in.text(), in.text())
        : FleetAnalytics.builder(db.dataSource());
    return switch (in.random().nextInt(9)) {
      case 0 -> b.schema(in.text());
      case 1 -> b.clockSkewTolerance(in.duration());
      case 2 -> b.retentionHorizon(in.duration());
      case 3 -> b.writeChunkSize(in.integer());
      case 4 -> b.writeAttempts(in.integer());
      case 5 -> b.maxWindow(in.duration());
      case 6 -> b.statementTimeout(in.duration());
      case 7 -> b.poolSize(in.integer());
      default -> b.clock(null);
    };
  }

  /**
   * The records start from plausible values and have each field replaced by a generated bad one
   * with probability {@link #CORRUPT}: most records then carry one or two bad fields, which reach
   * the deeper rules (and a few carry none and are stored).
   */
  static final double CORRUPT = 0.15;

  static <T> T maybe(BadInputs in, T good, java.util.function.Supplier<T> bad) {
    return in.chance(CORRUPT) ? bad.get() : good;
  }

  Location location(BadInputs in, String org) {
    List<String> tags = maybe(in, new ArrayList<>(List.of("region:emea")), () -> {
      List<String> t = in.chance(0.2) ? null : new ArrayList<>();
      if (t != null) {
        t.add(in.text());
      }
      return t;
    });
    BigDecimal cost = maybe(in, new BigDecimal("120.50"), () -> in.oneOf(new BigDecimal("-1"), new BigDecimal("1e20"),
        new BigDecimal("0.005"), new BigDecimal("123456789012.345")));
    return new Location(maybe(in, org, in::id), maybe(in, "L-" + in.random().nextInt(5), in::id),
        maybe(in, "Plant", in::text), maybe(in, null, in::text), maybe(in, "Europe/Berlin", in::text),
        maybe(in, 48.7, in::number), maybe(in, 9.2, in::number), cost, maybe(in, 900, in::integer),
        maybe(in, "3x8-5d", in::text), tags);
  }

  Device device(BadInputs in, String org) {
    if (in.chance(0.05)) {
      return null;
    }
    return new Device(maybe(in, org, in::id), maybe(in, "D-" + in.random().nextInt(5), in::id),
        maybe(in, "A", in::id), maybe(in, "press", in::text),
        maybe(in, DeviceStatus.ACTIVE, () -> in.chance(0.5) ? null : in.pick(List.of(DeviceStatus.values()))),
        maybe(in, "Press 1", in::text), maybe(in, Analyses.NOW.minus(Duration.ofDays(100)), in::instant));
  }

  FleetMetrics metrics(BadInputs in, String org) {
    if (in.chance(0.05)) {
      return null;
    }
    FleetMetrics.Builder b = FleetMetrics.builder(maybe(in, org, in::id), maybe(in, in.oneOf("A", "B"), in::id),
        maybe(in, Analyses.NOW.minusSeconds(900L * in.random().nextInt(1, 2_000)), in::instant));
    b.intervalSeconds(maybe(in, 900, in::integer))
        .deviceCount(maybe(in, 10, in::integer))
        .avgUptime(maybe(in, 0.9, in::number)).avgEfficiency(maybe(in, 0.8, in::number))
        .avgEnergyConsumption(maybe(in, 11.0, in::number))
        .totalFailures(maybe(in, in.random().nextInt(0, 3), in::integer))
        .mtbf(maybe(in, 50.0, in::number)).mttr(maybe(in, 1.5, in::number))
        .totalProductionHours(maybe(in, 2.2, in::number)).totalDowntimeHours(maybe(in, 0.2, in::number))
        .oee(maybe(in, 0.7, in::number));
    if (in.chance(0.2)) {
      b.components(new OeeComponents(maybe(in, 2.4, () -> orNaN(in.number())), maybe(in, 2.2, () -> orNaN(in.number())),
          maybe(in, 6.0, () -> orNaN(in.number())), maybe(in, 1000L, () -> in.random().nextLong(-5, 5000)),
          maybe(in, 990L, () -> in.random().nextLong(-5, 5000))));
    }
    return b.build();
  }

  MaintenanceEvent event(BadInputs in, String org) {
    if (in.chance(0.05)) {
      return null;
    }
    List<PartUsage> parts = maybe(in, new ArrayList<>(List.of(new PartUsage("bearing-6204", 2))), () -> {
      List<PartUsage> l = in.chance(0.2) ? null : new ArrayList<>();
      int n = l == null ? 0 : in.random().nextInt(1, 3);
      for (int i = 0; i < n; i++) {
        l.add(in.chance(0.1) ? null : new PartUsage(in.id(), in.integer()));
      }
      return l;
    });
    EventType type = maybe(in, EventType.FAILURE, () -> in.chance(0.5) ? null : EventType.MAINTENANCE);
    return new MaintenanceEvent(maybe(in, org, in::id), maybe(in, "E-" + in.random().nextInt(100), in::id),
        maybe(in, "A", in::id), maybe(in, null, in::id),
        maybe(in, Analyses.NOW.minus(Duration.ofHours(in.random().nextInt(1, 2_000))), in::instant),
        type, maybe(in, false, () -> true), maybe(in, 1.5, in::number),
        maybe(in, new BigDecimal("99.90"), () -> in.oneOf(new BigDecimal("-5"), new BigDecimal("1e30"), null)),
        maybe(in, "bearing replaced", in::text), parts);
  }

  static double orNaN(@Nullable Double d) {
    return d == null ? Double.NaN : d;
  }

  // ------------------------------------------------------------------ outcomes

  /**
   * A write: its report must account for every record, the quarantine must have grown by at most
   * what it reports quarantined (by less when a record was already there), and for snapshots the
   * raw table by what it reports inserted; admins never write the victim.
   */
  void write(Caller who, @Nullable String org, int records, String entry, Callable<WriteReport> call) {
    if (who.admin() && VICTIM.equals(org)) {
      return;
    }
    recordsSent += records;
    long quarantinedBefore = rows("ingest_quarantine");
    long metricsBefore = rows("fleet_metrics");
    run(entry, call, r -> {
      WriteReport w = (WriteReport) r;
      if (w.submitted() != records
          || w.submitted() != w.inserted() + w.updated() + w.unchanged() + w.quarantined()) {
        failures.add(entry + ": report " + w + " does not account for the " + records + " records sent");
      }
      long quarantined = rows("ingest_quarantine") - quarantinedBefore;
      // a record already quarantined for the same reason is counted, not stored again (V016)
      if (quarantined > w.quarantined()) {
        failures.add(entry + ": report " + w + " but " + quarantined + " rows were quarantined");
      }
      if (entry.equals("writeMetrics") && rows("fleet_metrics") - metricsBefore != w.inserted()) {
        failures.add(entry + ": report " + w + " but fleet_metrics grew by " + (rows("fleet_metrics") - metricsBefore));
      }
    });
  }

  /** Rows of a table over every organization, counted as the superuser. */
  long rows(String table) {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + database.schema() + "\"." + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void writeNoReport(Caller who, @Nullable String org, String entry, Callable<Object> call) {
    if (who.admin() && VICTIM.equals(org)) {
      return;
    }
    run(entry, call, r -> {});
  }

  /** A read: unless an admin asked for the victim, nothing of the victim may be in the answer. */
  void read(Caller who, @Nullable String org, String entry, Callable<Object> call) {
    boolean mayShowVictim = who.admin() && VICTIM.equals(org);
    run(entry, call, r -> {
      String text = String.valueOf(r);
      if (!mayShowVictim && (text.contains(SECRET) || text.contains("victim-secret-loc") || text.contains("=77,"))) {
        failures.add(entry + " for organization '" + org + "' by " + who.context() + " showed the victim's data: " + text);
      }
    });
  }

  void run(String entry, Callable<?> call, Consumer<Object> onResult) {
    calls++;
    try {
      Object r = call.call();
      count(entry, "result");
      onResult.accept(r);
    } catch (InvalidRequestException | AccessDeniedException | NotFoundException | BackupException e) {
      count(entry, e.getClass().getSimpleName());
      if (e.getMessage() == null || e.getMessage().length() < 15 || e.getMessage().contains("SQLState")) {
        failures.add(entry + " threw " + e.getClass().getSimpleName() + " without a clear message: " + e.getMessage());
      }
    } catch (IllegalArgumentException e) {
      // FleetSchema.of documents IllegalArgumentException for a schema name it cannot quote
      count(entry, "IllegalArgumentException");
      if (!entry.equals("FleetSchema") || !e.getMessage().contains("is not allowed")) {
        failures.add(entry + " threw " + e);
      }
    } catch (Throwable t) {
      count(entry, t.getClass().getSimpleName());
      if (failures.size() < 40) {
        StringBuilder trace = new StringBuilder(t.toString());
        for (StackTraceElement el : t.getStackTrace()) {
          if (el.getClassName().startsWith("io.modax")) {
            trace.append("\n    at ").append(el);
            if (trace.length() > 1500) {
              break;
            }
          }
        }
        failures.add(entry + " (call " + calls + ") threw " + trace);
      }
    }
  }

  void count(String entry, String outcome) {
    outcomes.computeIfAbsent(entry, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
  }
}
