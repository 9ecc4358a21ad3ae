package dev.jbolt.transport.ssh;

import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.PidFilter;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.RemoteProcess;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A user's command run by the connection's kept-open shell ({@link ShellChannel}) instead of on an
 * exec channel of its own, with the semantics of one:
 *
 * <ul>
 *   <li>it runs as {@code setsid "$SHELL" -c 'exec 2>&3 3>&-; echo PID; eval CMD' sh </dev/null}
 *       (fd 3 is the channel's stderr; the kept shell's own stderr goes nowhere): the login shell
 *       (named as sshd names it: {@code $0} is its base name), a session and process group of its
 *       own (a kill reaches exactly it and its children), no input, and the PID line of {@link
 *       PidFilter};
 *   <li>its stderr ends at a token line the shell prints after it; its stdout at a line with the
 *       token, its exit code and whether anything is left in its process group. That last test is
 *       sent as soon as the PID line arrives, so it costs no round trip;
 *   <li>an exec channel ends when every holder of its output closed it, not when the command exits.
 *       When something is left in the group (a background process, which may hold the output), the
 *       shell is given to this command: its input is closed, and the command ends when the channel
 *       closes, as an exec channel would, with whatever came after the token line.
 * </ul>
 *
 * A kill stops the command's process group and gives up the shell.
 */
final class ShellCommand implements RemoteProcess {
  private final ShellChannel shell;
  private final byte[] token;
  private final PidFilter pids;
  private final Consumer<String> killGroup;
  private final Frame out;
  private final Frame err;
  private boolean checkSent;
  private boolean retired;
  private boolean done;
  private boolean reusable;
  private volatile boolean retireNow;
  private Integer exitCode;

  ShellCommand(ShellChannel shell, byte[] token, PidFilter pids, Consumer<String> killGroup) {
    this.shell = shell;
    this.token = token;
    this.pids = pids;
    this.killGroup = killGroup;
    this.out = new Frame(OutputListener.Stream.STDOUT);
    this.err = new Frame(OutputListener.Stream.STDERR);
  }

  /**
   * The first line the shell is sent for {@code command}: PID framing of {@code marker} inside, the
   * end of its stderr after it.
   */
  static String line(String marker, String command, byte[] token) {
    // stderr is set by the command's own shell: dash keeps a command's redirections while it waits,
    // and would print its word on a command killed by a signal ("Killed") to the channel's stderr
    return "setsid \"$SHELL\" -c "
        + Posix.quote("exec 2>&3 3>&-; " + PidFilter.wrap(marker, command))
        + " \"${SHELL##*/}\" </dev/null; jbolt_r=$?; echo "
        + new String(token, StandardCharsets.US_ASCII)
        + " 1>&3\n";
  }

  /** Output of the shell's channel while this command holds it. */
  synchronized void output(OutputListener.Stream stream, byte[] buf, int off, int len) {
    (stream == OutputListener.Stream.STDOUT ? out : err).feed(buf, off, len);
    notifyAll();
  }

  @Override
  public OutputStream stdin() {
    return OutputStream.nullOutputStream(); // the command's input is /dev/null
  }

