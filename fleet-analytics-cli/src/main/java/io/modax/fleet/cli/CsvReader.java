package io.modax.fleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.StringJoiner;

/**
 * Reads RFC 4180 CSV in UTF-8 one record at a time: comma-separated, fields optionally in double
 * quotes (a quote inside is doubled; quoted fields may span lines), CRLF or LF line ends. Each
 * record keeps its original text, so a record that cannot be used can be quarantined exactly as it
 * was. An unquoted empty field is null; a quoted empty field is the empty string.
 *
 * <p>A bad line spoils only itself, never the lines after it:
 *
 * <ul>
 *   <li>Each line is decoded on its own with a decoder that reports malformed input: a line that is
 *       not valid UTF-8 is a record of its own with a problem naming the byte and its position (its
 *       text with U+FFFD in place of the bad bytes).
 *   <li>A line longer than {@link #MAX_LINE_BYTES} bytes is a record of its own with a problem; its
 *       text is cut at that length.
 *   <li>A quoted field left open at the end of a line continues on the next line, but not forever:
 *       when a following line reads as a complete record of its own (quotes closed, as many fields
 *       as the header, see {@link #expectFields}) while the record with it appended does not, or the record would span more than {@link
 *       #MAX_RECORD_LINES} lines or {@link #MAX_RECORD_CHARS} characters, or the file ends, or a
 *       following line is not valid UTF-8, the quote is taken as unclosed. Then the line that opened
 *       it is a record of its own with a problem, and reading starts again on the line after it.
 * </ul>
 *
 * <p>Not thread-safe.
 */
final class CsvReader implements Iterator<CsvReader.Record> {

  /** Lines a record may span (a quoted field with line ends in it). */
  static final int MAX_RECORD_LINES = 100;

  /** Characters a record spanning several lines may hold, line ends included. */
  static final int MAX_RECORD_CHARS = 1 << 20;

  /** Bytes a line may hold; the rest of a longer line is skipped and the line is quarantined. */
  static final int MAX_LINE_BYTES = 1 << 20;

  /**
   * One record.
   *
   * @param line the 1-based line it starts on
   * @param fields its fields (null for unquoted empty ones)
   * @param text the record's original text, without the line end
   * @param problem why the text is not a well-formed record, or null
   */
  record Record(long line, List<String> fields, String text, String problem) {}

  /** One physical line: its text (line end removed) and why it could not be read, or null. */
  private record Line(long number, String text, String problem) {}

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  /** Lines read ahead and given back, next first. */
  private final Deque<Line> pending = new ArrayDeque<>();
  private byte[] buf = new byte[256];
  private long lineNumber;
  private boolean eof;
  private int expectedFields = -1;
  private Record next;

  /** Reads from the stream (buffer it); the caller closes it. */
  CsvReader(InputStream in) {
    this.in = in;
  }

