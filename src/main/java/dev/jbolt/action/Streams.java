package dev.jbolt.action;

import dev.jbolt.inventory.Target;
import dev.jbolt.transport.OutputListener;

/** Gives each target's output to a listener as it arrives (for {@code --stream}). */
public interface Streams {
  OutputListener forTarget(Target t);

  /** The listener for {@code t}, or null without streams. */
  static OutputListener tee(Streams streams, Target t) {
    return streams == null ? null : streams.forTarget(t);
  }
}
