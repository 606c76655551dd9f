package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import io.modax.fleet.analytics.TrendAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The design's maintenance-forecast endpoint. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = "Failures expected over the next days with a 95%% interval, per location and for"
        + " the fleet, from count forecasts (weekly seasonality, trend, over-dispersion) chosen and"
        + " checked on held-out history, and the spare parts to stock. Formats: table, json.")
final class ForecastCommand extends AnalysisCommand {

  @Option(names = "--horizon", paramLabel = "DAYS", defaultValue = "" + TrendAnalyzer.DEFAULT_HORIZON_DAYS,
      description = "Days ahead, " + TrendAnalyzer.MIN_HORIZON_DAYS + " to " + TrendAnalyzer.MAX_HORIZON_DAYS
          + " (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(names = "--service-level", paramLabel = "PROBABILITY", defaultValue = "" + TrendAnalyzer.DEFAULT_SERVICE_LEVEL,
      description = "Probability that a part's stock covers its demand, " + TrendAnalyzer.MIN_SERVICE_LEVEL
          + " to " + TrendAnalyzer.MAX_SERVICE_LEVEL + " (default: ${DEFAULT-VALUE}).")
  double serviceLevel;

  @Override
  void check() {
    Checks.between("--horizon", horizon, TrendAnalyzer.MIN_HORIZON_DAYS, TrendAnalyzer.MAX_HORIZON_DAYS);
    if (!(serviceLevel >= TrendAnalyzer.MIN_SERVICE_LEVEL && serviceLevel <= TrendAnalyzer.MAX_SERVICE_LEVEL)) {
      throw new UsageException("--service-level " + Checks.plain(serviceLevel) + " is outside ["
          + TrendAnalyzer.MIN_SERVICE_LEVEL + ", " + TrendAnalyzer.MAX_SERVICE_LEVEL + "]: give a probability such as 0.95");
    }
  }

  @Override
  String run(ConnectionOptions.Session s, CallerContext caller, String org) {
    return StatisticsViews.forecast(s.fleet().trendAnalyzer().forecastMaintenanceDemand(caller, org, horizon, serviceLevel),
        output.format);
  }
}
