package io.modax.fleet.statistics;

/**
 * The stock of one part to hold so that demand over the lead time is met with a target
 * probability.
 *
 * @param expectedDemand expected demand over the lead time, in units of the part
 * @param demandVariance variance of that demand
 * @param negativeBinomial true when demand was modelled as negative binomial (over-dispersed),
 *     false for Poisson
 * @param stock units to hold: the smallest s with P(demand ≤ s) at least the target
 * @param targetServiceLevel the probability asked for, e.g. 0.95
 * @param achievedServiceLevel P(demand ≤ stock) under the model: at least the target (counts are
 *     whole, so usually above it)
 * @param method the model, its parameters, assumptions and caveats
 */
public record SpareStock(
    double expectedDemand,
    double demandVariance,
    boolean negativeBinomial,
    int stock,
    double targetServiceLevel,
    double achievedServiceLevel,
    StatisticalMethod method) {}
