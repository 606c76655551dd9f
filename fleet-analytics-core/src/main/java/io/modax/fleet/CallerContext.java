package io.modax.fleet;

import io.modax.fleet.internal.Checks;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who a call is made for, modelled on MODAX's user context: a name, the tenant (organization) the
 * caller belongs to, a role and permissions. The host builds it from its authenticated request;
 * never from an organization id the request names, which is exactly what the library checks
 * against {@link #tenantId()}.
 *
 * <p>Rules the library enforces: a caller may read an organization when it is its own tenant and it
 * has {@link Permission#READ}, and write when it has {@link Permission#WRITE}; a caller with role
 * {@link Role#ADMIN} may do either for any organization. Anything else throws {@link
 * AccessDeniedException}.
 *
 * @param name a label for logs and messages (e.g. the API key's owner); not used for access
 * @param tenantId the caller's own organization id
 * @param role the caller's role
 * @param permissions the caller's permissions (copied; immutable)
 */
public record CallerContext(String name, String tenantId, Role role, Set<Permission> permissions) {

  /**
   * Validates and copies.
   *
   * @throws InvalidRequestException when name or tenant id is blank or longer than 64 characters
   */
  public CallerContext {
    Checks.requireId("name", name);
    Checks.requireId("tenantId", tenantId);
    Checks.requireNonNull("role", role);
    Checks.requireNonNull("permissions", permissions);
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
  }

  /** A caller with the default permissions of its role. */
  public static CallerContext of(String name, String tenantId, Role role) {
    return new CallerContext(name, tenantId, role, role.defaultPermissions());
  }

  /** True when this caller may read the given organization's data. */
  public boolean mayRead(String organizationId) {
    return permissions.contains(Permission.READ) && actsFor(organizationId);
  }

  /** True when this caller may write the given organization's data. */
  public boolean mayWrite(String organizationId) {
    return permissions.contains(Permission.WRITE) && actsFor(organizationId);
  }

  private boolean actsFor(String organizationId) {
    return role == Role.ADMIN || tenantId.equals(organizationId);
  }

  /**
   * Throws unless this caller may read the organization.
   *
   * @throws AccessDeniedException naming the caller, its tenant and role, and the organization
   */
  public void checkRead(String organizationId) {
    if (!mayRead(organizationId)) {
      throw denied("read", organizationId, Permission.READ);
    }
  }

  /**
   * Throws unless this caller may write the organization.
   *
   * @throws AccessDeniedException naming the caller, its tenant and role, and the organization
   */
  public void checkWrite(String organizationId) {
    if (!mayWrite(organizationId)) {
      throw denied("write", organizationId, Permission.WRITE);
    }
  }

  private AccessDeniedException denied(String action, String organizationId, Permission needed) {
    String why =
        !permissions.contains(needed)
            ? "it lacks the '" + needed.name().toLowerCase(java.util.Locale.ROOT) + "' permission"
            : "only an admin may act for another tenant";
    return new AccessDeniedException(
        "caller '"
            + name
            + "' (tenant '"
            + tenantId
            + "', role "
            + role.wireName()
            + ") may not "
            + action
            + " organization '"
            + Checks.printable(organizationId)
            + "': "
            + why);
  }
}
