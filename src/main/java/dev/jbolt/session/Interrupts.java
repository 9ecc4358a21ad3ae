package dev.jbolt.session;

import dev.jbolt.exec.Cancellation;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a session: the first one cancels it (commands are killed, temp dirs removed, a
 * plan's JavaScript stopped, partial results printed, exit 130); a second one ends the process at
 * once.
 */
final class Interrupts {
  private Interrupts() {}

  /** Installs the handler; returns the one it replaced, for {@link #restore}. */
  static Object install(Cancellation cancellation) {
    try {
      return Signal.handle(
          new Signal("INT"),
          sig -> {
            if (cancellation.cancelled()) {
              Runtime.getRuntime().halt(130);
            }
            // Off the signal thread: cancelling waits on nothing, but hooks may take locks.
            Thread.ofPlatform().daemon().name("jbolt-cancel").start(cancellation::cancel);
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
