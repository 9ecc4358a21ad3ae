package dev.jbolt.transport.ssh;

import dev.jbolt.transport.ssh.SshSettings.HostKeyCheck;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host key checking against known_hosts (hashed and {@code [host]:port} entries included), per
 * target: strict by default (an unknown host fails), {@code accept-new} records new keys as
 * OpenSSH does, {@code false} accepts anything. A changed key always fails, loudly. MINA's own
 * default, accept-all, is never used.
 */
final class HostKeys implements ServerKeyVerifier {
  /** The target's settings, carried in the connection context of its session. */
  static final AttributeKey<SshSettings> SETTINGS = new AttributeKey<>();
  /** Where the check of one connection attempt says what it found, in its connection context. */
  static final AttributeKey<Verdict> VERDICT = new AttributeKey<>();

  /**
   * Why a key was refused, for the error message. Kept apart from the session, which a failed
   * key exchange can leave out of the connect's result.
   */
  static final class Verdict {
    volatile String problem;
    volatile boolean changed;
  }

  private static void refuse(ClientSession session, String problem, boolean changed) {
    AttributeRepository ctx = session.getConnectionContext();
    Verdict v = ctx == null ? null : ctx.getAttribute(VERDICT);
    if (v != null) {
      v.changed = changed;
      v.problem = problem;
    }
  }

  private final Map<String, KnownHostsServerKeyVerifier> verifiers = new ConcurrentHashMap<>();

  static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    AttributeRepository ctx = session.getConnectionContext();
    SshSettings s = ctx == null ? null : ctx.getAttribute(SETTINGS);
    HostKeyCheck mode = s == null ? HostKeyCheck.STRICT : s.hostKeyCheck();
    if (mode == HostKeyCheck.OFF) {
      return true;
    }
    Path file = s == null || s.knownHostsFile() == null ? defaultKnownHosts() : s.knownHostsFile();
    KnownHostsServerKeyVerifier v = verifier(mode, file);
    synchronized (v) { // it reloads the file when it changes: one check at a time per file
      return v.verifyServerKey(session, remote, key);
    }
  }

  private KnownHostsServerKeyVerifier verifier(HostKeyCheck mode, Path file) {
    return verifiers.computeIfAbsent(mode + "\u0000" + file.toAbsolutePath(), k -> {
      boolean acceptNew = mode == HostKeyCheck.ACCEPT_NEW;
      ServerKeyVerifier unknown = acceptNew ? AcceptAllServerKeyVerifier.INSTANCE : RejectAllServerKeyVerifier.INSTANCE;
      KnownHostsServerKeyVerifier v = new KnownHostsServerKeyVerifier(unknown, file) {
        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
          boolean ok = super.acceptUnknownHostKey(session, remote, key);
          if (!ok) {
            refuse(session, "the host key of " + hostPort(session) + " is not known ("
                + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + " is not in " + file
                + "); check its fingerprint, then trust it with 'ssh-keyscan " + keyscanArgs(session) + " >> " + file
                + "', or set host-key-check: accept-new", false);
          }
          return ok;
        }

        @Override
        protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress remote, PublicKey key,
            Throwable reason) {
          refuse(session, "the host key of " + hostPort(session) + " could not be checked: " + file
              + " could not be read (" + SshErrors.rootMessage(reason) + ")", false);
          return false;
        }
      };
      v.setModifiedServerKeyAcceptor((session, remote, entry, expected, actual) -> {
        refuse(session, "WARNING: the host key of " + hostPort(session) + " has CHANGED (it was "
            + KeyUtils.getFingerPrint(expected) + ", it is now " + KeyUtils.getFingerPrint(actual)
            + "): someone may be intercepting the connection; if the change is expected, remove the old key with "
            + "'ssh-keygen -R " + knownHostsName(session) + " -f " + file + "'", true);
        return false;
      });
      return v;
    });
  }

  private static String hostPort(ClientSession session) {
    return String.valueOf(session.getConnectAddress()).replaceFirst("^/", "");
  }

  private static String knownHostsName(ClientSession session) {
    if (session.getConnectAddress() instanceof java.net.InetSocketAddress a) {
      return a.getPort() == 22 ? a.getHostString() : "'[" + a.getHostString() + "]:" + a.getPort() + "'";
    }
    return hostPort(session);
  }

  private static String keyscanArgs(ClientSession session) {
    if (session.getConnectAddress() instanceof java.net.InetSocketAddress a) {
      return "-p " + a.getPort() + " " + a.getHostString();
    }
    return hostPort(session);
  }
}
