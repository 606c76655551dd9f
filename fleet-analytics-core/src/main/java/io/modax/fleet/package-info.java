/**
 * Fleet-wide analytics for MODAX: the entry point {@link io.modax.fleet.FleetAnalytics}, the caller
 * model every call is made for ({@link io.modax.fleet.CallerContext}), and the exception hierarchy
 * rooted at {@link io.modax.fleet.FleetAnalyticsException}.
 *
 * <p>Sub-packages, one purpose each: {@code schema} (installing and validating the warehouse),
 * {@code ingest} (what locations send), {@code analytics} (the design's analyses), {@code reporting}
 * (executive reports, their HTML rendering, the Grafana dashboard), {@code backup} (one
 * organization's export and restore). Everything under
 * {@code io.modax.fleet.internal} is not API and may change in any release.
 *
 * <p>Conventions that hold throughout: instants are {@link java.time.Instant} (UTC); windows are
 * half-open {@code [start, end)}; a location's days, weeks and months are its local calendar ones
 * in its IANA zone; ratios are fractions in [0, 1]; hours are device-hours. Parameters and results
 * are never null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.modax.fleet;

import org.jspecify.annotations.NullMarked;
