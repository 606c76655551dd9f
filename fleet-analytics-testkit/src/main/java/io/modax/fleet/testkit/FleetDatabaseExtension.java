package io.modax.fleet.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: empties the JVM's shared {@link FleetDatabase} before each test (or, for a
 * class annotated {@link ResetOncePerClass}, once before the class, so that its tests can share
 * data loaded in a {@code @BeforeAll}) and injects it into test and lifecycle methods that declare
 * a {@code FleetDatabase} parameter.
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
public final class FleetDatabaseExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  /** Reset the database once before the annotated class instead of before each of its tests. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface ResetOncePerClass {}

  /** Creates the extension (JUnit does). */
  public FleetDatabaseExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (oncePerClass(context)) {
      FleetDatabases.shared().reset();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!oncePerClass(context)) {
      FleetDatabases.shared().reset();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FleetDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return FleetDatabases.shared();
  }

  private static boolean oncePerClass(ExtensionContext context) {
    return context.getTestClass().map(c -> c.isAnnotationPresent(ResetOncePerClass.class)).orElse(false);
  }
}
