package dev.jbolt.transport.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.KnownHostEntry;

/**
 * One parsed known_hosts line: its marker (null, "revoked" or "cert-authority"), host patterns and
 * key ({@link HostKeys}).
 */
record KnownHostLine(KnownHostEntry entry, String marker, String patterns, PublicKey key) {
  /** A name the host is known by, and its port. */
  record HostPort(String host, int port) {}

  /**
   * As OpenSSH matches: the name is {@code host}, or {@code [host]:port} off port 22, against
   * comma-separated globs ({@code *}, {@code ?}, {@code !} negates), case-insensitively; a hashed
   * name against its HMAC.
   */
  boolean matches(List<HostPort> names) {
    return names.stream().anyMatch(n -> matches(n.host(), n.port()));
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
