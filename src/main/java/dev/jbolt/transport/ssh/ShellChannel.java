package dev.jbolt.transport.ssh;

import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.PidFilter;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A {@code /bin/sh} kept open on one channel that runs jbolt's own short commands (mktemp, chmod,
 * rm) one after another: 0.3 ms a command instead of the 1.6 ms of a new channel (bench/costs).
 * Each command runs as {@code ( eval 'CMD' ) </dev/null 2>&3 3>&-} (its own subshell: nothing it
 * sets outlives it; no input; the channel's stderr, which the shell keeps on fd 3 for commands
 * only), and is followed by a line holding a random token and the exit code on stdout, and the
 * token alone on stderr, which end its output.
 *
 * <p>Users' commands that read no input run here too, one at a time, each with the semantics of an
 * exec channel of its own ({@link ShellCommand}: its own session, the end when its output closes).
 * A timeout or an interrupt of jbolt's own command kills the whole shell (its process group); of a
 * user's, that command's process group; either way the shell is not used again.
 */
final class ShellChannel implements OutputListener {
  private final byte[] token;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private RemoteProcess process;
  private boolean busy;
  private boolean dirty;

  /** The user's command running now ({@link ShellCommand}), or null. */
  private final AtomicReference<ShellCommand> current = new AtomicReference<>();

  private Runnable release = () -> {};

  /** Null until asked: whether {@code setsid} and {@code $SHELL} are there for users' commands. */
  private Boolean runsUsers;

  private ShellChannel() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    token = ("jbolt-end-" + HexFormat.of().formatHex(b)).getBytes(StandardCharsets.US_ASCII);
  }

  static ShellChannel open(SshConnection connection) throws TransportException {
    ShellChannel s = new ShellChannel();
    // The shell's own words ("Killed" for a command it saw die) go nowhere: fd 3 is the channel's
    // stderr, which each command gets as its own.
    s.process = connection.start("exec /bin/sh -s 3>&2 2>/dev/null", s);
    return s;
  }

  /** False once the shell died, was killed, or printed when no command was running. */
  synchronized boolean usable() {
    return !dirty && !ended();
  }

  @Override
  public void output(Stream stream, byte[] buf, int off, int len) {
    ShellCommand c = current.get();
    if (c != null) {
      c.output(stream, buf, off, len);
      return;
    }
    own(stream, buf, off, len);
  }

  private synchronized void own(Stream stream, byte[] buf, int off, int len) {
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
            + " ) </dev/null 2>&3 3>&-; echo \""
            + t
            + " $?\"; echo "
            + t
            + " 1>&3\n";
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

  /**
   * Starts a user's command on this shell ({@link ShellCommand}), or returns null when this shell
   * cannot run one (no {@code setsid} or {@code $SHELL} on the target: asked once, by a command of
   * jbolt's own, given {@code probeMillis} to answer). The caller holds this shell alone; {@code
   * release} lets it go when the command is done with it.
   */
  ShellCommand start(
      String marker,
      String command,
      PidFilter pids,
      Consumer<String> killGroup,
      Runnable release,
      String user,
      long probeMillis)
      throws TransportException {
    if (runsUsers == null) {
      String probe = "command -v setsid >/dev/null 2>&1 && test -n \"$SHELL\"";
      runsUsers = run(probe, probeMillis, user).exitCode() == 0;
    }
    if (!runsUsers) {
      return null;
    }
    this.release = release;
    ShellCommand c = new ShellCommand(this, token, pids, killGroup);
    current.set(c);
    try {
      send(ShellCommand.line(marker, command, token));
    } catch (IOException e) {
      current.set(null);
      synchronized (this) {
        dirty = true;
      }
      throw new TransportException(
          ErrorKind.CHANNEL_ERROR, "could not send a command: " + e.getMessage(), e);
    }
    return c;
  }

  /** Writes {@code line} to the shell. */
  void send(String line) throws IOException {
    OutputStream in = process.stdin();
    in.write(line.getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** As {@link #send}, false when the shell is gone. */
  boolean trySend(String line) {
    try {
      send(line);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True once the shell's channel has closed. */
  boolean ended() {
    try {
      return process.waitFor(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  boolean connectionLost() {
    return process.connectionLost();
  }

  boolean connectionSilent() {
    return process.connectionSilent();
  }

  /**
   * No more commands: the shell's input is closed. Its current command, if any, keeps the channel
   * until its output closes; an idle shell exits. Not a kill: that takes a channel and a second
   * (TERM, then KILL), which a run's end paid per target.
   */
  void retire() {
    synchronized (this) {
      dirty = true;
    }
    try {
      process.stdin().close();
    } catch (IOException e) {
      // it has gone already
    }
  }

  /**
   * The command is done with this shell: usable again when {@code reusable}, else given up. Once
   * only (its waiter and a kill may both say so).
   */
  void finished(ShellCommand c, boolean reusable) {
    if (!current.compareAndSet(c, null)) {
      return;
    }
    if (!reusable) {
      retire();
    }
    release.run();
  }

  /** Kills the shell and whatever it runs (its process group); it is not used again. */
  void kill() {
    synchronized (this) {
      dirty = true;
    }
    process.kill();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    return ShellCommand.indexOf(hay, needle);
  }
}
