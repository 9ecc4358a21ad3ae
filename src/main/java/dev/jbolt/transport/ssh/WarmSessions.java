package dev.jbolt.transport.ssh;

import dev.jbolt.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The authenticated sessions the warm process ({@code jbolt persist}) keeps between runs, as
 * OpenSSH's ControlPersist keeps a master connection. A run takes a session only when every input
 * that chose it is the same ({@link #key}: address, port, user, proxy chain, the bytes of the key
 * files and known_hosts, the host key policy, the agent, a salted digest of a password); it hands
 * its healthy sessions back at its end. Kept sessions send keepalives; one that stops answering, or
 * that the server closed, is dropped. Made once by the warm process and handed to each of its runs'
 * transports; no other process has one.
 */
public final class WarmSessions {
  private static final long KEEPALIVE_MILLIS = 15_000;
  private static final long SILENCE_MILLIS = 4 * KEEPALIVE_MILLIS;
  private final Map<String, SshClient> clients = new ConcurrentHashMap<>();
  private final byte[] salt = new SecureRandom().generateSeed(16);
  private final Map<String, Deque<Kept>> idle = new LinkedHashMap<>(); // guarded by this
  private volatile boolean open = true;
  private int taken; // guarded by this

  private record Kept(ClientSession session, String host, long[] lastAlive) {}

  /** A store that keeps sessions alive until {@link #closeAll}. */
  public WarmSessions() {
    Thread.ofVirtual().name("jbolt-warm-keepalive").start(this::keepAlive);
  }

  /**
   * The client every run shares, one per agent socket (an agent is a client-wide setting); made by
   * {@code make} on first use.
   */
  SshClient client(Path agent, Supplier<SshClient> make) {
    return clients.computeIfAbsent(String.valueOf(agent), a -> make.get());
  }

  /**
   * A kept open session for {@code key}, or null. Kept sessions of {@code host} (user@host:port)
   * under another key (its known_hosts or key file changed, say) are closed: they would never be
   * used again.
   */
  synchronized ClientSession take(String key, String host) {
    for (var it = idle.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().equals(key)) {
        e.getValue()
            .removeIf(
                k -> {
                  boolean stale = k.host().equals(host);
                  if (stale) {
                    k.session().close(true);
                  }
                  return stale;
                });
      }
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
    Deque<Kept> q = idle.get(key);
    while (q != null && !q.isEmpty()) {
      Kept k = q.poll();
      if (k.session().isOpen() && !k.session().isClosing()) {
        taken++;
        return k.session();
      }
    }
    return null;
  }

  /** Keeps {@code session} (open, healthy, authenticated under {@code key}) for a later run. */
  synchronized void give(String key, String host, ClientSession session) {
    idle.computeIfAbsent(key, k -> new ArrayDeque<>())
        .add(new Kept(session, host, new long[] {System.currentTimeMillis()}));
  }

  /** How many sessions are kept now. */
  public synchronized int size() {
    return idle.values().stream().mapToInt(Deque::size).sum();
  }

  /** How many runs' sessions were taken from the store so far. */
  public synchronized int reused() {
    return taken;
  }

  /** The hosts of the kept sessions, for {@code persist status}. */
  public synchronized List<String> hosts() {
    List<String> out = new ArrayList<>();
    idle.values().forEach(q -> q.forEach(k -> out.add(k.host())));
    return out;
  }

  /** Closes every kept session and the client (the warm process is ending). */
  public void closeAll() {
    synchronized (this) {
      open = false;
      idle.values().forEach(q -> q.forEach(k -> k.session().close(true)));
      idle.clear();
    }
    clients.values().forEach(SshClient::stop);
  }

  /** Asks every kept session for a sign of life; drops those closed or silent too long. */
  private void keepAlive() {
    while (open) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.currentTimeMillis();
      synchronized (this) {
        for (Deque<Kept> q : idle.values()) {
          q.removeIf(k -> !ping(k, now));
        }
        idle.values().removeIf(Deque::isEmpty);
      }
    }
  }

  private static boolean ping(Kept k, long now) {
    ClientSession s = k.session();
    if (!s.isOpen() || s.isClosing() || now - k.lastAlive()[0] > SILENCE_MILLIS) {
      s.close(true);
      return false;
    }
    if (now - k.lastAlive()[0] >= KEEPALIVE_MILLIS) {
      try {
        Buffer b = s.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST);
        b.putString("keepalive@openssh.com");
        b.putBoolean(true);
        s.request(b, "keepalive@openssh.com", (cmd, reply) -> k.lastAlive()[0] = now);
      } catch (IOException | RuntimeException e) {
        s.close(true);
        return false;
      }
    }
    return true;
  }

  /**
   * What chose a session to {@code entry} with {@code s}; null when it is not to be kept: its
   * password came from the command line or a prompt, and must not outlive its run.
   */
  String keyFor(
      SshSettings s, HostConfigEntry entry, Path agent, Map<Path, byte[]> read, Secrets secrets) {
    if (s.password() != null && secrets.isTransient(s.password().reveal())) {
      return null;
    }
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    List<Path> files = new ArrayList<>();
    if (s.privateKeyPath() != null) {
      files.add(Path.of(s.privateKeyPath()));
    } else {
      for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
        files.add(ssh.resolve(n));
      }
    }
    KnownHosts known = KnownHosts.of(s, entry);
    files.addAll(known.files());
    if (s.loadConfig()) {
      files.add(ssh.resolve("config"));
    }
    return key(
        salt,
        Arrays.asList(
            entry.getHostName(),
            String.valueOf(entry.getPort()),
            entry.getUsername(),
            entry.getProxyJump(),
            String.valueOf(known.mode()),
            String.valueOf(s.algorithms().withConfig(s.loadConfig() ? entry : null)),
            String.valueOf(s.loadConfig()),
            String.valueOf(agent)),
        files,
        (s.password() == null ? "" : s.password().reveal())
            + "\0"
            + (s.privateKeyData() == null ? "" : s.privateKeyData().reveal()),
        read);
  }

  /**
   * The digest of everything that chose a session: two runs share one only when it is equal. The
   * bytes of {@code files} count, not their names: each is read and digested once per run ({@code
   * read}, the run's own, from file to digest), not once per target (a known_hosts of 500 hosts
   * read for each of 500 targets was 40% of a warm run's CPU).
   */
  static String key(
      byte[] salt, List<String> values, List<Path> files, String password, Map<Path, byte[]> read) {
    MessageDigest d = sha256();
    d.update(salt);
    for (String v : values) {
      d.update(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
    }
    for (Path f : files) {
      d.update(f.toString().getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(read.computeIfAbsent(f, WarmSessions::fileDigest));
      d.update((byte) 0);
    }
    if (password != null) {
      d.update(password.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * A file's bytes digested, after a tag that says what was found: a missing or unreadable file is
   * a value of its own, never the same as any content.
   */
  private static byte[] fileDigest(Path f) {
    MessageDigest d = sha256();
    try {
      byte[] bytes = Files.readAllBytes(f);
      d.update((byte) 'f');
      d.update(bytes);
    } catch (NoSuchFileException e) {
      d.update((byte) 'm');
    } catch (IOException e) {
      d.update((byte) 'e');
      d.update(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }
    return d.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
