package io.modax.fleet.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads RFC 4180 CSV one record at a time: comma-separated, fields optionally in double quotes
 * (a quote inside is doubled; quoted fields may span lines), CRLF or LF line ends. Each record
 * keeps its original text, so a record that cannot be used can be quarantined exactly as it was.
 * An unquoted empty field is null; a quoted empty field is the empty string.
 *
 * <p>Not thread-safe.
 */
final class CsvReader implements Iterator<CsvReader.Record> {

  /**
   * One record.
   *
   * @param line the 1-based line it starts on
   * @param fields its fields (null for unquoted empty ones)
   * @param text the record's original text, without the line end
   * @param problem why the text is not a well-formed record (an unclosed quote), or null
   */
  record Record(long line, List<String> fields, String text, String problem) {}

  private final Reader in;
  private long line = 1;
  private int peeked = -2;
  private Record next;

  CsvReader(Reader in) {
    this.in = in;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = read();
    }
    return next != null;
  }

  @Override
  public Record next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Record r = next;
    next = null;
    return r;
  }

  private int read1() {
    try {
      if (peeked != -2) {
        int c = peeked;
        peeked = -2;
        return c;
      }
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int peek() {
    if (peeked == -2) {
      try {
        peeked = in.read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return peeked;
  }

  private Record read() {
    int c = peek();
    if (c == -1) {
      return null;
    }
    long start = line;
    StringBuilder text = new StringBuilder();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean inQuotes = false;
    String problem = null;
    while (true) {
      c = read1();
      if (c == -1) {
        if (inQuotes) {
          problem = "a quoted field is not closed before the end of the file";
        }
        break;
      }
      if (inQuotes) {
        if (c == '"') {
          if (peek() == '"') {
            read1();
            text.append("\"\"");
            field.append('"');
          } else {
            inQuotes = false;
            text.append('"');
          }
        } else {
          if (c == '\n') {
            line++;
          }
          text.append((char) c);
          field.append((char) c);
        }
        continue;
      }
      if (c == '\r' && peek() == '\n') {
        continue;
      }
      if (c == '\n') {
        line++;
        break;
      }
      text.append((char) c);
      if (c == ',') {
        fields.add(quoted || field.length() > 0 ? field.toString() : null);
        field.setLength(0);
        quoted = false;
      } else if (c == '"' && field.length() == 0 && !quoted) {
        inQuotes = true;
        quoted = true;
      } else {
        field.append((char) c);
      }
    }
    fields.add(quoted || field.length() > 0 ? field.toString() : null);
    if (text.length() == 0 && problem == null) {
      return read(); // a blank line holds no record
    }
    return new Record(start, fields, text.toString(), problem);
  }
}
