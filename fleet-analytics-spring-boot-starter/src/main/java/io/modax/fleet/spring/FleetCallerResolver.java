package io.modax.fleet.spring;

import io.modax.fleet.CallerContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Who a request is from, as the library's {@link CallerContext}. The host provides one bean; without
 * one, and with Spring Security on the class path, {@link SpringSecurityCallerResolver} is used.
 *
 * <p>An empty answer fails closed: the endpoint answers 401 and runs nothing. Never build the
 * caller's tenant from the request path or a parameter the caller chooses: the library compares it
 * with the organization asked for (403 for another tenant unless the caller is an admin).
 *
 * <p>Implementations must be thread-safe; they are called once per request on its thread.
 */
@FunctionalInterface
public interface FleetCallerResolver {

  /**
   * The caller of the request, or empty when it is not authenticated (or carries no fleet role or
   * tenant).
   */
  Optional<CallerContext> resolve(HttpServletRequest request);
}
