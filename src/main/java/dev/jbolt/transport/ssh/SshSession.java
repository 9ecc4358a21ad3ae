package dev.jbolt.transport.ssh;

import dev.jbolt.transport.TransportException;
import java.io.IOException;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * One target's authenticated session: opened on first use, re-opened when it has dropped, and
 * watched by keepalives, which tell a silent network ("silent") from a host that closed the
 * connection ("lost").
 */
final class SshSession {
  private static final String KEEPALIVE = "keepalive@openssh.com";

  private final SshTransport transport;
  private final SshSettings settings;
  private ClientSession session; // guarded by this
  private volatile String loginUser;
  private String warmKey; // guarded by this: what chose the session, in the warm process
  private String where; // guarded by this
  private volatile int attempts = 1;
  private volatile long lastKeepalive;

  /** The session the keepalives gave up, if any: its failures are "silent", not "lost". */
  private volatile ClientSession silenced;

  /**
   * When the server last showed it is alive: opened the session, answered a keepalive, sent output.
   */
  private volatile long lastAlive = System.currentTimeMillis();

  SshSession(SshTransport transport, SshSettings settings) {
    this.transport = transport;
    this.settings = settings;
  }

  /** The open session; a dropped one (or, with {@code fresh}, any) is replaced by a new one. */
  synchronized ClientSession get(boolean fresh) throws TransportException {
    if (session != null && session.isOpen() && !session.isClosing() && !fresh) {
      return session;
    }
    if (session != null) {
      session.close(true);
    }
    boolean first = session == null && warmKey == null;
    session = null;
    SshTransport.Opened opened = transport.open(settings, first && !fresh);
    session = opened.session();
    warmKey = opened.warmKey();
    where = opened.where();
    lastAlive = System.currentTimeMillis();
    attempts = opened.attempts();
    loginUser = session.getUsername();
    return session;
  }

  String loginUser() {
    return loginUser;
  }

  int attempts() {
    return attempts;
  }

  /** The server sent something: it is alive. */
  void alive() {
    lastAlive = System.currentTimeMillis();
  }

  /** True when the keepalives gave {@code s} up. */
  boolean silenced(ClientSession s) {
    return silenced == s;
  }

  /** True when the keepalives gave the current session up. */
  synchronized boolean silent() {
    return session != null && session == silenced;
  }

  /** True when the current session has dropped. */
  synchronized boolean lost() {
    return session != null && (!session.isOpen() || session.isClosing());
  }

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
        s.request(b, KEEPALIVE, (cmd, reply) -> alive());
      } catch (IOException | RuntimeException e) {
        s.close(true);
      }
    }
  }

  /**
   * Ends the run's use of the session: in the warm process a healthy one is kept for the next run
   * (the caller has closed its channels), anything else is closed.
   */
  synchronized void close() {
    if (session != null) {
      WarmSessions warm = transport.warm();
      if (warm != null
          && warmKey != null
          && session.isOpen()
          && !session.isClosing()
          && silenced != session) {
        warm.give(warmKey, where, session);
      } else {
        session.close(true);
      }
      session = null;
    }
  }
}
