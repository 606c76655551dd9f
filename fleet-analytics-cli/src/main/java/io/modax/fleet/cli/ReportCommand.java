package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.reporting.ExecutiveSummary;
import io.modax.fleet.reporting.FleetReports;
import io.modax.fleet.reporting.HtmlReport;
import io.modax.fleet.reporting.LocationReport;
import io.modax.fleet.reporting.ReportPeriod;
import io.modax.fleet.reporting.ReportWindow;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** An executive summary (or one location's report) as a self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the executive report of the last complete day, week or month in the"
        + " organization's time zone (or one location's report) as one self-contained HTML file"
        + " that opens offline and prints well. Formats: html (into --out).")
final class ReportCommand extends AnalysisCommand {

  /** Where report and demo write the HTML report without --out. */
  static final String DEFAULT_FILE = "fleet-report.html";

  @Option(names = "--period", required = true, converter = Converters.ReportPeriodConverter.class,
      paramLabel = "day|week|month", description = "The organization's local calendar day, week or month.")
  ReportPeriod period;

  @Option(names = "--location", description = "A location id: that location's report instead of the fleet's.")
  String location;

  @Option(names = "--date", description = "Report the period containing this local date (yyyy-mm-dd) in the"
      + " organization's calendar instead of the last complete one.")
  LocalDate date;

  @Override
  List<OutputOptions.Format> formats() {
    return List.of(OutputOptions.Format.HTML);
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return write(s, caller, org, period, location, date, output.out != null ? output.out : Path.of(DEFAULT_FILE));
  }

  /** Writes the report; returns a line saying what was written. */
  static String write(ConnectionOptions.Session s, CallerContext caller, String org, ReportPeriod period,
      String location, LocalDate date, Path out) {
    FleetReports reports = s.fleet().reports();
    ReportWindow last = reports.lastCompleted(caller, org, period);
    ReportWindow window = date == null ? last : ReportWindow.containing(period, last.zone(), date);
    Path file;
    String what;
    if (location != null) {
      LocationReport r = reports.locationReport(caller, org, location, window, FleetHealth.Thresholds.DEFAULT);
      file = HtmlReport.write(r, out);
      what = r.location().locationName() + ", " + r.recommendations().size() + " recommendation(s)";
    } else {
      ExecutiveSummary r = reports.executiveSummary(caller, org, window, FleetHealth.Thresholds.DEFAULT);
      file = HtmlReport.write(r, out);
      what = r.organizationName() + ", " + r.recommendations().size() + " recommendation(s)";
    }
    ZoneId zone = window.zone();
    return String.format(Locale.ROOT, "Wrote the %s report for %s (%s, %s) to %s%n", period.adjective(),
        window.label(), zone, what, file.toAbsolutePath().normalize());
  }
}
