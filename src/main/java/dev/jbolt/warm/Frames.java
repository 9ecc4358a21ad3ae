package dev.jbolt.warm;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The warm process's wire format, one frame per message: a type byte, a 4-byte big-endian length,
 * the payload. From the client: {@code H} hello (the protocol name), {@code A} an argument, {@code
 * E} a NAME=value variable, {@code D} the working directory, {@code U} its umask (octal), {@code T}
 * which of stdin, stdout and stderr are terminals ("101"), {@code S} the terminal's "rows cols",
 * then {@code R} run, {@code Q} status or {@code K} stop; during a run {@code I} stdin bytes,
 * {@code i} end of stdin, {@code P} an answer, {@code C} Ctrl-C. From the warm process: {@code a}
 * the run is taken (before it, the client may go elsewhere; after it, never), {@code o}/{@code e}
 * stdout/stderr bytes, {@code r} read stdin (up to the decimal size), {@code q} ask (first byte
 * {@code s}: secret), {@code x} the exit code (decimal), {@code b} busy, {@code n} not for this
 * environment.
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
