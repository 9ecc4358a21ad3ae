package dev.jbolt.transport.ssh;

import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A {@code /bin/sh} kept open on one channel that runs jbolt's own short commands (mktemp, chmod,
 * rm) one after another: 0.3 ms a command instead of the 4.5 ms of a new channel (bench/costs).
 * Each command runs as {@code ( eval 'CMD' ) </dev/null} (its own subshell: nothing it sets
 * outlives it; no input), and is followed by a line holding a random token and the exit code on
 * stdout, and the token alone on stderr, which end its output.
 *
 * <p>Commands of users never come here: one that leaves a background process writing to stdout, or
 * that needs its own process group to be killed, keeps the semantics of its own exec channel. A
 * timeout or an interrupt kills the whole shell (its process group) and it is not used again.
 */
final class ShellChannel implements OutputListener {
  private final byte[] token;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private RemoteProcess process;
  private boolean busy;
  private boolean dirty;

  private ShellChannel() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    token = ("jbolt-end-" + HexFormat.of().formatHex(b)).getBytes(StandardCharsets.US_ASCII);
  }

  static ShellChannel open(SshConnection connection) throws TransportException {
    ShellChannel s = new ShellChannel();
    s.process = connection.start("exec /bin/sh -s", s);
    return s;
  }

  /** False once the shell died, was killed, or printed when no command was running. */
  synchronized boolean usable() {
    return !dirty && !ended();
  }

  private boolean ended() {
    try {
      return process.waitFor(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  @Override
  public synchronized void output(Stream stream, byte[] buf, int off, int len) {
    if (!busy) {
      dirty = true; // output of nobody: something outlived its command
      return;
    }
    (stream == Stream.STDOUT ? out : err).write(buf, off, len);
    notifyAll();
  }

  /**
   * Runs one command to its end; the caller holds this shell alone. A kill goes out after this
   * shell's lock is let go: the output of the kill's own channel is delivered by the threads that
   * {@link #output} would otherwise hold up.
   */
  Exec.Output run(String command, long timeoutMillis, String user) throws TransportException {
    TransportException failure;
    try {
      return await(command, timeoutMillis, user);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = TransportException.cancelled("cancelled; the command was killed", e);
    } catch (TimeoutException e) {
      failure =
          new TransportException(
              ErrorKind.TIMEOUT,
              "timed out after "
                  + timeoutMillis / 1000
                  + " s running '"
                  + command
                  + "'; it was killed",
              null);
    }
    kill();
    throw failure;
  }

  private static final class TimeoutException extends Exception {}

  private synchronized Exec.Output await(String command, long timeoutMillis, String user)
      throws TransportException, InterruptedException, TimeoutException {
    String t = new String(token, StandardCharsets.US_ASCII);
    String line =
        "( eval "
            + Posix.quote(command)
            + " ) </dev/null; echo \""
            + t
            + " $?\"; echo "
            + t
            + " 1>&2\n";
    out.reset();
    err.reset();
    busy = true;
    try {
      OutputStream in = process.stdin();
      in.write(line.getBytes(StandardCharsets.UTF_8));
      in.flush();
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (true) {
        byte[] o = out.toByteArray();
        int end = indexOf(o, token);
        int errEnd = indexOf(err.toByteArray(), token);
        if (end >= 0 && errEnd >= 0 && o[o.length - 1] == '\n') {
          String code =
              new String(
                  o, end + token.length, o.length - end - token.length, StandardCharsets.US_ASCII);
          byte[] e = Arrays.copyOf(err.toByteArray(), errEnd);
          return new Exec.Output(Arrays.copyOf(o, end), e, e, Integer.valueOf(code.strip()));
        }
        if (ended()) {
          dirty = true;
          Exec.Output said =
              new Exec.Output(o, err.toByteArray(), err.toByteArray(), process.exitCode());
          Exec.checkEnd(process, user, said);
          throw new TransportException(
              ErrorKind.CHANNEL_ERROR,
              "the shell running jbolt's commands ended (exit " + process.exitCode() + ")",
              null);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new TimeoutException();
        }
        wait(Math.min(left, 50)); // the end of the shell is polled; output wakes us at once
      }
    } catch (IOException e) {
      dirty = true;
      Exec.checkEnd(process, user, null);
      throw new TransportException(
          ErrorKind.CHANNEL_ERROR, "could not send a command: " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      dirty = true;
      throw new TransportException(ErrorKind.CHANNEL_ERROR, "garbled end of a command", e);
    } finally {
      busy = false;
    }
  }

  /** Kills the shell and whatever it runs (its process group); it is not used again. */
  void kill() {
    synchronized (this) {
      dirty = true;
    }
    process.kill();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
