package io.modax.fleet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * How results are written: {@code --format} and {@code --out}, the same two options on every
 * command. A command states the formats it can write ({@link #check}); any other is refused before
 * anything starts.
 */
final class OutputOptions {

  /** Output formats. */
  enum Format {
    /** Aligned text for a person. */
    TABLE,
    /** JSON with the design's field names, for MODAX clients (the HTTP API's documents). */
    JSON,
    /** One self-contained HTML file (reports). */
    HTML;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Option(names = "--format", paramLabel = "table|json|html", converter = FormatConverter.class,
      description = "Output format: table, json or html, as the command can write (see its description;"
          + " default: its first).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the output to FILE instead of standard output (report, demo: the HTML report's file).")
  Path out;

  /** The format given, or the command's first; refuses one the command cannot write. */
  Format check(String command, List<Format> supported) {
    if (format == null) {
      format = supported.get(0);
    } else if (!supported.contains(format)) {
      throw new UsageException("--format " + format.wireName() + ": " + command + " writes "
          + supported.stream().map(Format::wireName).collect(Collectors.joining(" or "))
          + (format == Format.HTML ? " (an HTML report: fleet-analytics report)" : ""));
    }
    return format;
  }

  /** Prints {@code text} on {@code console}, or writes it to {@code --out} and says so there. */
  void print(PrintWriter console, String text) {
    if (out == null) {
      console.print(text);
    } else {
      try {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(out, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("--out " + out + ": cannot write the file: " + e.getMessage(), e);
      }
      console.println("Wrote " + out.toAbsolutePath().normalize());
    }
    console.flush();
  }

  /** {@code table}, {@code json} or {@code html}, in any case. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.wireName().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format: expected table, json or html");
    }
  }
}
