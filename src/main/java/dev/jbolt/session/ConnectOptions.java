package dev.jbolt.session;

import dev.jbolt.JboltException;
import dev.jbolt.Secrets;
import java.util.Map;

/**
 * How to reach targets, from the command line: the config it lays under each target's (by transport
 * name: {@code ssh}, {@code local}, {@code transport}), and the run-wide knobs of the connection
 * pool.
 */
public record ConnectOptions(
    Map<String, Object> config, int connectRetries, int connectConcurrency, boolean reuse) {
  public static final ConnectOptions DEFAULT = new ConnectOptions(Map.of(), 2, 8, true);

  /**
   * Remembers the passwords given on the command line or prompted for (--password, --sudo-password)
   * as secrets of this run only.
   */
  void rememberGiven(Secrets secrets) {
    rememberGiven(secrets, config);
  }

  private static void rememberGiven(Secrets secrets, Map<String, Object> config) {
    config.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) m;
            rememberGiven(secrets, nested);
          } else if ((k.equals("password") || k.equals("sudo-password")) && v instanceof String s) {
            secrets.rememberTransient(s);
          }
        });
  }

  /** Bad numbers are bad input, before any connection. */
  void check() {
    if (connectRetries < 0 || connectConcurrency < 1) {
      throw new JboltException(
          "--connect-retries must be 0 or more and --connect-concurrency 1 or more");
    }
  }
}
