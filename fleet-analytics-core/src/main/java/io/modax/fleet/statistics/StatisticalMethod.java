package io.modax.fleet.statistics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a statistical result was obtained, readable by a person: the method's name, the parameters
 * it used or estimated (in the order they were added), the assumptions it makes, and when not to
 * trust it. Every result of this package carries one, so that assumptions travel with the numbers.
 *
 * @param name the method, e.g. {@code "Welch's t-test"}
 * @param parameters names and values as text (numbers formatted with {@link java.util.Locale#ROOT})
 * @param assumptions sentences naming what the method assumes about the data
 * @param caveats sentences naming when the result should not be trusted
 */
public record StatisticalMethod(
    String name, Map<String, String> parameters, List<String> assumptions, List<String> caveats) {

  /** Copies the collections; the parameter map keeps its order. */
  public StatisticalMethod {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    assumptions = List.copyOf(assumptions);
    caveats = List.copyOf(caveats);
  }

  /** A multi-line plain-text description: name, parameters, assumptions, caveats. */
  public String describe() {
    StringBuilder b = new StringBuilder(name).append('\n');
    parameters.forEach((k, v) -> b.append("  ").append(k).append(" = ").append(v).append('\n'));
    if (!assumptions.isEmpty()) {
      b.append("  Assumes:\n");
      assumptions.forEach(a -> b.append("   - ").append(a).append('\n'));
    }
    if (!caveats.isEmpty()) {
      b.append("  Do not trust it when:\n");
      caveats.forEach(c -> b.append("   - ").append(c).append('\n'));
    }
    return b.toString();
  }
}
