package io.modax.fleet.schema;

import io.modax.fleet.FleetAnalyticsException;
import java.io.Serial;

/**
 * The schema is missing, older or newer than this library, differs from the migrations it was
 * created with (checksum mismatch), or could not be migrated. The message says which and what to do.
 */
public class SchemaException extends FleetAnalyticsException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public SchemaException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public SchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
