package dev.jbolt.action;

import dev.jbolt.Secret;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to type on a POSIX target: environment, escalation with {@code sudo}, temp dirs. It turns
 * requests into command lines and runs them on a {@link Connection}, which only moves bytes.
 */
public final class Shell {
  private static final long CLEANUP_MILLIS = 30_000;

  private final Connection connection;
  private final RunAs runAs;
  private final RunSettings settings;

  /** Temp dirs given to the run-as user: only those need sudo to be removed. */
  private final Set<String> handedOver = ConcurrentHashMap.newKeySet();

  /** Commands as {@code settings} say: run-as (or the login user), temp dirs, cleanup. */
  public Shell(Connection connection, RunSettings settings) {
    this.connection = connection;
    this.runAs = settings.runAs();
    this.settings = settings;
  }

  /** Commands as the login user, temp dirs in /tmp. */
  public Shell(Connection connection) {
    this(connection, new RunSettings(null, "/tmp", null, true));
  }

  /** True when run-as names another user than the one logged in (connecting to know who). */
  private boolean escalates() throws TransportException {
    if (runAs == null || runAs.user() == null) {
      return false;
    }
    connection.connect();
    return !runAs.user().equals(connection.loginUser());
  }

  /**
   * Runs {@code command} with {@code env} exported, as the run-as user when one is set.
   *
   * @param stdin bytes for the command's standard input, or null
   * @param timeoutMillis 0 for no limit
   */
  public Exec.Output run(
      String command, Map<String, String> env, byte[] stdin, long timeoutMillis, OutputListener tee)
      throws TransportException {
    String body = Posix.exports(env) + command;
    if (!escalates()) {
      return Exec.run(connection, body, stdin, timeoutMillis, tee);
    }
    return runEscalated(runAs.user(), body, stdin, timeoutMillis, tee);
  }

  /**
   * Runs a command of jbolt's own as the login user, whatever {@code run-as} says (temp dirs are
   * made before escalating).
   */
  private Exec.Output runAsLogin(String command, long timeoutMillis) throws TransportException {
    return connection.runOwn(command, timeoutMillis);
  }

  private Exec.Output runEscalated(
      String user, String body, byte[] stdin, long timeoutMillis, OutputListener tee)
      throws TransportException {
    String id = UUID.randomUUID().toString();
    String prompt = "[sudo] jbolt " + id + " password: ";
    String marker = "jbolt-escalated-" + id;
    String escalate =
        runAs.command() != null
            ? Posix.join(runAs.command()) + " " + Posix.quote(user)
            : Posix.quote(runAs.sudoExecutable())
                + " -S -H -u "
                + Posix.quote(user)
                + " -p "
                + Posix.quote(prompt);
    String command = escalate + " sh -c " + Posix.quote("echo " + marker + " 1>&2; " + body);
    Exec.Collector collector = new Exec.Collector(tee, connection.outputBudget());
    Sudo sudo = new Sudo(prompt, marker, runAs.sudoPassword(), collector);
    RemoteProcess p = connection.start(command, sudo);
    long deadline =
        timeoutMillis <= 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
    try {
      Sudo.State state = sudo.awaitEscalation(p, deadline);
      if (state == Sudo.State.FAILED) {
        p.kill();
        throw sudo.failure(user);
      }
      if (state == Sudo.State.ENDED) {
        Exec.checkEnd(p, connection.loginUser(), collector.result(p.exitCode()));
        throw new TransportException(
            ErrorKind.ESCALATE_ERROR,
            "could not run as '" + user + "': " + sudo.preamble().strip(),
            null);
      }
      try (OutputStream in = p.stdin()) {
        if (stdin != null) {
          in.write(stdin);
        }
      } catch (IOException e) {
        // the command did not read its input
      }
      long left =
          deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.currentTimeMillis();
      if (left <= 0 || !p.waitFor(left)) {
        p.kill();
        throw new TransportException(
            ErrorKind.TIMEOUT,
            "timed out after " + timeoutMillis / 1000 + " s; the command was killed",
            null);
      }
      return Exec.finish(collector, p, connection.loginUser());
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled; the command was killed", e);
    }
  }

