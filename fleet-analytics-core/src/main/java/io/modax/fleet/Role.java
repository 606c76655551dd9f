package io.modax.fleet;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A caller's role, as in MODAX's {@code auth.py}. Only {@link #ADMIN} may act for an organization
 * other than its own tenant.
 */
public enum Role {
  /** May read and write every organization. */
  ADMIN(EnumSet.allOf(Permission.class)),
  /** Runs a plant: reads and writes its own organization. */
  OPERATOR(EnumSet.of(Permission.READ, Permission.WRITE, Permission.CONTROL)),
  /** Maintains equipment: reads and writes its own organization. */
  MAINTENANCE(EnumSet.of(Permission.READ, Permission.WRITE, Permission.AI_MODELS)),
  /** Reads its own organization only. */
  READ_ONLY(EnumSet.of(Permission.READ));

  private final Set<Permission> defaultPermissions;

  Role(Set<Permission> defaultPermissions) {
    this.defaultPermissions = Set.copyOf(defaultPermissions);
  }

  /** The permissions MODAX grants this role when none are given explicitly. */
  public Set<Permission> defaultPermissions() {
    return defaultPermissions;
  }

  /** MODAX's lower-case name, e.g. {@code read_only}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses MODAX's name ({@code admin}, {@code operator}, {@code maintenance}, {@code read_only}),
   * case-insensitively.
   *
   * @throws InvalidRequestException for any other value
   */
  public static Role fromWireName(String name) {
    for (Role r : values()) {
      if (r.wireName().equalsIgnoreCase(name)) {
        return r;
      }
    }
    throw new InvalidRequestException(
        "role '" + name + "' is unknown: expected admin, operator, maintenance or read_only");
  }
}
