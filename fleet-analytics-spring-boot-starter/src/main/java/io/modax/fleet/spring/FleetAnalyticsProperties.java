package io.modax.fleet.spring;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.schema.SchemaAction;
import io.modax.fleet.schema.TimescaleMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code fleet.analytics.*} properties: the {@link FleetAnalytics.Builder} settings (each
 * unset one keeps the library's default), the HTTP endpoints' switch and the default caller
 * resolver's mapping. Durations take Spring's forms ({@code 5m}, {@code PT5M}).
 */
@ConfigurationProperties(prefix = "fleet.analytics")
public class FleetAnalyticsProperties {

  /** Whether to create the FleetAnalytics bean at all. */
  private boolean enabled = true;
  /** The schema the warehouse lives in (default fleet_analytics). */
  private @Nullable String schema;
  /** What to do with the schema at start-up: MIGRATE (default), VALIDATE or NONE. */
  private @Nullable SchemaAction schemaAction;
  /** TimescaleDB use: AUTO (default), REQUIRED or DISABLED. */
  private @Nullable TimescaleMode timescale;
  /** How figures are aggregated: EXPOSURE_WEIGHTED (default) or SEED_COMPATIBLE. */
  private @Nullable AggregationMode aggregationMode;
  /** How far ahead of the clock a snapshot may be (default 5m). */
  private @Nullable Duration clockSkewTolerance;
  /** How old a snapshot may be (default 3653d). */
  private @Nullable Duration retentionHorizon;
  /** Records per write transaction (default 5000). */
  private @Nullable Integer writeChunkSize;
  /** Attempts per write chunk on a transient failure (default 4). */
  private @Nullable Integer writeAttempts;
  /** The longest window an analysis accepts (default 1830d). */
  private @Nullable Duration maxWindow;
  /** The statement timeout of the library's queries (default: none). */
  private @Nullable Duration statementTimeout;
  /** How long a read may wait on an unresponsive database or replica (default 30s). */
  private @Nullable Duration readTimeout;
  /** Locations one organization may have (default 10000). */
  private @Nullable Integer maxLocationsPerOrganization;
  /** Location ids one request may name, and locations a per-location analysis may cover (default 1000). */
  private @Nullable Integer maxIdsPerRequest;
  /** Devices one write call may carry (default 100000). */
  private @Nullable Integer maxDevicesPerCall;
  /** Maintenance events one write call may carry (default 100000). */
  private @Nullable Integer maxEventsPerCall;
  /** Part lines one maintenance event may carry (default 1000). */
  private @Nullable Integer maxPartsPerEvent;

  private final Web web = new Web();
  private final Security security = new Security();

  /** The HTTP endpoints. */
  public static class Web {
    /** Whether to serve the design's endpoints under /fleet/organizations/{org_id}. */
    private boolean enabled = true;
    /** Whether to serve the OpenAPI description at /fleet/openapi.json. */
    private boolean openapi = true;

    /** See the field. */
    public boolean isEnabled() {
      return enabled;
    }

    /** See the field. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** See the field. */
    public boolean isOpenapi() {
      return openapi;
    }

    /** See the field. */
    public void setOpenapi(boolean openapi) {
      this.openapi = openapi;
    }
  }

  /** How the default resolver maps a Spring Security Authentication to a caller. */
  public static class Security {
    /** Prefix of the role authorities (ROLE_ADMIN, ROLE_OPERATOR, ROLE_MAINTENANCE, ROLE_READ_ONLY). */
    private String rolePrefix = "ROLE_";
    /** Prefix of the authority naming the caller's tenant (TENANT_acme). */
    private String tenantAuthorityPrefix = "TENANT_";
    /** Name of the token, principal or details attribute holding the tenant id. */
    private String tenantAttribute = "tenant_id";

    /** See the field. */
    public String getRolePrefix() {
      return rolePrefix;
    }

    /** See the field. */
    public void setRolePrefix(String rolePrefix) {
      this.rolePrefix = rolePrefix;
    }

    /** See the field. */
    public String getTenantAuthorityPrefix() {
      return tenantAuthorityPrefix;
    }

    /** See the field. */
    public void setTenantAuthorityPrefix(String tenantAuthorityPrefix) {
      this.tenantAuthorityPrefix = tenantAuthorityPrefix;
    }

    /** See the field. */
    public String getTenantAttribute() {
      return tenantAttribute;
    }

    /** See the field. */
    public void setTenantAttribute(String tenantAttribute) {
      this.tenantAttribute = tenantAttribute;
    }
  }

  /** Applies the properties that are set to the builder. */
  void applyTo(FleetAnalytics.Builder b) {
    if (schema != null) {
      b.schema(schema);
    }
    if (schemaAction != null) {
      b.schemaAction(schemaAction);
    }
    if (timescale != null) {
      b.timescale(timescale);
    }
    if (aggregationMode != null) {
      b.aggregationMode(aggregationMode);
    }
    if (clockSkewTolerance != null) {
      b.clockSkewTolerance(clockSkewTolerance);
    }
    if (retentionHorizon != null) {
      b.retentionHorizon(retentionHorizon);
    }
    if (writeChunkSize != null) {
      b.writeChunkSize(writeChunkSize);
    }
    if (writeAttempts != null) {
      b.writeAttempts(writeAttempts);
    }
    if (maxWindow != null) {
      b.maxWindow(maxWindow);
    }
    if (statementTimeout != null) {
      b.statementTimeout(statementTimeout);
    }
    if (readTimeout != null) {
      b.readTimeout(readTimeout);
    }
    if (maxLocationsPerOrganization != null) {
      b.maxLocationsPerOrganization(maxLocationsPerOrganization);
    }
    if (maxIdsPerRequest != null) {
      b.maxIdsPerRequest(maxIdsPerRequest);
    }
    if (maxDevicesPerCall != null) {
      b.maxDevicesPerCall(maxDevicesPerCall);
    }
    if (maxEventsPerCall != null) {
      b.maxEventsPerCall(maxEventsPerCall);
    }
    if (maxPartsPerEvent != null) {
      b.maxPartsPerEvent(maxPartsPerEvent);
    }
  }

  /** See the field. */
  public boolean isEnabled() {
    return enabled;
  }

  /** See the field. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** See the field. */
  public @Nullable String getSchema() {
    return schema;
  }

  /** See the field. */
  public void setSchema(@Nullable String schema) {
    this.schema = schema;
  }

  /** See the field. */
  public @Nullable SchemaAction getSchemaAction() {
    return schemaAction;
  }

  /** See the field. */
  public void setSchemaAction(@Nullable SchemaAction schemaAction) {
    this.schemaAction = schemaAction;
  }

  /** See the field. */
  public @Nullable TimescaleMode getTimescale() {
    return timescale;
  }

  /** See the field. */
  public void setTimescale(@Nullable TimescaleMode timescale) {
    this.timescale = timescale;
  }

  /** See the field. */
  public @Nullable AggregationMode getAggregationMode() {
    return aggregationMode;
  }

  /** See the field. */
  public void setAggregationMode(@Nullable AggregationMode aggregationMode) {
    this.aggregationMode = aggregationMode;
  }

  /** See the field. */
  public @Nullable Duration getClockSkewTolerance() {
    return clockSkewTolerance;
  }

  /** See the field. */
  public void setClockSkewTolerance(@Nullable Duration clockSkewTolerance) {
    this.clockSkewTolerance = clockSkewTolerance;
  }

  /** See the field. */
  public @Nullable Duration getRetentionHorizon() {
    return retentionHorizon;
  }

  /** See the field. */
  public void setRetentionHorizon(@Nullable Duration retentionHorizon) {
    this.retentionHorizon = retentionHorizon;
  }

  /** See the field. */
  public @Nullable Integer getWriteChunkSize() {
    return writeChunkSize;
  }

  /** See the field. */
  public void setWriteChunkSize(@Nullable Integer writeChunkSize) {
    this.writeChunkSize = writeChunkSize;
  }

  /** See the field. */
  public @Nullable Integer getWriteAttempts() {
    return writeAttempts;
  }

  /** See the field. */
  public void setWriteAttempts(@Nullable Integer writeAttempts) {
    this.writeAttempts = writeAttempts;
  }

  /** See the field. */
  public @Nullable Duration getMaxWindow() {
    return maxWindow;
  }

  /** See the field. */
  public void setMaxWindow(@Nullable Duration maxWindow) {
    this.maxWindow = maxWindow;
  }

  /** See the field. */
  public @Nullable Duration getStatementTimeout() {
    return statementTimeout;
  }

  /** See the field. */
  public void setStatementTimeout(@Nullable Duration statementTimeout) {
    this.statementTimeout = statementTimeout;
  }

  /** The HTTP endpoints' settings. */
  public Web getWeb() {
    return web;
  }

  /** The default caller resolver's settings. */
  public Security getSecurity() {
    return security;
  }
  /** See the field. */
  public @Nullable Duration getReadTimeout() {
    return readTimeout;
  }

  /** See the field. */
  public void setReadTimeout(@Nullable Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  /** See the field. */
  public @Nullable Integer getMaxLocationsPerOrganization() {
    return maxLocationsPerOrganization;
  }

  /** See the field. */
  public void setMaxLocationsPerOrganization(@Nullable Integer maxLocationsPerOrganization) {
    this.maxLocationsPerOrganization = maxLocationsPerOrganization;
  }

  /** See the field. */
  public @Nullable Integer getMaxIdsPerRequest() {
    return maxIdsPerRequest;
  }

  /** See the field. */
  public void setMaxIdsPerRequest(@Nullable Integer maxIdsPerRequest) {
    this.maxIdsPerRequest = maxIdsPerRequest;
  }

  /** See the field. */
  public @Nullable Integer getMaxDevicesPerCall() {
    return maxDevicesPerCall;
  }

  /** See the field. */
  public void setMaxDevicesPerCall(@Nullable Integer maxDevicesPerCall) {
    this.maxDevicesPerCall = maxDevicesPerCall;
  }

  /** See the field. */
  public @Nullable Integer getMaxEventsPerCall() {
    return maxEventsPerCall;
  }

  /** See the field. */
  public void setMaxEventsPerCall(@Nullable Integer maxEventsPerCall) {
    this.maxEventsPerCall = maxEventsPerCall;
  }

  /** See the field. */
  public @Nullable Integer getMaxPartsPerEvent() {
    return maxPartsPerEvent;
  }

  /** See the field. */
  public void setMaxPartsPerEvent(@Nullable Integer maxPartsPerEvent) {
    this.maxPartsPerEvent = maxPartsPerEvent;
  }
}
