package io.modax.fleet;

import java.io.Serial;

/**
 * The caller may not perform this operation for this organization: it belongs to another tenant
 * and the caller is not an admin, or the caller lacks the permission (read or write) the operation
 * needs. Nothing was read or written.
 */
public class AccessDeniedException extends FleetAnalyticsException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message says who was refused what
   */
  public AccessDeniedException(String message) {
    super(message);
  }
}
