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
 * Runs the annotated test class or method only when the shared test database is TimescaleDB; skips
 * it otherwise, with a message that says how to run it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresTimescaleDb.Condition.class)
public @interface RequiresTimescaleDb {

  /** The condition behind the annotation. */
  final class Condition implements ExecutionCondition {
    /** Created by JUnit. */
    public Condition() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String reason = FleetDatabases.timescaleSkipReason();
      return reason == null
          ? ConditionEvaluationResult.enabled("the test database is TimescaleDB")
          : ConditionEvaluationResult.disabled("TimescaleDB-only test skipped: " + reason);
    }
  }
}
