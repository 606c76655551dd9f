package io.modax.fleet.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.RequiresCitus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Done-when of issue 9 (Citus): every query the library sends for one organization is routed to
 * one worker, and a fleet-wide query across organizations still works.
 *
 * <p>Two independent checks over every analysis and report of {@link Analyses#all} and a write:
 *
 * <ul>
 *   <li>A guard: the library runs on a pool whose sessions set {@code
 *       citus.multi_task_query_log_level = error}, so that Citus refuses any statement that would
 *       need more than one shard, including the statements inside the library's SQL functions.
 *   <li>EXPLAIN: each prepared statement the library sends is explained on the coordinator, in the
 *       same transaction and with the same bound values, just before it runs; every distributed
 *       plan must be a single-task router plan, and all of one organization's tasks must name the
 *       same worker node.
 * </ul>
 */
@RequiresCitus
@ExtendWith(FleetDatabaseExtension.class)
class CitusRoutingTest {

  static final List<String> ORGANIZATIONS = List.of("route-a", "route-b", "route-c", "route-d");

  private static final Pattern TASK_COUNT = Pattern.compile("Task Count: (\\d+)");
  private static final Pattern NODE = Pattern.compile("Node: host=(\\S+) port=(\\d+)");

  @Test
  void everySingleOrganizationQueryIsARouterQueryOnOneWorker(FleetDatabase db) throws Exception {
    try (FleetAnalytics loader = db.analyticsBuilder().clock(Analyses.clock()).build()) {
      for (int i = 0; i < ORGANIZATIONS.size(); i++) {
        Analyses.sample(ORGANIZATIONS.get(i), 900 + i, 7).load(loader);
      }
    }
    try (HikariDataSource guarded = guardedPool(db)) {
      for (String org : ORGANIZATIONS) {
        Explaining explaining = new Explaining(guarded);
        try (FleetAnalytics fleet = FleetAnalytics.builder(explaining.dataSource())
            .schema(db.schema()).schemaAction(SchemaAction.VALIDATE).clock(Analyses.clock()).build()) {
          CallerContext reader = CallerContext.of("analyst", org, Role.READ_ONLY);
          for (Map.Entry<String, BiFunction<CallerContext, String, Object>> a : Analyses.all(fleet).entrySet()) {
            assertThat(a.getValue().apply(reader, org)).as(org + " " + a.getKey()).isNotNull();
          }
          CallerContext gateway = CallerContext.of("gateway", org, Role.OPERATOR);
          List<FleetMetrics> rows = new ArrayList<>();
          for (int k = 0; k < 12; k++) {
            rows.add(FleetMetrics.builder(org, "A", Analyses.NOW.minus(Duration.ofHours(30)).plusSeconds(37L + 300L * k))
                .intervalSeconds(300).deviceCount(3).totalProductionHours(0.2).totalDowntimeHours(0.05)
                .avgUptime(0.8).oee(0.6).totalFailures(k % 5 == 0 ? 1 : 0).build());
          }
          fleet.writer().writeMetrics(gateway, org, rows);
        }
        Set<String> coordinator = coordinator(db);
        Set<String> nodes = new TreeSet<>();
        Set<String> onCoordinator = new TreeSet<>();
        int distributed = 0;
        for (Explained e : explaining.explained) {
          List<Integer> taskCounts = new ArrayList<>();
          Matcher t = TASK_COUNT.matcher(e.plan);
          while (t.find()) {
            taskCounts.add(Integer.parseInt(t.group(1)));
          }
          if (taskCounts.isEmpty()) {
            continue; // no distributed table in the statement (set_config, a function call, ...)
          }
          distributed++;
          assertThat(taskCounts).as("task counts of %s\n%s", e.sql, e.plan).containsOnly(1);
          Matcher n = NODE.matcher(e.plan);
          while (n.find()) {
            String node = n.group(1) + ":" + n.group(2);
            if (coordinator.contains(node)) {
              // a task on the coordinator reads what only it holds (the writer's transaction-local
              // staging table) before the rows go to the organization's shard
              onCoordinator.add(e.sql.length() > 120 ? e.sql.substring(0, 120) + "..." : e.sql);
            } else {
              nodes.add(node);
            }
          }
        }
        assertThat(distributed).as("distributed statements explained for " + org).isGreaterThan(5);
        assertThat(nodes).as("worker nodes the statements of " + org + " were routed to").hasSize(1);
        System.out.printf("citus routing: %s: %d statements sent, %d with a distributed plan, every one"
                + " a single-task plan on worker %s; no statement needed more than one shard;"
                + " statements with a coordinator-local task: %s%n",
            org, explaining.explained.size(), distributed, nodes, onCoordinator);
      }
    }
  }

  @Test
  void aFleetWideQueryAcrossOrganizationsStillWorks(FleetDatabase db) throws Exception {
    try (FleetAnalytics loader = db.analyticsBuilder().clock(Analyses.clock()).build()) {
      for (int i = 0; i < ORGANIZATIONS.size(); i++) {
        Analyses.sample(ORGANIZATIONS.get(i), 900 + i, 3).load(loader);
      }
    }
    String sql = "SELECT organization_id, count(*), sum(total_production_hours) FROM "
        + "\"" + db.schema() + "\".fleet_metrics_daily GROUP BY organization_id ORDER BY 1";
    Map<String, Long> asOwner = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
        StringBuilder plan = new StringBuilder();
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
        Matcher t = TASK_COUNT.matcher(plan);
        assertThat(t.find()).isTrue();
        assertThat(Integer.parseInt(t.group(1))).as("a fleet-wide query fans out to every shard").isGreaterThan(1);
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          asOwner.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    assertThat(asOwner.keySet()).containsAll(ORGANIZATIONS);
    // the deliberate cross-organization role of docs/security.md, held to row-level security
    try (DatabaseRole reader = DatabaseRole.fleetReader(db);
        Connection c = reader.pool().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      Map<String, Long> asReader = new TreeMap<>();
      while (rs.next()) {
        asReader.put(rs.getString(1), rs.getLong(2));
      }
      assertThat(asReader).isEqualTo(asOwner);
    }
  }

  /** The coordinator's host:port names as Citus writes them in plans. */
  private static Set<String> coordinator(FleetDatabase db) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT nodename || ':' || nodeport FROM pg_dist_node WHERE groupid = 0"
            + " UNION SELECT current_setting('citus.local_hostname') || ':' || nodeport"
            + " FROM pg_dist_node WHERE groupid = 0")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /** A pool over the test database whose sessions make Citus refuse multi-shard statements. */
  private static HikariDataSource guardedPool(FleetDatabase db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(3);
    config.setPoolName("citus-routing-guard");
    config.setConnectionInitSql("SET citus.multi_task_query_log_level = 'error'");
    return new HikariDataSource(config);
  }

  private record Explained(String sql, String plan) {}

  /**
   * A data source whose prepared statements are explained, with the same values and in the same
   * transaction, just before they run.
   */
  private static final class Explaining {
    final ConcurrentLinkedQueue<Explained> explained = new ConcurrentLinkedQueue<>();
    private final DataSource proxy;

    Explaining(DataSource real) {
      proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {DataSource.class}, (p, m, a) -> {
            Object r = invoke(real, m, a);
            return m.getName().equals("getConnection") ? connection((Connection) r) : r;
          });
    }

    DataSource dataSource() {
      return proxy;
    }

    private Connection connection(Connection real) {
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (p, m, a) -> {
            Object r = invoke(real, m, a);
            if (m.getName().equals("prepareStatement") && a != null && a[0] instanceof String sql
                && r instanceof PreparedStatement ps) {
              return statement(real, sql, ps);
            }
            return r;
          });
    }

    private PreparedStatement statement(Connection connection, String sql, PreparedStatement real) {
      Map<Integer, Object[]> binds = new LinkedHashMap<>(); // index -> method, arguments
      return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
            String name = m.getName();
            if (name.startsWith("set") && a != null && a.length >= 2 && a[0] instanceof Integer i) {
              binds.put(i, new Object[] {m, a});
            } else if (name.equals("clearParameters")) {
              binds.clear();
            } else if ((name.equals("execute") || name.equals("executeQuery")
                || name.equals("executeUpdate") || name.equals("executeLargeUpdate"))
                && (a == null || a.length == 0) && explainable(sql)) {
              explain(connection, sql, binds);
            }
            return invoke(real, m, a);
          });
    }

    private static boolean explainable(String sql) {
      String s = sql.stripLeading().toLowerCase(java.util.Locale.ROOT);
      return s.startsWith("select") || s.startsWith("with") || s.startsWith("insert")
          || s.startsWith("update") || s.startsWith("delete");
    }

    private void explain(Connection c, String sql, Map<Integer, Object[]> binds) throws SQLException {
      StringBuilder plan = new StringBuilder();
      try (PreparedStatement e = c.prepareStatement("EXPLAIN " + sql)) {
        for (Object[] b : binds.values()) {
          invokeQuietly(e, (Method) b[0], (Object[]) b[1]);
        }
        try (ResultSet rs = e.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
      explained.add(new Explained(sql, plan.toString()));
    }

    private static void invokeQuietly(Object target, Method m, Object[] args) throws SQLException {
      try {
        m.invoke(target, args);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException s) {
          throw s;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
