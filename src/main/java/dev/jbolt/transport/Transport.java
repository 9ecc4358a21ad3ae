package dev.jbolt.transport;

import dev.jbolt.inventory.Target;

/** Makes connections to targets of one kind; holds them (a pool) until closed. */
public interface Transport extends AutoCloseable {
  /** The connection to {@code target}, the same object for every call during the run. */
  Connection connection(Target target);

  @Override
  void close();
}