  /**
   * The number of fields a record has (the header's), so that a line after an unclosed quote can
   * be recognised as a record of its own. Until it is set, only the bounds end an open quote.
   */
  void expectFields(int fields) {
    this.expectedFields = fields;
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

  private Record read() {
    while (true) {
      Line first = line();
      if (first == null) {
        return null;
      }
      if (first.problem() != null) {
        return new Record(first.number(), List.of(), first.text(), first.problem());
      }
      Fields f = new Fields();
      f.feed(first.text());
      if (!f.inQuotes) {
        if (first.text().isEmpty()) {
          continue; // a blank line holds no record
        }
        return new Record(first.number(), f.done(), first.text(), null);
      }
      // a quoted field is open at the end of the line: it may continue on the lines that follow
      List<Line> taken = new ArrayList<>(List.of(first));
      long chars = first.text().length();
      while (true) {
        Line l = line();
        String unclosed = null;
        if (l == null) {
          unclosed = "is not closed before the end of the file";
        } else if (l.problem() != null) {
          unclosed = "is not closed before line " + l.number() + ", which cannot be read";
        } else if (completes(f, l.text())) {
          unclosed = null; // the line closes the quote into a record of the header's width: a field spanning lines
        } else if (readsAsRecord(l.text())) {
          unclosed = "is not closed on that line, and line " + l.number() + " reads as a record of its own";
        } else if (taken.size() + 1 > MAX_RECORD_LINES || chars + 1 + l.text().length() > MAX_RECORD_CHARS) {
          unclosed = "is not closed within " + MAX_RECORD_LINES + " lines and " + MAX_RECORD_CHARS + " characters";
        }
        if (unclosed != null) {
          // the opening line alone is the bad record; everything after it is read again
          if (l != null) {
            pending.addFirst(l);
          }
          for (int i = taken.size() - 1; i >= 1; i--) {
            pending.addFirst(taken.get(i));
          }
          return new Record(first.number(), List.of(), first.text(),
              "a quoted field opened on line " + first.number() + " " + unclosed);
        }
        taken.add(l);
        chars += 1 + l.text().length();
        f.feed("\n");
        f.feed(l.text());
        if (!f.inQuotes) {
          StringJoiner text = new StringJoiner("\n");
          taken.forEach(t -> text.add(t.text()));
          return new Record(first.number(), f.done(), text.toString(), null);
        }
      }
    }
  }

  /** Whether the line, appended to the open record, closes it with the expected number of fields. */
  private boolean completes(Fields open, String text) {
    if (expectedFields < 0) {
      return false;
    }
    Fields f = open.copy();
    f.feed("\n");
    f.feed(text);
    return !f.inQuotes && f.done().size() == expectedFields;
  }

  /** Whether the line alone is a complete record with the expected number of fields. */
  private boolean readsAsRecord(String text) {
    if (expectedFields < 0 || text.isEmpty()) {
      return false;
    }
    Fields f = new Fields();
    f.feed(text);
    return !f.inQuotes && f.done().size() == expectedFields;
  }

  /** The fields of a record as its characters come. */
  private static final class Fields {
    final List<String> fields = new ArrayList<>();
    final StringBuilder field = new StringBuilder();
    boolean quoted;
    boolean inQuotes;
    /** Inside quotes, the last character was a quote: it closes the field or starts a doubled one. */
    boolean quoteSeen;

    Fields copy() {
      Fields c = new Fields();
      c.fields.addAll(fields);
      c.field.append(field);
      c.quoted = quoted;
      c.inQuotes = inQuotes;
      c.quoteSeen = quoteSeen;
      return c;
    }

    void feed(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (inQuotes) {
          if (quoteSeen) {
            quoteSeen = false;
            if (c == '"') {
              field.append('"');
              continue;
            }
            inQuotes = false; // the quote closed the field; c is read outside quotes below
          } else if (c == '"') {
            quoteSeen = true;
            continue;
          } else {
            field.append(c);
            continue;
          }
        }
        if (c == ',') {
          fields.add(quoted || field.length() > 0 ? field.toString() : null);
          field.setLength(0);
          quoted = false;
        } else if (c == '"' && field.length() == 0 && !quoted) {
          inQuotes = true;
          quoted = true;
        } else {
          field.append(c);
        }
      }
      if (inQuotes && quoteSeen) {
        // a quote at the end of the text closes the field (a doubled one cannot span a line end)
        inQuotes = false;
        quoteSeen = false;
      }
    }

    List<String> done() {
      fields.add(quoted || field.length() > 0 ? field.toString() : null);
      return fields;
    }
  }

  /** The next physical line, or null at the end of the file. */
  private Line line() {
    if (!pending.isEmpty()) {
      return pending.removeFirst();
    }
    if (eof) {
      return null;
    }
    int n = 0;
    long skipped = 0;
    try {
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (n < MAX_LINE_BYTES) {
          if (n == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES));
          }
          buf[n++] = (byte) b;
        } else {
          skipped++;
        }
      }
      if (b == -1) {
        eof = true;
        if (n == 0 && skipped == 0) {
          return null;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lineNumber++;
    if (skipped == 0 && n > 0 && buf[n - 1] == '\r') {
      n--;
    }
    if (skipped > 0) {
      return new Line(lineNumber, new String(buf, 0, n, StandardCharsets.UTF_8), "line " + lineNumber + " is "
          + (n + skipped) + " bytes long, longer than the " + MAX_LINE_BYTES + " a line may hold (its text is"
          + " kept up to that length)");
    }
    CharBuffer out = CharBuffer.allocate(n);
    ByteBuffer bytes = ByteBuffer.wrap(buf, 0, n);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, out, true);
    if (result.isError()) {
      int at = bytes.position();
      // the text with U+FFFD for the bad bytes, so the quarantine keeps what can be read
      return new Line(lineNumber, new String(buf, 0, n, StandardCharsets.UTF_8), "line " + lineNumber
          + " is not valid UTF-8: byte 0x" + Integer.toHexString(0x100 | (buf[at] & 0xff)).substring(1)
          + " at byte " + (at + 1) + " of the line");
    }
    decoder.flush(out);
    out.flip();
    return new Line(lineNumber, out.toString(), null);
  }
}
