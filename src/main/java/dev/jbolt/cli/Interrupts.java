package dev.jbolt.cli;

import dev.jbolt.exec.Executor;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a run: the first one cancels it (commands are killed, temp dirs removed, partial
 * results printed, exit 130); a second one ends the process at once.
 */
final class Interrupts {
  private Interrupts() {}

  static Object install(Executor executor) {
    try {
      return Signal.handle(new Signal("INT"), sig -> {
        if (executor.cancelled()) {
          Runtime.getRuntime().halt(Main.INTERRUPTED);
        }
        executor.cancel();
      });
    } catch (IllegalArgumentException e) {
      return null; // no SIGINT on this platform
    }
  }

  static void restore(Object previous) {
    if (previous instanceof SignalHandler h) {
      Signal.handle(new Signal("INT"), h);
    }
  }
}
