package io.modax.fleet.internal;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The library's one JSON writer (so that the core needs no JSON dependency): maps in their iteration
 * order, collections, strings, numbers, booleans and null; any other value as the string of its
 * {@code toString()} (an {@link java.time.Instant} as ISO-8601 text). What differs between the
 * library's outputs (what JSON has no literal for, what the reader needs escaped, indentation) is a
 * {@link Style}:
 *
 * <ul>
 *   <li>{@link Style#STORED}: quarantined originals and the backup manifest, stored to be read back:
 *       non-finite doubles as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (the
 *       original value is kept), U+0000, which {@code jsonb} cannot hold, as the visible six-character
 *       text backslash, {@code u0000};
 *   <li>{@link Style#REPORT} and {@link Style#REPORT_PRETTY}: the HTML reports' data and the Grafana
 *       dashboard: non-finite numbers as null, integral doubles without a fraction ({@code 1}, not
 *       {@code 1.0}), and {@code <}, {@code >}, {@code &} escaped so that the text can sit inside an
 *       HTML {@code <script>};
 *   <li>the JSON module's answers (its own style): non-finite doubles as null, enums by their JSON
 *       names.
 * </ul>
 *
 * Every style escapes the control characters and the line separators U+2028 and U+2029.
 */
public final class Json {

  private Json() {}

  /**
   * How one output writes the values JSON has no literal for, and which characters its reader
   * needs escaped.
   *
   * @param nonFiniteAsString NaN and the infinities as their Java names in strings (else null)
   * @param integralDoublesWithoutFraction a double with no fraction (below 1e15 in magnitude) as an
   *     integer
   * @param scriptSafe {@code <}, {@code >} and {@code &} as JSON's backslash-u escapes
   * @param nulAsText U+0000 as six characters of text (a backslash, then {@code u0000}), else as
   *     JSON's backslash-u escape, which {@code jsonb} refuses
   * @param indent spaces per level, or -1 for compact text on one line
   * @param enumName an enum constant's JSON text
   */
  public record Style(
      boolean nonFiniteAsString,
      boolean integralDoublesWithoutFraction,
      boolean scriptSafe,
      boolean nulAsText,
      int indent,
      Function<Enum<?>, String> enumName) {

    /** Quarantined originals and the backup manifest (see {@link Json}). */
    public static final Style STORED = new Style(true, false, false, true, -1, Enum::toString);

    /** The HTML reports' data, compact (see {@link Json}). */
    public static final Style REPORT = new Style(false, true, true, false, -1, Enum::toString);

    /** The Grafana dashboard: {@link #REPORT}, indented by two spaces. */
    public static final Style REPORT_PRETTY = new Style(false, true, true, false, 2, Enum::toString);
  }

  /** An ordered JSON object under construction, written in {@link Style#STORED}. */
  public static ObjectBuilder object() {
    return new ObjectBuilder();
  }

  /** Builds one JSON object. Not thread-safe. */
  public static final class ObjectBuilder {
    private final Map<String, @Nullable Object> fields = new LinkedHashMap<>();

    private ObjectBuilder() {}

    /** Adds a field (null, String, Number, Boolean, Instant, Collection or Map values). */
    public ObjectBuilder put(String name, @Nullable Object value) {
      fields.put(name, value);
      return this;
    }

    /** The object as JSON text. */
    public String toJson() {
      return Json.toJson(fields);
    }
  }

  /** Any supported value as JSON text in {@link Style#STORED}. */
  public static String toJson(@Nullable Object value) {
    return write(value, Style.STORED);
  }

  /**
   * Any supported value as JSON text in the given style; an indented text ends with a line break.
   */
  public static String write(@Nullable Object value, Style style) {
    StringBuilder b = new StringBuilder();
    write(b, value, style, 0);
    return style.indent() < 0 ? b.toString() : b.append('\n').toString();
  }

  private static void write(StringBuilder b, @Nullable Object v, Style style, int depth) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s, style);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        if (style.nonFiniteAsString()) {
          string(b, Double.toString(d), style);
        } else {
          b.append("null");
        }
      } else if (style.integralDoublesWithoutFraction() && d == Math.rint(d) && Math.abs(d) < 1e15) {
        b.append((long) d);
      } else {
        b.append(d);
      }
    } else if (v instanceof BigDecimal d) {
      b.append(d.toPlainString());
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Enum<?> e) {
      string(b, style.enumName().apply(e), style);
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
        newline(b, style, depth + 1);
        string(b, String.valueOf(e.getKey()), style);
        b.append(style.indent() < 0 ? ":" : ": ");
        write(b, e.getValue(), style, depth + 1);
      }
      newline(b, style, depth);
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
        newline(b, style, depth + 1);
        write(b, o, style, depth + 1);
      }
      newline(b, style, depth);
      b.append(']');
    } else {
      string(b, v.toString(), style);
    }
  }

  private static void newline(StringBuilder b, Style style, int depth) {
    if (style.indent() >= 0) {
      b.append('\n').append(" ".repeat(style.indent() * depth));
    }
  }

  private static void string(StringBuilder b, String s, Style style) {
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
          if (c == '\0' && style.nulAsText()) {
            b.append("\\\\u0000"); // jsonb cannot hold U+0000: keep it visibly escaped
          } else if (c < 0x20 || c == '\u2028' || c == '\u2029'
              || (style.scriptSafe() && (c == '<' || c == '>' || c == '&'))) {
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
