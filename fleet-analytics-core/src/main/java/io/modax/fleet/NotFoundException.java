package io.modax.fleet;

import java.io.Serial;

/** The organization or location named in a request does not exist in the warehouse. */
public class NotFoundException extends FleetAnalyticsException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names what was not found. */
  public NotFoundException(String message) {
    super(message);
  }
}
