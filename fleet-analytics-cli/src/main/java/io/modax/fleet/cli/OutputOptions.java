package io.modax.fleet.cli;

import picocli.CommandLine.Option;

/** How results are printed. */
final class OutputOptions {

  /** Output formats. */
  enum Format {
    /** Aligned text for a person. */
    TABLE,
    /** JSON with the design's field names, for MODAX clients. */
    JSON
  }

  @Option(names = "--format", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Format format;
}
