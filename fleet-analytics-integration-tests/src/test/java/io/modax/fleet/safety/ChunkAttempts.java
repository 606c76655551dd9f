package io.modax.fleet.safety;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source between the library and its pool that counts the attempts of the writer's chunk
 * transactions and can make the next commits of such transactions fail with a chosen SQLState,
 * the way the server reports a serialization failure, a deadlock or a lost connection at commit:
 * the transaction is rolled back and the commit throws. Only the state is simulated; the rollback
 * is real.
 *
 * <p>A chunk attempt is recognized by the statement every attempt starts with (the look-up of its
 * batch id in {@code ingest_batches}), a chunk commit by the insert of its batch record.
 */
final class ChunkAttempts {

  private final DataSource proxy;
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger failCommits = new AtomicInteger();
  private volatile String failState = "40001";

  ChunkAttempts(DataSource real) {
    this.proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          Object r = invoke(real, m, a);
          return m.getName().equals("getConnection") ? connection((Connection) r) : r;
        });
  }

  DataSource dataSource() {
    return proxy;
  }

  /** Chunk transactions begun so far. */
  int attempts() {
    return attempts.get();
  }

  /** The next {@code count} chunk commits roll back and fail with the given SQLState. */
  void failNextCommits(int count, String sqlState) {
    failState = sqlState;
    failCommits.set(count);
  }

  private Connection connection(Connection real) {
    boolean[] chunk = {false};
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          String name = m.getName();
          if (name.equals("prepareStatement") && a != null && a[0] instanceof String sql) {
            if (sql.contains(".ingest_batches WHERE organization_id = ? AND batch_id = ?")) {
              attempts.incrementAndGet();
            }
            if (sql.contains(".ingest_batches (organization_id, batch_id")) {
              chunk[0] = true;
            }
          }
          if (name.equals("commit") || name.equals("rollback") && (a == null || a.length == 0)) {
            boolean failing = name.equals("commit") && chunk[0]
                && failCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            chunk[0] = false;
            if (failing) {
              real.rollback();
              throw new SQLException("simulated failure at commit (the transaction was rolled back)", failState);
            }
          }
          return invoke(real, m, a);
        });
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
