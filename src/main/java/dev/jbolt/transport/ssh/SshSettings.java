package dev.jbolt.transport.ssh;

import dev.jbolt.JboltException;
import dev.jbolt.Secret;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.config.hosts.DefaultConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * The {@code config.ssh} of one target, checked: every bad value fails here, before any connection,
 * naming the target and the key. Null means "not set": ~/.ssh/config or the defaults decide.
 */
public record SshSettings(
    String target,
    String host,
    Integer port,
    String user,
    Secret password,
    String privateKeyPath,
    Secret privateKeyData,
    HostKeyCheck hostKeyCheck,
    Path knownHostsFile,
    long connectTimeoutMillis,
    boolean loadConfig,
    String proxyJump,
    int maxChannels,
    long aliveIntervalMillis,
    int aliveCountMax,
    boolean keptShell,
    Algorithms algorithms) {

  public static final int DEFAULT_MAX_CHANNELS = 8;
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;

  /**
   * A keepalive every 15 s, and the connection is given up after 3 unanswered: a target whose
   * network went away is reported within a minute instead of after TCP's quarter of an hour.
   */
  public static final long DEFAULT_ALIVE_INTERVAL_MILLIS = 15_000;

  public static final int DEFAULT_ALIVE_COUNT_MAX = 3;

  /** {@code host-key-check}: true (strict, the default), false, or {@code accept-new}. */
  public enum HostKeyCheck {
    STRICT,
    ACCEPT_NEW,
    OFF
  }

  /** The keys Bolt's ssh transport takes (and a few of jbolt's), known so typos can warn. */
  public static final Set<String> KEYS =
      Set.of(
          "host",
          "port",
          "user",
          "password",
          "private-key",
          "host-key-check",
          "known-hosts-file",
          "connect-timeout",
          "disconnect-timeout",
          "run-as",
          "sudo-password",
          "tmpdir",
          "load-config",
          "proxyjump",
          "max-channels",
          "interpreters",
          "cleanup",
          "tty",
          "script-dir",
          "run-as-command",
          "sudo-executable",
          "encryption-algorithms",
          "host-key-algorithms",
          "kex-algorithms",
          "mac-algorithms",
          "extensions",
          "login-shell",
          "server-alive-interval",
          "server-alive-count-max",
          "kept-shell",
          "native-ssh",
          "ssh-command",
          "copy-command",
          "batch-mode");

  /**
   * Bolt's ssh settings that jbolt takes but cannot honour, with the reason, for a warning; a value
   * that asks for what jbolt does anyway (tty: false, native-ssh: false, batch-mode: true) is not
   * worth one.
   */
  public static String notHonoured(String key, Object value) {
    String v = String.valueOf(value);
    return switch (key) {
      case "tty" -> v.equals("false") ? null : "jbolt runs commands without a terminal";
      case "native-ssh" ->
          v.equals("false") ? null : "jbolt always uses its own SSH client, one session per target";
      case "ssh-command", "copy-command" ->
          "jbolt always uses its own SSH client, one session per target";
      case "batch-mode" ->
          v.equals("true") ? null : "jbolt never asks for SSH passwords or host keys interactively";
      case "extensions" -> "it is for Windows targets";
      case "disconnect-timeout" ->
          "jbolt closes its sessions at the end of the run without waiting";
      default -> null;
    };
  }

  public static SshSettings of(Target t) {
    Map<String, Object> c = t.transportConfig();
    String where = "target '" + t.safeName() + "': ssh.";
    Object shell = c.get("login-shell");
    if (shell != null && !shell.equals("bash") && !shell.equals("sh")) {
      throw new JboltException(
          where
              + "login-shell "
              + shell
              + " is not supported: jbolt runs commands in a POSIX shell (login-shell: bash)");
    }
    Object key = c.get("private-key");
    String keyPath = null;
    Secret keyData = null;
    if (key instanceof Map<?, ?> m) {
      if (!(m.get("key-data") instanceof String data)) {
        throw new JboltException(where + "private-key must be a path or a map with 'key-data'");
      }
      keyData = new Secret(data);
    } else if (key != null) {
      keyPath = expandHome(String.valueOf(key));
    }
    Integer port = c.get("port") == null ? null : integer(c.get("port"), where + "port", 1, 65535);
    return new SshSettings(
        t.safeName(),
        t.host(),
        port,
        c.get("user") == null ? null : String.valueOf(c.get("user")),
        Secret.of(c.get("password")),
        keyPath,
        keyData,
        hostKeyCheck(c.get("host-key-check"), where),
        c.get("known-hosts-file") == null
            ? null
            : Path.of(expandHome(String.valueOf(c.get("known-hosts-file")))),
        c.get("connect-timeout") == null
            ? DEFAULT_CONNECT_TIMEOUT_MILLIS
            : (long) Math.ceil(seconds(c.get("connect-timeout"), where + "connect-timeout") * 1000),
        bool(c.getOrDefault("load-config", true), where + "load-config"),
        c.get("proxyjump") == null ? null : String.valueOf(c.get("proxyjump")),
        c.get("max-channels") == null
            ? DEFAULT_MAX_CHANNELS
            : integer(c.get("max-channels"), where + "max-channels", 1, 1000),
        aliveInterval(c.get("server-alive-interval"), where + "server-alive-interval"),
        c.get("server-alive-count-max") == null
            ? DEFAULT_ALIVE_COUNT_MAX
            : integer(c.get("server-alive-count-max"), where + "server-alive-count-max", 1, 1000),
        bool(c.getOrDefault("kept-shell", true), where + "kept-shell"),
        Algorithms.of(c, where));
  }

  /**
   * How long a session may stay silent (no answer, no output) before the keepalives give it up:
   * {@code server-alive-interval} x ({@code server-alive-count-max} + 1); 0 when they are off.
   */
  long silenceLimitMillis() {
    return aliveIntervalMillis * (aliveCountMax + 1L);
  }

  /** Seconds between keepalives; 0 turns them off. */
  private static long aliveInterval(Object v, String what) {
    if (v == null) {
      return DEFAULT_ALIVE_INTERVAL_MILLIS;
    }
    if (v instanceof Number n && n.doubleValue() == 0 || "0".equals(String.valueOf(v).strip())) {
      return 0;
    }
    return (long) Math.ceil(seconds(v, what) * 1000);
  }

  /** Null when not set: ~/.ssh/config's StrictHostKeyChecking decides (see KnownHosts). */
  private static HostKeyCheck hostKeyCheck(Object v, String where) {
    if (v == null) {
      return null;
    }
    if (Boolean.TRUE.equals(v) || "true".equals(v) || "yes".equals(v)) {
      return HostKeyCheck.STRICT;
    }
    if (Boolean.FALSE.equals(v) || "false".equals(v) || "no".equals(v)) {
      return HostKeyCheck.OFF;
    }
    if ("accept-new".equals(v)) {
      return HostKeyCheck.ACCEPT_NEW;
    }
    throw new JboltException(
        where + "host-key-check must be true, false or accept-new, not '" + v + "'");
  }

  static String expandHome(String p) {
    return p.equals("~") || p.startsWith("~/")
        ? System.getProperty("user.home") + p.substring(1)
        : p;
  }

  /**
   * A whole number in [min, max], whatever its size as written (never wrapped round into range).
   */
  static int integer(Object v, String what, int min, int max) {
    if (v instanceof Integer
        || v instanceof Long) { // YAML's: no BigDecimal (its set-up is ~8 ms cold)
      long l = ((Number) v).longValue();
      if (l < min || l > max) {
        throw new JboltException(what + " must be between " + min + " and " + max + ", not " + l);
      }
      return (int) l;
    }
    BigDecimal n;
    try {
      n = new BigDecimal(String.valueOf(v).strip());
    } catch (NumberFormatException e) {
      throw new JboltException(what + " must be a whole number, not '" + v + "'");
    }
    if (n.stripTrailingZeros().scale() > 0) {
      throw new JboltException(what + " must be a whole number, not '" + v + "'");
    }
    if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new JboltException(
          what + " must be between " + min + " and " + max + ", not " + n.toPlainString());
    }
    return n.intValueExact();
  }

  static double seconds(Object v, String what) {
    double d;
    try {
      d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).strip());
    } catch (NumberFormatException e) {
      throw new JboltException(what + " must be a number of seconds, not '" + v + "'");
    }
    if (!(d > 0) || d > 86_400) {
      throw new JboltException(what + " must be more than 0 and at most 86400 seconds, not " + v);
    }
    return d;
  }

  static boolean bool(Object v, String what) {
    if (v instanceof Boolean b) {
      return b;
    }
    return switch (String.valueOf(v)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw new JboltException(what + " must be true or false, not '" + v + "'");
    };
  }

  /** ~/.ssh/config (unless {@code load-config: false}) with the inventory's values laid over it. */
  HostConfigEntry hostEntry() throws TransportException {
    HostConfigEntry entry = null;
    if (loadConfig()) {
      try {
        entry =
            DefaultConfigFileHostEntryResolver.INSTANCE.resolveEffectiveHost(
                host(), port() == null ? 0 : port(), null, user(), proxyJump(), null);
      } catch (IOException | RuntimeException e) {
        throw new TransportException(
            ErrorKind.CONNECT_ERROR, "cannot read ~/.ssh/config: " + SshErrors.rootMessage(e), e);
      }
    }
    if (entry == null) {
      entry = new HostConfigEntry("", host(), port() == null ? 22 : port(), user());
    }
    if (entry.getHostName() == null || entry.getHostName().isEmpty()) {
      entry.setHostName(host());
    }
    if (port() != null) {
      entry.setPort(port());
    } else if (entry.getPort() <= 0) {
      entry.setPort(22);
    }
    if (user() != null) {
      entry.setUsername(user());
    } else if (entry.getUsername() == null || entry.getUsername().isEmpty()) {
      entry.setUsername(System.getProperty("user.name"));
    }
    if (proxyJump() != null) {
      entry.setProxyJump(proxyJump());
    }
    return entry;
  }
}
