package io.modax.fleet;

import java.io.Serial;

/**
 * An argument broke a documented rule: an inverted or too long window, a top N below 1, a
 * threshold outside [0, 1], a malformed id. Nothing was read or written. The message names the
 * parameter, the value and the rule.
 */
public class InvalidRequestException extends FleetAnalyticsException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception; the message should name the parameter, its value and the rule. */
  public InvalidRequestException(String message) {
    super(message);
  }
}
