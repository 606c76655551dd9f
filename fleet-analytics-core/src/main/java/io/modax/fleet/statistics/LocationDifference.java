package io.modax.fleet.statistics;

import org.jspecify.annotations.Nullable;

/**
 * A location compared with a reference (the rest of the fleet, or its peer group) on daily values:
 * both tests, the one chosen by the stated rule, and the verdict.
 *
 * @param welch Welch's t-test (difference of means)
 * @param mannWhitney Mann–Whitney U test (shift in location, Hodges–Lehmann estimate)
 * @param chosen whichever of the two the rule picked
 * @param choiceReason why that test was chosen, in a sentence
 * @param higherIsBetter the metric's direction, used to read the verdict
 * @param alpha the significance level or, when {@code adjustedPValue} is present, the false
 *     discovery rate
 * @param adjustedPValue the Benjamini–Hochberg adjusted p-value (q-value) when many locations were
 *     tested at once; null for a single comparison
 * @param verdict significantly better, significantly worse, or not significant
 */
public record LocationDifference(
    DifferenceTest welch,
    DifferenceTest mannWhitney,
    DifferenceTest chosen,
    String choiceReason,
    boolean higherIsBetter,
    double alpha,
    @Nullable Double adjustedPValue,
    DifferenceVerdict verdict) {

  /** The p-value the verdict rests on: the adjusted one when present, else the chosen test's. */
  public double decisivePValue() {
    return adjustedPValue != null ? adjustedPValue : chosen.pValue();
  }
}
