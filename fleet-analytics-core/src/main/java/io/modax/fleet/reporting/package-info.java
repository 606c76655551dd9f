/**
 * Executive reporting: the design's "Visualization &amp; Reporting" layer, built on the analyses of
 * {@code io.modax.fleet.analytics}.
 *
 * <ul>
 *   <li>{@link io.modax.fleet.reporting.FleetReports}: an {@link
 *       io.modax.fleet.reporting.ExecutiveSummary} of an organization and a {@link
 *       io.modax.fleet.reporting.LocationReport} of one location, for a day, week or month of the
 *       organization's calendar: key metrics against the previous period, fleet health, best and
 *       worst locations, findings and recommendations that name the number behind them;
 *   <li>{@link io.modax.fleet.reporting.ReportCadence}: the window of "yesterday", "last week" and
 *       "last month" in an organization's time zone (DST days have 23 or 25 hours);
 *   <li>{@link io.modax.fleet.reporting.HtmlReport}: a report as one self-contained HTML file that
 *       opens offline and prints well (Apache ECharts inlined; no request leaves the page);
 *   <li>{@link io.modax.fleet.reporting.GrafanaDashboard}: the design's executive dashboard as a
 *       Grafana dashboard JSON over the library's relations.
 * </ul>
 *
 * <p>Conventions as in {@code io.modax.fleet.analytics}: ratios are fractions in [0, 1], hours are
 * device-hours, costs are in the organization's currency, instants are UTC; a report's period is a
 * calendar period of the organization's time zone ({@code organizations.timezone}). Values that
 * are undefined are null, never NaN. Every call checks its caller against the organization.
 * Services are immutable and thread-safe; results are immutable records.
 */
@NullMarked
package io.modax.fleet.reporting;

import org.jspecify.annotations.NullMarked;
