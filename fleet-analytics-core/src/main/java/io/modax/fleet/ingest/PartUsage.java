package io.modax.fleet.ingest;

/**
 * A spare part an event used.
 *
 * @param partNumber the part's number (1-64 characters)
 * @param quantity how many (1 to {@link #MAX_QUANTITY})
 */
public record PartUsage(String partNumber, int quantity) {

  /**
   * The largest quantity of one part line the writer accepts (1,000,000); a larger one quarantines
   * its event ({@link QuarantineReason#VALUE_TOO_LARGE}). The spare-parts forecast adds the lines of
   * a part per day: more than 2,000 lines of a part at this bound on one day would be needed to
   * pass 2^31, far beyond any store room's day.
   */
  public static final int MAX_QUANTITY = 1_000_000;
}
