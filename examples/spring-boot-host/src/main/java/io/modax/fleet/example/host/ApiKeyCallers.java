package io.modax.fleet.example.host;

import io.modax.fleet.CallerContext;
import io.modax.fleet.Role;
import io.modax.fleet.spring.FleetCallerResolver;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The caller of a request from its API key, as MODAX's {@code auth.py} does: {@code
 * Authorization: Bearer <key>}, each key configured as {@code host.api-keys.<key>=<name>,<tenant>,<role>}.
 * The tenant comes from the key, never from the request's path: the library compares it with the
 * organization asked for.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyCallers.Keys.class)
public class ApiKeyCallers {

  /** {@code host.api-keys.*}: key to "name,tenant,role". */
  @ConfigurationProperties(prefix = "host")
  public static class Keys {
    private Map<String, String> apiKeys = new HashMap<>();

    /** The keys. */
    public Map<String, String> getApiKeys() {
      return apiKeys;
    }

    /** The keys. */
    public void setApiKeys(Map<String, String> apiKeys) {
      this.apiKeys = apiKeys;
    }
  }

  /** The resolver bean the starter asks for. */
  // tag::resolver[]
  @Bean
  FleetCallerResolver fleetCallerResolver(Keys keys) {
    Map<String, CallerContext> callers = new HashMap<>(); // API key -> who it is (from your auth)
    keys.getApiKeys().forEach((key, value) -> {
      String[] f = value.split(",");
      callers.put(key, CallerContext.of(f[0].trim(), f[1].trim(), Role.fromWireName(f[2].trim())));
    });
    return request -> {                                   // empty: the endpoint answers 401
      String header = request.getHeader("Authorization");
      if (header == null || !header.startsWith("Bearer ")) {
        return Optional.empty();
      }
      return Optional.ofNullable(callers.get(header.substring("Bearer ".length()).trim()));
    };
  }
  // end::resolver[]
}
