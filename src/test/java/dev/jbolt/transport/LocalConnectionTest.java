package dev.jbolt.transport;

import dev.jbolt.inventory.Inventory;
import dev.jbolt.transport.local.LocalTransport;

class LocalConnectionTest extends ConnectionContract {
  private final Connection connection =
      new LocalTransport().connection(Inventory.empty().adhoc("localhost"));

  @Override
  protected Connection connection() {
    return connection;
  }
}
