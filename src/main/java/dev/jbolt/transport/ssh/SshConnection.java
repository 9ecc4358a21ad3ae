package dev.jbolt.transport.ssh;

import dev.jbolt.Log;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.PidFilter;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * One target's session, shared by every action on it: opened on first use, re-opened once when it
 * has dropped, with at most {@code max-channels} channels open at a time (sshd refuses more than
 * its MaxSessions, 10 by default). Files go over SFTP, or through {@code tar} on the exec channel
 * when the server has no SFTP subsystem.
 */
final class SshConnection implements Connection {
  private static final int CHANNEL_OPEN_TRIES = 5;
  private static final long KILL_MILLIS = 10_000;

  private final SshTransport transport;
  private final SshSettings settings;
  private final SshSession session;
  private final Semaphore channels;
  private final SshFiles files = new SshFiles(this);

  /** The kept-open shell's one holder at a time: an own command, or a user's until its end. */
  private final Semaphore shellFree = new Semaphore(1);

  private volatile ShellChannel shell; // guarded by shellFree

  /** Users' commands so far: the first of them gets a channel unless the shell is open already. */
  private final AtomicInteger userCommands = new AtomicInteger();

  /** Set when the kept shell cannot run users' commands here: each gets a channel of its own. */
  private volatile boolean noKeptShell;

  /**
   * Marks the line in which a command's shell reports its PID, so that a kill can reach its group.
   */
  private final String pidMarker = PidFilter.newMarker();

  SshConnection(SshTransport transport, SshSettings settings) {
    this.transport = transport;
    this.settings = settings;
    this.session = new SshSession(transport, settings);
    this.channels = new Semaphore(settings.maxChannels(), true);
  }

  String where() {
    return settings.target();
  }

  @Override
  public void connect() throws TransportException {
    session.get(false);
  }

  @Override
  public String loginUser() {
    return session.loginUser();
  }

  @Override
  public OutputBudget outputBudget() {
    return transport.outputBudget();
  }

  @Override
  public int attempts() {
    return session.attempts();
  }

  private void acquireChannel() throws TransportException {
    try {
      channels.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    }
  }

  /**
   * Starts {@code command} in the PID framing of {@link PidFilter}, so that a kill reaches its
   * process group.
   */
  @Override
  public RemoteProcess start(String command, OutputListener listener) throws TransportException {
    PidFilter filter = new PidFilter(pidMarker, listener);
    SshProcess p = (SshProcess) open(PidFilter.wrap(pidMarker, command), filter);
    p.onKill(() -> killGroup(filter.pid()));
    p.onEnd(filter::finish, () -> !filter.sawMarker());
    return p;
  }

  /**
   * A command with no input goes to the shell kept open on this connection ({@link ShellCommand}):
   * no channel to open and close, no sshd process to fork. When another action on the target is
   * using that shell, when connections are not reused, with {@code kept-shell: false}, or when the
   * target has no {@code setsid}, it gets an exec channel of its own ({@link #start}).
   */
  @Override
  public RemoteProcess startNoInput(String command, OutputListener listener)
      throws TransportException {
    boolean first = userCommands.getAndIncrement() == 0;
    if (!transport.reuse()
        || !settings.keptShell()
        || noKeptShell
        || (first && shell == null) // one command alone costs less on a channel than with a shell
        || command.indexOf('\0') >= 0
        || !shellFree.tryAcquire()) {
      return start(command, listener);
    }
    ShellCommand c = null;
    try {
      c =
          keptShell()
              .start(
                  pidMarker,
                  command,
                  new PidFilter(pidMarker, listener),
                  this::killGroup,
                  shellFree::release,
                  session.loginUser(),
                  settings.connectTimeoutMillis());
      noKeptShell = c == null;
      if (c != null && transport.log().enabled(Log.Level.DEBUG)) {
        transport.log().debug(where() + ": command on the kept-open shell");
      }
    } catch (TransportException e) {
      // A login shell that runs nothing (nologin) says so best on a channel of the command's own;
      // a shell that would not open or answer is not asked again in this run (each try would cost
      // the command a wait): its target's commands take channels, which report what is wrong.
      noKeptShell = true;
    } finally {
      if (c == null) {
        shellFree.release();
      }
    }
    return c != null ? c : start(command, listener);
  }

  /** The kept-open shell, opened anew when the last one is gone; the caller holds shellFree. */
  private ShellChannel keptShell() throws TransportException {
    if (shell != null && !shell.usable()) {
      shell.retire();
      shell = null;
    }
    if (shell == null) {
      shell = ShellChannel.open(this);
    }
    return shell;
  }

  /**
   * jbolt's own commands go to the shell kept open on this connection ({@link ShellChannel}); when
   * another action on the target is using it, or connections are not reused, to a channel of their
   * own, as every other command does.
   */
  @Override
  public Exec.Output runOwn(String command, long timeoutMillis) throws TransportException {
    if (!transport.reuse() || !shellFree.tryAcquire()) {
      return Exec.run(this, command, null, timeoutMillis, null);
    }
    try {
      return keptShell()
          .run(
              command,
              timeoutMillis <= 0 ? Long.MAX_VALUE / 2 : timeoutMillis,
              session.loginUser());
    } finally {
      shellFree.release();
    }
  }

