package io.modax.fleet.safety;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;

/**
 * A data source that records the text of every SQL statement its connections are given (prepared,
 * executed or batched), so that a test can check that no caller-supplied string was ever part of
 * one. Values bound to parameters are not statement text and are not recorded.
 */
final class RecordingDataSource {

  private final Queue<String> statements = new ConcurrentLinkedQueue<>();
  private final DataSource proxy;

  RecordingDataSource(DataSource real) {
    this.proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          Object r = invoke(real, m, a);
          return m.getName().equals("getConnection") ? connection((Connection) r) : r;
        });
  }

  DataSource dataSource() {
    return proxy;
  }

  Queue<String> statements() {
    return statements;
  }

  private Connection connection(Connection real) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          String name = m.getName();
          if ((name.equals("prepareStatement") || name.equals("prepareCall") || name.equals("nativeSQL"))
              && a != null && a[0] instanceof String sql) {
            statements.add(sql);
          }
          Object r = invoke(real, m, a);
          if (name.equals("createStatement")) {
            return statement((Statement) r);
          }
          return r;
        });
  }

  private Statement statement(Statement real) {
    return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Statement.class}, (p, m, a) -> {
          if ((m.getName().startsWith("execute") || m.getName().equals("addBatch"))
              && a != null && a.length > 0 && a[0] instanceof String sql) {
            statements.add(sql);
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
