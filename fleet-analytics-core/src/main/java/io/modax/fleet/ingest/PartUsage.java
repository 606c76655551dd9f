package io.modax.fleet.ingest;

/**
 * A spare part an event used.
 *
 * @param partNumber the part's number (1-64 characters)
 * @param quantity how many (at least 1)
 */
public record PartUsage(String partNumber, int quantity) {}