  /** TERM, then KILL, to the process group of a command that is being killed. */
  private void killGroup(String pid) {
    if (pid == null) {
      return;
    }
    boolean interrupted = Thread.interrupted(); // Ctrl-C interrupted us: the kill must still go out
    try {
      RemoteProcess k = open(PidFilter.killScript(pid), OutputListener.NONE);
      k.stdin().close();
      if (!k.waitFor(KILL_MILLIS)) {
        k.kill();
      }
    } catch (TransportException | IOException | InterruptedException e) {
      // the connection is gone, and the command with it
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Opens an exec channel whose output, as it comes, also says the session is alive. */
  private void openExec(ChannelExec ch, OutputListener listener) throws IOException {
    OutputListener alive =
        (stream, buf, off, len) -> {
          session.alive();
          listener.output(stream, buf, off, len);
        };
    ch.setOut(new SshProcess.ListenerStream(alive, OutputListener.Stream.STDOUT));
    ch.setErr(new SshProcess.ListenerStream(alive, OutputListener.Stream.STDERR));
    ch.open().verify(settings.connectTimeoutMillis());
    if (transport.log().enabled(Log.Level.DEBUG)) {
      transport
          .log()
          .debug(
              where()
                  + ": exec channel "
                  + ch.getChannelId()
                  + " open ("
                  + (settings.maxChannels() - channels.availablePermits())
                  + " of at most "
                  + settings.maxChannels()
                  + ")");
    }
  }

  private RemoteProcess open(String command, OutputListener listener) throws TransportException {
    acquireChannel();
    boolean started = false;
    try {
      ClientSession s = session.get(!transport.reuse());
      for (int attempt = 1; ; attempt++) {
        ChannelExec ch = null;
        try {
          ch = s.createExecChannel(command);
          openExec(ch, listener);
          ClientSession on = s;
          RemoteProcess p = new SshProcess(ch, channels::release, () -> session.silenced(on));
          started = true;
          return p;
        } catch (IOException | RuntimeException e) {
          if (ch != null) {
            ch.close(true);
          }
          if (!s.isOpen() || s.isClosing()) {
            if (attempt > 1) {
              throw new TransportException(
                  ErrorKind.CONNECTION_LOST,
                  "the connection to " + where() + " dropped and could not be used again",
                  e);
            }
            s = session.get(true); // dropped since the last action: re-open once
            continue;
          }
          if (!(rootCause(e) instanceof SshChannelOpenException) || attempt >= CHANNEL_OPEN_TRIES) {
            throw new TransportException(
                ErrorKind.CHANNEL_ERROR,
                "could not open a channel on "
                    + where()
                    + ": "
                    + SshErrors.rootMessage(e)
                    + " (is max-channels above the server's MaxSessions?)",
                e);
          }
          sleep(50L * attempt); // another client holds the server's sessions: wait for one
        }
      }
    } finally {
      if (!started) {
        channels.release();
      }
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof SshChannelOpenException) {
        return c;
      }
      c = c.getCause();
    }
    return c;
  }

  private static void sleep(long millis) throws TransportException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    }
  }

  /** A channel slot taken on the open session; release it once, when its channel has closed. */
  record Slot(ClientSession session, Runnable release) {}

  /**
   * Takes a channel slot and the open session (re-opened when dropped), for a channel of a caller's
   * own.
   */
  Slot slot() throws TransportException {
    acquireChannel();
    try {
      AtomicBoolean released = new AtomicBoolean();
      return new Slot(
          session.get(!transport.reuse()),
          () -> {
            if (released.compareAndSet(false, true)) {
              channels.release();
            }
          });
    } catch (TransportException | RuntimeException e) {
      channels.release();
      throw e;
    }
  }

  @Override
  public List<String> upload(Path source, String destination, long timeoutMillis)
      throws TransportException {
    return files.upload(source, destination, timeoutMillis);
  }

  @Override
  public List<String> download(String source, Path destination, long timeoutMillis)
      throws TransportException {
    return files.download(source, destination, timeoutMillis);
  }

  /**
   * True when the keepalives gave the current session up: its failures are "silent", not "lost".
   */
  boolean silent() {
    return session.silent();
  }

  /**
   * Sends this connection's keepalive, or gives up its silent session (see {@link
   * SshSession#keepAlive}).
   */
  void keepAlive(long now) {
    session.keepAlive(now);
  }

  @Override
  public boolean lost() {
    return session.lost();
  }

  /** Ends the run's use: a session kept for the next run (warm process) keeps no shell of ours. */
  void close() {
    if (transport.warm() != null && shellFree.tryAcquire()) { // else a command still has it
      try {
        if (shell != null) {
          shell.retire();
          shell = null;
        }
      } finally {
        shellFree.release();
      }
    }
    session.close();
  }
}
