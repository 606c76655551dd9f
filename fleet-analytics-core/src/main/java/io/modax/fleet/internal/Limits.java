package io.modax.fleet.internal;

import io.modax.fleet.InvalidRequestException;

/**
 * The sizes a host lets one organization or one call reach (see {@code FleetAnalytics.Builder}):
 * each keeps the memory and time of a call bounded, and each refusal names the limit, its value and
 * the count that broke it. Immutable.
 *
 * @param maxLocationsPerOrganization locations an organization may register
 * @param maxIdsPerRequest ids one analysis call may name (e.g. the locations to compare)
 * @param maxDevicesPerCall devices one {@code writeDevices} call may send
 * @param maxEventsPerCall events one {@code writeEvents} call may send
 * @param maxPartsPerEvent spare-part lines one event may carry (more: the event is quarantined)
 */
public record Limits(
    int maxLocationsPerOrganization,
    int maxIdsPerRequest,
    int maxDevicesPerCall,
    int maxEventsPerCall,
    int maxPartsPerEvent) {

  /** The library's defaults (the constants of {@code FleetAnalytics}). */
  public static final Limits DEFAULTS = new Limits(10_000, 1_000, 100_000, 100_000, 1_000);

  /**
   * Throws when {@code count} exceeds a limit.
   *
   * @param limit the limit's name as the builder spells it, e.g. {@code maxIdsPerRequest}
   * @param value the limit's configured value
   * @param count how many the request brings
   * @param what what was counted, e.g. "location ids in the request"
   * @throws InvalidRequestException naming the limit, its value and the count
   */
  public static void require(String limit, int value, long count, String what) {
    if (count > value) {
      throw new InvalidRequestException(
          count + " " + what + " exceed the limit " + limit + " = " + value
              + " (raise it on FleetAnalytics.builder(...) if the host can afford it)");
    }
  }
}
