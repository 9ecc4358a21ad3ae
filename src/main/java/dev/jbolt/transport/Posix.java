package dev.jbolt.transport;

import dev.jbolt.JboltException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** POSIX shell quoting: every value reaches the shell single-quoted, never interpreted. */
public final class Posix {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Posix() {}

  /**
   * {@code s} single-quoted. A NUL character cannot reach a shell (it ends the string there), so
   * one is refused rather than cut short.
   */
  public static String quote(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "a value holds a NUL character, which no command line or environment variable can carry");
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  public static String join(List<String> words) {
    return String.join(" ", words.stream().map(Posix::quote).toList());
  }

  /** {@code K='v'; export K; } for each variable: the command after it sees them. */
  public static String exports(Map<String, String> env) {
    StringBuilder sb = new StringBuilder();
    env.forEach(
        (k, v) ->
            sb.append(k).append('=').append(quote(v)).append("; export ").append(k).append("; "));
    return sb.toString();
  }

  /** Bad input when {@code value} holds a NUL character: no shell word can carry one. */
  public static void checkNoNul(String value, String what) {
    if (value.indexOf('\0') >= 0) {
      throw new JboltException(
          what + " holds a NUL character, which no command line or environment variable can carry");
    }
  }

  public static void checkEnvName(String name, String what) {
    if (!ENV_NAME.matcher(name).matches()) {
      throw new JboltException(what + ": '" + name + "' is not a valid environment variable name");
    }
  }
}
