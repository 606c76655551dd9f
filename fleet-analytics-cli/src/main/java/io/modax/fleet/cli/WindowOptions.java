package io.modax.fleet.cli;

import io.modax.fleet.analytics.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The analysis window: the last {@code --days} days, or {@code --from}/{@code --to}. */
final class WindowOptions {

  @Option(names = "--days", description = "Window: the last N days, ending now (default: the command's).")
  Integer days;

  @Option(names = "--from", description = "Window start, an ISO-8601 instant, e.g. 2026-05-01T00:00:00Z.")
  Instant from;

  @Option(names = "--to", description = "Window end (exclusive), an ISO-8601 instant (default: now).")
  Instant to;

  /** The window asked for, or the given default when none was. */
  Window window(Window byDefault, int defaultDays, Clock clock) {
    if (from == null && to == null) {
      return days != null ? Window.lastDays(days) : byDefault;
    }
    Instant end = to != null ? to : clock.instant();
    Instant start = from != null ? from : end.minus(Duration.ofDays(days != null ? days : defaultDays));
    return Window.between(start, end);
  }
}
