package io.modax.fleet.spring;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalyticsException;
import io.modax.fleet.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The default {@link FleetCallerResolver} when Spring Security is on the class path: the caller is
 * the current {@link Authentication} of the request's thread.
 *
 * <ul>
 *   <li><b>name</b>: {@link Authentication#getName()};
 *   <li><b>role</b>: the most privileged MODAX role among the authorities {@code ROLE_ADMIN}, {@code
 *       ROLE_OPERATOR}, {@code ROLE_MAINTENANCE}, {@code ROLE_READ_ONLY} (prefix {@code
 *       fleet.analytics.security.role-prefix}, case-insensitive), with that role's default
 *       permissions;
 *   <li><b>tenant</b> (the organization the caller belongs to): an authority {@code TENANT_<id>}
 *       (prefix {@code fleet.analytics.security.tenant-authority-prefix}); else the attribute {@code
 *       tenant_id} ({@code fleet.analytics.security.tenant-attribute}) of a token's attributes (a
 *       JWT's claims: {@code getTokenAttributes()}), of the principal's attributes ({@code
 *       getAttributes()}, an OAuth2 user) or of {@link Authentication#getDetails()} when it is a
 *       map.
 * </ul>
 *
 * <p>Fails closed: no authentication, an anonymous one, no fleet role, no tenant or more than one
 * tenant authority give an empty answer (the endpoint answers 401). Thread-safe.
 */
public final class SpringSecurityCallerResolver implements FleetCallerResolver {

  private static final Role[] MOST_PRIVILEGED_FIRST = {Role.ADMIN, Role.OPERATOR, Role.MAINTENANCE, Role.READ_ONLY};

  private final String rolePrefix;
  private final String tenantAuthorityPrefix;
  private final String tenantAttribute;

  /** A resolver with the given authority prefixes and tenant attribute name. */
  public SpringSecurityCallerResolver(String rolePrefix, String tenantAuthorityPrefix, String tenantAttribute) {
    this.rolePrefix = rolePrefix;
    this.tenantAuthorityPrefix = tenantAuthorityPrefix;
    this.tenantAttribute = tenantAttribute;
  }

  @Override
  public Optional<CallerContext> resolve(HttpServletRequest request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return Optional.empty();
    }
    List<String> authorities = new ArrayList<>();
    for (GrantedAuthority a : auth.getAuthorities()) {
      if (a.getAuthority() != null) {
        authorities.add(a.getAuthority());
      }
    }
    Role role = null;
    for (Role r : MOST_PRIVILEGED_FIRST) {
      if (authorities.stream().anyMatch(a -> a.equalsIgnoreCase(rolePrefix + r.wireName()))) {
        role = r;
        break;
      }
    }
    String tenant = tenant(auth, authorities);
    if (role == null || tenant == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(CallerContext.of(auth.getName(), tenant, role));
    } catch (FleetAnalyticsException e) {
      return Optional.empty(); // a blank or over-long name or tenant id: not a caller the library accepts
    }
  }

  private @Nullable String tenant(Authentication auth, List<String> authorities) {
    List<String> tenants = authorities.stream()
        .filter(a -> !tenantAuthorityPrefix.isEmpty() && a.startsWith(tenantAuthorityPrefix))
        .map(a -> a.substring(tenantAuthorityPrefix.length())).distinct().toList();
    if (tenants.size() > 1) {
      return null; // ambiguous: fail closed
    }
    if (tenants.size() == 1) {
      return tenants.get(0);
    }
    for (Object attributes : new Object[] {
        call(auth, "getTokenAttributes"), call(auth.getPrincipal(), "getAttributes"), auth.getDetails()}) {
      if (attributes instanceof Map<?, ?> m && m.get(tenantAttribute) != null) {
        return String.valueOf(m.get(tenantAttribute));
      }
    }
    return null;
  }

  /** A no-argument getter by name, without a compile-time dependency on Spring Security OAuth2. */
  private static @Nullable Object call(@Nullable Object target, String getter) {
    if (target == null) {
      return null;
    }
    try {
      Method m = target.getClass().getMethod(getter);
      return m.getParameterCount() == 0 ? m.invoke(target) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
