package dev.jbolt.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The PID framing of every command: its shell (a session leader: sshd calls setsid for it, a
 * container engine's exec makes one) first reports its PID on stderr, marked; this filter takes
 * that line out of the start of stderr and everything else passes through untouched. A login shell
 * may print a few lines first (a locale warning): those pass, and the search stops after {@link
 * #SEARCH} bytes. No marker at all means the shell never ran the command. Killing a command then
 * kills its whole process group through a second channel ({@link #killScript}), since closing a
 * channel stops nothing on the server.
 */
public final class PidFilter implements OutputListener {
  public static final int SEARCH = 8192;

  /** A marker that no command's own output will print by chance. */
  public static String newMarker() {
    return "jbolt-pid-" + Long.toHexString(new SecureRandom().nextLong());
  }

  /**
   * The line the login shell runs: the PID report, then {@code command} through {@code eval}, so
   * that the line itself always parses and a missing PID line means the shell is wrong
   * (/bin/false), never a syntax error in the command (which eval reports).
   */
  public static String wrap(String marker, String command) {
    return "echo " + marker + " $$ 1>&2; eval " + Posix.quote(command);
  }

  /** TERM, then KILL a second later, to the process group led by {@code pid}. */
  public static String killScript(String pid) {
    return "kill -TERM -"
        + pid
        + " 2>/dev/null; sleep 1; kill -KILL -"
        + pid
        + " 2>/dev/null; true";
  }

  private final String marker;
  private final OutputListener next;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private volatile String pid;
  private boolean done;
  private int seen;

  public PidFilter(String marker, OutputListener next) {
    this.marker = marker;
    this.next = next;
  }

  public String pid() {
    return pid;
  }

  /** True when the marker line came (the shell ran our command line). */
  public boolean sawMarker() {
    return pid != null;
  }

  @Override
  public synchronized void output(Stream stream, byte[] buf, int off, int len) {
    if (done || stream == Stream.STDOUT) {
      next.output(stream, buf, off, len);
      return;
    }
    int end = off + len;
    int i = off;
    while (i < end) {
      int stop = Math.min(end, i + (SEARCH - seen)); // a line at a time, within the budget
      for (int j = i; j < stop; j++) {
        if (buf[j] == '\n') {
          stop = j + 1;
          break;
        }
      }
      line.write(buf, i, stop - i);
      seen += stop - i;
      i = stop;
      if (buf[stop - 1] == '\n') {
        if (takePid()) {
          pass(stream, buf, i, end);
          return;
        }
        flushLine();
      }
      if (seen >= SEARCH) {
        done = true;
        flushLine();
        pass(stream, buf, i, end);
        return;
      }
    }
  }

  /** True when the line is the marker's, whose PID is now known and which is dropped. */
  private boolean takePid() {
    String text = line.toString(StandardCharsets.UTF_8);
    String rest = text.startsWith(marker + " ") ? text.substring(marker.length() + 1).strip() : "";
    if (rest.isEmpty() || !rest.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    pid = rest;
    done = true;
    line.reset();
    return true;
  }

  private void pass(Stream stream, byte[] buf, int from, int end) {
    if (from < end) {
      next.output(stream, buf, from, end - from);
    }
  }

  /** Output that ended in the middle of a line is still output. */
  public synchronized void finish() {
    done = true;
    flushLine();
  }

  private void flushLine() {
    if (line.size() > 0) {
      byte[] b = line.toByteArray();
      line.reset();
      next.output(Stream.STDERR, b, 0, b.length);
    }
  }
}
