package dev.jbolt.transport.ssh;

import dev.jbolt.Log;
import dev.jbolt.transport.ssh.KnownHostLine.HostPort;
import dev.jbolt.transport.ssh.SshSettings.HostKeyCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Host key checking against known_hosts, per target, read as OpenSSH reads it: hashed and {@code
 * [host]:port} entries, {@code @revoked} keys (refused in every mode, loudly) and
 * {@code @cert-authority} lines (host certificates their CA signed are trusted; MINA has checked
 * the certificate's signature, type, validity and host names during the key exchange). Strict by
 * default (an unknown host fails); {@code accept-new} records new keys as OpenSSH does; {@code
 * false} accepts anything. A changed key (a known host, same key type, another key) always fails.
 * MINA's own default, accept-all, is never used.
 */
final class HostKeys implements ServerKeyVerifier {
  /** The target's settings, carried in the connection context of its session. */
  static final AttributeKey<SshSettings> SETTINGS = new AttributeKey<>();

  /** How the host key is checked, with ~/.ssh/config read (see {@link KnownHosts}). */
  static final AttributeKey<KnownHosts> KNOWN = new AttributeKey<>();

  /**
   * The host name and port the target was asked for (after ~/.ssh/config), in the connection
   * context: through a jump host the session's own addresses are a local tunnel's.
   */
  static final AttributeKey<SshdSocketAddress> TARGET = new AttributeKey<>();

  /** Where the check of one connection attempt says what it found, in its connection context. */
  static final AttributeKey<Verdict> VERDICT = new AttributeKey<>();

  /** What a refusal was, for the error's kind. */
  enum Refusal {
    UNKNOWN,
    CHANGED,
    REVOKED
  }

  /**
   * Why a key was refused, for the error message. Kept apart from the session, which a failed key
   * exchange can leave out of the connect's result.
   */
  static final class Verdict {
    volatile String problem;
    volatile Refusal refusal;
  }

  private static boolean refuse(ClientSession session, Refusal refusal, String problem) {
    ConnectionContext.log(session).debug(problem);
    AttributeRepository ctx = session.getConnectionContext();
    Verdict v = ctx == null ? null : ctx.getAttribute(VERDICT);
    if (v != null) {
      v.refusal = refusal;
      v.problem = problem;
    }
    return false;
  }

  /** The files as read (each is read again when it changes). */
  private final Map<Path, KnownHostsFile> files = new ConcurrentHashMap<>();

  static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /**
   * OpenSSH's order: host-key-check off accepts; an unreadable file refuses; a revoked key (or its
   * certificate's authority) refuses; a certificate of a trusted authority or a known key accepts;
   * another key of the same type for the host refuses (changed); accept-new records a new key; else
   * the key is unknown and refused.
   */
  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    AttributeRepository ctx = session.getConnectionContext();
    SshSettings s = ctx == null ? null : ctx.getAttribute(SETTINGS);
    KnownHosts known = ctx == null ? null : ctx.getAttribute(KNOWN);
    if (known == null) {
      known = KnownHosts.of(s, null);
    }
    Log log = ConnectionContext.log(session);
    if (known.mode() == HostKeyCheck.OFF) {
      log.debug(
          "host key of " + remote + ": " + describe(key) + ", not checked (host-key-check off)");
      return true;
    }
    List<HostPort> names = names(session, remote);
    Path file = known.first();
    List<KnownHostLine> lines = new ArrayList<>(); // those that match the names, in file order
    try {
      for (Path f : known.files()) {
        file = f;
        lines.addAll(lines(f, names));
      }
      file = known.first();
    } catch (IOException | RuntimeException e) {
      return refuse(
          session,
          Refusal.UNKNOWN,
          "the host key of "
              + hostPort(names)
              + " could not be checked: "
              + file
              + " could not be read ("
              + SshErrors.rootMessage(e)
              + ")");
    }
    OpenSshCertificate cert = key instanceof OpenSshCertificate c ? c : null;
    PublicKey plain = cert == null ? key : cert.getCertPubKey();
    String revoked = revoked(lines, names, cert, plain, file);
    if (revoked != null) {
      return refuse(session, Refusal.REVOKED, revoked);
    }
    if (trusted(lines, names, cert, plain, file, log)) {
      return true;
    }
    String changed = changed(lines, names, plain, file);
    if (changed != null) {
      return refuse(session, Refusal.CHANGED, changed);
    }
    if (known.mode() == HostKeyCheck.ACCEPT_NEW) {
      return recordNew(session, names, plain, file);
    }
    return refuse(session, Refusal.UNKNOWN, unknown(names, cert, plain, file));
  }

  /** Why the key, or its certificate's authority, is refused as @revoked; null when it is not. */
  private static String revoked(
      List<KnownHostLine> lines,
      List<HostPort> names,
      OpenSshCertificate cert,
      PublicKey plain,
      Path file) {
    for (PublicKey k : cert == null ? List.of(plain) : List.of(plain, cert.getCaPubKey())) {
      if (find(lines, "revoked", k)) {
        return "the host key of "
            + hostPort(names)
            + " ("
            + (k == plain ? "" : "the certificate authority ")
            + describe(k)
            + ") is REVOKED in "
            + file
            + " (@revoked): refusing to connect; someone may be using a stolen key";
      }
    }
    return null;
  }

  /** Whether a @cert-authority line trusts the certificate's authority, or a line knows the key. */
  private static boolean trusted(
      List<KnownHostLine> lines,
      List<HostPort> names,
      OpenSshCertificate cert,
      PublicKey plain,
      Path file,
      Log log) {
    if (cert != null && find(lines, "cert-authority", cert.getCaPubKey())) {
      log.debug(
          "host key of " + hostPort(names) + ": a certificate of a trusted authority in " + file);
      return true; // MINA checked the certificate itself during the key exchange
    }
    if (lines.stream()
        .filter(l -> l.marker() == null && l.key() != null)
        .anyMatch(l -> KeyUtils.compareKeys(l.key(), plain))) {
      log.debug("host key of " + hostPort(names) + ": " + describe(plain) + ", known in " + file);
      return true;
    }
    return false;
  }

  /** The warning for another key of the same type known for the host; null when there is none. */
  private static String changed(
      List<KnownHostLine> lines, List<HostPort> names, PublicKey plain, Path file) {
    for (KnownHostLine l : lines) {
      if (l.marker() == null
          && l.key() != null
          && KeyUtils.getKeyType(l.key()).equals(KeyUtils.getKeyType(plain))) {
        return "WARNING: the host key of "
            + hostPort(names)
            + " has CHANGED (it was "
            + KeyUtils.getFingerPrint(l.key())
            + ", it is now "
            + KeyUtils.getFingerPrint(plain)
            + "): someone may be intercepting the connection; if the change is expected, remove"
            + " the old key with 'ssh-keygen -R "
            + knownHostsName(names)
            + " -f "
            + file
            + "'";
      }
    }
    return null;
  }

  /** accept-new: records the key in {@code file}; refuses when it cannot. */
  private boolean recordNew(
      ClientSession session, List<HostPort> names, PublicKey plain, Path file) {
    try {
      record(file, knownHostsName(names).replace("'", "") + " " + PublicKeyEntry.toString(plain));
      ConnectionContext.log(session)
          .debug(
              "host key of "
                  + hostPort(names)
                  + ": "
                  + describe(plain)
                  + ", new: recorded in "
                  + file);
      return true;
    } catch (IOException | RuntimeException e) {
      return refuse(
          session,
          Refusal.UNKNOWN,
          "the new host key of "
              + hostPort(names)
              + " could not be recorded in "
              + file
              + ": "
              + SshErrors.rootMessage(e));
    }
  }

  /** Why an unknown key is refused, and how to trust it. */
  private static String unknown(
      List<HostPort> names, OpenSshCertificate cert, PublicKey plain, Path file) {
    String what =
        cert == null
            ? ""
            : " (a host certificate whose authority, "
                + describe(cert.getCaPubKey())
                + ", no @cert-authority line trusts)";
    return "the host key of "
        + hostPort(names)
        + " is not known ("
        + describe(plain)
        + what
        + " is not in "
        + file
        + "); check its fingerprint, then trust it with 'ssh-keyscan "
        + keyscanArgs(names)
        + " >> "
        + file
        + "', or run with --host-key-check accept-new (host-key-check: accept-new in the"
        + " inventory) to record it";
  }

  private static boolean find(List<KnownHostLine> lines, String marker, PublicKey key) {
    return lines.stream()
        .anyMatch(
            l ->
                marker.equals(l.marker()) && l.key() != null && KeyUtils.compareKeys(l.key(), key));
  }

  /**
   * The names to look the host up by: where the session connected (through a jump host, the target
   * itself), and the address the key came from.
   */
  private static List<HostPort> names(ClientSession session, SocketAddress remote) {
    List<HostPort> out = new ArrayList<>();
    AttributeRepository ctx = session.getConnectionContext();
    SocketAddress target = ctx == null ? null : ctx.getAttribute(TARGET);
    for (SocketAddress a : new SocketAddress[] {target, session.getConnectAddress(), remote}) {
      HostPort hp =
          a instanceof InetSocketAddress i
              ? new HostPort(i.getHostString(), i.getPort())
              : a instanceof SshdSocketAddress d
                  ? new HostPort(d.getHostName(), d.getPort())
                  : null;
      if (hp != null && !out.contains(hp)) {
        out.add(hp);
      }
    }
    return out;
  }

  private static String describe(PublicKey k) {
    return KeyUtils.getKeyType(k) + " " + KeyUtils.getFingerPrint(k);
  }

  /**
   * The file's lines that match the names, in its order; the file is read once for as long as it
   * does not change, by one connection while the others wait for it.
   */
  private List<KnownHostLine> lines(Path file, List<HostPort> names) throws IOException {
    BasicFileAttributes at;
    try {
      at = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    KnownHostsFile f = files.get(file);
    if (f == null || !f.current(at)) {
      synchronized (files) {
        f = files.get(file);
        if (f == null || !f.current(at)) {
          f = KnownHostsFile.read(file, at);
          files.put(file, f);
        }
      }
    }
    return f.matching(names);
  }

  /** Appends a line to known_hosts (accept-new), one writer at a time. */
  private synchronized void record(Path file, String line) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    String text = Files.exists(file) ? Files.readString(file) : "";
    String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
    Files.writeString(
        file,
        sep + line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static String hostPort(List<HostPort> names) {
    return names.isEmpty() ? "the host" : names.get(0).host() + ":" + names.get(0).port();
  }

  private static String knownHostsName(List<HostPort> names) {
    HostPort n = names.isEmpty() ? new HostPort("HOST", 22) : names.get(0);
    return n.port() == 22 ? n.host() : "'[" + n.host() + "]:" + n.port() + "'";
  }

  private static String keyscanArgs(List<HostPort> names) {
    HostPort n = names.isEmpty() ? new HostPort("HOST", 22) : names.get(0);
    return "-p " + n.port() + " " + n.host();
  }
}
