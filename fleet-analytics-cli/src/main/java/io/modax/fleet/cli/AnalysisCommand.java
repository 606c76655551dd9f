package io.modax.fleet.cli;

import io.modax.fleet.CallerContext;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that opens the warehouse ({@code --jdbc-url}, else the demo database), runs one
 * analysis for the caller and organization given, and prints the result as a table or JSON on the
 * command line's standard output or into {@code --out}. Every option is checked ({@link #check})
 * before any database starts. What it prints passes through {@link TerminalText#escape} (line feeds
 * kept): names from the warehouse cannot act on the terminal, and JSON stays the same JSON (the
 * escapes are JSON's own).
 */
abstract class AnalysisCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  /** The formats the command writes, its default first. */
  List<OutputOptions.Format> formats() {
    return List.of(OutputOptions.Format.TABLE, OutputOptions.Format.JSON);
  }

  /** Checks the command's own options; throws {@link UsageException} naming the option. */
  void check() {}

  /** Runs the analysis and renders its result. */
  abstract String run(ConnectionOptions.Session session, CallerContext caller, String organizationId);

  /** The options of the connection, the output and the command, all checked before anything starts. */
  final CallerContext checkAll(boolean sampleDaysAllowed) {
    connection.check(sampleDaysAllowed);
    output.check(spec.name(), formats());
    check();
    return connection.caller();
  }

  @Override
  public Integer call() {
    CallerContext caller = checkAll(false);
    try (ConnectionOptions.Session s = connection.open(System.err)) {
      String text = TerminalText.escape(run(s, caller, connection.organization), true);
      if (output.format == OutputOptions.Format.HTML) {
        // the command wrote its file (--out) itself; this says where
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        output.print(spec.commandLine().getOut(), text);
      }
    }
    return 0;
  }
}
