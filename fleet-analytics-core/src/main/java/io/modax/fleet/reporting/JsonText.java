package io.modax.fleet.reporting;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON for the reports and the Grafana dashboard: maps (in their iteration order), lists,
 * strings, numbers, booleans and null, optionally indented. Non-finite numbers, which JSON cannot
 * hold, are written as null. {@code <}, {@code >}, {@code &} and the line separators U+2028/2029
 * are written as {@code \\uXXXX} escapes so the text can sit inside an HTML {@code <script>}.
 */
final class JsonText {

  private JsonText() {}

  static String compact(@Nullable Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, -1, 0);
    return b.toString();
  }

  static String pretty(@Nullable Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, 2, 0);
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, @Nullable Object v, int indent, int depth) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        b.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        b.append((long) d);
      } else {
        b.append(d);
      }
    } else if (v instanceof BigDecimal d) {
      b.append(d.toPlainString());
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        newline(b, indent, depth + 1);
        string(b, String.valueOf(e.getKey()));
        b.append(indent < 0 ? ":" : ": ");
        write(b, e.getValue(), indent, depth + 1);
      }
      newline(b, indent, depth);
      b.append('}');
    } else if (v instanceof Collection<?> c) {
      if (c.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          b.append(',');
        }
        first = false;
        newline(b, indent, depth + 1);
        write(b, o, indent, depth + 1);
      }
      newline(b, indent, depth);
      b.append(']');
    } else {
      string(b, v.toString());
    }
  }

  private static void newline(StringBuilder b, int indent, int depth) {
    if (indent >= 0) {
      b.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
