package dev.jbolt.transport.ssh;

import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.ConnectionContract;
import java.io.PrintStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The transport contract over real OpenSSH, SFTP included. */
class SshConnectionTest extends ConnectionContract {
  @LabSshd static Sshd sshd;
  static SshTransport transport;
  static Connection connection;

  @BeforeAll
  static void start() throws Exception {
    transport = new SshTransport(SshTransport.Options.DEFAULT);
    connection = transport.connection(target(sshd, "127.0.0.1"));
  }

  static Target target(Sshd sshd, String host) throws Exception {
    return InventoryParser.parse(
            Projects.sshConfig(sshd) + "targets: [" + host + "]\n",
            "inventory.yaml",
            new PrintStream(PrintStream.nullOutputStream()))
        .target(host)
        .orElseThrow();
  }

  @AfterAll
  static void stop() {
    transport.close();
  }

  @Override
  protected Connection connection() {
    return connection;
  }
}
