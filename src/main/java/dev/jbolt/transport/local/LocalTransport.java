package dev.jbolt.transport.local;

import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Transport;

/**
 * Runs on this machine through {@code /bin/sh -c}; every target shares one stateless connection.
 */
public final class LocalTransport implements Transport {
  private final LocalConnection connection = new LocalConnection();

  @Override
  public Connection connection(Target target) {
    return connection;
  }

  @Override
  public void close() {}
}
