package dev.jbolt.warm;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The warm process's wire format, one frame per message: a type byte, a 4-byte big-endian length,
 * the payload. The frame types and a whole run are specified once, in docs/warm.md ("The protocol
 * between the client and the warm process"); WarmProtocolTest holds this code, the Perl client and
 * that page to each other.
 */
final class Frames {
  static final String HELLO = "jbolt-warm 1";
  private static final int MAX = 64 << 20;

  private Frames() {}

  record Frame(char type, byte[] data) {
    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  /** The next frame, or null at the end of the stream. */
  static Frame read(DataInputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      return null;
    }
    try {
      int n = in.readInt();
      if (n < 0 || n > MAX) {
        throw new IOException("bad frame length " + n);
      }
      byte[] data = new byte[n];
      in.readFully(data);
      return new Frame((char) type, data);
    } catch (EOFException e) {
      return null;
    }
  }

  static void write(OutputStream out, char type, byte[] data, int off, int len) throws IOException {
    synchronized (out) {
      out.write(type);
      out.write(
          new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
      out.write(data, off, len);
      out.flush();
    }
  }

  static void write(OutputStream out, char type, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    write(out, type, b, 0, b.length);
  }
}
