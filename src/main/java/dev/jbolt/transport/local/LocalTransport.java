package dev.jbolt.transport.local;

import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.Transport;
import java.nio.file.Path;

/**
 * Runs on this machine through {@code /bin/sh -c}; every target shares one stateless connection.
 */
public final class LocalTransport implements Transport {
  private final LocalConnection connection;

  public LocalTransport() {
    this(OutputBudget.UNLIMITED, null);
  }

  /**
   * Commands' output kept within {@code budget}; they start in {@code cwd} (the run's working
   * directory: the warm process has its own; null: this process's).
   */
  public LocalTransport(OutputBudget budget, Path cwd) {
    connection = new LocalConnection(budget, cwd);
  }

  @Override
  public Connection connection(Target target) {
    return connection;
  }

  @Override
  public void close() {}
}
