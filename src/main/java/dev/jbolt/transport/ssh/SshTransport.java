package dev.jbolt.transport.ssh;

import dev.jbolt.JboltException;
import dev.jbolt.Log;
import dev.jbolt.RunScope;
import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.Transport;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.DefaultConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;

/**
 * SSH on Apache MINA SSHD: one authenticated session per target, opened on first use and kept for
 * the whole run; every action on the target is a channel on it. New connections are opened a
 * bounded number at a time (sshd's MaxStartups drops unauthenticated ones past 10), and failures of
 * the connection phase are retried with jittered backoff. With {@code reuse} off, every action gets
 * a fresh session, as Bolt does (for benchmarks).
 */
public final class SshTransport implements Transport {
  static {
    keepBouncyCastleOut();
  }

  /**
   * BouncyCastle is on the classpath for pkcs7 secrets and sntrup761's decapsulation only: MINA
   * would otherwise make it the provider for its own crypto, which triples connect time
   * (reference/probe.md). Called before anything touches MINA's security utilities.
   */
  public static void keepBouncyCastleOut() {
    for (String p :
        new String[] {
          "org.apache.sshd.security.provider.BC.enabled", "org.apache.sshd.registerBouncyCastle"
        }) {
      if (System.getProperty(p) == null) {
        System.setProperty(p, "false");
      }
    }
  }

  /**
   * Run-wide knobs, from the command line; {@code agentSocket} is the run's SSH_AUTH_SOCK (null for
   * none).
   */
  public record Options(
      int connectConcurrency,
      int connectRetries,
      boolean reuse,
      String agentSocket,
      WarmSessions warm,
      RunScope scope) {
    public static final Options DEFAULT = new Options(8, 2, true);

    /** Options of a transport of its own: no kept sessions, a silent log (tests, benches). */
    public Options(int connectConcurrency, int connectRetries, boolean reuse) {
      this(
          connectConcurrency,
          connectRetries,
          reuse,
          System.getenv("SSH_AUTH_SOCK"),
          null,
          RunScope.fresh());
    }
  }

  /** The run's log. */
  Log log() {
    return options.scope().log();
  }

  /** The warm process's kept sessions; null in every other process. */
  WarmSessions warm() {
    return options.warm();
  }

  private final Options options;
  private final OutputBudget budget;
  private final Semaphore connectSlots;
  private final Map<String, SshConnection> pool = new ConcurrentHashMap<>();
  private final HostKeys hostKeys = new HostKeys();
  private final Identities identities = new Identities();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger reused = new AtomicInteger();
  private volatile SshClient client;
  private volatile boolean closed;

  public SshTransport(Options options) {
    this(options, OutputBudget.UNLIMITED);
  }

  /** A transport whose connections keep their commands' output within {@code budget}. */
  public SshTransport(Options options, OutputBudget budget) {
    this.budget = budget;
    this.options = options;
    this.connectSlots = new Semaphore(options.connectConcurrency(), true);
  }

  /** Checks what can be checked without connecting: settings and key files. Bad input throws. */
  public void validate(Target t) {
    SshSettings s = SshSettings.of(t);
    try {
      identities.check(s);
    } catch (IOException | GeneralSecurityException e) {
      throw new JboltException(
          "target '"
              + t.safeName()
              + "': cannot load private-key "
              + (s.privateKeyPath() != null ? s.privateKeyPath() : "key-data")
              + ": "
              + SshErrors.rootMessage(e));
    }
  }

  @Override
  public Connection connection(Target target) {
    return pool.computeIfAbsent(
        target.name(), n -> new SshConnection(this, SshSettings.of(target)));
  }

  /**
   * How many sessions this transport authenticated so far (a pool should keep it at one per
   * target).
   */
  public int handshakes() {
    return handshakes.get();
  }

  /** How many sessions this run took from the warm process instead of logging in. */
  public int reused() {
    return reused.get();
  }

  OutputBudget outputBudget() {
    return budget;
  }

  boolean reuse() {
    return options.reuse();
  }

