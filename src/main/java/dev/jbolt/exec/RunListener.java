package dev.jbolt.exec;

import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;

/** Subscribes to a run's events: output renderers, progress, the rerun file. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void started(Target target) {}

  default void finished(Result result) {}
}
