package io.modax.fleet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table with aligned columns; columns of numbers are right-aligned. Every cell and
 * header is escaped with {@link TerminalText#escape} (line ends included), so a value can neither
 * run a terminal's escape sequences nor break its row.
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    List<String> h = new ArrayList<>();
    for (String header : headers) {
      h.add(TerminalText.escape(header, false));
    }
    this.headers = List.copyOf(h);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "-" : TerminalText.escape(c.toString(), false));
    }
    rows.add(r);
    return this;
  }

  String render() {
    int[] w = new int[headers.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = headers.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    boolean[] numeric = new boolean[w.length];
    for (int i = 0; i < w.length; i++) {
      numeric[i] = !rows.isEmpty();
      for (List<String> r : rows) {
        numeric[i] &= r.get(i).equals("-") || r.get(i).matches("[-+]?[0-9][0-9,.]*%?");
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, headers, w, numeric);
    for (int i = 0; i < w.length; i++) {
      b.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
    }
    b.append('\n');
    for (List<String> r : rows) {
      line(b, r, w, numeric);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells, int[] w, boolean[] numeric) {
    for (int i = 0; i < w.length; i++) {
      String c = cells.get(i);
      String pad = " ".repeat(w[i] - c.length());
      b.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + c : c + pad);
    }
    b.append('\n');
  }

  static String percent(Double fraction) {
    return fraction == null ? null : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  static String number(Double value, int decimals) {
    return value == null ? null : String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }
}