  /**
   * Makes a fresh private directory (mode 700) under {@code tmpdir} and returns its path: a random
   * name, or {@code script-dir} (which must not exist yet, as in Bolt).
   */
  public String mktemp() throws TransportException {
    String tmpdir = settings.tmpdir();
    String base = tmpdir.endsWith("/") ? tmpdir : tmpdir + "/";
    String command =
        settings.scriptDir() == null
            ? "mktemp -d " + Posix.quote(base + "jbolt.XXXXXXXXXX")
            : "mkdir -m 700 -- "
                + Posix.quote(base + settings.scriptDir())
                + " && echo "
                + Posix.quote(base + settings.scriptDir());
    Exec.Output out = runAsLogin(command, CLEANUP_MILLIS);
    String path = out.stdoutText().strip();
    if (!Integer.valueOf(0).equals(out.exitCode()) || path.isEmpty()) {
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "TMPDIR_ERROR",
          "could not make a temp dir under " + tmpdir + ": " + out.stderrText().strip(),
          null);
    }
    return path;
  }

  /** {@code chmod u+x}, as the login user who uploaded the file. */
  public void makeExecutable(String path) throws TransportException {
    Exec.Output out = runAsLogin("chmod u+x " + Posix.quote(path), CLEANUP_MILLIS);
    if (!Integer.valueOf(0).equals(out.exitCode())) {
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "CHMOD_ERROR",
          "could not make " + path + " executable: " + out.stderrText().strip(),
          null);
    }
  }

  /** Gives a temp dir (and what was uploaded into it) to the run-as user, when there is one. */
  public void handOver(String path) throws TransportException {
    if (escalates()) {
      handedOver.add(path); // a chown that fails half-way may still have given some of it away
      try {
        chown(runAs.user(), path);
      } catch (TransportException e) {
        if (e.kind() == ErrorKind.ESCALATE_ERROR) { // sudo refused before chown began: nothing
          handedOver.remove(path); // was given away, and asking sudo again costs another refusal
        }
        throw e;
      }
    }
  }

  /** Gives a temp dir back to the login user, who downloads from it. */
  public void handBack(String path) throws TransportException {
    if (escalates()) {
      chown(connection.loginUser(), path);
      handedOver.remove(path);
    }
  }

  private void chown(String user, String path) throws TransportException {
    Exec.Output out =
        runEscalated(
            "root",
            "chown -R " + Posix.quote(user) + " " + Posix.quote(path),
            null,
            CLEANUP_MILLIS,
            null);
    if (!Integer.valueOf(0).equals(out.exitCode())) {
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "CHOWN_ERROR",
          "could not give " + path + " to " + user + ": " + out.stderrText().strip(),
          null);
    }
  }

  /**
   * Removes a temp dir made by {@link #mktemp}, even when the thread was interrupted (Ctrl-C), so
   * that no run leaves files behind: as the login user who made it, or through sudo once it was
   * handed over (and as the login user again when sudo is what failed). Failures are ignored: the
   * action's own result stands.
   */
  public void removeQuietly(String path) {
    if (connection.lost() || !settings.cleanup()) {
      return; // the directory stays behind: see Connection.lost, or cleanup: false
    }
    boolean interrupted = Thread.interrupted();
    String rm = "rm -rf " + Posix.quote(path);
    try {
      if (handedOver.contains(path)) {
        try {
          Exec.Output out = runEscalated("root", rm, null, CLEANUP_MILLIS, null);
          if (Integer.valueOf(0).equals(out.exitCode())) {
            return;
          }
        } catch (TransportException e) {
          // sudo itself failed: the chown did too, so the login user still owns the directory
        }
      }
      runAsLogin(rm, CLEANUP_MILLIS);
    } catch (TransportException e) {
      // best effort
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Watches sudo's stderr: answers its prompt once, and tells when the command itself has begun.
   */
  static final class Sudo implements OutputListener {
    enum State {
      WAITING,
      ESCALATED,
      FAILED,
      ENDED
    }

    private final String prompt;
    private final String marker;
    private final Secret password;
    private final OutputListener downstream;
    private final StringBuilder preamble = new StringBuilder();
    private State state = State.WAITING;
    private int prompts;
    private String failureCode;
    private RemoteProcess process;

    Sudo(String prompt, String marker, Secret password, OutputListener downstream) {
      this.prompt = prompt;
      this.marker = marker;
      this.password = password;
      this.downstream = downstream;
    }

    @Override
    public void output(Stream stream, byte[] buf, int off, int len) {
      synchronized (this) {
        if (state == State.ESCALATED) {
          downstream.output(stream, buf, off, len);
          return;
        }
        if (stream == Stream.STDOUT) {
          downstream.output(stream, buf, off, len);
          return;
        }
        preamble.append(new String(buf, off, len, StandardCharsets.UTF_8));
        scan();
        notifyAll();
      }
    }

    private void scan() {
      int m = preamble.indexOf(marker + "\n");
      if (m >= 0) {
        String rest = preamble.substring(m + marker.length() + 1);
        preamble.setLength(m);
        state = State.ESCALATED;
        if (!rest.isEmpty()) {
          byte[] b = rest.getBytes(StandardCharsets.UTF_8);
          downstream.output(Stream.STDERR, b, 0, b.length);
        }
        return;
      }
      if (process == null) {
        return; // answered once awaitEscalation knows the process
      }
      int count = countOf(preamble, prompt);
      if (count > prompts) {
        prompts = count;
        if (password == null) {
          fail("NO_PASSWORD");
        } else if (prompts > 1) {
          fail("BAD_PASSWORD");
        } else {
          RemoteProcess p = process;
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      OutputStream in = p.stdin();
                      in.write((password.reveal() + "\n").getBytes(StandardCharsets.UTF_8));
                      in.flush();
                    } catch (IOException e) {
                      // the process died; its end is reported by waitFor
                    }
                  });
        }
      } else if (preamble.indexOf("is not in the sudoers file") >= 0
          || preamble.indexOf("is not allowed to") >= 0) {
        fail("SUDO_DENIED");
      }
    }

    private void fail(String code) {
      state = State.FAILED;
      failureCode = code;
    }

    private static int countOf(CharSequence s, String what) {
      int n = 0;
      for (int i = s.toString().indexOf(what);
          i >= 0;
          i = s.toString().indexOf(what, i + what.length())) {
        n++;
      }
      return n;
    }

    /** Waits until the command has started as the other user, sudo failed, or the process ended. */
    State awaitEscalation(RemoteProcess p, long deadline) throws InterruptedException {
      synchronized (this) {
        process = p;
        scan(); // output may have come before the process handle was known
      }
      while (true) {
        synchronized (this) {
          if (state != State.WAITING) {
            return state;
          }
          wait(50);
          if (state != State.WAITING) {
            return state;
          }
        }
        if (p.waitFor(1)) {
          synchronized (this) {
            if (state == State.WAITING) {
              state = State.ENDED;
            }
            return state;
          }
        }
        if (System.currentTimeMillis() > deadline) {
          synchronized (this) {
            fail("TIMEOUT");
            return state;
          }
        }
      }
    }

    synchronized String preamble() {
      return preamble.toString().replace(prompt, "");
    }

    synchronized TransportException failure(String user) {
      String msg =
          switch (failureCode) {
            case "NO_PASSWORD" ->
                "sudo asked for a password to run as '"
                    + user
                    + "' and none was given (set sudo-password)";
            case "BAD_PASSWORD" ->
                "sudo refused the password to run as '" + user + "' (wrong sudo-password)";
            case "TIMEOUT" -> "timed out waiting for sudo to run as '" + user + "'";
            default -> "sudo refused to run as '" + user + "': " + preamble().strip();
          };
      return new TransportException(ErrorKind.ESCALATE_ERROR, failureCode, msg, null);
    }
  }
}
