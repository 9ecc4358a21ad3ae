package dev.jbolt.transport.container;

import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.testing.Podman;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.ConnectionContract;
import dev.jbolt.transport.OutputBudget;
import java.io.PrintStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract every transport keeps, on a podman container (busybox, made here). */
class PodmanConnectionTest extends ConnectionContract {
  static Podman podman;
  static ContainerTransport transport;
  static Connection connection;

  @BeforeAll
  static void start() throws Exception {
    podman = Podman.start();
    String name = podman.container("jbolt-busybox");
    transport = new ContainerTransport("podman", OutputBudget.UNLIMITED);
    connection = transport.connection(target("podman://" + name));
  }

  static Target target(String uri) {
    return InventoryParser.parse(
            "targets: ['" + uri + "']\n",
            "inventory.yaml",
            new PrintStream(PrintStream.nullOutputStream()))
        .target(uri)
        .orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    if (transport != null) {
      transport.close();
    }
    if (podman != null) {
      podman.close();
    }
  }

  @Override
  protected Connection connection() {
    return connection;
  }
}
