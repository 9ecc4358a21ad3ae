package dev.jbolt.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The fields of a tar header as {@link Tar} reads them: text, numbers, pax numbers. */
final class TarFields {
  private TarFields() {}

  /** A text field: up to its first NUL. */
  static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  /**
   * A numeric field: octal digits, or, with the high bit of its first byte set, a big-endian binary
   * number (GNU tar's base-256, which it writes for sizes of 8 GiB and more). Negative values
   * ({@code 0xff} first) are refused.
   */
  static long number(byte[] h, int off, int len) throws IOException {
    if ((h[off] & 0x80) != 0) {
      if (h[off] == (byte) 0xff) {
        throw new IOException("garbled tar header (a negative number)");
      }
      long v = h[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        if (v >>> 55 != 0) {
          throw new IOException("garbled tar header (a number past 2^63)");
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    String s = field(h, off, len).strip();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("garbled tar header (" + s + ")");
    }
  }

  /** A pax record's number (its {@code size}): decimal, not negative. */
  static long paxNumber(String v) throws IOException {
    try {
      long n = Long.parseLong(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("garbled tar header (size=" + v + ")");
    }
  }
}
