package io.modax.fleet.cli;

import io.modax.fleet.analytics.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The analysis window: the last {@code --days} days, or {@code --from}/{@code --to}. */
final class WindowOptions {

  /** The longest window, in days: the library's default maximum. */
  static final int MAX_DAYS = 1830; // FleetAnalytics.DEFAULT_MAX_WINDOW (FleetCliTest checks they agree)

  @Option(names = "--days", paramLabel = "DAYS",
      description = "Window: the last DAYS days, ending now, 1 to " + MAX_DAYS + " (default: the command's).")
  Integer days;

  @Option(names = "--from", paramLabel = "INSTANT",
      description = "Window start, an ISO-8601 instant, e.g. 2026-05-01T00:00:00Z.")
  Instant from;

  @Option(names = "--to", paramLabel = "INSTANT",
      description = "Window end (exclusive), an ISO-8601 instant (default: now).")
  Instant to;

  /** Checks the window options; throws {@link UsageException} naming the option. */
  void check() {
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw new UsageException("--days " + days + " is outside [1, " + MAX_DAYS + "]");
    }
    if (days != null && from != null && to != null) {
      throw new UsageException("--days " + days + " goes with --from or --to, not with both");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new UsageException("--from " + from + " is not before --to " + to);
    }
    if (from != null && to != null && Duration.between(from, to).toDays() > MAX_DAYS) {
      throw new UsageException("--from " + from + " --to " + to + " is longer than " + MAX_DAYS + " days");
    }
  }

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
