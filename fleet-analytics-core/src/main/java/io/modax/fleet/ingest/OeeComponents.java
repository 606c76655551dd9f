package io.modax.fleet.ingest;

/**
 * The raw components of OEE over a snapshot's interval, for locations that can send them. With
 * them the library computes OEE exactly (fully productive time / planned production time) instead
 * of relying on a precomputed ratio.
 *
 * @param plannedProductionHours device-hours scheduled for production
 * @param runHours device-hours actually running (at most the planned hours)
 * @param idealCycleTimeSeconds the ideal time to make one part, seconds
 * @param totalCount parts made
 * @param goodCount good parts made (at most the total)
 */
public record OeeComponents(
    double plannedProductionHours,
    double runHours,
    double idealCycleTimeSeconds,
    long totalCount,
    long goodCount) {

  /** Availability: run / planned. */
  public double availability() {
    return plannedProductionHours > 0 ? runHours / plannedProductionHours : 0;
  }

  /** Performance: ideal cycle time x total count / run time. */
  public double performance() {
    return runHours > 0 ? idealCycleTimeSeconds * totalCount / 3600.0 / runHours : 0;
  }

  /** Quality: good / total. */
  public double quality() {
    return totalCount > 0 ? (double) goodCount / totalCount : 0;
  }

  /** OEE: ideal cycle time x good count / planned time (= availability x performance x quality). */
  public double oee() {
    return plannedProductionHours > 0
        ? idealCycleTimeSeconds * goodCount / 3600.0 / plannedProductionHours
        : 0;
  }
}
