package io.modax.fleet.ingest;

/**
 * An organization: the tenant that owns locations, devices and all their data.
 *
 * @param id the organization id (1-64 characters)
 * @param name display name
 * @param timezone IANA zone of the head office, e.g. {@code Europe/Berlin}: the calendar of the
 *     organization's executive reports
 * @param currency ISO 4217 code of every cost the organization records, e.g. {@code EUR}
 */
public record Organization(String id, String name, String timezone, String currency) {

  /** An organization reporting in UTC and euros. */
  public static Organization of(String id, String name) {
    return new Organization(id, name, "UTC", "EUR");
  }
}
