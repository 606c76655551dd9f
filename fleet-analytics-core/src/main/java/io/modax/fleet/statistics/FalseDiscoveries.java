package io.modax.fleet.statistics;

import java.util.List;

/**
 * The Benjamini–Hochberg procedure applied to many p-values at once (one per location): adjusted
 * p-values and the discoveries at a false discovery rate.
 *
 * @param falseDiscoveryRate the rate q at which discoveries were declared, e.g. 0.05
 * @param entries one entry per tested id, in the order given
 * @param method the procedure, its assumptions and caveats
 */
public record FalseDiscoveries(
    double falseDiscoveryRate, List<Entry> entries, StatisticalMethod method) {

  /** Copies the list. */
  public FalseDiscoveries {
    entries = List.copyOf(entries);
  }

  /** The ids declared discoveries, in the order given. */
  public List<String> discoveries() {
    return entries.stream().filter(Entry::discovery).map(Entry::id).toList();
  }

  /**
   * One tested hypothesis.
   *
   * @param id what was tested, e.g. a location id
   * @param pValue the raw p-value
   * @param adjustedPValue the BH adjusted p-value (q-value), in [pValue, 1]
   * @param discovery true when {@code adjustedPValue <= falseDiscoveryRate}
   */
  public record Entry(String id, double pValue, double adjustedPValue, boolean discovery) {}
}
