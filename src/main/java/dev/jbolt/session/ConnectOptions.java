package dev.jbolt.session;

import java.util.Map;

/**
 * How to reach targets, from the command line: the config it lays under each target's (by transport
 * name: {@code ssh}, {@code local}, {@code transport}), and the run-wide knobs of the connection
 * pool.
 */
public record ConnectOptions(
    Map<String, Object> config, int connectRetries, int connectConcurrency, boolean reuse) {
  public static final ConnectOptions DEFAULT = new ConnectOptions(Map.of(), 2, 8, true);
}
