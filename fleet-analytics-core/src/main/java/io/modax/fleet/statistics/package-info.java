/**
 * Statistics that hold up: significance tests for "is this location really different", benchmark
 * calibration, like-for-like peer groups, count forecasts of failures with backtests, reliability
 * trends (Crow-AMSAA, Laplace, Weibull with censoring) and spare-parts stock levels.
 *
 * <p>Everything here is a pure function over plain Java values (arrays of daily values, failure
 * times, counts): no database, no clock, no randomness (the one seeded simulation is reproducible).
 * The analytics layer reads the warehouse and hands the numbers in. Entry points: {@link
 * io.modax.fleet.statistics.Significance}, {@link io.modax.fleet.statistics.Benchmarks}, {@link
 * io.modax.fleet.statistics.PeerGroups}, {@link io.modax.fleet.statistics.CountForecasts}, {@link
 * io.modax.fleet.statistics.Reliability}, {@link io.modax.fleet.statistics.SpareParts}.
 *
 * <p>Every result is an immutable record that carries a {@link
 * io.modax.fleet.statistics.StatisticalMethod}: the method's name, its parameters, the assumptions
 * it makes and when not to trust it, in sentences a person can read. {@code docs/statistics.md}
 * explains each method for plant managers and engineers.
 *
 * <p>Conventions: a "level" is a two-sided confidence or prediction level in (0, 1), e.g. 0.95; an
 * "alpha" is a significance level in (0, 1), e.g. 0.05. Inputs are copied, never modified; NaN and
 * infinite inputs are rejected with {@link io.modax.fleet.InvalidRequestException}, as is any input
 * that breaks a documented rule (too short a history, a horizon out of range). All types are
 * immutable and all methods are thread-safe.
 */
@NullMarked
package io.modax.fleet.statistics;

import org.jspecify.annotations.NullMarked;
