/**
 * The design's analyses as typed APIs: {@link io.modax.fleet.analytics.FleetAnalyzer} (overview,
 * location comparison, best and under-performers), with trends, forecasts and benchmarking beside it.
 *
 * <p>Every figure for more than one snapshot (a period, a location, the fleet) is a ratio of sums
 * weighted by the exposure it describes, never an average of averages; see {@link
 * io.modax.fleet.analytics.Metric} and {@code docs/metrics.md}. {@link
 * io.modax.fleet.analytics.AggregationMode#SEED_COMPATIBLE} reproduces the design's plain averages
 * for teams moving from it.
 */
@NullMarked
package io.modax.fleet.analytics;

import org.jspecify.annotations.NullMarked;
