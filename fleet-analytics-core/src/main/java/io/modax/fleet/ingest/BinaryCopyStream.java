package io.modax.fleet.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}) to
 * a driver {@link CopyIn}, through a fixed buffer: memory stays bounded whatever the row count.
 *
 * <p>Format: an 11-byte signature, flags and header-extension length (both 0); per row a 16-bit
 * field count, then per field a 32-bit length (-1 for NULL) and the value in network byte order;
 * a 16-bit -1 at the end. Timestamps are microseconds since 2000-01-01 00:00 UTC (the server's
 * integer datetimes, the only kind PostgreSQL 10+ builds).
 *
 * <p>Not thread-safe; one stream per COPY.
 */
final class BinaryCopyStream {

  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
  /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
  static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private final CopyIn copy;
  private final byte[] buf;
  private int pos;
  private long rows;

  BinaryCopyStream(CopyIn copy, int bufferBytes) throws SQLException {
    this.copy = copy;
    this.buf = new byte[bufferBytes];
    ensure(SIGNATURE.length + 8);
    System.arraycopy(SIGNATURE, 0, buf, pos, SIGNATURE.length);
    pos += SIGNATURE.length;
    putInt(0);
    putInt(0);
  }

  /** Starts a row of {@code fields} values; every row must write exactly that many. */
  void startRow(int fields) throws SQLException {
    ensure(2);
    putShort(fields);
    rows++;
  }

  void timestampMicros(long unixMicros) throws SQLException {
    ensure(12);
    putInt(8);
    putLong(unixMicros - POSTGRES_EPOCH_MICROS);
  }

  void text(@Nullable String value) throws SQLException {
    if (value == null) {
      nul();
      return;
    }
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    ensure(4);
    putInt(b.length);
    int off = 0;
    while (off < b.length) {
      if (pos == buf.length) {
        flush();
      }
      int n = Math.min(b.length - off, buf.length - pos);
      System.arraycopy(b, off, buf, pos, n);
      pos += n;
      off += n;
    }
  }

  void int4(@Nullable Integer value) throws SQLException {
    if (value == null) {
      nul();
      return;
    }
    ensure(8);
    putInt(4);
    putInt(value);
  }

  void int8(@Nullable Long value) throws SQLException {
    if (value == null) {
      nul();
      return;
    }
    ensure(12);
    putInt(8);
    putLong(value);
  }

  void float8(@Nullable Double value) throws SQLException {
    if (value == null) {
      nul();
      return;
    }
    ensure(12);
    putInt(8);
    putLong(Double.doubleToRawLongBits(value));
  }

  private void nul() throws SQLException {
    ensure(4);
    putInt(-1);
  }

  /** Writes the trailer and ends the COPY; returns the rows the server took. */
  long finish() throws SQLException {
    ensure(2);
    putShort(-1);
    flush();
    long taken = copy.endCopy();
    if (taken != rows) {
      throw new SQLException("binary COPY took " + taken + " rows of " + rows + " sent", "XX000");
    }
    return taken;
  }

  /** Abandons the COPY (after a failure), so the connection can roll back. */
  void cancelQuietly() {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException ignored) {
      // the transaction is rolled back anyway; the caller reports the original failure
    }
  }

  private void ensure(int bytes) throws SQLException {
    if (buf.length - pos < bytes) {
      flush();
    }
  }

  private void flush() throws SQLException {
    if (pos > 0) {
      copy.writeToCopy(buf, 0, pos);
      pos = 0;
    }
  }

  private void putShort(int v) {
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putInt(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }
}
