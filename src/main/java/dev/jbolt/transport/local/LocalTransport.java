package dev.jbolt.transport.local;

import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.Transport;

/**
 * Runs on this machine through {@code /bin/sh -c}; every target shares one stateless connection.
 */
public final class LocalTransport implements Transport {
  private final LocalConnection connection;

  public LocalTransport() {
    this(OutputBudget.UNLIMITED);
  }

  /** Commands' output kept within {@code budget}. */
  public LocalTransport(OutputBudget budget) {
    connection = new LocalConnection(budget);
  }

  @Override
  public Connection connection(Target target) {
    return connection;
  }

  @Override
  public void close() {}
}
