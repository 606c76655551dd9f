package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CsvReader} on its own: what a record is, and how far a bad line reaches (itself only). */
class CsvReaderTest {

  static List<CsvReader.Record> read(byte[] bytes, int width) {
    CsvReader r = new CsvReader(new ByteArrayInputStream(bytes));
    if (width > 0) {
      r.expectFields(width);
    }
    List<CsvReader.Record> out = new ArrayList<>();
    r.forEachRemaining(out::add);
    return out;
  }

  static List<CsvReader.Record> read(String text, int width) {
    return read(text.getBytes(StandardCharsets.UTF_8), width);
  }

  @Test
  void quotedFieldsSpanLinesAndDoubleTheirQuotes() {
    List<CsvReader.Record> r = read("a,\"b\r\nc \"\"d\"\"\",\r\n\r\n\"\",x\n", 3);
    assertThat(r).hasSize(2);
    assertThat(r.get(0).line()).isEqualTo(1);
    assertThat(r.get(0).fields()).containsExactly("a", "b\nc \"d\"", null);
    assertThat(r.get(0).text()).isEqualTo("a,\"b\nc \"\"d\"\"\",");
    assertThat(r.get(0).problem()).isNull();
    assertThat(r.get(1).line()).isEqualTo(4); // the blank line 3 holds no record
    assertThat(r.get(1).fields()).isEqualTo(Arrays.asList("", "x"));
  }

  @Test
  void aLineThatContinuesAQuotedFirstFieldIntoARecordOfTheHeadersWidthIsAContinuation() {
    // "line",p1,... alone would also have 3 fields; appended it closes the record with 3
    List<CsvReader.Record> r = read("\"multi\nline\",p1,0.5\nnext,p2,0.6\n", 3);
    assertThat(r).extracting(CsvReader.Record::fields)
        .containsExactly(List.of("multi\nline", "p1", "0.5"), List.of("next", "p2", "0.6"));
  }

  @Test
  void anUnclosedQuoteIsItsOwnLineWhenTheNextLineReadsAsARecord() {
    List<CsvReader.Record> r = read("t1,\"p1,0.5\nt2,p1,0.5\nt3,p1,0.5\n", 3);
    assertThat(r).hasSize(3);
    assertThat(r.get(0).text()).isEqualTo("t1,\"p1,0.5");
    assertThat(r.get(0).problem())
        .isEqualTo("a quoted field opened on line 1 is not closed on that line, and line 2 reads as a record of its own");
    assertThat(r.get(1).fields()).containsExactly("t2", "p1", "0.5");
    assertThat(r.get(2).line()).isEqualTo(3);
  }

  @Test
  void anUnclosedQuoteEndsAtTheBoundAndTheLinesItHeldAreReadAgain() {
    StringBuilder csv = new StringBuilder("t1,\"p1,0.5\n");
    for (int i = 0; i < CsvReader.MAX_RECORD_LINES + 20; i++) {
      csv.append("x\n"); // one field: never a record of 3
    }
    List<CsvReader.Record> r = read(csv.toString(), 3);
    assertThat(r).hasSize(1 + CsvReader.MAX_RECORD_LINES + 20);
    assertThat(r.get(0).problem()).contains("not closed within " + CsvReader.MAX_RECORD_LINES + " lines");
    assertThat(r.get(1).line()).isEqualTo(2);
    assertThat(r.get(1).fields()).containsExactly("x");
  }

  @Test
  void anUnclosedQuoteAtTheEndOfTheFileIsItsOwnLine() {
    List<CsvReader.Record> r = read("t1,p1,0.5\nt2,\"p1,0.5\n", 3);
    assertThat(r).hasSize(2);
    assertThat(r.get(1).text()).isEqualTo("t2,\"p1,0.5");
    assertThat(r.get(1).problem()).isEqualTo("a quoted field opened on line 2 is not closed before the end of the file");
  }

  @Test
  void invalidUtf8SpoilsOnlyItsOwnLineEvenInsideAnOpenQuote() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("t1,\"p1,0.5\n".getBytes(StandardCharsets.UTF_8));
    b.writeBytes("t2,p".getBytes(StandardCharsets.UTF_8));
    b.write(0xc3); // a lead byte with no continuation
    b.writeBytes("1,0.5\nt3,p\u00fc,0.5".getBytes(StandardCharsets.UTF_8)); // no line end at the end
    List<CsvReader.Record> r = read(b.toByteArray(), 3);
    assertThat(r).hasSize(3);
    assertThat(r.get(0).problem()).isEqualTo("a quoted field opened on line 1 is not closed before line 2, which cannot be read");
    assertThat(r.get(1).problem()).isEqualTo("line 2 is not valid UTF-8: byte 0xc3 at byte 5 of the line");
    assertThat(r.get(1).text()).isEqualTo("t2,p\ufffd1,0.5");
    assertThat(r.get(2).fields()).containsExactly("t3", "p\u00fc", "0.5");
  }

  @Test
  void aLineLongerThanTheBoundIsQuarantinedWithItsFirstMebibyte() {
    String longLine = "x".repeat(CsvReader.MAX_LINE_BYTES + 10);
    List<CsvReader.Record> r = read(longLine + "\nt,p,1\n", 3);
    assertThat(r).hasSize(2);
    assertThat(r.get(0).text()).hasSize(CsvReader.MAX_LINE_BYTES);
    assertThat(r.get(0).problem()).contains("longer than the " + CsvReader.MAX_LINE_BYTES);
    assertThat(r.get(1).fields()).containsExactly("t", "p", "1");
  }

  @Test
  void plainNumbersOnly() {
    for (String ok : List.of("12", "-0.5", "+.5", "3.", "1e-3", "2.5E+2", "-0")) {
      assertThat(PlainNumbers.decimal(ok)).as(ok).isEqualTo(Double.parseDouble(ok));
    }
    for (String bad : List.of("0x1p-1", "0.5d", "2f", "NaN", "Infinity", "-Infinity", "\u0661\u0662", "1e400", ".",
        "e3", "1e", "1_000", "", " 1", "1.5.5")) {
      assertThat(PlainNumbers.decimal(bad)).as(bad).isNull();
    }
    assertThat(PlainNumbers.decimalProblem("1e400")).startsWith("beyond the range");
    assertThat(PlainNumbers.integer("+12")).isEqualTo(12);
    assertThat(PlainNumbers.integer("0x10")).isNull();
    assertThat(PlainNumbers.integer("2147483648")).isNull();
    assertThat(PlainNumbers.whole("\u0661\u0662")).isNull();
  }

  @Test
  void terminalTextEscapesWhatATerminalWouldActOn() {
    assertThat(TerminalText.escape("a\u001b[31mb\rc\u009bd\u202ee\u2066f\u007fg\th\ni", false))
        .isEqualTo("a\\u001b[31mb\\u000dc\\u009bd\\u202ee\\u2066f\\u007fg\\u0009h\\u000ai");
    assertThat(TerminalText.escape("x\ny\u001b", true)).isEqualTo("x\ny\\u001b");
    assertThat(TerminalText.escape("Zürich 🏭 ١٢", false)).isEqualTo("Zürich 🏭 ١٢");
    String table = new Table("name", "n").row("Plant\r\u001b[2JX", 1).render();
    String cell = "Plant\\u000d\\u001b[2JX"; // 21 characters: the width is the escaped one
    assertThat(table).isEqualTo("name" + " ".repeat(cell.length() - 4) + "  n\n" + "-".repeat(cell.length()) + "  -\n"
        + cell + "  1\n");
  }
}
