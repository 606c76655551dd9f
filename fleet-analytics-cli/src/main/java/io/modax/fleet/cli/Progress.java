package io.modax.fleet.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The import's progress bar on standard error: bytes read of all files, lines, seconds, redrawn in
 * place at most five times a second. Only when standard error is a terminal ({@link #onTerminal});
 * otherwise (a pipe, a file, a CI log) nothing is drawn and the report's summary line says it all.
 *
 * <p>Not thread-safe: one import, one thread.
 */
class Progress {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream err;
  private final long totalBytes;
  private final long started = System.nanoTime();
  private long bytes;
  private long lines;
  private long lastDrawn;
  private String file = "";
  private boolean drawn;

  Progress(PrintStream err, long totalBytes) {
    this.err = err;
    this.totalBytes = Math.max(1, totalBytes);
  }

  /**
   * A bar on {@code System.err} when the command runs on a terminal ({@code System.console()} is
   * there: standard input and output are a terminal; standard error is taken to be the same one),
   * else one that draws nothing.
   */
  static Progress onTerminal(long totalBytes) {
    return System.console() != null ? new Progress(System.err, totalBytes) : new Progress(null, totalBytes);
  }

  /** The file's stream, counted into the bar. */
  InputStream counting(InputStream in, String fileName) {
    this.file = fileName;
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytes++;
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          bytes += n;
        }
        return n;
      }
    };
  }

  /** One more line read; redraws when due. */
  void line() {
    lines++;
    if (err == null || (lines & 0xFF) != 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDrawn >= REDRAW_NANOS) {
      lastDrawn = now;
      err.print("\r" + render());
      err.flush();
      drawn = true;
    }
  }

  /** The bar's text, e.g. {@code [#########.....]  62%  310,000 lines  4.1 s  fleet_metrics.csv}. */
  String render() {
    double done = Math.min(1.0, (double) bytes / totalBytes);
    int filled = (int) Math.round(done * WIDTH);
    return String.format(Locale.ROOT, "[%s%s] %3.0f%%  %,d lines  %.1f s  %s", "#".repeat(filled),
        ".".repeat(WIDTH - filled), done * 100, lines, (System.nanoTime() - started) / 1e9,
        TerminalText.escape(file, false));
  }

  /** Clears the bar, so that the report starts on a clean line. */
  void done() {
    if (err != null && drawn) {
      err.print("\r" + " ".repeat(render().length()) + "\r");
      err.flush();
    }
  }
}
