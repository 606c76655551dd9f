package io.modax.fleet.spring;

import io.modax.fleet.FleetAnalytics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The design's endpoints in a servlet web application with a {@link FleetAnalytics} bean: {@link
 * FleetAnalyticsController}, its {@link FleetProblemHandler}, the caller check, the default {@link
 * SpringSecurityCallerResolver} (Spring Security on the class path and no resolver bean) and the
 * OpenAPI description at {@code /fleet/openapi.json}. Off with {@code
 * fleet.analytics.web.enabled=false}.
 */
@AutoConfiguration(after = FleetAnalyticsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(FleetAnalytics.class)
@ConditionalOnProperty(prefix = "fleet.analytics.web", name = "enabled", havingValue = "true", matchIfMissing = true)
public class FleetAnalyticsWebAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(FleetAnalyticsWebAutoConfiguration.class);

  /** Runs analyses as they are unless the metrics auto-configuration supplied an observer. */
  @Bean
  @ConditionalOnMissingBean
  public FleetAnalysisObserver fleetAnalysisObserver() {
    return FleetAnalysisObserver.NONE;
  }

  /** The seven endpoints. */
  @Bean
  @ConditionalOnMissingBean
  public FleetAnalyticsController fleetAnalyticsController(FleetAnalytics fleet, FleetAnalysisObserver observer) {
    return new FleetAnalyticsController(fleet, observer);
  }

  /** Their errors as problem details. */
  @Bean
  @ConditionalOnMissingBean
  public FleetProblemHandler fleetProblemHandler() {
    return new FleetProblemHandler();
  }

  /** The caller check before every fleet endpoint; without any resolver every request is answered 401. */
  @Bean
  public WebMvcConfigurer fleetCallerCheck(ObjectProvider<FleetCallerResolver> resolver) {
    FleetCallerResolver r = resolver.getIfUnique();
    if (r == null) {
      LOG.warn("fleet analytics: no FleetCallerResolver bean (and no Spring Security): every request to "
          + FleetAnalyticsController.BASE_PATH + " is answered 401");
    }
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new CallerInterceptor(r)).addPathPatterns("/fleet/organizations/**");
      }
    };
  }

  /** The OpenAPI description of the endpoints. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "fleet.analytics.web", name = "openapi", havingValue = "true", matchIfMissing = true)
  public FleetOpenApiController fleetOpenApiController() {
    return new FleetOpenApiController();
  }

  /** The caller from Spring Security's {@code Authentication} when the host has no resolver. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SecurityContextHolder.class)
  static class SpringSecurityResolverConfiguration {

    @Bean
    @ConditionalOnMissingBean(FleetCallerResolver.class)
    SpringSecurityCallerResolver springSecurityCallerResolver(FleetAnalyticsProperties properties) {
      FleetAnalyticsProperties.Security s = properties.getSecurity();
      return new SpringSecurityCallerResolver(s.getRolePrefix(), s.getTenantAuthorityPrefix(), s.getTenantAttribute());
    }
  }
}
