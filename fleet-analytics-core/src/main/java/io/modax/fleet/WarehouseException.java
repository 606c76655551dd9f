package io.modax.fleet;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The database failed, or could not be reached, while the library worked for a call. The cause is
 * the driver's exception; {@link #sqlState()} is its SQLState when there was one.
 *
 * <p>For writes the message says what was and was not stored: a write transaction is all or
 * nothing, so a failed chunk left no partial rows.
 */
public class WarehouseException extends FleetAnalyticsException {
  @Serial private static final long serialVersionUID = 1L;

  private final @Nullable String sqlState;

  /** Creates the exception with the SQLState of the underlying failure, if known. */
  public WarehouseException(String message, @Nullable String sqlState, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** The SQLState of the underlying database error, or null when there was none. */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /**
   * True when the failure is one a retry can cure: a lost connection (SQLState class 08, or 57P01
   * when an administrator terminated the backend), a serialization failure (40001), a deadlock
   * (40P01) or a lock wait that ran out (55P03: another write of the same location held its lock
   * longer than {@code lockTimeout}). Nothing else: 57P02 (crash shutdown) and 57P03 (cannot connect now) mean the server
   * is going down or not up, where retrying within a write call only delays the error.
   */
  public boolean isTransient() {
    return isTransientSqlState(sqlState);
  }

  /** The rule behind {@link #isTransient()}, for any SQLState. */
  public static boolean isTransientSqlState(@Nullable String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("40001")
            || state.equals("40P01")
            || state.equals("55P03"));
  }
}
