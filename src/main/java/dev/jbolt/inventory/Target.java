package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import dev.jbolt.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One target as the inventory resolves it: its name, URI, aliases, merged data and the groups it
 * belongs to. Transport settings come from {@link #transportConfig()}, with the URI's parts winning
 * over {@code config}, as in Bolt.
 */
public record Target(
    String name, String uri, List<String> aliases, Data data, List<String> groups) {
  /** The transports jbolt has. */
  public static final List<String> TRANSPORTS = List.of("ssh", "local", "podman", "docker");

  public Map<String, Object> config() {
    return data.config();
  }

  public Map<String, Object> vars() {
    return data.vars();
  }

  public Map<String, Object> facts() {
    return data.facts();
  }

  public Set<String> features() {
    return data.features();
  }

  private TargetUri parsedUri() {
    if (uri != null) {
      return TargetUri.parse(uri);
    }
    try {
      return TargetUri.parse(name);
    } catch (JboltException e) {
      return new TargetUri(null, null, null, "", null); // a label; the host comes from config
    }
  }

  /** {@code ssh} unless the URI's scheme or {@code config.transport} says otherwise. */
  public String transport() {
    TargetUri u = parsedUri();
    if (u.transport() != null) {
      return u.transport();
    }
    Object t = config().get("transport");
    return t == null ? "ssh" : String.valueOf(t);
  }

  /** The config map of this target's transport, with host, port, user and password from the URI. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> transportConfig() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (config().get(transport()) instanceof Map<?, ?> m) {
      out.putAll((Map<String, Object>) m);
    }
    TargetUri u = parsedUri();
    if (!u.host().isEmpty() && (uri != null || !out.containsKey("host"))) {
      out.put("host", u.host());
    }
    if (u.port() != null) {
      out.put("port", u.port());
    }
    if (u.user() != null) {
      out.put("user", u.user());
    }
    if (u.password() != null) {
      out.put("password", u.password());
    }
    return out;
  }

  public String host() {
    Object h = transportConfig().get("host");
    return h == null ? name : String.valueOf(h);
  }

  /** The name, or the URI without its password: what output shows. */
  public String safeName() {
    return TargetUri.safe(name);
  }

  /** This target's name as one local file name: see {@link #fileName(String)}. */
  public String fileName() {
    return fileName(safeName());
  }

  /**
   * A target name as one local file name, for DEST/&lt;target&gt;/ directories: URL-encoded (as
   * Bolt does), so never holding a slash or NUL; never empty, {@code .} or {@code ..} (dots are
   * then encoded, which URL-encoding never does itself), and at most 200 bytes (longer ones keep a
   * prefix and a digest of the whole name). Different names give different file names.
   */
  public static String fileName(String name) {
    String enc = URLEncoder.encode(name, StandardCharsets.UTF_8);
    if (enc.isEmpty()) {
      return "%empty";
    }
    if (enc.chars().allMatch(c -> c == '.')) {
      return enc.replace(".", "%2E");
    }
    if (enc.length() > 200) { // URL-encoded: ASCII, so characters are bytes
      try {
        byte[] d =
            MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        return enc.substring(0, 150) + "~" + HexFormat.of().formatHex(d, 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return enc;
  }

  /** Config with every secret value masked, for display. */
  public static Object masked(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) ->
              out.put(
                  String.valueOf(k),
                  isSecretKey(String.valueOf(k)) && v != null ? Secret.MASK : masked(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(Target::masked).toList();
    }
    return value;
  }

  public static boolean isSecretKey(String key) {
    return key.equals("password")
        || key.equals("sudo-password")
        || key.equals("key-data")
        || key.endsWith("-password")
        || key.equals("passphrase");
  }
}