  @Override
  public boolean waitFor(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      String send;
      boolean finished;
      // The shell is asked, written to and let go outside this lock: its channel takes its own, and
      // the threads that deliver output take this one.
      boolean shellGone = shell.ended();
      synchronized (this) {
        send = step(shellGone);
        finished = done;
        long left = deadline - System.currentTimeMillis();
        if (!finished && send == null && !retireNow && left > 0) {
          wait(Math.min(left, 50)); // the shell's end is polled; output wakes us at once
        }
      }
      if (retireNow) {
        retireNow = false;
        shell.retire();
      }
      if (send != null && !shell.trySend(send)) {
        synchronized (this) {
          end(null); // the shell is gone: the channel's end is the command's
        }
        finished = true;
      }
      if (finished) {
        shell.finished(this, reusable);
        return true;
      }
      if (deadline - System.currentTimeMillis() <= 0) {
        return false;
      }
    }
  }

  /**
   * Moves the command on, and returns the line to send the shell, if any: the check line once the
   * PID (or the end without one) is known. Gives the shell up when something was left in the group,
   * and ends the command when everything came.
   */
  private String step(boolean shellGone) {
    if (done) {
      return null;
    }
    if (!checkSent && (pids.pid() != null || err.ended)) {
      checkSent = true;
      String t = new String(token, StandardCharsets.US_ASCII);
      String test =
          pids.pid() == null
              ? "jbolt_l=0"
              : "kill -0 -" + pids.pid() + " 2>/dev/null && jbolt_l=1 || jbolt_l=0";
      return test + "; echo \"" + t + " $jbolt_r $jbolt_l\"\n";
    }
    if (out.ended && err.ended && !retired) {
      if (out.left == 0 && !out.trailing && !err.trailing) {
        end(out.code);
        return null;
      }
      retired = true; // something may still hold the output: wait for the channel's close
      retireNow = true;
    }
    if (shellGone) {
      end(out.ended ? out.code : null);
    }
    return null;
  }

  /** Ends the command; its waiter then lets the shell go ({@link ShellChannel#finished}). */
  private void end(Integer code) {
    exitCode = code;
    done = true;
    reusable = !retired && code != null;
    out.flush();
    err.flush();
    pids.finish();
  }

  @Override
  public synchronized Integer exitCode() {
    return exitCode;
  }

  @Override
  public boolean connectionLost() {
    return exitCode == null && shell.connectionLost();
  }

  @Override
  public boolean connectionSilent() {
    return shell.connectionSilent();
  }

  @Override
  public synchronized boolean shellFailed() {
    return done && exitCode != null && !pids.sawMarker();
  }

  /**
   * Stops the command: TERM then KILL to its process group (on a channel of its own, as for a
   * command on an exec channel), and the shell is given up.
   */
  @Override
  public void kill() {
    String pid;
    synchronized (this) {
      if (done) {
        return;
      }
      pid = pids.pid();
      done = true;
      notifyAll();
    }
    try {
      if (pid != null) {
        killGroup.accept(pid);
      } else {
        shell.kill(); // not started, or its shell is wrong: the kept shell's group is all there is
      }
    } finally {
      shell.finished(this, false);
    }
    pids.finish();
  }

  /**
   * One stream of the shell cut at this command's token line: what comes before it is the
   * command's, passed on as it arrives (holding back what could be the token's start); stdout's
   * token line carries the exit code and the left-over flag; whatever comes after it is the
   * command's too.
   */
  private final class Frame {
    private final OutputListener.Stream stream;
    private byte[] held = new byte[0];
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    private boolean found;
    boolean ended;
    boolean trailing;
    Integer code;
    int left;

    Frame(OutputListener.Stream stream) {
      this.stream = stream;
    }

    void feed(byte[] buf, int off, int len) {
      if (ended) {
        trailing = true;
        pids.output(stream, buf, off, len); // after the token: still the command's
        return;
      }
      if (found) {
        frameLine(buf, off, len);
        return;
      }
      byte[] all = Arrays.copyOf(held, held.length + len);
      System.arraycopy(buf, off, all, held.length, len);
      int at = indexOf(all, token);
      if (at < 0) {
        int keep = partial(all);
        pass(all, 0, all.length - keep);
        held = Arrays.copyOfRange(all, all.length - keep, all.length);
        return;
      }
      pass(all, 0, at);
      held = new byte[0];
      found = true;
      frameLine(all, at + token.length, all.length - at - token.length);
    }

    /** The rest of the token's line: " CODE LEFT" on stdout, nothing on stderr. */
    private void frameLine(byte[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (buf[i] != '\n') {
          tail.write(buf[i]);
          continue;
        }
        String[] words = tail.toString(StandardCharsets.US_ASCII).strip().split(" ");
        if (stream == OutputListener.Stream.STDOUT) {
          code = words.length == 2 ? parse(words[0]) : null;
          left = words.length == 2 && "0".equals(words[1]) ? 0 : 1; // garbled: give the shell up
        }
        ended = true;
        if (i + 1 < off + len) {
          feed(buf, i + 1, off + len - i - 1);
        }
        return;
      }
    }

    /** How many bytes at the end of {@code b} could be the start of the token. */
    private int partial(byte[] b) {
      outer:
      for (int k = Math.min(b.length, token.length - 1); k > 0; k--) {
        for (int j = 0; j < k; j++) {
          if (b[b.length - k + j] != token[j]) {
            continue outer;
          }
        }
        return k;
      }
      return 0;
    }

    private static Integer parse(String s) {
      try {
        return Integer.valueOf(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private void pass(byte[] b, int off, int len) {
      if (len > 0) {
        pids.output(stream, b, off, len);
      }
    }

    /** The command ended with the channel: what was held back was output after all. */
    void flush() {
      if (!found) {
        pass(held, 0, held.length);
        held = new byte[0];
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
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
