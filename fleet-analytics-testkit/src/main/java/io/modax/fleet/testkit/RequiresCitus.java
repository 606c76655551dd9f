package io.modax.fleet.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the annotated test class or method only when the shared test database is a Citus coordinator (FleetDatabases.CITUS_URL_VARIABLE); skips
 * it otherwise, with a message that says how to run it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresCitus.Condition.class)
public @interface RequiresCitus {

  /** The condition behind the annotation. */
  final class Condition implements ExecutionCondition {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequiresCitus.class);
    private static final java.util.concurrent.atomic.AtomicBoolean LOGGED =
        new java.util.concurrent.atomic.AtomicBoolean();

    /** Created by JUnit. */
    public Condition() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String reason = FleetDatabases.citusSkipReason();
      if (reason != null && LOGGED.compareAndSet(false, true)) {
        LOG.warn("Citus-only tests are skipped: {}", reason);
      }
      return reason == null
          ? ConditionEvaluationResult.enabled("the test database is a Citus cluster")
          : ConditionEvaluationResult.disabled("Citus-only test skipped: " + reason);
    }
  }
}
