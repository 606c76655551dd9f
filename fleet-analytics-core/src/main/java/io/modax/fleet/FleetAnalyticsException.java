package io.modax.fleet;

import java.io.Serial;

/**
 * Root of every exception this library throws on purpose. All are unchecked.
 *
 * <p>Messages are part of the API: they name the value that was wrong and the rule it broke, and
 * never contain another tenant's data.
 *
 * <ul>
 *   <li>{@link InvalidRequestException}: an argument or record broke a documented rule.
 *   <li>{@link AccessDeniedException}: the caller may not act for that organization.
 *   <li>{@link NotFoundException}: the organization or location does not exist (for this caller).
 *   <li>{@link WarehouseException}: the database failed or could not be reached.
 *   <li>{@link io.modax.fleet.schema.SchemaException}: the schema is missing, older or different.
 * </ul>
 */
public class FleetAnalyticsException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates an exception with a message for a person. */
  public FleetAnalyticsException(String message) {
    super(message);
  }

  /** Creates an exception with a message for a person and its cause. */
  public FleetAnalyticsException(String message, Throwable cause) {
    super(message, cause);
  }
}
