package io.modax.fleet.ingest;

/**
 * Why the writer refused a record. The name is the {@code reason_code} stored in the quarantine
 * table; the stored {@code reason} text adds the field, the value and the rule.
 */
public enum QuarantineReason {
  /** A required field is missing (e.g. production or downtime hours, an event's time). */
  MISSING_FIELD,
  /** An id is blank, too long (over 64 characters) or contains control characters. */
  MALFORMED_ID,
  /** The record names another organization than the one the write call is for. */
  ORGANIZATION_MISMATCH,
  /** The organization is not registered. */
  UNKNOWN_ORGANIZATION,
  /** The location is not registered for the organization. */
  UNKNOWN_LOCATION,
  /** The device is not registered for the organization. */
  UNKNOWN_DEVICE,
  /** A number is NaN or infinite. */
  NON_FINITE,
  /** A ratio (uptime, efficiency, OEE) is outside [0, 1]. */
  RATIO_OUT_OF_RANGE,
  /** Hours, counts, costs, energy, MTBF or MTTR below zero. */
  NEGATIVE_VALUE,
  /** Production plus downtime hours exceed what the interval can hold for the devices. */
  HOURS_EXCEED_INTERVAL,
  /** Raw OEE components contradict each other or the OEE sent with them. */
  INCONSISTENT_COMPONENTS,
  /** A snapshot interval outside 1 second to 1 day. */
  INVALID_INTERVAL,
  /** The timestamp is further in the future than the clock-skew tolerance. */
  FUTURE_TIMESTAMP,
  /** The timestamp is older than the retention horizon. */
  BEYOND_RETENTION,
  /** Not an IANA time zone region PostgreSQL and Java both know (offsets such as +02:00 are not). */
  INVALID_TIME_ZONE,
  /** Latitude outside [-90, 90] or longitude outside [-180, 180]. */
  INVALID_COORDINATES,
  /**
   * A count beyond the bound that keeps every later sum within PostgreSQL's bigint: a snapshot's
   * total_count, good_count or total_failures above {@link FleetMetrics#MAX_COUNT_PER_SECOND} per
   * second of its interval, or a part quantity above {@link PartUsage#MAX_QUANTITY}. Such a
   * record, once stored, would make every later write of its location and period fail.
   */
  VALUE_TOO_LARGE,
  /** Any other broken rule (e.g. a failure marked planned, a malformed currency code). */
  INVALID_VALUE,
  /**
   * The record could not be read at all (e.g. a CSV line with the wrong number of fields or a
   * number that does not parse); kept with its original text. See {@link
   * FleetWriter#quarantineMalformed}.
   */
  MALFORMED_RECORD
}
