package io.modax.fleet.ingest;

import org.jspecify.annotations.Nullable;

/**
 * A record that could not be read at all, such as a CSV line with the wrong number of fields or a
 * number that does not parse. {@link FleetWriter#quarantineMalformed} stores it in the quarantine
 * table with reason {@link QuarantineReason#MALFORMED_RECORD} and its original text, so that
 * nothing a location sent is dropped.
 *
 * <p>Immutable. Every field is kept as given; a missing or over-long record type is stored as
 * {@code unknown} (the original value stays in the stored JSON).
 *
 * @param recordType what the record was meant to be: {@code organization}, {@code location},
 *     {@code device}, {@code maintenance_event}, {@code maintenance_event_part} or {@code
 *     fleet_metrics}
 * @param locationId the location it names, when that much could be read; else null
 * @param source where it came from, for a person (e.g. {@code fleet_metrics.csv:17}); may be empty
 * @param originalText the text exactly as received
 * @param problem what is wrong with it, naming the field and value
 */
public record MalformedRecord(
    String recordType,
    @Nullable String locationId,
    String source,
    String originalText,
    String problem) {}
