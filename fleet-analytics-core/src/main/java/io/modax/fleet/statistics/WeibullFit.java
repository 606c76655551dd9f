package io.modax.fleet.statistics;

/**
 * A two-parameter Weibull life distribution fitted by maximum likelihood to failure times with
 * right-censored (suspended) units: {@code F(t) = 1 - exp(-(t/scale)^shape)}.
 *
 * @param shape k (β in reliability texts): below 1 early failures, 1 random, above 1 wear-out
 * @param scale λ (η, characteristic life): 63.2% of units fail by this time, in the time unit
 * @param shapeInterval confidence interval for the shape (Fisher matrix, log scale)
 * @param scaleInterval confidence interval for the scale (Fisher matrix, log scale)
 * @param failures units that failed
 * @param censored units still running when last seen (right-censored)
 * @param logLikelihood maximised log-likelihood (densities for failures, survival for censored)
 * @param meanLife {@code scale · Γ(1 + 1/shape)}, in the time unit
 * @param method the method, parameters, assumptions and caveats
 */
public record WeibullFit(
    double shape,
    double scale,
    Interval shapeInterval,
    Interval scaleInterval,
    int failures,
    int censored,
    double logLikelihood,
    double meanLife,
    StatisticalMethod method) {

  /** Probability of surviving past {@code t} (t at least 0, in the time unit). */
  public double reliability(double t) {
    return Math.exp(-Math.pow(t / scale, shape));
  }

  /** The time by which a fraction {@code p} in (0, 1) of units fail, e.g. 0.10 for B10 life. */
  public double lifeAt(double p) {
    return scale * Math.pow(-Math.log1p(-p), 1 / shape);
  }
}
