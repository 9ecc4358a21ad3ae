package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [transport://][user[:password]@]host[:port]}, Bolt's target URI; missing parts are null.
 */
public record TargetUri(String transport, String user, String password, String host, Integer port) {
  private static final Pattern URI =
      Pattern.compile(
          "(?:(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://)?"
              + "(?:(?<user>[^:@/]*)(?::(?<pass>[^@/]*))?@)?"
              + "(?<host>\\[[0-9a-fA-F:.]+\\]|[^:/@\\[\\]]*)"
              + "(?::(?<port>\\d{1,5}))?/?");
  private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  private static final Pattern PASSWORD =
      Pattern.compile("^((?:[a-zA-Z][a-zA-Z0-9+.-]*://)?[^:@/]*):[^@/]*@");

  public static boolean hasScheme(String s) {
    return SCHEME.matcher(s).matches();
  }

  public static TargetUri parse(String s) {
    if (plainHost(s)) {
      return new TargetUri(null, null, null, s, null); // most names: no regex for them
    }
    return parsePattern(s);
  }

  /** {@link #parse} by the pattern alone (its tests compare the two). */
  static TargetUri parsePattern(String s) {
    Matcher m = URI.matcher(s);
    if (!m.matches()) {
      throw new JboltException("invalid target URI '" + s + "'");
    }
    String host = m.group("host");
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    String scheme = m.group("scheme") == null ? null : m.group("scheme").toLowerCase();
    if (host.isEmpty() && !"local".equals(scheme)) {
      throw new JboltException("target URI '" + s + "' has no host");
    }
    Integer port = null;
    if (m.group("port") != null) {
      port = Integer.parseInt(m.group("port"));
      if (port < 1 || port > 65535) {
        throw new JboltException("target URI '" + s + "': port " + port + " is out of range");
      }
    }
    return new TargetUri(scheme, decode(m.group("user")), decode(m.group("pass")), host, port);
  }

  /** A name with none of {@code :/@[]}: all host, as the pattern would find. */
  private static boolean plainHost(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      switch (s.charAt(i)) {
        case ':', '/', '@', '[', ']' -> {
          return false;
        }
        default -> {}
      }
    }
    return true;
  }

  private static String decode(String s) {
    return s == null || s.isEmpty() ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URI with the password left out, safe to print. */
  public static String safe(String uri) {
    // a name without '@' has no password: most names, so no regex for them
    return uri == null || uri.indexOf('@') < 0 ? uri : PASSWORD.matcher(uri).replaceFirst("$1@");
  }
}
