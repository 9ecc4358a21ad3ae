package dev.jbolt.transport.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.testing.Podman;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.ConnectionContract;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputBudget;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  /**
   * Podman drops the output of a command that ends with input left unread, unless it is drained.
   */
  @Test
  void aCommandThatIgnoresItsInputStillGivesItsOutputAndExitCode() throws Exception {
    byte[] input = "x\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 20; i++) {
      Exec.Output o = Exec.run(connection, "echo out; echo err >&2; exit 3", input, 30_000, null);
      assertEquals("out\n", o.stdoutText(), "run " + i);
      assertEquals("err\n", o.stderrText(), "run " + i);
      assertEquals(3, o.exitCode(), "run " + i);
    }
  }

  @Override
  protected Connection connection() {
    return connection;
  }
}
