package io.modax.fleet.spring;

import io.modax.fleet.CallerContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves the caller before any parameter is read, so that a request without one is answered 401
 * whatever else is wrong with it. No resolver at all fails closed too.
 */
final class CallerInterceptor implements HandlerInterceptor {

  private final @Nullable FleetCallerResolver resolver;

  CallerInterceptor(@Nullable FleetCallerResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod m) || !FleetAnalyticsController.class.isAssignableFrom(m.getBeanType())) {
      return true;
    }
    Optional<CallerContext> caller = resolver == null ? Optional.empty() : resolver.resolve(request);
    if (caller.isEmpty()) {
      throw new FleetAnalyticsController.CallerRequiredException();
    }
    request.setAttribute(FleetAnalyticsController.CALLER, caller.get());
    return true;
  }
}
