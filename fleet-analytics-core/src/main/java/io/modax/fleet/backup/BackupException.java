package io.modax.fleet.backup;

import io.modax.fleet.FleetAnalyticsException;
import java.io.Serial;

/**
 * A backup could not be written or restored: the target exists, a file is missing, unreadable or
 * does not match its manifest (row count, checksum), the backup belongs to a newer schema, or the
 * organization already exists where it was to be restored. The message says which file and why.
 * Nothing was written to the database when it is thrown by a restore: a restore is one
 * transaction.
 */
public class BackupException extends FleetAnalyticsException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public BackupException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
