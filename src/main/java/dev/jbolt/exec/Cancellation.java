package dev.jbolt.exec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ctrl-C for a whole run: one per session, shared by every executor and plan in it. Cancelling runs
 * each hook (interrupt the actions, stop the plan's JavaScript) and makes every later run fail at
 * once as cancelled.
 */
public final class Cancellation {
  private volatile boolean cancelled;
  private final Set<Runnable> hooks = ConcurrentHashMap.newKeySet();

  public boolean cancelled() {
    return cancelled;
  }

  public void cancel() {
    cancelled = true;
    hooks.forEach(Runnable::run);
  }

  /** Runs {@code hook} on cancel (at once when already cancelled) until the handle is closed. */
  public Registration onCancel(Runnable hook) {
    hooks.add(hook);
    if (cancelled) {
      hook.run();
    }
    return () -> hooks.remove(hook);
  }

  /** A hook's registration; closing it ends it. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
