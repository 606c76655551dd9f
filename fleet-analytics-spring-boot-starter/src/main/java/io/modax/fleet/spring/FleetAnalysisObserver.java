package io.modax.fleet.spring;

import java.util.function.Supplier;

/**
 * Wraps each analysis an endpoint runs, e.g. to time it. With Micrometer present the starter's
 * metrics auto-configuration provides one recording the timer {@code fleet.analytics.analysis};
 * otherwise {@link #NONE}. Implementations must be thread-safe.
 */
public interface FleetAnalysisObserver {

  /** Runs the call as is. */
  FleetAnalysisObserver NONE = new FleetAnalysisObserver() {
    @Override
    public <T> T observe(String analysis, Supplier<T> call) {
      return call.get();
    }
  };

  /**
   * Runs one analysis and returns its result; rethrows what it throws.
   *
   * @param analysis the analysis' name: {@code overview}, {@code compare_locations}, {@code
   *     benchmark_location}, {@code failure_trends}, {@code maintenance_forecast}, {@code
   *     best_performers} or {@code underperformers}
   */
  <T> T observe(String analysis, Supplier<T> call);
}
