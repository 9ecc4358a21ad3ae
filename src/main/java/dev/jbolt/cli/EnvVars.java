package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.transport.Posix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --env-var K=V} values, checked. */
final class EnvVars {
  private EnvVars() {}

  static Map<String, String> parse(List<String> pairs) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new JboltException("--env-var '" + pair + "' must be NAME=VALUE");
      }
      String name = pair.substring(0, eq);
      Posix.checkEnvName(name, "--env-var");
      Posix.checkNoNul(pair, "--env-var " + name);
      env.put(name, pair.substring(eq + 1));
    }
    return env;
  }
}
