package io.modax.fleet.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A minimal JSON writer for the library's own needs (quarantined records' original values), so the
 * core needs no JSON dependency. Non-finite doubles, which JSON cannot hold, are written as the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}: the original value is kept.
 */
public final class Json {

  private Json() {}

  /** An ordered JSON object under construction. */
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
      StringBuilder b = new StringBuilder();
      write(b, fields);
      return b.toString();
    }
  }

  /** Writes any supported value as JSON. */
  public static String toJson(@Nullable Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value);
    return b.toString();
  }

  private static void write(StringBuilder b, @Nullable Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        string(b, d.toString());
      } else {
        b.append(d);
      }
    } else if (v instanceof Float f) {
      write(b, f.doubleValue());
    } else if (v instanceof BigDecimal d) {
      b.append(d.toPlainString());
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Instant i) {
      string(b, i.toString());
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, String.valueOf(e.getKey()));
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof Collection<?> c) {
      b.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          b.append(',');
        }
        first = false;
        write(b, o);
      }
      b.append(']');
    } else {
      string(b, v.toString());
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
        case '\0' -> b.append("\\\\u0000"); // jsonb cannot hold U+0000: keep it visibly escaped
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
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
