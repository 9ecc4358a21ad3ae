package dev.jbolt.transport;

import dev.jbolt.result.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Runs a command to its end on a connection: feeds stdin, gathers output, enforces a timeout. */
public final class Exec {
  private Exec() {}

  /** How much of each stream is kept: a command printing gigabytes must not exhaust the heap. */
  public static final int MAX_KEPT = 8 * 1024 * 1024;

  /**
   * What a finished command left: its output (at most {@link #MAX_KEPT} bytes of each stream, the
   * first ones), how many bytes of each were not kept, and its exit code (null when none came
   * back).
   */
  public record Output(
      byte[] stdout,
      byte[] stderr,
      byte[] merged,
      Integer exitCode,
      long droppedStdout,
      long droppedStderr) {
    public Output(byte[] stdout, byte[] stderr, byte[] merged, Integer exitCode) {
      this(stdout, stderr, merged, exitCode, 0, 0);
    }

    public String stdoutText() {
      return Text.decode(stdout);
    }

    public String stderrText() {
      return Text.decode(stderr);
    }

    public String mergedText() {
      return Text.decode(merged);
    }
  }

  /**
   * Collects both streams, and both interleaved as they arrived, keeping at most {@code limit}
   * bytes of each and counting the rest; forwards everything to a tee (--stream sees it all).
   */
  public static final class Collector implements OutputListener {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream merged = new ByteArrayOutputStream();
    private final OutputListener tee;
    private final int limit;
    private long droppedOut;
    private long droppedErr;

    public Collector(OutputListener tee) {
      this(tee, MAX_KEPT);
    }

    public Collector(OutputListener tee, int limit) {
      this.tee = tee == null ? OutputListener.NONE : tee;
      this.limit = limit;
    }

    @Override
    public synchronized void output(Stream stream, byte[] buf, int off, int len) {
      boolean isOut = stream == Stream.STDOUT;
      int kept = keep(isOut ? out : err, buf, off, len);
      if (isOut) {
        droppedOut += len - kept;
      } else {
        droppedErr += len - kept;
      }
      keep(merged, buf, off, len);
      tee.output(stream, buf, off, len);
    }

    private int keep(ByteArrayOutputStream to, byte[] buf, int off, int len) {
      int n = Math.max(0, Math.min(len, limit - to.size()));
      to.write(buf, off, n);
      return n;
    }

    public synchronized Output result(Integer exitCode) {
      return new Output(
          out.toByteArray(),
          err.toByteArray(),
          merged.toByteArray(),
          exitCode,
          droppedOut,
          droppedErr);
    }
  }

  /**
   * Runs {@code command}, writes {@code stdin} (may be null) and closes it, and waits at most
   * {@code timeoutMillis} (0: no limit). A command still running then is killed and reported as a
   * {@link Kind#TIMEOUT}; an interrupt kills it and reports {@link Kind#CANCELLED}.
   */
  public static Output run(
      Connection c, String command, byte[] stdin, long timeoutMillis, OutputListener tee)
      throws TransportException {
    Collector collector = new Collector(tee);
    RemoteProcess p = c.start(command, collector);
    try {
      writeStdin(p, stdin);
      if (!p.waitFor(timeoutMillis <= 0 ? Long.MAX_VALUE : timeoutMillis)) {
        p.kill();
        throw new TransportException(
            ErrorKind.TIMEOUT,
            "TIMEOUT",
            "timed out after " + seconds(timeoutMillis) + " s; the command was killed",
            Map.of("timeout", timeoutMillis / 1000.0),
            null);
      }
      Output out = collector.result(p.exitCode());
      checkEnd(p, c.loginUser(), out);
      return out;
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled; the command was killed", e);
    }
  }

  /** A command whose end was lost with its connection has no result to report: that is an error. */
  public static void checkEnd(RemoteProcess p) throws TransportException {
    checkEnd(p, null, null);
  }

  /**
   * As {@link #checkEnd(RemoteProcess)}, and a command that the login shell never ran (of {@code
   * user}, having printed {@code out}, both may be null) is an error of its own.
   */
  public static void checkEnd(RemoteProcess p, String user, Output out) throws TransportException {
    if (p.exitCode() == null && p.connectionLost()) {
      if (p.connectionSilent()) {
        throw new TransportException(
            ErrorKind.CONNECTION_SILENT,
            "the connection went silent (no answer"
                + " to keepalives: the network or the host went away) while the command ran; it may or may not have"
                + " finished",
            null);
      }
      throw new TransportException(
          ErrorKind.CONNECTION_LOST,
          "the connection was lost while the command ran; it may or may not have finished",
          null);
    }
    if (p.shellFailed()) {
      String said =
          out == null
              ? ""
              : out.mergedText().strip().lines().reduce((a, b) -> b).orElse(""); // its last word
      throw new TransportException(
          ErrorKind.SHELL_ERROR,
          "the login shell"
              + (user == null ? "" : " of '" + user + "'")
              + " did not run the command (exit "
              + p.exitCode()
              + (said.isEmpty() ? ", no output" : ": " + said)
              + "); jbolt needs a POSIX shell such as /bin/sh, not /bin/false or nologin",
          null);
    }
  }

  static void writeStdin(RemoteProcess p, byte[] stdin) {
    try (OutputStream in = p.stdin()) {
      if (stdin != null && stdin.length > 0) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // The command exited without reading all of its input, as Bolt tolerates.
    }
  }

  /** Milliseconds as seconds for messages: "5", or "0.5". */
  static String seconds(long millis) {
    return millis % 1000 == 0
        ? Long.toString(millis / 1000)
        : String.format("%.1f", millis / 1000.0);
  }
}
