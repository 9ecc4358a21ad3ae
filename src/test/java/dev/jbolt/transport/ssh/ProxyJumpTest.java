package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A target reached through a bastion: two real sshds, the target only via the first. */
class ProxyJumpTest {
  @TempDir Path tmp;

  @Test
  void reachesTheTargetThroughTheBastion() throws Exception {
    try (Sshd bastion = Sshd.start();
        Sshd inner = Sshd.builder().listen("127.0.0.7").start()) {
      Path kh = tmp.resolve("known_hosts");
      Files.writeString(
          kh,
          "[127.0.0.1]:"
              + bastion.port()
              + " "
              + bastion.hostKey()
              + "\n"
              + "[127.0.0.7]:"
              + inner.port()
              + " "
              + inner.hostKey()
              + "\n");
      Projects.withInventory(
          tmp,
          "config:\n  ssh:\n    user: "
              + inner.user()
              + "\n    private-key: "
              + inner.key()
              + "\n    known-hosts-file: "
              + kh
              + "\n    proxyjump: "
              + bastion.user()
              + "@127.0.0.1:"
              + bastion.port()
              + "\n"
              + "targets:\n  - {name: inner, uri: '127.0.0.7:"
              + inner.port()
              + "'}\n");
      Cli.Outcome o =
          Cli.run(tmp, "command", "run", "echo $SSH_CONNECTION", "-t", "inner", "--format", "json");
      assertEquals(0, o.code(), o::toString);
      assertTrue(
          o.json().at("/items/0/value/stdout").asText().contains("127.0.0.7 " + inner.port()),
          o::toString);
      // A direct connection would never have logged in to the bastion.
      assertEquals(1, bastion.acceptedLogins(), bastion.log());
      assertEquals(1, inner.acceptedLogins(), inner.log());

      // accept-new through the bastion records the target's own name, not the tunnel's address.
      Files.writeString(kh, "[127.0.0.1]:" + bastion.port() + " " + bastion.hostKey() + "\n");
      Files.writeString(
          tmp.resolve("inventory.yaml"),
          Files.readString(tmp.resolve("inventory.yaml"))
              .replace("  ssh:\n", "  ssh:\n    host-key-check: accept-new\n"));
      o = Cli.run(tmp, "command", "run", "true", "-t", "inner", "--format", "json");
      assertEquals(0, o.code(), o::toString);
      assertTrue(
          Files.readString(kh).contains("[127.0.0.7]:" + inner.port() + " " + inner.hostKey()),
          Files.readString(kh));
    }
  }
}
