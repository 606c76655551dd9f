package io.modax.fleet;

/**
 * A caller's permission, as in MODAX's {@code auth.py}. This library checks {@link #READ} for
 * analyses and {@link #WRITE} for the writer; the others are carried for the host.
 */
public enum Permission {
  /** Read analyses and reports. */
  READ,
  /** Send metrics, events and registry changes. */
  WRITE,
  /** Issue control actions (not used by this library). */
  CONTROL,
  /** Administer the installation. */
  ADMIN,
  /** Change system configuration (not used by this library). */
  SYSTEM_CONFIG,
  /** Manage users (not used by this library). */
  USER_MANAGEMENT,
  /** Manage AI models (not used by this library). */
  AI_MODELS,
  /** Read audit logs (not used by this library). */
  AUDIT_LOGS
}
