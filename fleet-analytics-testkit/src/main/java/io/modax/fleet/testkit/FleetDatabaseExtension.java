package io.modax.fleet.testkit;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: empties the JVM's shared {@link FleetDatabase} before each test and injects it
 * into test and lifecycle methods that declare a {@code FleetDatabase} parameter.
 *
 * <pre>{@code
 * @ExtendWith(FleetDatabaseExtension.class)
 * class MyTest {
 *   @Test
 *   void works(FleetDatabase db) {
 *     try (FleetAnalytics fleet = db.analyticsBuilder().build()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Tests sharing the database must not run in parallel with each other.
 */
public final class FleetDatabaseExtension implements BeforeEachCallback, ParameterResolver {

  /** Creates the extension (JUnit does). */
  public FleetDatabaseExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    FleetDatabases.shared().reset();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FleetDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return FleetDatabases.shared();
  }
}
