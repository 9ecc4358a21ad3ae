package dev.jbolt.exec;

import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;
import java.util.List;

/** Subscribes to a run's events: output renderers, progress, the rerun file. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void started(Target target) {}

  /** The target's connection is up (made or reused); its action starts. */
  default void connected(Target target) {}

  default void finished(Result result) {}

  /** All of {@code listeners}, in order. */
  static RunListener all(List<RunListener> listeners) {
    return new RunListener() {
      @Override
      public void started(Target target) {
        listeners.forEach(l -> l.started(target));
      }

      @Override
      public void connected(Target target) {
        listeners.forEach(l -> l.connected(target));
      }

      @Override
      public void finished(Result result) {
        listeners.forEach(l -> l.finished(result));
      }
    };
  }
}
