/**
 * The design's analyses as typed APIs, each obtained from {@link io.modax.fleet.FleetAnalytics}:
 *
 * <ul>
 *   <li>{@link io.modax.fleet.analytics.FleetAnalyzer}: fleet overview, location comparison, best
 *       performers, underperformers;
 *   <li>{@link io.modax.fleet.analytics.TrendAnalyzer}: failure trends by local day, week or month,
 *       the maintenance demand forecast (count forecasts with backtests; failures and spare parts),
 *       and reliability trends per location and device type;
 *   <li>{@link io.modax.fleet.analytics.FleetBenchmarking}: a location, or every location at once,
 *       against the rest of the fleet or of its peer group, with significance tests on daily values
 *       and calibration against reference values and percentile bands;
 *   <li>{@link io.modax.fleet.analytics.FleetDashboard}: the data of each panel of the executive
 *       dashboard.
 * </ul>
 *
 * <p>Every figure for more than one snapshot (a period, a location, the fleet) is a ratio of sums
 * weighted by the exposure it describes, never an average of averages; see {@link
 * io.modax.fleet.analytics.Metric} and {@code docs/metrics.md}. {@link
 * io.modax.fleet.analytics.AggregationMode#SEED_COMPATIBLE} reproduces the design's plain averages
 * for teams moving from it.
 *
 * <p>Statistical results come from {@link io.modax.fleet.statistics} and carry its {@link
 * io.modax.fleet.statistics.StatisticalMethod}: the method, its parameters, its assumptions and when
 * not to trust it; {@code docs/statistics.md} says which data feeds each method.
 *
 * <p>Conventions of every type here: ratios are fractions in [0, 1], hours are device-hours, costs
 * are in the organization's currency; instants are UTC, and days, weeks and months are each
 * location's local calendar ones; windows ({@link io.modax.fleet.analytics.Window}) are half-open
 * and relative ones end at the library's {@link java.time.Clock}. A value that is undefined (no
 * exposure, MTBF without failures) is null, never NaN or infinite; nothing else is null unless its
 * Javadoc says so. Every call checks its caller against the organization ({@link
 * io.modax.fleet.AccessDeniedException}) and its arguments ({@link
 * io.modax.fleet.InvalidRequestException}) before touching the database, and reads one organization
 * only. Analyzers are immutable and thread-safe; results are immutable records, safe to share.
 */
@NullMarked
package io.modax.fleet.analytics;

import org.jspecify.annotations.NullMarked;
