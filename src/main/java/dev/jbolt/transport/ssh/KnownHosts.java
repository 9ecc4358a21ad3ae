package dev.jbolt.transport.ssh;

import dev.jbolt.transport.ssh.SshSettings.HostKeyCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * How a target's host key is checked, as OpenSSH decides it: the inventory's {@code host-key-check}
 * and {@code known-hosts-file} first, then ~/.ssh/config's {@code StrictHostKeyChecking}, {@code
 * UserKnownHostsFile} and {@code GlobalKnownHostsFile}, then OpenSSH's defaults (strict;
 * ~/.ssh/known_hosts, then /etc/ssh/ssh_known_hosts). A key is known when any of {@code files} has
 * it; a new one is recorded in the first.
 */
record KnownHosts(HostKeyCheck mode, List<Path> files) {
  static final Path GLOBAL = Path.of("/etc/ssh/ssh_known_hosts");

  /** The file a new key goes to, and that messages name. */
  Path first() {
    return files.get(0);
  }

  static KnownHosts of(SshSettings s, HostConfigEntry entry) {
    HostKeyCheck mode = s == null ? null : s.hostKeyCheck();
    if (mode == null) {
      mode = strict(property(entry, "StrictHostKeyChecking"));
    }
    List<Path> files = new ArrayList<>();
    if (s != null && s.knownHostsFile() != null) {
      files.add(s.knownHostsFile());
    } else {
      String user = property(entry, "UserKnownHostsFile");
      if (user == null) {
        files.add(HostKeys.defaultKnownHosts());
      } else {
        paths(user, files);
      }
      String global = property(entry, "GlobalKnownHostsFile");
      if (global == null) {
        files.add(GLOBAL);
      } else {
        paths(global, files);
      }
    }
    return new KnownHosts(mode, List.copyOf(files));
  }

  private static String property(HostConfigEntry entry, String name) {
    String v = entry == null ? null : entry.getProperty(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** ssh_config's values: yes and ask (no one to ask here) are strict; no and off, no check. */
  private static HostKeyCheck strict(String v) {
    return switch (v == null ? "yes" : v.toLowerCase(Locale.ROOT)) {
      case "accept-new" -> HostKeyCheck.ACCEPT_NEW;
      case "no", "off" -> HostKeyCheck.OFF;
      default -> HostKeyCheck.STRICT;
    };
  }

  /** Space-separated files, with ~, %d (home) and %u (user) as ssh expands them; "none": none. */
  private static void paths(String value, List<Path> out) {
    String home = System.getProperty("user.home");
    for (String f : value.split("[\\s,]+")) { // MINA joins several values with commas
      if (f.equalsIgnoreCase("none")) {
        continue;
      }
      String p =
          SshSettings.expandHome(f)
              .replace("%d", home)
              .replace("%u", System.getProperty("user.name"))
              .replace("%%", "%");
      out.add(Path.of(p));
    }
    if (out.isEmpty()) {
      out.add(Path.of("/dev/null"));
    }
  }
}
