package dev.jbolt.transport;

import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Text;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs a command to its end on a connection: feeds stdin, gathers output, enforces a timeout. */
public final class Exec {
  private Exec() {}

  /** How much of each stream is kept: a command printing gigabytes must not exhaust the heap. */
  public static final int MAX_KEPT = 8 * 1024 * 1024;

  /**
   * What a finished command left: its output (at most {@link #MAX_KEPT} bytes of each stream, the
   * first ones; both interleaved as they arrived), how many bytes of each were not kept, and its
   * exit code (null when none came back).
   */
  public record Output(
      Text stdout,
      Text stderr,
      Text merged,
      Integer exitCode,
      long droppedStdout,
      long droppedStderr) {
    public Output(byte[] stdout, byte[] stderr, byte[] merged, Integer exitCode) {
      this(Text.of(stdout), Text.of(stderr), Text.of(merged), exitCode, 0, 0);
    }

    public String stdoutText() {
      return stdout.toString();
    }

    public String stderrText() {
      return stderr.toString();
    }

    public String mergedText() {
      return merged.toString();
    }
  }

  /**
   * Collects both streams, each held once (in memory while the run's {@link OutputBudget} allows,
   * else in a spill file), keeping at most {@link #MAX_KEPT} bytes of each and counting the rest;
   * the order in which they arrived is kept as runs of one stream (the merged output); everything
   * goes to a tee too (--stream sees it all).
   */
  public static final class Collector implements OutputListener {
    /**
     * How many switches between the streams the merged output follows; then stdout, then stderr.
     */
    static final int MAX_SWITCHES = 65_536;

    private final OutputBuffer out;
    private final OutputBuffer err;
    private final OutputListener tee;

    /** Runs of kept bytes: positive from stdout, negative from stderr; the last one grows. */
    private int[] runs = new int[16];

    private int count;
    private boolean outOfMemory;

    public Collector(OutputListener tee) {
      this(tee, OutputBudget.UNLIMITED);
    }

    public Collector(OutputListener tee, OutputBudget budget) {
      this.tee = tee == null ? OutputListener.NONE : tee;
      this.out = new OutputBuffer(budget, MAX_KEPT);
      this.err = new OutputBuffer(budget, MAX_KEPT);
    }

    @Override
    public synchronized void output(Stream stream, byte[] buf, int off, int len) {
      boolean isOut = stream == Stream.STDOUT;
      if (!outOfMemory) {
        try {
          int kept = (isOut ? out : err).write(buf, off, len);
          if (kept > 0) {
            run(isOut ? kept : -kept);
          }
        } catch (OutOfMemoryError e) {
          outOfMemory = true; // the rest is read and let go: the command must not block on its pipe
        }
      }
      tee.output(stream, buf, off, len);
    }

    /** True when keeping this output ran out of memory: what it kept is not the whole of it. */
    public synchronized boolean outOfMemory() {
      return outOfMemory;
    }

    private void run(int n) {
      if (count > 0 && (runs[count - 1] > 0) == (n > 0)) {
        runs[count - 1] += n; // at most 8 MiB a stream: no overflow
      } else if (count < MAX_SWITCHES) {
        if (count == runs.length) {
          runs = Arrays.copyOf(runs, count * 2);
        }
        runs[count++] = n;
      }
    }

    public synchronized Output result(Integer exitCode) {
      Text o = out.text();
      Text e = err.text();
      List<Text> parts = new ArrayList<>();
      long atOut = 0;
      long atErr = 0;
      for (int i = 0; i < count; i++) {
        if (runs[i] > 0) {
          parts.add(o.slice(atOut, runs[i]));
          atOut += runs[i];
        } else {
          parts.add(e.slice(atErr, -runs[i]));
          atErr -= runs[i];
        }
      }
      if (atOut < o.size()) {
        parts.add(o.slice(atOut, o.size() - atOut)); // past MAX_SWITCHES: the rest of each
      }
      if (atErr < e.size()) {
        parts.add(e.slice(atErr, e.size() - atErr));
      }
      Text merged = parts.size() == 1 ? parts.get(0) : Text.concat(parts);
      return new Output(o, e, merged, exitCode, out.dropped(), err.dropped());
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
    Collector collector = new Collector(tee, c.outputBudget());
    RemoteProcess p =
        stdin == null ? c.startNoInput(command, collector) : c.start(command, collector);
    try {
      writeStdin(p, stdin);
      if (!p.waitFor(timeoutMillis <= 0 ? Long.MAX_VALUE : timeoutMillis)) {
        p.kill();
        // what it printed before it was killed goes with the error (MilkCheck shows it)
        throw new TransportException(
            ErrorKind.TIMEOUT,
            "TIMEOUT",
            "timed out after " + seconds(timeoutMillis) + " s; the command was killed",
            Map.of(
                "timeout", timeoutMillis / 1000.0, "output", collector.result(null).mergedText()),
            null);
      }
      return finish(collector, p, c.loginUser());
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled; the command was killed", e);
    }
  }

  /**
   * What a command that ended left: its output, kept whole (else it is an out-of-memory error), and
   * an end that {@link #checkEnd(RemoteProcess, String, Output)} accepts.
   */
  public static Output finish(Collector collector, RemoteProcess p, String user)
      throws TransportException {
    if (collector.outOfMemory()) {
      throw new TransportException(
          ErrorKind.OUT_OF_MEMORY,
          "jbolt ran out of memory keeping this command's output (give the JVM more heap, or a"
              + " lower output-memory so that output spills to disk sooner)",
          null);
    }
    Output out = collector.result(p.exitCode());
    checkEnd(p, user, out);
    return out;
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