  private SshClient client() {
    SshClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c =
              warm() != null
                  ? warm().client(agent(), () -> newClient(agent()))
                  : newClient(agent());
          client = c;
          Thread.ofVirtual().name("jbolt-keepalive").start(this::keepAlive);
        }
      }
    }
    return c;
  }

  private Path agent() {
    String agent = options.agentSocket();
    return agent != null && !agent.isBlank() && Files.exists(Path.of(agent))
        ? Path.of(agent)
        : null;
  }

  /**
   * A started client. Host keys and identities are asked of the transport that opened each session
   * ({@link ConnectionContext#OWNER}), so that the warm process's shared client serves every run
   * with that run's files.
   */
  private static SshClient newClient(Path agent) {
    SshClient c = Algorithms.client(Algorithms.defaultKex());
    // Without it every exchange waits on delayed ACKs: 48 ms instead of 4.5 ms per command.
    CoreModuleProperties.TCP_NODELAY.set(c, true);
    // MINA closes a session idle for 10 minutes: a quiet command is not a dead server. The
    // keepalives of SshConnection decide instead.
    CoreModuleProperties.IDLE_TIMEOUT.set(c, Duration.ZERO);
    c.setServerKeyVerifier(
        (session, remote, key) ->
            ConnectionContext.owner(session).hostKeys.verifyServerKey(session, remote, key));
    c.setKeyIdentityProvider(
        session -> ConnectionContext.owner(session).identities.loadKeys(session));
    c.setHostConfigEntryResolver(DefaultConfigFileHostEntryResolver.INSTANCE);
    c.setPublicKeyAuthenticationReporter(AuthLog.PUBLIC_KEY);
    c.setPasswordAuthenticationReporter(AuthLog.PASSWORD);
    if (agent != null) {
      c.setAgentFactory(Agent.factory(agent));
    }
    c.addSessionListener(Algorithms.LISTENER);
    c.start();
    return c;
  }

  /** Every half second, lets each connection send its keepalive or give up a silent session. */
  private void keepAlive() {
    while (!closed && client != null && client.isOpen()) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.currentTimeMillis();
      pool.values().forEach(c -> c.keepAlive(now));
    }
  }

  /**
   * A session, how many tries it took, and, in the warm process, what chose it ({@link
   * WarmSessions#key}; null: not to be kept) and its user@host:port.
   */
  record Opened(ClientSession session, int attempts, String warmKey, String where) {}

  /**
   * Opens and authenticates a session, retrying connection-phase failures; a final failure says in
   * its details how many attempts were made. In the warm process a first open takes a session kept
   * from an earlier run when everything that chose it is the same.
   */
  Opened open(SshSettings s, boolean first) throws TransportException {
    SshClient c = client();
    HostConfigEntry entry = s.hostEntry();
    String where = entry.getHostName() + ":" + entry.getPort();
    String key = warmKey(s, entry);
    String login = entry.getUsername() + "@" + where;
    if (key != null && first) {
      ClientSession kept = warm().take(key, login);
      if (kept != null) {
        log().debug(login + ": reusing the session kept by the warm process");
        reused.incrementAndGet();
        return new Opened(kept, 1, key, login);
      }
    }
    for (int attempt = 0; ; attempt++) {
      try {
        return new Opened(openOnce(c, entry, s, where), attempt + 1, key, login);
      } catch (TransportException e) {
        if (!e.retryable() || attempt >= options.connectRetries()) {
          log().debug(login + ": connect failed: " + e.getMessage());
          throw attempt == 0 ? e : e.withDetail("attempts", attempt + 1);
        }
        log()
            .debug(
                login
                    + ": connect attempt "
                    + (attempt + 1)
                    + " failed, retrying: "
                    + e.getMessage());
        backoff(attempt);
      }
    }
  }

  private ClientSession openOnce(SshClient c, HostConfigEntry entry, SshSettings s, String where)
      throws TransportException {
    HostKeys.Verdict verdict = new HostKeys.Verdict();
    AttributeRepository context = ConnectionContext.of(this, entry, s, verdict);
    try {
      connectSlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled before connecting to " + where, e);
    }
    ClientSession session = null;
    boolean authPhase = false;
    long t0 = System.nanoTime();
    logConnecting(entry, s, where);
    try {
      ConnectFuture connecting = c.connect(entry, context, null);
      try {
        session = connecting.verify(s.connectTimeoutMillis()).getSession();
      } catch (IOException | RuntimeException e) {
        // A key exchange that failed fast fails the connect itself; the session says why (host
        // key).
        session = connecting.getSession();
        throw e;
      }
      if (s.aliveIntervalMillis() > 0) {
        // An SFTP message waits this long to go out or be answered (30 s by default). MINA does not
        // wake it when the keepalives give the session up, so it waits one interval more than they
        // do.
        AbstractSftpClient.SFTP_CLIENT_CMD_TIMEOUT.set(
            session, Duration.ofMillis(s.silenceLimitMillis() + s.aliveIntervalMillis()));
      }
      if (s.password() != null) {
        session.addPasswordIdentity(s.password().reveal());
      }
      authPhase = true;
      session.auth().verify(s.connectTimeoutMillis());
      handshakes.incrementAndGet();
      log()
          .debug(
              entry.getUsername()
                  + "@"
                  + where
                  + ": logged in, "
                  + (System.nanoTime() - t0) / 1_000_000
                  + " ms after connecting");
      return session;
    } catch (IOException | RuntimeException e) {
      TransportException te = SshErrors.classify(e, session, verdict, s, where, authPhase);
      if (session != null) {
        session.close(true);
      }
      throw te;
    } finally {
      connectSlots.release();
    }
  }

  /** Says how a connection is made (never a secret: whether a password is set, not which). */
  private void logConnecting(HostConfigEntry entry, SshSettings s, String where) {
    log()
        .debug(
            "connecting to "
                + entry.getUsername()
                + "@"
                + where
                + (entry.getProxyJump() == null || entry.getProxyJump().isEmpty()
                    ? ""
                    : " through " + entry.getProxyJump())
                + (s.privateKeyPath() != null ? "; key " + s.privateKeyPath() : "")
                + (s.password() != null ? "; a password is set" : "")
                + (agent() != null ? "; agent " + agent() : ""));
  }

  private static void backoff(int attempt) throws TransportException {
    long base = 200L << Math.min(attempt, 5);
    try {
      Thread.sleep(base / 2 + ThreadLocalRandom.current().nextLong(base));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled while waiting to reconnect", e);
    }
  }

  /** The files that choose kept sessions, digested once for this run (WarmSessions#key). */
  private final Map<Path, byte[]> warmRead = new ConcurrentHashMap<>();

  /** In the warm process, what chose a session to keep; null: it is not kept. */
  private String warmKey(SshSettings s, HostConfigEntry entry) {
    WarmSessions warm = warm();
    return warm == null || !options.reuse()
        ? null
        : warm.keyFor(s, entry, agent(), warmRead, options.scope().secrets());
  }

  @Override
  public void close() {
    closed = true;
    pool.values().forEach(SshConnection::close);
    pool.clear();
    SshClient c = client;
    if (c != null && warm() == null) {
      c.stop();
    }
  }
}
