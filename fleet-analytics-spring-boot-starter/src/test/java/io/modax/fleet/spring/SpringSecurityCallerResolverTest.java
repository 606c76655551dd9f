package io.modax.fleet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** How a Spring Security Authentication becomes a caller, and when it fails closed. */
class SpringSecurityCallerResolverTest {

  final SpringSecurityCallerResolver resolver = new SpringSecurityCallerResolver("ROLE_", "TENANT_", "tenant_id");

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
  }

  Optional<CallerContext> resolve(Authentication auth) {
    SecurityContextHolder.getContext().setAuthentication(auth);
    return resolver.resolve(new MockHttpServletRequest());
  }

  static Authentication user(String name, String... authorities) {
    return UsernamePasswordAuthenticationToken.authenticated(name, "n/a", AuthorityUtils.createAuthorityList(authorities));
  }

  @Test
  void roleAndTenantFromAuthorities() {
    assertThat(resolve(user("gateway-a", "ROLE_OPERATOR", "TENANT_acme")))
        .contains(CallerContext.of("gateway-a", "acme", Role.OPERATOR));
    // the most privileged MODAX role wins; case-insensitive role names
    assertThat(resolve(user("boss", "ROLE_read_only", "ROLE_ADMIN", "TENANT_modax")).map(CallerContext::role))
        .contains(Role.ADMIN);
    assertThat(resolve(user("m", "ROLE_MAINTENANCE", "ROLE_READ_ONLY", "TENANT_acme")).map(CallerContext::role))
        .contains(Role.MAINTENANCE);
  }

  @Test
  void tenantFromTokenAttributesOrDetails() {
    UsernamePasswordAuthenticationToken withDetails = (UsernamePasswordAuthenticationToken) user("svc", "ROLE_READ_ONLY");
    withDetails.setDetails(Map.of("tenant_id", "acme"));
    assertThat(resolve(withDetails)).contains(CallerContext.of("svc", "acme", Role.READ_ONLY));
    assertThat(resolve(new TokenLike(Map.of("tenant_id", "globex")))).map(CallerContext::tenantId).contains("globex");
  }

  @Test
  void failsClosed() {
    assertThat(resolver.resolve(new MockHttpServletRequest())).isEmpty(); // no authentication at all
    assertThat(resolve(new AnonymousAuthenticationToken("k", "anonymousUser",
        AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")))).isEmpty();
    TestingAuthenticationToken unauthenticated = new TestingAuthenticationToken("x", "n/a", "ROLE_OPERATOR", "TENANT_acme");
    unauthenticated.setAuthenticated(false);
    assertThat(resolve(unauthenticated)).isEmpty();
    assertThat(resolve(user("no-role", "TENANT_acme", "ROLE_USER"))).isEmpty();
    assertThat(resolve(user("no-tenant", "ROLE_ADMIN"))).isEmpty();
    assertThat(resolve(user("two-tenants", "ROLE_OPERATOR", "TENANT_acme", "TENANT_globex"))).isEmpty();
    assertThat(resolve(user(" ", "ROLE_OPERATOR", "TENANT_acme"))).isEmpty(); // a blank name is not a caller
  }

  /** Like a JWT authentication: claims under getTokenAttributes(). */
  static final class TokenLike extends UsernamePasswordAuthenticationToken {
    private static final long serialVersionUID = 1L;
    private final Map<String, Object> claims;

    TokenLike(Map<String, Object> claims) {
      super("jwt-user", "n/a", AuthorityUtils.createAuthorityList("ROLE_OPERATOR"));
      this.claims = claims;
    }

    public Map<String, Object> getTokenAttributes() {
      return claims;
    }
  }

  @Test
  void theConfigurationMetadataIsGenerated() {
    assertThat(getClass().getClassLoader().getResource("META-INF/spring-configuration-metadata.json")).isNotNull();
    assertThat(List.of(FleetAnalyticsProperties.class.getDeclaredFields()).stream().map(f -> f.getName()))
        .contains("schema", "aggregationMode", "web", "security");
  }
}
