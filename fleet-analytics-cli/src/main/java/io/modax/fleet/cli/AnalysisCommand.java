package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that opens the warehouse (embedded demo or {@code --jdbc-url}), runs one analysis for
 * the caller and organization given, and prints the result as a table or JSON on the command
 * line's standard output. What it prints passes through {@link TerminalText#escape} (line feeds
 * kept): names from the warehouse cannot act on the terminal, and JSON stays the same JSON (the
 * escapes are JSON's own).
 */
abstract class AnalysisCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  /** Runs the analysis and renders its result. */
  abstract String run(ConnectionOptions.Session session, CallerContext caller, String organizationId);

  @Override
  public Integer call() {
    CallerContext caller = connection.caller(); // a bad --role or --tenant fails before connecting
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(TerminalText.escape(run(s, caller, connection.organization), true));
      out.flush();
    }
    return 0;
  }
}
