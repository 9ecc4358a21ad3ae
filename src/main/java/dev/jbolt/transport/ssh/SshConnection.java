package dev.jbolt.transport.ssh;

import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.TransportException;
import dev.jbolt.result.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
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
  private final Semaphore channels;
  private ClientSession session;
  private volatile String loginUser;
  private volatile int attempts = 1;
  private final SshFiles files = new SshFiles(this);
  /** Marks the line in which a command's shell reports its PID, so that a kill can reach its group. */
  private final java.util.concurrent.locks.ReentrantLock shellLock = new java.util.concurrent.locks.ReentrantLock();
  private ShellChannel shell; // guarded by shellLock
  private final String pidMarker = "jbolt-pid-" + Long.toHexString(new java.security.SecureRandom().nextLong());

  SshConnection(SshTransport transport, SshSettings settings) {
    this.transport = transport;
    this.settings = settings;
    this.channels = new Semaphore(settings.maxChannels(), true);
  }

  String where() {
    return settings.target();
  }

  @Override
  public void connect() throws TransportException {
    session(false);
  }

  @Override
  public String loginUser() {
    return loginUser;
  }

  @Override
  public int attempts() {
    return attempts;
  }

  /** The open session; a dropped one (or, with {@code fresh}, any) is replaced by a new one. */
  private synchronized ClientSession session(boolean fresh) throws TransportException {
    if (session != null && session.isOpen() && !session.isClosing() && !fresh) {
      return session;
    }
    if (session != null) {
      session.close(true);
    }
    session = null;
    SshTransport.Opened opened = transport.open(settings);
    session = opened.session();
    lastAlive = System.currentTimeMillis();
    attempts = opened.attempts();
    loginUser = session.getUsername();
    return session;
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
   * Starts {@code command}. Its shell (a session leader: sshd calls setsid for it) first reports its
   * PID on stderr, where {@link PidFilter} takes it out; killing the process then kills its whole
   * process group through a second channel, since closing a channel stops nothing on the server.
   */
  @Override
  public RemoteProcess start(String command, OutputListener listener) throws TransportException {
    PidFilter filter = new PidFilter(pidMarker, listener);
    // eval: the line the login shell parses is always valid, so a missing PID line means the shell
    // itself is wrong (/bin/false), never a syntax error in the command (which eval reports).
    SshProcess p = (SshProcess) open("echo " + pidMarker + " $$ 1>&2; eval " + Posix.quote(command), filter);
    p.onKill(() -> killGroup(filter.pid()));
    p.onEnd(filter::finish, () -> !filter.sawMarker());
    return p;
  }

  /**
   * jbolt's own commands go to a shell kept open on this connection ({@link ShellChannel}); when
   * another action on the target is using it, or connections are not reused, to a channel of
   * their own, as every other command does.
   */
  @Override
  public Exec.Output runOwn(String command, long timeoutMillis) throws TransportException {
    if (!transport.reuse() || !shellLock.tryLock()) {
      return Exec.run(this, command, null, timeoutMillis, null);
    }
    try {
      if (shell != null && !shell.usable()) {
        shell.kill();
        shell = null;
      }
      if (shell == null) {
        shell = ShellChannel.open(this);
      }
      return shell.run(command, timeoutMillis <= 0 ? Long.MAX_VALUE / 2 : timeoutMillis, loginUser);
    } finally {
      shellLock.unlock();
    }
  }

  /** TERM, then KILL, to the process group of a command that is being killed. */
  private void killGroup(String pid) {
    if (pid == null) {
      return;
    }
    boolean interrupted = Thread.interrupted(); // Ctrl-C interrupted us: the kill must still go out
    try {
      String kill = "kill -TERM -" + pid + " 2>/dev/null; sleep 1; kill -KILL -" + pid + " 2>/dev/null; true";
      RemoteProcess k = open(kill, OutputListener.NONE);
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

  private RemoteProcess open(String command, OutputListener listener) throws TransportException {
    acquireChannel();
    boolean started = false;
    try {
      ClientSession s = session(!transport.reuse());
      for (int attempt = 1; ; attempt++) {
        ChannelExec ch = null;
        try {
          ch = s.createExecChannel(command);
          OutputListener alive = (stream, buf, off, len) -> {
            lastAlive = System.currentTimeMillis();
            listener.output(stream, buf, off, len);
          };
          ch.setOut(new ListenerStream(alive, OutputListener.Stream.STDOUT));
          ch.setErr(new ListenerStream(alive, OutputListener.Stream.STDERR));
          ch.open().verify(settings.connectTimeoutMillis());
          ClientSession on = s;
          RemoteProcess p = new SshProcess(ch, channels::release, () -> silenced == on);
          started = true;
          return p;
        } catch (IOException | RuntimeException e) {
          if (ch != null) {
            ch.close(true);
          }
          if (!s.isOpen() || s.isClosing()) {
            if (attempt > 1) {
              throw new TransportException(ErrorKind.CONNECTION_LOST, "the connection to " + where() + " dropped and could not be used again", e);
            }
            s = session(true); // dropped since the last action: re-open once
            continue;
          }
          if (!(rootCause(e) instanceof SshChannelOpenException) || attempt >= CHANNEL_OPEN_TRIES) {
            throw new TransportException(ErrorKind.CHANNEL_ERROR, "could not open a channel on " + where() + ": " + SshErrors.rootMessage(e)
                    + " (is max-channels above the server's MaxSessions?)", e);
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

  /** Takes a channel slot and the open session (re-opened when dropped), for a channel of a caller's own. */
  Slot slot() throws TransportException {
    acquireChannel();
    try {
      java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
      return new Slot(session(!transport.reuse()), () -> {
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
  public List<String> upload(Path source, String destination, long timeoutMillis) throws TransportException {
    return files.upload(source, destination, timeoutMillis);
  }

  @Override
  public List<String> download(String source, Path destination, long timeoutMillis) throws TransportException {
    return files.download(source, destination, timeoutMillis);
  }

  /** True when the keepalives gave the current session up: its failures are "silent", not "lost". */
  synchronized boolean silent() {
    return session != null && session == silenced;
  }

  private volatile long lastKeepalive;
  /** The session the keepalives gave up, if any: its failures are "silent", not "lost". */
  private volatile ClientSession silenced;
  /** When the server last showed it is alive: opened the session, answered a keepalive, sent output. */
  private volatile long lastAlive = System.currentTimeMillis();

  /**
   * OpenSSH's ServerAliveInterval, counted in time: a keepalive that asks for an answer goes out
   * every interval, and a session from which nothing has come for {@code server-alive-count-max}
   * intervals more is closed, which fails its running actions as lost. Command output counts as an
   * answer too, so a keepalive queued behind a busy channel does not end a healthy session.
   */
  void keepAlive(long now) {
    long interval = settings.aliveIntervalMillis();
    ClientSession s;
    synchronized (this) {
      s = session;
    }
    if (interval <= 0 || s == null || !s.isOpen() || s.isClosing()) {
      return;
    }
    if (now - lastAlive >= settings.silenceLimitMillis()) {
      silenced = s;
      s.close(true);
    } else if (now - lastKeepalive >= interval) {
      lastKeepalive = now;
      try {
        Buffer b = s.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST);
        b.putString(KEEPALIVE);
        b.putBoolean(true);
        // Any answer, even "not supported", is a sign of life.
        s.request(b, KEEPALIVE, (cmd, reply) -> lastAlive = System.currentTimeMillis());
      } catch (IOException | RuntimeException e) {
        s.close(true);
      }
    }
  }

  private static final String KEEPALIVE = "keepalive@openssh.com";

  @Override
  public synchronized boolean lost() {
    return session != null && (!session.isOpen() || session.isClosing());
  }

  synchronized void close() {
    if (session != null) {
      session.close(true);
      session = null;
    }
  }

  /**
   * Takes the PID line out of the start of stderr; everything else passes through untouched. A
   * login shell may print a few lines first (a locale warning): those pass, and the search stops
   * after {@link #SEARCH} bytes. No marker at all means the shell never ran the command.
   */
  static final class PidFilter implements OutputListener {
    static final int SEARCH = 8192;
    private final String marker;
    private final OutputListener next;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private volatile String pid;
    private boolean done;
    private int seen;

    PidFilter(String marker, OutputListener next) {
      this.marker = marker;
      this.next = next;
    }

    String pid() {
      return pid;
    }

    /** True when the marker line came (the shell ran our command line). */
    boolean sawMarker() {
      return pid != null;
    }

    @Override
    public synchronized void output(Stream stream, byte[] buf, int off, int len) {
      if (done || stream == Stream.STDOUT) {
        next.output(stream, buf, off, len);
        return;
      }
      for (int i = off; i < off + len; i++) {
        line.write(buf[i]);
        seen++;
        if (buf[i] == '\n') {
          String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
          if (text.startsWith(marker + " ") && text.substring(marker.length() + 1).strip().matches("\\d+")) {
            pid = text.substring(marker.length() + 1).strip();
            done = true;
            line.reset();
            if (i + 1 < off + len) {
              next.output(stream, buf, i + 1, off + len - i - 1);
            }
            return;
          }
          flushLine();
        }
        if (seen >= SEARCH) {
          done = true;
          flushLine();
          if (i + 1 < off + len) {
            next.output(stream, buf, i + 1, off + len - i - 1);
          }
          return;
        }
      }
    }

    /** Output that ended in the middle of a line is still output. */
    synchronized void finish() {
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

  /** Hands channel output to the listener as it arrives. */
  private static final class ListenerStream extends OutputStream {
    private final OutputListener listener;
    private final OutputListener.Stream stream;

    ListenerStream(OutputListener listener, OutputListener.Stream stream) {
      this.listener = listener;
      this.stream = stream;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      listener.output(stream, b, off, len);
    }
  }

}
