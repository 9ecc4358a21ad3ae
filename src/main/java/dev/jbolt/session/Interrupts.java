package dev.jbolt.session;

import dev.jbolt.exec.Cancellation;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C, SIGTERM and SIGHUP (a closed terminal) during a session, all alike: the first one cancels
 * it (commands are killed, temp dirs removed, a plan's JavaScript stopped, partial results printed,
 * exit 128 + the signal's number: 130, 143, 129); a second one ends the process at once.
 */
public final class Interrupts {
  /** The signals that cancel a run, by name, with their numbers (exit code 128 + number). */
  public static final Map<String, Integer> SIGNALS = Map.of("INT", 2, "TERM", 15, "HUP", 1);

  /** The signal that cancelled this process's run (signals are per process); INT until one did. */
  private static volatile int signal = 2;

  private Interrupts() {}

  /** Installs the handlers; returns the ones they replaced, for {@link #restore}. */
  static Object install(Cancellation cancellation) {
    Map<String, SignalHandler> previous = new LinkedHashMap<>();
    SIGNALS.forEach(
        (name, number) -> {
          try {
            previous.put(
                name,
                Signal.handle(
                    new Signal(name),
                    sig -> {
                      if (cancellation.cancelled()) {
                        Runtime.getRuntime().halt(128 + number);
                      }
                      signal = number;
                      // Off the signal thread: cancelling waits on nothing, but hooks may lock.
                      Thread.ofPlatform().daemon().name("jbolt-cancel").start(cancellation::cancel);
                    }));
          } catch (IllegalArgumentException e) {
            // not on this platform, or the JVM keeps it (-Xrs)
          }
        });
    return previous;
  }

  static void restore(Object previous) {
    if (previous instanceof Map<?, ?> m) {
      m.forEach((name, h) -> Signal.handle(new Signal((String) name), (SignalHandler) h));
    }
  }

  /** The exit code of a cancelled run: 128 + the number of the signal that cancelled it. */
  static int exitCode() {
    return 128 + signal;
  }
}
