package dev.jbolt.transport.ssh;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * One parsed known_hosts line: its marker (null, "revoked" or "cert-authority"), host patterns and
 * key ({@link HostKeys}). The key is decoded the first time a check asks for it, which is only
 * after the line's hosts matched: an Ed25519 key's decoding is a point decompression, and a
 * known_hosts of 500 hosts would otherwise cost 500 of them before the first connection's check.
 */
final class KnownHostLine {
  /** A name the host is known by, and its port. */
  record HostPort(String host, int port) {}

  private final KnownHostEntry entry;
  private final String marker;
  private final String patterns;
  private volatile PublicKey key;
  private volatile boolean decoded;

  KnownHostLine(KnownHostEntry entry, String marker, String patterns) {
    this.entry = entry;
    this.marker = marker;
    this.patterns = patterns;
  }

  String marker() {
    return marker;
  }

  /** The line's key; null for a key type jbolt does not know or a garbled key (skipped, as ssh). */
  PublicKey key() {
    if (!decoded) {
      try {
        key = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        key = null;
      }
      decoded = true;
    }
    return key;
  }

  /**
   * As OpenSSH matches: the name is {@code host}, or {@code [host]:port} off port 22, against
   * comma-separated globs ({@code *}, {@code ?}, {@code !} negates), case-insensitively; a hashed
   * name against its HMAC.
   */
  boolean matches(List<HostPort> names) {
    return names.stream().anyMatch(n -> matches(n.host(), n.port()));
  }

  /**
   * The names this line lists, lower-cased, when it lists them plainly (not hashed, no wildcard or
   * negation): the line matches exactly those names. Null otherwise.
   */
  List<String> plainNames() {
    if (entry.getHashedEntry() != null
        || patterns.chars().anyMatch(c -> c == '*' || c == '?' || c == '!')) {
      return null;
    }
    return List.of(patterns.toLowerCase(Locale.ROOT).split(","));
  }

  boolean matches(String host, int port) {
    if (entry.getHashedEntry() != null) {
      return entry.isHostMatch(host, port);
    }
    String name = (port == 22 ? host : "[" + host + "]:" + port).toLowerCase(Locale.ROOT);
    boolean matched = false;
    for (String p : patterns.toLowerCase(Locale.ROOT).split(",")) {
      boolean negated = p.startsWith("!");
      if (glob(negated ? p.substring(1) : p, 0, name, 0)) {
        if (negated) {
          return false;
        }
        matched = true;
      }
    }
    return matched;
  }

  private static boolean glob(String p, int i, String s, int j) {
    if (i == p.length()) {
      return j == s.length();
    }
    char c = p.charAt(i);
    if (c == '*') {
      for (int k = j; k <= s.length(); k++) {
        if (glob(p, i + 1, s, k)) {
          return true;
        }
      }
      return false;
    }
    return j < s.length() && (c == '?' || c == s.charAt(j)) && glob(p, i + 1, s, j + 1);
  }
}
