package io.modax.fleet.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters, when Micrometer is on the class path (the registry is looked up when a meter is
 * first recorded; without one nothing is recorded):
 *
 * <ul>
 *   <li>timer {@code fleet.analytics.analysis}, tags {@code analysis} (see {@link
 *       FleetAnalysisObserver#observe}) and {@code exception} ({@code none} or the exception's simple
 *       class name): one per endpoint call;
 *   <li>counter {@code fleet.analytics.writes}, tags {@code kind} and {@code outcome} ({@code
 *       inserted}, {@code updated}, {@code unchanged}, {@code quarantined}): the records of every
 *       call of the bean's writer (a {@link io.modax.fleet.ingest.WriteListener} set by a {@link
 *       FleetAnalyticsCustomizer}), and of the reports a host passes to {@link FleetWriteRecorder}
 *       itself (for a {@code FleetAnalytics} it builds on its own).
 * </ul>
 */
@AutoConfiguration(before = {FleetAnalyticsAutoConfiguration.class, FleetAnalyticsWebAutoConfiguration.class})
@ConditionalOnClass(MeterRegistry.class)
public class FleetAnalyticsMetricsAutoConfiguration {

  /** The analysis timer's name: {@value}. */
  public static final String ANALYSIS_TIMER = "fleet.analytics.analysis";

  /** The write counter's name: {@value}. */
  public static final String WRITE_COUNTER = "fleet.analytics.writes";

  /** Times every analysis an endpoint runs. */
  @Bean
  @ConditionalOnMissingBean
  public FleetAnalysisObserver fleetAnalysisObserver(ObjectProvider<MeterRegistry> registry) {
    return new FleetAnalysisObserver() {
      @Override
      public <T> T observe(String analysis, Supplier<T> call) {
        MeterRegistry r = registry.getIfAvailable();
        if (r == null) {
          return call.get();
        }
        Timer.Sample sample = Timer.start(r);
        String exception = "none";
        try {
          return call.get();
        } catch (RuntimeException e) {
          exception = e.getClass().getSimpleName();
          throw e;
        } finally {
          sample.stop(Timer.builder(ANALYSIS_TIMER).description("fleet analytics: one analysis of an endpoint call")
              .tag("analysis", analysis).tag("exception", exception).register(r));
        }
      }
    };
  }

  /** Counts the records of the writer calls the host wraps. */
  @Bean
  @ConditionalOnMissingBean
  public FleetWriteRecorder fleetWriteRecorder(ObjectProvider<MeterRegistry> registry) {
    return (kind, report) -> {
      MeterRegistry r = registry.getIfAvailable();
      if (r != null) {
        count(r, kind, "inserted", report.inserted());
        count(r, kind, "updated", report.updated());
        count(r, kind, "unchanged", report.unchanged());
        count(r, kind, "quarantined", report.quarantined());
      }
      return report;
    };
  }

  /**
   * Counts the records of every writer call of the starter's {@code FleetAnalytics}: the writer
   * tells the recorder each call's report.
   */
  @Bean
  public FleetAnalyticsCustomizer fleetWriteCounting(FleetWriteRecorder recorder) {
    return builder -> builder.writeListener(recorder::record);
  }

  private static void count(MeterRegistry r, String kind, String outcome, long n) {
    Counter.builder(WRITE_COUNTER).description("fleet analytics: records written, by outcome")
        .tag("kind", kind).tag("outcome", outcome).register(r).increment(n);
  }

}
