package dev.jbolt.transport;

import dev.jbolt.transport.TransportException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Runs a command to its end on a connection: feeds stdin, gathers output, enforces a timeout. */
public final class Exec {
  private Exec() {}

  /** What a finished command left: its output and exit code (null when none came back). */
  public record Output(byte[] stdout, byte[] stderr, byte[] merged, Integer exitCode) {
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

  /** Collects both streams, and both interleaved as they arrived; forwards them to a tee. */
  public static final class Collector implements OutputListener {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream merged = new ByteArrayOutputStream();
    private final OutputListener tee;

    public Collector(OutputListener tee) {
      this.tee = tee == null ? OutputListener.NONE : tee;
    }

    @Override
    public synchronized void output(Stream stream, byte[] buf, int off, int len) {
      (stream == Stream.STDOUT ? out : err).write(buf, off, len);
      merged.write(buf, off, len);
      tee.output(stream, buf, off, len);
    }

    public synchronized Output result(Integer exitCode) {
      return new Output(out.toByteArray(), err.toByteArray(), merged.toByteArray(), exitCode);
    }
  }

  /**
   * Runs {@code command}, writes {@code stdin} (may be null) and closes it, and waits at most
   * {@code timeoutMillis} (0: no limit). A command still running then is killed and reported as a
   * {@link Kind#TIMEOUT}; an interrupt kills it and reports {@link Kind#CANCELLED}.
   */
  public static Output run(Connection c, String command, byte[] stdin, long timeoutMillis, OutputListener tee)
      throws TransportException {
    Collector collector = new Collector(tee);
    RemoteProcess p = c.start(command, collector);
    try {
      writeStdin(p, stdin);
      if (!p.waitFor(timeoutMillis <= 0 ? Long.MAX_VALUE : timeoutMillis)) {
        p.kill();
        throw new TransportException(Kind.TIMEOUT, "TIMEOUT",
            "timed out after " + seconds(timeoutMillis) + " s; the command was killed", false,
            Map.of("timeout", timeoutMillis / 1000.0), null);
      }
      checkEnd(p);
      return collector.result(p.exitCode());
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw new TransportException(Kind.CANCELLED, "CANCELLED", "cancelled; the command was killed", false, e);
    }
  }

  /** A command whose end was lost with its connection has no result to report: that is an error. */
  public static void checkEnd(RemoteProcess p) throws TransportException {
    if (p.exitCode() == null && p.connectionLost()) {
      throw new TransportException(Kind.CONNECTION_LOST, "CONNECT_ERROR",
          "the connection was lost while the command ran; it may or may not have finished", false, null);
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

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format("%.1f", millis / 1000.0);
  }
}
