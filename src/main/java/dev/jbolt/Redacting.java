package dev.jbolt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stream that masks every secret of the run ({@link Secrets#remember}) in what goes through it,
 * as written and as JSON writes it: the one rule by which the terminal, {@code --format json}, the
 * report and the debug log all mask the same values. Between two writes without a flush it holds
 * back what could be the start of a secret; a flush (each line) lets everything out.
 */
public final class Redacting extends OutputStream {
  private static final byte[] MASK = Secret.MASK.getBytes(StandardCharsets.UTF_8);

  private final OutputStream out;
  private final Secrets secrets;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();

  public Redacting(OutputStream out, Secrets secrets) {
    this.out = out;
    this.secrets = secrets;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    List<byte[]> patterns = secrets.patterns();
    if (patterns.isEmpty() && held.size() == 0) {
      out.write(b, off, len);
      return;
    }
    held.write(b, off, len);
    emit(patterns, false);
  }

  @Override
  public synchronized void flush() throws IOException {
    emit(secrets.patterns(), true);
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
    out.close();
  }

  /** Writes what is held, masked; keeps back the tail a secret could still start in. */
  private void emit(List<byte[]> patterns, boolean all) throws IOException {
    byte[] buf = held.toByteArray();
    int longest = 0;
    for (byte[] p : patterns) {
      longest = Math.max(longest, p.length);
    }
    int cut = all ? buf.length : Math.max(0, buf.length - Math.max(0, longest - 1));
    ByteArrayOutputStream o = new ByteArrayOutputStream(buf.length);
    int i = 0;
    while (i < cut) {
      byte[] hit = null;
      for (byte[] p : patterns) {
        if (p.length > 0
            && i + p.length <= buf.length
            && (hit == null || p.length > hit.length)
            && matches(buf, i, p)) {
          hit = p;
        }
      }
      if (hit != null) {
        o.write(MASK, 0, MASK.length);
        i += hit.length;
      } else {
        o.write(buf[i++]);
      }
    }
    out.write(o.toByteArray());
    held.reset();
    held.write(buf, i, buf.length - i);
  }

  private static boolean matches(byte[] buf, int at, byte[] p) {
    for (int k = 0; k < p.length; k++) {
      if (buf[at + k] != p[k]) {
        return false;
      }
    }
    return true;
  }
}
